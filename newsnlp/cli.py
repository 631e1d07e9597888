"""The `newsnlp` command: a thin shell over the Python API.

Each command parses its options, calls the library and prints.  User mistakes
raise :class:`click.ClickException` (one "Error: ..." line, exit 1).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from newsnlp import __version__
from newsnlp.errors import NewsnlpError
from newsnlp.store import default_archive_path


class _Group(click.Group):
    """Turns library errors into one-line CLI errors instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NewsnlpError as exc:
            raise click.ClickException(str(exc)) from None


def archive_option(f):
    """``--archive DIR`` shared by every command that reads or writes an archive."""
    return click.option(
        "--archive", "archive", type=click.Path(file_okay=False, path_type=Path),
        default=None, help="Archive directory [default: $NEWSNLP_ARCHIVE or ./newsnlp-archive].",
    )(f)


def model_options(f):
    """``--topics-model`` and ``--userdict``, shared by the commands that run the pipeline."""
    f = click.option("--userdict", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                     help="Extra jieba user dictionary (word [freq] [tag] per line).")(f)
    return click.option("--topics-model", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        default=None, help="Topic model from `newsnlp topics train` [default: the shipped one].")(f)


def resolve_archive(archive: Path | None) -> Path:
    return archive if archive is not None else default_archive_path()


def iso_date(ctx, param, value):
    """Click callback: accept YYYY-MM-DD only."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


EXTRACT_BATCH_LINES = 256  # lines `newsnlp extract` sends through the NER model at once


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@click.group(cls=_Group, invoke_without_command=True)
@click.version_option(__version__, prog_name="newsnlp")
@click.pass_context
def cli(ctx):
    """Turn OCR'd Chinese newspaper pages into clean articles, facts and a searchable archive."""
    if ctx.invoked_subcommand is None:  # `newsnlp` alone: the help, and success
        click.echo(ctx.get_help())


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "publication_date", callback=iso_date, help="Publication date YYYY-MM-DD [default: from the file name].")
@click.option("--paper", help="Name of the newspaper.")
@click.option("--page", help="Page (版) number or name.")
@click.option("--ocr", is_flag=True, help="Run a page scan (or a PDF without a text layer) through Tesseract.")
@model_options
def parse(file, publication_date, paper, page, ocr, topics_model, userdict):
    """Parse one page FILE and print it as JSON.

    FILE is a text or HTML page, a PDF, an hOCR or ALTO file, or (with --ocr) a page scan.
    A PDF or OCR file prints one JSON object per page, one per line."""
    from newsnlp import pipeline

    if pipeline.read_layouts(file, ocr=ocr) is None:
        result = pipeline.parse_file(file, paper=paper, page=page, publication_date=publication_date,
                                     topics_model=topics_model, userdict=userdict)
        echo_json(result.to_dict())
        return
    for result in pipeline.parse_pages(file, paper=paper, page=page, publication_date=publication_date,
                                       topics_model=topics_model, userdict=userdict, ocr=ocr):
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@archive_option
@click.option("--date", "publication_date", callback=iso_date, help="Publication date for every page [default: from each file name].")
@click.option("--paper", help="Name of the newspaper.")
@click.option("--page", help="Page (版) number or name.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parser processes [default: all cores]; one process writes the index.")
@click.option("--ocr", is_flag=True, help="Run page scans (and PDFs without a text layer) through Tesseract.")
@click.option("--engine", type=click.Choice(["whoosh", "opensearch"]), default=None,
              help="Search engine of a new archive, recorded for later commands [default: whoosh].")
@click.option("--opensearch-url", default=None, metavar="URL[,URL...]",
              help="OpenSearch node URLs [default: $NEWSNLP_OPENSEARCH_URL].")
@click.option("--opensearch-index", default=None, help="Index alias in OpenSearch [default: newsnlp-ARCHIVE_NAME].")
@click.option("--opensearch-shards", type=click.IntRange(min=1), default=None, help="Primary shards of a new index [default: 1].")
@click.option("--dask", "dask_address", default=None, metavar="tcp://HOST:8786|local:N",
              help="Parse (and, on OpenSearch, index) on a Dask cluster's workers.")
