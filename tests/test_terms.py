"""Tests for analysis/terms.py: candidates, FLR, C-value, stop list, statistics (real Sudachi).

Expected numbers are computed by hand in the comments from the formulas, never copied from output.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.errors import InputError, SettingsError
from analysis.terms import (
    adjacency, compound_candidates, cvalue_scores, flr_scores, frequency_table, keyness,
    keyness_statistics, kwic, kwic_frame, load_stopwords, make_analyzer, term_table, terms_frame,
    tfidf_by_direction, tfidf_frame, unit_compounds, unit_features,
)
from analysis.tokens import Tokens, tokenize
from analysis.units import TextUnit

ROOT = Path(__file__).resolve().parent.parent


def make_tokens(texts, *, generations=None, directions=None) -> Tokens:
    units = []
    for i, text in enumerate(texts):
        direction = directions[i] if directions else f"P2-1-{i + 1}"
        generation = generations[i] if generations else 2
        units.append(TextUnit(id=f"{direction}:evaluation:{i}", plan_id=f"P{generation}",
                              generation=generation, goal_number=1, direction_id=direction,
                              field="evaluation", text=text, line=10 + i))
    return Tokens(units=units, sentences=[tokenize(u.text) for u in units])


# A tiny evaluation corpus.  Noun runs (tokens as Sudachi C gives them):
#   U1: 担い手|不足, 深刻, 担い手|不足, 解消, 地域|福祉|コーディネーター, 連携
#   U2: 地域|福祉|コーディネーター, 担い手|育成
#   U3: 第|2|層|協議|体, 担い手|不足
CORPUS = [
    "担い手不足が深刻である。担い手不足の解消に向けて地域福祉コーディネーターと連携する。",
    "地域福祉コーディネーターが担い手育成を進めた。",
    "第2層協議体で担い手不足を話し合った。",
]


# ---------------------------------------------------------------------------- stop list

def test_bundled_stopwords_hold_admin_words_and_their_normalized_forms():
    words = load_stopwords()
    for word in ["推進", "充実", "強化", "取り組む", "図る", "各種", "等", "実施", "する", "為る", "こと"]:
        assert word in words, word
    for word in ["担い手", "不足", "連携", "見守り", "権利擁護", "地域", "福祉"]:
        assert word not in words, word


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


# --------------------------------------------------------------------------- candidates

CANDIDATE_CASES = [
    # text, keys that must be candidates, keys that must not
    ("担い手不足が課題となった。", {"担い手不足"}, {"担い手", "不足", "課題となった"}),
    ("第2層協議体を開催した。", {"第2層協議体"}, {"2層協議体", "協議体"}),
    ("地域福祉コーディネーターを配置する。", {"地域福祉コーディネーター"}, {"地域福祉"}),
    ("市民後見人の養成", {"市民後見人", "養成"}, set()),
    # stop words are trimmed from the edges ...
    ("連携強化を図る。", {"連携"}, {"連携強化", "強化"}),
    ("各地域の住民等と協働した。", {"地域", "住民", "協働"}, {"各地域", "住民等"}),
    ("随時連携した。", {"連携"}, {"随時連携", "随時"}),
    # ... but kept inside a run or when bound to a suffix
    ("地域活動推進事業を行った。", {"地域活動推進事業"}, {"地域活動", "推進"}),
    ("推進員を配置した。", {"推進員"}, {"推進"}),
    # a verb's 連用形 inside a compound, but not at its end
    ("見守り活動と助け合い活動", {"見守り活動", "助け合い活動"}, {"見守る活動"}),
    # numerals and stop words alone are not terms
    ("令和2年度に推進する。", set(), {"令和2年度", "令和", "2", "推進", "年度"}),
    ("", set(), set()),
    ("！？…「」", set(), set()),
]


@pytest.mark.parametrize("text, present, absent", CANDIDATE_CASES)
def test_compound_candidates(text, present, absent):
    keys = set(compound_candidates(tokenize(text)).frequency)
    assert present <= keys
    assert not (absent & keys)


def test_candidates_keyed_by_normalized_form_with_most_frequent_display():
    cands = compound_candidates(tokenize("ﾎﾞﾗﾝﾃｨｱ活動とボランティア活動とボランティア活動。"))
    assert cands.frequency == {"ボランティア活動": 3}
    assert cands.display["ボランティア活動"] == "ボランティア活動"
    # a 1-1 tie is broken by the smaller string (ボ U+30DC < ﾎ U+FF8E), whatever the order
    for text in ["ﾎﾞﾗﾝﾃｨｱ活動とボランティア活動。", "ボランティア活動とﾎﾞﾗﾝﾃｨｱ活動。"]:
        assert compound_candidates(tokenize(text)).display["ボランティア活動"] == "ボランティア活動"


def test_candidates_of_tokens_count_frequency_units_and_runs():
    cands = compound_candidates(make_tokens(CORPUS))
    assert cands.frequency["担い手不足"] == 3
    assert cands.units["担い手不足"] == (0, 2)
    assert cands.parts["第2層協議体"] == ("第", "2", "層", "協議", "体")
    assert cands.runs[("担い手", "不足")] == 3 and cands.runs[("担い手", "育成")] == 1


def test_unit_compounds_in_order_of_first_occurrence():
    assert unit_compounds(tokenize(CORPUS[0])) == ["担い手不足", "地域福祉コーディネーター"]
    assert unit_compounds(tokenize(CORPUS[0]), min_parts=1) == ["担い手不足", "深刻", "解消",
                                                                 "地域福祉コーディネーター", "連携"]


# ------------------------------------------------------------------------------- FLR

def test_adjacency_counts_token_occurrences_of_neighbours():
    # 地域→福祉 twice, 福祉→活動 once: RN(地域)=2, LN(福祉)=2, RN(福祉)=1, LN(活動)=1
    left, right = adjacency({("地域", "福祉"): 2, ("福祉", "活動"): 1, ("地域",): 3})
    assert left == {"福祉": 2, "活動": 1}
    assert right == {"地域": 2, "福祉": 1}


def test_flr_hand_computed():
    scores = flr_scores({("地域", "福祉"): 2, ("福祉", "活動"): 1, ("地域",): 3})
    # LN/RN: 地域 0/2, 福祉 2/1, 活動 1/0
    # 地域福祉: 2 × ((0+1)(2+1)(2+1)(1+1))^(1/4) = 2 × 18^(1/4)
    assert scores[("地域", "福祉")] == pytest.approx(2 * 18 ** 0.25)
    # 福祉活動: 1 × ((2+1)(1+1)(1+1)(0+1))^(1/4) = 12^(1/4)
    assert scores[("福祉", "活動")] == pytest.approx(12 ** 0.25)
    # 地域 alone: 3 × ((0+1)(2+1))^(1/2) = 3√3
    assert scores[("地域",)] == pytest.approx(3 * math.sqrt(3))


def test_flr_adjacency_from_separate_runs():
    runs = {("担い手", "不足"): 1, ("担い手", "育成"): 2, ("人材", "不足"): 1}
    # RN(担い手)=3, LN(不足)=2: LR = ((0+1)(3+1)(2+1)(0+1))^(1/4) = 12^(1/4); f = 1
    assert flr_scores({("担い手", "不足"): 1}, runs=runs) == {("担い手", "不足"): pytest.approx(12 ** 0.25)}


# ----------------------------------------------------------------------------- C-value

def test_cvalue_hand_computed():
    freq = {("地域", "福祉", "活動"): 3, ("地域", "福祉"): 2, ("福祉", "活動"): 1, ("社会", "福祉", "活動"): 1}
    s = cvalue_scores(freq)
    # 地域福祉活動, 社会福祉活動: not nested → log2(3) × f
    assert s[("地域", "福祉", "活動")] == pytest.approx(math.log2(3) * 3)
    assert s[("社会", "福祉", "活動")] == pytest.approx(math.log2(3) * 1)
    # 地域福祉: f = 2 + 3 = 5, t = 3, c = 1 → 1 × (5 − 3/1) = 2
    assert s[("地域", "福祉")] == pytest.approx(2.0)
    # 福祉活動: f = 1 + 3 + 1 = 5, t = 4, c = 2 → 5 − 4/2 = 3
    assert s[("福祉", "活動")] == pytest.approx(3.0)
    # 社会福祉: only inside 社会福祉活動: f = 1, t = 1, c = 1 → 0
    assert s[("社会", "福祉")] == pytest.approx(0.0)


def test_cvalue_counts_each_nested_occurrence_once():
    a, b, c, d = "地域", "福祉", "活動", "計画"
    s = cvalue_scores({(a, b, c, d): 2, (a, b, c): 1})
    # f(abc) = 1 + 2 = 3, t = 2, c = 1 → log2(3) × (3 − 2)
    assert s[(a, b, c)] == pytest.approx(math.log2(3))
    # ab occurs 3 times, all nested (2 in abcd, 1 in abc; not 2 + 3): c = |{abcd, abc}| = 2
    assert s[(a, b)] == pytest.approx(3 - 3 / 2)
    # bc: f = 3, t = 3, containers abcd, abc, bcd → 3 − 3/3 = 2
    assert s[(b, c)] == pytest.approx(2.0)
    # cd: f = 2, t = 2, containers abcd, bcd → 2 − 2/2 = 1; bcd: 2 − 2/1 = 0; abcd: log2(4) × 2
    assert s[(c, d)] == pytest.approx(1.0)
    assert s[(b, c, d)] == pytest.approx(0.0)
    assert s[(a, b, c, d)] == pytest.approx(4.0)


# ---------------------------------------------------------------------------- term table

def test_term_table_flr_hand_computed_on_tokens():
    table = term_table(make_tokens(CORPUS))
    # adjacency over all noun runs: RN(担い手) = 3 (不足) + 1 (育成) = 4, LN(不足) = 3,
    # LN(育成) = 1; RN(地域) = LN(福祉) = RN(福祉) = LN(コーディネーター) = 2; in 第2層協議体
    # every inner neighbour count is 1.
    expected = {
        "担い手不足": 3 * (1 * 5 * 4 * 1) ** (1 / 4),
        "地域福祉コーディネーター": 2 * (1 * 3 * 3 * 3 * 3 * 1) ** (1 / 6),
        "担い手育成": 1 * (1 * 5 * 2 * 1) ** (1 / 4),
        "第2層協議体": (1 * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 1) ** (1 / 10),
    }
    assert [t.key for t in table] == sorted(expected, key=lambda k: -expected[k])
    for term in table:
        assert term.score == pytest.approx(expected[term.key])
    first = table[0]
    assert (first.term, first.frequency, first.total_frequency, first.document_frequency) == ("担い手不足", 3, 3, 2)
    assert {"term", "score", "frequency"} <= set(first.to_dict())
    assert first.to_dict()["parts"] == ["担い手", "不足"]


def test_term_table_options():
    tokens = make_tokens(CORPUS)
    assert [t.key for t in term_table(tokens, min_frequency=2)] == ["担い手不足", "地域福祉コーディネーター"]
    assert len(term_table(tokens, top=1)) == 1
    singles = {t.key for t in term_table(tokens, min_parts=1, top=None)}
    assert {"連携", "深刻", "担い手不足"} <= singles
    with pytest.raises(SettingsError, match="method"):
        term_table(tokens, method="tfidf")
    assert term_table(make_tokens(["。", ""]), top=None) == []


def test_term_table_cvalue_includes_nested_terms():
    tokens = make_tokens(["地域福祉コーディネーターと地域福祉の推進。", "地域福祉コーディネーター。"])
    table = {t.key: t for t in term_table(tokens, method="cvalue", top=None)}
    # 地域福祉コーディネーター: not nested, f = 2 → log2(3) × 2
    assert table["地域福祉コーディネーター"].score == pytest.approx(math.log2(3) * 2)
    # 地域福祉: f = 1 + 2 = 3, t = 2, c = 1 → 1 × (3 − 2) = 1; found in both units
    t = table["地域福祉"]
    assert t.score == pytest.approx(1.0)
    assert (t.frequency, t.total_frequency, t.document_frequency) == (1, 3, 2)
    # 福祉コーディネーター only nested: 2 − 2/1 = 0, frequency as a whole 0
    assert table["福祉コーディネーター"].score == pytest.approx(0.0)
    assert table["福祉コーディネーター"].term == "福祉コーディネーター"


def test_terms_frame_columns():
    frame = terms_frame(make_tokens(CORPUS), top=2)
    assert list(frame.columns)[:4] == ["term", "key", "score", "frequency"]
    assert frame["term"].tolist() == ["担い手不足", "地域福祉コーディネーター"]


# -------------------------------------------------------------------- analyzer, frequency

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


def test_frequency_table_term_and_document_frequency():
    frame = frequency_table(make_tokens(CORPUS)).set_index("term")
    # 担い手: U1 twice, U2 once, U3 once → 4 in 3 units; 不足: 3 in 2 units
    assert frame.loc["担い手", ["frequency", "document_frequency"]].tolist() == [4, 3]
    assert frame.loc["不足", ["frequency", "document_frequency"]].tolist() == [3, 2]
    # stop words (為る, 進める, 向ける) are not counted
    assert not {"為る", "進める", "向ける", "有る"} & set(frame.index)
    assert frame.index[0] == "担い手"


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


def test_unit_features_do_not_retokenize():
    tokens = make_tokens(CORPUS)
    assert unit_features(tokens)[1] == ["地域", "福祉", "コーディネーター", "担い手", "育成",
                                        "地域福祉コーディネーター", "担い手育成"]


# ----------------------------------------------------------------------------- keyness

def test_keyness_statistics_hand_computed():
    # a=10, b=10, target 100, reference 200, N=300.  E11 = 20·100/300, E12 = 20·200/300,
    # E21 = 280·100/300, E22 = 280·200/300; |O−E| = 10/3 in every cell.
    e = [20 / 3, 40 / 3, 280 / 3, 560 / 3]
    o = [10, 10, 90, 190]
    g2 = 2 * sum(oi * math.log(oi / ei) for oi, ei in zip(o, e))
    chi2 = sum((10 / 3) ** 2 / ei for ei in e)
    raw_g2, raw_chi2 = keyness_statistics([10], [10], 100, 200, correction="none")
    assert raw_g2[0] == pytest.approx(g2) and raw_chi2[0] == pytest.approx(chi2)
    assert g2 == pytest.approx(2.53526, abs=1e-4) and chi2 == pytest.approx(2.67857, abs=1e-4)
    # default: Yates (|O−E| − 0.5) for χ², Williams q for G²
    q = 1 + (300 / 20 + 300 / 280 - 1) * (300 / 100 + 300 / 200 - 1) / (6 * 300)
    yates = sum((10 / 3 - 0.5) ** 2 / ei for ei in e)
    cor_g2, cor_chi2 = keyness_statistics([10], [10], 100, 200)
    assert cor_g2[0] == pytest.approx(g2 / q) and cor_chi2[0] == pytest.approx(yates)


def test_keyness_statistics_sign_and_yates_floor():
    # a=1 of 100 against b=20 of 100: under-used in the target → negative
    g2, chi2 = keyness_statistics([1, 5], [20, 5], 100, 100)
    assert g2[0] < 0 and chi2[0] < 0
    # equal proportions: |O−E| = 0, Yates subtracts min(0.5, 0) → 0, not 0.5²/E
    assert g2[1] == 0 and chi2[1] == 0


def test_keyness_between_generations():
    tokens = make_tokens(
        ["担い手不足が続いた。", "担い手不足で停滞した。", "見守り活動を広げる。", "見守り活動と担い手育成。"],
        generations=[2, 2, 3, 3],
    )
    frame = keyness(tokens, lambda u: u.generation == 2, lambda u: u.generation == 3)
    assert list(frame.columns) == ["term", "target_count", "reference_count", "g2", "chi2", "p"]
    row = frame.set_index("term").loc["担い手不足"]
    assert (row.target_count, row.reference_count) == (2, 0)
    assert row.g2 > 0 and 0 < row.p < 1
    assert frame.set_index("term").loc["見守り活動"].g2 < 0
    assert frame["g2"].is_monotonic_decreasing
    # masks work too; reference defaults to the other units
    same = keyness(tokens, [True, True, False, False], measure="chi2")
    assert same["chi2"].is_monotonic_decreasing
    assert set(same["term"]) == set(frame["term"])


def test_keyness_bad_groups():
    tokens = make_tokens(["担い手不足。", "見守り活動。"])
    with pytest.raises(InputError, match="both"):
        keyness(tokens, [True, True], [True, False])
    with pytest.raises(InputError):
        keyness(tokens, [True, True])
    with pytest.raises(InputError, match="mask"):
        keyness(tokens, [True])
    with pytest.raises(SettingsError):
        keyness(tokens, [True, False], measure="lr")


# -------------------------------------------------------------------------------- KWIC

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


# -------------------------------------------------------------------- bundled corpus

def test_bundled_corpus_terms_end_to_end():
    if not (ROOT / "corpus" / "higashimatsuyama").exists():
        pytest.skip("the bundled corpus is not there yet")
    from analysis.corpus_io import load_corpus
    from analysis.units import text_units

    units = text_units(load_corpus())
    tokens = Tokens(units=units, sentences=[tokenize(u.text) for u in units])
    table = term_table(tokens, top=None)
    keys = [t.key for t in table]
    assert "担い手不足" in keys
    top = keys[:40]
    for term in ["地域福祉コーディネーター", "第2層協議体"]:
        assert term in top, term
    stop = load_stopwords()
    assert not any(part in stop for t in table[:40] for part in (t.parts[0], t.parts[-1]))
    assert kwic(tokens, "担い手不足")


# ---------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("text", [
    "", "。、！？", "😀😀😀担い手不足😀", "𠮷野家の𩸽と担い手不足", "ｱｲｳ" * 3, "\u3000\n\t",
])
def test_every_stage_accepts_odd_text(text):
    tokens = make_tokens([text, "担い手不足が課題。"])
    assert [t.key for t in term_table(tokens, top=None)][:1] == ["担い手不足"]
    term_table(tokens, method="cvalue", top=None)
    frequency_table(tokens)
    tfidf_by_direction(tokens)
    assert len(kwic(tokens, "担い手不足")) == ("担い手不足" in text) + 1


def test_a_long_run_without_punctuation_is_bounded():
    # one 40,000-character noun run (longer than a Sudachi call allows in bytes)
    tokens = make_tokens(["地域福祉" * 10_000])
    table = term_table(tokens, method="cvalue", top=5)
    assert table and all(len(t.parts) >= 2 for t in table)
    assert unit_compounds(tokens.sentences[0])


def test_cvalue_min_frequency_counts_nested_occurrences():
    tokens = make_tokens(["地域福祉コーディネーターと地域福祉の推進。", "地域福祉コーディネーター。"])
    # 地域福祉: once alone, twice nested → total 3; FLR counts only the whole occurrence
    assert "地域福祉" in {t.key for t in term_table(tokens, method="cvalue", min_frequency=3, top=None)}
    assert "地域福祉" not in {t.key for t in term_table(tokens, min_frequency=2, top=None)}


def test_stopwords_argument_replaces_the_list():
    tokens = make_tokens(["連携強化と担い手不足。"])
    assert {t.key for t in term_table(tokens, stopwords=set(), top=None)} == {"連携強化", "担い手不足"}
    assert {t.key for t in term_table(tokens, stopwords={"不足"}, top=None, min_parts=1)} == {"連携強化", "担い手"}


# ------------------------------------------------------- fast path against the Token path
#
# The stages read the compact token columns through one shared, memoized pass.  These tests
# recompute the same figures the simple way — walking ``sentence.tokens`` run by run — on a
# varied corpus, and on Tokens whose sentences do not come straight from one text's columns
# (hand-made sentences, a shared text, a subset of sentences), which take the slower branches.

from collections import Counter, defaultdict  # noqa: E402

from analysis import terms as terms_module  # noqa: E402
from analysis.tokens import Sentence, Token  # noqa: E402

VARIED = [
    "各地域の住民等が第2層協議体で見守り活動と助け合い活動を行う。担い手不足が深刻である。",
    "ﾎﾞﾗﾝﾃｨｱの担い手不足　随時、今後も市民後見人の養成を図る。",
    "令和5年度に１２回、サロン・カフェ運営を実施した。地域福祉コーディネーターの配置を推進する。",
    "",
    "担い手不足の解消と担い手不足への対応。地域福祉活動計画の推進、地域福祉の充実。",
    "見守り",
    "第2層協議体の運営。\n\n権利擁護支援と成年後見制度の利用促進を図った。",
]


def _reference_runs(sentences):
    kinds = terms_module._kinds()
    for sentence in sentences:
        run = []
        for token in sentence.tokens:
            kind = kinds.get(token.pos_id)
            if kind is None:
                if run:
                    yield run
                run = []
            else:
                run.append((token, kind))
        if run:
            yield run


def _reference_candidates(unit_sentences, stops):
    """compound_candidates computed token by token (the original algorithm)."""
    verb = terms_module._VERB
    runs, by_parts = Counter(), Counter()
    surfaces, shapes, units = defaultdict(Counter), {}, defaultdict(set)
    for index, sentences in enumerate(unit_sentences):
        for run in _reference_runs(sentences):
            runs[tuple(t.surface if k == verb else t.norm for t, k in run)] += 1
            found = terms_module._candidate(run, stops)
            if found is not None:
                by_parts[found[0]] += 1
                surfaces[found[0]][found[1]] += 1
                shapes.setdefault(found[0], found[2])
                units[found[0]].add(index)
    best = {}
    for parts, count in sorted(by_parts.items()):
        key = "".join(parts)
        if key not in best or count > by_parts[best[key]]:
            best[key] = parts
    frequency, spellings, unit_sets = Counter(), defaultdict(Counter), defaultdict(set)
    for parts, count in by_parts.items():
        key = "".join(parts)
        frequency[key] += count
        spellings[key].update(surfaces[parts])
        unit_sets[key] |= units[parts]
    chosen = {k: min(c.items(), key=lambda kv: (-kv[1], "".join(kv[0]), kv[0]))[0] for k, c in spellings.items()}
    keys = sorted(frequency)
    return {
        "frequency": [(k, frequency[k]) for k in keys],
        "parts": [(k, best[k]) for k in keys],
        "display": [(k, "".join(chosen[k])) for k in keys],
        "runs": sorted(runs.items()),
        "shapes": [(k, shapes[best[k]]) for k in keys],
        "surfaces": [(k, chosen[k] if len(chosen[k]) == len(best[k]) else best[k]) for k in keys],
        "units": [(k, tuple(sorted(unit_sets[k]))) for k in keys],
    }


def _reference_features(sentences, stops, content):
    words = [t.norm for s in sentences for t in s.tokens
             if t.pos_id in content and t.norm not in stops and t.surface not in stops]
    for run in _reference_runs(sentences):
        if len(run) > 1:
            found = terms_module._candidate(run, stops)
            if found is not None and len(found[0]) > 1:
                words.append("".join(found[0]))
    return words


def _odd_tokens() -> Tokens:
    """Units whose sentences take every branch of the flattening: straight from columns,
    hand-made from Token objects, the same text's sentences in two units, a subset."""
    texts = VARIED[:3]
    columns = [tokenize(t) for t in texts]
    handmade = [Sentence(s.text, s.start, s.end, tuple(s.tokens)) for s in tokenize(VARIED[4])]
    units = [TextUnit(id=f"u{i}", plan_id="P2", generation=2, goal_number=1, direction_id=f"d{i % 2}",
                      field="evaluation", text="", line=i + 1) for i in range(6)]
    sentences = [columns[0], handmade, columns[1], columns[0], columns[2][1:], [columns[2][0], handmade[0]]]
    return Tokens(units=units, sentences=sentences)


