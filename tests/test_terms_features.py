"""Tests for analysis/terms/features.py: the analyzer and the unit features (real Sudachi)."""

from __future__ import annotations

from analysis.terms.features import make_analyzer, unit_features
from terms_corpus import CORPUS, make_tokens


def test_analyzer_content_words_and_compounds_without_stop_words():
    analyze = make_analyzer()
    assert analyze("担い手不足の解消に向けて連携強化を図る。") == [
        "担い手", "不足", "解消", "連携", "担い手不足"]


def test_analyzer_plugs_into_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=make_analyzer())
    matrix = vectorizer.fit_transform(["担い手不足。担い手不足。", "担い手育成。"])
    vocabulary = vectorizer.vocabulary_
    assert matrix[0, vocabulary["担い手不足"]] == 2 and matrix[1, vocabulary["担い手"]] == 1


def test_unit_features_do_not_retokenize():
    tokens = make_tokens(CORPUS)
    assert unit_features(tokens)[1] == ["地域", "福祉", "コーディネーター", "担い手", "育成",
                                        "地域福祉コーディネーター", "担い手育成"]


def test_unit_features_are_the_analyzers_on_each_unit():
    tokens = make_tokens(CORPUS + ["各地域の住民等が見守り活動を行う。", ""])
    analyze = make_analyzer()
    assert unit_features(tokens) == [analyze(unit.text) for unit in tokens.units]
    words_only = make_analyzer(compounds=False)
    assert unit_features(tokens, compounds=False) == [words_only(unit.text) for unit in tokens.units]
