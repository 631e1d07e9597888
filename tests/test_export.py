"""newsnlp export and newsnlp.load: round trips through every format, filters, errors."""
from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsnlp import __version__
from newsnlp.cli import cli
from newsnlp.errors import ArchiveError
from newsnlp.export import COLUMNS, KINDS, ExportError, export
from newsnlp.facts import load
from newsnlp.model import Article, Block, DateMention, Entity, Figure, Official, Page, QuotedTerm, Topic


def _article(n: int, person: str, topic: str, *, figures=True) -> Article:
    text = [f"第{n}段，记者“{person}”报道，含逗号,引号\"和换行。", "第二段：资金3.5亿元，约20%。"]
    body = [Block("p", t) for t in text]
    full = "\n".join(text)
    start = full.index("3.5亿元")
    return Article(
        id=f"art{n:03d}", headline=[f"标题{n}", "第二行"], kicker=None if n % 2 else "引题",
        byline=f"本报记者 {person}", reporters=[person, "合写者"], body=body,
        entities=[Entity(person, "person", 6, 6 + len(person)),
                  Entity("该局", "org", 0, 2, refers_to="某市教育局")],
        figures=[Figure("3.5亿元", 350000000.0, "元", False, "资金", start, start + 6),
                 Figure("约20%", 20.0, "%", True, None, start + 7, start + 11, value_max=None),
                 Figure("3至5个", 3.0, "个", False, None, 1, 5, value_max=5.0)] if figures else [],
        dates=[DateMention("今年7月", "2022-07", "month", 0, 4),
               DateMention("7月至9月", "2022-07", "period", 5, 10, end="2022-09")],
        officials=[Official(person, "局长", "某市教育局", "局长说，\"好\"。"),
                   Official("无名", "主任", None, "主任说。")],
        quoted_terms=[QuotedTerm("双减", 2)],
        topics=[Topic(topic, 0.91), Topic("社会", 0.42)],
    )


PAGES = [
    Page(source="/papers/a-2022-10-12.txt", paper="江州日报", page="1", publication_date="2022-10-12",
         section="要闻", articles=[_article(1, "张伟", "教育"), _article(2, "李娜", "经济")]),
    Page(source="/papers/b-2021-03-01.txt", paper="临川晚报", page="A2", publication_date="2021-03-01",
         section=None, articles=[_article(3, "王强", "教育", figures=False)]),
    Page(source="/papers/c-nodate.txt", articles=[_article(4, "刘洋", "体育")]),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    from newsnlp.index import Archive

    path = tmp_path_factory.mktemp("archive")
    Archive(path).add_pages(PAGES)
    return path


def expected(archive: Path, kind: str, article_ids=None) -> list[dict]:
    """The rows of ``kind`` computed straight from the page JSON files (not through export)."""
    rows = []
    for path in sorted((archive / "pages").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        for position, a in enumerate(page["articles"]):
            if article_ids is not None and a["id"] not in article_ids:
                continue
            prov = {"article_id": a["id"], "paper": page["paper"], "publication_date": page["publication_date"],
                    "page": page["page"], "section": page["section"], "headline": "".join(a["headline"]),
                    "source": page["source"]}
            if kind == "articles":
                facts = [{"position": position, "kicker": a["kicker"], "subtitle": a["subtitle"],
                          "dateline": a["dateline"], "byline": a["byline"], "reporters": "; ".join(a["reporters"]),
                          "topics": "; ".join(t["label"] for t in a["topics"]), "chars": len(a["text"]),
                          "text": a["text"]}]
            elif kind == "dates":
                facts = [{"seq": i, "text": d["text"], "value": d["value"], "value_end": d["end"],
                          "granularity": d["granularity"], "start": d["start"], "end": d["end_offset"],
                         "basis": d.get("basis")}
                         for i, d in enumerate(a["dates"])]
            else:
                facts = [{"seq": i, **f} for i, f in enumerate(a[kind])]
            for fact in facts:
                rows.append({**prov, **fact, "newsnlp_version": __version__})
    return rows


def _typed(kind: str, row: dict) -> dict:
    """A CSV row with its declared types back (empty -> None)."""
    out = {}
    for name, typ in COLUMNS[kind]:
        v = row[name]
        if v == "":
            out[name] = None if name not in ("reporters", "topics", "text") else ""
        elif typ == "int":
            out[name] = int(v)
        elif typ == "float":
            out[name] = float(v)
        elif typ == "bool":
            out[name] = {"true": True, "false": False}[v]
        else:
            out[name] = v
    return out


def read_back(path: Path, fmt: str, kind: str) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            return [_typed(kind, r) for r in csv.DictReader(f)]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute(f"SELECT * FROM [{kind}] ORDER BY rowid")]
    for r in rows:
        for name, typ in COLUMNS[kind]:
            if typ == "bool" and r[name] is not None:
                r[name] = bool(r[name])
    return rows


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "sqlite"])
@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_every_format_gives_the_page_json_facts(archive, tmp_path, fmt, kind):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"out.{fmt}"
    report = export(archive, out, kinds=[kind], fmt=fmt)
    want = expected(archive, kind)
    got = read_back(out, fmt, kind)
    assert len(want) > 0 and report.rows[kind] == len(want) == len(got)
    assert [list(r) for r in got][0] == [n for n, _ in COLUMNS[kind]]
    assert got == want
    assert report.articles == 4


