"""The shared column pass: noun runs and their candidates read straight from the token columns.

This module is an OPTIMISATION of the plain candidate definition in
:mod:`analysis.terms.candidates` (:func:`~analysis.terms.candidates.noun_runs` and
:func:`~analysis.terms.candidates.run_candidate`), and gives exactly what it defines;
``tests/test_terms_columns.py`` checks it against the token-by-token computation.

:func:`~analysis.terms.scores.term_table`, :func:`~analysis.terms.candidates.compound_candidates`,
:func:`~analysis.terms.features.unit_features`, :func:`~analysis.textstat.tfidf_by_direction`,
:func:`~analysis.textstat.keyness` and :func:`~analysis.textstat.cooccurrence_graph` all need
the noun runs of every sentence and their candidates.  The pass reads the compact token columns
(``Sentence.columns`` and ``Sentence.token_range``; no :class:`~analysis.tokens.Token` objects)
into flat arrays over one string holding every text, finds the runs with numpy, and trims each
distinct run once.  It is memoized per Tokens object and stop list, so the stages of one pipeline
share it; the memo is dropped when the Tokens object goes away or its sentence lists are replaced.
On disk it is kept in the stage cache (:mod:`analysis.stagecache`, stage ``terms``: the runs'
table and arrays; stage ``candidates``: what :func:`shared_candidates` makes of them; both keyed
by the tokens' keys, the stop list and this code), so a second run over the same tokens skips
the pass (``cache=``: default as the tokens were made, see
:func:`~analysis.stagecache.cache_wanted`); the plain pass stays the reference it equals.
What :func:`shared_candidates` and :func:`shared_features` return is shared: callers copy before
changing it (the public stages hand out copies).

The flattened columns also number every token by its ``(surface, norm)`` once per Tokens
(:func:`token_numbers`): the pass tells runs apart by those numbers, the features decide the stop
list once per distinct token, and the themes scan (:func:`analysis.themes.scan.match_units`)
checks every token by them, so the ~650,000 tokens of 1 M characters are numbered once
(:mod:`analysis.terms.numbering`: hashed with numpy, each token checked against its number).

>>> from analysis.terms.stopwords import load_stopwords
>>> from analysis.tokens import tokenize
>>> found = column_pass([tokenize("担い手不足の解消と連携強化。")], load_stopwords())
>>> counts, key_id, keys, order = found.entries()
>>> keys, len(found.table), found.run_len.tolist()
(['担い手不足', '解消', '連携'], 3, [2, 1, 2])
"""

from __future__ import annotations

import functools
import itertools
import operator
from array import array
from collections import Counter
from typing import Any, NamedTuple, Sequence

from ..tokens import Sentence, Tokens, pos_table
from .candidates import NOUN, SINGLE_NOUN_SHAPE, VERB, Candidates, Shape, token_kinds, trim_run
from .numbering import first_numbers, int_array, number_tokens

_NO_KIND = 255

#: The stage cache's version of the terms pass (bump it when the pass's result changes for the
#: same tokens; an edit of the modules in ``_CODE`` is a new version by itself).
CACHE_VERSION = "terms-pass-1"
_CODE = ("analysis.terms.columns", "analysis.terms.candidates", "analysis.tokens")


@functools.cache
def _kind_lut():
    import numpy as np

    lut = np.full(len(pos_table()) + 1, _NO_KIND, dtype=np.uint8)
    for i, k in token_kinds().items():
        lut[i] = k
    return lut


@functools.lru_cache(maxsize=16)
def _content_lut(content: frozenset[int]):
    import numpy as np

    lut = np.zeros(len(pos_table()) + 1, dtype=bool)
    lut[list(content)] = True
    return lut


def _lookup(lut, pos):
    """``lut[pos]``, tolerating ids beyond the table (looked up as "no class")."""
    import numpy as np

    if len(pos) and int(pos.max()) >= len(lut) - 1:
        pos = np.minimum(pos, len(lut) - 1)
    return lut[pos]


