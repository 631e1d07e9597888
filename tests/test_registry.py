"""The officials registry (issue #18): resolution rules, events, incremental updates, CLI and export.

Every page and sentence here is made up.  Most articles carry their officials and entities
explicitly (so the rules are tested, not the tagger); one test goes through ingest and the
real extractor.
"""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest
from click.testing import CliRunner

from newsnlp import registry
from newsnlp.cli import cli
from newsnlp.export import COLUMNS, REGISTRY_KINDS, export
from newsnlp.model import Article, Block, Entity, Official, Page
from newsnlp.registry import Post, normalise_post, parse_events, split_place
from newsnlp.store import PageStore


def article(aid: str, text: str, officials=(), places=(), persons=(), addresses=(), dates=()) -> Article:
    """An article whose facts are given: officials (name, title, org), place and person names."""
    entities = []
    for kind, names, form in (("place", places, None), ("person", persons, None), ("person", addresses, "address")):
        for name in names:
            at = text.find(name)
            entities.append(Entity(name, kind, max(at, 0), max(at, 0) + len(name), form=form))
    sentences = [s for s in text.replace("。", "。\n").split("\n") if s]
    offs = []
    for name, title, org in officials:
        sentence = next((s for s in sentences if name in s), text)
        offs.append(Official(name=name, title=title, org=org, sentence=sentence.strip()))
    return Article(id=aid, headline=[f"标题{aid}"], body=[Block("p", text)], entities=entities, officials=offs,
                   dates=list(dates))


def page(source: str, date: str | None, *articles: Article) -> Page:
    return Page(source=source, paper="江州日报", page="1", publication_date=date, articles=list(articles))


def store(archive, *pages: Page) -> None:
    s = PageStore(archive)
    for p in pages:
        s.save(p)
    registry.update(archive, pages)


def people(archive, **kw) -> list[dict]:
    with registry.open_registry(archive) as reg:
        return reg.people(**kw)


def by_name(found: list[dict], name: str) -> list[dict]:
    return [p for p in found if p["name"] == name]


# ---------------------------------------------------------------- posts


@pytest.mark.parametrize("org,expected", [
    ("扶沟县委", ("扶沟县", "县委")),
    ("中共扶沟县委", ("扶沟县", "县委")),
    ("周口市财政局", ("周口市", "市财政局")),
    ("郑州市委", ("郑州市", "市委")),
    ("湖北省武汉市委", ("武汉市", "市委")),
    ("县委", ("", "县委")),
    ("国务院", ("", "国务院")),
    ("中共中央", ("", "中共中央")),
    ("住房和城乡建设局", ("", "住房和城乡建设局")),
    ("农业农村局", ("", "农业农村局")),
])
def test_split_place(org, expected):
    assert split_place(org) == expected


def test_titles_are_normalised():
    assert normalise_post("党委书记", "周口市财政局")[0] == Post("书记", "市财政局", "周口市")
    assert normalise_post("副书记", "周口市财政局党组")[0] == Post("副书记", "市财政局", "周口市")
    assert normalise_post("县长", None)[0] == Post("县长", "县政府")
    assert normalise_post("县长", "西华县人民政府")[0] == Post("县长", "县政府", "西华县")
    context = registry.PlaceContext(["扶沟县", "周口市"])
    post, rules = normalise_post("书记", "县委", context=context)
    assert post == Post("书记", "县委", "扶沟县") and "place:context" in rules


# ---------------------------------------------------------------- resolution


def test_same_name_in_the_same_place_over_time_is_one_person(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2021-01-05", article("a1", "扶沟县委书记张伟主持会议。", [("张伟", "书记", "扶沟县委")],
                                                 places=["扶沟县"])),
          page("/p/2.txt", "2021-06-01", article("a2", "扶沟县召开大会。县委书记张伟讲话。", [("张伟", "书记", "县委")],
                                                 places=["扶沟县"])),
          page("/p/3.txt", "2021-09-09", article("a3", "书记张伟来到田间。", [("张伟", "书记", None)])))
    (person,) = by_name(people(tmp_path), "张伟")
    (post,) = person["posts"]
    assert (post["title"], post["org"], post["place"]) == ("书记", "县委", "扶沟县")
    assert (post["first_seen"], post["last_seen"], post["mentions"]) == ("2021-01-05", "2021-09-09", 3)
    assert post["articles"] == ["a1", "a2", "a3"]


