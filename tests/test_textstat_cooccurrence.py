"""Tests for analysis/textstat/cooccurrence.py (real Sudachi; Jaccard values computed by hand)."""

from __future__ import annotations

import pytest

from analysis.errors import SettingsError
from analysis.terms.candidates import noun_runs, run_candidate
from analysis.terms.stopwords import load_stopwords
from analysis.textstat.cooccurrence import communities, cooccurrence_edges_frame, cooccurrence_graph
from analysis.tokens import Tokens, tokenize
from analysis.units import TextUnit


def make_tokens(texts) -> Tokens:
    units = [TextUnit(id=f"d{i}:evaluation", plan_id="P2", generation=2, goal_number=1,
                      direction_id=f"d{i}", field="evaluation", text=t, line=i + 1)
             for i, t in enumerate(texts)]
    return Tokens(units=units, sentences=[tokenize(u.text) for u in units])


# Sentences and their terms:
#   s1 {担い手不足, サロン運営}  s2 {担い手不足, サロン運営}  s3 {担い手不足, 見守り活動}
#   s4 {見守り活動}               s5 {権利擁護, 成年後見}      s6 {権利擁護, 成年後見}
# Units: u0 = s1 s2, u1 = s3 s4, u2 = s5 s6.
TEXTS = [
    "担い手不足でサロン運営が難しい。担い手不足がサロン運営に響いた。",
    "担い手不足で見守り活動が減った。見守り活動を続けた。",
    "権利擁護と成年後見を周知した。権利擁護と成年後見の相談。",
]


def test_jaccard_by_sentence_hand_computed():
    g = cooccurrence_graph(make_tokens(TEXTS), min_frequency=2, min_jaccard=0.2)
    # 担い手不足 in s1 s2 s3, サロン運営 in s1 s2: 2 / 3
    assert g.edges["担い手不足", "サロン運営"]["jaccard"] == pytest.approx(2 / 3)
    assert g.edges["担い手不足", "サロン運営"]["cooccurrence"] == 2
    # 担い手不足 and 見守り活動 share s3 only: 1 / (3 + 2 − 1) = 0.25
    assert g.edges["担い手不足", "見守り活動"]["jaccard"] == pytest.approx(0.25)
    # 権利擁護 and 成年後見 always together: 1
    assert g.edges["権利擁護", "成年後見"]["jaccard"] == pytest.approx(1.0)
    assert not g.has_edge("サロン運営", "見守り活動")
    assert g.nodes["担い手不足"]["frequency"] == 3 and g.nodes["担い手不足"]["contexts"] == 3
    # thresholds: 0.25 < 0.3 drops that edge; top keeps the strongest
    assert not cooccurrence_graph(make_tokens(TEXTS), min_jaccard=0.3).has_edge("担い手不足", "見守り活動")
    top = cooccurrence_graph(make_tokens(TEXTS), top=1)
    assert [tuple(sorted(e)) for e in top.edges] == [("成年後見", "権利擁護")]  # 成 U+6210 < 権 U+6A29


def test_jaccard_by_unit():
    g = cooccurrence_graph(make_tokens(TEXTS), unit="unit", min_frequency=2, min_jaccard=0.0)
    # by unit: 担い手不足 in u0 u1, サロン運営 in u0, 見守り活動 in u1 → 1/2 each;
    # サロン運営 and 見守り活動 never share a unit → no edge
    assert g.edges["担い手不足", "サロン運営"]["jaccard"] == pytest.approx(0.5)
    assert g.edges["担い手不足", "見守り活動"]["jaccard"] == pytest.approx(0.5)
    assert not g.has_edge("サロン運営", "見守り活動")


def test_communities_are_deterministic_and_numbered_by_size():
    graphs = [cooccurrence_graph(make_tokens(TEXTS), seed=0) for _ in range(2)]
    assert [sorted(g.nodes(data="community")) for g in graphs][0] == sorted(graphs[1].nodes(data="community"))
    groups = communities(graphs[0])
    # the 担い手不足 cluster (3 terms) is community 0, 権利擁護・成年後見 community 1; members
    # by frequency, then code point (サ U+30B5 < 見 U+898B, 成 U+6210 < 権 U+6A29)
    assert groups == [["担い手不足", "サロン運営", "見守り活動"], ["成年後見", "権利擁護"]]