class _Flat:
    """Every token of a list of units as flat columns: ``norms``, ``pos`` (numpy uint16), ``begin``
    and ``end`` (numpy; offsets into ``text``, every text joined), ``first`` (a sentence starts here),
    ``sent_start`` (token index where each sentence starts, one extra at the end) and
    ``sent_unit`` (each sentence's unit index)."""

    __slots__ = ("text", "norms", "pos", "begin", "end", "first", "sent_start", "sent_unit", "n_units")


_RANGE_OF, _START_OF = operator.attrgetter("token_range"), operator.attrgetter("start")


def _whole_text(sentences: Sequence[Sentence], seen: dict[int, int]):
    """The columns of a text when ``sentences`` are exactly its sentences, in order, and the text
    is not joined yet (the usual case, copied in one go), else None."""
    c = sentences[0].columns if sentences else None
    if (c is not None and id(c) not in seen and len(sentences) * 3 == len(c.spans)
            and all(s.columns is c for s in sentences)
            and [lo for lo, _ in map(_RANGE_OF, sentences)]
            == list(itertools.accumulate(c.spans[2::3], initial=0))[:-1]
            and list(map(_START_OF, sentences)) == c.spans[0::3].tolist()):
        return c
    return None


def _flatten(unit_sentences: Sequence[Sequence[Sentence]]) -> _Flat:
    pieces: list[str] = []
    offset = 0
    text_at: dict[int, int] = {}
    norms: list[str] = []
    pos = array("H")
    ends = array("I")
    starts = array("q")  # each sentence's start in its text ...
    offsets = array("q")  # ... and where that text begins in the joined text
    counts = array("q")
    sent_unit = array("q")
    for u, sentences in enumerate(unit_sentences):
        c = _whole_text(sentences, text_at)
        if c is not None:
            text_at[id(c)] = offset
            pieces.append(c.text)
            norms += c.norms
            pos += c.pos
            ends += c.ends
            starts += array("q", c.spans[0::3])
            offsets += array("q", [offset]) * len(sentences)
            counts += array("q", c.spans[2::3])
            sent_unit += array("q", [u]) * len(sentences)
            offset += len(c.text)
            continue
        for s in sentences:
            c = s.columns
            if c is not None:
                off = text_at.get(id(c))
                if off is None:
                    off = text_at[id(c)] = offset
                    pieces.append(c.text)
                    offset += len(c.text)
                lo, hi = s.token_range
                norms += c.norms[lo:hi]
                pos += c.pos[lo:hi]
                ends += c.ends[lo:hi]
                starts.append(s.start)
                offsets.append(off)
                counts.append(hi - lo)
            else:
                toks = s.tokens
                e = 0
                for t in toks:
                    e += len(t.surface)
                    ends.append(e)
                    pos.append(t.pos_id)
                    norms.append(t.norm)
                pieces.append("".join([t.surface for t in toks]))
                starts.append(0)
                offsets.append(offset)
                offset += e
                counts.append(len(toks))
            sent_unit.append(u)
    return _arrays("".join(pieces), norms, pos, ends, starts, offsets, counts, sent_unit, len(unit_sentences))


def _arrays(text: str, norms: list[str], pos: array, ends: array, starts: array, offsets: array,
            counts: array, sent_unit: array, n_units: int) -> _Flat:
    """The :class:`_Flat` of the collected columns (token offsets made global, numpy)."""
    import numpy as np

    flat = _Flat()
    flat.text = text
    flat.norms = norms
    flat.n_units = n_units
    count = np.frombuffer(counts, dtype=np.int64) if counts else np.zeros(0, dtype=np.int64)
    start = np.zeros(len(count) + 1, dtype=np.int64)
    np.cumsum(count, out=start[1:])
    flat.sent_start = start
    flat.sent_unit = np.frombuffer(sent_unit, dtype=np.int64) if sent_unit else np.zeros(0, dtype=np.int64)
    bases = (np.frombuffer(starts, dtype=np.int64) + np.frombuffer(offsets, dtype=np.int64)) if counts else count
    n = len(norms)
    # few fresh arrays of every token (on a VM, touching new memory costs as much as the work):
    # the POS ids are the collected array itself, the ends made global in place
    flat.pos = np.frombuffer(pos, dtype=np.uint16) if n else np.zeros(0, dtype=np.uint16)
    end = np.repeat(bases, count)  # each token's sentence start in the joined text ...
    first = np.zeros(n, dtype=bool)
    first[start[:-1][count > 0]] = True
    begin = np.empty(n, dtype=np.int64)
    if n:
        begin[first] = end[first]
        end += np.frombuffer(ends, dtype=np.uint32)  # ... plus its end in the sentence
        begin[1:][~first[1:]] = end[:-1][~first[1:]]
    flat.first = first
    flat.begin = begin
    flat.end = end
    return flat


