"""analysis.themes.patterns: folding, short units of words and tokens, a sentence's columns."""

from __future__ import annotations

from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.themes import (TokenMemo, compile_pattern, fold, fold_fast, fold_many, sentence_columns, short_units,
                             token_units, token_units_many, unit_memo)
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


# what could fold differently when texts are joined: half-width kana and a lone voiced mark
# (composed by NFKC), combining marks, Greek capital sigma (lower-cased by context), ligatures,
# spaces, variants, the joiner itself
_ACROSS = "ｶﾞﾞ\u3099\u0301eΣΑσﬁ 　\t\n隨髙Ｎa\x00"


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ACROSS, max_size=4), max_size=8))
def test_folding_many_at_once_equals_folding_each(texts):
    variants = default_variants()
    assert fold_many(texts, variants) == [fold_fast(t, variants) for t in texts]


def test_folding_many_with_a_table_that_moves_the_joiner():
    assert fold_many(["ab", "連携"], {"\x00": "x"}) == ["ab", "連携"]  # the table folds the joiner away
    assert fold_many(["ab", "cd"], {"b": "\x00"}) == ["a\x00", "cd"]  # ... or makes one
    assert fold_many(["a\x00b", "連携"], {"\x00": "x"}) == ["axb", "連携"]  # a text holds it


def test_token_units_of_many_equal_those_of_each():
    variants = default_variants()
    keys = [(s.surface, s.norm) for sentence in tokenize("ﾎﾞﾗﾝﾃｨｱと相談窓口で　ＮＰＯ法人が隨時連携した。")
            for s in sentence.tokens]
    assert len(keys) > 5
    assert token_units_many(keys, variants) == [token_units(s, n, variants) for s, n in keys]


def test_a_token_memo_fills_many_keys_in_one_call():
    calls = []

    def many(keys):
        calls.append(list(keys))
        return [k[0] + k[1] for k in keys]

    memo = TokenMemo(lambda a, b: a + b, make_many=many, limit=4)
    memo["x", "y"]
    memo.fill([("a", "b"), ("x", "y"), ("a", "b"), ("c", "d")])
    assert calls == [[("a", "b"), ("c", "d")]]  # only the keys not held, once each
    assert memo == {("x", "y"): "xy", ("a", "b"): "ab", ("c", "d"): "cd"}
    memo.fill([("e", "f"), ("g", "h")])  # over the limit: left to the misses
    assert len(calls) == 1 and ("e", "f") not in memo and memo["e", "f"] == "ef"


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