@pytest.mark.parametrize("make", [lambda: make_tokens(VARIED), _odd_tokens], ids=["columns", "odd"])
@pytest.mark.parametrize("stops", [None, frozenset({"推進", "充実", "図る", "為る", "等", "各", "地域"})],
                         ids=["bundled", "custom"])
def test_fast_path_matches_the_token_path(make, stops):
    tokens = make()
    resolved = load_stopwords() if stops is None else stops
    cands = compound_candidates(tokens, stopwords=stops)
    expected = _reference_candidates(tokens.sentences, resolved)
    for name, items in expected.items():
        assert list(getattr(cands, name).items()) == items, name
    # the same on a plain list of unit sentences (not memoized)
    assert compound_candidates(tokens.sentences, stopwords=stops) == cands
    content = terms_module._content_ids(terms_module.CONTENT_POS)
    assert unit_features(tokens, stopwords=stops) == [
        _reference_features(s, resolved, content) for s in tokens.sentences]
    assert unit_features(tokens, stopwords=stops, compounds=False) == [
        [t.norm for x in s for t in x.tokens if t.pos_id in content and t.norm not in resolved
         and t.surface not in resolved] for s in tokens.sentences]
    # every stage gives the same on a copy made of hand-built sentences (read token by token)
    copy = Tokens(units=tokens.units, sentences=[[Sentence(s.text, s.start, s.end, s.tokens) for s in sents]
                                                 for sents in tokens.sentences])
    for method in ("flr", "cvalue"):
        assert term_table(copy, method=method, top=None, min_parts=1, stopwords=stops) == term_table(
            tokens, method=method, top=None, min_parts=1, stopwords=stops)
    assert tfidf_by_direction(copy, stopwords=stops) == tfidf_by_direction(tokens, stopwords=stops)


def test_memo_follows_the_sentences_and_results_are_private_copies():
    tokens = make_tokens(CORPUS)
    first = compound_candidates(tokens)
    first.frequency["担い手不足"] = 999  # a caller's edit must not leak into later results
    assert compound_candidates(tokens).frequency["担い手不足"] == 3
    features = unit_features(tokens)
    features[0].append("偽物")
    assert "偽物" not in unit_features(tokens)[0]
    tokens.sentences = [tokenize(t) for t in ["見守り活動の充実。", "見守り活動。", "サロン運営。"]]
    assert compound_candidates(tokens).frequency == {"サロン運営": 1, "見守り活動": 2}
    tokens.sentences[2] = tokenize("見守り活動。")  # a unit replaced in place
    assert compound_candidates(tokens).frequency == {"見守り活動": 3}
    tokens.sentences[2].extend(tokenize("サロン運営。"))  # a sentence added to a unit
    assert compound_candidates(tokens).frequency == {"サロン運営": 1, "見守り活動": 3}


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