class ColumnPass:
    """The noun runs of a list of units and their candidates, in text order (see :func:`column_pass`).

    ``table``: one entry per distinct run, (untrimmed parts, candidate), the candidate being None
    or (parts, surfaces, shape, key, joined surface).  Per run (numpy arrays): ``code`` (its
    entry in ``table``), ``run_sent`` (global sentence index), ``run_unit`` (unit index),
    ``run_len`` (its number of tokens), ``n_units`` (how many units).  ``flat`` holds the flattened
    token columns (None when the pass was read from the stage cache) and ``memo`` what is derived
    from the runs (:meth:`entries`).  Shared: do not mutate.
    """

    __slots__ = ("flat", "n_units", "table", "code", "run_sent", "run_unit", "run_len", "memo")

    def entries(self) -> tuple:
        """Per distinct run, how often it occurs and which candidate key it gives (computed once).

        Returns
        -------
        tuple
            ``(counts, key_id, keys, order)``: per ``table`` entry its occurrences (numpy) and the
            index of its candidate's key in ``keys`` (numpy; -1: no candidate); ``keys``, the
            sorted candidate keys; ``order``, the entries in order of first occurrence (numpy).
        """
        import numpy as np

        found = self.memo.get("entries")
        if found is None:
            table, code = self.table, self.code
            counts = np.bincount(code, minlength=len(table))
            keys = sorted({c[3] for _, c in table if c is not None})
            number = {key: i for i, key in enumerate(keys)}
            key_id = np.fromiter((-1 if c is None else number[c[3]] for _, c in table), dtype=np.int64,
                                 count=len(table))
            order = code[first_numbers(code)[1]]
            found = self.memo["entries"] = (counts, key_id, keys, order)
        return found


def _analyse(flat: _Flat, stopwords: frozenset[str], numbers: tuple | None = None) -> ColumnPass:
    """The pass over flattened columns; ``numbers``: their tokens' ``(ids, keys)`` (see
    :func:`token_numbers`; default: numbered here)."""
    import numpy as np

    kinds = _lookup(_kind_lut(), flat.pos)
    in_run = kinds != _NO_KIND
    n = len(in_run)
    starts_mask = in_run.copy()
    if n:
        starts_mask[1:] &= ~in_run[:-1] | flat.first[1:]
    last_mask = in_run.copy()
    if n:
        last_mask[:-1] &= ~in_run[1:] | flat.first[1:]
    starts = np.flatnonzero(starts_mask)
    stops = np.flatnonzero(last_mask) + 1
    sent = np.searchsorted(flat.sent_start, starts, side="right") - 1
    out = ColumnPass()
    out.flat = flat
    out.n_units = flat.n_units
    out.run_sent = sent
    out.run_unit = flat.sent_unit[sent] if len(sent) else np.zeros(0, dtype=np.int64)
    out.run_len = stops - starts
    out.memo = {}
    # the tokens of the runs, compacted: run r is at [at[r], at[r] + length)
    inside = np.flatnonzero(in_run)
    ids, keys = _flat_numbers(flat) if numbers is None else numbers[:2]
    token = ids[inside]  # each run token's (surface, norm) number: keys[token[k]]
    kinds_l = kinds[inside].tolist()
    lengths = out.run_len
    at_all = np.zeros(len(starts), dtype=np.int64)
    if len(starts):
        np.cumsum(lengths[:-1], out=at_all[1:])
    # each run token's (norm, surface, kind) as one number, so that runs are told apart by numbers
    # rather than by tuples of strings
    signature = token * (_NO_KIND + 1) + kinds[inside]
    token_l = int_array(token)
    # one-token runs (most of them), decided once per distinct (norm, surface, kind), in order of
    # first occurrence; ``table`` holds each distinct run's (key, candidate), ``code`` each run's place in it
    one = lengths == 1
    at = at_all[one]
    place, first = first_numbers(signature[at])
    table: list = []
    for k in at[first].tolist():
        (surface, norm), kind = keys[token_l[k]], kinds_l[k]
        cand = None
        if kind == NOUN and norm not in stopwords and surface not in stopwords:
            cand = ((norm,), (surface,), SINGLE_NOUN_SHAPE, norm, surface)
        table.append(((surface,) if kind == VERB else (norm,), cand))
    code = np.empty(len(starts), dtype=np.int64)
    code[one] = place
    # longer runs, decided once per distinct sequence of (norm, surface, kind)
    multi: dict = {}
    longer = []
    signatures = int_array(signature)
    for i, j in zip(at_all[~one].tolist(), (at_all + lengths)[~one].tolist()):
        sig = tuple(signatures[i:j])
        found = multi.get(sig)
        if found is None:
            run = [(keys[t][1], keys[t][0], kind) for t, kind in zip(token_l[i:j], kinds_l[i:j])]
            cand = trim_run(run, stopwords)
            if cand is not None:
                cand = (*cand, "".join(cand[0]), "".join(cand[1]))
            found = multi[sig] = len(table)
            table.append((tuple([s if k == VERB else n for n, s, k in run]), cand))
        longer.append(found)
    code[~one] = longer
    out.table = table
    out.code = code
    return out