def test_same_name_in_unrelated_places_and_posts_is_two_people(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2021-01-05", article("a1", "周口市财政局局长王伟说。", [("王伟", "局长", "周口市财政局")])),
          page("/p/2.txt", "2021-02-05", article("a2", "西华县第一中学校长王伟说。", [("王伟", "校长", "西华县第一中学")])),
          page("/p/3.txt", "2021-03-05", article("a3", "周口市财政局局长王伟指出。", [("王伟", "局长", "周口市财政局")])))
    found = by_name(people(tmp_path), "王伟")
    assert len(found) == 2
    assert sorted((p["posts"][0]["place"], p["posts"][0]["mentions"]) for p in found) == [("周口市", 2), ("西华县", 1)]
    assert len({p["id"] for p in found}) == 2


def test_one_article_naming_two_posts_links_them(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2020-01-05", article("a1", "扶沟县委书记李强说。", [("李强", "书记", "扶沟县委")])),
          page("/p/2.txt", "2021-01-05", article("a2", "周口市副市长李强说。", [("李强", "副市长", "周口市")])),
          page("/p/3.txt", "2021-05-05", article("a3", "原扶沟县委书记、周口市副市长李强说。",
                                                 [("李强", "书记", "扶沟县委"), ("李强", "副市长", "周口市")])))
    (person,) = by_name(people(tmp_path), "李强")
    assert {(p["title"], p["place"]) for p in person["posts"]} == {("原书记", "扶沟县"), ("书记", "扶沟县"),
                                                                   ("副市长", "周口市")}


def test_surname_and_title_resolved_in_the_article(tmp_path):
    text = "扶沟县委书记谢英奎主持会议。谢书记强调，要抓好秋粮生产。"
    a = article("a1", text, [("谢英奎", "书记", "扶沟县委"), ("谢", "书记", None)], places=["扶沟县"],
                persons=["谢英奎"], addresses=["谢书记"])
    store(tmp_path, page("/p/1.txt", "2022-10-12", a))
    (person,) = people(tmp_path)
    assert person["name"] == "谢英奎" and person["posts"][0]["mentions"] == 2
    db = sqlite3.connect(registry.registry_path(tmp_path))
    assert any("address:article" in r[0] for r in db.execute("SELECT rule FROM links"))


def test_surname_and_title_resolved_by_the_post_at_that_date(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2022-01-05", article("a1", "扶沟县县长王东升说。", [("王东升", "县长", "扶沟县")],
                                                 places=["扶沟县"])),
          page("/p/2.txt", "2022-03-01", article("a2", "扶沟县开展植树活动。王县长带头种树。", [("王", "县长", None)],
                                                 places=["扶沟县"], addresses=["王县长"])))
    (person,) = people(tmp_path)
    assert person["name"] == "王东升"
    assert person["posts"][0]["mentions"] == 2 and person["posts"][0]["articles"] == ["a1", "a2"]
    db = sqlite3.connect(registry.registry_path(tmp_path))
    assert [r[0] for r in db.execute("SELECT rule FROM links WHERE rule LIKE 'address:%'")] == ["address:org-date"]


def test_surname_and_title_with_two_candidates_stays_unresolved(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2022-01-05", article("a1", "扶沟县县长王东升说。", [("王东升", "县长", "扶沟县")])),
          page("/p/2.txt", "2022-02-05", article("a2", "扶沟县县长王北说。", [("王北", "县长", "扶沟县")])),
          page("/p/3.txt", "2022-03-01", article("a3", "扶沟县开展植树活动。王县长带头种树。", [("王", "县长", None)],
                                                 places=["扶沟县"], addresses=["王县长"])))
    found = people(tmp_path)
    assert sorted(p["name"] for p in found) == ["王东升", "王北"]
    assert all(p["posts"][0]["mentions"] == 1 for p in found)


def test_acting_and_former_posts(tmp_path):
    text = "扶沟县召开大会。代县长王东升作报告。原县长刘德华出席。时任县委书记赵强参加。"
    a = article("a1", text, [("王东升", "县长", None), ("刘德华", "县长", None), ("赵强", "书记", "县委")],
                places=["扶沟县"])
    store(tmp_path, page("/p/1.txt", "2022-10-12", a))
    titles = {p["name"]: (p["posts"][0]["title"], p["posts"][0]["org"], p["posts"][0]["place"]) for p in people(tmp_path)}
    assert titles == {"王东升": ("代县长", "县政府", "扶沟县"), "刘德华": ("原县长", "县政府", "扶沟县"),
                      "赵强": ("原书记", "县委", "扶沟县")}
    with registry.open_registry(tmp_path) as reg:  # a former post is nobody's post at that date; acting is
        assert [(h["name"], h["title"]) for h in reg.who(title="县长", org="扶沟县政府", date="2022-10-12")] == [
            ("王东升", "代县长")]
        assert [h["name"] for h in reg.who(title="代县长", org="扶沟县政府", date="2022-10-12")] == ["王东升"]
        assert reg.who(title="书记", org="扶沟县委", date="2022-10-12") == []