def test_cli_writes_jsonl_to_stdout_and_summary_to_stderr(archive):
    result = CliRunner().invoke(cli, ["export", "--archive", str(archive), "--what", "officials"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 8 and {r["name"] for r in lines} >= {"张伟", "刘洋", "无名"}
    assert "exported 8 officials rows from 4 articles" in result.stderr


def test_cli_csv_with_bom_opens_as_utf8_sig(archive, tmp_path):
    out = tmp_path / "figures.csv"
    result = CliRunner().invoke(cli, ["export", "--archive", str(archive), "--what", "figures",
                                      "--format", "csv", "--bom", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "3.5亿元".encode() in raw
    with open(out, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header[0] == "article_id" and header[-1] == "newsnlp_version"
    assert not list(tmp_path.glob(".*.tmp"))


def test_sqlite_has_a_table_per_kind_and_fts_over_articles(archive, tmp_path):
    out = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["export", "--archive", str(archive), "--format", "sqlite", "-o", str(out)])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(out)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(KINDS) | {"articles_fts", "export_info"} <= tables
    hits = db.execute("SELECT a.article_id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                      "WHERE articles_fts MATCH ? ORDER BY 1", ['"李娜”报道"']).fetchall()
    assert hits == [("art002",)]
    joined = db.execute("SELECT o.name, a.paper FROM officials o JOIN articles a USING (article_id) "
                        "WHERE o.title = '局长' ORDER BY o.name").fetchall()
    assert joined == [("刘洋", None), ("张伟", "江州日报"), ("李娜", "江州日报"), ("王强", "临川晚报")]
    assert dict(db.execute("SELECT key, value FROM export_info"))["newsnlp_version"] == __version__


def test_filtered_export_keeps_only_matching_articles(archive, tmp_path):
    out = tmp_path / "edu.jsonl"
    result = CliRunner().invoke(cli, ["export", "--archive", str(archive), "--what", "entities",
                                      "--topic", "教育", "--from", "2022", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = read_back(out, "jsonl", "entities")
    assert got == expected(archive, "entities", {"art001"})
    person = export(archive, tmp_path / "p.jsonl", kinds=["articles"], person=["王强", "刘洋"])
    assert person.articles == 2
    assert {r["article_id"] for r in read_back(tmp_path / "p.jsonl", "jsonl", "articles")} == {"art003", "art004"}
    none = export(archive, tmp_path / "none.jsonl", kinds=["articles"], query="不存在的词语组合")
    assert none.articles == 0 and (tmp_path / "none.jsonl").read_text() == ""


def test_stale_index_skips_articles_whose_page_is_gone(tmp_path):
    from newsnlp.index import Archive
    from newsnlp.store import PageStore

    Archive(tmp_path).add_pages(PAGES)
    PageStore(tmp_path).path_for(PAGES[0]).unlink()
    report = export(tmp_path, tmp_path / "x.jsonl", kinds=["articles"], topic=["教育"])
    assert report.articles == 1 and report.missing == 1 and "missing" in report.summary()


def test_unfiltered_export_needs_no_index(archive, tmp_path):
    from newsnlp.store import PageStore

    for page in PAGES:
        PageStore(tmp_path).save(page)
    assert export(tmp_path, tmp_path / "q.jsonl", kinds=["quoted_terms"]).rows == {"quoted_terms": 4}


@pytest.mark.parametrize("args, message", [
    (["--what", "people"], "unknown kind 'people' for --what"),
    (["--format", "xlsx"], "unknown --format 'xlsx'"),
    (["--format", "parquet"], "pass -o FILE"),
    (["--what", "officials,figures", "--format", "csv"], "holds one kind"),
    (["--bom"], "--bom applies to --format csv only"),
    (["--query", '"unbalanced'], "unbalanced quote"),
])
def test_cli_errors_are_one_line(archive, args, message):
    result = CliRunner().invoke(cli, ["export", "--archive", str(archive), *args])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_missing_archive_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--archive", str(tmp_path / "nope")])
    assert result.exit_code == 1 and result.output.startswith("Error: no archive at")
    with pytest.raises(ArchiveError):
        load(tmp_path / "nope")


def test_parquet_without_pyarrow_says_how_to_install(archive, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ExportError, match=r"pip install 'newsnlp\[parquet\]'"):
        export(archive, tmp_path / "x.parquet", fmt="parquet")
    assert not list(tmp_path.iterdir())


def test_failed_export_leaves_the_old_file_and_no_temp(archive, tmp_path, monkeypatch):
    import newsnlp.export as export_mod

    out = tmp_path / "x.db"
    out.write_text("old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_mod, "_topic_tuples", boom)
    monkeypatch.setitem(export_mod._ROWS, "topics", boom)
    with pytest.raises(RuntimeError):
        export(archive, out, kinds=["articles", "topics"], fmt="sqlite")
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.db"]


def test_load_returns_row_dataclasses_or_frames(archive):
    tables = load(archive)
    rows = tables.officials(as_frame=False)
    assert [(r.article_id, r.name, r.org) for r in rows] == [
        (e["article_id"], e["name"], e["org"]) for e in expected(archive, "officials")]
    assert tables.figures(as_frame=False, paper=["临川晚报"]) == []
    streamed = tables.rows("dates", date_to="2021-12")
    assert not isinstance(streamed, list)
    assert [(r.article_id, r.value_end) for r in streamed] == [("art003", None), ("art003", "2022-09")]
    pd = pytest.importorskip("pandas")
    frame = tables.figures()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [n for n, _ in COLUMNS["figures"]]
    assert frame["value"].sum() == pytest.approx(3 * (350000000.0 + 20.0 + 3.0))
    assert frame["approx"].sum() == 3
    assert len(tables.articles(query="标题")) == 4
