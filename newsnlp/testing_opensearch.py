"""Real OpenSearch nodes on loopback, for tests, CI and benchmarks (issue #19).

OpenSearch's minimal distribution (``org.opensearch.distribution.integ-test-zip:opensearch``) is
fetched through Maven from Maven Central, unpacked once into a cache folder, and started as plain
child processes with a small heap: one node (``discovery.type=single-node``) or several forming
one cluster on different ports.  The minimal distribution ships no analysis plugins; newsnlp needs
none (words and bigrams are made in Python and indexed into whitespace-analysed fields).

    python -m newsnlp.testing_opensearch fetch            # download + unpack (Maven)
    python -m newsnlp.testing_opensearch start --port 9200 --data /tmp/os1   # prints the URL
    python -m newsnlp.testing_opensearch stop --data /tmp/os1

The version is 2.19.6, the newest that runs on Java 17 (3.x needs Java 21).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "2.19.6"
ARTIFACT = f"org.opensearch.distribution.integ-test-zip:opensearch:{VERSION}:zip"
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
HEAP = os.environ.get("NEWSNLP_OPENSEARCH_HEAP", "384m")  # small: tests start two nodes on a 2-core machine


#: OpenSearch refuses to run as root: as root, nodes run as this user (files they use are given to it)
NODE_USER = "nobody"


def cache_dir() -> Path:
    """Where the distribution is unpacked: ``NEWSNLP_OPENSEARCH_HOME``, else ``~/.cache/newsnlp``
    (as root, ``/var/tmp/newsnlp``, which the node's user can read)."""
    home = os.environ.get("NEWSNLP_OPENSEARCH_HOME")
    if home:
        return Path(home)
    base = Path("/var/tmp/newsnlp") if os.geteuid() == 0 else Path.home() / ".cache" / "newsnlp"
    return base / f"opensearch-{VERSION}"


def node_dir(prefix: str = "newsnlp-os-") -> Path:
    """A new folder for a node's data, config and logs (under the system temp folder, which the
    node's user can reach when running as root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp" if os.geteuid() == 0 else None))
    path.chmod(0o755)  # node folders inside it belong to the node's user
    return path


def java_home() -> str | None:
    """A Java for OpenSearch 2.19: ``OPENSEARCH_JAVA_HOME``, ``JAVA_HOME``, or the one on PATH."""
    for name in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(name) and Path(os.environ[name], "bin", "java").exists():
            return os.environ[name]
    java = shutil.which("java")
    return str(Path(java).resolve().parent.parent) if java else None


def _maven_zip() -> Path:
    """The distribution zip in the local Maven repository, fetched by ``mvn dependency:get`` (or,
    without ``mvn``, from Maven Central's URL for the same artifact)."""
    group, artifact, version, _ = ARTIFACT.split(":")
    rel = Path(*group.split("."), artifact, version, f"{artifact}-{version}.zip")
    local = Path.home() / ".m2" / "repository" / rel
    if local.is_file():
        return local
    if shutil.which("mvn"):
        subprocess.run(["mvn", "-q", "-B", "dependency:get", f"-Dartifact={ARTIFACT}", "-Dtransitive=false"],
                       check=True, stdout=subprocess.DEVNULL)
        if local.is_file():
            return local
    local.parent.mkdir(parents=True, exist_ok=True)
    part = local.with_suffix(".part")
    with urllib.request.urlopen(f"{MAVEN_CENTRAL}/{rel.as_posix()}", timeout=120) as resp, open(part, "wb") as out:
        shutil.copyfileobj(resp, out)
    part.replace(local)
    return local


def fetch() -> Path:
    """The unpacked distribution's folder (fetched and unpacked on first use)."""
    home = cache_dir()
    if (home / "bin" / "opensearch").is_file():
        return home
    archive = _maven_zip()
    tmp = home.with_name(home.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp)
    inner = next(tmp.iterdir())
    for script in (inner / "bin").iterdir():
        script.chmod(0o755)
    home.parent.mkdir(parents=True, exist_ok=True)
    inner.rename(home)
    shutil.rmtree(tmp, ignore_errors=True)
    for folder in (home, *home.parents[:2]):
        folder.chmod(folder.stat().st_mode | 0o755)  # readable by the node's user
    return home


def available() -> str | None:
    """None when nodes can be started here, else why not (for a test's skip message)."""
    if java_home() is None:
        return "no Java (OpenSearch needs Java 11+): apt-get install openjdk-17-jre-headless"
    try:
        fetch()
    except Exception as exc:  # no network, no mvn
        return f"OpenSearch {VERSION} could not be fetched from Maven Central ({exc})"
    return None


@dataclass
class Node:
    """One OpenSearch node process on 127.0.0.1."""

    data: Path
    http_port: int
    transport_port: int
    name: str = "node-1"
    cluster: str = "newsnlp-test"
    seeds: list[int] = field(default_factory=list)  # transport ports of a multi-node cluster
    managers: list[str] = field(default_factory=list)  # names of its initial cluster managers
    roles: list[str] | None = None  # None: every role
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def command(self) -> list[str]:
        settings = {
            "cluster.name": self.cluster, "node.name": self.name,
            "path.data": str(self.data / "data"), "path.logs": str(self.data / "logs"),
            "network.host": "127.0.0.1", "http.port": self.http_port, "transport.port": self.transport_port,
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.destructive_requires_name": "false",
        }
        if self.roles is not None:
            settings["node.roles"] = ",".join(self.roles)
        if self.seeds:
            settings["discovery.seed_hosts"] = ",".join(f"127.0.0.1:{p}" for p in self.seeds)
            settings["cluster.initial_cluster_manager_nodes"] = ",".join(self.managers)
        else:
            settings["discovery.type"] = "single-node"
        return [str(fetch() / "bin" / "opensearch"), *(f"-E{k}={v}" for k, v in settings.items())]

    def start(self, *, wait: float = 120.0) -> "Node":
        """Start the process (in its own process group) and wait until it answers HTTP."""
        self.data.mkdir(parents=True, exist_ok=True)
        config = self.data / "config"
        if not config.is_dir():  # a config folder of its own: the node writes its keystore there
            shutil.copytree(fetch() / "config", config)
            # the JVM's own files (gc log, error file) under this node's folder, not the shared distribution
            options = config / "jvm.options"
            options.write_text(options.read_text().replace("logs/", f"{self.data}/logs/")
                               .replace("HeapDumpPath=data", f"HeapDumpPath={self.data}/logs"))
        (self.data / "logs").mkdir(exist_ok=True)
        env = dict(os.environ, OPENSEARCH_JAVA_OPTS=f"-Xms{HEAP} -Xmx{HEAP} -XX:-HeapDumpOnOutOfMemoryError",
                   OPENSEARCH_PATH_CONF=str(config), HOME=str(self.data))
        home = java_home()
        if home:
            env["OPENSEARCH_JAVA_HOME"] = home
        as_user = {}
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", NODE_USER, str(self.data)], check=True)
            as_user = {"user": NODE_USER}
        log = open(self.data / "stdout.log", "ab")
        self.process = subprocess.Popen(self.command(), env=env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.data, **as_user)
        (self.data / "node.pid").write_text(str(self.process.pid))
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"OpenSearch node {self.name} exited ({self.process.returncode}); "
                                   f"see {self.data / 'stdout.log'}")
            if self.answers():
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"OpenSearch node {self.name} did not answer within {wait:g} s")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url, timeout=2) as resp:
                return resp.status == 200
        except OSError:
            return False

    def kill(self) -> None:
        """Kill the node at once (SIGKILL), as a crash or a pulled plug would."""
        self.stop(wait=0.0)

    def stop(self, *, wait: float = 60.0) -> None:
        """Stop the node (SIGTERM to its process group, SIGKILL after ``wait`` seconds)."""
        pid = self.process.pid if self.process else _read_pid(self.data)
        if pid is None:
            return
        try:
            os.killpg(pid, signal.SIGTERM if wait > 0 else signal.SIGKILL)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(pid, self.process):
            time.sleep(0.2)
        if _alive(pid, self.process):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if self.process:
                self.process.wait()
        (self.data / "node.pid").unlink(missing_ok=True)