# ---------------------------------------------------------------- events


def _events(text: str, date="2022-10-12"):
    a = article("e1", text)
    return [(e.kind, e.person, e.post.title, e.post.org_name, e.date) for e in parse_events(a, date)]


@pytest.mark.parametrize("text,expected", [
    ("会议决定任命张建国为周口市财政局局长。", [("appoint", "张建国", "局长", "周口市财政局", "2022-10-12")]),
    ("会议决定免去李明的周口市财政局局长职务。", [("remove", "李明", "局长", "周口市财政局", "2022-10-12")]),
    ("王华当选为西华县人民政府县长。", [("elect", "王华", "县长", "西华县政府", "2022-10-12")]),
    ("会议提名陈立为淮阳区区长人选。", [("nominate", "陈立", "区长", "淮阳区政府", "2022-10-12")]),
    ("大会选举赵敏为扶沟县人大常委会主任。", [("elect", "赵敏", "主任", "扶沟县人大常委会", "2022-10-12")]),
    ("会议决定：任命张三为周口市教育局局长，李四为周口市民政局局长。",
     [("appoint", "张三", "局长", "周口市教育局", "2022-10-12"), ("appoint", "李四", "局长", "周口市民政局", "2022-10-12")]),
])
def test_appointment_language(text, expected):
    assert _events(text) == expected


def test_hold_needs_a_tagged_name_and_takes_the_day_printed():
    from newsnlp.model import DateMention

    text = "5月10日，陈立任淮阳区委书记。"
    a = article("e1", text, persons=["陈立"], dates=[DateMention("5月10日", "2022-05-10", "day", 0, 5)])
    assert [(e.kind, e.person, e.post.title, e.post.org_name, e.date) for e in parse_events(a, "2022-10-12")] == [
        ("hold", "陈立", "书记", "淮阳区委", "2022-05-10")]
    assert parse_events(article("e2", "，主任刘某某出席。"), "2022-10-12") == []


def test_events_are_listed_with_their_person(tmp_path):
    a = article("a1", "西华县人大常委会决定：任命张建国为西华县财政局局长；免去李明的西华县财政局局长职务。")
    store(tmp_path, page("/p/1.txt", "2022-10-12", a))
    found = {p["name"]: p for p in people(tmp_path)}
    assert found["张建国"]["events"] == [{"kind": "appoint", "title": "局长", "org": "西华县财政局",
                                         "date": "2022-10-12", "article": "a1"}]
    assert found["李明"]["posts"][0]["title"] == "原局长"
    assert found["李明"]["events"][0]["kind"] == "remove"
    with registry.open_registry(tmp_path) as reg:
        (holder,) = reg.who(title="局长", org="西华县财政局", date="2022-12-01")
        assert holder["name"] == "张建国" and holder["basis"] == "appointed"


# ---------------------------------------------------------------- incremental updates


def _snapshot(archive) -> list[dict]:
    return people(archive)


def test_reingest_replaces_a_pages_contributions_and_deletion_removes_them(tmp_path):
    first = page("/p/1.txt", "2022-01-05", article("a1", "扶沟县委书记张伟说。", [("张伟", "书记", "扶沟县委")]))
    other = page("/p/2.txt", "2022-02-05", article("b1", "扶沟县委书记张伟指出。", [("张伟", "书记", "扶沟县委")]))
    store(tmp_path, first, other)
    assert by_name(people(tmp_path), "张伟")[0]["posts"][0]["mentions"] == 2
    again = page("/p/1.txt", "2022-01-05", article("a1", "西华县县长李娜说。", [("李娜", "县长", "西华县")]))
    store(tmp_path, again)
    found = people(tmp_path)
    assert by_name(found, "张伟")[0]["posts"][0]["articles"] == ["b1"]
    assert by_name(found, "李娜")[0]["posts"][0]["place"] == "西华县"
    incremental = json.dumps(found, sort_keys=True)
    registry.rebuild(tmp_path)
    assert json.dumps(people(tmp_path), sort_keys=True) == incremental  # incremental == from scratch
    PageStore(tmp_path).path_for(other).unlink()  # a page removed from the archive
    assert by_name(people(tmp_path), "张伟") == []


def test_pages_stored_without_update_are_picked_up_when_read(tmp_path):
    PageStore(tmp_path).save(page("/p/1.txt", "2022-01-05", article("a1", "扶沟县委书记张伟说。",
                                                                   [("张伟", "书记", "扶沟县委")])))
    assert [p["name"] for p in people(tmp_path)] == ["张伟"]