# Per Tokens object (weakly referenced): the sentences it was computed from and the results.
_MEMO: dict[int, tuple] = {}


def _forget(ident: int) -> None:
    _MEMO.pop(ident, None)


def _memo_for(tokens: Tokens) -> dict:
    """A dict of results derived from ``tokens`` (dropped when the Tokens object goes away, or
    when its list of sentence lists, one of those lists or a list's length changes)."""
    import weakref

    entry = _MEMO.get(id(tokens))
    sentences = tokens.sentences
    if entry is not None:
        ref, held, inner, sizes, memo = entry
        if (ref() is tokens and held is sentences and len(inner) == len(sentences)
                and all(map(operator.is_, inner, sentences)) and sizes == list(map(len, sentences))):
            return memo
    memo: dict = {}
    try:
        ref = weakref.ref(tokens, lambda _r, ident=id(tokens): _forget(ident))
    except TypeError:  # not weak-referenceable: no memo
        return memo
    _MEMO[id(tokens)] = (ref, sentences, list(sentences), list(map(len, sentences)), memo)
    return memo


def column_pass(
    sentences_or_tokens: "Tokens | Sequence[Sentence] | Sequence[Sequence[Sentence]]",
    stopwords: frozenset[str],
    *,
    cache: bool | None = None,
) -> ColumnPass:
    """The noun runs and candidates of every unit, read from the token columns.

    Parameters
    ----------
    sentences_or_tokens : Tokens, list of Sentence, or list of lists of Sentence
        The units (a plain list of sentences is one unit).  For Tokens the result is memoized
        per Tokens object and stop list, and kept in the stage cache.
    stopwords : frozenset of str
        The resolved stop list (:func:`~analysis.terms.stopwords.resolve_stopwords`).
    cache : bool or None, default None
        For Tokens: read and write the stage cache (``None``: as the tokens were made,
        :func:`~analysis.stagecache.cache_wanted`).  A cached pass equals a computed one, but its
        ``flat`` is None.

    Returns
    -------
    ColumnPass
        Shared with later calls: do not mutate.
    """
    if isinstance(sentences_or_tokens, Tokens):
        tokens = sentences_or_tokens
        memo = _memo_for(tokens)
        key = ("analysis", stopwords)
        found = memo.get(key)
        if found is None:
            from .. import stagecache

            enabled = stagecache.cache_wanted(tokens, cache)  # the keys cost ~0.01 s per M characters
            found = memo[key] = stagecache.cached_stage(
                "terms", version=stagecache.code_version(CACHE_VERSION, *_CODE),
                keys=stagecache.token_keys(tokens) if enabled else None,
                inputs=(stagecache.digest(stopwords),),
                compute=lambda: _analyse(_flat_of(tokens, memo), stopwords, token_numbers(tokens)),
                encode=_encode_pass, decode=lambda data: _decode_pass(data, tokens),
                enabled=enabled)
        return found
    return _analyse(_flatten(_as_unit_sentences(sentences_or_tokens)), stopwords)


