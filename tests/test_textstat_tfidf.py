"""Tests for analysis/textstat/tfidf.py (real Sudachi; weights computed by hand)."""

from __future__ import annotations

import math

import pytest

from analysis.terms.features import unit_features
from analysis.textstat.tfidf import tfidf_by_direction, tfidf_frame
from terms_corpus import make_tokens


def test_tfidf_by_direction_hand_computed():
    tokens = make_tokens(["担い手不足。", "担い手育成。"], directions=["A", "B"])
    result = tfidf_by_direction(tokens, top=3)
    # A: 担い手, 不足, 担い手不足 (tf 1 each); idf = ln(3/3)+1 = 1 for 担い手 (df 2),
    # ln(3/2)+1 for the others; l2 norm = sqrt(1 + 2 (ln 1.5 + 1)^2)
    idf = math.log(1.5) + 1
    norm = math.sqrt(1 + 2 * idf ** 2)
    assert [term for term, _ in result["A"]] == ["不足", "担い手不足", "担い手"]
    assert [w for _, w in result["A"]] == pytest.approx([idf / norm, idf / norm, 1 / norm])
    assert list(result) == ["A", "B"]
    frame = tfidf_frame(tokens, top=1)
    # ties by code point: 不 (U+4E0D) < 担 (U+62C5) < 育 (U+80B2)
    assert frame[["direction", "term"]].values.tolist() == [["A", "不足"], ["B", "担い手育成"]]


def test_tfidf_top_and_ties_follow_term_order():
    # two directions sharing no feature, each feature once: within a direction every weight
    # ties (1/sqrt(n) after l2 normalization), so the order is the terms' order and top cuts it
    tokens = make_tokens(["見守り。サロン。", "権利擁護。成年後見。"], directions=["A", "B"])
    features = unit_features(tokens)
    assert not set(features[0]) & set(features[1])
    assert all(len(set(f)) == len(f) for f in features)
    out = tfidf_by_direction(tokens, top=10)
    for name, feats in zip("AB", features):
        assert [t for t, _ in out[name]] == sorted(feats)[:10]
        assert all(w == pytest.approx(1 / math.sqrt(len(feats))) for _, w in out[name])
    assert tfidf_by_direction(tokens, top=1)["B"] == out["B"][:1]
    assert tfidf_by_direction(tokens, top=0) == {"A": [], "B": []}