@pytest.mark.parametrize("damage", [b"not a database at all" * 100, b""])
def test_a_damaged_registry_is_rebuilt(tmp_path, damage):
    store(tmp_path, page("/p/1.txt", "2022-01-05", article("a1", "扶沟县委书记张伟说。", [("张伟", "书记", "扶沟县委")])))
    path = registry.registry_path(tmp_path)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    path.write_bytes(damage)
    assert [p["name"] for p in people(tmp_path)] == ["张伟"]
    result = CliRunner().invoke(cli, ["officials", "--archive", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output


def test_ingest_and_reindex_keep_the_registry(tmp_path):
    pages_dir = tmp_path / "in"
    pages_dir.mkdir()
    (pages_dir / "江州日报-2022-10-12.txt").write_text(
        "扶沟县召开秋粮生产工作会议\n\n本报讯（记者 王小明）10月11日，扶沟县召开秋粮生产工作会议。"
        "县委书记谢英奎出席会议并讲话。代县长王东升主持会议。\n\n谢书记强调，要抓好秋粮生产。\n", encoding="utf-8")
    archive = tmp_path / "archive"
    from newsnlp.ingest import ingest, reindex

    report = ingest([pages_dir], archive, jobs=1)
    assert report.pages == 1 and not report.notes
    assert registry.registry_path(archive).is_file()
    db = sqlite3.connect(registry.registry_path(archive))
    assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 1
    db.close()
    found = {p["name"]: p["posts"] for p in people(archive)}
    assert found["谢英奎"][0]["org"] == "县委" and found["谢英奎"][0]["place"] == "扶沟县"
    assert found["王东升"][0]["title"] == "代县长"
    registry.registry_path(archive).write_bytes(b"junk")
    reindex(archive, jobs=1)
    assert {p["name"] for p in people(archive)} == set(found)


# ---------------------------------------------------------------- CLI and export


@pytest.fixture
def archive(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2021-01-05", article("a1", "扶沟县委书记张伟主持会议。", [("张伟", "书记", "扶沟县委")])),
          page("/p/2.txt", "2022-06-01", article("a2", "扶沟县委书记张伟讲话。", [("张伟", "书记", "扶沟县委")])),
          page("/p/3.txt", "2022-10-12", article("a3", "会议决定任命张建国为周口市财政局局长。")),
          page("/p/4.txt", "2022-11-12", article("a4", "西华县第一中学校长王伟说。", [("王伟", "校长", "西华县第一中学")])))
    return tmp_path


def _cli(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_json_contract(archive):
    out = json.loads(_cli("officials", "--archive", str(archive), "--json"))
    assert set(out) == {"people"}
    assert [p["name"] for p in out["people"]] == sorted(p["name"] for p in out["people"])
    for person in out["people"]:
        assert set(person) == {"name", "id", "posts", "events"}
        for post in person["posts"]:
            assert set(post) == {"title", "org", "place", "first_seen", "last_seen", "mentions", "articles"}
            assert isinstance(post["mentions"], int) and isinstance(post["articles"], list)
        for event in person["events"]:
            assert set(event) == {"kind", "title", "org", "date", "article"}
    filtered = json.loads(_cli("officials", "--archive", str(archive), "--place", "扶沟县", "--from", "2022", "--json"))
    (person,) = filtered["people"]
    assert person["name"] == "张伟" and person["posts"][0]["articles"] == ["a1", "a2"]
    assert json.loads(_cli("officials", "--archive", str(archive), "--org", "周口市财政局", "--json"))["people"][0][
        "name"] == "张建国"
    assert json.loads(_cli("officials", "--archive", str(archive), "--to", "2020", "--json")) == {"people": []}


def test_cli_show_and_who(archive):
    shown = json.loads(_cli("officials", "show", "张建国", "--archive", str(archive), "--json"))
    assert shown["people"][0]["events"][0]["kind"] == "appoint"
    text = _cli("officials", "show", "张伟", "--archive", str(archive))
    assert "扶沟县委书记" in text and "a1 a2" in text
    who = json.loads(_cli("officials", "who", "--title", "书记", "--org", "扶沟县委", "--date", "2021-06-01",
                          "--archive", str(archive), "--json"))
    assert [(h["name"], h["basis"]) for h in who["holders"]] == [("张伟", "seen")]
    result = CliRunner().invoke(cli, ["officials", "show", "无此人", "--archive", str(archive)])
    assert result.exit_code == 1 and "无此人" in result.output and "Traceback" not in result.output
    assert "张伟" in _cli("officials", "--archive", str(archive))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "sqlite"])
@pytest.mark.parametrize("kind", REGISTRY_KINDS)
def test_export_registry_kinds_in_every_format(archive, tmp_path, fmt, kind):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"out.{fmt}"
    export(archive, out, kinds=[kind], fmt=fmt)
    names = [n for n, _ in COLUMNS[kind]]
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    else:
        db = sqlite3.connect(out)
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute(f"SELECT * FROM [{kind}]")]
    assert rows and list(rows[0]) == names
    if kind == "tenures":
        assert {(r["name"], r["org_name"], r["title"]) for r in rows} >= {("张伟", "扶沟县委", "书记"),
                                                                          ("张建国", "周口市财政局", "局长")}
    if kind == "appointments":
        assert [(r["name"], r["kind"], r["article_id"]) for r in rows] == [("张建国", "appoint", "a3")]
        assert rows[0]["person_id"]


