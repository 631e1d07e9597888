"""Whole-process timings of the commands a user types: start-up included.

    python benchmarks/bench_startup.py [--runs 5] [--msra ../shared/data/msra_ner/msra_test_bio.txt]

Runs each command as its own process (the ``newsnlp`` script beside this Python, so in a
virtual environment it times that install) ``--runs`` times and prints the median and the
fastest, in seconds:

- ``newsnlp --help`` and ``--version``;
- ``newsnlp search 医保`` on an archive of the sample page, plain and ``--json``;
- ``newsnlp ingest`` of the sample page into a new archive;
- ``newsnlp extract`` over MSRA-test sentences x3 (one per line, 10,326 lines) beside a
  process that runs ``jieba.lcut`` over the same lines, and their ratio.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample-page-2022-10-12.txt"
MSRA = ROOT.parent / "shared" / "data" / "msra_ner" / "msra_test_bio.txt"
NEWSNLP = str(Path(sys.executable).parent / "newsnlp")
JIEBA_LINES = "import sys, jieba\nfor line in open(sys.argv[1], encoding='utf-8'): jieba.lcut(line.rstrip('\\n'))\n"


def timed(cmd: list[str], *, before=None) -> float:
    if before:
        before()
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def msra_sentences(path: Path) -> list[str]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line.split("\t")[0])
        elif current:
            sentences.append("".join(current))
            current = []
    if current:
        sentences.append("".join(current))
    return sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--msra", type=Path, default=MSRA)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="newsnlp-startup-"))
    archive = tmp / "archive"
    subprocess.run([NEWSNLP, "ingest", str(SAMPLE), "--archive", str(archive)], check=True, capture_output=True)
    fresh = tmp / "fresh"
    rows: list[tuple[str, list[float]]] = []

    def bench(label: str, cmd: list[str], before=None) -> list[float]:
        timed(cmd, before=before)  # warm the OS file cache and jieba's dictionary cache
        times = [timed(cmd, before=before) for _ in range(args.runs)]
        rows.append((label, times))
        return times

    bench("newsnlp --help", [NEWSNLP, "--help"])
    bench("newsnlp --version", [NEWSNLP, "--version"])
    bench("newsnlp search 医保", [NEWSNLP, "search", "医保", "--archive", str(archive)])
    bench("newsnlp search 医保 --json", [NEWSNLP, "search", "医保", "--archive", str(archive), "--json"])
    bench("newsnlp ingest sample page", [NEWSNLP, "ingest", str(SAMPLE), "--archive", str(fresh)],
          before=lambda: shutil.rmtree(fresh, ignore_errors=True))
    ratio = None
    if args.msra.is_file():
        lines = tmp / "msra-test-x3.txt"
        lines.write_text("\n".join(msra_sentences(args.msra) * 3) + "\n", encoding="utf-8")
        n = sum(1 for _ in lines.open(encoding="utf-8"))
        ours = bench(f"newsnlp extract ({n} lines)", [NEWSNLP, "extract", str(lines)])
        theirs = bench(f"jieba.lcut ({n} lines)", [sys.executable, "-c", JIEBA_LINES, str(lines)])
        ratio = statistics.median(ours) / statistics.median(theirs)
    else:
        print(f"({args.msra} not found: extract vs jieba skipped)")
    shutil.rmtree(tmp, ignore_errors=True)

    print(f"whole processes, {args.runs} runs each after one warm-up ({NEWSNLP})")
    print(f"{'command':36} {'median s':>9} {'min s':>7}")
    for label, times in rows:
        print(f"{label:36} {statistics.median(times):9.3f} {min(times):7.3f}")
    if ratio is not None:
        print(f"{'extract / jieba.lcut (medians)':36} {ratio:9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
