"""One-period findings (issue 11 part 3): problems raised but decision 継続, 終了・縮小 with their
reasons, theme × decision / attribute cross tables checked by hand from the formulas, rating
distributions in their scale's order, the notes where a finding cannot be computed, and the
gaps command and the report on a workbook-shaped corpus (real Sudachi throughout)."""

from __future__ import annotations

import json
import math

import pytest

from analysis.cli import main
from analysis.corpus_io import load_corpus, write_corpus
from analysis.errors import EXIT_SETTINGS, SettingsError
from analysis.evaluations import (cross_table, period_findings, period_frames, period_summary, scale_order)
from analysis.importers import import_table
from analysis.pipeline import analyze
from analysis.themes import parse_lexicon

from workbook_shapes import MAPPING_TOML, evaluation_workbook

# (事務事業名, 担当課, ① answer, ① reason, ④ answer, ④ reason, 今後の方向性, 課題（担当課）, 総括（課長）)
# Titles and outlines carry no theme: the themes 見守り and 担い手 are only where written here.
UNITS = [
    ("訪問事業", "福祉課", "B", "", "○", "", "１ 現状維持", "見守りの担い手の確保が課題となっている。", "訪問を実施した。"),
    ("配食事業", "福祉課", "A", "", "◎", "", "１ 現状維持", "", "見守りを兼ねて配食を実施した。"),
    ("交流事業", "社協", "A", "", "△", "", "拡充", "担い手の高齢化が課題となっている。", "交流会を開催した。"),
    ("会館運営事業", "福祉課", "C", "利用者が減少した。", "×", "", "３ 終了・廃止・休止",
     "施設の老朽化が課題となっている。", "令和6年度で廃止する。"),
    ("講座事業", "生涯学習課", "D", "", "○", "内容を見直せる。", "縮小", "", "参加者が少ないため規模を縮小する。"),
    ("図書館事業", "生涯学習課", "A", "", "◎", "", "１ 現状維持", "", "図書館を運営した。"),
    ("相談事業", "福祉課", "B", "", "○", "", "２ 改革改善（縮小・統合含む）", "見守りとの連携が課題となっている。",
     "相談を実施した。"),
    ("送迎事業", "社協", "A", "", "", "", "１ 現状維持", "運転の担い手が不足している。", "送迎を実施した。"),
]
LEXICON = """\
[[theme]]
name = "見守り"
terms = ["見守り"]

[[theme]]
name = "担い手"
terms = ["担い手"]
"""
# Which units carry which theme, read off UNITS above (unit number, 1-based).
CARRIES = {"見守り": {1, 2, 7}, "担い手": {1, 3, 8}}
DECISIONS = {1: "continue", 2: "continue", 3: "expand", 4: "end", 5: "reduce", 6: "continue", 7: "improve",
             8: "continue"}


def _rows():
    for i, (title, dept, r1, why1, r4, why4, decision, issue, summary) in enumerate(UNITS, 1):
        yield ("1 福祉のまち", "1-1 地域福祉", "基本", title, "事業を行う。", dept, str(100 * i), str(i), "1", "2",
               r1, why1, r4, why4, decision, issue, summary)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("period")
    workbook = evaluation_workbook(folder / "評価.xlsx", rows=list(_rows()))
    mapping = folder / "評価.toml"
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    return import_table(workbook, mapping=mapping)


@pytest.fixture(scope="module")
def analysis(corpus):
    return analyze(corpus, lexicon=parse_lexicon(LEXICON))


@pytest.fixture(scope="module")
def findings(analysis):
    return period_findings(analysis)


def _id(corpus, number: int) -> str:
    return list(corpus.directions())[number - 1].id


def test_the_fixture_is_what_the_hand_computations_assume(corpus, analysis):
    units = list(corpus.directions())
    assert [d.decision.class_ for d in units] == [DECISIONS[i] for i in range(1, 9)]
    carried = {name: {i for i, d in enumerate(units, 1)
                      if any(name in c.themes for c in analysis.coded if c.unit.direction_id == d.id)}
               for name in CARRIES}
    assert carried == CARRIES