def test_default_sqlite_export_holds_the_registry_tables(archive, tmp_path):
    out = tmp_path / "all.db"
    _cli("export", "--archive", str(archive), "--format", "sqlite", "-o", str(out))
    tables = {r[0] for r in sqlite3.connect(out).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(REGISTRY_KINDS) <= tables and "officials" in tables


def test_load_tenures_as_a_frame(archive):
    import newsnlp

    pd = pytest.importorskip("pandas")
    frame = newsnlp.load(archive).tenures()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [n for n, _ in COLUMNS["tenures"]]
    assert set(frame["name"]) == {"张伟", "张建国", "王伟"}
    rows = newsnlp.load(archive).appointments(as_frame=False)
    assert rows[0].kind == "appoint"


def test_a_list_of_appointments_each_with_its_own_verb():
    """任命甲为A；任命乙为B: the second name does not take the verb (not 任命乙)."""
    text = "国务院任免国家工作人员。任命罗甲为某某委员会副主任；任命钟乙为某某部副部长。"
    events = parse_events(article("a1", text), "2019-02-16")
    assert {(e.kind, e.person, e.post.title) for e in events} == {
        ("appoint", "罗甲", "副主任"), ("appoint", "钟乙", "副部长")}


# ---------------------------------------------------------------- notices, lists and act dates (issue #18)


def _dated(aid: str, text: str, date: str, **kw) -> Article:
    from newsnlp.extract.dates import dates

    return article(aid, text, dates=dates(text, publication_date=date), **kw)


def _ev(a: Article, date: str, context=None) -> list[tuple]:
    return [(e.kind, e.person, e.post.title, e.post.org_name, e.date) for e in parse_events(a, date, context)]


def test_event_date_is_the_day_printed_nearest_the_act_else_the_dateline_else_publication():
    text = ("新华社江州3月2日电  江州市政府任免工作人员。\n任命张建国为江州市财政局局长。\n"
            "江州市人大常委会第五次会议3月5日决定免去李明的江州市教育局局长职务。")
    assert _ev(_dated("d1", text, "2022-03-08"), "2022-03-08") == [
        ("appoint", "张建国", "局长", "江州市财政局", "2022-03-02"),
        ("remove", "李明", "局长", "江州市教育局", "2022-03-05")]
    assert _ev(_dated("d2", "会议任命张建国为江州市财政局局长。", "2022-03-08"), "2022-03-08")[0][-1] == "2022-03-08"


def test_event_date_of_a_lead_in_and_of_the_headline():
    text = "根据江州市人大常委会第五次会议于2022年3月5日的决定：\n任命张建国为江州市财政局局长。\n江州市人大常委会主任  王某"
    assert _ev(_dated("d1", text, "2022-03-08"), "2022-03-08")[0][-1] == "2022-03-05"
    a = _dated("d2", "任命张建国为江州市财政局局长。", "2022-03-08")
    a.headline = ["江州市人大常委会任免名单", "（2022年3月4日江州市人大常委会第五次会议通过）"]
    assert _ev(a, "2022-03-08")[0][-1] == "2022-03-04"


def test_lists_of_names_each_get_the_post():
    text = "会议任命张甲（女）、李乙、王丙同志为江州市中级人民法院审判员。"
    assert {(k, n, t, o) for k, n, t, o, _ in _ev(article("l1", text), "2022-03-08")} == {
        ("appoint", n, "审判员", "江州市中级人民法院") for n in ("张甲", "李乙", "王丙")}
    text = ("江州省第九届人民代表大会第一次会议选举赵一为省人大常委会主任，钱二、孙三为省人大常委会副主任；"
            "选举周四为省长，吴五、郑六为副省长。当选为省委常委的还有冯七、陈八。")
    got = {(n, t, o) for _, n, t, o, _ in _ev(article("l2", text), "2022-03-08", registry.PlaceContext(["江州省"]))}
    assert got == {("赵一", "主任", "江州省人大常委会"), ("钱二", "副主任", "江州省人大常委会"),
                   ("孙三", "副主任", "江州省人大常委会"), ("周四", "省长", "江州省政府"),
                   ("吴五", "副省长", "江州省政府"), ("郑六", "副省长", "江州省政府"),
                   ("冯七", "常委", "江州省委"), ("陈八", "常委", "江州省委")}


def test_names_listed_before_elected_and_the_congress_body():
    text = ("3月1日，华夏青年联合会第五次代表大会在京闭幕。江州市政协副主席王甲以及李乙、赵丙当选为副会长，"
            "钱丁当选为会长。")
    a = article("c1", text, persons=["王甲", "李乙", "赵丙", "钱丁"])
    assert {(k, n, t, o) for k, n, t, o, _ in _ev(a, "2022-03-02")} == {
        ("elect", "王甲", "副会长", "华夏青年联合会"), ("elect", "李乙", "副会长", "华夏青年联合会"),
        ("elect", "赵丙", "副会长", "华夏青年联合会"), ("elect", "钱丁", "会长", "华夏青年联合会")}


def test_a_listed_name_with_its_own_event_post_keeps_no_title_of_the_name_before(tmp_path):
    text = "华夏青年联合会第五次代表大会闭幕。江州市政协副主席王甲以及李乙、赵丙当选为副会长。"
    a = article("c1", text, [("王甲", "副主席", "江州市政协"), ("李乙", "副主席", "江州市政协"),
                             ("赵丙", "副主席", "江州市政协")], persons=["王甲", "李乙", "赵丙"])
    store(tmp_path, page("/p/1.txt", "2022-03-02", a))
    posts = {p["name"]: {(x["title"], x["place"] + x["org"][1:] if x["place"] else x["org"]) for x in p["posts"]}
             for p in people(tmp_path)}
    assert posts["李乙"] == {("副会长", "华夏青年联合会")}
    assert ("副主席", "江州市政协") in posts["王甲"]


@pytest.mark.parametrize("text,expected", [
    ("任命罗甲为国家发展和改革委员会副主任；免去钟乙的工业和信息化部副部长职务。",
     [("appoint", "罗甲", "副主任", "国家发展和改革委员会"), ("remove", "钟乙", "副部长", "工业和信息化部")]),
    ("免去曾丙的江州市中级人民法院刑事审判第一庭副庭长、审判员职务。",
     [("remove", "曾丙", "副庭长", "江州市中级人民法院刑事审判第一庭"), ("remove", "曾丙", "审判员", "江州市中级人民法院")]),
    ("任命李丁为中华人民共和国驻某某和某某共和国特命全权大使。",
     [("appoint", "李丁", "大使", "中华人民共和国驻某某和某某共和国")]),
    ("任命赵戊为中华人民共和国常驻联合国某某办事处和某某其他国际组织副代表、特命全权裁军事务大使。",
     [("appoint", "赵戊", "副代表", "中华人民共和国常驻联合国某某办事处和某某其他国际组织"),
      ("appoint", "赵戊", "裁军事务大使", "中华人民共和国常驻联合国某某办事处和某某其他国际组织")]),
    ("任命刘庚为外交部部长助理；免去陈己的审计署副审计长职务。",
     [("appoint", "刘庚", "部长助理", "外交部"), ("remove", "陈己", "副审计长", "审计署")]),
])
def test_posts_of_notices(text, expected):
    assert [x[:4] for x in _ev(article("n1", text), "2022-03-08")] == expected


def test_a_decision_that_someone_takes_a_post_and_leaves_another():
    text = "日前，中共中央决定：\n王五同志任江州省委委员、常委、书记，不再担任江南省委书记、常委、委员职务；李六同志不再担任江州省委书记职务。"
    a = article("h1", text, persons=["王五", "李六"])
    assert [x[:4] for x in _ev(a, "2022-03-08")] == [
        ("appoint", "王五", "书记", "江州省委"), ("remove", "王五", "书记", "江南省委"), ("remove", "李六", "书记", "江州省委")]


def test_head_of_state_and_autonomous_region_government():
    assert normalise_post("国家主席", None)[0] == Post("主席", "中华人民共和国")
    assert normalise_post("国家副主席", None)[0] == Post("副主席", "中华人民共和国")
    text = "江北自治区党委书记甲某某、自治区主席乙某某陪同考察。"
    a = article("r1", text, [("甲某某", "书记", "江北自治区党委"), ("乙某某", "主席", None)], places=["江北自治区"])
    ms, _ = registry.article_mentions(page("/p/1.txt", "2022-03-08", a), a)
    assert {m.name: m.post.org_name for m in ms} == {"甲某某": "江北自治区党委", "乙某某": "江北自治区政府"}


def test_a_list_under_one_title_goes_past_untagged_names_and_a_bare_title_takes_its_body():
    text = "江州市人大常委会副主任王甲、李乙、吉丙、艾丁·买买提、赵戊，秘书长孙己出席会议。"
    a = article("t1", text, [("王甲", "副主任", "江州市人大常委会"), ("李乙", "副主任", "江州市人大常委会"),
                             ("孙己", "秘书长", None)], persons=["王甲", "李乙", "孙己"])
    ms, _ = registry.article_mentions(page("/p/1.txt", "2022-03-08", a), a)
    assert {(m.name, m.post.title, m.post.org_name) for m in ms} == {
        (n, "副主任", "江州市人大常委会") for n in ("王甲", "李乙", "吉丙", "艾丁·买买提", "赵戊")} | {
        ("孙己", "秘书长", "江州市人大常委会")}


def test_a_unit_printed_before_an_untagged_post_and_its_place():
    text = "江城市领导慰问职工。他对身旁的交通局党组书记何甲说。"
    a = article("u1", text, [("何甲", "党组书记", None)], places=["江城市"])
    ms, _ = registry.article_mentions(page("/p/1.txt", "2022-03-08", a), a)
    assert [(m.post.title, m.post.org_name, m.post.place) for m in ms] == [("书记", "江城市交通局", "江城市")]


def test_a_title_printed_with_dai_is_the_acting_post():
    from newsnlp.registry import normalise_post

    acting, _ = normalise_post("代市长", "河湾市")
    plain, _ = normalise_post("市长", "河湾市", acting=True)
    assert acting == plain and acting.acting
    assert not normalise_post("代表", "人大")[0].acting


def test_national_bodies_under_their_printed_names_are_one_body():
    from newsnlp.registry import normalise_post

    assert normalise_post("主席", "中华人民共和国中央军事委员会")[0] == normalise_post("主席", "中央军委")[0]
    assert normalise_post("总理", "中华人民共和国国务院")[0] == normalise_post("总理", "国务院")[0]
    assert normalise_post("主席", "中国")[0] == normalise_post("主席", "中华人民共和国")[0]


def test_one_post_under_two_printed_forms_of_its_organisation_is_one_person(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2021-01-05", article("a1", "甲乙国总理伊达尔说。", [("伊达尔", "总理", "甲乙国")])),
          page("/p/2.txt", "2021-02-05", article("a2", "甲乙联邦共和国总理伊达尔指出。", [("伊达尔", "总理", "甲乙联邦共和国")])),
          page("/p/3.txt", "2021-03-05", article("a3", "总理伊达尔表示。", [("伊达尔", "总理", None)])),
          page("/p/4.txt", "2021-04-05", article("a4", "丙丁国总理伊达尔说。", [("伊达尔", "总理", "丙丁国")])))
    found = by_name(people(tmp_path), "伊达尔")
    orgs = sorted(sorted(post["org"] for post in p["posts"]) for p in found)
    # the namesake heading another country's government stays apart, and the mention with no
    # organisation, which could be either, stays unresolved
    assert orgs == [[""], ["丙丁国"], ["甲乙国", "甲乙联邦共和国"]]


# ---------------------------------------------------------------- national posts, careers, companies
def test_posts_of_one_national_body_take_it_when_printed_alone():
    assert normalise_post("国务委员", None)[0] == Post("国务委员", "国务院")
    assert normalise_post("总书记", "")[0] == Post("总书记", "中共中央")
    assert normalise_post("委员长", None)[0] == Post("委员长", "全国人大常委会")
    assert normalise_post("总书记", "某国共产党中央")[0].org == "某国共产党中央"


def test_one_national_career_years_apart_is_one_person(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "1998-01-05", article("a1", "国务院副秘书长韩东明讲话。", [("韩东明", "副秘书长", "国务院")])),
          page("/p/2.txt", "2019-02-05", article("a2", "全国政协副主席韩东明出席。", [("韩东明", "副主席", "全国政协")])))
    (person,) = by_name(people(tmp_path), "韩东明")
    assert {p["org"] for p in person["posts"]} == {"国务院", "全国政协"}


