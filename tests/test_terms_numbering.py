"""Tests for analysis/terms/numbering.py: the vectorized numbering equals the plain definition.

The fast path hashes surfaces and normalized forms; these tests compare it with the plain
definition on real Sudachi tokens and on random segmentations, and force hash collisions
(degenerate multipliers, under which anagrams collide) to show a collision never reaches the
result: the plain definition answers instead.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.terms import numbering
from analysis.terms.columns import token_numbers
from analysis.terms.numbering import number_tokens, number_tokens_plain
from terms_corpus import CORPUS, VARIED, make_tokens


def _spans(lengths):
    ends = np.cumsum(np.asarray(lengths, dtype=np.int64))
    return ends - np.asarray(lengths, dtype=np.int64), ends


def _same(a, b):
    return np.array_equal(a[0], b[0]) and a[0].dtype == b[0].dtype and a[1] == b[1]


def _plain_calls(monkeypatch) -> list:
    calls = []
    plain = numbering.number_tokens_plain

    def counted(*args):
        calls.append(args)
        return plain(*args)

    monkeypatch.setattr(numbering, "number_tokens_plain", counted)
    return calls


def test_real_tokens_numbered_as_the_plain_definition_numbers_them(monkeypatch):
    tokens = make_tokens([*CORPUS, *VARIED, "ﾎﾞﾗﾝﾃｨｱが𠮷野家で連携した。", "", "なつた。隨時、連携。"])
    calls = _plain_calls(monkeypatch)
    found = token_numbers(tokens)
    assert calls == []  # the fast path answered
    texts = "".join(u.text for u in tokens.units)
    begin, end, norms = [], [], []
    offset = 0
    for unit, sentences in zip(tokens.units, tokens.sentences):
        for s in sentences:
            for t in s.tokens:
                begin.append(offset + t.begin)
                end.append(offset + t.end)
                norms.append(t.norm)
        offset += len(unit.text)
    reference = number_tokens_plain(texts, np.array(begin), np.array(end), norms)
    assert _same((found.ids, found.keys), reference)
    # the numbers are in order of first occurrence, and every pair is distinct
    assert found.ids.tolist()[:1] == [0] and len(set(found.keys)) == len(found.keys)
    assert [(texts[b:e], n) for b, e, n in zip(begin, end, norms)] == [found.keys[i] for i in found.ids.tolist()]


def test_a_forced_collision_falls_back_to_the_plain_definition(monkeypatch):
    # under multipliers of 1 the surface hash is the sum of code points: 連携 and 携連 collide
    text = "連携携連連携"
    begin, end = _spans([2, 2, 2])
    norms = ["連携", "連携", "連携"]
    calls = _plain_calls(monkeypatch)
    found = number_tokens(text, begin, end, norms, bases=(1, 1))
    assert len(calls) == 1
    assert found[0].tolist() == [0, 1, 0] and found[1] == [("連携", "連携"), ("携連", "連携")]
    calls.clear()
    assert _same(number_tokens(text, begin, end, norms), found) and calls == []


def test_a_collision_of_surface_hash_and_form_number_is_caught(monkeypatch):
    # multipliers of 1: key = code point XOR form number; "a" (97) with form 0 meets "`" (96) with form 1
    text = "a`"
    begin, end = _spans([1, 1])
    calls = _plain_calls(monkeypatch)
    found = number_tokens(text, begin, end, ["p", "q"], bases=(1, 1))
    assert len(calls) == 1 and found[0].tolist() == [0, 1] and found[1] == [("a", "p"), ("`", "q")]


def test_forms_holding_any_character_and_odd_input_take_the_fast_path(monkeypatch):
    text = "ab\x1fc\ud800𠮷"
    begin, end = _spans([1, 1, 2, 1, 1])
    norms = ["a", "b\x1f", "\x1fc", "", "𠮷"]
    reference = number_tokens_plain(text, begin, end, norms)
    calls = _plain_calls(monkeypatch)
    assert _same(number_tokens(text, begin, end, norms), reference) and calls == []
    empty = number_tokens("", np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [])
    assert empty[0].tolist() == [] and empty[1] == []


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text("あい連携\ud800𠮷", max_size=3), st.text("あいa", max_size=2)), max_size=30),
       st.booleans())
def test_random_segmentations_numbered_as_the_plain_definition(pieces, degenerate):
    text = "".join(p for p, _ in pieces)
    begin, end = _spans([len(p) for p, _ in pieces])
    norms = [n for _, n in pieces]
    bases = (1, 1) if degenerate else numbering._BASES
    assert _same(number_tokens(text, begin, end, norms, bases=bases), number_tokens_plain(text, begin, end, norms))


def test_blocks_of_segments_give_the_same_numbers(monkeypatch):
    # many blocks of a few segments each (the prefix sums and the check run a block at a time)
    tokens = make_tokens([*CORPUS, *VARIED])
    whole = token_numbers(tokens)
    monkeypatch.setattr(numbering, "_BLOCK", 7)
    calls = _plain_calls(monkeypatch)
    blocked = token_numbers(make_tokens([*CORPUS, *VARIED]))
    assert calls == [] and _same((blocked.ids, blocked.keys), (whole.ids, whole.keys))
    text = "連携携連" * 5
    begin, end = _spans([2] * 10)
    assert number_tokens(text, begin, end, ["連携"] * 10, bases=(1, 1))[0].tolist() == [0, 1] * 5
    assert len(calls) == 1  # the collision is caught in a later block too


def test_a_long_text_takes_the_plain_path(monkeypatch):
    monkeypatch.setattr(numbering, "FAST_MAX_CHARS", 4)
    calls = _plain_calls(monkeypatch)
    begin, end = _spans([2, 1, 2])
    found = number_tokens("連携と連携", begin, end, ["連携", "と", "連携"])
    assert len(calls) == 1 and found[0].tolist() == [0, 1, 0]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-3, 40), max_size=60),
       st.sampled_from([np.int64, np.uint64]))
def test_first_numbers_by_hash_table_equal_the_sorting_definition(values, dtype):
    values = np.asarray([v % 41 for v in values] if dtype is np.uint64 else values, dtype=dtype)
    ids, firsts = numbering.first_numbers(values)
    plain_ids, plain_firsts = numbering.first_numbers_plain(values)
    assert ids.dtype == plain_ids.dtype == np.int64
    assert np.array_equal(ids, plain_ids) and np.array_equal(firsts, plain_firsts)
    # the definition itself: equal values, equal numbers; numbers appear as 0, 1, 2, … in order
    seen: dict = {}
    assert ids.tolist() == [seen.setdefault(v, len(seen)) for v in values.tolist()]
    assert firsts.tolist() == [values.tolist().index(v) for v in seen]


def test_first_numbers_of_large_hashes():
    values = np.array([2**64 - 1, 5, 2**63, 2**64 - 1, 5], dtype=np.uint64)
    assert numbering.first_numbers(values)[0].tolist() == [0, 1, 2, 0, 1]
    assert numbering.first_numbers(values)[1].tolist() == [0, 1, 2]