def _flat_of(tokens: Tokens, memo: dict) -> _Flat:
    """The flattened columns of ``tokens`` (memoized with its other results)."""
    flat = memo.get("flat")
    if flat is None:
        flat = memo["flat"] = _flatten(tokens.sentences)
    return flat


class TokenNumbers(NamedTuple):
    """Every token of a Tokens numbered by its ``(surface, norm)``: ``ids`` (numpy int64, one per
    token, units and sentences in order), ``keys`` (the ``(surface, norm)`` of each number) and
    ``sentence_starts`` (numpy: where each sentence's tokens start in ``ids``, one extra at the end)."""

    ids: Any
    keys: list[tuple[str, str]]
    sentence_starts: Any


def token_numbers(tokens: Tokens) -> TokenNumbers:
    """The tokens of ``tokens`` numbered by ``(surface, norm)``, from the flattened token columns
    (memoized per Tokens object, like the pass): what the themes scan checks every token by.

    Parameters
    ----------
    tokens : Tokens
        The units.

    Returns
    -------
    TokenNumbers
        Shared with later calls: do not mutate.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "連携した。連携", 1)
    >>> found = token_numbers(Tokens([unit], [tokenize(unit.text)]))
    >>> found.ids.tolist(), found.keys[0], found.sentence_starts.tolist()
    ([0, 1, 2, 3, 0], ('連携', '連携'), [0, 4, 5])
    """
    memo = _memo_for(tokens)
    found = memo.get("numbers")
    if found is None:
        flat = _flat_of(tokens, memo)
        found = memo["numbers"] = TokenNumbers(*_flat_numbers(flat), flat.sent_start)
    return found


def _flat_numbers(flat: _Flat) -> tuple:
    """``(ids, keys)``: every token of ``flat`` numbered by its ``(surface, norm)`` (numpy int64),
    and the ``(surface, norm)`` of each number (:mod:`analysis.terms.numbering`)."""
    return number_tokens(flat.text, flat.begin, flat.end, flat.norms)


def _encode_pass(found: ColumnPass) -> tuple:
    """A pass as marshallable data: the table and the per-run arrays' bytes."""
    return (found.n_units, found.table, *(a.astype("<i8").tobytes() for a in
                                          (found.code, found.run_sent, found.run_unit, found.run_len)))


def _decode_pass(data: tuple, tokens: Tokens) -> ColumnPass:
    """:func:`_encode_pass` back; raises when the data does not fit ``tokens``."""
    import numpy as np

    n_units, table, *arrays = data
    code, run_sent, run_unit, run_len = (np.frombuffer(b, dtype="<i8").astype(np.int64) for b in arrays)
    n_sentences = sum(map(len, tokens.sentences))
    if (n_units != len(tokens.sentences) or not (len(code) == len(run_sent) == len(run_unit) == len(run_len))
            or (len(code) and (int(code.max()) >= len(table) or int(code.min()) < 0
                               or int(run_sent.max()) >= n_sentences or int(run_unit.max()) >= n_units))):
        raise ValueError("a cached terms pass that does not fit the tokens")
    out = ColumnPass()
    out.flat, out.n_units, out.memo = None, n_units, {}
    if not isinstance(table, list):
        raise ValueError("a cached terms pass that does not fit the tokens")
    out.table = table  # marshal gives back tuples as tuples: the entries are as computed
    out.code, out.run_sent, out.run_unit, out.run_len = code, run_sent, run_unit, run_len
    return out


def _as_unit_sentences(obj) -> list[list[Sentence]]:
    if isinstance(obj, Tokens):
        return obj.sentences
    obj = list(obj)
    if obj and isinstance(obj[0], Sentence):
        return [obj]
    return obj