def test_same_name_in_two_central_bodies_the_same_year_is_two_people(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2019-02-05", article("a1", "全国政协副主席韩东明出席。", [("韩东明", "副主席", "全国政协")])),
          page("/p/2.txt", "2019-06-05", article("a2", "国家水务委员会副主任韩东明说。", [("韩东明", "副主任", "国家水务委员会")])),
          page("/p/3.txt", "2008-06-05", article("a3", "江州职业教育社副理事长韩东明说。",
                                                 [("韩东明", "副理事长", "中华江州职业教育社")])))
    assert len(by_name(people(tmp_path), "韩东明")) == 3


def test_a_sole_national_post_joins_the_other_central_posts(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2019-02-05", article("a1", "国家主席韩东明会见客人。", [("韩东明", "国家主席", None)])),
          page("/p/2.txt", "2019-03-05", article("a2", "学习韩东明总书记讲话。", [("韩东明", "总书记", None)])))
    (person,) = by_name(people(tmp_path), "韩东明")
    assert {(p["title"], p["org"]) for p in person["posts"]} == {("主席", "中华人民共和国"), ("总书记", "中共中央")}


def test_company_heads_are_not_posts(tmp_path):
    store(tmp_path, page("/p/1.txt", "2019-02-05", article(
        "a1", "江州某某贸易公司总经理韩东明、江州某某服务中心负责人赵西林、江州市商务局局长钱北川出席。",
        [("韩东明", "总经理", "江州某某贸易公司"), ("赵西林", "负责人", "江州某某服务中心"),
         ("钱北川", "局长", "江州市商务局")])))
    assert {p["name"] for p in people(tmp_path)} == {"钱北川"}


