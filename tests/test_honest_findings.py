"""Analyses that never claim what the corpus cannot support (issue 11 part 3).

- a corpus of one period: ``gaps``, ``compare`` and the report say why in one line (notes) and
  exit 0;
- the bundled document: goals 3 and 4 are reorganisations (再編), not seven splits;
- problems are taken up by a non-successor only through a shared theme or a non-generic
  compound term, never through generic nouns (センター, 廃止);
- three generations in one corpus: every consecutive pair, and only pairs with text;
- the decision hook: ``end`` → no successor, ``merge`` → merged.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from analysis.cli import main
from analysis.compare import compare_generations
from analysis.continuity import (build_continuity_graph, comparable_pairs, continuity_state, findings,
                                 generic_nouns, reorganised_groups, successor_map)
from analysis.corpus import Corpus, Direction, Goal, Link, Plan
from analysis.corpus_io import load_corpus, write_corpus
from analysis.labels import FINDING_STATUS
from analysis.themes import parse_lexicon

SINGLE_PERIOD = "この資料には計画の世代（期間）が一つしかないため、継続・新規・廃止の比較はできません"


def D(id, title, *, evaluation="", text=""):
    plan, goal, number = id.split("-")
    return Direction(id=id, plan_id=plan, goal_number=int(goal), number=int(number), title=title,
                     evaluation=evaluation, text=text, source_lines=[int(number) + 1])


def P(pid, generation, directions, role="evaluated"):
    return Plan(id=pid, generation=generation, title=f"第{generation}次計画", role=role,
                goals=[Goal(pid, 1, "支える", directions=list(directions))])


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    return code, out.getvalue()


# -- one period --------------------------------------------------------------------------------
ONE_PERIOD = Corpus(name="一期", plans=[P("P1", 1, [
    D("P1-1-1", "〇〇センター運営事業", evaluation="利用者が減少しており、運営方法の見直しが課題である。"),
    D("P1-1-2", "見守り活動の推進", evaluation="見守り訪問を全地区で行った。"),
])])


@pytest.fixture(scope="module")
def one_period(tmp_path_factory):
    path = tmp_path_factory.mktemp("one") / "corpus"
    write_corpus(ONE_PERIOD, path)
    return path


def test_gaps_on_one_period_says_why_and_succeeds(one_period):
    code, text = run("gaps", one_period)
    assert code == 0
    assert text.splitlines()[0] == f"※ {SINGLE_PERIOD}"
    assert "課題 1 件" in text  # the one problem is said not to be judged, not silently dropped
    code, out = run("gaps", one_period, "--json")
    data = json.loads(out)
    assert code == 0 and data["findings"] == [] and data["links"] == []
    assert [n["code"] for n in data["notes"]] == ["single_period", "problems_not_judged"]
    assert data["notes"][0]["message"] == SINGLE_PERIOD


def test_compare_on_one_period_says_why_and_succeeds(one_period):
    code, text = run("compare", one_period)
    assert (code, text) == (0, f"※ {SINGLE_PERIOD}\n")
    code, out = run("compare", one_period, "--json")
    assert code == 0 and json.loads(out)["notes"] == [{"code": "single_period", "message": SINGLE_PERIOD}]


def test_report_on_one_period_shows_the_note_in_headline_and_sections():
    from analysis.report import report_data
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    data = report_data(ONE_PERIOD)
    sections = {key: html for key, _, html in page_sections(data, report_tables(data), {})}
    for key in ("overview", "continuity", "findings", "comparison"):
        assert SINGLE_PERIOD in sections[key], key
    assert "施策の方向 2 件、評価文" in sections["overview"]
    assert "テーマ：" not in sections["overview"].split("</ul>")[0]  # no theme counts claimed


# -- a plan with no direction text -------------------------------------------------------------
def test_a_generation_without_direction_text_is_not_compared():
    corpus = Corpus(name="空", plans=[P("P1", 1, [D("P1-1-1", "見守り活動の推進", evaluation="担い手不足が課題となった。")]),
                                      Plan(id="P2", generation=2, title="第2次計画", role="next")])
    assert comparable_pairs(corpus) == []
    graph = build_continuity_graph(corpus)
    assert findings(graph) == []
    assert [n.code for n in continuity_state(graph).notes] == ["no_directions_with_text", "problems_not_judged"]


def test_a_past_plan_without_evaluations_claims_no_new_or_dropped_themes():
    from analysis.report import report_data
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    corpus = Corpus(name="評価なし", plans=[P("P1", 1, [D("P1-1-1", "見守り活動の推進")]),
                                          P("P2", 2, [D("P2-1-1", "見守り活動の推進", text="見守りの担い手を育てる。")],
                                            role="next")],
                    links=[Link("P1-1-1", "P2-1-1")])
    graph = build_continuity_graph(corpus, lexicon=LEXICON)
    items = findings(graph)
    assert {f.kind for f in items} == {"direction"}  # 担い手 would otherwise be "new"
    assert [n.code for n in continuity_state(graph).notes] == ["no_evaluations"]
    data = report_data(corpus)
    overview = page_sections(data, report_tables(data), {})[0][2]
    headline = overview.split('<div class="keypoints">')[1].split("</div>")[0]
    assert "テーマ：" not in headline and "評価の文がないため" in headline


@pytest.mark.parametrize("where", ["texts", "ratings"])
def test_a_past_plan_evaluated_in_labelled_texts_or_rating_reasons_is_compared(where):
    # 事務事業評価 often has no 評価 column: the evaluation is the 担当課 / 課長 comments or the
    # reasons given with the ratings; those are the plan's evaluation sentences like any other
    from analysis.corpus import EvaluationText, Rating

    past = D("P1-1-1", "見守り訪問事業")
    if where == "texts":
        past.texts = [EvaluationText(label="担当課", text="担い手が不足している。")]
    else:
        past.ratings = [Rating(question="有効性", value="B", reason="担い手が不足している。")]
    corpus = Corpus(name="事務事業評価", plans=[P("P1", 1, [past]),
                                             P("P2", 2, [D("P2-1-1", "見守り活動の推進", text="見守りを続ける。")],
                                               role="next")],
                    links=[Link("P1-1-1", "P2-1-1")])
    graph = build_continuity_graph(corpus, lexicon=LEXICON)
    assert "no_evaluations" not in [n.code for n in continuity_state(graph).notes]
    dropped = [f for f in findings(graph) if f.kind == "theme" and f.subject == "担い手"]
    assert [(f.status, f.past_count, f.next_count) for f in dropped] == [("dropped", 1, 0)]


def test_what_the_next_plan_says_in_its_initiatives_counts_for_themes():
    # a next plan from a table of 施策 / 方向性 / 取組内容 holds most of its words in the 取組:
    # a theme named only there is in the next plan, not dropped from it
    nxt = D("P2-1-1", "地域づくりの推進")
    nxt.initiatives = ["担い手を育成する。", "見守り活動を広げる。"]
    corpus = Corpus(name="取組", plans=[P("P1", 1, [D("P1-1-1", "地域活動", evaluation="担い手が不足している。")]),
                                        P("P2", 2, [nxt], role="next")],
                    links=[Link("P1-1-1", "P2-1-1")])
    themes = {f.subject: (f.status, f.past_count, f.next_count)
              for f in findings(build_continuity_graph(corpus, lexicon=LEXICON)) if f.kind == "theme"}
    assert themes == {"担い手": ("continued", 1, 1), "見守り": ("new", 0, 1)}


# -- reorganisation ----------------------------------------------------------------------------
@pytest.mark.parametrize("successors, density, expected", [
    # 3 × 2 complete: one group
    ({"a1": ["b1", "b2"], "a2": ["b1", "b2"], "a3": ["b1", "b2"]}, 1.0, [(["a1", "a2", "a3"], ["b1", "b2"])]),
    # one-to-many and many-to-one stay split and merged
    ({"a1": ["b1", "b2"], "a2": ["b3"], "a3": ["b3"]}, 1.0, []),
    # 2 × 2 with 3 of 4 links: nearly complete at 0.75, not at 1.0
    ({"a1": ["b1", "b2"], "a2": ["b2"], "a3": []}, 0.75, [(["a1", "a2"], ["b1", "b2"])]),
    ({"a1": ["b1", "b2"], "a2": ["b2"], "a3": []}, 1.0, []),
    # a chain a1-b1-a2-b2-a3-b3 holds 5 of 9 links: not a reorganisation
    ({"a1": ["b1"], "a2": ["b1", "b2"], "a3": ["b2", "b3"]}, 0.75, []),
])
def test_reorganised_groups(successors, density, expected):
    assert reorganised_groups(["a1", "a2", "a3"], successors, min_density=density) == expected


@pytest.fixture(scope="module")
def bundled_data():
    from analysis.report import report_data

    return report_data(load_corpus())


def test_bundled_goals_3_and_4_are_reorganisations(bundled_data):
    directions = [f for f in bundled_data.findings if f["kind"] == "direction"]
    status = {(f["side"], (f["past"] if f["side"] == "past" else f["next"])[0]): f["status"] for f in directions}
    goal3 = ["P2-3-1", "P2-3-2", "P2-3-3", "P3-3-1", "P3-3-2"]
    goal4 = ["P2-4-1", "P2-4-2", "P2-4-3", "P2-4-4", "P3-4-1", "P3-4-2"]
    for member in goal3 + goal4:
        side = "past" if member.startswith("P2") else "next"
        assert status[(side, member)] == "reorganised", member
    groups = {tuple(f["group"]) for f in directions if f["group"]}
    assert groups == {tuple(goal3), tuple(goal4)}
    assert "split" not in {f["status"] for f in directions}
    # one-to-many into P3-1-2 stays a merger
    assert status[("next", "P3-1-2")] == "merged" and status[("past", "P2-1-3")] == "merged"


def test_bundled_headline_counts_reorganisations_not_splits(bundled_data):
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    overview = page_sections(bundled_data, report_tables(bundled_data), {})[0][2]
    headline = overview.split('<div class="keypoints">')[1].split("</div>")[0]
    assert "分割" not in headline
    assert f"{FINDING_STATUS['reorganised']} 7（2 組）" in headline
    assert f"{FINDING_STATUS['merged']} 4" in headline


def test_bundled_compare_does_not_call_a_continued_direction_removed(bundled_data):
    comparison = bundled_data.comparison
    rows = comparison.directions.set_index("older", drop=False)
    # P2-1-3 has no one-to-one counterpart, but gaps says it merged into P3-1-2
    assert rows.loc["P2-1-3", "status"] == "continued_in" and rows.loc["P2-1-3", "successors"] == "P3-1-2"
    removed = comparison.directions[comparison.directions["status"] == "removed"]
    assert all(not s for s in removed["successors"])
    assert [n.code for n in comparison.notes] == ["one_to_one_view"]
    assert "P2-3-3" in comparison.notes[0].message


# -- problems and generic nouns ----------------------------------------------------------------
@pytest.mark.parametrize("features, compounds, key_terms, common, generic", [
    (["センター", "廃止"], [], ["地域福祉活動"], [], {"センター", "廃止"}),
    (["センター", "廃止"], [], ["支援センター"], [], {"廃止"}),  # part of a key compound
    (["theme:担い手", "担い手不足"], ["担い手不足"], [], [], set()),
    (["担い手不足", "地域"], ["担い手不足"], [], ["担い手不足"], {"担い手不足", "地域"}),  # too common
])
def test_generic_nouns(features, compounds, key_terms, common, generic):
    assert generic_nouns(features, compounds, key_terms, common) == generic


LEXICON = parse_lexicon('''
[[theme]]
name = "担い手"
terms = ["担い手"]

[[theme]]
name = "見守り"
terms = ["見守り"]
''')


def generic_corpus():
    past = [D("P1-1-1", "〇〇センター運営事業", evaluation="施設の老朽化に伴い、センターの廃止が課題となった。"),
            D("P1-1-2", "見守り活動の推進", evaluation="見守り訪問を行ったが、担い手の不足が課題である。")]
    nxt = [D("P2-1-1", "地域交流拠点の整備", text="多世代が集う拠点を整備する。"),
           D("P2-1-2", "子育て世帯への支援", text="児童館をセンターに改め、旧施設の廃止後も相談に応じる。"),
           D("P2-1-3", "地域活動の推進", text="地域の担い手を育て、活動を広げる。"),
           D("P2-1-4", "高齢者の生活支援", text="買い物や通院の支援を行う。")]
    return Corpus(name="generic", plans=[P("P1", 1, past), P("P2", 2, nxt, role="next")],
                  links=[Link("P1-1-1", "P2-1-1"), Link("P1-1-2", "P2-1-4")])


def test_generic_nouns_alone_take_no_problem_up():
    graph = build_continuity_graph(generic_corpus(), lexicon=LEXICON)
    state = continuity_state(graph)
    problems = {f.past[0]: f for f in findings(graph) if f.kind == "problem"}
    # the precondition: the unrelated direction shares two words with the problem (enough by count)
    center = next(s for s in state.features.side("P1-1-1", ("evaluation",)) if "課題" in s.text)
    other = frozenset().union(*(s.features for s in state.features.side("P2-1-2", ("title", "description"))))
    assert {"センター", "廃止"} <= center.features & other
    assert "P2-1-2" not in successor_map(graph)["P1-1-1"]
    assert "P2-1-2" not in problems["P1-1-1"].next
    # a shared theme (担い手) still takes a problem up across units, with the evidence kept
    assert problems["P1-1-2"].status == "taken_up" and "P2-1-3" in problems["P1-1-2"].next
    assert "担い手" in problems["P1-1-2"].shared


# -- three generations -------------------------------------------------------------------------
def chain():
    return Corpus(name="chain", plans=[
        P("P1", 1, [D("P1-1-1", "見守り活動の推進", evaluation="見守りの担い手不足が課題となった。"),
                    D("P1-1-2", "広報活動の充実", evaluation="広報紙を発行した。")]),
        P("P2", 2, [D("P2-1-1", "見守り活動の推進", evaluation="見守りの担い手を育成したが、担い手の確保が課題である。",
                      text="見守りの担い手を育てる。")]),
        P("P3", 3, [D("P3-1-1", "見守りネットワークの強化", text="見守りの担い手を確保し、ネットワークを強化する。"),
                    D("P3-1-2", "権利擁護の推進", text="成年後見制度の利用を支援する。")], role="next"),
    ], links=[Link("P1-1-1", "P2-1-1"), Link("P2-1-1", "P3-1-1")])


def test_three_generations_are_compared_pair_by_pair():
    graph = build_continuity_graph(chain(), lexicon=LEXICON)
    items = findings(graph)
    assert list(dict.fromkeys(f.plans for f in items)) == ["P1→P2", "P2→P3"]
    past = {(f.plans, f.past[0]): f.status for f in items if f.kind == "direction" and f.side == "past"}
    assert past == {("P1→P2", "P1-1-1"): "same_title", ("P1→P2", "P1-1-2"): "no_successor",
                    ("P2→P3", "P2-1-1"): "renamed"}
    new = {f.next[0] for f in items if f.kind == "direction" and f.status == "new"}
    assert new == {"P3-1-2"}
    problems = {f.subject: (f.plans, f.status) for f in items if f.kind == "problem"}
    assert problems["見守りの担い手不足が課題となった。"] == ("P1→P2", "taken_up")
    assert continuity_state(graph).notes == ()


def test_three_generations_compare_and_report():
    corpus = chain()
    assert compare_generations(corpus).older == "P2"
    assert compare_generations(corpus, 1, 2).directions["status"].tolist() == ["same_title", "removed"]
    from analysis.report import report_data
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    data = report_data(corpus)
    overview = page_sections(data, report_tables(data), {})[0][2]
    headline = overview.split('<div class="keypoints">')[1].split("</div>")[0]
    assert "第1次計画→第2次計画　施策の方向：第1次計画 2 件 → 第2次計画 1 件" in headline
    assert "第2次計画→第3次計画　施策の方向：第2次計画 1 件 → 第3次計画 2 件" in headline


def test_three_generations_gaps_cli(tmp_path):
    write_corpus(chain(), tmp_path / "c")
    code, text = run("gaps", tmp_path / "c")
    assert code == 0 and "# 継続性: P1→P2" in text and "# 継続性: P2→P3" in text


# -- the decision hook -------------------------------------------------------------------------
@pytest.mark.parametrize("decision, status, successors", [
    ({"label": "３ 終了・廃止・休止", "class": "end"}, "no_successor", []),
    ({"label": "統合", "class": "merge"}, "merged", ["P2-1-1"]),
    ({"label": "１ 現状維持", "class": "continue"}, "renamed", ["P2-1-1"]),
])
def test_a_decision_states_where_a_direction_went(decision, status, successors):
    corpus = Corpus(name="decided", plans=[
        P("P1", 1, [D("P1-1-1", "見守り活動の推進", evaluation="見守り訪問を行った。")]),
        P("P2", 2, [D("P2-1-1", "見守りネットワークの強化", text="見守り訪問を続ける。")], role="next"),
    ], links=[Link("P1-1-1", "P2-1-1")])
    from analysis.corpus import Decision

    corpus.plans[0].goals[0].directions[0].decision = Decision(label=decision["label"], class_=decision["class"])
    items = findings(build_continuity_graph(corpus, lexicon=LEXICON))
    finding = next(f for f in items if f.kind == "direction" and f.side == "past")
    assert (finding.status, finding.next) == (status, successors)
    assert finding.basis == ("" if decision["class"] == "continue" else "decision")
    # the next side agrees: an ended direction is nobody's predecessor, and compare says so too
    arrival = next(f for f in items if f.kind == "direction" and f.side == "next")
    assert (arrival.status == "new") == (decision["class"] == "end")
    row = compare_generations(corpus, lexicon=LEXICON).directions.iloc[0]
    assert row["successors"] == "、".join(successors)


def test_bundled_gaps_lists_the_groups_and_no_notes():
    code, text = run("gaps")
    assert code == 0 and "※" not in text
    assert "  再編 1: P2-3-1、P2-3-2、P2-3-3（3 件）→ P3-3-1、P3-3-2（2 件）" in text.splitlines()
    assert "  再編 2: P2-4-1、P2-4-2、P2-4-3、P2-4-4（4 件）→ P3-4-1、P3-4-2（2 件）" in text.splitlines()
    assert "[分割]" not in text


def test_graph_command_on_one_period_says_why(one_period, tmp_path):
    code, text = run("graph", one_period, "-o", tmp_path / "g")
    assert code == 0 and text.splitlines()[0] == f"※ {SINGLE_PERIOD}"


@pytest.mark.parametrize("corpus", ["bundled", "example"])
def test_compare_never_contradicts_gaps(corpus, tmp_path):
    """An older direction compare calls removed is one gaps finds no successor for; a newer one
    it calls added is new in gaps."""
    if corpus == "bundled":
        c = load_corpus()
    else:
        from conftest import ROOT

        assert run("import", ROOT / "corpus/examples/plan.csv", "--mapping", ROOT / "corpus/examples/mapping.toml",
                   "-o", tmp_path / "example")[0] == 0
        c = load_corpus(tmp_path / "example")
    items = findings(build_continuity_graph(c))
    gaps = {(f.side, (f.past if f.side == "past" else f.next)[0]): f.status for f in items if f.kind == "direction"}
    rows = compare_generations(c).directions.to_dict("records")
    assert rows
    for r in rows:
        if r["status"] == "removed":
            assert gaps[("past", r["older"])] == "no_successor", r
        if r["status"] == "added":
            assert gaps[("next", r["newer"])] == "new", r
        if r["status"] == "continued_in":
            assert gaps[("past", r["older"])] != "no_successor", r


def test_the_key_points_say_themes_compare_evaluations_with_directions_and_which_new_ones_the_past_titles_hold():
    # 相談支援 is "new" between P1's evaluations and P2's directions, though P1 titles a direction with
    # it: a committee must not read 新規 as "the past plan never had it"
    from analysis.report import report_data
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    corpus = Corpus(name="題名", plans=[
        P("P1", 1, [D("P1-1-1", "相談支援体制の強化", evaluation="見守り活動を実施した。")]),
        P("P2", 2, [D("P2-1-1", "相談支援体制の充実", text="見守りと相談支援を進める。")], role="next")])
    data = report_data(corpus)
    overview = page_sections(data, report_tables(data), {})[0][2]
    headline = overview.split('<div class="keypoints">')[1].split("</div>")[0]
    [themes] = [line for line in headline.split("<li>") if line.startswith("テーマ：")]
    assert "新規 1（相談支援）" in themes
    assert "第1次計画の評価と第2次計画の方向性の比較" in themes
    assert "新規のうち 1 件（相談支援）は第1次計画の施策名・取組内容にもあります" in themes


def test_a_unit_decided_ended_but_listed_again_under_its_name_is_that_unit_not_dropped_and_new(tmp_path):
    # 事務事業評価 of two years: 敬老祝金支給事業 was decided 廃止 in year 1 and is still there in
    # year 2. The decision alone said 後継なし and year 2's unit 新規; the data say it continued.
    from analysis.corpus import Decision

    def unit(pid, n, title, decision=None):
        return Direction(id=f"{pid}-1-{n}", plan_id=pid, goal_number=1, number=n, title=title,
                         evaluation="事業を実施した。", decision=decision)

    ended = Decision(label="廃止", class_="end", header="今後の方向性")
    corpus = Corpus(name="年度", plans=[
        Plan(id="P1", generation=1, title="令和4年度", goals=[Goal("P1", 1, "福祉", directions=[
            unit("P1", 1, "敬老祝金支給事業", ended), unit("P1", 2, "配食サービス事業", ended)])]),
        Plan(id="P2", generation=2, title="令和5年度", goals=[Goal("P2", 1, "福祉", directions=[
            unit("P2", 1, "敬老祝金支給事業"), unit("P2", 2, "見守り訪問事業")])])])
    by_unit = {(f.side, (f.past if f.side == "past" else f.next)[0]): f for f in findings(build_continuity_graph(corpus))
               if f.kind == "direction"}
    kept = by_unit[("past", "P1-1-1")]
    assert (kept.status, kept.next, kept.basis) == ("same_title", ["P2-1-1"], "decision_contradicted")
    assert by_unit[("next", "P2-1-1")].status == "same_title"
    gone = by_unit[("past", "P1-1-2")]  # decided 廃止 and not there: no successor, by its decision
    assert (gone.status, gone.next, gone.basis) == ("no_successor", [], "decision")
    assert by_unit[("next", "P2-1-2")].status == "new"
    write_corpus(corpus, tmp_path / "c")
    code, text = run("gaps", tmp_path / "c")
    assert code == 0 and "（今後の方向性は終了・廃止だが、次期にも同じ名称の施策・事業がある）" in text


def test_the_key_points_name_years_of_annual_evaluations_by_their_year():
    # years of 事務事業評価 read as plans (one per 年度): 「令和4年度 → 令和5年度」, not 第1次計画 → 第2次計画
    from analysis.report import report_data
    from analysis.report.sections import page_sections
    from analysis.report.tables import report_tables

    plans = []
    for g, year in ((1, "令和4年度"), (2, "令和5年度")):
        plan = P(f"P{g}", g, [D(f"P{g}-1-1", "見守り訪問事業", evaluation="訪問を行った。")])
        plan.period = year
        plans.append(plan)
    data = report_data(Corpus(name="年度", plans=plans))
    overview = page_sections(data, report_tables(data), {})[0][2]
    headline = overview.split('<div class="keypoints">')[1].split("</div>")[0]
    assert "施策の方向：令和4年度 1 件 → 令和5年度 1 件" in headline and "第1次計画" not in headline
