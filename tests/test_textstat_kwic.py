"""Tests for analysis/textstat/kwic.py (real Sudachi)."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.textstat.kwic import kwic, kwic_frame
from terms_corpus import make_tokens


def test_kwic_finds_split_compounds_and_keeps_the_original_text():
    tokens = make_tokens(["ﾎﾞﾗﾝﾃｨｱの担い手不足が課題となった。", "担い手の確保。"])
    hits = kwic(tokens, "担い手不足", window=2)
    assert len(hits) == 1
    hit = hits[0]
    # two tokens either side: ﾎﾞﾗﾝﾃｨｱ | の  ⟨担い手 不足⟩  が | 課題
    assert (hit["left"], hit["keyword"], hit["right"]) == ("ﾎﾞﾗﾝﾃｨｱの", "担い手不足", "が課題")
    assert (hit["unit"], hit["direction_id"], hit["line"]) == ("P2-1-1:evaluation:0", "P2-1-1", 10)
    # normalized matching: the query's width variant finds the original spelling
    assert kwic(tokens, "ボランティア", window=0)[0]["keyword"] == "ﾎﾞﾗﾝﾃｨｱ"
    assert len(kwic(tokens, "担い手")) == 2
    assert kwic_frame(tokens, "担い手")["keyword"].tolist() == ["担い手", "担い手"]


def test_kwic_bad_word():
    with pytest.raises(InputError):
        kwic(make_tokens(["担い手。"]), "  ")