def test_the_last_name_of_a_list_running_into_the_verb_takes_the_title(tmp_path):
    text = "全国政协副主席韩东明、赵西林、钱北川出席会议。"
    store(tmp_path, page("/p/1.txt", "2019-02-05", article(
        "a1", text, [("韩东明", "副主席", "全国政协")], persons=["韩东明", "赵西林", "钱北川"])))
    assert {p["name"] for p in people(tmp_path)} == {"韩东明", "赵西林", "钱北川"}


def test_a_post_under_a_short_and_a_full_form_of_its_organisation_takes_the_full_one(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2019-10-05", article("a1", "甲兰总理韩东明抵达。", [("韩东明", "总理", "甲兰")])),
          page("/p/2.txt", "2019-10-06", article("a2", "甲兰联邦民主共和国总理韩东明说。", [("韩东明", "总理", "甲兰联邦民主共和国")])),
          page("/p/3.txt", "2019-10-07", article("a3", "水务部主任赵西林、水务部办公厅主任赵西林。",
                                                 [("赵西林", "主任", "水务部"), ("赵西林", "主任", "水务部办公厅")])))
    (person,) = by_name(people(tmp_path), "韩东明")
    assert [(p["org"], p["articles"]) for p in person["posts"]] == [("甲兰联邦民主共和国", ["a1", "a2"])]
    (other,) = by_name(people(tmp_path), "赵西林")
    assert {p["org"] for p in other["posts"]} == {"水务部", "水务部办公厅"}


