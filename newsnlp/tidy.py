"""OCR/PDF clean-up: raw page text -> clean lines, and lines -> paragraphs.

Pure functions, no layout decisions beyond the line level (article structure is
``newsnlp.split``).  What is removed: mojibake (U+FFFD, private-use glyphs,
control characters), layout spaces, doubled bold printing of whole lines.
What is changed: full-width digits and Latin letters become half-width.
Nothing else is dropped or reordered.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that carry no content: the replacement character, private-use
# glyphs that PDF extraction emits for missing fonts, BOM/zero-width, controls.
_MOJIBAKE = re.compile("[\ufffd\ufffe\uffff\ue000-\uf8ff\ufeff\u200b-\u200f\u2060\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every kind of space a PDF/OCR extraction emits (ASCII, no-break, ideographic, thin...).
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}

# Sentence-final punctuation, possibly followed by closing quotes/brackets.
TERMINAL = re.compile(r"[。！？!?…]+[”’」』）)》]*$")
_LATIN_LEFT = re.compile(r"[A-Za-z0-9.,;:!?%)\]'\"]")
_LATIN_RIGHT = re.compile(r"[A-Za-z0-9(\['\"]")


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs (and compatibility ideographs)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def to_halfwidth(text: str) -> str:
    """Full-width digits and Latin letters -> ASCII; punctuation untouched."""
    return text.translate(_FULLWIDTH_ALNUM)


def remove_mojibake(text: str) -> str:
    return _MOJIBAKE.sub("", text)


def is_doubled(compact: str) -> bool:
    """True when a space-free line is every character printed twice (at least 2 pairs)."""
    n = len(compact)
    if n < 4 or n % 2 or len(set(compact)) < 2:
        return False
    return all(compact[i] == compact[i + 1] for i in range(0, n, 2))


@dataclass
class Line:
    """One clean line of a page; ``text == ""`` is a blank line.  ``doubled`` marks a
    line that was printed with every character twice (bold captions)."""

    text: str
    doubled: bool = False
    indented: bool = False  # printed with a leading indent (a paragraph's first line)
    # Set by readers of pages with geometry (PDF, hOCR, ALTO; see newsnlp.layout): the line's
    # role on the page (headline, kicker, subtitle, subhead, body, caption, furniture) and its box
    # (x0, top, x1, bottom in page points).  Text pages leave them None: the splitter guesses.
    role: str | None = None
    bbox: tuple[float, float, float, float] | None = None


_INDENT = re.compile("^(?:[ \t\u00a0\u3000]{2,}|\u3000|[\ufffd\ue000-\uf8ff]{2,})")


def _spaced_char(token: str) -> bool:
    return len(token) == 1 and (is_cjk(token) or token.isdigit() or token in "（）()、·")


_CREDIT_WORDS = re.compile("记者|通讯员|实习生|摄影|摄|供图|编辑")


def join_spaced_characters(line: str) -> str:
    """Undo character spacing of justified lines: a run of two or more single characters
    between spaces is one word (``（ 记 者 王 小 明 ）`` -> ``（记者王小明）``,
    ``本报记者 刘 峰`` -> ``本报记者 刘峰``, ``1 5 日`` -> ``15日``).  In a credit line, words
    of two or more characters keep their spaces (``本报记者 王明峰 常碧罗``: two names);
    elsewhere such a line is justified text, and no space between Chinese characters is kept
    (``股票指数 当 天 上 扬`` -> ``股票指数当天上扬``, not a headline's phrase gap)."""
    if " " not in line:
        return line
    tokens = line.split(" ")
    if not any(_spaced_char(a) and _spaced_char(b) for a, b in zip(tokens, tokens[1:])):
        return line
    if not _CREDIT_WORDS.search(line.replace(" ", "")):
        out, last = tokens[0], tokens[0]
        for token in tokens[1:]:
            if token:
                digits = out[-1:].isdigit() and token[0].isdigit() and (_spaced_char(token) or _spaced_char(last))
                out += ("" if is_cjk(out[-1:] or "a") or is_cjk(token[0]) or digits else " ") + token
                last = token
        return out
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if token and _spaced_char(token):
            run.append(token)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return " ".join(out)


def tidy_lines(text: str) -> list[Line]:
    """Raw page text -> clean lines; blank lines are kept (they mark layout)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", to_halfwidth(remove_mojibake(raw))).strip()
        compact = _SPACES.sub("", line)
        if is_doubled(compact):
            lines.append(Line(compact[::2], doubled=True))
        else:
            lines.append(Line(line, indented=bool(line and _INDENT.match(raw))))
    return lines


def remove_layout_spaces(text: str) -> str:
    """Drop spaces except between two Latin words or numbers (``Windows 10`` keeps its space)."""
    if " " not in text and not _SPACES.search(text):
        return text
    parts = _SPACES.split(join_spaced_characters(_SPACES.sub(" ", text).strip()))
    out = [parts[0]]
    for part in parts[1:]:
        if not part:
            continue
        left = out[-1][-1:] if out and out[-1] else ""
        if left and _LATIN_LEFT.match(left) and _LATIN_RIGHT.match(part[0]):
            out.append(" ")
        out.append(part)
    return "".join(out).strip()


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines of one paragraph, removing layout spaces."""
    return remove_layout_spaces(" ".join(line for line in lines if line))


def headline_text(line: str) -> str:
    """Clean a headline line: layout spaces out, but one space kept between two phrases
    (``举办“双创”沙龙 聚才汇智促发展``: papers print such a gap on purpose)."""
    parts = [p for p in _SPACES.split(line.strip()) if p]
    if len(parts) < 2:
        return remove_layout_spaces(line)
    out = parts[0]
    for part in parts[1:]:
        phrase_gap = _cjk_run(out, from_end=True) >= 2 and _cjk_run(part, from_end=False) >= 2
        out += (" " if phrase_gap else "") + part
    return out


def _cjk_run(s: str, *, from_end: bool) -> int:
    """Length of the run of CJK characters (and quotes) at one end of ``s``."""
    seq = reversed(s) if from_end else iter(s)
    n = 0
    for ch in seq:
        if is_cjk(ch):
            n += 1
        elif ch in "“”‘’《》":
            continue
        else:
            break
    return n


def is_terminal(line: str) -> bool:
    """True when a line ends a sentence (。！？… possibly followed by closing quotes)."""
    return bool(TERMINAL.search(line.rstrip()))


def visual_width(line: str) -> float:
    """Printed width in CJK cells: ASCII characters and spaces count half."""
    width = 0.0
    for ch in line:
        width += 0.5 if ord(ch) < 0x2E80 and unicodedata.east_asian_width(ch) in "NaH" else 1.0
    return width


def tidy_text(text: str) -> list[str]:
    """Convenience for callers that only want clean paragraphs of a page.

    Uses the article splitter's paragraph assembly, so it reflects what ``parse`` does.
    """
    from newsnlp.split import assemble_blocks

    return [b.text for b in assemble_blocks(tidy_lines(text))]
