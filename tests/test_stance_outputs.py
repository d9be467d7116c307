"""The share of default stances (no cue found) wherever stances are shown: ``keikaku themes``
(text and ``--json``), the report's stance section and its stance table."""

from __future__ import annotations

import json

import pytest

from analysis.cli import main
from analysis.corpus import Corpus, Direction, Goal, Plan
from analysis.corpus_io import write_corpus
from analysis.settings import default_settings

# Five evaluation sentences; the 1st and 4th hold no cue (they get the default stance, done).
EVALUATION = ("本事業は市の重点事業である。相談件数は年々増加している。今後も継続して実施する。"
              "対象は市内の高齢者。懇談会を開催した。")
DEFAULT_LINE = "手がかり語のない文 2 件（全体の 40%）は『取り組んだ』としています"


def one_plan() -> Corpus:
    direction = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="相談支援",
                          evaluation=EVALUATION, source_file="plan.csv", source_lines=[2])
    return Corpus(name="t", plans=[Plan(id="P1", generation=1, title="第1次",
                                        goals=[Goal(plan_id="P1", number=1, title="支える", directions=[direction])])])


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("stance") / "corpus"
    write_corpus(one_plan(), path)
    return str(path)


def test_themes_json_has_a_stance_summary(capsys, corpus_path):
    assert main(["themes", corpus_path, "--candidates", "0", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(s["stance"], s["basis"]) for s in result["stances"]] == [
        ("done", "default"), ("issue", "marker"), ("planned", "predicate"), ("done", "default"), ("done", "predicate")]
    assert result["stance_summary"] == {
        "counts": {"achieved": 0, "done": 3, "issue": 1, "carried_over": 0, "planned": 1},
        "sentences": 5, "default": 2, "default_stance": "done", "default_share": 0.4,
    }


def test_themes_text_shows_the_counts_and_the_default_share(capsys, corpus_path):
    assert main(["themes", corpus_path, "--candidates", "0"]) == 0
    out = capsys.readouterr().out
    assert "評価の文の立場（評価の文 5 件）" in out
    assert "達成 0  取り組んだ 3  課題 1  持ち越し 0  今後の方針 1" in out
    assert DEFAULT_LINE in out


def test_report_stance_section_and_table_show_the_default_share():
    from analysis import report

    data = report.report_data(one_plan(), settings=default_settings().replace(report={"png": False}))
    page = report.render_html(data, generated_at=False)
    assert DEFAULT_LINE + "。" in page
    assert "今後の方針 1 文" in page and '<span class="stance stance-planned">今後の方針</span>' in page
    assert page.count('<span class="basis">（手がかり語なし）</span>') == 2
    frame = report.report_tables(data)["stances"]
    assert list(frame["判定"]) == ["手がかり語なし（既定）", "目印の語", "述語の手がかり語", "手がかり語なし（既定）",
                                 "述語の手がかり語"]
    assert list(frame["姿勢"]) == ["取り組んだ", "課題", "今後の方針", "取り組んだ", "取り組んだ"]
