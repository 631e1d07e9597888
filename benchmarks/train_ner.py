"""Train the shipped character CRF for person/place/organisation names.

Reproduce the shipped model (15-30 minutes on one core, most of it L-BFGS):

    nice python benchmarks/train_ner.py --lexicon > /tmp/train_ner.log 2>&1 &

python-crfsuite trains; its model is then exported (non-zero weights only) to
``newsnlp/data/ner-msra.crf.gz``, which :mod:`newsnlp.extract.ner_crf` tags with.

``--name-features`` (experimental, not in the shipped model) also trains on the name shape
templates (``ner_features.name_columns``); ``--names`` first rebuilds their table
``newsnlp/data/ner-names.txt`` (surname and given-name character counts of the first 40,500
MSRA train sentences).  Measured on dev data (newsnlp/data/README.md): persons +0.015 on the
MSRA slice, organisations -0.005 to -0.012; not shipped (it also finds idioms and villages
that start with a surname character as persons).  Since FEATURE_VERSION 3 it includes the v
templates (fixed phrases, place/organisation suffixes, no candidates inside lexicon places and
organisations): organisations no longer drop on dev, but People's Daily days 1-20 and the sample
page's persons still do; ``--drop-templates v`` trains the version 2 set.
``--clusters`` (experimental, not in the shipped model) also trains on character cluster templates
(``newsnlp/data/ner-char-clusters.txt``, from ``benchmarks/build_char_clusters.py``); measured on
dev data in newsnlp/data/README.md.
``--train-names [N]`` only rebuilds ``newsnlp/data/ner-train-names.txt`` (names of MSRA train).
``--lexicon`` first rebuilds ``newsnlp/data/ner-lexicon.txt`` from People's Daily
1998 (../shared/data/peoples_daily_1998_01/199801_entities.jsonl); the model is
trained on MSRA train only (../shared/data/msra_ner/msra_train_bio.txt).  MSRA
test is never read here: score with ``newsnlp eval ner``.

Development runs (choose on these, never on MSRA test): ``--holdout 4500`` trains on the
first 90% of MSRA train and leaves its last 4,500 sentences for scoring (write them to a
BIO file, set ``newsnlp.extract.entities.MODEL_PATH`` to the ``--out`` model and call
``ner_eval.score``); ``--lexicon-file`` points the features at another lexicon.
Experimental options measured that way and left out of the shipped model (newsnlp/data/README.md):
``--paired-persons`` (no change), ``--person-dropout`` (PER +0.004 on People's Daily with an
unseen-days lexicon, -0.003 on the MSRA slice), ``--c1 0.05`` (worse on both).

``--pd1998`` (experimental, not used for the shipped model) adds People's Daily 1998
(199801.txt converted to MSRA-style BIO).  Measured on MSRA test it made the model worse
(CRF alone overall F1 0.875 -> 0.819, PER recall 0.82 -> 0.64): the two corpora label
differently (十五大, 人民日报, 邓小平理论, 两岸), and lexicon features from the other half
of the month weaken what the model learns from the lexicon.
"""
from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    """Import newsnlp/extract/<name>.py alone (without the rest of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "newsnlp" / "extract" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ner_features = _load("ner_features")
ner_crf = _load("ner_crf")

SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "newsnlp" / "data"


def build_lexicon(source: Path, out: Path, *, days=None, paired_persons: bool = False) -> int:
    """Write name<TAB>TYPE for People's Daily 1998 (``source`` folder) PER/LOC/ORG spans of
    2-20 characters, each with its majority type; only paragraphs of ``days`` when given.

    The spans come from 199801_entities.jsonl, which merges every run of adjacent nr
    tokens, so some "persons" are lists (江泽民李鹏).  ``paired_persons`` takes persons from
    199801.txt through :func:`newsnlp.extract.ner_eval.pd1998_paragraph` instead (surname and
    given name paired).  Measured on dev data it changed nothing (see newsnlp/data/README.md),
    so the shipped lexicon keeps the jsonl persons."""
    kinds = ("LOC", "ORG") if paired_persons else ("PER", "LOC", "ORG")
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with open(source / "199801_entities.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if days is not None and int(row["id"][6:8]) not in days:
                continue
            for _start, _end, kind, text in row["entities"]:
                if kind in kinds and 2 <= len(text) <= 20:
                    counts[ner_features.normalise(text)][kind] += 1
    if paired_persons:
        import sys

        sys.path.insert(0, str(ROOT))
        from newsnlp.extract import ner_eval

        with open(source / "199801.txt", encoding="utf-8") as f:
            for line in f:
                if not line.strip() or (days is not None and int(line[6:8]) not in days):
                    continue
                text, spans, _ignored = ner_eval.pd1998_paragraph(line)
                for start, end, kind in spans:
                    if kind == "PER" and 2 <= end - start <= 20:
                        counts[ner_features.normalise(text[start:end])][kind] += 1
    rows = sorted((w, c.most_common(1)[0][0]) for w, c in counts.items())
    out.write_text("".join(f"{w}\t{k}\n" for w, k in rows), encoding="utf-8")
    ner_features.lexicon.cache_clear()
    return len(rows)


def build_name_table(train: Path, out: Path, *, sentences: int = ner_features.NAMES_SOURCE_SENTENCES) -> int:
    """Write ``ner-names.txt``: per character, how often it is a surname, in a given name and
    in the text of the first ``sentences`` MSRA train sentences (the development slice, the
    last 4,500, stays out).  Only characters seen in a name are listed."""
    surname: collections.Counter = collections.Counter()
    given: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    for k, (text, tags) in enumerate(ner_features.read_bio(train)):
        if k >= sentences:
            break
        s, g, t = ner_features.name_counts(text, tags)
        surname.update(s)
        given.update(g)
        total.update(t)
    chars = sorted(c for c in set(surname) | set(given) if len(c) == 1)
    header = (f"# character<TAB>surname<TAB>given name<TAB>all: counts in the first {sentences} sentences "
              f"of MSRA NER train ({train.name}); written by benchmarks/train_ner.py --names\n")
    out.write_text(header + "".join(f"{c}\t{surname[c]}\t{given[c]}\t{total[c]}\n" for c in chars), encoding="utf-8")
    ner_features.name_table.cache_clear()
    ner_features._level_table.cache_clear()
    return len(chars)


def build_train_names(train: Path, out: Path, *, sentences: int = 0) -> int:
    """Write ``ner-train-names.txt``: every 2-6 character person name tagged at least twice in
    MSRA train (its first ``sentences`` sentences when given), with how often it is tagged and
    how often the string occurs at all there (the entity finder adds untagged occurrences of
    names nearly always tagged, see ``entities.MEMORISED_*``)."""
    tagged: collections.Counter = collections.Counter()
    texts = []
    for k, (text, tags) in enumerate(ner_features.read_bio(train)):
        if sentences and k >= sentences:
            break
        text = ner_features.normalise(text)
        texts.append(text)
        for a, b, kind in ner_features.bio_spans(tags):
            if kind == "PER" and 2 <= b - a <= 6:
                tagged[text[a:b]] += 1
    corpus = "\n".join(texts)
    rows = sorted((w, n, corpus.count(w)) for w, n in tagged.items() if n >= 2)
    header = (f"# name<TAB>tagged PER<TAB>occurrences: persons of {len(texts)} sentences of MSRA NER train "
              f"({train.name}); written by benchmarks/train_ner.py --train-names\n")
    out.write_text(header + "".join(f"{w}\t{n}\t{t}\n" for w, n, t in rows), encoding="utf-8")
    ner_features.train_names.cache_clear()
    return len(rows)


def use_lexicon(path: Path) -> None:
    """Make the features read the lexicon at ``path`` (instead of the shipped one)."""
    loaded = ner_features.read_lexicon(path)
    ner_features.lexicon = lambda: loaded


# PKU abbreviations (tag j) that MSRA tags as places: 中美 -> 中|美, 港台, 京津.
_PLACE_ABBREVIATIONS = frozenset("中美俄日英法德朝韩台港澳印巴以意加越泰欧亚非苏蒙菲京沪津渝冀晋辽吉黑浙皖闽赣鲁豫鄂湘粤桂琼川黔滇藏陕甘")
_SENTENCE_END = "。！？"


# Words People's Daily tags as common nouns that MSRA tags as places.
_MSRA_PLACES = frozenset(("两岸", "大陆", "神州", "中华", "海内外", "港澳台"))


def pd1998_spans(line: str) -> tuple[str, list[tuple[int, int, str]], list[int]]:
    """Text, PER/LOC/ORG spans and unsure offsets of one People's Daily 1998 paragraph
    (199801.txt), following MSRA conventions: bracketed ]nt/]ns compounds whole, adjacent
    nr merged, ``[中国/ns 政府/n]nt`` -> the place only, country/province abbreviations (j)
    as places.  Tokens whose MSRA label is unclear (other abbreviations such as 十五大,
    proper nouns nz such as 人民日报, ]nz/]i/]l compounds, 两岸/大陆) are returned as
    unsure offsets: sentences holding one are left out of training."""
    tokens = line.split()[1:]
    text = ""
    spans: list[tuple[int, int, str]] = []
    unsure: list[int] = []
    compound: list[tuple[int, int, str]] | None = None
    for token in tokens:
        opening = token.startswith("[") and len(token) > 1
        if opening:
            token = token[1:]
            compound = []
        outer = None
        if "]" in token and compound is not None:
            token, _, outer = token.rpartition("]")
        word, _, pos = token.rpartition("/")
        start, text = len(text), text + word
        if compound is not None:
            compound.append((start, len(text), pos))
            if outer is not None:
                kind = {"nt": "ORG", "ns": "LOC"}.get(outer)
                if kind == "ORG" and len(compound) == 2 and compound[0][2] == "ns" and text[compound[1][0]:] == "政府":
                    spans.append((compound[0][0], compound[0][1], "LOC"))
                elif kind:
                    spans.append((compound[0][0], len(text), kind))
                else:
                    unsure.append(compound[0][0])
                compound = None
            continue
        if pos in ("nz", "j") or word in _MSRA_PLACES:
            if not (pos == "j" and all(c in _PLACE_ABBREVIATIONS for c in word) and len(word) <= 2):
                unsure.append(start)
                continue
        if pos == "nr":
            if spans and spans[-1][2] == "PER" and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], len(text), "PER")
            else:
                spans.append((start, len(text), "PER"))
        elif pos in ("ns", "nt"):
            spans.append((start, len(text), "LOC" if pos == "ns" else "ORG"))
        elif pos == "j" and all(c in _PLACE_ABBREVIATIONS for c in word) and len(word) <= 2:
            spans.extend((start + k, start + k + 1, "LOC") for k in range(len(word)))
    return text, spans, unsure


def pd1998_sentences(path: Path):
    """Yield (day, text, BIO tags) sentences of People's Daily 1998 (split after 。！？)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            day = int(line[6:8])
            text, spans, unsure = pd1998_spans(line)
            tags = ["O"] * len(text)
            for start, end, kind in spans:
                tags[start] = "B-" + kind
                for k in range(start + 1, end):
                    tags[k] = "I-" + kind
            ends = [k + 1 for k, ch in enumerate(text) if ch in _SENTENCE_END
                    and (k + 1 == len(text) or text[k + 1] not in _SENTENCE_END + "”")]
            start = 0
            for end in ends + [len(text)]:
                if text[start:end].strip() and not any(start <= u < end for u in unsure):
                    yield day, text[start:end], tags[start:end]
                start = end