def shared_candidates(
    sentences_or_tokens: "Tokens | Sequence[Sentence] | Sequence[Sequence[Sentence]]",
    stopwords: frozenset[str],
    *,
    cache: bool | None = None,
) -> Candidates:
    """:func:`~analysis.terms.candidates.compound_candidates`, from the column pass.

    Parameters
    ----------
    sentences_or_tokens : Tokens, list of Sentence, or list of lists of Sentence
        The units (memoized for Tokens, per Tokens object and stop list).
    stopwords : frozenset of str
        The resolved stop list.
    cache : bool or None, default None
        For Tokens: whether the candidates (stage ``candidates``) and the pass they come from
        are read from and kept in the stage cache (:func:`column_pass`).

    Returns
    -------
    Candidates
        Shared with later calls: do not mutate (:meth:`Candidates.copy` gives a private copy).
    """
    if isinstance(sentences_or_tokens, Tokens):
        memo = _memo_for(sentences_or_tokens)
        tokens = sentences_or_tokens
        found = memo.get(("candidates", stopwords))
        if found is None:
            from .. import stagecache

            enabled = stagecache.cache_wanted(tokens, cache)
            found = memo[("candidates", stopwords)] = stagecache.cached_stage(
                "candidates", version=stagecache.code_version(CACHE_VERSION, *_CODE),
                keys=stagecache.token_keys(tokens) if enabled else None, inputs=(stagecache.digest(stopwords),),
                compute=lambda: _candidates_of(column_pass(tokens, stopwords, cache=cache)),
                encode=_encode_candidates, decode=lambda data: _decode_candidates(data, tokens),
                enabled=enabled)
        return found
    return _candidates_of(column_pass(sentences_or_tokens, stopwords))


def _encode_candidates(found: Candidates) -> tuple:
    return (found.frequency, found.parts, found.display, dict(found.runs), found.shapes, found.surfaces, found.units)


def _decode_candidates(data: tuple, tokens: Tokens) -> Candidates:
    """:func:`_encode_candidates` back; raises when the data does not fit ``tokens``."""
    frequency, parts, display, runs, shapes, surfaces, units = data
    keys = frequency.keys()
    if (not (keys == parts.keys() == display.keys() == shapes.keys() == surfaces.keys() == units.keys())
            or any(u >= len(tokens.sentences) for held in units.values() for u in held[-1:])):
        raise ValueError("cached candidates that do not fit the tokens")
    return Candidates(frequency=frequency, parts=parts, display=display, runs=Counter(runs), shapes=shapes,
                      surfaces=surfaces, units=units)


