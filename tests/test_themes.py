"""Themes: rule grammar, matching on normalized forms, lexicon errors, coding and counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.corpus import Corpus, Direction, Goal, Plan
from analysis.errors import SettingsError
from analysis.themes import (
    And, Near, Not, Or, ThemeRef, Word, RuleSyntaxError, code_units, load_lexicon, match_sentence,
    parse_lexicon, parse_rule, theme_candidates, theme_count_dict, theme_counts, theme_units, themes_frame,
)
from analysis.tokens import tokenize, tokenize_units
from analysis.units import text_units


def lexicon_of(*rules: str, terms: tuple[str, ...] = ()) -> str:
    quoted = ", ".join(f"'{r}'" for r in rules)
    term_list = ", ".join(f'"{t}"' for t in terms)
    return f'[[theme]]\nname = "T"\nterms = [{term_list}]\nrules = [{quoted}]\n'


def matches(rule: str, text: str) -> bool:
    lexicon = parse_lexicon(lexicon_of(rule))
    return any("T" in match_sentence(lexicon, s) for s in tokenize(text))


# --------------------------------------------------------------------------- grammar

PARSE_CASES = [
    ("担い手", Word),
    ('"民生委員 児童委員"', Word),
    ("担い手 & 不足", And),
    ("担い手 and 不足", And),
    ("担い手 | なり手", Or),
    ("担い手 or なり手", Or),
    ("!担い手", Not),
    ("not 担い手", Not),
    ("near(担い手, 不足, 5)", Near),
    ("near(担い手 | なり手, 不足)", Near),
    ("seq(担い手, 確保, 3)", Near),
    ("theme:見守り", ThemeRef),
    ("(担い手 | なり手) & !育成", And),
]


@pytest.mark.parametrize("rule, kind", PARSE_CASES)
def test_rules_parse(rule, kind):
    assert isinstance(parse_rule(rule), kind)


def test_precedence_not_then_and_then_or():
    tree = parse_rule("a | b & !c")
    assert isinstance(tree, Or)
    assert isinstance(tree.operands[1], And)
    assert isinstance(tree.operands[1].operands[1], Not)


BAD_RULES = [
    ("担い手 &", "unexpected end of rule"),
    ("(担い手 | 不足", "closing )"),
    ("near(担い手 不足)", "comma"),
    ("near(担い手, 不足, many)", "whole number"),
    ('"担い手', "closing"),
    ("担い手 不足", "expected & or |"),
    ("", "empty rule"),
    ("theme:", "theme name"),
    ("near(theme:見守り, 不足)", "word or"),
]


@pytest.mark.parametrize("rule, expected", BAD_RULES)
def test_rule_syntax_errors_say_what_was_expected(rule, expected):
    with pytest.raises(RuleSyntaxError, match=re.escape(expected)):
        parse_rule(rule)


# --------------------------------------------------------------------------- matching

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
def test_rule_matching(rule, text, expected):
    assert matches(rule, text) is expected


def test_theme_reference_and_evidence_keeps_original_wording():
    lexicon = parse_lexicon(
        '[[theme]]\nname = "連携"\nterms = ["連携"]\n'
        '[[theme]]\nname = "随時の連携"\nrules = ["theme:連携 & 随時"]\n'
    )
    sentence = tokenize("関係機関と隨時連携を図った。")[0]
    found = match_sentence(lexicon, sentence)
    assert set(found) == {"連携", "随時の連携"}
    match = found["随時の連携"][0]
    assert match.words == ("隨時", "連携")  # as written, not folded
    assert match.sentence == "関係機関と隨時連携を図った。"


def test_terms_decide_with_their_words():
    lexicon = parse_lexicon('[[theme]]\nname = "担い手不足"\nterms = ["担い手不足", "人材不足"]\n')
    found = match_sentence(lexicon, tokenize("介護の人材不足と担い手不足。")[0])
    assert found["担い手不足"][0].words == ("人材不足", "担い手不足")


# --------------------------------------------------------------------------- lexicon files

def write(tmp_path, text: str):
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"\n')
    with pytest.raises(SettingsError) as info:
        load_lexicon(path)
    assert info.value.file == str(path) and info.value.line is not None and info.value.line >= 3
    assert "invalid TOML" in str(info.value)


def test_rule_syntax_error_names_the_rules_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"]\n\n[[theme]]\nname = "担い手"\n'
                           'rules = [\n  "担い手",\n  "near(担い手 不足)",\n]\n')
    with pytest.raises(SettingsError) as info:
        load_lexicon(path)
    assert info.value.line == 9
    assert "comma" in str(info.value) and "担い手" in str(info.value)


def test_unknown_theme_reference_is_an_error_with_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"]\n'
                           '[[theme]]\nname = "包括"\nrules = ["theme:連携 & 包括"]\n'
                           '[[theme]]\nname = "見守り"\nrules = ["theme:みまもり"]\n')
    with pytest.raises(SettingsError, match="unknown theme 'みまもり'") as info:
        load_lexicon(path)
    assert info.value.line == 9 and info.value.file == str(path)


def test_errors_point_at_the_theme_not_an_earlier_mention_of_its_name(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["見守り"]\n\n'
                           '[[theme]]\nname = "見守り"\n')
    with pytest.raises(SettingsError, match="neither terms nor rules") as info:
        load_lexicon(path)
    assert info.value.line == 6


@pytest.mark.parametrize("text, message", [
    ('[[theme]]\nname = "a"\nrules = ["theme:b"]\n[[theme]]\nname = "b"\nrules = ["theme:a"]\n', "circle"),
    ('[[theme]]\nname = "a"\nterms = ["x"]\n[[theme]]\nname = "a"\nterms = ["y"]\n', "defined twice"),
    ('[[theme]]\nname = "a"\n', "neither terms nor rules"),
    ('[[theme]]\nname = "a"\nterms = "x"\n', "list of strings"),
    ('[[theme]]\nname = "a"\nterm = ["x"]\n', "unknown key 'term'"),
    ('[[theme]]\nterms = ["x"]\n', "needs a name"),
    ('[themes]\nname = "a"\n', "unknown key"),
])
def test_lexicon_shape_errors(text, message):
    with pytest.raises(SettingsError, match=message):
        parse_lexicon(text, source="x.toml")


def test_default_lexicon_loads_with_the_planners_themes():
    lexicon = load_lexicon()
    for name in ("担い手不足", "連携・協働", "見守り", "サロン・居場所", "災害・防災", "権利擁護", "相談支援",
                 "孤独・孤立", "生活困窮", "福祉教育", "住民参加", "人材育成", "情報発信", "介護予防・健康",
                 "子ども・子育て", "障害", "包括的支援体制"):
        assert name in lexicon.names


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
def test_default_lexicon_catches_general_phrasings(text, theme):
    lexicon = load_lexicon()
    assert theme in match_sentence(lexicon, tokenize(text)[0])


def test_default_lexicon_does_not_see_shortage_in_training():
    lexicon = load_lexicon()
    assert "担い手不足" not in match_sentence(lexicon, tokenize("担い手の育成のため研修会を開催した。")[0])


# --------------------------------------------------------------------------- coding and counts

def tiny_corpus() -> Corpus:
    d2a = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="関係機関との連携",
                    evaluation="関係機関と連携した。担い手の確保が課題となった。", source_lines=[6])
    d2b = Direction(id="P2-1-2", plan_id="P2", goal_number=1, number=2, title="見守り活動の充実",
                    evaluation="見守り活動を行った。", source_lines=[7])
    d3 = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="多様な主体との協働",
                   text="地域の団体と協働し、見守りを進める。", source_lines=[6])
    return Corpus(name="t", plans=[
        Plan(id="P2", generation=2, title="第2次", goals=[Goal(plan_id="P2", number=1, title="つなげる",
                                                              directions=[d2a, d2b])]),
        Plan(id="P3", generation=3, title="第3次", role="next",
             goals=[Goal(plan_id="P3", number=1, title="つなげる", directions=[d3])]),
    ])


LEXICON = """
[[theme]]
name = "連携・協働"
terms = ["連携", "協働"]

