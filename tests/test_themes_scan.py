"""analysis.themes.scan: the fast scan gives what the plain definition (analysis.themes.match) gives.

The fast path finds every lexicon word of a sentence in one prefix walk over memoized per-token
units, from the token columns, and evaluates only the themes whose words occur (plus those that can
hold without a word).  The definition evaluates every theme with SentenceView's string search, here
on a copy of the sentence made from Token objects (so that it does not read the token columns).
Any optimisation must give the same output.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.themes import (
    IndexedView, SentenceView, code_units, compile_pattern, lexicon_index, load_lexicon, match_sentence,
    match_sentence_plain, parse_lexicon, sentence_columns,
)
from analysis.themes.lexicon import Lexicon
from analysis.themes.scan import match_units
from analysis.tokens import Sentence, Token, default_variants, tokenize, tokenize_units
from analysis.units import text_units
from themes_cases import FAST_LEXICON, LEXICON

# Only themes that need a word (none holds without one), so that match_units walks only the
# sentences its per-token check lets through: FAST_LEXICON without 介護なし (!介護) and the themes
# that refer to it, and words that cross tokens (担い手不足, 民生委員 児童委員, 相談 窓口).
WORDS = '''
[[theme]]
name = "窓口"
terms = ["ＮＰＯ法人", "相談窓口", "担い手不足", "取組"]
rules = ["seq(相談, 窓口 | 体制, 2)"]
'''
WORD_LEXICON = Lexicon(themes=tuple(t for t in parse_lexicon(FAST_LEXICON).themes
                                    if t.name not in {"介護なし", "参照", "否定だけ"}) + parse_lexicon(WORDS).themes)


def plain(lexicon, sentence, index=0):
    copy = Sentence(sentence.text, sentence.start, sentence.end, sentence.tokens)
    assert copy.columns is None
    return match_sentence_plain(lexicon, copy, index=index)


FAST_TEXTS = [
    "新たな担い手の確保が課題となった。地域の見守り活動を進めた。",
    "ﾎﾞﾗﾝﾃｨｱの担い手不足が続き、人材の確保が難しい。",
    "民生委員 児童委員と連携し、子どもの見守りを行った。児童委員の研修会を開いた。",
    "ＮＰＯ法人と npo の相談窓口、相談の体制を整えた。介護の相談も受けた。",
    "取り組みを進め、取組の評価を行った。　担い手　不足　",
    "介護予防の会議で、人材不足と担い手の不足、後継者の減少を話し合った。",
    "隨時、相談支援体制の充実に取り組む。見守る人が少ない。災害に備える。",
    "天気が良かった。",
    "",
]


@pytest.mark.parametrize("split_mode", ["A", "B", "C"])
def test_fast_scan_equals_the_plain_definition(split_mode):
    lexicon = parse_lexicon(FAST_LEXICON)
    seen = set()
    for text in FAST_TEXTS:
        for index, sentence in enumerate(tokenize(text, split_mode=split_mode)):
            assert sentence.columns is not None  # the fast path reads the token columns
            expected = plain(lexicon, sentence, index)
            assert match_sentence(lexicon, sentence, index=index) == expected, sentence.text
            seen.update(expected)
    # the inline texts exercise every theme, so the comparison is not vacuous
    assert seen == set(lexicon.names)


def plain_units(lexicon, unit_sentences):
    """match_units by the plain definition: every sentence of every unit evaluated."""
    return [[(i, found) for i, sentence in enumerate(sentences) if (found := plain(lexicon, sentence, i))]
            for sentences in unit_sentences]


@pytest.mark.parametrize("source", [FAST_LEXICON, "words"])
@pytest.mark.parametrize("split_mode", ["A", "B", "C"])
def test_match_units_equals_the_plain_definition(source, split_mode):
    lexicon = WORD_LEXICON if source == "words" else parse_lexicon(source)
    units = [tokenize(text, split_mode=split_mode) for text in FAST_TEXTS]
    expected = plain_units(lexicon, units)
    assert match_units(lexicon, units, variants=default_variants()) == expected
    assert {name for found in expected for _, themes in found for name in themes} == set(lexicon.names)


def test_match_units_finds_words_that_cross_tokens():
    # 担い手不足 is two tokens (three with a space between): only the check on a pair of tokens lets
    # such a sentence through, as 担い手 alone and 不足 alone are no word of this lexicon
    lexicon = parse_lexicon('[[theme]]\nname = "不足"\nterms = ["担い手不足"]\n')
    units = [tokenize("担い手不足が続く。担い手が多い。不足はない。"), tokenize("担い手　不足"), tokenize("担い手")]
    assert [t.surface for t in units[0][0].tokens][:2] == ["担い手", "不足"]
    assert [t.surface for t in units[1][0].tokens] == ["担い手", "　", "不足"]
    found = match_units(lexicon, units, variants=default_variants())
    assert [[i for i, _ in unit] for unit in found] == [[0], [0], []]
    assert found == plain_units(lexicon, units)


def test_the_index_knows_which_themes_need_no_word():
    lexicon = parse_lexicon(FAST_LEXICON)
    index = lexicon_index(lexicon)
    assert [lexicon.themes[n].name for n in index.always] == ["介護なし"]  # !介護 holds without a word
    assert index is lexicon_index(lexicon)
    # 見守り triggers its theme, 参照 (theme:介護なし & (見守り | 相談): the narrowest operand that needs
    # a word) and 否定だけ (theme:参照 | …); 介護なし is always evaluated
    found = index.candidates([compile_pattern("見守り").norm], [])
    assert [lexicon.themes[n].name for n in found] == ["見守り", "介護なし", "参照", "否定だけ"]


def test_fast_scan_equals_the_plain_definition_on_the_bundled_corpus():
    from analysis.corpus_io import load_corpus

    lexicon = load_lexicon()
    tokens = tokenize_units(text_units(load_corpus()), cache=False)
    coded = code_units(tokens, lexicon)
    found = 0
    for (unit, sentences), c in zip(tokens, coded):
        assert c.unit is unit
        expected: dict = {}
        for index, sentence in enumerate(sentences):
            for name, matches in plain(lexicon, sentence, index).items():
                expected.setdefault(name, []).extend(matches)
        assert c.themes == {name: expected[name] for name in lexicon.names if name in expected}
        assert list(c.themes) == [name for name in lexicon.names if name in c.themes]
        found += len(c.themes)
    assert found > 50


def test_a_token_with_an_empty_unit_is_matched_by_the_definition():
    # A token whose normalized form is empty gives an empty unit; the walk cannot step over it,
    # so such a sentence is evaluated by the plain definition.
    lexicon = parse_lexicon(FAST_LEXICON)
    real = tokenize("担い手の確保が課題となった。")[0]
    tokens = list(real.tokens)
    tokens[1] = Token(tokens[1].surface, "", tokens[1].pos_id, tokens[1].begin, tokens[1].end)
    odd = Sentence(real.text, real.start, real.end, tokens)
    expected = match_sentence_plain(lexicon, odd)
    assert "担い手不足" in expected
    assert match_sentence(lexicon, odd) == expected
    assert lexicon_index(lexicon).has_empty
    words = WORD_LEXICON  # no theme holds without a word: the per-token check is used
    assert match_units(words, [[odd]], variants=default_variants()) == [[(0, match_sentence_plain(words, odd))]]


def test_an_indexed_view_looks_up_indexed_words_and_searches_others():
    sentence = tokenize("新たな担い手の確保が課題となった。")[0]
    index = lexicon_index(parse_lexicon(FAST_LEXICON))  # 課題 is none of its words
    memo = index.token_memo(default_variants())
    surfaces, norms, begins, ends = sentence_columns(sentence)
    infos = [memo[key] for key in zip(surfaces, norms)]
    view = IndexedView.over(sentence, infos, begins, ends, {}, {}, index)  # no hits
    assert view.find(compile_pattern("担い手")) == []  # an indexed word: only what the walk found
    expected = SentenceView(sentence).find(compile_pattern("課題"))
    assert expected and view.find(compile_pattern("課題")) == expected


FRAGMENTS = ["担い手", "不足", "の", "確保", "が", "課題", "見守り", "相談", "窓口", "体制", "介護",
             "児童", "委員", "子ども", "ＮＰＯ", "npo", "法人", "ﾎﾞﾗﾝﾃｨｱ", "研修", "人材", "取組",
             "取り組み", "連携", "民生委員 児童委員", "、", "。", " ", "　", "た", "は", "で", "隨時"]


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=14))
def test_fast_scan_equals_the_plain_definition_on_generated_text(pieces):
    lexicon = parse_lexicon(FAST_LEXICON)
    for index, sentence in enumerate(tokenize("".join(pieces))):
        assert match_sentence(lexicon, sentence, index=index) == plain(lexicon, sentence, index)


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=14), max_size=4))
def test_match_units_equals_the_plain_definition_on_generated_text(texts):
    lexicon = WORD_LEXICON
    units = [tokenize("".join(pieces)) for pieces in texts]
    assert match_units(lexicon, units, variants=default_variants()) == plain_units(lexicon, units)


def test_code_units_on_sentences_not_straight_from_one_texts_columns():
    # code_units checks the tokens by the numbers of the terms pass's flattened columns, which take
    # other branches for hand-built sentences, a text shared by two units and part of a text
    from analysis.tokens import Tokens
    from analysis.units import TextUnit

    columns = [tokenize(text) for text in FAST_TEXTS[:3]]
    handmade = [Sentence(s.text, s.start, s.end, tuple(s.tokens)) for s in tokenize(FAST_TEXTS[3])]
    sentences = [columns[0], handmade, columns[1], columns[0], columns[2][1:], [columns[2][0], handmade[0]]]
    units = [TextUnit(id=f"u{i}", plan_id="P2", generation=2, goal_number=1, direction_id=f"d{i}",
                      field="evaluation", text="", line=i + 1) for i in range(len(sentences))]
    coded = code_units(Tokens(units=units, sentences=sentences), WORD_LEXICON, cache=False)
    found = 0
    for c, unit_sentences in zip(coded, sentences):
        expected: dict = {}
        for index, sentence in enumerate(unit_sentences):
            for name, matches in plain(WORD_LEXICON, sentence, index).items():
                expected.setdefault(name, []).extend(matches)
        assert c.themes == {name: expected[name] for name in WORD_LEXICON.names if name in expected}
        found += len(c.themes)
    assert found >= 6
