"""Tests for the key-term list (analysis/terms/keyterms.py, term_table's default method), its
counts and the stop list's whole-candidate entries (real Sudachi)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import SettingsError
from analysis.terms import METHODS, keyterm_order, term_table, unit_features
from analysis.terms.stopwords import load_stop_terms, load_stopwords, resolve_stop_terms
from analysis.textstat import kwic
from terms_corpus import make_tokens

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- the ranking

# (what the case shows, texts, terms that must come before others: (earlier, later), terms absent)
RANKING_CASES = [
    ("single words and compounds both appear, neither crowds the other out",
     ["連携の強化。連携を深める。連携が進んだ。", "担い手不足の解消。担い手不足が課題。", "連携と協働。"],
     [("連携", "協働"), ("担い手不足", "協働")], []),
    ("a frequent single noun outranks a one-off compound, even the best compound",
     ["サロンを開いた。サロンに集う。", "研修を行った。研修の講師。", "サロンと研修。福祉教育プログラム。"],
     [("サロン", "福祉教育プログラム"), ("研修", "福祉教育プログラム")], []),
    ("an administrative compound on the stop list is gone; its part written elsewhere stays",
     ["補助事業を実施した。補助事業の報告。", "補助の対象。補助が決まった。", "管理運営を行った。"],
     [], ["補助事業", "管理運営"]),
    ("a fragment only ever nested (共同参画 of 男女共同参画) is not a term",
     ["男女共同参画の推進。男女共同参画の視点。"], [], ["共同参画", "男女共同"]),
]


@pytest.mark.parametrize("why, texts, before, absent", RANKING_CASES, ids=[c[0] for c in RANKING_CASES])
def test_key_term_ranking(why, texts, before, absent):
    keys = [t.key for t in term_table(make_tokens(texts), top=None)]
    for earlier, later in before:
        assert earlier in keys and later in keys, (why, keys)
        assert keys.index(earlier) < keys.index(later), (why, keys)
    for key in absent:
        assert key not in keys, (why, keys)


def test_both_kinds_alternate_at_the_top():
    texts = ["地域の連携。地域の協働。地域活動と地域住民。", "地域活動の連携。地域住民の協働。", "地域活動。協働。"]
    table = term_table(make_tokens(texts), top=4)
    assert [t.kind for t in table] in (["word", "compound"] * 2, ["compound", "word"] * 2)


def test_a_part_of_a_stop_candidate_stays_where_it_occurs_on_its_own():
    table = {t.key: t for t in term_table(make_tokens(["補助事業の実施。補助の対象。"]), top=None)}
    assert "補助事業" not in table
    # 補助 is written once on its own and once inside 補助事業: both count, the text is unchanged
    assert (table["補助"].frequency, table["補助"].total_frequency) == (1, 2)


def test_stop_candidates_leave_the_text_alone():
    tokens = make_tokens(["補助事業を実施した。補助事業の報告。"])
    assert "補助事業" in unit_features(tokens)[0]
    assert len(kwic(tokens, "補助事業")) == 2
    assert "補助事業" in {t.key for t in term_table(tokens, stop_terms=set(), top=None)}


@pytest.mark.parametrize("rows, expected", [
    # pair by pair, the word and the compound of the same rank, more occurrences first
    ([("A", 9, 6.0, False), ("B", 4, 3.0, False), ("C", 3, 8.0, True), ("D", 5, 2.0, True)], ["A", "C", "D", "B"]),
    # a term written once comes after every term written at least twice
    ([("A", 5, 4.0, False), ("B", 2, 1.0, False), ("C", 1, 50.0, True)], ["A", "B", "C"]),
    # equal scores: more occurrences, then the key
    ([("い", 3, 2.0, False), ("あ", 3, 2.0, False), ("う", 4, 2.0, False)], ["う", "あ", "い"]),
])
def test_keyterm_order(rows, expected):
    assert keyterm_order(rows) == expected


def test_frequency_method_ranks_by_occurrences_including_nested():
    table = term_table(make_tokens(["地域福祉と地域活動。地域。福祉。"]), method="frequency", top=None)
    assert [t.key for t in table][:2] == ["地域", "福祉"]  # 地域: 3 occurrences, 福祉: 2
    assert [t.total_frequency for t in table][:2] == [3, 2]


# ---------------------------------------------------------------------------- the counts

_WORDS = ["地域", "福祉", "担い手", "不足", "連携", "見守り", "活動", "サロン", "第2層", "協議体", "推進",
          "補助事業", "男女共同参画", "ボランティア", "の", "と", "、", "。", "が", "を行う。"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=25).map("".join), min_size=1, max_size=5),
       st.sampled_from(METHODS))
def test_counts_read_sensibly_on_random_text(texts, method):
    for term in term_table(make_tokens(texts), method=method, top=None, min_parts=1):
        # never a term with zero occurrences; documents never exceed occurrences
        assert 1 <= term.frequency <= term.total_frequency, term
        assert 1 <= term.document_frequency <= min(term.total_frequency, len(texts)), term
        assert term.kind == ("word" if len(term.parts) == 1 else "compound")


# ---------------------------------------------------------------------------- the stop list

def test_whole_candidate_entries_have_their_own_syntax(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("推進\n=補助事業  # a whole candidate\n= 実績報告\n", encoding="utf-8")
    assert load_stopwords(path) == frozenset({"推進"})
    assert {"補助事業", "実績報告"} <= load_stop_terms(path)
    assert resolve_stop_terms(stopwords=path) == load_stop_terms(path)
    tokens = make_tokens(["補助事業と実績報告の推進。"])
    assert term_table(tokens, stopwords=path, top=None) == []


def test_an_equals_sign_alone_is_a_settings_error_naming_the_line(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("推進\n=\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_stop_terms(path)
    assert info.value.line == 2 and str(path) in str(info.value)


def test_bundled_stop_list_holds_administrative_compounds_whole():
    terms = load_stop_terms()
    for key in ["補助事業", "委託事業", "事務事業", "実績報告", "管理運営", "補助金交付申請"]:
        assert key in terms, key
        assert key not in load_stopwords(), key  # not an edge word: nothing is trimmed by it


# ---------------------------------------------------------------------------- the bundled corpus

# Words a reader of the bundled plan (corpus/higashimatsuyama/source/*.txt) names, and why:
BUNDLED_KEY_TERMS = {
    "連携": "連携・協働 is in the title of three directions of goal 1 and in most evaluations",
    "担い手": "goal 3 is 地域福祉活動の担い手を育てる; the evaluations raise the lack of 担い手",
    "地域福祉コーディネーター": "the council's own staff role, named in the evaluations of most goals",
    "ボランティア": "a direction of the next plan (ボランティア活動の推進) and of the past one",
    "サロン": "the community salons are the main activity reported under goal 2",
    "支援体制": "goal 4's directions are about the 支援体制 (包括的な支援体制の充実 …)",
    "育成": "人材の確保と育成 is the title of two directions of goal 3",
}


def test_bundled_corpus_top_30_holds_the_words_a_reader_names():
    if not (ROOT / "corpus" / "higashimatsuyama").exists():
        pytest.skip("the bundled corpus is not there yet")
    from analysis.corpus_io import load_corpus
    from analysis.tokens import tokenize_units
    from analysis.units import text_units

    table = term_table(tokenize_units(text_units(load_corpus())), top=30)
    keys = {t.key for t in table}
    found = [word for word in BUNDLED_KEY_TERMS if word in keys]
    assert len(found) >= 5, (found, sorted(keys))
    kinds = [t.kind for t in table]
    assert kinds.count("word") >= 10 and kinds.count("compound") >= 10, kinds
    assert all(t.document_frequency <= t.total_frequency and t.frequency >= 1 for t in table)
