"""A planner's word list keeps its words whole through every stage (issue 14 §4), with real
Sudachi: tokens, terms, themes, KWIC, co-occurrence, continuity, the CLI and the token cache."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.corpus import Corpus, Direction, Goal, Link, Plan
from analysis.settings import Settings
from analysis.tokens import tokenize_corpus
from analysis.userdict import load_user_dictionary

from conftest import ROOT

WORDS = ["ふれあいいきいきサロン", "地域福祉コーディネーター"]
PARTS = {"ふれあい", "いきいき", "コーディネーター"}  # what Sudachi makes of them without the list


def corpus() -> Corpus:
    past = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="ふれあいいきいきサロンの充実",
                     evaluation="ふれあいいきいきサロンの担い手不足が課題となった。地域福祉コーディネーターが"
                                "ふれあいいきいきサロンを支援した。地域福祉コーディネーターの配置を進めた。")
    new = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="ふれあいいきいきサロンの担い手確保",
                    text="地域福祉コーディネーターとともにふれあいいきいきサロンの担い手を育てる。")
    return Corpus(name="例", plans=[
        Plan(id="P1", generation=1, title="第1次", goals=[Goal("P1", 1, "つながる", directions=[past])]),
        Plan(id="P2", generation=2, title="第2次", role="next", goals=[Goal("P2", 1, "つながる", directions=[new])])],
        links=[Link("P1-1-1", "P2-1-1")])


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    (folder / "words.txt").write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    (folder / "settings.toml").write_text('[tokens]\nuser_dictionary = "words.txt"\n', encoding="utf-8")
    return Settings.load(folder / "settings.toml")


@pytest.fixture(scope="module")
def tokens(settings):
    return tokenize_corpus(corpus(), settings=settings)


def _surfaces(tokens) -> set[str]:
    return {t.surface for sentences in tokens.sentences for s in sentences for t in s.tokens}


def test_the_words_are_whole_tokens_with_the_list_and_cut_without(tokens):
    assert set(WORDS) <= _surfaces(tokens)
    assert not PARTS & _surfaces(tokens)
    plain = tokenize_corpus(corpus())
    assert not set(WORDS) & _surfaces(plain) and PARTS <= _surfaces(plain)
    assert tokens.settings["tokens"]["user_dictionary"]["words"] == 2


def test_terms_rank_the_listed_word_as_itself(tokens):
    from analysis.terms import term_table

    table = term_table(tokens, top=None, min_parts=1)
    terms = {t.term for t in table}
    assert "ふれあいいきいきサロン" in terms and "地域福祉コーディネーター" in terms
    assert not any(t.term != w and w in t.term and t.parts == tuple(w) for t in table for w in WORDS)
    assert not PARTS & {p for t in table for p in t.parts}


def test_themes_code_the_listed_word_and_quote_it_whole(tokens):
    from analysis.themes import code_units, parse_lexicon

    lexicon = parse_lexicon('[[theme]]\nname = "サロン事業"\nterms = ["ふれあいいきいきサロン"]\n', source="t.toml")
    coded = code_units(tokens, lexicon)
    words = {w for item in coded for matches in item.themes.values() for m in matches for w in m.words}
    assert words == {"ふれあいいきいきサロン"}
    assert sum(1 for item in coded if item.themes) >= 3


def test_kwic_finds_the_listed_word_as_one_keyword(tokens):
    from analysis.terms import kwic

    hits = kwic(tokens, "地域福祉コーディネーター", window=2)
    assert len(hits) == 3
    assert {h["keyword"] for h in hits} == {"地域福祉コーディネーター"}


def test_cooccurrence_nodes_are_the_listed_words(tokens):
    from analysis.textstat import cooccurrence_graph

    graph = cooccurrence_graph(tokens, min_frequency=2, min_jaccard=0.0, top=None, unit="unit")
    assert set(WORDS) <= set(graph.nodes)
    assert not PARTS & set(graph.nodes)


def test_continuity_features_hold_the_listed_word_on_both_sides(settings):
    from analysis.continuity import build_continuity_graph, text_features
    from analysis.pipeline import analyze

    c = corpus()
    analysis = analyze(c, settings=settings, tokens=tokenize_corpus(c, settings=settings))
    features = text_features(c, analysis=analysis)
    for direction in ("P1-1-1", "P2-1-1"):
        words = {w for s in features.sentences[direction] for w in s.nouns | s.compounds}
        assert "ふれあいいきいきサロン" in words and not PARTS & words, direction
    graph = build_continuity_graph(c, analysis=analysis)
    assert graph.edges["P1-1-1", "P2-1-1"]["score"] > 0


def test_the_token_cache_keeps_tokens_of_each_list_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))
    words = tmp_path / "words.txt"
    words.write_text("ふれあいいきいきサロン\n", encoding="utf-8")
    with_list = Settings.load().replace(tokens={"user_dictionary": str(words), "cache": True})
    plain = Settings.load().replace(tokens={"cache": True})
    for _ in range(2):  # the second round reads the cache
        assert "ふれあいいきいきサロン" in _surfaces(tokenize_corpus(corpus(), settings=with_list))
        assert "ふれあいいきいきサロン" not in _surfaces(tokenize_corpus(corpus(), settings=plain))
    words.write_text("ふれあいいきいきサロン\n地域福祉コーディネーター\n", encoding="utf-8")
    assert "地域福祉コーディネーター" in _surfaces(tokenize_corpus(corpus(), settings=with_list))


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_user_dict_option_on_the_cli(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("地域福祉コーディネーター\n", encoding="utf-8")
    result = _cli("tokens", "--json", "--word", "地域福祉コーディネーター", "--user-dict", words)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["sentences"]
    assert rows and all(any(t["surface"] == "地域福祉コーディネーター" for t in r["tokens"]) for r in rows)
    assert all(t["pos"] for r in rows for t in r["tokens"])
    plain = json.loads(_cli("tokens", "--json", "--word", "地域福祉コーディネーター").stdout)["sentences"]
    assert len(plain) == len(rows)
    assert not any(t["surface"] == "地域福祉コーディネーター" for r in plain for t in r["tokens"])
    kwic = _cli("kwic", "地域福祉コーディネーター", "--json", "--user-dict", words)
    assert kwic.returncode == 0 and json.loads(kwic.stdout)["hits"]


def test_a_bad_word_list_is_one_settings_error(tmp_path):
    words = tmp_path / "words.csv"
    words.write_text("語,読み,品詞\n地域福祉コーディネーター,,動詞\n", encoding="utf-8")
    result = _cli("tokens", "--user-dict", words)
    assert result.returncode == 4
    assert result.stderr.count("\n") == 1 and "words.csv:2:" in result.stderr and "動詞" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_theme_about_a_part_still_finds_the_listed_word_and_quotes_it_whole(tokens):
    """The bundled lexicon's サロン theme matches inside ふれあいいきいきサロン (theme rules see a
    token's parts), and the evidence is the whole listed word."""
    from analysis.themes import code_units, load_lexicon

    coded = code_units(tokens, load_lexicon())
    salon = [m for item in coded for m in item.themes.get("サロン・居場所", [])]
    assert salon and all(m.words == ("ふれあいいきいきサロン",) for m in salon)
