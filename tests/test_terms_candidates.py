"""Tests for analysis/terms/candidates.py: noun runs, trimming, candidates (real Sudachi)."""

from __future__ import annotations

import pytest

from analysis.terms.candidates import compound_candidates, unit_compounds
from analysis.tokens import tokenize
from terms_corpus import CORPUS, make_tokens


CANDIDATE_CASES = [
    # text, keys that must be candidates, keys that must not
    ("担い手不足が課題となった。", {"担い手不足"}, {"担い手", "不足", "課題となった"}),
    ("第2層協議体を開催した。", {"第2層協議体"}, {"2層協議体", "協議体"}),
    ("地域福祉コーディネーターを配置する。", {"地域福祉コーディネーター"}, {"地域福祉"}),
    ("市民後見人の養成", {"市民後見人", "養成"}, set()),
    # stop words are trimmed from the edges ...
    ("連携強化を図る。", {"連携"}, {"連携強化", "強化"}),
    ("各地域の住民等と協働した。", {"地域", "住民", "協働"}, {"各地域", "住民等"}),
    ("随時連携した。", {"連携"}, {"随時連携", "随時"}),
    # ... but kept inside a run or when bound to a suffix
    ("地域活動推進事業を行った。", {"地域活動推進事業"}, {"地域活動", "推進"}),
    ("推進員を配置した。", {"推進員"}, {"推進"}),
    # a verb's 連用形 inside a compound, but not at its end
    ("見守り活動と助け合い活動", {"見守り活動", "助け合い活動"}, {"見守る活動"}),
    # numerals and stop words alone are not terms
    ("令和2年度に推進する。", set(), {"令和2年度", "令和", "2", "推進", "年度"}),
    ("", set(), set()),
    ("！？…「」", set(), set()),
]


@pytest.mark.parametrize("text, present, absent", CANDIDATE_CASES)
def test_compound_candidates(text, present, absent):
    keys = set(compound_candidates(tokenize(text)).frequency)
    assert present <= keys
    assert not (absent & keys)


def test_candidates_keyed_by_normalized_form_with_most_frequent_display():
    cands = compound_candidates(tokenize("ﾎﾞﾗﾝﾃｨｱ活動とボランティア活動とボランティア活動。"))
    assert cands.frequency == {"ボランティア活動": 3}
    assert cands.display["ボランティア活動"] == "ボランティア活動"
    # a 1-1 tie is broken by the smaller string (ボ U+30DC < ﾎ U+FF8E), whatever the order
    for text in ["ﾎﾞﾗﾝﾃｨｱ活動とボランティア活動。", "ボランティア活動とﾎﾞﾗﾝﾃｨｱ活動。"]:
        assert compound_candidates(tokenize(text)).display["ボランティア活動"] == "ボランティア活動"


def test_candidates_of_tokens_count_frequency_units_and_runs():
    cands = compound_candidates(make_tokens(CORPUS))
    assert cands.frequency["担い手不足"] == 3
    assert cands.units["担い手不足"] == (0, 2)
    assert cands.parts["第2層協議体"] == ("第", "2", "層", "協議", "体")
    assert cands.runs[("担い手", "不足")] == 3 and cands.runs[("担い手", "育成")] == 1


def test_unit_compounds_in_order_of_first_occurrence():
    assert unit_compounds(tokenize(CORPUS[0])) == ["担い手不足", "地域福祉コーディネーター"]
    assert unit_compounds(tokenize(CORPUS[0]), min_parts=1) == ["担い手不足", "深刻", "解消",
                                                                 "地域福祉コーディネーター", "連携"]
