"""Tests for analysis/terms/stopwords.py: the stop list file and the ``stopwords=`` argument (real Sudachi)."""

from __future__ import annotations

import pytest

from analysis.errors import SettingsError
from analysis.terms.scores import term_table
from analysis.terms.stopwords import load_stopwords, resolve_stopwords
from terms_corpus import make_tokens


def test_bundled_stopwords_hold_admin_words_and_their_normalized_forms():
    words = load_stopwords()
    for word in ["推進", "充実", "強化", "取り組む", "図る", "各種", "等", "実施", "する", "為る", "こと"]:
        assert word in words, word
    for word in ["担い手", "不足", "連携", "見守り", "権利擁護", "地域", "福祉"]:
        assert word not in words, word



def test_bundled_stopwords_keep_the_plans_framing_and_stock_decisions_out_of_the_terms():
    # 現状と課題 heads a section of every plan, and 現状どおり運営 / 例年通り word a decision: neither
    # says what a direction is about (gaps listed 現状どおり運営 as a 「消えた」 compound term)
    tokens = make_tokens(["現状と課題を整理した。", "図書館は現状どおり運営する。", "講座は現行どおり継続する。",
                          "見守り活動を例年通り実施した。", "配食サービスは計画通り進んだ。"])
    keys = {t.key for t in term_table(tokens, top=None)}
    assert not {k for k in keys if any(w in k for w in ("現状", "現行", "例年", "通り"))}, keys
    assert {"見守り活動", "配食サービス", "図書館", "講座"} <= keys

def test_stopwords_file_comments_blank_lines_and_normalization(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# comment\n\n連携  # trailing comment\nする\n", encoding="utf-8")
    assert load_stopwords(path) == frozenset({"連携", "する", "為る"})


@pytest.mark.parametrize("content, line", [("推進\n地域 福祉\n", 2), ("a\n\nb\tc\n", 3)])
def test_stopwords_bad_line_is_a_settings_error_naming_the_line(tmp_path, content, line):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_stopwords(path)
    assert info.value.line == line and str(path) in str(info.value)


def test_stopwords_missing_or_binary_file(tmp_path):
    with pytest.raises(SettingsError, match="not found"):
        load_stopwords(tmp_path / "none.txt")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(SettingsError, match="UTF-8"):
        load_stopwords(tmp_path / "bin.txt")


def test_stopwords_argument_replaces_the_list():
    tokens = make_tokens(["連携強化と担い手不足。"])
    assert {t.key for t in term_table(tokens, stopwords=set(), top=None)} == {"連携強化", "担い手不足"}
    assert {t.key for t in term_table(tokens, stopwords={"不足"}, top=None, min_parts=1)} == {"連携強化", "担い手"}


def test_resolve_stopwords_none_path_or_words(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("連携\n", encoding="utf-8")
    assert resolve_stopwords() == load_stopwords()
    assert resolve_stopwords(path) == resolve_stopwords(str(path)) == frozenset({"連携"})
    # words are used as given: する is not normalized to 為る
    assert resolve_stopwords(["する", "する"]) == frozenset({"する"})
