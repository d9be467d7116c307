"""Tests for analysis/terms/scores.py: FLR, C-value and the term table (real Sudachi).

Expected numbers are computed by hand in the comments from the formulas, never copied from output.
"""

from __future__ import annotations

import math

import pytest

from analysis.errors import SettingsError
from analysis.terms.candidates import unit_compounds
from analysis.terms.scores import adjacency, cvalue_scores, flr_scores, term_table, terms_frame
from terms_corpus import CORPUS, make_tokens


def test_adjacency_counts_token_occurrences_of_neighbours():
    # 地域→福祉 twice, 福祉→活動 once: RN(地域)=2, LN(福祉)=2, RN(福祉)=1, LN(活動)=1
    left, right = adjacency({("地域", "福祉"): 2, ("福祉", "活動"): 1, ("地域",): 3})
    assert left == {"福祉": 2, "活動": 1}
    assert right == {"地域": 2, "福祉": 1}


def test_flr_hand_computed():
    scores = flr_scores({("地域", "福祉"): 2, ("福祉", "活動"): 1, ("地域",): 3})
    # LN/RN: 地域 0/2, 福祉 2/1, 活動 1/0
    # 地域福祉: 2 × ((0+1)(2+1)(2+1)(1+1))^(1/4) = 2 × 18^(1/4)
    assert scores[("地域", "福祉")] == pytest.approx(2 * 18 ** 0.25)
    # 福祉活動: 1 × ((2+1)(1+1)(1+1)(0+1))^(1/4) = 12^(1/4)
    assert scores[("福祉", "活動")] == pytest.approx(12 ** 0.25)
    # 地域 alone: 3 × ((0+1)(2+1))^(1/2) = 3√3
    assert scores[("地域",)] == pytest.approx(3 * math.sqrt(3))


def test_flr_adjacency_from_separate_runs():
    runs = {("担い手", "不足"): 1, ("担い手", "育成"): 2, ("人材", "不足"): 1}
    # RN(担い手)=3, LN(不足)=2: LR = ((0+1)(3+1)(2+1)(0+1))^(1/4) = 12^(1/4); f = 1
    assert flr_scores({("担い手", "不足"): 1}, runs=runs) == {("担い手", "不足"): pytest.approx(12 ** 0.25)}


# ----------------------------------------------------------------------------- C-value

def test_cvalue_hand_computed():
    freq = {("地域", "福祉", "活動"): 3, ("地域", "福祉"): 2, ("福祉", "活動"): 1, ("社会", "福祉", "活動"): 1}
    s = cvalue_scores(freq)
    # 地域福祉活動, 社会福祉活動: not nested → log2(3) × f
    assert s[("地域", "福祉", "活動")] == pytest.approx(math.log2(3) * 3)
    assert s[("社会", "福祉", "活動")] == pytest.approx(math.log2(3) * 1)
    # 地域福祉: f = 2 + 3 = 5, t = 3, c = 1 → 1 × (5 − 3/1) = 2
    assert s[("地域", "福祉")] == pytest.approx(2.0)
    # 福祉活動: f = 1 + 3 + 1 = 5, t = 4, c = 2 → 5 − 4/2 = 3
    assert s[("福祉", "活動")] == pytest.approx(3.0)
    # 社会福祉: only inside 社会福祉活動: f = 1, t = 1, c = 1 → 0
    assert s[("社会", "福祉")] == pytest.approx(0.0)


def test_cvalue_counts_each_nested_occurrence_once():
    a, b, c, d = "地域", "福祉", "活動", "計画"
    s = cvalue_scores({(a, b, c, d): 2, (a, b, c): 1})
    # f(abc) = 1 + 2 = 3, t = 2, c = 1 → log2(3) × (3 − 2)
    assert s[(a, b, c)] == pytest.approx(math.log2(3))
    # ab occurs 3 times, all nested (2 in abcd, 1 in abc; not 2 + 3): c = |{abcd, abc}| = 2
    assert s[(a, b)] == pytest.approx(3 - 3 / 2)
    # bc: f = 3, t = 3, containers abcd, abc, bcd → 3 − 3/3 = 2
    assert s[(b, c)] == pytest.approx(2.0)
    # cd: f = 2, t = 2, containers abcd, bcd → 2 − 2/2 = 1; bcd: 2 − 2/1 = 0; abcd: log2(4) × 2
    assert s[(c, d)] == pytest.approx(1.0)
    assert s[(b, c, d)] == pytest.approx(0.0)
    assert s[(a, b, c, d)] == pytest.approx(4.0)


