"""One exception hierarchy; every message is a line the CLI can print as is."""


class NewsnlpError(Exception):
    """Base class: a problem the user can act on (bad input, missing archive...)."""


class InputError(NewsnlpError):
    """A file that cannot be read as a newspaper page (binary, empty, undecodable)."""


class ArchiveError(NewsnlpError):
    """A missing, locked or unreadable archive or index."""


class ModelError(NewsnlpError):
    """A shipped or user model that cannot be loaded (missing, wrong version)."""
