"""The continuity graph and its findings on small hand-made plans whose answers are known by hand.

PAST (generation 1, evaluated) → NEXT (generation 2):

- P1-1-1 見守り活動の推進 → P2-1-1 見守り活動の推進 (same title); its evaluation raises
  担い手不足, which P2-1-1 takes up (担い手を確保).
- P1-1-2 サロン活動の充実 + P1-1-3 ふれあい交流の推進 → P2-1-2 居場所づくりの推進 (merged);
  P1-1-3 raises 参加者の減少, which no next direction mentions (not taken up).
- P1-2-1 災害ボランティアの育成 → P2-2-1 + P2-2-2 (split).
- P1-2-2 広報活動の充実: no successor, and its theme 情報発信 is dropped.
- P1-3-1 相談体制の充実 → P2-3-1 総合相談支援の推進 (renamed).
- P2-2-3 権利擁護の推進: new, and so is its theme 権利擁護.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from analysis.continuity import (AGREEMENT_COLUMNS, DIRECTION_STATUSES, FINDING_COLUMNS, PROBLEM_STATUSES,
                                 THEME_STATUSES, PlanPair, agreement_frame, build_continuity_graph,
                                 continuity_options, continuity_settings, continuity_state, findings,
                                 findings_frame, links, links_frame, plan_pairs, problem_focus, score_pair,
                                 successor_map, text_features)
from analysis.corpus import Corpus, Direction, Goal, Link, Plan
from analysis.errors import SettingsError
from analysis.settings import Settings
from analysis.themes import parse_lexicon
from analysis.tokens import tokenize

LEXICON = parse_lexicon('''
[[theme]]
name = "見守り"
terms = ["見守り"]

[[theme]]
name = "担い手"
terms = ["担い手"]

[[theme]]
name = "災害"
terms = ["災害", "防災"]

[[theme]]
name = "権利擁護"
terms = ["権利擁護", "成年後見"]

[[theme]]
name = "情報発信"
terms = ["広報"]

[[theme]]
name = "相談"
terms = ["相談"]
''')


def D(id, title, *, evaluation="", text="", initiatives=(), line=1, priority=None):
    plan, goal, number = id.split("-")
    return Direction(id=id, plan_id=plan, goal_number=int(goal), number=int(number), title=title,
                     evaluation=evaluation, text=text, initiatives=list(initiatives),
                     source_lines=[line], priority=priority)


PAST = [
    (1, "見守る", [
        D("P1-1-1", "見守り活動の推進", initiatives=["高齢者の見守り"], line=3,
          evaluation="民生委員と連携し、高齢者の見守り活動を行うことができた。見守りの担い手不足が課題となった。"),
        D("P1-1-2", "サロン活動の充実", evaluation="地域のサロン活動を支援した。", line=4),
        D("P1-1-3", "ふれあい交流の推進", evaluation="世代間の交流会を開催した。参加者の減少が課題となった。", line=5),
    ]),
    (2, "備える", [
        D("P1-2-1", "災害ボランティアの育成", evaluation="災害ボランティア養成講座を開催した。", line=6),
        D("P1-2-2", "広報活動の充実", evaluation="広報紙を年4回発行した。", line=7),
    ]),
    (3, "支える", [D("P1-3-1", "相談体制の充実", evaluation="相談窓口で生活困窮者の相談に応じた。", line=8)]),
]
NEXT = [
    (1, "見守る", [
        D("P2-1-1", "見守り活動の推進", text="高齢者の見守り活動の担い手を確保し、見守りの輪を広げる。", line=3, priority=1),
        D("P2-1-2", "居場所づくりの推進", text="サロンや世代間の交流会など、地域の居場所づくりに取り組む。", line=4),
    ]),
    (2, "備える", [
        D("P2-2-1", "災害時の支援体制づくり", text="災害ボランティアセンターの運営訓練を行う。", line=6),
        D("P2-2-2", "防災ボランティアの養成", text="災害ボランティア養成講座を開催する。", line=6),
        D("P2-2-3", "権利擁護の推進", text="成年後見制度の利用を支援する。", line=9),
    ]),
    (3, "支える", [D("P2-3-1", "総合相談支援の推進", text="生活困窮者の相談に応じる総合相談窓口を整える。", line=8)]),
]
STATED = [("P1-1-1", "P2-1-1"), ("P1-1-2", "P2-1-2"), ("P1-1-3", "P2-1-2"), ("P1-2-1", "P2-2-1"),
          ("P1-2-1", "P2-2-2"), ("P1-3-1", "P2-3-1")]


def make_plan(pid, generation, role, goals):
    return Plan(id=pid, generation=generation, title=f"第{generation}次計画", role=role,
                goals=[Goal(plan_id=pid, number=n, title=t, label=t, directions=list(ds)) for n, t, ds in goals])


def make_corpus(stated=STATED, relisted=()):
    return Corpus(name="mini", plans=[make_plan("P1", 1, "evaluated", PAST), make_plan("P2", 2, "next", NEXT)],
                  links=[Link(s, t, line=3, relisted=(s, t) in relisted) for s, t in stated])


@pytest.fixture(scope="module")
def graph():
    return build_continuity_graph(make_corpus(relisted={("P1-1-3", "P2-1-2")}), lexicon=LEXICON)


@pytest.fixture(scope="module")
def items(graph):
    return findings(graph)


def by(items, kind, subject=None, side=None):
    return {(f.subject if kind != "direction" else (f.past[0] if f.side == "past" else f.next[0])): f
            for f in items if f.kind == kind and (side is None or f.side == side)}


# -- structure ----------------------------------------------------------------------------------
def test_node_kinds_and_counts(graph):
    kinds = Counter(a["kind"] for _, a in graph.nodes(data=True))
    assert kinds["plan"] == 2 and kinds["goal"] == 6 and kinds["direction"] == 12
    assert {graph.nodes[n]["label"] for n, a in graph.nodes(data=True) if a["kind"] == "theme"} == \
        {"見守り", "担い手", "災害", "権利擁護", "情報発信", "相談"}
    assert kinds["term"] >= 1
    assert graph.nodes["P2-1-1"]["priority"] == 1 and graph.nodes["P2-1-2"]["priority"] == 0
    assert graph.nodes["P1-1-1"]["label"] == "見守り活動の推進"


def test_edge_kinds(graph):
    kinds = Counter(a["kind"] for *_, a in graph.edges(data=True))
    assert kinds["contains"] == 6 + 12  # plan→goal, goal→direction
    stated = {(s, t) for s, t, a in graph.edges(data=True) if a["kind"] == "link" and a["stated"]}
    assert stated == set(STATED)
    assert graph.edges["P1-1-3", "P2-1-2"]["relisted"] is True
    assert graph.edges["P1-1-2", "P2-1-2"]["relisted"] is False
    assert graph.edges["P1-1-1", "P2-1-1"]["line"] == 3
    # mentions: the 見守り direction mentions the 見守り theme in title, initiative and evaluation
    mention = graph.edges["P1-1-1", "theme:見守り"]
    assert mention["kind"] == "mentions" and mention["count"] >= 3
    assert not graph.has_edge("P1-2-2", "theme:見守り")
    # a weight on every edge for layouts: 1 for structure and stated links
    assert all(isinstance(a["weight"], float) for *_, a in graph.edges(data=True))
    assert graph.edges["P1-2-1", "P2-2-1"]["weight"] == 1.0


def test_every_attribute_is_graphml_safe(graph):
    for _, attrs in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in attrs.values())
    for *_, attrs in graph.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in attrs.values())


def test_content_scores_for_every_past_direction_also_where_stated(graph):
    frame = agreement_frame(graph)
    assert list(frame.columns) == AGREEMENT_COLUMNS
    assert list(frame["past"]) == ["P1-1-1", "P1-1-2", "P1-1-3", "P1-2-1", "P1-2-2", "P1-3-1"]
    # where the document states a link, the texts agree for these hand-made plans
    rows = frame.set_index("past")
    for past in ("P1-1-1", "P1-2-1", "P1-3-1"):
        assert rows.loc[past, "agreement"] == "agree"
    assert rows.loc["P1-2-2", "agreement"] == "none"  # nothing stated, nothing similar
    # content links carry a score and the shared words behind it
    edge = graph.edges["P1-3-1", "P2-3-1"]
    assert edge["content"] and edge["score"] >= 0.15
    assert "相談" in edge["shared_terms"].split("、")
    # the stated link with the weakest wording still has its score computed
    assert graph.edges["P1-2-1", "P2-2-1"]["score"] > 0


def test_content_links_alone_find_the_obvious_successors():
    graph = build_continuity_graph(make_corpus(stated=[]), lexicon=LEXICON)
    succ = successor_map(graph)
    assert "P2-1-1" in succ["P1-1-1"]
    assert "P2-2-2" in succ["P1-2-1"]
    assert succ["P1-3-1"] == ["P2-3-1"]
    assert "P2-1-2" in succ["P1-1-3"]
    assert succ["P1-2-2"] == []
    statuses = {f.past[0]: f.status for f in findings(graph) if f.kind == "direction" and f.side == "past"}
    assert statuses["P1-2-2"] == "no_successor"
    assert {f.next[0] for f in findings(graph) if f.kind == "direction" and f.side == "next"
            and f.status == "new"} >= {"P2-2-3"}


# -- classification ------------------------------------------------------------------------------
PAST_STATUS = [("P1-1-1", "same_title"), ("P1-1-2", "merged"), ("P1-1-3", "merged"), ("P1-2-1", "split"),
               ("P1-2-2", "no_successor"), ("P1-3-1", "renamed")]
NEXT_STATUS = [("P2-1-1", "same_title"), ("P2-1-2", "merged"), ("P2-2-1", "split"), ("P2-2-2", "split"),
               ("P2-2-3", "new"), ("P2-3-1", "renamed")]


@pytest.mark.parametrize("direction, status", PAST_STATUS)
def test_where_past_directions_went(items, direction, status):
    assert by(items, "direction", side="past")[direction].status == status


@pytest.mark.parametrize("direction, status", NEXT_STATUS)
def test_where_next_directions_came_from(items, direction, status):
    assert by(items, "direction", side="next")[direction].status == status


def test_direction_findings_name_both_sides(items):
    split = by(items, "direction", side="past")["P1-2-1"]
    assert split.next == ["P2-2-1", "P2-2-2"]
    merged = by(items, "direction", side="next")["P2-1-2"]
    assert merged.past == ["P1-1-2", "P1-1-3"]
    assert merged.evidence[-1] == {"direction": "P2-1-2", "sentence": "居場所づくりの推進", "line": 4}


@pytest.mark.parametrize("theme, status, past, next_", [
    ("見守り", "continued", ["P1-1-1"], ["P2-1-1"]),
    ("情報発信", "dropped", ["P1-2-2"], []),
    ("権利擁護", "new", [], ["P2-2-3"]),
    ("災害", "continued", ["P1-2-1"], ["P2-2-1", "P2-2-2"]),
])
def test_theme_findings(items, theme, status, past, next_):
    f = by(items, "theme")[theme]
    assert (f.status, f.past, f.next) == (status, past, next_)
    assert f.past_count == sum(1 for e in f.evidence if e["direction"].startswith("P1"))
    assert all({"direction", "sentence", "line"} == set(e) for e in f.evidence)


def test_theme_counts_are_sentences_on_each_side(items):
    f = by(items, "theme")["見守り"]
    # past evaluations: 2 sentences of P1-1-1 mention 見守り; next: title + description of P2-1-1
    assert (f.past_count, f.next_count) == (2, 2)
    assert f.past_titles_count == 2  # P1-1-1's title and its initiative


def test_problems(items):
    problems = by(items, "problem")
    taken = problems["見守りの担い手不足が課題となった。"]
    assert taken.status == "taken_up" and taken.next == ["P2-1-1"] and taken.past == ["P1-1-1"]
    assert taken.evidence[0] == {"direction": "P1-1-1", "sentence": "見守りの担い手不足が課題となった。", "line": 3}
    assert taken.evidence[1]["direction"] == "P2-1-1" and "担い手" in taken.evidence[1]["sentence"]
    assert "担い手" in taken.shared
    missed = problems["参加者の減少が課題となった。"]
    assert missed.status == "not_taken_up" and missed.next == []
    assert set(problems) == {"見守りの担い手不足が課題となった。", "参加者の減少が課題となった。"}


def test_problem_focus_is_the_part_after_the_contrast():
    sentence = tokenize("住民主体の活動に取り組んだが、担い手の確保が課題となった。")[0]
    assert problem_focus(sentence).text == "担い手の確保が課題となった。"
    plain = tokenize("担い手の確保が課題となった。")[0]
    assert problem_focus(plain).text == plain.text


def test_statuses_and_dict_form(items):
    allowed = {"theme": THEME_STATUSES, "term": THEME_STATUSES, "problem": PROBLEM_STATUSES,
               "direction": DIRECTION_STATUSES}
    for f in items:
        assert f.status in allowed[f.kind]
        d = f.to_dict()
        assert {"kind", "subject", "status", "past", "next", "evidence"} <= set(d)
        assert all(set(e) == {"direction", "sentence", "line"} for e in d["evidence"])
    kinds = [f.kind for f in items]
    assert kinds == sorted(kinds, key=["theme", "term", "problem", "direction"].index)


def test_frames(graph, items):
    frame = findings_frame(items)
    assert list(frame.columns) == FINDING_COLUMNS and len(frame) == len(items)
    lf = links_frame(graph)
    stated = lf[lf["kind"] == "stated"]
    assert set(zip(stated["from"], stated["to"])) == set(STATED)
    assert set(lf["kind"]) <= {"stated", "content"}
    json_links = links(graph)
    assert all(set(link) >= {"from", "to", "kind", "score", "shared_terms"} for link in json_links)


def test_node_and_edge_frames(graph):
    from analysis.continuity import edges_frame, nodes_frame

    nodes, edges = nodes_frame(graph), edges_frame(graph)
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert {"id", "kind", "label"} <= set(nodes.columns)
    assert {"source", "target", "kind", "score", "shared_terms"} <= set(edges.columns)


def test_a_problem_in_the_last_generation_has_no_next_plan():
    corpus = Corpus(name="one", plans=[make_plan("P1", 1, "evaluated", PAST)])
    items = findings(corpus, lexicon=LEXICON)
    problems = [f for f in items if f.kind == "problem"]
    assert problems == []  # no next plan in the corpus: nothing to judge them by


def test_only_consecutive_generations_are_paired():
    third = [(1, "見守る", [D("P3-1-1", "見守り活動の推進", text="見守りを続ける。")])]
    corpus = make_corpus()
    corpus.plans.append(make_plan("P3", 3, "next", third))
    assert [p.name for p in plan_pairs(corpus)] == ["P1→P2", "P2→P3"]
    graph = build_continuity_graph(corpus, lexicon=LEXICON)
    scored = {(s, t) for p in continuity_state(graph).pairs for (s, t) in p.scores}
    assert not any(s.startswith("P1") and t.startswith("P3") for s, t in scored)
    assert len(scored) == 6 * 6 + 6 * 1


@pytest.mark.parametrize("section, message", [
    ({"weight_tfidf": -1.0}, "weight_tfidf"),
    ({"weight_tfidf": 0.0, "weight_themes": 0.0, "weight_terms": 0.0}, "weights"),
    ({"successors": "nearest"}, "successors"),
    ({"min_content_score": 1.5}, "min_content_score"),
])
def test_bad_settings(section, message):
    # Refused when the settings are made (naming the setting), before any stage runs.
    with pytest.raises(SettingsError, match=message):
        Settings.load().replace(continuity=section)


def test_threshold_is_a_setting():
    strict = Settings.load().replace(continuity={"min_content_score": 0.99})
    graph = build_continuity_graph(make_corpus(), settings=strict, lexicon=LEXICON)
    assert not any(a.get("content") for *_, a in graph.edges(data=True))
    # stated links stay
    assert sum(1 for *_, a in graph.edges(data=True) if a.get("stated")) == len(STATED)


# The gaps JSON and the GraphML of the bundled corpus, written by a fresh interpreter: a set or
# dict whose order follows string hashes would make them differ between PYTHONHASHSEED values.
OUTPUTS_SCRIPT = """
import sys
from analysis.continuity import agreement_frame, build_continuity_graph, findings, links
from analysis.corpus_io import load_corpus
from analysis.graphio import graph_text
from analysis.outputs import json_dumps, plain_value

