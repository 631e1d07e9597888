"""Rebuild the id+label files of corpus/topics from the annotator's worksheet and the THUCNews mapping.

    python corpus/topics/make_labels.py [--shared-data ../shared/data]

pd1998_worksheet.txt: one line per People's Daily 1998 article, "MMDD-PP-AAA code [code ...]"
(first code = primary label; codes below).  Writes pd1998_labels.jsonl with the fixed held-out split
(newsnlp.topics.heldout: sha1(id) % 5 == 0), and thucnews_dev.jsonl / thucnews_test.jsonl
(ids of the THUCNews titles whose class maps soundly onto the taxonomy; see README.md).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsnlp.topics import default_shared_data, heldout, thucnews_titles

HERE = Path(__file__).resolve().parent
CODES = {
    "p": "politics", "e": "economy", "a": "agriculture", "ed": "education", "h": "health",
    "s": "social-security", "c": "civic-culture", "sp": "sports", "d": "discipline", "sf": "public-safety",
    "l": "law", "en": "environment", "u": "urban", "t": "science-tech", "i": "international",
}
# THUCNews class id -> taxonomy label; classes without a sound mapping are left out (README.md).
THUCNEWS_MAP = {0: "economy", 1: "economy", 2: "economy", 3: "education", 4: "science-tech", 7: "sports"}
# A headline is a weaker example than a labelled article, and there are ~6,000 of them against ~1,700 articles;
# 0.1 scored best of 0 / 0.1 / 0.3 / 1.0 in cross-validation on the training split (README.md).
THUCNEWS_WEIGHT = 0.1


def pd_records() -> list[dict]:
    out, seen = [], set()
    for line in (HERE / "pd1998_worksheet.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, *codes = line.split()
        record_id = "1998" + short
        if record_id in seen:
            raise SystemExit(f"duplicate id {record_id}")
        seen.add(record_id)
        labels = list(dict.fromkeys(CODES[c] for c in codes))
        out.append({"id": record_id, "labels": labels, "split": "heldout" if heldout(record_id) else "train"})
    return sorted(out, key=lambda r: r["id"])


def thucnews_records(shared: Path, split: str, exclude: set[str]) -> list[dict]:
    out = []
    for n, (title, cls) in enumerate(thucnews_titles(shared, split), 1):
        if cls in THUCNEWS_MAP and title not in exclude:
            record = {"id": f"thucnews/{split}/{n}", "labels": [THUCNEWS_MAP[cls]]}
            if split == "dev":
                record["weight"] = THUCNEWS_WEIGHT
            out.append(record)
    return out


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared-data", type=Path, default=default_shared_data())
    args = ap.parse_args()
    pd = pd_records()
    write_jsonl(HERE / "pd1998_labels.jsonl", pd)
    test_titles = {t for t, _ in thucnews_titles(args.shared_data, "test")}
    write_jsonl(HERE / "thucnews_dev.jsonl", thucnews_records(args.shared_data, "dev", exclude=test_titles))
    write_jsonl(HERE / "thucnews_test.jsonl", thucnews_records(args.shared_data, "test", exclude=set()))
    n_held = sum(r["split"] == "heldout" for r in pd)
    print(f"pd1998: {len(pd)} articles ({len(pd) - n_held} train, {n_held} held out)")


if __name__ == "__main__":
    main()