def test_problems_raised_but_decision_continue(corpus, findings):
    got = [(f.direction, [(e.label, e.text, e.stance) for e in f.problems], f.lines) for f in findings.problems_kept]
    assert got == [
        (_id(corpus, 1), [("担当課", "見守りの担い手の確保が課題となっている。", "issue")], (3,)),
        (_id(corpus, 8), [("担当課", "運転の担い手が不足している。", "issue")], (10,)),
    ]
    assert findings.problems_kept[0].decision == "１ 現状維持"
    assert findings.problems_kept[0].file == "評価.xlsx"


def test_end_and_reduce_decisions_with_their_reasons(corpus, findings):
    got = [(f.direction, f.class_, [(e.label, e.text) for e in f.reasons]) for f in findings.endings]
    assert got == [
        (_id(corpus, 4), "end", [("担当課", "施設の老朽化が課題となっている。"), ("課長", "令和6年度で廃止する。"),
                                 ("① 政策体系との整合性（C）", "利用者が減少した。")]),
        (_id(corpus, 5), "reduce", [("課長", "参加者が少ないため規模を縮小する。"),
                                    ("④ 成果の向上余地（○）", "内容を見直せる。")]),
    ]


def _by_hand(carrying: set[int], groups: dict[int, str], columns: list[str]):
    """Observed, expected, χ² and adjusted residuals of one theme's 2 × k table, from the formulas."""
    n = len(groups)
    t = len(carrying)
    totals = [sum(1 for g in groups.values() if g == c) for c in columns]
    observed = [sum(1 for u in carrying if groups[u] == c) for c in columns]
    expected = [t * nj / n for nj in totals]
    absent = [nj - o for nj, o in zip(totals, observed)]
    absent_expected = [(n - t) * nj / n for nj in totals]
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed + absent, expected + absent_expected))
    residuals = [(o - e) / math.sqrt(e * (1 - t / n) * (1 - nj / n)) for o, e, nj in zip(observed, expected, totals)]
    return observed, expected, chi2, residuals


@pytest.mark.parametrize("theme", ["見守り", "担い手"])
def test_themes_by_decision_by_hand(findings, theme):
    table = findings.themes_by_decision
    columns = ["expand", "continue", "improve", "reduce", "end"]  # decisions.toml order, present ones
    assert list(table.columns) == columns
    assert table.column_totals == (1, 4, 1, 1, 1) and table.n == 8 and table.excluded == 0
    row = next(r for r in table.rows if r.name == theme)
    observed, expected, chi2, residuals = _by_hand(CARRIES[theme], DECISIONS, columns)
    assert list(row.observed) == observed
    assert row.expected == pytest.approx(expected)
    assert row.chi2 == pytest.approx(chi2) and row.dof == 4
    assert row.residuals == pytest.approx(residuals)
    assert all(row.low_expected)  # 8 units: every expected count is below 5


def test_themes_by_attribute_by_hand(findings):
    assert findings.attributes == ["担当課"]  # 事業費 and 指標 are numbers, not groups
    table = findings.themes_by_attribute["担当課"]
    departments = {i: u[1] for i, u in enumerate(UNITS, 1)}
    assert list(table.columns) == ["福祉課", "社協", "生涯学習課"]
    row = next(r for r in table.rows if r.name == "見守り")
    observed, expected, chi2, residuals = _by_hand(CARRIES["見守り"], departments, list(table.columns))
    assert list(row.observed) == observed == [3, 0, 0]
    assert row.chi2 == pytest.approx(chi2) == pytest.approx(4.8)
    # 福祉課: (3 − 1.5) / √(1.5 · (1 − 3/8) · (1 − 4/8))
    assert row.residuals[0] == pytest.approx(1.5 / math.sqrt(1.5 * 5 / 8 * 4 / 8))
    assert row.residuals == pytest.approx(residuals)
    assert row.p == pytest.approx(math.exp(-4.8 / 2))  # χ² with 2 degrees of freedom: p = e^(−χ²/2)