[[theme]]
name = "担い手不足"
rules = ["near(担い手, 確保 | 不足, 3)"]

[[theme]]
name = "見守り"
terms = ["見守り"]

[[theme]]
name = "災害"
terms = ["災害"]
"""


@pytest.fixture(scope="module")
def coded():
    tokens = tokenize_units(text_units(tiny_corpus()), cache=False)
    return code_units(tokens, parse_lexicon(LEXICON, source="lexicon.toml"))


def test_counts_by_generation_are_text_units_keyed_by_string(coded):
    counts = theme_count_dict(coded)
    # P2: title「関係機関との連携」+ its evaluation; P3: title「…協働」+ its description.
    assert counts["連携・協働"] == {"2": 2, "3": 2}
    assert counts["担い手不足"] == {"2": 1, "3": 0}
    assert counts["見守り"] == {"2": 2, "3": 1}
    assert counts["災害"] == {"2": 0, "3": 0}  # a theme never seen is still listed


def test_sentence_counts(coded):
    # P2-1-1's evaluation has two sentences; only the second carries the shortage
    counts = theme_count_dict(coded, count="sentences")
    assert counts["担い手不足"] == {"2": 1, "3": 0}
    assert counts["連携・協働"] == {"2": 2, "3": 2}
    two = code_units(tokenize_units(text_units(Corpus(name="t", plans=[Plan(
        id="P2", generation=2, title="t", goals=[Goal(plan_id="P2", number=1, title="g", directions=[
            Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="",
                      evaluation="連携した。協働した。")])])])), cache=False), parse_lexicon(LEXICON))
    assert theme_count_dict(two, count="sentences")["連携・協働"] == {"2": 2}
    assert theme_count_dict(two)["連携・協働"] == {"2": 1}


def test_counts_by_field_and_goal(coded):
    assert theme_count_dict(coded, by="field")["担い手不足"]["evaluation"] == 1
    assert theme_count_dict(coded, by="goal")["見守り"] == {"P2-G1": 2, "P3-G1": 1}
    frame = theme_counts(coded, by="generation")
    assert list(frame.columns) == ["2", "3"] and frame.loc["連携・協働", "3"] == 2


def test_counts_reject_an_unknown_grouping(coded):
    with pytest.raises(SettingsError, match="generation"):
        theme_count_dict(coded, by="city")


def test_theme_units_give_evidence(coded):
    units = theme_units(coded, "担い手不足")
    assert units == [{
        "id": "P2-1-1:evaluation", "generation": 2, "direction": "P2-1-1", "field": "evaluation", "line": 6,
        "words": ["担い手", "確保"], "sentences": ["担い手の確保が課題となった。"],
    }]
    with pytest.raises(SettingsError):
        theme_units(coded, "存在しないテーマ")


def test_themes_frame_is_unit_by_theme(coded):
    frame = themes_frame(coded)
    assert frame.shape == (len(coded), 3 + 4)
    assert set(frame["見守り"].unique()) <= {0, 1}
    assert frame.loc["P2-1-2:title", "見守り"] == 1 and frame.loc["P2-1-2:title", "連携・協働"] == 0


# --------------------------------------------------------------------------- bad input

BAD_TEXTS = ["", "   ", "！？・…――", "😀🙏✨", "𠮷野家で𩸽を食べた", "\u3000\n\n"]


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_odd_texts_code_without_error(text):
    lexicon = load_lexicon()
    for sentence in tokenize(text):
        assert match_sentence(lexicon, sentence) == {}


def test_a_megabyte_sentence_without_punctuation():
    text = "担い手不足地域福祉活動見守り" * 25_000  # 350,000 characters, 1 MB of UTF-8
    assert len(text.encode("utf-8")) > 1_000_000
    d = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="t", evaluation=text)
    corpus = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
        Goal(plan_id="P2", number=1, title="g", directions=[d])])])
    tokens = tokenize_units(text_units(corpus), cache=False)
    coded = code_units(tokens, parse_lexicon(LEXICON))
    assert theme_count_dict(coded)["見守り"] == {"2": 1}


# --------------------------------------------------------------------------- candidates

def test_candidates_propose_uncovered_compounds_with_reasons():
    texts = ["移動支援サービスの充実を図った。", "買い物の移動支援サービスを行った。", "移動支援サービスを開始した。",
             "見守り活動を行った。", "見守り活動を広げた。", "地域の活動を行った。"]
    # Other business of the plan, so that the candidate's words are not background vocabulary.
    texts += [f"{word}について報告した。" for word in (
        "予算", "決算", "人事", "規程", "会議", "理事会", "評議員会", "監査", "広報誌", "会員", "寄付",
        "物品", "車両", "施設", "保険", "契約", "名簿", "事務局")]
    directions = [Direction(id=f"P2-1-{i}", plan_id="P2", goal_number=1, number=i, title="t",
                            evaluation=text) for i, text in enumerate(texts, 1)]
    corpus = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
        Goal(plan_id="P2", number=1, title="g", directions=directions)])])
    tokens = tokenize_units(text_units(corpus, fields=("evaluation",)), cache=False)
    lexicon = parse_lexicon('[[theme]]\nname = "見守り"\nterms = ["見守り"]\n')
    found = theme_candidates(tokens, lexicon, top=10)
    names = [c["name"] for c in found]
    assert "移動支援サービス" in names
    assert not any("見守り" in c["name"] for c in found)  # covered by a theme
    first = found[names.index("移動支援サービス")]
    assert first["source"] == "terms" and "テーマ" in first["why"]
    assert theme_candidates(tokens, lexicon, top=0) == []


def test_candidates_from_a_cooccurrence_community():
    texts = ["市民農園で野菜の収穫を楽しんだ。", "農園の野菜を収穫した。", "農園で野菜を育て収穫した。",
             "見守り活動を行った。", "見守り活動と声かけを広げた。"]
    texts += [f"{word}について報告した。" for word in (
        "予算", "決算", "人事", "規程", "会議", "理事会", "評議員会", "監査", "広報誌", "会員", "寄付",
        "物品", "車両", "施設", "保険", "契約", "名簿", "事務局")]
    directions = [Direction(id=f"P2-1-{i}", plan_id="P2", goal_number=1, number=i, title="t",
                            evaluation=text) for i, text in enumerate(texts, 1)]
    corpus = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
        Goal(plan_id="P2", number=1, title="g", directions=directions)])])
    tokens = tokenize_units(text_units(corpus, fields=("evaluation",)), cache=False)
    lexicon = parse_lexicon('[[theme]]\nname = "見守り"\nterms = ["見守り", "声かけ"]\n')
    [community] = [c for c in theme_candidates(tokens, lexicon, top=10) if c["source"] == "cooccurrence"]
    assert set(community["terms"]) == {"野菜", "収穫", "農園"}
    assert "共起" in community["why"]


# --------------------------------------------------------------------------- the bundled corpus

def test_bundled_corpus_has_shortage_in_evaluations_and_coordination_in_both_generations():
    from analysis.corpus_io import load_corpus

    tokens = tokenize_units(text_units(load_corpus()))
    coded = code_units(tokens)
    shortage = theme_units(coded, "担い手不足")
    assert any(u["field"] == "evaluation" for u in shortage)
    counts = theme_count_dict(coded)["連携・協働"]
    assert counts["2"] > 0 and counts["3"] > 0


@pytest.mark.parametrize("split_mode", ["A", "B", "C"])
def test_matching_does_not_depend_on_the_split_mode(split_mode):
    lexicon = parse_lexicon(LEXICON + '[[theme]]\nname = "後見"\nterms = ["市民後見人"]\n')
    sentence = tokenize("市民後見人養成に取り組み、担い手不足の解消と見守りを進めた。", split_mode=split_mode)[0]
    assert set(match_sentence(lexicon, sentence)) == {"後見", "担い手不足", "見守り"}



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


# --------------------------------------------------------------------------- fast path = reference
# code_units / match_sentence find every lexicon word of a sentence in one scan over memoized
# per-token units and evaluate only the themes whose words occur (plus those that can hold
# without a word).  The reference below is the plain definition: every theme, every pattern
# searched with SentenceView.find's string search.  Any optimisation must give the same output.

def reference_match(lexicon, sentence, index=0):
    from analysis.themes import SentenceView, ThemeMatch, _theme_spans
    from analysis.tokens import Sentence

    # a copy made from Token objects, so that the reference does not read the token columns
    view = SentenceView(Sentence(sentence.text, sentence.start, sentence.end, sentence.tokens))
    assert view._hits is None  # the plain string search, no index
    memo: dict = {}
    out = {}
    for theme in lexicon.themes:
        spans = _theme_spans(theme, view, memo, lexicon)
        if spans is not None:
            kept = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
            words = tuple(dict.fromkeys(view.words(s) for s in kept))
            out[theme.name] = [ThemeMatch(theme.name, words, sentence.text, index)]
    return out


FAST_LEXICON = LEXICON + '''
[[theme]]
name = "介護なし"
terms = []
rules = ["!介護"]

[[theme]]
name = "参照"
terms = ["ＮＰＯ法人"]
rules = ["theme:介護なし & (見守り | 相談)", "seq(相談, 窓口 | 体制, 2)"]

[[theme]]
name = "子ども"
terms = []
rules = ["(子ども | 児童) & !児童委員", "near(\\"民生委員 児童委員\\", 連携, 8)"]

[[theme]]
name = "否定だけ"
terms = ["ボランティア"]
rules = ["!(研修 | 会議) & near(担い手 | 人材, 確保 | 不足, 1)", "theme:参照 | \\"取組\\""]
'''

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
def test_fast_coding_equals_the_reference_evaluation(split_mode):
    lexicon = parse_lexicon(FAST_LEXICON)
    seen = set()
    for text in FAST_TEXTS:
        for index, sentence in enumerate(tokenize(text, split_mode=split_mode)):
            found = match_sentence(lexicon, sentence, index=index)
            expected = reference_match(lexicon, sentence, index)
            assert found == expected, sentence.text
            seen.update(expected)
    # the inline corpus exercises every theme, so the comparison is not vacuous
    assert seen == set(lexicon.names)


def test_fast_coding_equals_the_reference_on_the_bundled_corpus():
    from analysis.corpus_io import load_corpus

    lexicon = load_lexicon()
    tokens = tokenize_units(text_units(load_corpus()), cache=False)
    coded = code_units(tokens, lexicon)
    found = 0
    for (unit, sentences), c in zip(tokens, coded):
        assert c.unit is unit
        expected: dict = {}
        for index, sentence in enumerate(sentences):
            for name, matches in reference_match(lexicon, sentence, index).items():
                expected.setdefault(name, []).extend(matches)
        assert c.themes == {name: expected[name] for name in lexicon.names if name in expected}
        assert list(c.themes) == [name for name in lexicon.names if name in c.themes]
        found += len(c.themes)
    assert found > 50


FRAGMENTS = ["担い手", "不足", "の", "確保", "が", "課題", "見守り", "相談", "窓口", "体制", "介護",
             "児童", "委員", "子ども", "ＮＰＯ", "npo", "法人", "ﾎﾞﾗﾝﾃｨｱ", "研修", "人材", "取組",
             "取り組み", "連携", "民生委員 児童委員", "、", "。", " ", "　", "た", "は", "で", "隨時"]


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=14))
def test_fast_coding_equals_the_reference_on_generated_text(pieces):
    lexicon = parse_lexicon(FAST_LEXICON)
    for index, sentence in enumerate(tokenize("".join(pieces))):
        assert match_sentence(lexicon, sentence, index=index) == reference_match(lexicon, sentence, index)


@hypothesis_settings(max_examples=80, deadline=None)
@given(st.text(max_size=12))
def test_fast_fold_equals_match_form(text):
    from analysis.themes import _fold, _fold_fast
    from analysis.tokens import default_variants

    variants = default_variants()
    assert _fold_fast(text, variants) == _fold(text, variants)
    assert _fold_fast(text + "隨髙ｶﾞ", variants) == _fold(text + "隨髙ｶﾞ", variants)