graph = build_continuity_graph(load_corpus())
agreement = [{k: plain_value(v) for k, v in row.items()} for row in agreement_frame(graph).to_dict(orient="records")]
gaps = {"links": links(graph), "findings": [f.to_dict() for f in findings(graph)], "agreement": agreement}
sys.stdout.write(json_dumps(gaps) + "\\n===\\n" + graph_text(graph, "graphml"))
"""


def test_outputs_do_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys

    def run(seed: str) -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", OUTPUTS_SCRIPT], env=env, capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        return result.stdout

    first, second = run("1"), run("2")
    assert b'"findings"' in first and b"<graphml" in first
    assert first == second


# -- the bundled corpus: a fair account of what the third plan takes from the second's evaluation ---
@pytest.fixture(scope="module")
def bundled():
    from analysis.corpus_io import load_corpus

    corpus = load_corpus()
    graph = build_continuity_graph(corpus)
    return corpus, graph, findings(graph)


def test_bundled_every_stated_link_is_in_the_graph(bundled):
    corpus, graph, _ = bundled
    stated = {(link.source, link.target) for link in corpus.links if link.kind == "stated"}
    assert stated
    for source, target in stated:
        assert graph.has_edge(source, target) and graph.edges[source, target]["stated"] is True
    relisted = {(link.source, link.target) for link in corpus.links if link.relisted}
    assert all(graph.edges[s, t]["relisted"] for s, t in relisted)


def test_bundled_shortage_of_people_is_taken_up_by_a_direction_about_them(bundled):
    corpus, graph, items = bundled
    problems = [f for f in items if f.kind == "problem" and "担い手" in f.subject]
    assert problems, "the evaluations raise 担い手 as a problem"
    for f in problems:
        assert f.status == "taken_up"
        titles = [graph.nodes[n]["label"] for n in f.next]
        assert any("担い手" in t for t in titles) or any("ボランティア" in t for t in titles), titles
    assert any(any("担い手" in graph.nodes[n]["label"] for n in f.next) for f in problems)
    # and it is not spread over the whole next plan
    assert all(len(f.next) <= len([d for d in corpus.plans[-1].directions()]) // 2 for f in problems)


def test_bundled_content_links_mostly_agree_with_the_document(bundled):
    _, graph, _ = bundled
    frame = agreement_frame(graph)
    stated_rows = frame[frame["stated"] != ""]
    agree = (stated_rows["agreement"] == "agree").sum()
    assert agree >= len(stated_rows) / 2
    # same titles across generations are found
    same = [f for f in bundled[2] if f.kind == "direction" and f.side == "past" and f.status == "same_title"]
    assert same and all(graph.nodes[f.past[0]]["label"] == graph.nodes[f.next[0]]["label"] for f in same)


def test_bundled_themes_run_through_both_generations(bundled):
    _, _, items = bundled
    themes = {f.subject: f for f in items if f.kind == "theme"}
    assert themes["連携・協働"].status == "continued"
    assert themes["担い手不足"].status == "continued"
    assert {f.status for f in themes.values()} >= {"continued", "new"}


def test_findings_need_the_graph_made_in_memory(graph, tmp_path):
    from analysis.errors import InputError
    from analysis.graphio import read_graph, write_graph

    back = read_graph(write_graph(graph, tmp_path / "g.graphml"))
    with pytest.raises(InputError, match="pass the Corpus"):
        findings(back)


def test_a_link_to_an_unknown_direction_is_an_error():
    from analysis.errors import InputError

    corpus = make_corpus(stated=STATED + [("P1-1-1", "P2-9-9")])
    with pytest.raises(InputError, match="P2-9-9"):
        build_continuity_graph(corpus, lexicon=LEXICON)


def test_titles_only_plans_still_link():
    past = [(1, "つなぐ", [D("P1-1-1", "見守り活動の推進"), D("P1-1-2", "広報の充実")])]
    nxt = [(1, "つなぐ", [D("P2-1-1", "見守り活動の推進"), D("P2-1-2", "")])]
    corpus = Corpus(name="titles", plans=[make_plan("P1", 1, "evaluated", past), make_plan("P2", 2, "next", nxt)])
    graph = build_continuity_graph(corpus, lexicon=LEXICON)
    assert successor_map(graph) == {"P1-1-1": ["P2-1-1"], "P1-1-2": []}
    statuses = {f.subject: f.status for f in findings(graph) if f.kind == "direction" and f.side == "past"}
    assert statuses == {"見守り活動の推進": "same_title", "広報の充実": "no_successor"}


def test_bundled_graph_round_trips_through_graphml(bundled, tmp_path):
    import networkx as nx

    from analysis.graphio import write_graph

    _, graph, _ = bundled
    back = nx.read_graphml(write_graph(graph, tmp_path / "continuity.graphml"))
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert {(s, t): a for s, t, a in back.edges(data=True)} == {(s, t): a for s, t, a in graph.edges(data=True)}


@pytest.mark.parametrize("compounds, nouns, key, expected", [
    ({"権利擁護支援"}, {"権利", "擁護", "支援"}, "権利擁護", True),   # nested in a longer compound
    ({"担い手不足"}, {"担い手", "不足"}, "担い手", True),             # a simple noun
    ({"地域福祉活動"}, {"地域", "福祉", "活動"}, "権利擁護", False),
    (set(), {"福祉"}, "地域福祉", False),
])
def test_has_term(compounds, nouns, key, expected):
    from analysis.continuity import SentenceInfo, has_term

    info = SentenceInfo("P1-1-1", "evaluation", "", 1, frozenset(nouns), frozenset(compounds), frozenset())
    assert has_term(info, key) is expected


def test_stated_refined_keeps_the_stated_links_the_texts_support():
    settings = Settings.load().replace(continuity={"successors": "stated_refined"})
    graph = build_continuity_graph(make_corpus(), settings=settings, lexicon=LEXICON)
    succ = successor_map(graph)
    assert succ["P1-2-1"] == ["P2-2-2"]  # 災害ボランティア養成講座 is in P2-2-2's text, not P2-2-1's
    assert succ["P1-1-1"] == ["P2-1-1"]  # a single stated link is kept as it is
    statuses = {f.next[0]: f.status for f in findings(graph) if f.kind == "direction" and f.side == "next"}
    assert statuses["P2-2-2"] == "renamed" and statuses["P2-2-1"] == "new"


# -- one Analysis in, one frozen state out (analysis.continuity.graph) ----------------------------
def test_the_graph_consumes_the_analysis_it_is_given(monkeypatch):
    import analysis.themes
    import analysis.tokens
    from analysis.pipeline import analyze

    corpus = make_corpus()
    made = analyze(corpus, lexicon=LEXICON)
    made.coded, made.stances  # computed here, once
    expected = [f.to_dict() for f in findings(build_continuity_graph(corpus, tokens=made.tokens, lexicon=LEXICON))]

    def again(*args, **kwargs):
        raise AssertionError("the continuity stage ran a stage above it again")

    monkeypatch.setattr(analysis.tokens, "tokenize_corpus", again)
    monkeypatch.setattr(analysis.tokens, "tokenize_units", again)
    monkeypatch.setattr(analysis.themes, "code_units", again)
    graph = build_continuity_graph(corpus, analysis=made)
    state = continuity_state(graph)
    assert state.analysis is made and state.corpus is corpus
    assert [f.to_dict() for f in findings(graph)] == expected


def test_problems_come_from_the_stances_given():
    graph = build_continuity_graph(make_corpus(), lexicon=LEXICON, stances=[])
    assert [f for f in findings(graph) if f.kind == "problem"] == []
    assert continuity_state(graph).problems == ()


def test_the_state_is_complete_and_frozen(graph):
    import dataclasses

    state = continuity_state(graph)
    assert all(getattr(state, f.name) is not None for f in dataclasses.fields(state))
    assert [p.pair.name for p in state.pairs] == ["P1→P2"]
    assert state.settings["continuity"] == continuity_settings(graph)["continuity"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.problems = ()


def test_analysis_and_its_parts_are_not_given_together():
    from analysis.pipeline import analyze

    corpus = make_corpus()
    made = analyze(corpus, lexicon=LEXICON)
    with pytest.raises(TypeError, match="not both"):
        build_continuity_graph(corpus, analysis=made, lexicon=LEXICON)
    with pytest.raises(ValueError, match="another corpus"):
        build_continuity_graph(make_corpus(), analysis=made)


# -- the content score (analysis.continuity.scoring) ------------------------------------------------
@pytest.fixture(scope="module")
def features():
    return text_features(make_corpus(), lexicon=LEXICON)


def test_score_pair_scores_every_past_direction_against_every_next_one(features):
    corpus = make_corpus()
    scored = score_pair(PlanPair(corpus.plans[0], corpus.plans[1]), features)
    assert len(scored.scores) == 6 * 6
    link = scored.scores[("P1-1-1", "P2-1-1")]
    # both sides carry the themes 見守り and 担い手 and nothing else
    assert link.theme_jaccard == 1.0 and link.shared_terms[:2] == ["担い手", "見守り"]
    assert max(scored.scores[("P1-1-1", t)].score for t in scored.next_ids) == link.score
    assert scored.scores[("P1-2-2", "P2-2-3")].score == 0.0  # 広報 against 成年後見: nothing shared


def test_score_is_the_weighted_mean_of_its_parts(features):
    corpus = make_corpus()
    pair = PlanPair(corpus.plans[0], corpus.plans[1])
    cosine_only = continuity_options(Settings.load().replace(
        continuity={"weight_tfidf": 1.0, "weight_themes": 0.0, "weight_terms": 0.0}))
    themes_only = continuity_options(Settings.load().replace(
        continuity={"weight_tfidf": 0.0, "weight_themes": 2.0, "weight_terms": 0.0}))
    for a, b in zip(score_pair(pair, features, options=cosine_only).scores.values(),
                    score_pair(pair, features, options=themes_only).scores.values()):
        assert a.score == a.cosine and b.score == b.theme_jaccard


def _source(path, rows: list[str], columns: dict[str, str], plan: str) -> Path:
    """A CSV table (header first) and its sibling mapping: ``columns`` role → header, ``plan``
    the mapping's [plan] lines."""
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = "".join(f'{role} = "{header}"\n' for role, header in columns.items())
    path.with_suffix(".mapping.toml").write_text(f"[columns]\n{mapping}[plan]\n{plan}\n", encoding="utf-8")
    return path