@model_options
def ingest(inputs, archive, publication_date, paper, page, jobs, ocr, engine, opensearch_url, opensearch_index,
           opensearch_shards, dask_address, topics_model, userdict):
    """Parse page files or folders (recursively), store them in the archive and index them.

    Text and HTML pages, PDFs (one page each per PDF page), hOCR and ALTO files; with --ocr,
    page scans (PNG, JPEG, TIFF)."""
    from newsnlp import ingest as ingest_mod

    report = ingest_mod.ingest(
        inputs, resolve_archive(archive), publication_date=publication_date, paper=paper, page=page,
        progress=sys.stderr.isatty(), jobs=jobs, topics_model=topics_model, userdict=userdict, ocr=ocr,
        engine=engine, opensearch_url=opensearch_url, opensearch_index=opensearch_index,
        opensearch_shards=opensearch_shards, dask=dask_address,
    )
    for failure in report.failures:
        click.echo(f"Error: {failure}", err=True)
    for note in report.notes:
        click.echo(f"Warning: {note}", err=True)
    click.echo(report.summary_table())
    if report.failures:
        sys.exit(1)


@cli.command()
@archive_option
def reindex(archive):
    """Index the archive's stored pages again (after an interrupted ingest), without parsing."""
    from newsnlp import ingest as ingest_mod

    report = ingest_mod.reindex(resolve_archive(archive), progress=sys.stderr.isatty())
    for note in report.notes:
        click.echo(f"Warning: {note}", err=True)
    click.echo(report.summary_table())


@cli.command()
@archive_option
def optimize(archive):
    """Merge the index into one segment: searches get faster; worth it after a large ingest."""
    from newsnlp.index.engine import read_settings

    archive = resolve_archive(archive)
    if read_settings(archive).engine == "opensearch":
        from newsnlp.index.opensearch import force_merge as optimize_index
    else:
        from newsnlp.index.store import optimize as optimize_index
    seconds = optimize_index(archive)
    click.echo(f"index merged into one segment in {seconds:.1f} s")


@cli.group("eval")
def eval_group():
    """Measure accuracy against gold data."""


def gold_file_arguments(f):
    """``PREDICTED GOLD [--json]`` shared by the commands that score one page against gold."""
    f = click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")(f)
    f = click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))(f)
    return click.argument("predicted", type=click.Path(exists=True, dir_okay=False, path_type=Path))(f)


@eval_group.command("page")
@click.argument("predicted", type=click.Path(exists=True, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_page(predicted, gold, as_json):
    """Score a parsed page (page JSON, or a raw page file to parse) against gold articles JSON.

    With two folders (or one folder twice), every page NAME.* with a gold NAME.gold.json is
    scored and the table of means over pages and pooled counts is printed."""
    from newsnlp import evaluate

    if predicted.is_dir() != gold.is_dir():
        raise click.UsageError("PREDICTED and GOLD must both be files or both be folders")
    if predicted.is_dir():
        mean = evaluate.score_page_dirs(predicted, gold)
        if as_json:
            echo_json(mean)
        else:
            click.echo(f"{mean['pages']} pages, articles: {mean['articles_pred']} predicted / {mean['articles_gold']} gold")
            click.echo(evaluate.format_table(mean))
        return
    scores = evaluate.score_page_files(predicted, gold)
    if as_json:
        echo_json(scores)
    else:
        for key in evaluate.SUMMARY_KEYS:
            value = scores[key]
            click.echo(f"{key:24} {value:.4f}" if isinstance(value, float) else f"{key:24} {value}")


@eval_group.command("facts")
@gold_file_arguments
def eval_facts(predicted, gold, as_json):
    """Score the facts of a parsed page (page JSON, or a raw page to parse) against a gold facts JSON."""
    from newsnlp import evaluate

    scores = evaluate.score_facts_files(predicted, gold)
    if as_json:
        echo_json(scores)
        return
    for key, value in scores.items():
        if isinstance(value, dict):
            click.echo(f"{key:14} " + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()))
        else:
            click.echo(f"{key:14} {value:.3f}")


@eval_group.command("persons")
@click.option("--gold", "persons_gold", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent / "corpus" / "facts2019" / "persons_officials.jsonl",
              show_default=True, help="Persons/officials gold of People's Daily 2019 (corpus/facts2019/README.md).")
@click.option("--part", type=click.Choice(["dev", "heldout", "all"]), default="dev", show_default=True,
              help="Which part to score; heldout is for the final figure only.")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "peoples_daily_2019",
              show_default=True, help="Folder of rmrb_2019_*_articles.jsonl.gz that the gold points into.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores, misses and extras as JSON.")
