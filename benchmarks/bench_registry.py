"""Officials registry (issue #18): build for N generated articles, then an incremental update
after 1k new ones (the target: <= 60 s for a 100k-article archive).

    python benchmarks/bench_registry.py                 # N = 20 000
    python benchmarks/bench_registry.py --n 100000      # the issue's size (a few minutes to set up)

Articles are generated with their officials already extracted (the registry reads stored facts,
it does not run the tagger): officials drawn from a pool of names, places and posts, with name
collisions, surname-plus-title mentions, 代/原 posts and appointment sentences.  Prints the
seconds of the build, of the update, and of a no-change update (the cost a reader pays).
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsnlp import registry  # noqa: E402
from newsnlp.model import Article, Block, Entity, Official, Page  # noqa: E402
from newsnlp.store import PageStore  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国东升立新志红文斌海波宏亮"
PLACES = [f"{a}{b}{lvl}" for a in "扶西淮沈郸商项太鹿川" for b in "沟华阳丘城水城康邑汇" for lvl in "县"] + \
         [f"{a}{b}市" for a in "周郑洛开安新焦" for b in "口州阳封阳乡作"]
POSTS = [("书记", "委"), ("副书记", "委"), ("县长", ""), ("副县长", ""), ("局长", "财政局"), ("局长", "教育局"),
         ("主任", "发改委"), ("局长", "公安局"), ("院长", "人民法院"), ("主席", "政协")]


def make_people(rng: random.Random, n: int) -> list[tuple[str, str, str, str]]:
    """(name, place, title, org) of n officials; names collide across places now and then."""
    people = []
    for _ in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        place = rng.choice(PLACES)
        title, body = rng.choice(POSTS)
        if place.endswith("市") and title.endswith("县长"):
            title = title.replace("县长", "市长")
        org = place + body if body else place
        people.append((name, place, title, org))
    return people


def make_article(rng: random.Random, i: int, people, date: str) -> Article:
    sentences, officials, entities = [], [], []
    text = ""
    for _ in range(rng.randint(1, 4)):
        name, place, title, org = rng.choice(people)
        kind = rng.random()
        if kind < 0.08:
            s = f"会议决定任命{name}为{org}{title}。"
        elif kind < 0.12:
            s = f"原{org}{title}{name}出席。"
            officials.append(Official(name, title, org, s))
        elif kind < 0.2:
            s = f"{place}召开会议。{title[-2:]}{name}讲话。"
            officials.append(Official(name, title[-2:], None, s.split("。")[1] + "。"))
            entities.append(Entity(place, "place", len(text), len(text) + len(place)))
        else:
            s = f"{org}{title}{name}主持会议。"
            officials.append(Official(name, title, org, s))
            if rng.random() < 0.2:
                addr = name[0] + title[-2:]
                s2 = f"{addr}强调，要抓好工作。"
                officials.append(Official(name[0], title[-2:], None, s2))
                entities.append(Entity(addr, "person", len(text) + len(s), len(text) + len(s) + len(addr),
                                       form="address"))
                s += s2
        text += s
        sentences.append(s)
    return Article(id=f"g{i:08d}", headline=[f"新闻{i}"], body=[Block("p", text)], entities=entities,
                   officials=officials)


def write_pages(archive: Path, rng, people, start: int, n_articles: int, per_page: int = 10) -> list[Page]:
    store = PageStore(archive)
    pages = []
    for p in range(start, start + n_articles, per_page):
        day = 1 + (p // per_page) % 28
        month = 1 + (p // (per_page * 28)) % 12
        year = 2015 + p // (per_page * 28 * 12) % 8
        date = f"{year}-{month:02d}-{day:02d}"
        page = Page(source=f"/bench/page-{p:08d}.txt", paper="江州日报", page="1", publication_date=date,
                    articles=[make_article(rng, p + k, people, date) for k in range(per_page)])
        store.save(page)
        pages.append(page)
    return pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000, help="articles in the archive before the update")
    ap.add_argument("--new", type=int, default=1_000, help="articles added by the update")
    ap.add_argument("--people", type=int, default=None, help="officials in the pool [default: n / 5]")
    ap.add_argument("--keep", type=Path, default=None, help="build the archive here and keep it")
    args = ap.parse_args()
    rng = random.Random(18)
    people = make_people(rng, args.people or max(100, args.n // 5))
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-registry-"))
    try:
        t = time.perf_counter()
        write_pages(root, rng, people, 0, args.n)
        print(f"generated {args.n} articles in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        registry.rebuild(root)
        build = time.perf_counter() - t
        db = sqlite3.connect(registry.registry_path(root))
        counts = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                  for table in ("mentions", "events", "persons", "posts", "links")}
        db.close()
        print(f"build: {build:.1f} s for {args.n} articles ({args.n / build:.0f} articles/s); "
              + ", ".join(f"{k} {v}" for k, v in counts.items()))
        new_pages = write_pages(root, rng, people, args.n, args.new)
        t = time.perf_counter()
        report = registry.update(root, new_pages)
        update = time.perf_counter() - t
        print(f"incremental update: {update:.2f} s for {args.new} new articles ({report.pages} pages, "
              f"{report.names} names re-clustered) on a {args.n}-article archive")
        t = time.perf_counter()
        registry.update(root)
        print(f"no-change update (what each reader pays): {time.perf_counter() - t:.3f} s")
        t = time.perf_counter()
        with registry.open_registry(root) as reg:
            found = reg.people(place=PLACES[0])
        print(f"officials --place {PLACES[0]}: {len(found)} people in {time.perf_counter() - t:.3f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