def test_rating_distributions_in_their_scale_order(findings):
    first, fourth = findings.ratings
    assert first.question == "① 政策体系との整合性"
    assert (first.values, first.counts, first.unanswered) == (("A", "B", "C", "D"), (4, 2, 1, 1), 0)
    assert first.by_decision["continue"] == (3, 1, 0, 0)  # units 2, 6, 8 A; unit 1 B
    assert (fourth.values, fourth.counts, fourth.unanswered) == (("◎", "○", "△", "×"), (2, 3, 1, 1), 1)


@pytest.mark.parametrize("values, expected", [
    (["B", "A", "Ｄ", "C"], ["A", "B", "C", "Ｄ"]),
    (["×", "◎", "△", "○"], ["◎", "○", "△", "×"]),
    (["5", "1", "３"], ["1", "３", "5"]),
    (["２ 遅れ", "１ 順調"], ["１ 順調", "２ 遅れ"]),
    (["遅れ", "順調", "遅れ"], ["遅れ", "順調"]),  # no scale: first seen
    (["Bランク", "Aランク"], ["Aランク", "Bランク"]),
    (["ABC活動", "A"], ["ABC活動", "A"]),  # a word, not a grade
])
def test_scale_order(values, expected):
    assert scale_order(values) == expected


def test_a_cross_table_cell_by_hand_on_the_smallest_case():
    table = cross_table({"a": {"見守り"}, "b": set(), "c": {"見守り"}}, {"a": "継続", "b": "継続", "c": "終了"},
                        rows=["見守り", "担い手"])
    assert [r.name for r in table.rows] == ["見守り"]  # a theme no unit carries is no row
    row = table.rows[0]
    # N=3, t=2; 継続: n=2, O=1, E=4/3; 終了: n=1, O=1, E=2/3; not carrying: 1, 0 against 2/3, 1/3
    assert row.chi2 == pytest.approx((1 - 4 / 3) ** 2 / (4 / 3) + (1 - 2 / 3) ** 2 / (2 / 3)
                                     + (1 - 2 / 3) ** 2 / (2 / 3) + (0 - 1 / 3) ** 2 / (1 / 3))


def test_frames_have_one_row_per_sentence_and_cell(findings):
    frames = period_frames(findings)
    assert len(frames["problems_kept"]) == 2 and len(frames["endings"]) == 5
    assert len(frames["themes_by_decision"]) == 2 * 5
    assert set(frames["themes_by_attribute"]["variable"]) == {"担当課"}
    assert frames["ratings"]["count"].tolist() == [4, 2, 1, 1, 2, 3, 1, 1]
    assert frames["notes"].empty


def test_notes_on_the_bundled_corpus():
    findings = period_findings(analyze(load_corpus(None)))
    codes = [n.code for n in findings.notes]
    assert codes == ["several_periods", "no_decisions", "no_attributes", "no_ratings"]
    assert findings.themes_by_decision is None and findings.ratings == [] and findings.problems_kept == []
    text = period_summary(findings)
    for note in findings.notes:
        assert f"※ {note.message}" in text


def test_one_decision_class_is_a_note_and_no_chi2(corpus):
    same = type(corpus).from_dict(corpus.to_dict())
    for d in same.directions():
        d.decision.class_ = "continue"
    findings = period_findings(analyze(same, lexicon=parse_lexicon(LEXICON)))
    assert "one_decision_class" in [n.code for n in findings.notes]
    assert all(r.chi2 is None for r in findings.themes_by_decision.rows)
    assert [r.observed for r in findings.themes_by_decision.rows] == [(3,), (3,)]


def test_an_unknown_attribute_is_refused_with_the_known_ones(analysis):
    with pytest.raises(SettingsError, match="担当課"):
        period_findings(analysis, by=("部署",))


