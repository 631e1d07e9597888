"""Commands import only what they need, and short-line extraction pays no per-line set-up.

Whole-process timings are in benchmarks/bench_startup.py; these tests check the mechanisms
that the timings rest on.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner

from newsnlp import extract
from newsnlp.cli import cli

HEAVY = ("jieba", "sklearn", "scipy", "numpy", "whoosh", "flask", "pandas", "rjieba", "cn2an", "pyarrow")


def _modules_after(code: str, cwd=None) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_package_and_the_cli_loads_nothing_heavy():
    loaded = _modules_after("import newsnlp, newsnlp.cli")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_lazy_names_of_the_package_resolve():
    import newsnlp

    assert newsnlp.Page.__name__ == "Page" and callable(newsnlp.parse_file) and callable(newsnlp.load)
    assert set(newsnlp.__all__) <= set(dir(newsnlp))
    with pytest.raises(AttributeError):
        newsnlp.no_such_name  # noqa: B018


def test_search_needs_neither_jieba_nor_scikit_learn(tmp_path):
    loaded = _modules_after(textwrap.dedent(f"""
        from newsnlp.index import Archive
        from newsnlp.model import Article, Block, Page
        ar = Archive({str(tmp_path / 'a')!r})
        ar.add_pages([Page(source="/x.txt", articles=[Article(id="1", headline=["城乡居民医保"],
                                                              body=[Block("p", "医保缴费开始。")])])])
        assert ar.search("医保").total == 1
    """))
    assert "whoosh" in loaded and not loaded & {"jieba", "sklearn", "scipy", "pandas"}


def test_tagging_topics_does_not_import_scikit_learn():
    loaded = _modules_after(textwrap.dedent("""
        from newsnlp import topics
        found = topics.load_model().predict("市纪委监察委通报三起违反中央八项规定精神典型问题。", headline="纠治四风")
        assert found[0].label == "discipline"
    """))
    assert "sklearn" not in loaded and "scipy" not in loaded


def test_no_arguments_prints_the_help_and_succeeds():
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0 and "Usage:" in result.output and "ingest" in result.output


LINES = [
    "10月11日，市财政局局长王某表示，今年已拨付资金6.4亿元。",
    "",
    "新华社北京12月31日电 国家主席江泽民发表新年讲话，向全国各族人民致以问候。",
    "   ",
    "中共中央政治局委员、北京市委书记贾庆林出席会议，会议由北京大学校长主持。",
    "“放管服”改革持续推进，全市新建幼儿园7所。",
]


def test_analyze_many_gives_what_analyze_gives_line_by_line():
    many = extract.analyze_many(LINES, publication_date="2022-10-12")
    one_by_one = [extract.analyze(line, publication_date="2022-10-12") for line in LINES]
    assert many == one_by_one
    assert any(f.entities for f in many) and many[1] == extract.Facts()


def test_extract_command_answers_every_line_in_order_across_batches(tmp_path, monkeypatch):
    import newsnlp.cli as cli_module

    monkeypatch.setattr(cli_module, "EXTRACT_BATCH_LINES", 4)
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(LINES * 3) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--date", "2022-10-12"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.output.splitlines()]
    expected = [f.to_dict() for f in extract.analyze_many(LINES * 3, publication_date="2022-10-12")]
    assert rows == expected and len(rows) == 18


def test_extract_reports_a_bad_line_after_answering_the_ones_before(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes("第一行有6.4亿元。\n".encode() + b"\xff\xfe bad\n")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1 and "line 2 is not UTF-8" in result.output
    assert json.loads(result.output.splitlines()[0])["figures"]


def _brute_viterbi(emit, trans):
    n, k = emit.shape
    score, back = emit[0].copy(), []
    for t in range(1, n):
        cand = score[:, None] + trans
        back.append(cand.argmax(axis=0))
        score = cand.max(axis=0) + emit[t]
    path = [int(score.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


def test_batched_viterbi_equals_decoding_each_segment_alone():
    from newsnlp.extract.ner_crf import CRF

    rng = np.random.default_rng(3)
    k = 7
    crf = CRF([f"L{i}" for i in range(k)], {}, np.zeros((1, k)), rng.normal(size=(k, k)))
    emit = rng.normal(size=(300, k))
    cuts = sorted(rng.choice(np.arange(1, 300), size=40, replace=False).tolist())
    bounds = list(zip([0, *cuts], [*cuts, 300]))
    got = crf.viterbi(emit, bounds)
    for s, e in bounds:
        assert got[s:e] == _brute_viterbi(emit[s:e], crf.trans)