def test_moved_to_a_place_to_take_a_post_there():
    text = "韩东明于2001年3月调到江川县任县长。赵西林调到江川县水务局任局长。"
    a = article("e1", text, persons=["韩东明", "赵西林"])
    found = [(e.kind, e.person, e.post.title, e.post.org_name) for e in parse_events(a, "2022-10-12")]
    assert ("hold", "韩东明", "县长", "江川县政府") in found
    assert not [f for f in found if f[1] == "赵西林" and f[3] != "江川县水务局"]


def test_a_provincial_leader_later_in_a_central_body_is_one_person_a_city_secretary_is_not(tmp_path):
    store(tmp_path,
          page("/p/1.txt", "2019-02-05", article("a1", "江南省委书记韩东明讲话。", [("韩东明", "书记", "江南省委")])),
          page("/p/2.txt", "2019-10-27", article("a2", "水务部部长韩东明说。", [("韩东明", "部长", "水务部")])),
          page("/p/3.txt", "1998-01-05", article("a3", "国家水务局局长赵西林说。", [("赵西林", "局长", "国家水务局")])),
          page("/p/4.txt", "2019-02-05", article("a4", "江川市委书记赵西林讲话。", [("赵西林", "书记", "江川市委")])))
    (person,) = by_name(people(tmp_path), "韩东明")
    assert {p["org"] for p in person["posts"]} == {"省委", "水务部"}
    assert len(by_name(people(tmp_path), "赵西林")) == 2