def test_to_dict_is_json(findings):
    data = json.loads(json.dumps(findings.to_dict(), ensure_ascii=False))
    assert data["decisions"] == {"expand": 1, "continue": 4, "improve": 1, "reduce": 1, "end": 1}
    assert data["themes_by_decision"]["columns"] == ["expand", "continue", "improve", "reduce", "end"]


@pytest.fixture(scope="module")
def corpus_dir(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "評価"
    write_corpus(corpus, path)
    return path


def test_gaps_prints_the_findings_after_the_notes(corpus_dir, capsys):
    assert main(["gaps", str(corpus_dir), "--by", "担当課"]) == 0
    out = capsys.readouterr().out
    assert "# 単年度の評価から" in out
    assert out.index("課題を挙げながら現状維持（2 件）") < out.index("終了・縮小とその理由（2 件）")
    assert "[担当課] 運転の担い手が不足している。" in out
    assert "## テーマ × 担当課" in out


def test_gaps_json_has_period_findings(corpus_dir, capsys):
    assert main(["gaps", str(corpus_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"period_findings", "findings", "settings"} <= set(data)
    period = data["period_findings"]
    assert {"notes", "problems_kept", "endings", "themes_by_decision", "themes_by_attribute", "ratings"} <= set(period)
    assert period["themes_by_attribute"] == {}  # without --by only the decision table
    assert [f["direction"] for f in period["problems_kept"]] == ["P1-1-1", "P1-1-8"]


def test_gaps_by_an_unknown_header_exits_4(corpus_dir, capsys):
    assert main(["gaps", str(corpus_dir), "--by", "部署"]) == EXIT_SETTINGS
    assert "担当課" in capsys.readouterr().err


def test_the_report_has_the_section_and_its_tables(corpus_dir, tmp_path):
    out = tmp_path / "report"
    assert main(["report", str(corpus_dir), "-o", str(out), "--no-timestamp", "--quiet"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="period"' in page and "単年度の評価から" in page and "運転の担い手が不足している。" in page
    for name in ("period_problems_kept", "period_endings", "period_themes_by_decision",
                 "period_themes_by_attribute", "period_ratings"):
        assert (out / "tables" / f"{name}.csv").exists(), name
    from openpyxl import load_workbook

    assert "テーマ×今後の方向性" in load_workbook(out / "keikaku.xlsx", read_only=True).sheetnames


def test_gaps_csv_writes_the_period_tables(corpus_dir, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["gaps", str(corpus_dir), "--csv", str(out), "--by", "担当課"]) == 0
    import pandas as pd

    cells = pd.read_csv(out / "period_themes_by_attribute.csv", encoding="utf-8-sig")
    assert set(cells["value"]) == {"福祉課", "社協", "生涯学習課"}
    kept = pd.read_csv(out / "period_problems_kept.csv", encoding="utf-8-sig")
    assert kept["text"].tolist() == ["見守りの担い手の確保が課題となっている。", "運転の担い手が不足している。"]


def test_the_section_escapes_what_the_source_wrote(corpus, tmp_path):
    from analysis.report import report_data, write_report

    hostile = type(corpus).from_dict(corpus.to_dict())
    script = '<script>alert("x")</script>'
    for d in hostile.directions():
        d.decision.label = script
        d.attributes = {script: "福祉課" if d.number % 2 else script}
        for t in d.texts:
            t.label = script
        for r in d.ratings:
            r.question, r.value = script, script
    write_report(report_data(hostile), tmp_path / "r", generated_at=False)
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert 'id="period"' in page and "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("typed", ["担当課", "担当 課", "担当\n課", "担当　課"])
def test_by_matches_the_header_across_spacing_and_line_breaks(analysis, typed):
    assert list(period_findings(analysis, by=(typed,)).themes_by_attribute) == ["担当課"]


def test_an_unknown_attribute_lists_at_most_twelve_headers(corpus):
    wide = type(corpus).from_dict(corpus.to_dict())
    for d in wide.directions():
        d.attributes.update({f"指標{k}": str(k) for k in range(30)})
    with pytest.raises(SettingsError) as error:
        period_findings(analyze(wide, lexicon=parse_lexicon(LEXICON)), by=("部署",))
    message = str(error.value)
    assert message.count("「") == 12 and f"ほか{5 + 30 - 12}列" in message


def test_rating_distributions_without_the_decision_breakdown(corpus):
    from analysis.evaluations import rating_distributions

    plain = rating_distributions(list(corpus.directions()), by_decision=False)
    assert [r.by_decision for r in plain] == [{}, {}]
    assert [r.counts for r in plain] == [(4, 2, 1, 1), (2, 3, 1, 1)]


def test_a_plan_without_any_evaluation_is_said_to_have_none_not_tallied():
    # a next plan alone: directions with text, no 評価, decision or rating; the one-period section
    # must not present it as a year of evaluations
    from analysis.corpus import Corpus, Direction, Goal, Plan

    d = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="見守り体制の強化",
                  text="見守りの担い手を育成する。")
    corpus = Corpus(name="次期のみ", plans=[Plan(id="P3", generation=3, title="第3次計画", role="next",
                                                 goals=[Goal("P3", 1, "つながる", directions=[d])])])
    findings = period_findings(analyze(corpus))
    assert [n.code for n in findings.notes] == ["no_evaluations"]
    assert findings.decisions == {} and findings.problems_kept == [] and findings.ratings == []
    first = period_summary(findings).splitlines()[0]
    assert "評価なし" in first and "評価の単位" not in first


def test_answers_of_two_scales_in_one_question_are_ordered_per_scale_and_said_to_be_mixed():
    from analysis.corpus import Corpus, Direction, Goal, Plan, Rating
    from analysis.evaluations import NOTE_CODES

    answers = ["A", "◎", "C", "B", "×", "B"]
    units = [Direction(id=f"P1-1-{i}", plan_id="P1", goal_number=1, number=i, title=f"事業{i}",
                       evaluation="実施した。", ratings=[Rating(question="有効性", value=v)])
             for i, v in enumerate(answers, 1)]
    corpus = Corpus(name="尺度", plans=[Plan(id="P1", generation=1, title="令和5年度",
                                             goals=[Goal("P1", 1, "福祉", directions=units)])])
    findings = period_findings(analyze(corpus))
    [r] = findings.ratings
    assert (r.values, r.counts) == (("A", "B", "C", "◎", "×"), (1, 2, 1, 1, 1))
    [mixed] = [n for n in findings.notes if n.code == "mixed_scales"]
    assert "有効性" in mixed.message and mixed.code in NOTE_CODES
    assert all(n.code in NOTE_CODES for n in findings.notes)
    assert scale_order(["B", "A", "Ｃ"]) == ["A", "B", "Ｃ"]  # one scale: as before


def test_a_unit_answering_a_question_twice_is_said_not_hidden_in_unit_counts():
    # a continuation row gives one unit a second answer: the listing headed 単位の数 says so
    from analysis.corpus import Corpus, Direction, Goal, Plan, Rating

    units = [Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="事業1", evaluation="実施した。",
                       ratings=[Rating(question="評価", value="◎"), Rating(question="評価", value="○")]),
             Direction(id="P1-1-2", plan_id="P1", goal_number=1, number=2, title="事業2", evaluation="実施した。",
                       ratings=[Rating(question="評価", value="△")])]
    corpus = Corpus(name="二重", plans=[Plan(id="P1", generation=1, title="令和5年度",
                                             goals=[Goal("P1", 1, "福祉", directions=units)])])
    text = period_summary(period_findings(analyze(corpus)))
    assert "- 評価: ◎ 1、○ 1、△ 1（回答 3 件、回答した単位 2 件：複数の回答がある単位があります）" in text
