"""Terms: compound terms ranked by FLR and C-value, the stop list, and text statistics.

Japanese key phrases are noun compounds that Sudachi splits (担い手不足 = 担い手 + 不足,
第2層協議体 = 第 + 2 + 層 + 協議 + 体).  This module rebuilds them from the tokens and ranks them.

Candidates (:func:`compound_candidates`)
    A *noun run* is a maximal sequence of adjacent tokens that are noun-like: common and proper
    nouns and 形状詞-一般 (名詞 普通名詞 / 固有名詞, 形状詞 一般), numerals (名詞 数詞), prefixes
    (接頭辞), noun-like suffixes (接尾辞 名詞的), and a verb in its 連用形 used as a noun inside a
    compound (見守り活動, 助け合い活動; Sudachi tags 見守り as a verb).  Anything else (particles,
    symbols such as ・, spaces) ends a run.  Inside a run tokens form *groups*: a prefix binds to
    what follows, a suffix to what precedes (推進 + 員, 第 + 2).

    Edges are then trimmed, group by group, while the first or last group is (a) a stop word
    (its joined normalized form, or a lone token's surface, is on the stop list), (b) only
    numerals, (c) a lone adverbial noun (名詞 普通名詞 副詞可能: 随時, 今後, ため), (d) a dangling
    prefix at the end or a dangling suffix at the start, or (e) at the end, a verb (a compound
    ends in a noun); a prefix or suffix that is itself a stop word is peeled off an edge token
    by token (各地域 → 地域, 住民等 → 住民).  What remains is a candidate if it still holds a
    noun; its key is the joined normalized forms of its tokens (the *parts*; a verb's part is
    its 連用形 as written), and its display form is the most frequent joined surface (ties: the
    smallest string).

    Stop words are therefore trimmed from the EDGES only and kept inside: a planner reads
    連携強化 as 連携 (強化 adds nothing), 地域活動の推進 as 地域活動, while 担い手不足 (不足 is
    not filler) and 福祉推進員 (推進 bound to a suffix) stay whole; a candidate made of one
    stop word disappears.  The stop list is the data file ``stopwords`` (editable); every
    function taking ``stopwords=`` accepts None (that file), a path, or a set of words used as
    given (write normalized forms there: 為る, not する).

FLR (:func:`flr_scores`), Nakagawa & Mori (2003), as in TermExtract with its default settings
    For a simple noun N (here: a token's normalized form), LN(N) is the number of times a noun
    stands immediately to its left inside a noun run and RN(N) to its right — "延べ数", the
    token count of adjacent-noun occurrences (TermExtract's default; not the number of distinct
    neighbours).  Adjacency is counted over the *untrimmed* noun runs of the text, each
    occurrence once.  For a candidate CN = N1 … NL::

        LR(CN)  = ( Π_{i=1..L} (LN(Ni) + 1)(RN(Ni) + 1) ) ^ (1 / 2L)
        FLR(CN) = f(CN) × LR(CN)

    i.e. LR is the geometric mean of the 2L factors (LN+1) and (RN+1) — the form of the paper and
    of TermExtract.  f(CN) is the number of times CN occurs as a whole candidate (not inside a
    longer one).  A one-noun candidate gets LR = sqrt((LN+1)(RN+1)).

C-value (:func:`cvalue_scores`), Frantzi, Ananiadou & Mima (2000)
    Candidates are the trimmed noun runs and their sub-runs of whole groups whose edges would not
    be trimmed (so 地域福祉 is a candidate inside 地域福祉コーディネーター).  With f(a) every
    occurrence of a (alone or nested), t(a) the occurrences of a inside longer candidates, and
    c(a) the number of distinct longer candidates that contain a::

        C-value(a) = log2|a| × f(a)                    if c(a) = 0
                   = log2|a| × (f(a) − t(a) / c(a))    otherwise

    |a| is the number of tokens, so one-token candidates score 0 (C-value ranks multi-word terms).
    t(a) counts each nested occurrence once (Frantzi et al.'s incremental revision), so a term
    nested in a nested term is not subtracted twice.

Speed: :func:`term_table`, :func:`compound_candidates`, :func:`unit_features`,
:func:`tfidf_by_direction`, :func:`keyness` and :func:`analysis.cooccurrence.cooccurrence_graph`
share one pass over the compact token columns (no :class:`~analysis.tokens.Token` objects):
runs are found with numpy, each distinct run is trimmed once, and the pass is memoized per
Tokens object and stop list (dropped when the Tokens object goes away or its sentence lists are
replaced; results handed out are copies).  ``tests/test_terms.py`` checks it against the
token-by-token computation.

>>> from analysis.tokens import tokenize
>>> sorted(unit_compounds(tokenize("第2層協議体で担い手不足が課題となり、連携強化を図る。")))
['担い手不足', '第2層協議体']
"""

from __future__ import annotations

import functools
import gc
import heapq
import itertools
import math
import operator
from array import array
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Mapping, Sequence

from .errors import InputError, SettingsError, check_choice
from .tokens import Sentence, Tokens, pos_ids, pos_table, tokenize
from .units import TextUnit

METHODS = ("flr", "cvalue")
MEASURES = ("g2", "chi2")
CORRECTIONS = ("default", "none")

# Content words for frequency, TF-IDF, keyness and the analyzer: independent nouns, verbs,
# adjectives and 形状詞 (非自立可能 verbs such as する・なる・できる are function words here).
CONTENT_POS: tuple[tuple[str, ...], ...] = (
    ("名詞", "普通名詞"), ("名詞", "固有名詞"), ("動詞", "一般"), ("形容詞", "一般"), ("形状詞", "一般"),
)

# How a token takes part in a noun run.
_NOUN, _NUM, _PREFIX, _SUFFIX, _VERB, _ADVERBIAL = 0, 1, 2, 3, 4, 5
# Sub-runs longer than this are not enumerated for C-value (bounds work on pathological text).
MAX_NESTED_PARTS = 8


