"""The stage cache: cached stage results equal fresh ones, and each is recomputed exactly when
what shapes it changes (real Sudachi, Japanese units)."""

from __future__ import annotations

import pytest

from analysis import stagecache
from analysis.continuity import features as continuity_features
from analysis.corpus_io import load_corpus
from analysis.pipeline import analyze
from analysis.settings import default_settings
from analysis.terms import load_stopwords
from analysis.textstat import tfidf as tfidf_module
from analysis.themes import coding, load_lexicon, parse_lexicon
from analysis.tokens import Tokens, tokenize, tokenize_corpus, tokenize_units
from analysis.units import TextUnit

TEXTS = [
    ("P1-1-1", "evaluation", "見守り活動の担い手不足が課題となった。地域福祉コーディネーターと連携した。"),
    ("P1-1-1", "title", "見守り体制の充実"),
    ("P1-1-2", "evaluation", "権利擁護支援の相談件数は年々増加している。成年後見制度の周知を図った。"),
    ("P2-1-1", "title", "地域の担い手育成と連携・協働の推進"),
]

LEXICON = '[[theme]]\nname = "見守り"\nterms = ["見守り"]\n\n[[theme]]\nname = "連携"\nterms = ["連携"]\n'


def units() -> list[TextUnit]:
    return [TextUnit(f"{d}:{f}:{i}", d[:2], int(d[1]), 1, d, f, text, i + 1)
            for i, (d, f, text) in enumerate(TEXTS)]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / stagecache.DIR_NAME


