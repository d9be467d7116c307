"""Tests for analysis/terms/columns.py: the shared column pass gives what the plain definition gives.

The stages read the compact token columns through one shared, memoized pass.  These tests
recompute the same figures the simple way — walking ``sentence.tokens`` run by run with
:func:`~analysis.terms.candidates.noun_runs` and :func:`~analysis.terms.candidates.run_candidate`
— on a varied corpus, and on Tokens whose sentences do not come straight from one text's columns
(hand-made sentences, a shared text, a subset of sentences), which take the slower branches.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.terms.candidates import VERB, compound_candidates, noun_runs, run_candidate
from analysis.terms.features import CONTENT_POS, content_ids, unit_features
from analysis.terms.scores import term_table
from analysis.terms.stopwords import load_stopwords
from analysis.textstat.tfidf import tfidf_by_direction
from analysis.tokens import Sentence, Tokens, tokenize
from analysis.units import TextUnit
from terms_corpus import CORPUS, VARIED, make_tokens


def _reference_candidates(unit_sentences, stops):
    """compound_candidates computed token by token (the original algorithm)."""
    verb = VERB
    runs, by_parts = Counter(), Counter()
    surfaces, shapes, units = defaultdict(Counter), {}, defaultdict(set)
    for index, sentences in enumerate(unit_sentences):
        for run in noun_runs(sentences):
            runs[tuple(t.surface if k == verb else t.norm for t, k in run)] += 1
            found = run_candidate(run, stops)
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
    for run in noun_runs(sentences):
        if len(run) > 1:
            found = run_candidate(run, stops)
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
    content = content_ids(CONTENT_POS)
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


def test_column_pass_is_shared_per_tokens_and_stop_list():
    from analysis.terms.columns import column_pass, shared_candidates

    tokens = make_tokens(CORPUS)
    stops = load_stopwords()
    first = column_pass(tokens, stops)
    assert column_pass(tokens, stops) is first  # one pass for every stage of a pipeline
    assert column_pass(tokens, frozenset()) is not first  # another stop list, another pass
    assert shared_candidates(tokens, stops) is shared_candidates(tokens, stops)
    # a plain list of unit sentences is computed afresh, with the same result
    again = column_pass(tokens.sentences, stops)
    assert again is not first and again.table == first.table and again.code.tolist() == first.code.tolist()


def _assert_pass_matches_the_token_path(tokens, stops=None):
    resolved = load_stopwords() if stops is None else stops
    cands = compound_candidates(tokens, stopwords=stops)
    for name, items in _reference_candidates(tokens.sentences, resolved).items():
        assert list(getattr(cands, name).items()) == items, name
    content = content_ids(CONTENT_POS)
    assert unit_features(tokens, stopwords=stops) == [_reference_features(s, resolved, content)
                                                      for s in tokens.sentences]


def test_fast_path_matches_the_token_path_on_every_bundled_sentence():
    from analysis.corpus_io import load_corpus
    from analysis.tokens import tokenize_units
    from analysis.units import text_units

    tokens = tokenize_units(text_units(load_corpus()), cache=False)
    assert sum(map(len, tokens.sentences)) > 50
    _assert_pass_matches_the_token_path(tokens)


PIECES = ["担い手", "不足", "地域", "福祉", "コーディネーター", "第", "2", "層", "協議", "体", "各", "等", "員",
          "見守り", "活動", "随時", "今後", "推進", "の", "を", "・", "、", "。", " ", "　", "ﾎﾞﾗﾝﾃｨｱ", "ボランティア", "１２"]


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=2)), max_size=12),
                min_size=1, max_size=4))
def test_fast_path_matches_the_token_path_on_generated_text(texts):
    tokens = make_tokens(["".join(pieces) for pieces in texts])
    _assert_pass_matches_the_token_path(tokens)
    _assert_pass_matches_the_token_path(tokens, frozenset({"推進", "地域", "各", "等"}))


def test_the_same_word_in_two_parts_of_speech_is_two_runs():
    # Sudachi gives 見守り here as a verb (連用形); a word list can make the same word a noun.  The
    # pass decides each distinct (norm, surface, kind) once: the two must not share a decision.
    verb = tokenize("見守りの会。")[0]
    noun_pos = tokenize("地域")[0].tokens[0].pos_id
    tokens = list(verb.tokens)
    assert tokens[0].surface == "見守り" and tokens[0].pos_id != noun_pos
    tokens[0] = tokens[0]._replace(pos_id=noun_pos)
    noun = Sentence(verb.text, verb.start, verb.end, tokens)
    made = Tokens(units=[TextUnit(id=f"u{i}", plan_id="P2", generation=2, goal_number=1, direction_id="d",
                                  field="evaluation", text=verb.text, line=i + 1) for i in range(2)],
                  sentences=[[verb], [noun]])
    assert compound_candidates(made).units["見守る"] == (1,)  # the noun only
    _assert_pass_matches_the_token_path(made)