# ---------------------------------------------------------------------------- term table

def test_term_table_flr_hand_computed_on_tokens():
    table = term_table(make_tokens(CORPUS), method="flr")
    # adjacency over all noun runs: RN(担い手) = 3 (不足) + 1 (育成) = 4, LN(不足) = 3,
    # LN(育成) = 1; RN(地域) = LN(福祉) = RN(福祉) = LN(コーディネーター) = 2; in 第2層協議体
    # every inner neighbour count is 1.
    expected = {
        "担い手不足": 3 * (1 * 5 * 4 * 1) ** (1 / 4),
        "地域福祉コーディネーター": 2 * (1 * 3 * 3 * 3 * 3 * 1) ** (1 / 6),
        "担い手育成": 1 * (1 * 5 * 2 * 1) ** (1 / 4),
        "第2層協議体": (1 * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 1) ** (1 / 10),
    }
    assert [t.key for t in table] == sorted(expected, key=lambda k: -expected[k])
    for term in table:
        assert term.score == pytest.approx(expected[term.key])
    first = table[0]
    assert (first.term, first.frequency, first.total_frequency, first.document_frequency) == ("担い手不足", 3, 3, 2)
    assert {"term", "score", "frequency"} <= set(first.to_dict())
    assert first.to_dict()["parts"] == ["担い手", "不足"]


def test_term_table_options():
    tokens = make_tokens(CORPUS)
    assert [t.key for t in term_table(tokens, method="flr", min_frequency=2)] == ["担い手不足", "地域福祉コーディネーター"]
    assert len(term_table(tokens, top=1)) == 1
    singles = {t.key for t in term_table(tokens, method="flr", min_parts=1, top=None)}
    assert {"連携", "深刻", "担い手不足"} <= singles
    with pytest.raises(SettingsError, match="method"):
        term_table(tokens, method="tfidf")
    assert term_table(make_tokens(["。", ""]), top=None) == []


def test_term_table_cvalue_includes_nested_terms():
    tokens = make_tokens(["地域福祉コーディネーターと地域福祉の推進。", "地域福祉コーディネーター。"])
    table = {t.key: t for t in term_table(tokens, method="cvalue", top=None)}
    # 地域福祉コーディネーター: not nested, f = 2 → log2(3) × 2
    assert table["地域福祉コーディネーター"].score == pytest.approx(math.log2(3) * 2)
    # 地域福祉: f = 1 + 2 = 3, t = 2, c = 1 → 1 × (3 − 2) = 1; found in both units
    t = table["地域福祉"]
    assert t.score == pytest.approx(1.0)
    assert (t.frequency, t.total_frequency, t.document_frequency) == (1, 3, 2)
    # 福祉コーディネーター is only ever nested (never written on its own): not a term
    assert "福祉コーディネーター" not in table


def test_terms_frame_columns():
    frame = terms_frame(make_tokens(CORPUS), method="flr", top=2)
    assert list(frame.columns)[:4] == ["term", "key", "score", "frequency"]
    assert frame["term"].tolist() == ["担い手不足", "地域福祉コーディネーター"]


# -------------------------------------------------------------------- analyzer, frequency


def test_a_long_run_without_punctuation_is_bounded():
    # one 40,000-character noun run (longer than a Sudachi call allows in bytes)
    tokens = make_tokens(["地域福祉" * 10_000])
    table = term_table(tokens, method="cvalue", top=5)
    assert table and all(len(t.parts) >= 2 for t in table)
    assert unit_compounds(tokens.sentences[0])


def test_cvalue_min_frequency_counts_nested_occurrences():
    tokens = make_tokens(["地域福祉コーディネーターと地域福祉の推進。", "地域福祉コーディネーター。"])
    # 地域福祉: once alone, twice nested → total 3; FLR counts only the whole occurrence
    assert "地域福祉" in {t.key for t in term_table(tokens, method="cvalue", min_frequency=3, top=None)}
    assert "地域福祉" not in {t.key for t in term_table(tokens, method="flr", min_frequency=2, top=None)}