def _read_pid(data: Path) -> int | None:
    try:
        return int((data / "node.pid").read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int, process: subprocess.Popen | None) -> bool:
    if process is not None:
        return process.poll() is None
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def cluster(data: Path, http_ports: list[int], transport_ports: list[int]) -> list[Node]:
    """Nodes of one cluster (not started), all holding data; the first is its cluster manager, so
    that stopping any other node leaves a working cluster (two managers could not outvote one)."""
    names = [f"node-{i + 1}" for i in range(len(http_ports))]
    return [Node(data / name, h, t, name=name, seeds=list(transport_ports), managers=names[:1],
                 roles=None if i == 0 else ["data", "ingest"])
            for i, (name, h, t) in enumerate(zip(names, http_ports, transport_ports))]


def wait_for_health(url: str, status: str = "yellow", *, nodes: int = 1, wait: float = 120.0) -> dict:
    """Wait until the cluster behind ``url`` has ``nodes`` nodes and at least ``status``."""
    deadline = time.monotonic() + wait
    last: dict = {}
    while time.monotonic() < deadline:
        try:
            q = f"{url}/_cluster/health?wait_for_status={status}&wait_for_nodes={nodes}&timeout=5s"
            with urllib.request.urlopen(q, timeout=10) as resp:
                last = json.load(resp)
                if not last.get("timed_out"):
                    return last
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"cluster at {url} not {status} with {nodes} nodes: {last}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsnlp.testing_opensearch", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch and unpack the distribution; print its folder")
    start = sub.add_parser("start", help="start a single-node cluster in the background; print its URL")
    start.add_argument("--port", type=int, default=9200)
    start.add_argument("--transport-port", type=int, default=9300)
    start.add_argument("--data", type=Path, required=True)
    stop = sub.add_parser("stop", help="stop the node started with --data")
    stop.add_argument("--data", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch())
        elif args.command == "start":
            node = Node(args.data, args.port, args.transport_port).start()
            wait_for_health(node.url)
            print(node.url)
        else:
            Node(args.data, 0, 0).stop()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
