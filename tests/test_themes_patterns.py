"""analysis.themes.patterns: folding, short units of words and tokens, a sentence's columns."""

from __future__ import annotations

from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.themes import compile_pattern, fold, fold_fast, sentence_columns, short_units, token_units, unit_memo
from analysis.tokens import Sentence, default_variants, tokenize


def test_fold_is_width_case_variant_and_space_blind():
    variants = default_variants()
    assert fold("ＮＰＯ 法人", variants) == fold("npo法人", variants)
    assert fold("ﾎﾞﾗﾝﾃｨｱ", variants) == fold("ボランティア", variants)
    assert fold("隨時", variants) == fold("随時", variants)


@hypothesis_settings(max_examples=80, deadline=None)
@given(st.text(max_size=12))
def test_fast_fold_equals_fold(text):
    variants = default_variants()
    assert fold_fast(text, variants) == fold(text, variants)
    assert fold_fast(text + "隨髙ｶﾞ", variants) == fold(text + "隨髙ｶﾞ", variants)


def test_a_pattern_is_its_short_units_normalized():
    pattern = compile_pattern("担い手不足")
    assert pattern.norm == "".join(n for _, n in short_units("担い手不足"))
    assert compile_pattern("取組").norm == compile_pattern("取り組み").norm


def test_token_units_spell_the_token_or_keep_it_whole():
    variants = default_variants()
    units = token_units("相談窓口", "相談窓口", variants)
    assert units.count == len(units.norms) == len(units.surfaces) > 1
    assert "".join(units.surfaces) == "相談窓口"
    assert token_units("。", "。", variants).count == 1
    assert token_units("\u3000", "\u3000", variants).count == 0  # whitespace: nothing to match


def test_unit_memo_holds_token_units():
    variants = default_variants()
    assert unit_memo(variants)[("相談窓口", "相談窓口")] == token_units("相談窓口", "相談窓口", variants)
    assert unit_memo(variants) is unit_memo(variants)


def test_columns_read_from_token_columns_equal_those_read_from_tokens():
    for sentence in tokenize("新たな担い手の確保が課題となった。　民生委員 児童委員と連携した。"):
        assert sentence.columns is not None
        copy = Sentence(sentence.text, sentence.start, sentence.end, sentence.tokens)
        surfaces, norms, begins, ends = sentence_columns(sentence)
        plain_surfaces, plain_norms, plain_begins, plain_ends = sentence_columns(copy)
        assert (surfaces, norms, ends) == (plain_surfaces, plain_norms, plain_ends)
        assert (begins if begins is not None else [0, *ends[:-1]]) == plain_begins