@functools.cache
def _kinds() -> dict[int, int]:
    kinds: dict[int, int] = {}
    for i in pos_ids([("動詞", "一般", None, None, None, "連用形-一般")]):
        kinds[i] = _VERB
    for i in pos_ids([("名詞", "普通名詞"), ("名詞", "固有名詞"), ("形状詞", "一般")]):
        kinds[i] = _NOUN
    for i in pos_ids([("名詞", "普通名詞", "副詞可能")]):
        kinds[i] = _ADVERBIAL
    for i in pos_ids([("名詞", "数詞")]):
        kinds[i] = _NUM
    for i in pos_ids([("接頭辞",)]):
        kinds[i] = _PREFIX
    for i in pos_ids([("接尾辞", "名詞的")]):
        kinds[i] = _SUFFIX
    return kinds


def _without_gc(fn):
    """Run ``fn`` with the cyclic garbage collector paused: the stages make many small acyclic
    objects (tuples, strings), and collections triggered by them would rescan every one."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


# --------------------------------------------------------------------------------- stop list

def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """The stop list: one word a line, ``#`` comments, blank lines ignored.

    ``None`` reads the settings' data file ``stopwords`` (the bundled list by default).  Each
    entry is kept as written and, when Sudachi reads it as one token, its normalized form is
    added too (する → 為る), so the set can be matched against normalized forms.

    >>> words = load_stopwords()
    >>> "推進" in words and "為る" in words and "担い手" not in words
    True
    """
    if path is None:
        from .settings import default_settings

        path = default_settings().data_file("stopwords")
    return _load_stopwords(str(path))


@functools.cache
def _load_stopwords(path: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SettingsError("stop list not found", file=path) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError("stop list is not UTF-8 text", file=path) from exc
    except OSError as exc:
        raise SettingsError(f"cannot read stop list: {exc.strerror or exc}", file=path) from exc
    words: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if any(ch.isspace() for ch in entry):
            raise SettingsError(f"one word per line expected, got {entry!r}", file=path, line=number)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in entry):
            raise SettingsError(f"control character in {entry!r}", file=path, line=number)
        words.add(entry)
        tokens = [t for s in tokenize(entry) for t in s.tokens]
        if len(tokens) == 1:
            words.add(tokens[0].norm)
        elif tokens:
            words.add("".join(t.norm for t in tokens))
    return frozenset(words)


def _resolve_stopwords(stopwords) -> frozenset[str]:
    if stopwords is None:
        return load_stopwords()
    if isinstance(stopwords, (str, Path)):
        return load_stopwords(stopwords)
    return frozenset(stopwords)


# ----------------------------------------------------------------------------- candidates

# A candidate's group shape, used to enumerate nested candidates: per group
# (length, trimmed at a left edge, trimmed at a right edge, holds a noun).
_Shape = tuple[tuple[int, bool, bool, bool], ...]


def _noun_runs(sentences: Iterable[Sentence], kinds: Mapping[int, int]) -> Iterator[list]:
    """Maximal runs of noun-like tokens, as lists of (token, kind) (the slow, Token-based form;
    the stages read :func:`_analysis` instead)."""
    for sentence in sentences:
        run: list = []
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


# Inside the candidate code a token is a triple (norm, surface, kind).

def _part(token, kind: int) -> str:
    # A verb's normalized form is its dictionary form (見守る); inside a compound the 連用形 as
    # written (見守り) is the part.
    return token.surface if kind == _VERB else token.norm


def _groups(run: list) -> list[list]:
    groups: list[list] = []
    previous = None
    for triple in run:
        kind = triple[2]
        if groups and (kind == _SUFFIX or previous == _PREFIX or (kind == _NUM and previous == _NUM)):
            groups[-1].append(triple)
        else:
            groups.append([triple])
        previous = kind
    return groups


def _trimmable(group: list, stopwords: frozenset[str], *, at_end: bool) -> bool:
    """Whether a group is trimmed when it stands at the left (or, ``at_end``, the right) edge."""
    if len(group) == 1:
        norm, surface, kind = group[0]
        if kind == _NUM or kind == _ADVERBIAL:
            return True
        if (kind == _PREFIX or kind == _VERB) if at_end else kind == _SUFFIX:
            return True
        return norm in stopwords or surface in stopwords
    kinds = [t[2] for t in group]
    if all(k == _NUM for k in kinds):
        return True
    if at_end and kinds[-1] in (_PREFIX, _VERB):
        return True
    if not at_end and kinds[0] == _SUFFIX:
        return True
    return "".join([s if k == _VERB else n for n, s, k in group]) in stopwords


def _is_stop(triple, stopwords: frozenset[str]) -> bool:
    return triple[0] in stopwords or triple[1] in stopwords


_SHAPE1: _Shape = ((1, False, False, True),)


def _candidate3(run: list, stopwords: frozenset[str]):
    """Trim a noun run of (norm, surface, kind) triples; return (parts, surfaces, shape) or None."""
    if len(run) == 1:  # the common case, decided at once
        norm, surface, kind = run[0]
        if kind != _NOUN or norm in stopwords or surface in stopwords:
            return None
        return (norm,), (surface,), _SHAPE1
    while True:
        # a stop-word prefix (各) or suffix (等) is peeled off the edge token by token
        lo, hi = 0, len(run)
        while lo < hi and run[lo][2] == _PREFIX and _is_stop(run[lo], stopwords):
            lo += 1
        while hi > lo and run[hi - 1][2] == _SUFFIX and _is_stop(run[hi - 1], stopwords):
            hi -= 1
        groups = _groups(run[lo:hi])
        start, end = 0, len(groups)
        while start < end and _trimmable(groups[start], stopwords, at_end=False):
            start += 1
        while end > start and _trimmable(groups[end - 1], stopwords, at_end=True):
            end -= 1
        kept = groups[start:end]
        triples = [t for group in kept for t in group]
        if len(triples) == len(run):
            break
        run = triples
    if not kept:
        return None
    if not any(t[2] == _NOUN or t[2] == _ADVERBIAL for t in triples):
        return None
    parts = tuple([s if k == _VERB else n for n, s, k in triples])
    if len(parts) > 1 and "".join(parts) in stopwords:
        return None
    shape = tuple(
        (len(g), _trimmable(g, stopwords, at_end=False), _trimmable(g, stopwords, at_end=True),
         any(t[2] == _NOUN or t[2] == _ADVERBIAL for t in g))
        for g in kept
    )
    return parts, tuple([t[1] for t in triples]), shape


def _candidate(run: list, stopwords: frozenset[str]):
    """Trim a noun run of (token, kind) pairs; return (parts, surfaces, shape) or None."""
    return _candidate3([(t.norm, t.surface, k) for t, k in run], stopwords)


# ------------------------------------------------------------------- the shared fast pass
#
# The stages (term_table, unit_features / tfidf_by_direction, cooccurrence_graph) all need the
# noun runs of every sentence and their candidates.  _flatten() reads the compact token columns
# (no Token objects) into flat arrays over one string holding every text; _analysis() finds the
# runs with numpy, decides each distinct run once, and is memoized per Tokens object and stop
# list, so the stages of one pipeline share it.

_NO_KIND = 255


@functools.cache
def _kind_lut():
    import numpy as np

    lut = np.full(len(pos_table()) + 1, _NO_KIND, dtype=np.uint8)
    for i, k in _kinds().items():
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
    """Every token of a list of units as flat columns: ``norms``, ``pos``, ``begin`` and ``end``
    (numpy; offsets into ``text``, every text joined), ``first`` (a sentence starts here),
    ``sent_start`` (token index where each sentence starts, one extra at the end) and
    ``sent_unit`` (each sentence's unit index)."""

    __slots__ = ("text", "norms", "pos", "begin", "end", "first", "sent_start", "sent_unit", "n_units")


def _flatten(unit_sentences: Sequence[Sequence[Sentence]]) -> _Flat:
    import numpy as np

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
    lo_of, start_of = operator.attrgetter("_lo"), operator.attrgetter("start")
    for u, sentences in enumerate(unit_sentences):
        c = sentences[0]._columns if sentences else None
        if (c is not None and id(c) not in text_at and len(sentences) * 3 == len(c.spans)
                and all(s._columns is c for s in sentences)
                and list(map(lo_of, sentences)) == list(itertools.accumulate(c.spans[2::3], initial=0))[:-1]
                and list(map(start_of, sentences)) == c.spans[0::3].tolist()):
            # the usual case: the unit's sentences are exactly its text's columns, in order
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
            c = s._columns
            if c is not None:
                off = text_at.get(id(c))
                if off is None:
                    off = text_at[id(c)] = offset
                    pieces.append(c.text)
                    offset += len(c.text)
                lo, hi = s._lo, s._hi
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
    flat = _Flat()
    flat.text = "".join(pieces)
    flat.norms = norms
    flat.n_units = len(unit_sentences)
    count = np.frombuffer(counts, dtype=np.int64) if counts else np.zeros(0, dtype=np.int64)
    start = np.zeros(len(count) + 1, dtype=np.int64)
    np.cumsum(count, out=start[1:])
    flat.sent_start = start
    flat.sent_unit = np.frombuffer(sent_unit, dtype=np.int64) if sent_unit else np.zeros(0, dtype=np.int64)
    bases = (np.frombuffer(starts, dtype=np.int64) + np.frombuffer(offsets, dtype=np.int64)) if counts else count
    n = len(norms)
    flat.pos = np.frombuffer(pos, dtype=np.uint16).astype(np.intp) if n else np.zeros(0, dtype=np.intp)
    sentence_of = np.repeat(np.arange(len(count)), count)
    base = bases[sentence_of] if n else np.zeros(0, dtype=np.int64)
    end = (np.frombuffer(ends, dtype=np.uint32).astype(np.int64) if n else np.zeros(0, dtype=np.int64)) + base
    first = np.zeros(n, dtype=bool)
    first[start[:-1][count > 0]] = True
    begin = np.empty(n, dtype=np.int64)
    if n:
        begin[1:] = end[:-1]
        begin[first] = base[first]
    flat.first = first
    flat.begin = begin
    flat.end = end
    return flat


def _surfaces(flat: _Flat, index) -> list[str]:
    """The surfaces of the tokens at ``index`` (a numpy array of token indexes)."""
    return list(map(flat.text.__getitem__, map(slice, flat.begin[index].tolist(), flat.end[index].tolist())))


class _Analysis:
    """The noun runs of a :class:`_Flat` and their candidates, in text order.

    ``table``: one entry per distinct run, (untrimmed parts, candidate), the candidate being None
    or (parts, surfaces, shape, key, joined surface).  Per run (numpy arrays): ``code`` (its
    entry in ``table``), ``run_sent`` (global sentence index), ``run_unit``, ``run_len`` (its
    number of tokens); ``memo`` holds what is derived from them (:func:`_entries`)."""

    __slots__ = ("flat", "table", "code", "run_sent", "run_unit", "run_len", "memo")


def _analyse(flat: _Flat, stopwords: frozenset[str]) -> _Analysis:
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
    out = _Analysis()
    out.flat = flat
    out.run_sent = sent
    out.run_unit = flat.sent_unit[sent] if len(sent) else np.zeros(0, dtype=np.int64)
    out.run_len = stops - starts
    out.memo = {}
    # the tokens of the runs, compacted: run r is at [at[r], at[r] + length)
    inside = np.flatnonzero(in_run)
    norms = list(map(flat.norms.__getitem__, inside.tolist()))
    surfaces = _surfaces(flat, inside)
    kinds_l = kinds[inside].tolist()
    lengths = out.run_len
    at_all = np.zeros(len(starts), dtype=np.int64)
    if len(starts):
        np.cumsum(lengths[:-1], out=at_all[1:])
    # one-token runs (most of them), decided once per distinct (norm, surface, kind)
    one = lengths == 1
    at = at_all[one].tolist()
    signatures = list(zip(map(norms.__getitem__, at), map(surfaces.__getitem__, at), map(kinds_l.__getitem__, at)))
    # ``table`` holds each distinct run's (key, candidate); ``code`` each run's place in it
    decided = dict.fromkeys(signatures)
    table: list = []
    for sig in decided:
        norm, surface, kind = sig
        cand = None
        if kind == _NOUN and norm not in stopwords and surface not in stopwords:
            cand = ((norm,), (surface,), _SHAPE1, norm, surface)
        decided[sig] = len(table)
        table.append(((surface,) if kind == _VERB else (norm,), cand))
    code = np.empty(len(starts), dtype=np.int64)
    code[one] = np.fromiter(map(decided.__getitem__, signatures), dtype=np.int64, count=len(signatures))
    # longer runs, decided once per distinct sequence of (norm, surface, kind)
    multi: dict = {}
    longer = []
    for i, j in zip(at_all[~one].tolist(), (at_all + lengths)[~one].tolist()):
        sig = tuple(zip(norms[i:j], surfaces[i:j], kinds_l[i:j]))
        found = multi.get(sig)
        if found is None:
            run = list(sig)
            cand = _candidate3(run, stopwords)
            if cand is not None:
                cand = (*cand, "".join(cand[0]), "".join(cand[1]))
            found = multi[sig] = len(table)
            table.append((tuple([s if k == _VERB else n for n, s, k in run]), cand))
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


def _analysis(sentences_or_tokens, stopwords: frozenset[str]) -> _Analysis:
    """The runs and candidates of a Tokens object (memoized) or of a list of unit sentences."""
    if isinstance(sentences_or_tokens, Tokens):
        memo = _memo_for(sentences_or_tokens)
        key = ("analysis", stopwords)
        found = memo.get(key)
        if found is None:
            flat = memo.get("flat")
            if flat is None:
                flat = memo["flat"] = _flatten(sentences_or_tokens.sentences)
            found = memo[key] = _analyse(flat, stopwords)
        return found
    return _analyse(_flatten(_as_unit_sentences(sentences_or_tokens)), stopwords)


def _nested(parts: tuple[str, ...], shape: _Shape) -> list[tuple[tuple[str, ...], _Shape]]:
    """Proper sub-runs of whole groups with untrimmable edges, one per position (≤ MAX_NESTED_PARTS)."""
    if len(shape) == 1:  # one group has no proper sub-run of whole groups
        return []
    bounds = [0]
    for group in shape:
        bounds.append(bounds[-1] + group[0])
    n = len(shape)
    out = []
    for i in range(n):
        if shape[i][1]:
            continue
        has_noun = False
        for j in range(i + 1, n + 1):
            if bounds[j] - bounds[i] > MAX_NESTED_PARTS:
                break
            has_noun = has_noun or shape[j - 1][3]
            if (i, j) == (0, n) or shape[j - 1][2] or not has_noun:
                continue
            out.append((parts[bounds[i]:bounds[j]], shape[i:j]))
    return out


@dataclass
class Candidates:
    """Compound-term candidates of a text (or of every unit of a Tokens object).

    ``frequency``: key → occurrences as a whole candidate; ``parts``: key → normalized parts;
    ``display``: key → most frequent surface; ``runs``: untrimmed noun runs (as tuples of parts)
    → count, the source of FLR's adjacency counts; ``shapes``: key → group shape (nesting);
    ``surfaces``: key → tuple of token surfaces of the display form;
    ``units``: key → indexes of the units the key occurs in as a whole candidate.
    """

    frequency: dict[str, int]
    parts: dict[str, tuple[str, ...]]
    display: dict[str, str]
    runs: dict[tuple[str, ...], int]
    shapes: dict[str, _Shape]
    surfaces: dict[str, tuple[str, ...]]
    units: dict[str, tuple[int, ...]]

    def by_parts(self) -> dict[tuple[str, ...], int]:
        """Frequencies keyed by parts (the input of :func:`flr_scores` / :func:`cvalue_scores`)."""
        return {self.parts[k]: f for k, f in self.frequency.items()}


def _as_unit_sentences(obj) -> list[list[Sentence]]:
    if isinstance(obj, Tokens):
        return obj.sentences
    obj = list(obj)
    if obj and isinstance(obj[0], Sentence):
        return [obj]
    return obj


@_without_gc
def compound_candidates(sentences_or_tokens, *, stopwords=None) -> Candidates:
    """Candidates from the noun runs of sentences (one text), a list of such lists, or Tokens.

    >>> from analysis.tokens import tokenize
    >>> c = compound_candidates(tokenize("担い手不足の解消と担い手不足への対応、連携強化。"))
    >>> c.frequency["担い手不足"], c.parts["担い手不足"], "連携強化" in c.frequency
    (2, ('担い手', '不足'), False)
    """
    stopwords = _resolve_stopwords(stopwords)
    return _copy_candidates(_candidates(sentences_or_tokens, stopwords))


def _copy_candidates(c: Candidates) -> Candidates:
    return Candidates(frequency=dict(c.frequency), parts=dict(c.parts), display=dict(c.display),
                      runs=dict(sorted(c.runs.items())), shapes=dict(c.shapes), surfaces=dict(c.surfaces),
                      units=dict(c.units))


def _candidates(sentences_or_tokens, stopwords: frozenset[str]) -> Candidates:
    """:func:`compound_candidates` (memoized per Tokens object and stop list; do not mutate)."""
    if isinstance(sentences_or_tokens, Tokens):
        memo = _memo_for(sentences_or_tokens)
        found = memo.get(("candidates", stopwords))
        if found is None:
            found = memo[("candidates", stopwords)] = _candidates_of(_analysis(sentences_or_tokens, stopwords))
        return found
    return _candidates_of(_analysis(sentences_or_tokens, stopwords))


def _entries(analysis: _Analysis):
    """Per distinct run (``table`` entry): occurrences, and the index of its candidate's key in
    the sorted list of keys (-1: no candidate); that list; entries in order of first occurrence."""
    import numpy as np

    found = analysis.memo.get("entries")
    if found is None:
        table, code = analysis.table, analysis.code
        counts = np.bincount(code, minlength=len(table))
        keys = sorted({c[3] for _, c in table if c is not None})
        number = {key: i for i, key in enumerate(keys)}
        key_id = np.fromiter((-1 if c is None else number[c[3]] for _, c in table), dtype=np.int64,
                             count=len(table))
        present, first = np.unique(code, return_index=True)
        order = present[np.argsort(first, kind="stable")]
        found = analysis.memo["entries"] = (counts, key_id, keys, order)
    return found


def _candidates_of(analysis: _Analysis) -> Candidates:
    import numpy as np

    table, code = analysis.table, analysis.code
    counts_a, key_id, keys, order = _entries(analysis)
    counts = counts_a.tolist()
    runs: Counter = Counter()
    by_parts: Counter = Counter()
    surfaces: dict[tuple[str, ...], dict] = {}
    shapes: dict[tuple[str, ...], _Shape] = {}
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
    size = analysis.flat.n_units + 1
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


def unit_compounds(sentences: Sequence[Sentence], *, stopwords=None, min_parts: int = 2) -> list[str]:
    """Normalized keys of the compound terms of one text, in order of first occurrence.

    Only candidates of at least ``min_parts`` tokens are compounds (default 2).

    >>> from analysis.tokens import tokenize
    >>> unit_compounds(tokenize("市民後見人の養成と地域福祉コーディネーターの配置を推進する。"))
    ['市民後見人', '地域福祉コーディネーター']
    """
    stopwords = _resolve_stopwords(stopwords)
    out: dict[str, None] = {}
    for run in _noun_runs(sentences, _kinds()):
        found = _candidate(run, stopwords)
        if found is not None and len(found[0]) >= min_parts:
            out.setdefault("".join(found[0]), None)
    return list(out)


# ------------------------------------------------------------------------------ scoring

def adjacency(runs: Mapping[Sequence[str], int]) -> tuple[dict[str, int], dict[str, int]]:
    """LN and RN of every simple noun: how often a noun stands to its left / right in a run.

    ``runs`` maps a noun run (a tuple of simple nouns) to its number of occurrences.

    >>> adjacency({("地域", "福祉"): 2, ("地域", "活動"): 1})
    ({'福祉': 2, '活動': 1}, {'地域': 3})
    """
    left: Counter = Counter()
    right: Counter = Counter()
    for run, count in runs.items():
        for a, b in zip(run, run[1:]):
            right[a] += count
            left[b] += count
    return dict(left), dict(right)


def flr_scores(
    frequency: Mapping[tuple[str, ...], int],
    *,
    runs: Mapping[tuple[str, ...], int] | None = None,
) -> dict[tuple[str, ...], float]:
    """FLR of every candidate: f × (Π (LN+1)(RN+1)) ^ (1/2L).

    ``frequency`` maps a candidate (its simple nouns) to its frequency; adjacency is counted
    over ``runs`` (default: the candidates themselves, each weighted by its frequency).

    >>> s = flr_scores({("担い手", "不足"): 2, ("人材", "不足"): 1})
    >>> round(s[("担い手", "不足")], 4)   # RN(担い手)=2, LN(不足)=3: 2 × ((1·3)(4·1))^(1/4)
    3.7224
    """
    left, right = adjacency(frequency if runs is None else runs)
    weight: dict[str, float] = {}  # per simple noun: log(LN+1) + log(RN+1)
    scores = {}
    for parts, f in frequency.items():
        terms = []
        for p in parts:
            w = weight.get(p)
            if w is None:
                w = weight[p] = math.log(left.get(p, 0) + 1) + math.log(right.get(p, 0) + 1)
            terms.append(w)
        scores[tuple(parts)] = f * math.exp(sum(terms) / (2 * len(parts)))
    return scores


def _all_nested(parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    n = len(parts)
    return [parts[i:j] for i in range(n) for j in range(i + 2, n + 1) if j - i < n]


def cvalue_scores(
    frequency: Mapping[tuple[str, ...], int],
    *,
    nested: Callable[[tuple[str, ...]], Iterable[tuple[str, ...]]] | None = None,
) -> dict[tuple[str, ...], float]:
    """C-value of every candidate and of every nested candidate.

    ``frequency`` maps a candidate (its parts) to its occurrences as a whole; ``nested(parts)``
    yields its proper sub-candidates, once per position (default: every contiguous sub-sequence
    of at least two parts).

    >>> s = cvalue_scores({("地域", "福祉", "活動"): 3, ("地域", "福祉"): 2})
    >>> s[("地域", "福祉", "活動")], s[("地域", "福祉")]   # log2(3)·3; log2(2)·(5 − 3/1)
    (4.754887502163468, 2.0)
    """
    nested = _all_nested if nested is None else nested
    total: Counter = Counter()
    inside: Counter = Counter()
    candidates: set[tuple[str, ...]] = set()
    for parts, f in frequency.items():
        parts = tuple(parts)
        total[parts] += f
        candidates.add(parts)
        for sub in nested(parts):
            sub = tuple(sub)
            total[sub] += f
            inside[sub] += f
            candidates.add(sub)
    containers: Counter = Counter()
    for parts in candidates:
        for sub in set(map(tuple, nested(parts))):
            containers[sub] += 1
    scores = {}
    for parts in candidates:
        weight = math.log2(len(parts))
        if containers[parts]:
            scores[parts] = weight * (total[parts] - inside[parts] / containers[parts])
        else:
            scores[parts] = weight * total[parts]
    return scores


# ---------------------------------------------------------------------------- term table

@dataclass(frozen=True)
class Term:
    """A ranked compound term.

    ``frequency``: occurrences as a whole candidate; ``total_frequency``: occurrences including
    those inside longer candidates; ``document_frequency``: text units where it occurs (whole or
    nested); ``parts``: the normalized simple nouns.
    """

    term: str
    key: str
    score: float
    frequency: int
    total_frequency: int
    document_frequency: int
    parts: tuple[str, ...]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["parts"] = list(self.parts)
        d["score"] = round(self.score, 6)
        return d


def _score_candidates(cands: Candidates, method: str):
    """Scores by parts, total frequencies (whole + nested) by parts, surfaces by parts, and the
    nested-candidate function (which registers the shape and surfaces of each sub-run it yields)."""
    freq = cands.by_parts()
    shapes = {cands.parts[k]: cands.shapes[k] for k in cands.frequency}
    surfaces = {cands.parts[k]: cands.surfaces[k] for k in cands.frequency}

    done: dict[tuple[str, ...], list] = {}

    def nested(parts):
        out = done.get(parts)
        if out is not None:
            return out
        out = done[parts] = []
        for sub, sub_shape in _nested(parts, shapes[parts]):
            if sub not in shapes:
                shapes[sub] = sub_shape
                i = next(i for i in range(len(parts)) if parts[i:i + len(sub)] == sub)
                surfaces[sub] = surfaces[parts][i:i + len(sub)]
            out.append(sub)
        return out

    if method == "flr":
        scores = flr_scores(freq, runs=cands.runs)
    else:
        scores = cvalue_scores(freq, nested=nested)
    total: Counter = Counter()
    for parts, f in freq.items():
        total[parts] += f
        for sub in nested(parts):
            total[sub] += f
    return scores, total, surfaces, nested


@_without_gc
def term_table(
    tokens: Tokens,
    *,
    method: Literal["flr", "cvalue"] = "flr",
    top: int | None = 50,
    min_frequency: int = 1,
    min_parts: int = 2,
    stopwords=None,
) -> list[Term]:
    """Compound terms of the Tokens ranked by FLR (default) or C-value, best first.

    ``min_frequency`` applies to the frequency the method uses (whole occurrences for FLR, all
    occurrences for C-value); ``min_parts`` keeps terms of at least that many tokens: 2 (the
    default) lists compounds only, 1 ranks single nouns with them as TermExtract does.  Ties are
    broken by frequency, then key.  ``top=None`` returns every term.
    """
    check_choice("method", method, METHODS)
    if min_frequency < 1 or min_parts < 1 or (top is not None and top < 0):
        raise SettingsError("top must be ≥ 0, min_frequency and min_parts ≥ 1", field="terms")
    cands = _candidates(tokens, _resolve_stopwords(stopwords))
    scores, total, surfaces, nested = _score_candidates(cands, method)
    freq = cands.by_parts()
    ranked = []
    for parts, score in scores.items():
        used = freq.get(parts, 0) if method == "flr" else total[parts]
        if used < min_frequency or len(parts) < min_parts:
            continue
        ranked.append((-score, -freq.get(parts, 0), "".join(parts), parts))
    # the order is total (parts are unique), so the first ``top`` of the sorted list are these
    ranked = sorted(ranked) if top is None or top >= len(ranked) else heapq.nsmallest(top, ranked)
    # document frequency: units where the term occurs whole or nested
    unit_sets: dict[tuple[str, ...], set[int]] = {parts: set() for *_, parts in ranked}
    for key, parts in cands.parts.items():
        idx = cands.units[key]
        if parts in unit_sets:
            unit_sets[parts].update(idx)
        for sub in set(nested(parts)):
            if sub in unit_sets:
                unit_sets[sub].update(idx)
    rows = []
    for _, _, key, parts in ranked:
        display = cands.display.get(key) if parts == cands.parts.get(key) else None
        rows.append(Term(
            term=display or "".join(surfaces[parts]), key=key, score=scores[parts],
            frequency=freq.get(parts, 0), total_frequency=total[parts],
            document_frequency=len(unit_sets[parts]), parts=parts,
        ))
    return rows


def terms_frame(tokens: Tokens, **options):
    """:func:`term_table` as a pandas DataFrame (columns: term, key, score, frequency,
    total_frequency, document_frequency, parts — the parts joined by "/")."""
    import pandas as pd

    columns = ["term", "key", "score", "frequency", "total_frequency", "document_frequency", "parts"]
    rows = [{**asdict(t), "parts": "/".join(t.parts)} for t in term_table(tokens, **options)]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------------ content words

def _content_ids(pos: Sequence[Sequence[str | None]]) -> frozenset[int]:
    return pos_ids([tuple(p) for p in pos])


def _features(sentences: Sequence[Sentence], content: frozenset[int], stopwords: frozenset[str],
              kinds: Mapping[int, int], compounds: bool = True) -> list[str]:
    """Content-word normalized forms (stop words removed) followed by compound keys (≥ 2 parts)."""
    words = [t.norm for s in sentences for t in s.tokens
             if t.pos_id in content and t.norm not in stopwords and t.surface not in stopwords]
    if compounds:
        for run in _noun_runs(sentences, kinds):
            if len(run) > 1:
                found = _candidate(run, stopwords)
                if found is not None and len(found[0]) > 1:
                    words.append("".join(found[0]))
    return words


def make_analyzer(
    *,
    stopwords=None,
    split_mode: str = "C",
    pos: Sequence[Sequence[str | None]] = CONTENT_POS,
    compounds: bool = True,
) -> Callable[[str], list[str]]:
    """A scikit-learn ``analyzer=``: text → content-word normalized forms + compound keys.

    >>> analyze = make_analyzer()
    >>> analyze("ﾎﾞﾗﾝﾃｨｱの担い手不足を解消する。")
    ['ボランティア', '担い手', '不足', '解消', '担い手不足']
    """
    stops = _resolve_stopwords(stopwords)
    content = _content_ids(pos)
    kinds = _kinds()

    def analyze(text: str) -> list[str]:
        return _features(tokenize(text, split_mode=split_mode), content, stops, kinds, compounds)

    return analyze


@_without_gc
def unit_features(tokens: Tokens, *, stopwords=None, pos=CONTENT_POS, compounds: bool = True) -> list[list[str]]:
    """The analyzer's features of every unit of ``tokens`` (no re-tokenizing)."""
    stops = _resolve_stopwords(stopwords)
    content = _content_ids(pos)
    return [list(words) for words in _unit_features(tokens, stops, content, compounds)]


def _unit_features(tokens: Tokens, stops: frozenset[str], content: frozenset[int], compounds: bool) -> list[list[str]]:
    """:func:`unit_features` from the shared pass (memoized per Tokens object; do not mutate)."""
    memo = _memo_for(tokens)
    key = ("features", stops, content, compounds)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _features_of(_analysis(tokens, stops), stops, content, compounds)
    return found


def _features_of(analysis: _Analysis, stops: frozenset[str], content: frozenset[int], compounds: bool) -> list[list[str]]:
    import numpy as np

    flat = analysis.flat
    index = np.flatnonzero(_lookup(_content_lut(content), flat.pos))
    token_unit = np.repeat(flat.sent_unit, np.diff(flat.sent_start))
    norms = list(map(flat.norms.__getitem__, index.tolist()))
    index = index[~np.fromiter(map(stops.__contains__, norms), dtype=bool, count=len(norms))]
    kept = index[~np.fromiter(map(stops.__contains__, _surfaces(flat, index)), dtype=bool, count=len(index))]
    bounds = np.zeros(flat.n_units + 1, dtype=np.int64)
    if len(kept):
        np.cumsum(np.bincount(token_unit[kept], minlength=flat.n_units), out=bounds[1:])
    words = list(map(flat.norms.__getitem__, kept.tolist()))
    bounds_l = bounds.tolist()
    out = [words[bounds_l[u]:bounds_l[u + 1]] for u in range(flat.n_units)]
    if compounds:
        table = analysis.table
        compound = np.fromiter((c is not None and len(c[0]) > 1 for _, c in table), dtype=bool, count=len(table))
        chosen = np.flatnonzero((analysis.run_len > 1) & compound[analysis.code])
        for entry, unit in zip(analysis.code[chosen].tolist(), analysis.run_unit[chosen].tolist()):
            out[unit].append(table[entry][1][3])
    return out


@_without_gc
def frequency_table(tokens: Tokens, *, stopwords=None, pos=CONTENT_POS):
    """Term and document frequency of content words (normalized form; stop words removed).

    Columns: term (normalized), surface (most frequent spelling), frequency, document_frequency;
    sorted by frequency, then document frequency (descending), then term.
    """
    import pandas as pd

    stops = _resolve_stopwords(stopwords)
    content = _content_ids(pos)
    freq: Counter = Counter()
    docf: Counter = Counter()
    spell: dict[str, Counter] = defaultdict(Counter)
    for sentences in tokens.sentences:
        seen = set()
        for s in sentences:
            for t in s.tokens:
                if t.pos_id in content and t.norm not in stops and t.surface not in stops:
                    freq[t.norm] += 1
                    spell[t.norm][t.surface] += 1
                    seen.add(t.norm)
        docf.update(seen)
    rows = [
        (term, min(spell[term].items(), key=lambda kv: (-kv[1], kv[0]))[0], f, docf[term])
        for term, f in freq.items()
    ]
    rows.sort(key=lambda r: (-r[2], -r[3], r[0]))
    return pd.DataFrame(rows, columns=["term", "surface", "frequency", "document_frequency"])


# ------------------------------------------------------------------------------- TF-IDF

def _direction_documents(tokens: Tokens, features: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    order: dict[str, list[str]] = {}
    for unit, feats in zip(tokens.units, features):
        order.setdefault(unit.direction_id, []).extend(feats)
    return list(order), list(order.values())


@_without_gc
def tfidf_by_direction(tokens: Tokens, *, top: int = 10, stopwords=None, pos=CONTENT_POS) -> dict[str, list[tuple[str, float]]]:
    """Key terms of each direction by TF-IDF (scikit-learn's TfidfVectorizer, its defaults:
    raw counts, smoothed idf = ln((1+n)/(1+df)) + 1, l2-normalized rows) over the directions'
    documents — all the unit features of one direction — built from the Tokens (no re-tokenizing).

    Returns direction id → [(term, weight)] best first (ties by term), directions in corpus order.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    features = _unit_features(tokens, _resolve_stopwords(stopwords), _content_ids(pos), True)
    names, docs = _direction_documents(tokens, features)
    if not any(docs):
        return {name: [] for name in names}
    vectorizer = TfidfVectorizer(analyzer=_identity, lowercase=False)
    matrix = vectorizer.fit_transform(docs).tocsr()
    # columns are in term order (the vocabulary is sorted), so ties by term are ties by column
    vocabulary: list[str] = [""] * len(vectorizer.vocabulary_)
    for term, j in vectorizer.vocabulary_.items():
        vocabulary[j] = term
    out: dict[str, list[tuple[str, float]]] = {}
    indptr = matrix.indptr.tolist()
    for row, name in enumerate(names):
        start, end = indptr[row], indptr[row + 1]
        columns, weights = matrix.indices[start:end], matrix.data[start:end]
        best = np.lexsort((columns, -weights))[:top]
        out[name] = [(vocabulary[j], w) for j, w in zip(columns[best].tolist(), weights[best].tolist())]
    return out


def _identity(doc):
    return doc


def tfidf_frame(tokens: Tokens, *, top: int = 10, **options):
    """:func:`tfidf_by_direction` as a DataFrame: direction, rank, term, tfidf."""
    import pandas as pd

    rows = [
        (direction, rank, term, weight)
        for direction, pairs in tfidf_by_direction(tokens, top=top, **options).items()
        for rank, (term, weight) in enumerate(pairs, 1)
    ]
    return pd.DataFrame(rows, columns=["direction", "rank", "term", "tfidf"])


# ------------------------------------------------------------------------------ keyness

def _mask(tokens: Tokens, group, name: str) -> list[bool]:
    if callable(group):
        return [bool(group(unit)) for unit in tokens.units]
    mask = [bool(x) for x in group]
    if len(mask) != len(tokens.units):
        raise InputError(f"{name}: mask has {len(mask)} values for {len(tokens.units)} units", field=name)
    return mask


def keyness(
    tokens: Tokens,
    target,
    reference=None,
    *,
    measure: Literal["g2", "chi2"] = "g2",
    correction: Literal["default", "none"] = "default",
    top: int | None = None,
    stopwords=None,
    pos=CONTENT_POS,
):
    """Keyness of every feature in ``target`` against ``reference`` (as quanteda's
    ``textstat_keyness``).

    ``target`` and ``reference`` are predicates on :class:`~analysis.units.TextUnit` or boolean
    masks over ``tokens.units``; ``reference=None`` means every unit not in the target.  A unit
    in both groups is an error.  Features are the analyzer's (content words + compounds).

    For a feature with a occurrences in the target, b in the reference, c and d the target's and
    reference's other features (N = a+b+c+d), expected counts E = row total × column total / N:

    - ``g2`` = 2 Σ O ln(O/E) (0 ln 0 = 0); with ``correction="default"`` divided by Williams'
      q = 1 + (N/(a+b) + N/(c+d) − 1)(N/(a+c) + N/(b+d) − 1) / (6N), as quanteda does;
    - ``chi2`` = Σ (|O−E| − y)² / E with Yates' y = min(0.5, |O−E|) (as R's ``chisq.test``;
      y = 0 with ``correction="none"``);
    - both are signed: positive when the feature is over-used in the target (a > E11);
    - ``p``: upper tail of χ² with 1 degree of freedom at the chosen measure's |value|.

    Returns a DataFrame (term, target_count, reference_count, g2, chi2, p) sorted by the chosen
    measure, descending (ties by term); ``top`` keeps the first rows.
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import chi2 as chi2_dist

    check_choice("measure", measure, MEASURES)
    check_choice("correction", correction, CORRECTIONS)
    in_target = _mask(tokens, target, "target")
    if reference is None:
        in_reference = [not x for x in in_target]
    else:
        in_reference = _mask(tokens, reference, "reference")
    both = [u.id for u, t, r in zip(tokens.units, in_target, in_reference) if t and r]
    if both:
        raise InputError(f"unit {both[0]} is in both the target and the reference", field="keyness")
    features = unit_features(tokens, stopwords=stopwords, pos=pos)
    t_counts: Counter = Counter()
    r_counts: Counter = Counter()
    for feats, t, r in zip(features, in_target, in_reference):
        if t:
            t_counts.update(feats)
        elif r:
            r_counts.update(feats)
    columns = ["term", "target_count", "reference_count", "g2", "chi2", "p"]
    if not t_counts or not r_counts:
        raise InputError("keyness needs words in both the target and the reference", field="keyness")
    terms = sorted(set(t_counts) | set(r_counts))
    a = np.array([t_counts[w] for w in terms], dtype=float)
    b = np.array([r_counts[w] for w in terms], dtype=float)
    g2, chi2 = keyness_statistics(a, b, float(sum(t_counts.values())), float(sum(r_counts.values())),
                                  correction=correction)
    chosen = g2 if measure == "g2" else chi2
    frame = pd.DataFrame({
        "term": terms, "target_count": a.astype(int), "reference_count": b.astype(int),
        "g2": g2, "chi2": chi2, "p": chi2_dist.sf(np.abs(chosen), 1),
    }, columns=columns)
    frame = frame.sort_values([measure, "term"], ascending=[False, True], kind="mergesort")
    frame = frame.reset_index(drop=True)
    if top is not None:
        frame = frame.head(top)
    frame.attrs["keyness"] = {"measure": measure, "correction": correction,
                              "target_total": int(sum(t_counts.values())),
                              "reference_total": int(sum(r_counts.values()))}
    return frame


def keyness_statistics(a, b, target_total: float, reference_total: float, *, correction: str = "default"):
    """Signed G² and χ² for counts ``a`` (target) and ``b`` (reference) — see :func:`keyness`.

    >>> g2, chi2 = keyness_statistics([10.0], [10.0], 100.0, 200.0, correction="none")
    >>> round(float(g2[0]), 4), round(float(chi2[0]), 4)
    (2.5353, 2.6786)
    """
    import numpy as np

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    c = target_total - a
    d = reference_total - b
    n = target_total + reference_total
    observed = np.stack([a, b, c, d])
    rows = np.stack([a + b, a + b, c + d, c + d])
    cols = np.array([target_total, reference_total, target_total, reference_total])[:, None]
    expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * terms.sum(axis=0)
        deviation = np.abs(observed - expected)
        yates = np.minimum(0.5, deviation) if correction == "default" else 0.0
        chi2 = np.where(expected > 0, (deviation - yates) ** 2 / expected, 0.0).sum(axis=0)
        if correction == "default":
            q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / target_total + n / reference_total - 1) / (6 * n)
            g2 = np.where(np.isfinite(q) & (q > 0), g2 / q, g2)
    degenerate = (a + b == 0) | (c + d == 0)
    g2 = np.where(degenerate, 0.0, g2)
    chi2 = np.where(degenerate, 0.0, chi2)
    sign = np.where(a >= expected[0], 1.0, -1.0)
    return sign * np.maximum(g2, 0.0), sign * chi2


# --------------------------------------------------------------------------------- KWIC

def kwic(tokens: Tokens, word: str, *, window: int = 5) -> list[dict]:
    """Keyword in context: every occurrence of ``word`` matched on normalized forms.

    ``word`` is tokenized like the text, so a compound Sudachi splits (担い手不足) is found as
    its token sequence and a variant spelling (ﾎﾞﾗﾝﾃｨｱ) matches its normalized form.  Each hit
    gives the unit (``unit``, ``direction_id``, ``field``, ``generation``, ``line``) and ``left``,
    ``keyword``, ``right``: up to ``window`` tokens either side, cut from the ORIGINAL text.
    """
    if window < 0:
        raise SettingsError("window must be ≥ 0", field="window")
    query = [t.norm for s in tokenize(word, split_mode=tokens.split_mode) for t in s.tokens
             if not t.surface.isspace()]
    if not query:
        raise InputError(f"nothing to search for in {word!r}", field="word")
    first, n = query[0], len(query)
    hits = []
    for unit, sentences in tokens:
        flat = [t for s in sentences for t in s.tokens]
        norms = [t.norm for t in flat]
        for i, norm in enumerate(norms):
            if norm != first or norms[i:i + n] != query:
                continue
            lo = flat[max(0, i - window)].begin if window and i > 0 else flat[i].begin
            hi = flat[min(len(flat), i + n + window) - 1].end if window else flat[i + n - 1].end
            hits.append({
                "unit": unit.id, "direction_id": unit.direction_id, "field": unit.field,
                "generation": unit.generation, "line": unit.line,
                "left": unit.text[lo:flat[i].begin],
                "keyword": unit.text[flat[i].begin:flat[i + n - 1].end],
                "right": unit.text[flat[i + n - 1].end:hi],
            })
    return hits


def kwic_frame(tokens: Tokens, word: str, *, window: int = 5):
    """:func:`kwic` as a DataFrame."""
    import pandas as pd

    columns = ["unit", "direction_id", "field", "generation", "line", "left", "keyword", "right"]
    return pd.DataFrame(kwic(tokens, word, window=window), columns=columns)