def test_a_theme_and_a_word_of_one_name_are_shared_once(tmp_path):
    """The bundled lexicon's theme ボランティア and the word ボランティア both tie the problem to the
    next direction: the finding names ボランティア once (it said 「ボランティア、ボランティア」)."""
    from analysis.importers import import_sources

    evaluated = _source(tmp_path / "eval.csv", [
        "基本目標,事業名,評価",
        "1 地域で支え合う,ふれあいサロン支援事業,サロンは18か所に増えたが、運営ボランティアの高齢化が進み、担い手不足が課題である。",
        "1 地域で支え合う,見守り訪問事業,民生委員と連携して見守り訪問を実施した。対象者の把握が十分でない地区が残った。",
        "2 安心して暮らす,権利擁護センター運営事業,成年後見の相談が増加し、市民後見人の養成を進めた。",
        "2 安心して暮らす,福祉有償運送事業,利用者が減少し、運転協力員の確保も困難となった。",
        "3 つながりをつくる,災害ボランティアセンター設置訓練,訓練を1回実施した。関係機関との連携体制づくりは今後の課題である。",
    ], {"goal": "基本目標", "direction": "事業名", "evaluation": "評価"}, 'title = "第3次さくら市地域福祉活動計画"')
    following = _source(tmp_path / "next.csv", [
        "基本目標,方向性,説明",
        "基本目標1 支え合いの地域づくり,（1）地域の担い手の発掘と育成,サロンや見守りを支えるボランティアを新たに育てる。",
        "基本目標1 支え合いの地域づくり,（2）見守りネットワークの充実,民生委員や自治会と連携し、見守りの対象者を把握する。",
        "基本目標2 安心の暮らし,（1）権利擁護の推進,市民後見人の養成と成年後見制度の利用促進を進める。",
        "基本目標2 安心の暮らし,（2）孤独・孤立対策,ひきこもりや孤立した人を支える居場所をつくる。",
    ], {"goal": "基本目標", "direction": "方向性", "description": "説明"},
        'title = "第4次さくら市地域福祉活動計画"\nrole = "next"')
    corpus = import_sources([evaluated, following])
    problems = {f.evidence[0]["direction"]: f for f in findings(build_continuity_graph(corpus)) if f.kind == "problem"}
    salon = problems["P3-1-1"]
    assert salon.status == "taken_up" and salon.next == ["P4-1-1"] and "ボランティア" in salon.shared
    assert all(len(f.shared) == len(set(f.shared)) for f in problems.values())