def test_edges_frame_sorted_with_communities():
    frame = cooccurrence_edges_frame(cooccurrence_graph(make_tokens(TEXTS)))
    assert list(frame.columns) == ["source", "target", "jaccard", "cooccurrence", "community"]
    assert frame["jaccard"].tolist() == pytest.approx([1.0, 2 / 3, 0.25])
    assert frame["community"].tolist() == [1, 0, 0]


def test_empty_and_bad_options():
    assert cooccurrence_graph(make_tokens(["。", ""])).number_of_nodes() == 0
    with pytest.raises(SettingsError):
        cooccurrence_graph(make_tokens(TEXTS), unit="paragraph")
    with pytest.raises(SettingsError):
        cooccurrence_graph(make_tokens(TEXTS), min_jaccard=1.5)


# The graph's figures recomputed the simple way: every sentence's (or unit's) candidates
# walked token by token, then every pair of terms compared.
VARIED = [
    "各地域の住民等が見守り活動を行う。担い手不足で見守り活動が減った。",
    "ﾎﾞﾗﾝﾃｨｱの担い手不足　サロン運営の課題。担い手不足とサロン運営。",
    "",
    "見守り活動と見守り活動。サロン運営\n\n権利擁護と成年後見。権利擁護と成年後見の相談。",
    "担い手不足。",
]


@pytest.mark.parametrize("unit", ["sentence", "unit"])
def test_graph_matches_a_brute_force_count(unit):
    from collections import Counter

    tokens = make_tokens(VARIED)
    stops = load_stopwords()
    contexts, frequency, spellings = [], Counter(), {}
    for sentences in tokens.sentences:
        for group in ([[s] for s in sentences] if unit == "sentence" else [sentences]):
            found = set()
            for run in noun_runs(group):
                cand = run_candidate(run, stops)
                if cand is not None:
                    key = "".join(cand[0])
                    frequency[key] += 1
                    spellings.setdefault(key, Counter())["".join(cand[1])] += 1
                    found.add(key)
            contexts.append(found)
    g = cooccurrence_graph(tokens, unit=unit, min_frequency=1, min_jaccard=0.0, top=None)
    expected = {}
    keys = sorted(frequency)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            both = sum(1 for c in contexts if a in c and b in c)
            if both:
                either = sum(1 for c in contexts if a in c or b in c)
                expected[(a, b)] = (both / either, both)
    assert {tuple(sorted(e)): (d["jaccard"], d["cooccurrence"]) for *e, d in g.edges(data=True)} == expected
    for key, data in g.nodes(data=True):
        assert data["frequency"] == frequency[key]
        assert data["contexts"] == sum(1 for c in contexts if key in c)
        assert data["label"] == min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
    assert len(expected) >= 4  # the corpus does link terms


def test_jaccard_matrix_holds_every_pair_weak_ones_too():
    from analysis.textstat.cooccurrence import jaccard_matrix

    terms = ["担い手不足", "サロン運営", "見守り活動", "権利擁護", "存在しない語"]
    m = jaccard_matrix(make_tokens(TEXTS), terms)
    assert list(m.index) == list(m.columns) == terms
    assert m.loc["担い手不足", "サロン運営"] == pytest.approx(2 / 3)
    assert m.loc["担い手不足", "見守り活動"] == pytest.approx(0.25)  # kept though below a 0.3 threshold
    assert m.loc["サロン運営", "見守り活動"] == 0.0 and m.loc["担い手不足", "権利擁護"] == 0.0
    assert (m.values == m.values.T).all()
    assert [m.loc[t, t] for t in terms] == [1.0, 1.0, 1.0, 1.0, 0.0]  # a term never seen: all 0
    by_unit = jaccard_matrix(make_tokens(TEXTS), terms[:3], unit="unit")
    assert by_unit.loc["担い手不足", "見守り活動"] == pytest.approx(0.5)


def test_nodes_frame_lists_the_graph_by_frequency():
    from analysis.textstat.cooccurrence import cooccurrence_nodes_frame

    frame = cooccurrence_nodes_frame(cooccurrence_graph(make_tokens(TEXTS)))
    assert list(frame.columns) == ["term", "label", "frequency", "contexts", "degree", "community"]
    assert frame["term"].tolist()[0] == "担い手不足"  # 3 occurrences, the others 2
    row = frame.set_index("term").loc["担い手不足"]
    assert (row["frequency"], row["contexts"], row["degree"], row["community"]) == (3, 3, 2, 0)