def lexicon_of(source: Path, keep) -> tuple[dict[str, str], frozenset[str]]:
    """Like ``ner_features.lexicon`` but from the paragraphs whose day passes ``keep``."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with open(source, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if not keep(int(row["id"][6:8])):
                continue
            for _start, _end, kind, text in row["entities"]:
                if kind in ("PER", "LOC", "ORG") and 2 <= len(text) <= 20:
                    counts[ner_features.normalise(text)][kind] += 1
    words = {w: c.most_common(1)[0][0] for w, c in counts.items()}
    return words, frozenset(w[:k] for w in words for k in range(1, len(w)))


def person_halves(words: dict[str, str]) -> list[tuple[dict[str, str], frozenset[str]]]:
    """Two lexicons, each with all places and organisations and half of the persons
    (split by a hash of the name, so the same half every run)."""
    import zlib

    out = []
    for half in (0, 1):
        kept = {w: k for w, k in words.items() if k != "PER" or zlib.crc32(w.encode()) % 2 == half}
        out.append((kept, frozenset(w[:k] for w in kept for k in range(1, len(w)))))
    return out


def _trainer_class():
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        t0 = 0.0

        def on_iteration(self, log, info):
            print(f"iter {info['num']} loss {info['loss']:.0f} active {info['active_features']} "
                  f"{time.time() - self.t0:.0f}s", flush=True)

    return Trainer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=SHARED / "msra_ner" / "msra_train_bio.txt")
    ap.add_argument("--out", type=Path, default=DATA / "ner-msra.crf.gz", help="shipped weights (gzip text)")
    ap.add_argument("--crfsuite", type=Path, default=Path("/tmp/ner-msra.crfsuite"),
                    help="where python-crfsuite writes its own model file (not shipped)")
    ap.add_argument("--lexicon", action="store_true", help="rebuild the lexicon file (--lexicon-file) first")
    ap.add_argument("--paired-persons", action="store_true",
                    help="with --lexicon: persons from 199801.txt with names paired (experimental)")
    ap.add_argument("--names", action="store_true",
                    help="rebuild newsnlp/data/ner-names.txt (surname/given-name character counts) first")
    ap.add_argument("--train-names", type=int, nargs="?", const=-1, default=None, metavar="SENTENCES",
                    help="rebuild newsnlp/data/ner-train-names.txt (persons of MSRA train, of its first "
                         "SENTENCES sentences when given) and exit")
    ap.add_argument("--lexicon-file", type=Path, default=DATA / "ner-lexicon.txt",
                    help="lexicon the features read (a non-default one is for experiments)")
    ap.add_argument("--person-dropout", action="store_true",
                    help="each training sentence sees only half of the lexicon's persons (a fixed half per "
                         "name, the other half on alternate sentences), so the model cannot lean on the "
                         "lexicon for names it will not list")
    ap.add_argument("--name-features", action="store_true",
                    help="also train on the name shape templates y z k u v (experimental, see newsnlp/data/README.md; "
                         "--drop-templates v gives the FEATURE_VERSION 2 set)")
    ap.add_argument("--clusters", action="store_true",
                    help="also train on the character cluster templates l m n o (newsnlp/data/ner-char-clusters.txt, "
                         "built by benchmarks/build_char_clusters.py)")
    ap.add_argument("--drop-templates", default="",
                    help="leave out the feature templates whose strings start with these letters "
                         "(ablation: e.g. 'yz'; a model without them tags as if they were absent)")
    ap.add_argument("--holdout", type=int, default=0,
                    help="leave the last N training sentences out (a development slice)")
    ap.add_argument("--c1", type=float, default=0.15, help="L1 penalty (prunes features)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iter", type=int, default=150)
    ap.add_argument("--min-freq", type=float, default=2, help="drop features seen fewer times")
    ap.add_argument("--pd1998", action="store_true",
                    help="also train on People's Daily 1998 (199801.txt); its lexicon features come from "
                         "the other half of the month (odd/even days) so they are not perfect on it")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    args = ap.parse_args()

    if args.train_names is not None:
        out = DATA / "ner-train-names.txt"
        n = build_train_names(args.train, out, sentences=max(args.train_names, 0))
        print(f"training-set names: {n} -> {out}", flush=True)
        return
    _Trainer = _trainer_class()
    if not args.name_features:
        args.drop_templates += "yzkuv"
    if not args.clusters:
        args.drop_templates += ner_features.CLUSTER_TEMPLATES
    if args.lexicon:
        n = build_lexicon(SHARED / "peoples_daily_1998_01", args.lexicon_file, paired_persons=args.paired_persons)
        print(f"lexicon: {n} names -> {args.lexicon_file}", flush=True)
    if args.names:
        n = build_name_table(args.train, DATA / "ner-names.txt")
        print(f"name table: {n} characters -> {DATA / 'ner-names.txt'}", flush=True)
    if args.lexicon_file != DATA / "ner-lexicon.txt":
        use_lexicon(args.lexicon_file)
    t0 = time.time()
    trainer = _Trainer(verbose=False)
    n_sent = n_char = 0
    train = list(ner_features.read_bio(args.train))
    if args.holdout:
        train = train[:-args.holdout]
    full_lexicon = ner_features.lexicon
    halves = person_halves(full_lexicon()[0]) if args.person_dropout else None
    for text, tags in train:
        if halves:
            ner_features.lexicon = lambda lex=halves[n_sent % 2]: lex
        # sentences counted into ner-names.txt see the table without their own names
        own = ner_features.name_counts(text, tags) if n_sent < ner_features.NAMES_SOURCE_SENTENCES else None
        feats = ner_features.features(text, own_names=own, with_v="v" not in args.drop_templates,
                                      with_clusters=args.clusters)
        if args.drop_templates:
            feats = [[f for f in row if f[0] not in args.drop_templates] for row in feats]
        trainer.append(feats, tags)
        n_sent += 1
        n_char += len(text)
        if args.limit and n_sent >= args.limit:
            break
    ner_features.lexicon = full_lexicon
    if args.pd1998:
        source = SHARED / "peoples_daily_1998_01"
        halves = {parity: lexicon_of(source / "199801_entities.jsonl", lambda d, p=parity: d % 2 != p)
                  for parity in (0, 1)}
        full_lexicon = ner_features.lexicon
        try:
            for day, text, tags in pd1998_sentences(source / "199801.txt"):
                ner_features.lexicon = lambda lex=halves[day % 2]: lex
                trainer.append(ner_features.features(text), tags)
                n_sent += 1
                n_char += len(text)
        finally:
            ner_features.lexicon = full_lexicon
    print(f"features: {n_sent} sentences, {n_char} chars in {time.time() - t0:.0f}s", flush=True)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iter,
        "feature.minfreq": args.min_freq, "feature.possible_transitions": True,
    })
    trainer.t0 = time.time()
    trainer.train(str(args.crfsuite))
    n = ner_crf.export_crfsuite(args.crfsuite, args.out)
    print(f"trained in {time.time() - trainer.t0:.0f}s -> {args.out} ({n} weights, "
          f"{args.out.stat().st_size} bytes)", flush=True)


if __name__ == "__main__":
    main()
