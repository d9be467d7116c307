"""Tests for analysis/textstat/frequency.py (real Sudachi; counts by hand)."""

from __future__ import annotations

from analysis.textstat.frequency import frequency_table
from terms_corpus import CORPUS, make_tokens


def test_frequency_table_term_and_document_frequency():
    frame = frequency_table(make_tokens(CORPUS)).set_index("term")
    # 担い手: U1 twice, U2 once, U3 once → 4 in 3 units; 不足: 3 in 2 units
    assert frame.loc["担い手", ["frequency", "document_frequency"]].tolist() == [4, 3]
    assert frame.loc["不足", ["frequency", "document_frequency"]].tolist() == [3, 2]
    # stop words (為る, 進める, 向ける) are not counted
    assert not {"為る", "進める", "向ける", "有る"} & set(frame.index)
    assert frame.index[0] == "担い手"
