"""Tests for analysis/textstat/tfidf.py (real Sudachi; weights computed by hand)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.terms.features import unit_features
from analysis.textstat.tfidf import count_matrix, tfidf_by_direction, tfidf_frame
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


# -- the count matrix against scikit-learn's own vectorizers (the reference) -----------------

def reference_tfidf(tokens, top=10):
    """tfidf_by_direction as TfidfVectorizer computes it (the documents as the stage builds them)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.textstat.tfidf import _direction_documents  # noqa: the documents, not the weights

    names, docs = _direction_documents(tokens, unit_features(tokens))
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, lowercase=False)
    matrix = vectorizer.fit_transform(docs).tocsr()
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    out = {}
    for row, name in enumerate(names):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, weights = matrix.indices[start:end], matrix.data[start:end]
        best = np.lexsort((columns, -weights))[:top]
        out[name] = [(vocabulary[j], w) for j, w in zip(columns[best].tolist(), weights[best].tolist())]
    return out


def assert_counts_equal_count_vectorizer(docs):
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    for dtype in (np.int64, np.float64):
        vectorizer = CountVectorizer(analyzer=lambda doc: doc, lowercase=False, dtype=dtype)
        expected = vectorizer.fit_transform(docs).tocsr()
        vocabulary, counts = count_matrix(docs, dtype=dtype)
        assert_same_matrix(vocabulary, counts, vectorizer, expected)


def assert_same_matrix(vocabulary, counts, vectorizer, expected):
    assert vocabulary == sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    assert counts.shape == expected.shape and counts.dtype == expected.dtype
    assert counts.indptr.tolist() == expected.indptr.tolist()
    assert counts.indices.tolist() == expected.indices.tolist()
    assert counts.data.tolist() == expected.data.tolist()


def test_count_matrix_equals_count_vectorizer_on_table_cases():
    assert_counts_equal_count_vectorizer([["連携", "担い手", "連携"], [], ["見守り", "a", "A", "担い手"], ["連携"]])
    assert_counts_equal_count_vectorizer([[], ["地域福祉コーディネーター"] * 3, []])


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["連携", "担い手", "担い手不足", "見守り", "ｱ", "ア", "a", "", "地域"]),
                         max_size=12), min_size=1, max_size=6).filter(any))
def test_count_matrix_equals_count_vectorizer_on_generated_documents(docs):
    assert_counts_equal_count_vectorizer(docs)


def test_tfidf_equals_tfidf_vectorizer_on_the_bundled_corpus():
    from analysis.corpus_io import load_corpus
    from analysis.tokens import tokenize_units
    from analysis.units import text_units

    tokens = tokenize_units(text_units(load_corpus()), cache=False)
    result = tfidf_by_direction(tokens, top=10, cache=False)
    assert result == reference_tfidf(tokens, top=10)  # the very same floats
    assert sum(map(len, result.values())) > 100