def eval_persons(persons_gold, part, articles_dir, as_json):
    """Persons (names per article, bylines left out; recall on names in no shipped lexicon) and
    officials ((name, title) per article) against the People's Daily 2019 gold (--gold, --part)."""
    from newsnlp import evaluate

    if not persons_gold.is_file():
        click.echo(f"skipping the 2019 persons gold: {persons_gold} not found", err=True)
        return
    if not articles_dir.is_dir():
        click.echo(f"skipping the 2019 persons gold: articles folder {articles_dir} not found", err=True)
        return
    results = {}
    for name in (["dev", "heldout"] if part == "all" else [part]):
        scores = evaluate.score_persons_officials(persons_gold, articles_dir, name)
        if not as_json:
            scores = {k: (sum(map(len, v.values())) if isinstance(v, dict) and k in ("misses", "extras") else v)
                      for k, v in scores.items()}
        results[f"rmrb2019_{name}"] = scores
    if as_json:
        echo_json(results)
        return
    for section, values in results.items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, dict):
                click.echo(f"  {key:14} " + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                                      for k, v in value.items()))
            else:
                click.echo(f"  {key:14} {value:.3f}" if isinstance(value, float) else f"  {key:14} {value}")


@eval_group.command("registry")
@click.option("--gold", "registry_gold", type=click.Path(file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent / "corpus" / "registry", show_default=True,
              help="Gold registry folder: articles.txt and gold.jsonl (corpus/registry/README.md).")
@click.option("--data", "shared_data", type=click.Path(file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent.parent / "shared" / "data", show_default=True,
              help="Folder holding peoples_daily_2019/ and peoples_daily_1998_01/.")
@click.option("--part", type=click.Choice(["dev", "heldout", "all", "both"]), default="both", show_default=True,
              help="Which part of the gold to score (both: dev and heldout).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores, misses and extras as JSON.")
def eval_registry(registry_gold, shared_data, part, as_json):
    """The officials registry built from the gold's articles against the gold registry: (person,
    post) pairs, person clustering (B-cubed over mentions) and appointment events."""
    from newsnlp import registry_eval

    if not (registry_gold / "gold.jsonl").is_file() or not (registry_gold / "articles.txt").is_file():
        click.echo(f"skipping the registry gold: {registry_gold}/gold.jsonl or articles.txt not found", err=True)
        return
    if not shared_data.is_dir():
        click.echo(f"skipping the registry gold: data folder {shared_data} not found", err=True)
        return
    parts = ["dev", "heldout"] if part == "both" else [part]
    results = registry_eval.evaluate(registry_gold, shared_data, parts=parts)
    if as_json:
        echo_json(results)
        return
    click.echo(f"{results['articles']} articles")
    for name in parts:
        r = results[name]
        click.echo(f"[{name}] {r['articles']} articles, people: {r['people_gold']} gold / {r['people_predicted']} predicted")
        for key in ("pairs", "bcubed", "events"):
            s = r[key]
            extra = (f"  gold {s['gold']}  predicted {s['predicted']}" if "gold" in s else f"  mentions {s['mentions']}")
            click.echo(f"  {key:7} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}{extra}")


# --- extract commands (issue: extraction) ---

def _time_money_options(f):
    """``--cases DIR --gold DIR --json`` shared by ``eval dates`` and ``eval figures``."""
    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    f = click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")(f)
    f = click.option("--seed", type=click.Path(file_okay=False, path_type=Path), default=shared / "seed",
                     show_default=True, help="Folder with page.gold-articles.json and page.gold-facts.json.")(f)
    return click.option("--cases", type=click.Path(file_okay=False, path_type=Path),
                        default=shared / "data" / "time_money_cases", show_default=True,
                        help="Folder of the JioNLP/cn2an/Time-NLP case files.")(f)


def _run_time_money_eval(score_page, score_cases, cases, seed, as_json, extra=None):
    from newsnlp.errors import InputError

    articles, facts = seed / "page.gold-articles.json", seed / "page.gold-facts.json"
    if not (articles.is_file() and facts.is_file()) or not cases.is_dir():
        raise InputError(f"gold data not found: need {articles}, {facts} and {cases}/")
    page = score_page(json.loads(articles.read_text(encoding="utf-8")), json.loads(facts.read_text(encoding="utf-8")))
    scores = {"sample_page": page, "cases": score_cases(cases), **(extra or {})}
    if as_json:
        echo_json(scores)
        return
    for section, values in scores.items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            click.echo(f"  {key:34} {value:.4f}" if isinstance(value, float) else f"  {key:34} {value}")


@eval_group.command("dates")
@_time_money_options
@click.option("--gold", "date_gold", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent / "corpus" / "dates" / "rmrb2019.jsonl",
              show_default=True, help="Date gold of People's Daily 2019 articles (corpus/dates/README.md).")
@click.option("--part", type=click.Choice(["dev", "heldout", "all"]), default="dev", show_default=True,
              help="Which part of the date gold to score; heldout is for the final figure only.")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "peoples_daily_2019",
              show_default=True, help="Folder of rmrb_2019_*_articles.jsonl.gz that the gold points into.")
def eval_dates(cases, seed, as_json, date_gold, part, articles_dir):
    """Dates: F1 on the sample page's gold facts, agreement with JioNLP/Time-NLP cases, span
    agreement with the TIME spans of People's Daily 1998-01 (when ../peoples_daily_1998_01 is beside CASES),
    and P/R/F1 of (start, value, end) on the People's Daily 2019 date gold (--gold, --part)."""
    from newsnlp.extract.dates import score_gold_dates, score_peoples_daily, score_seed_page, score_time_cases

    people = cases.parent / "peoples_daily_1998_01"
    extra = {"peoples_daily_1998_01": score_peoples_daily(people)} if people.is_dir() else {}
    if not date_gold.is_file():
        click.echo(f"skipping the 2019 date gold: {date_gold} not found", err=True)
    elif not articles_dir.is_dir():
        click.echo(f"skipping the 2019 date gold: articles folder {articles_dir} not found", err=True)
    else:
        for name in (["dev", "heldout"] if part == "all" else [part]):
            scores = score_gold_dates(date_gold, articles_dir, name)
            if not as_json:  # the lists of misses and extras only in --json
                scores = {k: (len(v) if isinstance(v, list) else v) for k, v in scores.items()}
            extra[f"rmrb2019_dates_{name}"] = scores
    _run_time_money_eval(score_seed_page, score_time_cases, cases, seed, as_json, extra)


@eval_group.command("figures")
@_time_money_options
def eval_figures(cases, seed, as_json):
    """Figures: (value, unit) F1 on the sample page's gold facts and agreement with JioNLP money/cn2an cases."""
    from newsnlp.extract.figures import score_money_cases, score_seed_page

    _run_time_money_eval(score_seed_page, score_money_cases, cases, seed, as_json)


@cli.command("extract")
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--date", "publication_date", callback=iso_date, help="Publication date YYYY-MM-DD for relative dates.")
@click.option("--userdict", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="jieba user dictionary (word [freq] [tag] per line) added to the shipped one.")
def extract_command(file, publication_date, userdict):
    """Extract facts from FILE (or stdin), one document per line, as JSON lines.

    Each output line holds entities, figures, dates, officials and quoted_terms, with
    offsets into the input line (without its line ending).  A blank input line gives a
    line of empty lists, so output line N always belongs to input line N.
    """
    import contextlib

    from newsnlp import extract

    if str(file) == "-":
        name, stream = "<stdin>", contextlib.nullcontext(sys.stdin.buffer)
    else:
        name = str(file)
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    def flush(batch: list[str]) -> None:
        # lines go through the model in batches: one-sentence lines pay no per-call set-up each
        found = extract.analyze_many(batch, publication_date=publication_date, userdict=userdict)
        out.write("".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in found))
        out.flush()
        batch.clear()

    out = click.get_text_stream("stdout")
    batch: list[str] = []
    with stream as lines:
        for number, raw in enumerate(lines, 1):
            if b"\0" in raw:
                flush(batch)  # every line before the bad one is answered
                raise click.ClickException(f"{name}: line {number} is binary data, not text")
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                flush(batch)
                raise click.ClickException(f"{name}: line {number} is not UTF-8 text") from None
            if number == 1:
                line = line.lstrip("\ufeff")
            batch.append(line)
            if len(batch) >= EXTRACT_BATCH_LINES:
                flush(batch)
    flush(batch)


