"""analysis.themes.match: the plain definition of what a theme matches in a sentence.

Each case runs on the definition (:func:`match_sentence_plain`) and on the public, fast
:func:`match_sentence`; ``tests/test_themes_scan.py`` checks the two agree everywhere.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.themes import (
    SentenceView, compile_pattern, evaluate_rule, load_lexicon, match_sentence, match_sentence_plain,
    parse_lexicon, parse_rule,
)
from analysis.tokens import tokenize
from themes_cases import LEXICON

MATCHERS = {"plain": match_sentence_plain, "fast": match_sentence}


@pytest.fixture(params=sorted(MATCHERS))
def match(request):
    return MATCHERS[request.param]


def lexicon_of(*rules: str, terms: tuple[str, ...] = ()) -> str:
    quoted = ", ".join(f"'{r}'" for r in rules)
    term_list = ", ".join(f'"{t}"' for t in terms)
    return f'[[theme]]\nname = "T"\nterms = [{term_list}]\nrules = [{quoted}]\n'


MATCH_CASES = [
    # (rule, sentence, matches)
    ("担い手不足", "地域活動の担い手不足が深刻である。", True),  # Sudachi splits 担い手|不足
    ("near(担い手, 確保 | 不足, 3)", "担い手の確保が課題となった。", True),
    ("near(担い手, 確保 | 不足, 3)", "新たな担い手の確保に努める。", True),
    ("near(担い手, 確保 | 不足, 3)", "担い手の育成に取り組んだ。", False),
    ("near(担い手, 不足, 1)", "担い手が地域でとても不足している。", False),  # 4 tokens apart
    ("near(担い手, 不足, 5)", "担い手が地域でとても不足している。", True),
    ("near(担い手, 不足, 5)", "不足している担い手を補う。", True),  # either order
    ("seq(担い手, 不足, 5)", "不足している担い手を補う。", False),  # seq keeps the order
    ("相談", "相談窓口を周知した。", True),  # inside a mode-C word, at a short-unit boundary
    ("窓口", "相談窓口を周知した。", True),
    ("見守り", "高齢者を見守る活動。", True),  # normalized form 見守る
    ("取組", "地域の取り組みを進めた。", True),  # 取組 = 取り組み
    ("ボランティア", "ﾎﾞﾗﾝﾃｨｱ活動の推進。", True),  # half-width kana
    ("随時", "隨時連携を図った。", True),  # variant kanji folded for matching
    ("NPO", "ｎｐｏ法人と協働した。", True),  # width and case folded
    ("連携", "連絡を取った。", False),
    ("協議", "協議体を開催した。", True),
    ("議体", "協議体を開催した。", False),  # never half of a morpheme
    ("(子ども | 児童) & !児童委員", "児童委員と協力した。", False),
    ("(子ども | 児童) & !児童委員", "子どもの居場所をつくる。", True),
    ('"民生委員・児童委員"', "民生委員・児童委員と連携した。", True),
]


@pytest.mark.parametrize("rule, text, expected", MATCH_CASES)
def test_rule_matching(match, rule, text, expected):
    lexicon = parse_lexicon(lexicon_of(rule))
    assert any("T" in match(lexicon, s) for s in tokenize(text)) is expected


def test_find_gives_token_spans_at_unit_boundaries():
    view = SentenceView(tokenize("相談窓口の相談体制。")[0])
    # 相談 is a unit of the mode-C token 相談窓口 (token 0) and the first unit of 相談体制
    spans = view.find(compile_pattern("相談"))
    assert spans == sorted(set(spans)) and spans[0] == (0, 1) and len(spans) == 2
    assert view.words(spans[0]) == "相談窓口"  # evidence is the whole token, as written
    assert view.find(compile_pattern("談窓")) == []


def test_evaluate_rule_reports_the_deciding_spans():
    view = SentenceView(tokenize("担い手が地域で不足している。")[0])
    ok, spans = evaluate_rule(parse_rule("near(担い手, 不足, 5)"), view)
    assert ok and [view.words(s) for s in spans] == ["担い手", "不足"]
    assert evaluate_rule(parse_rule("!担い手"), view) == (False, [])
    ok, spans = evaluate_rule(parse_rule("育成 | 担い手 & 地域"), view)
    assert ok and [view.words(s) for s in spans] == ["担い手", "地域"]


def test_theme_reference_and_evidence_keeps_original_wording(match):
    lexicon = parse_lexicon(
        '[[theme]]\nname = "連携"\nterms = ["連携"]\n'
        '[[theme]]\nname = "随時の連携"\nrules = ["theme:連携 & 随時"]\n'
    )
    sentence = tokenize("関係機関と隨時連携を図った。")[0]
    found = match(lexicon, sentence)
    assert set(found) == {"連携", "随時の連携"}
    result = found["随時の連携"][0]
    assert result.words == ("隨時", "連携")  # as written, not folded
    assert result.sentence == "関係機関と隨時連携を図った。"


def test_terms_decide_with_their_words(match):
    lexicon = parse_lexicon('[[theme]]\nname = "担い手不足"\nterms = ["担い手不足", "人材不足"]\n')
    found = match(lexicon, tokenize("介護の人材不足と担い手不足。")[0])
    assert found["担い手不足"][0].words == ("人材不足", "担い手不足")


def test_a_word_inside_a_deciding_word_adds_nothing(match):
    lexicon = parse_lexicon('[[theme]]\nname = "T"\nterms = ["担い手不足", "担い手"]\n')
    assert match(lexicon, tokenize("担い手不足が続く。")[0])["T"][0].words == ("担い手不足",)


def test_the_sentence_index_is_kept(match):
    lexicon = parse_lexicon(lexicon_of("連携"))
    assert match(lexicon, tokenize("連携した。")[0], index=3)["T"][0].sentence_index == 3


DEFAULT_LEXICON_CASES = [
    # Phrasings of another city's plan, not the bundled one.
    ("町内会役員のなり手が不足している。", "担い手不足"),
    ("ボランティアの高齢化と固定化が進んでいる。", "担い手不足"),
    ("後継者の確保が難しい。", "担い手不足"),
    ("民生委員と学校が協力体制を築いた。", "連携・協働"),
    ("一人暮らし高齢者の安否確認を行った。", "見守り"),
    ("通いの場を拡充した。", "サロン・居場所"),
    ("避難行動要支援者名簿を更新した。", "災害・防災"),
    ("成年後見制度の利用促進を図った。", "権利擁護"),
    ("ひきこもりの方への支援を行った。", "孤独・孤立"),
    ("フードバンクを開設した。", "生活困窮"),
    ("中学校で車いす体験の授業を行った。", "福祉教育"),
    ("制度の狭間にある課題に対応する。", "包括的支援体制"),
    ("買い物支援の仕組みをつくる。", "移動・買い物支援"),
    ("保護司会と協力し再犯防止を進める。", "再犯防止"),
]


@pytest.mark.parametrize("text, theme", DEFAULT_LEXICON_CASES)
def test_default_lexicon_catches_general_phrasings(match, text, theme):
    assert theme in match(load_lexicon(), tokenize(text)[0])


def test_default_lexicon_does_not_see_shortage_in_training(match):
    assert "担い手不足" not in match(load_lexicon(), tokenize("担い手の育成のため研修会を開催した。")[0])


@pytest.mark.parametrize("split_mode", ["A", "B", "C"])
def test_matching_does_not_depend_on_the_split_mode(match, split_mode):
    lexicon = parse_lexicon(LEXICON + '[[theme]]\nname = "後見"\nterms = ["市民後見人"]\n')
    sentence = tokenize("市民後見人養成に取り組み、担い手不足の解消と見守りを進めた。", split_mode=split_mode)[0]
    assert set(match(lexicon, sentence)) == {"後見", "担い手不足", "見守り"}


BAD_TEXTS = ["", "   ", "！？・…――", "😀🙏✨", "𠮷野家で𩸽を食べた", "\u3000\n\n"]


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_odd_texts_match_nothing_without_error(match, text):
    lexicon = load_lexicon()
    for sentence in tokenize(text):
        assert match(lexicon, sentence) == {}


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_text_codes_and_classifies_without_error(text):
    from analysis.stance import classify_stance

    lexicon = load_lexicon()
    for sentence in tokenize(text):
        for name, found in match_sentence(lexicon, sentence).items():
            assert name in lexicon.names
            for word in found[0].words:
                assert word in sentence.text  # evidence is always the original wording
        assert classify_stance(sentence).stance in ("achieved", "done", "issue", "carried_over")