@pytest.fixture
def spies(monkeypatch):
    """How many times each stage was computed (not read from the cache)."""
    calls = {"coded": 0, "tfidf": 0, "words": 0}

    def spy(module, name, stage):
        plain = getattr(module, name)

        def counted(*args, **kwargs):
            calls[stage] += 1
            return plain(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    spy(coding, "code_units_plain", "coded")
    spy(tfidf_module, "tfidf_plain", "tfidf")
    spy(continuity_features, "sentence_words", "words")
    return calls


def run_stages(tokens, *, lexicon_text=LEXICON, stopwords=frozenset({"推進"}), cache=True) -> dict:
    lexicon = parse_lexicon(lexicon_text)
    return {
        "coded": [c.to_dict() for c in coding.code_units(tokens, lexicon, cache=cache)],
        "tfidf": tfidf_module.tfidf_by_direction(tokens, stopwords=stopwords, cache=cache),
        "words": continuity_features.unit_sentence_words(tokens, stopwords, cache=cache),
    }


def fresh_stages(tokens, **edit) -> dict:
    return run_stages(tokens, cache=False, **edit)


def test_a_second_run_reads_every_stage_from_the_cache_and_equals_a_fresh_one(cache_dir, spies):
    tokens = tokenize_units(units(), cache=False)
    first = run_stages(tokens)
    assert spies == {"coded": 1, "tfidf": 1, "words": len([s for ss in tokens.sentences for s in ss])}
    assert len(list(cache_dir.glob("*.kc"))) == 3
    again = run_stages(tokenize_units(units(), cache=False))  # new Tokens objects: only the keys match
    assert spies["coded"] == 1 and spies["tfidf"] == 1 and spies["words"] == 6
    assert again == first == fresh_stages(tokens)
    assert again["coded"][0]["themes"]["見守り"][0]["sentence"] == "見守り活動の担い手不足が課題となった。"


# what is edited → the stages computed again (the others are read from the cache)
EDITS = [
    ("lexicon", {"lexicon_text": LEXICON + '\n[[theme]]\nname = "担い手"\nterms = ["担い手"]\n'}, {"coded"}),
    ("stop list", {"stopwords": frozenset({"推進", "連携"})}, {"tfidf", "words"}),
    ("nothing", {}, set()),
]


@pytest.mark.parametrize("what, edit, recomputed", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_recomputes_only_the_stages_it_shapes(cache_dir, spies, what, edit, recomputed):
    tokens = tokenize_units(units(), cache=False)
    run_stages(tokens)
    before = dict(spies)
    edited = run_stages(tokens, **edit)
    assert {stage for stage in spies if spies[stage] > before[stage]} == recomputed
    assert edited == fresh_stages(tokens, **edit)


def test_a_lexicon_edit_changes_the_coded_units_read_back(cache_dir):
    tokens = tokenize_units(units(), cache=False)
    plain = run_stages(tokens)["coded"]
    edited = run_stages(tokens, lexicon_text=LEXICON + '\n[[theme]]\nname = "担い手"\nterms = ["担い手"]\n')["coded"]
    assert "担い手" not in plain[0]["themes"] and "担い手" in edited[0]["themes"]


def test_a_user_dictionary_recomputes_every_stage(cache_dir, spies, tmp_path):
    from analysis.userdict import load_user_dictionary

    tokens = tokenize_units(units(), cache=False)
    run_stages(tokens)
    before = dict(spies)
    words = tmp_path / "words.txt"
    words.write_text("地域福祉コーディネーター\n", encoding="utf-8")
    with_list = tokenize_units(units(), cache=False, user_dictionary=load_user_dictionary(words))
    assert run_stages(with_list) == fresh_stages(with_list)
    assert all(spies[stage] > before[stage] for stage in spies)
    nouns = set().union(*(nouns for nouns, _ in run_stages(with_list)["words"][0]))
    assert "地域福祉コーディネーター" in nouns  # the tokens (and so every stage) differ


def test_other_split_mode_or_units_in_other_directions_are_other_entries(cache_dir, spies):
    tokens = tokenize_units(units(), cache=False)
    run_stages(tokens)
    moved = [TextUnit(u.id, u.plan_id, u.generation, u.goal_number, "P9-9-9", u.field, u.text, u.line)
             for u in units()]
    run_stages(tokenize_units(moved, cache=False))
    assert spies["tfidf"] == 2 and spies["coded"] == 1  # TF-IDF groups by direction, coding does not
    run_stages(tokenize_units(units(), cache=False, split_mode="A"))
    assert spies["tfidf"] == 3 and spies["coded"] == 2


def test_tokens_built_by_hand_are_never_cached(cache_dir, spies):
    tokens = Tokens(units(), [tokenize(t) for _, _, t in TEXTS])
    assert run_stages(tokens) == run_stages(tokens)
    assert spies["coded"] == 2 and spies["tfidf"] == 2
    assert not cache_dir.exists()


def test_cache_off_neither_reads_nor_writes(cache_dir, spies):
    tokens = tokenize_units(units(), cache=False)
    fresh_stages(tokens)
    fresh_stages(tokens)
    assert spies["coded"] == 2 and not cache_dir.exists()


def test_a_damaged_entry_is_computed_again(cache_dir, spies):
    tokens = tokenize_units(units(), cache=False)
    first = run_stages(tokens)
    for path in cache_dir.glob("*.kc"):
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF
        path.write_bytes(bytes(data))
    assert run_stages(tokens) == first
    assert spies["coded"] == 2 and spies["tfidf"] == 2


def test_an_entry_that_does_not_fit_the_tokens_is_computed_again(cache_dir, spies):
    tokens = tokenize_units(units(), cache=False)
    lexicon = parse_lexicon(LEXICON)
    key = stagecache.stage_key("coded", stagecache.code_version(coding.CACHE_VERSION, *coding._CODE),
                               stagecache.token_keys(tokens),
                               (stagecache.digest(lexicon.to_dict()["themes"]),
                                stagecache.digest(tokens.variants)))
    stagecache.store("coded", key, [()])  # well formed, one unit instead of four
    coded = coding.code_units(tokens, lexicon, cache=True)
    assert spies["coded"] == 1 and len(coded) == len(TEXTS)


def test_an_unwritable_cache_is_skipped_with_one_line(tmp_path, monkeypatch, spies, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(blocker))
    monkeypatch.setattr(stagecache, "_SKIPPED", set())
    tokens = tokenize_units(units(), cache=False)
    assert run_stages(tokens) == fresh_stages(tokens)
    assert run_stages(tokens) == fresh_stages(tokens)
    err = capsys.readouterr().err
    assert err.count("keikaku: stage cache not used") == 1 and "\n" == err[-1]


def test_the_analysis_caches_its_stages_as_its_settings_say(cache_dir, spies):
    corpus = load_corpus()
    on = analyze(corpus, settings=default_settings().replace(tokens={"cache": True}))
    first = ([c.to_dict() for c in on.coded], on.tfidf)
    second_run = analyze(corpus, settings=default_settings().replace(tokens={"cache": True}))
    assert ([c.to_dict() for c in second_run.coded], second_run.tfidf) == first
    assert spies["coded"] == 1 and spies["tfidf"] == 1
    off = analyze(corpus, settings=default_settings().replace(tokens={"cache": False}))
    assert ([c.to_dict() for c in off.coded], off.tfidf) == first
    assert spies["coded"] == 2 and spies["tfidf"] == 2
    assert first[1] == tfidf_module.tfidf_plain(on.tokens, top=10, stopwords=on.stopwords,
                                                pos=tfidf_module.CONTENT_POS)


def test_the_continuity_features_read_back_equal_fresh_ones(cache_dir):
    corpus = load_corpus()
    settings = default_settings().replace(tokens={"cache": True})
    first = continuity_features.text_features(corpus, settings=settings)
    second = continuity_features.text_features(corpus, settings=settings)
    fresh = continuity_features.text_features(corpus, settings=default_settings().replace(tokens={"cache": False}))
    assert second == first == fresh
    assert [s.sentence.text for ss in second.sentences.values() for s in ss] == \
        [s.text for ss in fresh.sentences.values() for s in ss]


@pytest.mark.parametrize("a, b, same", [
    ({"推進", "充実"}, frozenset({"充実", "推進"}), True),
    ({"a": 1, "b": [1, 2]}, {"b": (1, 2), "a": 1}, True),
    (("見守り",), ("見守り", "連携"), False),
    ("1", 1, False),
])
def test_digest_is_equal_exactly_for_equal_data(a, b, same):
    assert (stagecache.digest(a) == stagecache.digest(b)) is same


def test_code_version_changes_with_the_stage_version():
    assert stagecache.code_version("coded-1", "analysis.themes.coding") != \
        stagecache.code_version("coded-2", "analysis.themes.coding")
    assert stagecache.code_version("coded-1") != stagecache.code_version("coded-1", "analysis.themes.coding")


@pytest.mark.parametrize("clear", [stagecache.clear_stage_cache, lambda: __import__("analysis").clear_token_cache()],
                         ids=["clear_stage_cache", "clear_token_cache"])
def test_clear_removes_every_entry(cache_dir, clear):
    run_stages(tokenize_units(units(), cache=False))
    assert list(cache_dir.glob("*.kc"))
    clear()
    assert not list(cache_dir.glob("*.kc"))


@pytest.mark.parametrize("made_with_cache, cached", [(True, True), (False, False)])
def test_by_default_the_stages_cache_as_the_tokens_were_made(cache_dir, spies, made_with_cache, cached):
    lexicon = parse_lexicon(LEXICON)
    for _ in range(2):
        tokens = tokenize_units(units(), cache=made_with_cache)
        coding.code_units(tokens, lexicon)
        tfidf_module.tfidf_by_direction(tokens)
    assert (spies["coded"], spies["tfidf"]) == ((1, 1) if cached else (2, 2))


def test_code_version_follows_the_source_of_the_modules(tmp_path, monkeypatch):
    module = tmp_path / "stage_x.py"
    module.write_text("VALUE = '見守り'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    version = stagecache.code_version.__wrapped__  # not memoized: the file is read each call
    before = version("v1", "stage_x")
    assert version("v1", "stage_x") == before
    module.write_text("VALUE = '連携'\n", encoding="utf-8")
    assert version("v1", "stage_x") != before


# --- the terms pass (analysis.terms.columns.column_pass, stage "terms") ---------------------

@pytest.fixture
def passes(monkeypatch):
    """How many times the terms column pass was computed (not read from the cache or the memo)."""
    from analysis.terms import columns

    calls = []
    plain = columns._analyse

    def counted(*args, **kwargs):
        calls.append(1)
        return plain(*args, **kwargs)

    monkeypatch.setattr(columns, "_analyse", counted)
    return calls


def term_stages(tokens, *, stopwords=frozenset({"推進"}), cache=True) -> dict:
    from analysis.terms import METHODS, term_table, unit_features
    from analysis.textstat import cooccurrence_graph

    out = {method: term_table(tokens, method=method, top=None, stopwords=stopwords, cache=cache) for method in METHODS}
    out["features"] = unit_features(tokens, stopwords=stopwords)
    out["cooccurrence"] = sorted(cooccurrence_graph(tokens, stopwords=stopwords, min_frequency=1).edges(data=True))
    return out


def test_the_terms_pass_read_back_gives_what_a_fresh_one_gives(cache_dir, passes):
    first = term_stages(tokenize_units(units(), cache=True))
    assert len(passes) == 1 and len(list(cache_dir.glob("terms-*.kc"))) == 1
    again = term_stages(tokenize_units(units(), cache=True))  # a new Tokens object: only the keys match
    assert len(passes) == 1
    fresh = term_stages(tokenize_units(units(), cache=False), cache=False)
    assert len(passes) == 2
    assert again == first == fresh
    keys = {t.key for t in again["keyterms"]}
    assert {"担い手不足", "地域福祉コーディネーター", "成年後見制度"} <= keys and "推進" not in keys
    assert "担い手不足" in again["features"][0] and "推進" not in again["features"][3]


# what is edited → whether the terms pass and the coded units are computed again
TERMS_EDITS = [
    ("stop list", {"stopwords": frozenset({"推進", "連携"})}, (True, False)),
    ("lexicon", {"lexicon_text": LEXICON + '\n[[theme]]\nname = "担い手"\nterms = ["担い手"]\n'}, (False, True)),
    ("nothing", {}, (False, False)),
]


@pytest.mark.parametrize("what, edit, recomputed", TERMS_EDITS, ids=[e[0] for e in TERMS_EDITS])
def test_a_stop_list_edit_recomputes_the_terms_pass_and_a_lexicon_edit_does_not(cache_dir, spies, passes, what,
                                                                                 edit, recomputed):
    from analysis.terms import term_table

    def run(**options):
        tokens = tokenize_units(units(), cache=True)  # new Tokens objects: nothing from the memo
        lexicon = parse_lexicon(options.get("lexicon_text", LEXICON))
        coding.code_units(tokens, lexicon)
        return term_table(tokens, stopwords=options.get("stopwords", frozenset({"推進"})), top=None)

    run()
    before_pass, before_coded = len(passes), spies["coded"]
    edited = run(**edit)
    assert (len(passes) > before_pass, spies["coded"] > before_coded) == recomputed
    assert edited == term_table(tokenize_units(units(), cache=False), top=None,
                                stopwords=edit.get("stopwords", frozenset({"推進"})), cache=False)
    assert ("連携" in {t.key for t in edited}) is ("連携" not in edit.get("stopwords", ()))


def test_a_terms_pass_that_does_not_fit_the_tokens_is_computed_again(cache_dir, passes):
    from analysis.terms import columns, term_table

    tokens = tokenize_units(units(), cache=True)
    stops = frozenset({"推進"})
    key = stagecache.stage_key("terms", stagecache.code_version(columns.CACHE_VERSION, *columns._CODE),
                               stagecache.token_keys(tokens), (stagecache.digest(stops),))
    stagecache.store("terms", key, (1, [], b"", b"", b"", b""))  # well formed, one unit instead of four
    assert term_table(tokens, stopwords=stops) == term_table(tokenize_units(units(), cache=False), stopwords=stops,
                                                             cache=False)
    assert len(passes) == 2


def test_cached_candidates_that_do_not_fit_the_tokens_are_computed_again(cache_dir):
    from analysis.terms import columns, term_table

    tokens = tokenize_units(units(), cache=True)
    stops = frozenset({"推進"})
    key = stagecache.stage_key("candidates", stagecache.code_version(columns.CACHE_VERSION, *columns._CODE),
                               stagecache.token_keys(tokens), (stagecache.digest(stops),))
    # well formed, but a key without parts and a unit the tokens do not have
    stagecache.store("candidates", key, ({"見守り": 1}, {}, {}, {}, {}, {}, {"見守り": (9,)}))
    table = term_table(tokens, stopwords=stops, top=None)
    assert table == term_table(tokenize_units(units(), cache=False), stopwords=stops, top=None, cache=False)
    assert "担い手不足" in {t.key for t in table}


def test_the_ranked_term_table_is_read_back_for_the_same_options_only(cache_dir, monkeypatch):
    from analysis.terms import METHODS, scores, term_table

    ranked = []
    plain = scores.shared_candidates

    def counted(*args, **kwargs):  # the ranking starts from the candidates: counted, it was ranked
        ranked.append(1)
        return plain(*args, **kwargs)

    monkeypatch.setattr(scores, "shared_candidates", counted)
    options = [dict(method=m, top=t, min_frequency=f) for m in METHODS for t in (None, 3) for f in (1, 2)]
    first = [term_table(tokenize_units(units(), cache=True), stopwords={"推進"}, **o) for o in options]
    assert len(ranked) == len(options) and len(list(cache_dir.glob("term-table-*.kc"))) == len(options)
    again = [term_table(tokenize_units(units(), cache=True), stopwords={"推進"}, **o) for o in options]
    assert len(ranked) == len(options)  # every table read back, none ranked again
    fresh = [term_table(tokenize_units(units(), cache=False), stopwords={"推進"}, cache=False, **o) for o in options]
    assert again == first == fresh and all(isinstance(t.parts, tuple) for table in again for t in table)
    term_table(tokenize_units(units(), cache=True), stopwords={"推進", "連携"}, method="keyterms", top=None)
    term_table(tokenize_units(units(), cache=True), stopwords={"推進"}, stop_terms={"担い手不足"}, top=None)
    assert len(ranked) == 2 * len(options) + 2  # the fresh tables, then another stop list or stop terms
