"""Generated pages rendered to PDF: the geometry path against the text-only path, same pages.

    python benchmarks/eval_pdf_pages.py --family B --part heldout --n 100
    python benchmarks/eval_pdf_pages.py --family A --n 100 --style flow
    python benchmarks/eval_pdf_pages.py --family B --n 10 --ocr      # + Tesseract hOCR and ALTO

Each page is laid out by a generator (family A: :func:`newsnlp.testing.generate_page` from
People's Daily 1998; family B: :func:`newsnlp.testing_b.generate_page_b` from People's
Daily 2019, ``--part``), which gives its text page and its gold; the gold is rendered to
PDF by :func:`newsnlp.testing_pdf.render_gold_pdf` (modular or flow layout).  Printed:

- ``text``: the generator's text page through the text-only path (``parse_text``);
- ``pdf``: the PDF through the geometry path (``parse_pages``);
- with ``--ocr``: each PDF page rendered at 300 dpi (``pdftoppm``) and run through
  Tesseract (``chi_sim``), its hOCR and ALTO, with the rules found on the render
  (:func:`newsnlp.ocr.image_rules`, as ``--ocr`` does), through the geometry path; beside
  them Tesseract's own character error: the share of the page's printed characters (gold
  text, headlines and captions) it did not give back, counted order-free, so that the
  structure loss (body CER minus it) shows.  For OCR a second headline F1 counts a
  headline found when it is within 20% character edits of the gold one (Tesseract
  misreads a character of a headline as often as one of the text: that is not a
  structure error).

All scored with :func:`newsnlp.evaluate.score_page`; mean over pages and pooled counts.
A page's articles have no one order on paper (two columns side by side, a box beside a
column): before scoring, predicted articles are put in the order of the gold articles they
overlap most (``in_gold_order``), for every path alike; the reading order inside each
article is scored as it comes.  ``--strict`` scores them in the order parsed.
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp import parse_text  # noqa: E402
from newsnlp.evaluate import mean_scores, score_page  # noqa: E402
from newsnlp.pipeline import parse_pages  # noqa: E402

DATA_A = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801.txt"
DATA_B = ROOT.parent / "shared" / "data" / "peoples_daily_2019"
ROWS = [("body CER", "body_cer"), ("paragraph-boundary F1", "boundary_f1"), ("headline F1", "headline_f1"),
        ("reporter F1", "reporter_f1"), ("caption F1", "caption_f1"), ("dateline F1", "dateline_f1")]


def gold_pages(family: str, part: str, n: int, seed: int) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    if family == "A":
        from newsnlp.testing import generate_page, load_peoples_daily_articles

        articles = load_peoples_daily_articles(DATA_A)
        return [generate_page(articles, rng=rng, source=f"pdf-a{seed}-{i:03d}") for i in range(1, n + 1)]
    from newsnlp.testing_b import generate_page_b, load_2019_articles, split_articles

    articles = split_articles(load_2019_articles(DATA_B), part)
    if family == "C":  # report-only: 2019 articles of the part with 1998 ones, family C's conventions
        from newsnlp.testing import load_peoples_daily_articles
        from newsnlp.testing_c import generate_page_c

        records_1998 = load_peoples_daily_articles(DATA_A)
        return [generate_page_c(articles, records_1998, rng=rng, source=f"pdf-c{seed}-{i:03d}")
                for i in range(1, n + 1)]
    return [generate_page_b(articles, rng=rng, source=f"pdf-b{seed}-{i:03d}") for i in range(1, n + 1)]


def in_gold_order(pred: dict, gold: dict) -> dict:
    """The predicted page with its articles in the order of the gold articles that share most
    characters with each (ties and unmatched ones keep their place)."""
    golds = [Counter("".join(b["text"] for b in a["body"])) for a in gold["articles"]]

    def key(item):
        n, article = item
        chars = Counter("".join(b["text"] for b in article["body"]))
        overlaps = [sum((chars & g).values()) for g in golds]
        best = max(range(len(golds)), key=lambda k: overlaps[k], default=0) if golds else 0
        return (best if golds and overlaps[best] else len(golds), n)

    return {**pred, "articles": [a for _, a in sorted(enumerate(pred["articles"]), key=key)]}


def fuzzy_headline_f1(pred: dict, gold: dict, tolerance: float = 0.2) -> tuple[int, int, int]:
    """Headline counts (true positives, predicted, gold) where a predicted headline matches a
    gold variant (see newsnlp.evaluate) within ``tolerance`` normalised edit distance."""
    from rapidfuzz.distance import Levenshtein

    from newsnlp.evaluate import _headline_variants, squeeze

    predicted = [h for h in (squeeze("".join(a.get("headline") or [])) for a in pred["articles"]) if h]
    variants = [v for v in (_headline_variants(a) for a in gold["articles"]) if v]
    used = [False] * len(variants)
    hits = 0
    for head in predicted:
        for i, options in enumerate(variants):
            if not used[i] and any(Levenshtein.normalized_distance(head, v) <= tolerance for v in options):
                used[i], hits = True, hits + 1
                break
    return hits, len(predicted), len(variants)


def printed_chars(gold: dict) -> Counter:
    """Characters the page prints that the gold holds (body, headlines, kickers, subtitles, captions)."""
    text = []
    for a in gold["articles"]:
        text += [*(a.get("headline") or []), a.get("kicker") or "", a.get("subtitle") or "",
                 *(b["text"] for b in a["body"]), *(a.get("captions") or [])]
    return Counter(ch for ch in "".join(text) if not ch.isspace())


def ocr_pages(pdf: Path, work: Path) -> list[tuple[Path, Path]]:
    """Render every page at 300 dpi and OCR it: [(hocr, alto)] per page."""
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(work / "page")], check=True)
    out = []
    for png in sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        base = png.with_suffix("")
        subprocess.run(["tesseract", str(png), str(base), "-l", "chi_sim", "--psm", "3", "hocr", "alto"],
                       check=True, capture_output=True)
        out.append((base.with_suffix(".hocr"), base.with_suffix(".xml")))
    return out


def table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = [f"{'measure (mean over pages; pooled)':<36}" + "".join(f"{n:>20}" for n in names)]
    for label, key in ROWS:
        cells = []
        for name in names:
            mean = results[name]
            value = mean.get(key)
            pooled = mean.get(key.replace("_f1", "_f1_pooled")) if key.endswith("_f1") else None
            if value is None:
                cells.append(f"{'-':>20}")
            elif key == "body_cer":
                cells.append(f"{100 * value:>19.2f}%")
            else:
                cells.append(f"{value:>12.3f}; {pooled if pooled is not None else float('nan'):.3f}")
        lines.append(f"{label:<36}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=("A", "B", "C"), default="C",
                        help="A, B: the families the PDF path was tuned on (B: --part dev); C: report-only [C]")
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="heldout", help="family B articles")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=("modular", "flow"), default=None, help="one layout style only")
    parser.add_argument("--ocr", action="store_true", help="also OCR 300 dpi renders with Tesseract (slow)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDFs (and OCR output) here")
    parser.add_argument("--strict", action="store_true", help="score articles in the order parsed")
    args = parser.parse_args(argv)
    if not DATA_A.exists() or args.family != "A" and not DATA_B.exists():
        parser.error("../shared/data is not beside the repository")
    if args.ocr and not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        parser.error("--ocr needs tesseract (tesseract-ocr, tesseract-ocr-chi-sim) and pdftoppm (poppler-utils)")
    from newsnlp.testing_pdf import render_gold_pdf

    pages = gold_pages(args.family, args.part, args.n, args.seed)
    data, golds = render_gold_pdf([g for _, g in pages], seed=args.seed,
                                  styles=[args.style] if args.style else None)
    work = Path(tempfile.mkdtemp(prefix="newsnlp-pdf-eval-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    pdf = work / "pages.pdf"
    pdf.write_bytes(data)
    scores: dict[str, list] = {"text": [], "pdf": []}
    started = time.perf_counter()
    order = (lambda pred, gold: pred) if args.strict else in_gold_order
    for (raw, gold) in pages:
        scores["text"].append(score_page(order(parse_text(raw, source=gold["source"], analyze=False).to_dict(), gold), gold))
    text_seconds = time.perf_counter() - started
    started = time.perf_counter()
    predicted = list(parse_pages(pdf, analyze=False))
    pdf_seconds = time.perf_counter() - started
    for page, gold in zip(predicted, golds):
        scores["pdf"].append(score_page(order(page.to_dict(), gold), gold))
    ocr_error = []
    fuzzy: dict[str, list] = {}
    if args.ocr:
        from PIL import Image

        from newsnlp.ocr import image_pictures, image_rules, read_alto, read_hocr
        from newsnlp.pipeline import parse_layout

        scores["hocr"], scores["alto"] = [], []
        fuzzy = {"hocr": [], "alto": []}
        for (hocr, alto), gold in zip(ocr_pages(pdf, work), golds):
            with Image.open(hocr.with_suffix(".png")) as image:
                rules, pictures = image_rules(image), image_pictures(image)
            for name, layouts in (("hocr", read_hocr(hocr.read_text(encoding="utf-8"))),
                                  ("alto", read_alto(alto.read_bytes()))):
                layouts[0].rules, layouts[0].images = rules, [*layouts[0].images, *pictures]
                page = parse_layout(layouts[0], source=str(hocr), analyze=False).to_dict()
                scores[name].append(score_page(order(page, gold), gold))
                fuzzy[name].append(fuzzy_headline_f1(page, gold))
            from newsnlp.ocr import read_hocr

            recognised = Counter(ch for ln in read_hocr(hocr.read_text(encoding="utf-8"))[0].lines for ch in ln.text
                                 if not ch.isspace())
            truth = printed_chars(gold)
            ocr_error.append(sum((truth - recognised).values()) / max(1, sum(truth.values())))
    styles = Counter(g["layout"]["style"] for g in golds)
    print(f"{args.n} generated pages, family {args.family}" + (f" ({args.part})" if args.family != "A" else "")
          + f", seed {args.seed}, layouts {dict(styles)}; parse: text {text_seconds:.2f} s, "
          f"PDF {pdf_seconds:.2f} s ({args.n / pdf_seconds:.1f} pages/s)")
    print(table({name: mean_scores(s) for name, s in scores.items()}))
    for name, counts in fuzzy.items():
        hits, n_pred, n_gold = (sum(c[k] for c in counts) for k in range(3))
        p, r = hits / max(1, n_pred), hits / max(1, n_gold)
        print(f"{name}: headline F1 within 20% character edits (pooled): {2 * p * r / max(1e-9, p + r):.3f}")
    if ocr_error:
        print(f"Tesseract's own character error (printed characters not given back, order-free): "
              f"{100 * sum(ocr_error) / len(ocr_error):.2f}%")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