@eval_group.command("seg")
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="SIGHAN 2005 icwb2 folder [default: ../shared/data/sighan2005_icwb2].")
@click.option("--userdict", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra user dictionary to score on top of the shipped one.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_seg(data, userdict, as_json):
    """Word P/R/F1 of plain jieba and of newsnlp's dictionary on SIGHAN 2005 PKU and MSR test."""
    from newsnlp import segment

    path = data or Path("..") / "shared" / "data" / "sighan2005_icwb2"
    results = segment.evaluate_sighan(path, userdict=userdict)
    if as_json:
        echo_json(results)
        return
    click.echo(f"{'set':4} {'setup':8} {'P':>6} {'R':>6} {'F1':>6} {'words':>7}")
    for name, setups in results.items():
        for setup, s in setups.items():
            click.echo(f"{name:4} {setup:8} {s['precision']:6.4f} {s['recall']:6.4f} {s['f1']:6.4f} {s['words']:7d}")


@eval_group.command("ner")
@click.option("--data", "data", default=None,
              help="BIO file (char<TAB>tag), or 'pd1998' for People's Daily January 1998 (199801.txt) "
                   "converted to MSRA conventions [default: ../shared/data/msra_ner/msra_test_bio.txt].")
@click.option("--days", default=None, help="With --data pd1998: days of January to score, e.g. 21-31 [default: all].")
@click.option("--pd1998-dir", type=click.Path(path_type=Path), default=None,
              help="Folder holding 199801.txt [default: ../shared/data/peoples_daily_1998_01].")
@click.option("--baseline", is_flag=True, help="Also score jieba's POS tags (nr/ns/nt) as names.")
@click.option("--model-only", is_flag=True, help="Also score the CRF model without the organisation rules.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_ner(data, days, pd1998_dir, baseline, model_only, as_json):
    """Entity-level exact-match P/R/F1 per type (PER, LOC, ORG) on MSRA NER test or People's Daily 1998."""
    from newsnlp.errors import InputError
    from newsnlp.extract import ner_eval

    systems = {"newsnlp": ner_eval.predict_shipped}
    if model_only:
        systems["crf-only"] = ner_eval.predict_model
    if baseline:
        systems["jieba-pos"] = ner_eval.predict_jieba
    if data == "pd1998":
        source = pd1998_dir or Path("..") / "shared" / "data" / "peoples_daily_1998_01"
        day_set = ner_eval.parse_days(days) if days else None
        results = {name: ner_eval.score_examples(ner_eval.pd1998_examples(source, days=day_set), predict)
                   for name, predict in systems.items()}
    else:
        if days or pd1998_dir:
            raise InputError("--days and --pd1998-dir go with --data pd1998")
        path = Path(data) if data else Path("..") / "shared" / "data" / "msra_ner" / "msra_test_bio.txt"
        results = {name: ner_eval.score(path, predict) for name, predict in systems.items()}
    if as_json:
        echo_json(results)
        return
    click.echo(f"{'system':10} {'type':8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    for name, scores in results.items():
        for kind, s in scores.items():
            click.echo(f"{name:10} {kind:8} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
                       f"{s['gold']:6d} {s['predicted']:6d}")


# --- topics commands (issue: topics) ---

def shared_data_option(f):
    """``--shared-data DIR``: where ids of public data sets (People's Daily 1998, THUCNews) are resolved."""
    return click.option(
        "--shared-data", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Public data sets that record ids refer to [default: ../shared/data beside the repository].",
    )(f)


@cli.group("topics")
def topics_group():
    """Train topic models and discover topics in an archive."""


@topics_group.command("train")
@click.option("--data", "data", multiple=True, required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled JSONL or CSV (repeatable): {text, headline?, labels} or {id, labels}.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Model file to write.")
@click.option("--threshold", default=0.3, show_default=True, type=click.FloatRange(0, 1),
              help="Probability a secondary label needs.")
@click.option("-C", "c", default=16.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Inverse regularisation strength of the logistic regressions.")
@shared_data_option
def topics_train(data, out, threshold, c, shared_data):
    """Train a topic model on labelled records and write it to --out.

    Records whose "split" is "heldout" are left out; a "weight" field scales a record.
    """
    from newsnlp import topics

    records = [r for path in data for r in topics.read_records(path, shared_data=shared_data, split="train")]
    click.echo(f"training on {len(records)} records ...", err=True)
    model = topics.train(records, threshold=threshold, c=c)
    topics.save(model, out)
    counts = ", ".join(f"{k} {v}" for k, v in model.info["primary_counts"].items())
    click.echo(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB; {len(model.labels)} labels: {counts})")


@topics_group.command("discover")
@archive_option
@click.option("-k", "k", default=20, show_default=True, type=click.IntRange(min=1), help="Number of topics.")
@click.option("--top-words", default=10, show_default=True, type=click.IntRange(min=1), help="Words shown per topic.")
@click.option("--json", "as_json", is_flag=True, help="Print the topics as JSON.")
def topics_discover(archive, k, top_words, as_json):
    """Fit NMF topics over the archive's articles: top words and article counts by month."""
    from newsnlp import topics

    found = topics.discover(topics.archive_items(resolve_archive(archive)), k=k, top_words=top_words)
    if as_json:
        echo_json(found)
        return
    for t in found:
        months = "  ".join(f"{m}:{n}" for m, n in t["by_month"].items())
        click.echo(f"{t['topic']:>3}  {t['articles']:>5} articles  {' '.join(t['top_words'])}")
        if months:
            click.echo(f"     {months}")


@eval_group.command("topics")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Topics model file [default: the shipped model].")
@click.option("--split", default=None, help='Only records whose "split" field has this value (e.g. heldout).')
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@shared_data_option
def eval_topics(gold, model_path, split, as_json, shared_data):
    """Score a topics model on GOLD.jsonl/csv: top-1 accuracy, micro and macro F1, confusions."""
    from newsnlp import topics

    records = topics.read_records(gold, shared_data=shared_data, split=split)
    scores = topics.evaluate(topics.load_model(model_path), records)
    if as_json:
        echo_json(scores)
        return
    for key in ("articles", "top1_accuracy", "micro_f1", "macro_f1"):
        click.echo(f"{key:16} {scores[key]}")
    click.echo(f"\n{'label':16} {'prec':>6} {'rec':>6} {'f1':>6} {'gold':>5}")
    for label, s in scores["per_label"].items():
        click.echo(f"{label:16} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:5}")
    if scores["confusion"]:
        click.echo("\nprimary label errors (gold -> predicted):")
        for c in scores["confusion"][:15]:
            click.echo(f"  {c['count']:3}  {c['gold']} -> {c['predicted']}")

# --- index commands (issue: index) ---


def _partial_date(ctx, param, value):
    """Click callback: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None:
        return None
    from newsnlp.index.search import date_bounds

    try:
        date_bounds(value)
    except NewsnlpError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@cli.command()
@click.argument("query", nargs=-1)
@archive_option
@click.option("--from", "date_from", callback=_partial_date, metavar="DATE", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_partial_date, metavar="DATE", help="Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--topic", multiple=True, help="Only articles with this topic (repeat for any of several).")
@click.option("--person", multiple=True, help="Only articles naming this person.")
@click.option("--place", multiple=True, help="Only articles naming this place.")
@click.option("--org", multiple=True, help="Only articles naming this organisation.")
@click.option("--reporter", multiple=True, help="Only articles by this reporter.")
@click.option("--paper", multiple=True, help="Only articles of this newspaper.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True, help="Hits to print.")
@click.option("--facets", default="", metavar="LIST", help="Counts to print: comma-separated topic,person,place,org,year,paper,reporter.")
@click.option("--json", "as_json", is_flag=True, help="Print {total, hits, facets} as JSON.")
def search(query, archive, date_from, date_to, topic, person, place, org, reporter, paper, sort, limit, facets, as_json):
    """Search the archive: words, "phrases", AND/OR/NOT, field:value (headline, person, place, org, topic...)."""
    from newsnlp.index import Archive

    result = Archive(resolve_archive(archive)).search(
        " ".join(query), date_from=date_from, date_to=date_to, topic=list(topic), person=list(person),
        place=list(place), org=list(org), reporter=list(reporter), paper=list(paper), sort=sort,
        limit=limit, facets=[f for f in facets.split(",") if f.strip()])
    if as_json:
        echo_json(result.to_dict())
        return
    tty = sys.stdout.isatty()
    before, after = ("\x1b[1;31m", "\x1b[0m") if tty else ("[", "]")
    bold = (lambda t: click.style(t, bold=True)) if tty else (lambda t: t)
    click.echo(f"{result.total} article{'s' if result.total != 1 else ''}")
    for rank, hit in enumerate(result.hits, 1):
        where = " ".join(x for x in (hit.paper, f"p.{hit.page}" if hit.page else None) if x)
        click.echo(f"\n{rank:>2}. {hit.publication_date or '????-??-??'}  {where}  {bold(hit.headline or '(no headline)')}")
        click.echo(f"    {hit.marked_snippet(before, after)}")
        click.echo(f"    id {hit.id}" + (f"  topics: {', '.join(hit.topics)}" if hit.topics else ""))
    for name, counts in result.facets.items():
        click.echo(f"\n{name}: " + ("  ".join(f"{c.value} ({c.count})" for c in counts) or "-"))


@cli.command()
@click.argument("article_id")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def show(article_id, archive, as_json):
    """Print one article (by id, as `search` lists them) with its facts."""
    from newsnlp.index import Archive

    found = Archive(resolve_archive(archive)).get(article_id)
    a = found.article
    if as_json:
        echo_json({"paper": found.paper, "page": found.page, "section": found.section,
                   "publication_date": found.publication_date, "source": found.source,
                   "position": found.position, **a.to_dict()})
        return
    click.echo(click.style(a.title or "(no headline)", bold=sys.stdout.isatty()))
    for extra in (a.kicker, a.subtitle):
        if extra:
            click.echo(extra)
    click.echo(f"{found.publication_date or '?'}  {found.paper or ''} {('p.' + found.page) if found.page else ''}"
               f"  {found.source or ''} #{found.position}")
    if a.byline:
        click.echo(a.byline)
    click.echo("")
    for block in a.body:
        click.echo(("## " if block.kind == "subhead" else "") + block.text)
    facts = [
        ("topics", [f"{t.label} ({t.score:.2f})" for t in a.topics]),
        ("persons", [e.text for e in a.entities if e.type == "person"]),
        ("places", [e.text for e in a.entities if e.type == "place"]),
        ("orgs", [e.text for e in a.entities if e.type == "org"]),
        ("officials", [f"{o.name} {o.title}" + (f" ({o.org})" if o.org else "") for o in a.officials]),
        ("quoted terms", [f"{q.term} x{q.count}" for q in a.quoted_terms]),
        ("figures", [f.text for f in a.figures]),
        ("dates", [f"{d.text}={d.value}" for d in a.dates]),
    ]
    click.echo("")
    for name, values in facts:
        if values:
            click.echo(f"{name}: {', '.join(dict.fromkeys(values))}")


@cli.command()
@archive_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Persons and organisations to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(archive, top, as_json):
    """Counts of the archive by year, paper and topic; the most frequent persons and organisations."""
    from newsnlp.index import Archive

    st = Archive(resolve_archive(archive)).stats(top=top)
    if as_json:
        echo_json(st.to_dict())
        return
    click.echo(f"articles {st.articles}   pages {st.pages}")
    sections = [("by year", list(st.by_year.items())), ("by paper", list(st.by_paper.items())),
                ("by topic", list(st.by_topic.items())),
                ("top persons", [(f.value, f.count) for f in st.top_persons]),
                ("top organisations", [(f.value, f.count) for f in st.top_orgs])]
    for title, rows in sections:
        click.echo(f"\n{title}:")
        if not rows:
            click.echo("  -")
        for value, count in rows:
            click.echo(f"  {value:<20} {count:>8}")

# --- officials registry (issue #18) ---


def _registry(archive):
    from newsnlp.registry import open_registry

    return open_registry(resolve_archive(archive))


def _post_label(post: dict) -> str:
    from newsnlp.registry import join_place

    return join_place(post["place"], post["org"]) + post["title"]


def _echo_people(people: list[dict], *, articles: bool) -> None:
    if not people:
        click.echo("no officials found")
    for person in people:
        click.echo(click.style(person["name"], bold=sys.stdout.isatty()) + f"  ({person['id']})")
        rows = [(p["first_seen"] or "?", p["last_seen"] or "?", _post_label(p),
                 f"{p['mentions']} mention{'s' if p['mentions'] != 1 else ''}",
                 " ".join(p["articles"]) if articles else "") for p in person["posts"]]
        for e in person["events"]:
            rows.append((e["date"] or "?", "", f"[{e['kind']}] {e['org']}{e['title']}", "", e["article"] if articles else ""))
        for first, last, label, count, ids in sorted(rows, key=lambda r: (r[0], r[1])):
            span = f"{first} .. {last}" if last else first
            click.echo(f"  {span:24} {label}  {count}  {ids}".rstrip())


@cli.group("officials", invoke_without_command=True)
@archive_option
@click.option("--name", default=None, help="Only people of this name.")
@click.option("--org", default=None, help="Only posts in this organisation (扶沟县委, or 县委 of any place).")
@click.option("--place", default=None, help="Only posts in this place (扶沟县).")
@click.option("--title", default=None, help="Only posts with this title (书记, 局长; 副 posts match too).")
@click.option("--from", "date_from", callback=_partial_date, metavar="DATE", help="Only posts seen on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_partial_date, metavar="DATE", help="Only posts seen on or before (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help='Print {"people": [...]} as JSON.')
@click.pass_context
def officials_group(ctx, archive, name, org, place, title, date_from, date_to, as_json):
    """The officials registry: people, the posts they held (first and last seen) and their appointments.

    Without a subcommand, lists people and their posts; `officials show NAME` prints a
    timeline and `officials who --title T --org O --date D` the holders of a post."""
    ctx.ensure_object(dict)
    ctx.obj["archive"] = archive
    if ctx.invoked_subcommand is not None:
        return
    with _registry(archive) as reg:
        people = reg.people(name=name, org=org, place=place, title=title, date_from=date_from, date_to=date_to)
    if as_json:
        echo_json({"people": people})
        return
    _echo_people(people, articles=False)


@officials_group.command("show")
@click.argument("name")
@archive_option
@click.option("--json", "as_json", is_flag=True, help='Print {"people": [...]} as JSON.')
@click.pass_context
def officials_show(ctx, name, archive, as_json):
    """Timeline of NAME (or a person id): posts in date order with events and article ids."""
    with _registry(archive or (ctx.obj or {}).get("archive")) as reg:
        people = reg.timeline(name)
    if as_json:
        echo_json({"people": people})
        return
    if not people:
        raise click.ClickException(f"no official named {name!r} in the registry")
    _echo_people(people, articles=True)


@officials_group.command("who")
@click.option("--title", required=True, help="The post's title (书记, 县长, 副市长).")
@click.option("--org", default=None, help="The organisation (扶沟县委, 周口市财政局, 国务院).")
@click.option("--place", default=None, help="The place, when --org leaves it open.")
@click.option("--date", "date", default=None, callback=iso_date, help="YYYY-MM-DD [default: any time].")
@archive_option
@click.option("--json", "as_json", is_flag=True, help='Print {"holders": [...]} as JSON.')
@click.pass_context
def officials_who(ctx, title, org, place, date, archive, as_json):
    """Who held the post --title in --org on --date (seen in it then, or appointed to it before)."""
    with _registry(archive or (ctx.obj or {}).get("archive")) as reg:
        holders = reg.who(title=title, org=org, date=date, place=place)
    if as_json:
        echo_json({"holders": holders})
        return
    if not holders:
        click.echo("no holder found")
    for h in holders:
        click.echo(f"{h['name']}  ({h['id']})  {_post_label(h)}  {h['first_seen'] or '?'} .. {h['last_seen'] or '?'}"
                   f"  [{h['basis']}]  {' '.join(h['articles'])}")


# --- export commands (issue: export) ---


@cli.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
def serve(archive, host, port):
    """Serve a read-only search page over the archive, with a JSON API under /api/."""
    try:
        from newsnlp.web import create_app
    except ImportError as exc:
        raise click.ClickException(f"serve needs Flask ({exc}): pip install 'newsnlp[web]'") from None

    app = create_app(resolve_archive(archive))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: other machines can read this archive.", err=True)
    click.echo(f"Serving {resolve_archive(archive)} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        app.run(host=host, port=port, threaded=True, debug=False, load_dotenv=False)
    except OSError as exc:  # port taken, address not ours
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@cli.command("export")
@archive_option
@click.option("--what", "what", default=None, metavar="KIND[,KIND]",
              help="articles, officials, figures, dates, entities, quoted_terms, topics, or from the officials "
                   "registry posts, tenures, appointments "
                   "[default: articles; every kind for sqlite]. Several only with --format sqlite.")
@click.option("--format", "fmt", default="jsonl", show_default=True, metavar="FORMAT",
              help="jsonl, csv, parquet (needs pyarrow) or sqlite (one table per kind + FTS5 over articles).")
@click.option("--query", "-q", default=None, help="Only articles matching this search query (as `newsnlp search`).")
@click.option("--from", "date_from", callback=_partial_date, metavar="DATE", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_partial_date, metavar="DATE", help="Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--topic", multiple=True, help="Only articles with this topic (repeat for any of several).")
@click.option("--person", multiple=True, help="Only articles naming this person.")
@click.option("--place", multiple=True, help="Only articles naming this place.")
@click.option("--org", multiple=True, help="Only articles naming this organisation.")
@click.option("--reporter", multiple=True, help="Only articles by this reporter.")
@click.option("--paper", multiple=True, help="Only articles of this newspaper.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file [default: stdout for jsonl/csv]; written whole, then renamed into place.")
@click.option("--bom", is_flag=True, help="Start CSV with a UTF-8 byte order mark (for Excel and other spreadsheets).")
def export_command(archive, what, fmt, query, date_from, date_to, topic, person, place, org, reporter, paper, output, bom):
    """Export every matching article's facts as rows with provenance (streamed, any archive size).

    One row per fact; every row names its article_id, paper, publication_date, page, section,
    headline, source and newsnlp_version.  Without --query or filters, the whole archive.
    """
    from newsnlp import export as export_mod

    fmt = fmt.lower()
    if fmt not in export_mod.FORMATS:
        raise click.ClickException(f"unknown --format {fmt!r} (choose from {', '.join(export_mod.FORMATS)})")
    if what is None:
        kinds = list(export_mod.ALL_KINDS) if fmt == "sqlite" else ["articles"]
    else:
        kinds = [k for k in what.split(",") if k.strip()]
    if bom and fmt != "csv":
        raise click.ClickException("--bom applies to --format csv only")
    try:
        report = export_mod.export(
            resolve_archive(archive), output, kinds=kinds, fmt=fmt, query=query, bom=bom,
            progress=sys.stderr.isatty(), date_from=date_from, date_to=date_to, topic=list(topic),
            person=list(person), place=list(place), org=list(org), reporter=list(reporter), paper=list(paper))
    except BrokenPipeError:  # `newsnlp export | head`
        sys.stderr.close()
        sys.exit(0)
    click.echo(report.summary(), err=True)


def main() -> None:
    cli(prog_name="newsnlp")