def _candidates_of(analysis: ColumnPass) -> Candidates:
    import numpy as np

    table, code = analysis.table, analysis.code
    counts_a, key_id, keys, order = analysis.entries()
    counts = counts_a.tolist()
    runs: Counter = Counter()
    by_parts: Counter = Counter()
    surfaces: dict[tuple[str, ...], dict] = {}
    shapes: dict[tuple[str, ...], Shape] = {}
    for entry in order.tolist():  # in order of first occurrence: the first shape of parts wins
        run_key, cand = table[entry]
        count = counts[entry]
        runs[run_key] += count
        if cand is None:
            continue
        parts = cand[0]
        by_parts[parts] += count
        spelled = surfaces.get(parts)
        if spelled is None:
            surfaces[parts] = {cand[1]: count}
        else:
            spelled[cand[1]] = spelled.get(cand[1], 0) + count
        if parts not in shapes:
            shapes[parts] = cand[2]
    # units of each key, ascending: distinct (key, unit) pairs, sorted, cut per key
    run_key_id = key_id[code]
    held = run_key_id >= 0
    size = analysis.n_units + 1
    pairs = np.unique(run_key_id[held] * size + analysis.run_unit[held])
    pair_key, pair_unit = pairs // size, (pairs % size).tolist()
    cuts = np.searchsorted(pair_key, np.arange(len(keys) + 1)).tolist()
    unit_lists = {key: tuple(pair_unit[cuts[i]:cuts[i + 1]]) for i, key in enumerate(keys)}
    # Merge segmentations that join to the same key; the most frequent one names the parts.
    # (as iterating in sorted order and keeping a strictly higher count: ties go to the smallest)
    best: dict[str, tuple[str, ...]] = {}
    for parts, count in by_parts.items():
        key = "".join(parts)
        other = best.get(key)
        if other is None or count > by_parts[other] or (count == by_parts[other] and parts < other):
            best[key] = parts
    frequency: Counter = Counter()
    surface_counts: dict[str, dict] = {}
    for parts, count in by_parts.items():
        key = "".join(parts)
        frequency[key] += count
        merged = surface_counts.get(key)
        if merged is None:
            surface_counts[key] = surfaces[parts]
        else:
            for spelled, n in surfaces[parts].items():
                merged[spelled] = merged.get(spelled, 0) + n
    chosen = {}
    for key, c in surface_counts.items():
        if len(c) == 1:
            chosen[key] = next(iter(c))
        else:
            chosen[key] = min(c.items(), key=lambda kv: (-kv[1], "".join(kv[0]), kv[0]))[0]
    return Candidates(
        frequency={key: frequency[key] for key in keys},
        parts={key: best[key] for key in keys},
        display={key: "".join(chosen[key]) for key in keys},
        runs=runs,  # sorted by compound_candidates (order does not matter inside)
        shapes={key: shapes[best[key]] for key in keys},
        surfaces={key: chosen[key] if len(chosen[key]) == len(best[key]) else best[key] for key in keys},
        units=unit_lists,
    )


def shared_features(tokens: Tokens, stops: frozenset[str], content: frozenset[int], compounds: bool, *,
                    cache: bool | None = None) -> list[list[str]]:
    """:func:`~analysis.terms.features.unit_features`, from the column pass.

    Parameters
    ----------
    tokens : Tokens
        The units (memoized per Tokens object, stop list, POS set and ``compounds``).
    stops : frozenset of str
        The resolved stop list.
    content : frozenset of int
        POS ids of the content words (:func:`~analysis.terms.features.content_ids`).
    compounds : bool
        Whether compound keys (at least two parts) follow each unit's words.
    cache : bool or None, default None
        Whether the pass is read from and kept in the stage cache (:func:`column_pass`).

    Returns
    -------
    list of list of str
        Per unit, its features.  Shared with later calls: do not mutate.
    """
    memo = _memo_for(tokens)
    key = ("features", stops, content, compounds)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _features_of(_flat_of(tokens, memo), column_pass(tokens, stops, cache=cache) if compounds
                                         else None, stops, content, compounds, token_numbers(tokens))
    return found


def _features_of(flat: _Flat, analysis: ColumnPass | None, stops: frozenset[str], content: frozenset[int],
                 compounds: bool, numbers: tuple) -> list[list[str]]:
    import numpy as np

    ids, keys = numbers[:2]
    stopped = np.fromiter((norm in stops or surface in stops for surface, norm in keys), dtype=bool,
                          count=len(keys))  # decided once per distinct (surface, norm)
    index = np.flatnonzero(_lookup(_content_lut(content), flat.pos))
    token_unit = np.repeat(flat.sent_unit, np.diff(flat.sent_start))
    kept = index[~stopped[ids[index]]]
    bounds = np.zeros(flat.n_units + 1, dtype=np.int64)
    if len(kept):
        np.cumsum(np.bincount(token_unit[kept], minlength=flat.n_units), out=bounds[1:])
    words = list(map(flat.norms.__getitem__, int_array(kept)))
    bounds_l = bounds.tolist()
    out = [words[bounds_l[u]:bounds_l[u + 1]] for u in range(flat.n_units)]
    if compounds:
        table = analysis.table
        compound = np.fromiter((c is not None and len(c[0]) > 1 for _, c in table), dtype=bool, count=len(table))
        chosen = np.flatnonzero((analysis.run_len > 1) & compound[analysis.code])
        for entry, unit in zip(analysis.code[chosen].tolist(), analysis.run_unit[chosen].tolist()):
            out[unit].append(table[entry][1][3])
    return out

