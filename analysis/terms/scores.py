"""Scores of term candidates (key terms, FLR, C-value, frequency) and the ranked term table.

:func:`term_table` ranks by one of :data:`METHODS`: ``keyterms`` (the default: single words and
compounds merged, see :mod:`analysis.terms.keyterms`), ``flr``, ``cvalue`` or ``frequency``
(occurrences, then documents).  Whatever the method, a term is a candidate written on its own at
least once (a fragment found only inside longer candidates is not a term), and the stop list's
whole-candidate entries (``=補助事業``) are not terms.  Every term carries three counts:
``total_frequency`` (occurrences, on its own and nested in longer candidates: 出現数（複合語の中を含む）),
``frequency`` (on its own: 単独の出現数) and ``document_frequency`` (text units holding it,
on its own or nested: 文書数), with 1 ≤ frequency ≤ total_frequency and
document_frequency ≤ total_frequency.

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
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Mapping, Sequence

from ..errors import SettingsError, check_choice
from ..tokens import Tokens
from .candidates import Candidates, nested_runs
from .columns import shared_candidates
from .gc import without_gc
from .keyterms import keyterm_order, keyterm_score, term_kind
from .stopwords import StopwordsArg, resolve_stop_terms, resolve_stopwords

if TYPE_CHECKING:
    import pandas as pd

#: The rankings of :func:`term_table`; the first is the default.
METHODS = ("keyterms", "flr", "cvalue", "frequency")
Method = Literal["keyterms", "flr", "cvalue", "frequency"]


def adjacency(runs: Mapping[Sequence[str], int]) -> tuple[dict[str, int], dict[str, int]]:
    """LN and RN of every simple noun: how often a noun stands to its left / right in a run.

    Parameters
    ----------
    runs : mapping of tuple of str to int
        A noun run (its simple nouns) → its number of occurrences.

    Returns
    -------
    (dict, dict)
        LN and RN: simple noun → count (nouns with none left out).

    Examples
    --------
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


def lr_scores(
    candidates: Iterable[tuple[str, ...]],
    *,
    runs: Mapping[tuple[str, ...], int],
) -> dict[tuple[str, ...], float]:
    """LR of every candidate: (Π (LN+1)(RN+1)) ^ (1/2L), FLR's compound weighting.

    Parameters
    ----------
    candidates : iterable of tuple of str
        The candidates (their simple nouns).
    runs : mapping
        The noun runs adjacency is counted over (see :func:`adjacency`).

    Returns
    -------
    dict of tuple of str to float
        The LR of every candidate.

    Examples
    --------
    >>> round(lr_scores([("担い手", "不足")], runs={("担い手", "不足"): 2, ("人材", "不足"): 1})[("担い手", "不足")], 4)
    1.8612
    """
    left, right = adjacency(runs)
    weight: dict[str, float] = {}  # per simple noun: log(LN+1) + log(RN+1)
    scores = {}
    for parts in candidates:
        terms = []
        for p in parts:
            w = weight.get(p)
            if w is None:
                w = weight[p] = math.log(left.get(p, 0) + 1) + math.log(right.get(p, 0) + 1)
            terms.append(w)
        scores[tuple(parts)] = math.exp(sum(terms) / (2 * len(parts)))
    return scores


def flr_scores(
    frequency: Mapping[tuple[str, ...], int],
    *,
    runs: Mapping[tuple[str, ...], int] | None = None,
) -> dict[tuple[str, ...], float]:
    """FLR of every candidate: f × (Π (LN+1)(RN+1)) ^ (1/2L).

    Parameters
    ----------
    frequency : mapping of tuple of str to int
        A candidate (its simple nouns) → its frequency as a whole.
    runs : mapping, optional
        The noun runs adjacency is counted over (default: the candidates themselves, each
        weighted by its frequency).

    Returns
    -------
    dict of tuple of str to float
        The FLR of every candidate.

    Examples
    --------
    >>> s = flr_scores({("担い手", "不足"): 2, ("人材", "不足"): 1})
    >>> round(s[("担い手", "不足")], 4)   # RN(担い手)=2, LN(不足)=3: 2 × ((1·3)(4·1))^(1/4)
    3.7224
    """
    lr = lr_scores(frequency, runs=frequency if runs is None else runs)
    return {tuple(parts): f * lr[tuple(parts)] for parts, f in frequency.items()}


def _all_nested(parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    n = len(parts)
    return [parts[i:j] for i in range(n) for j in range(i + 2, n + 1) if j - i < n]


def cvalue_scores(
    frequency: Mapping[tuple[str, ...], int],
    *,
    nested: Callable[[tuple[str, ...]], Iterable[tuple[str, ...]]] | None = None,
) -> dict[tuple[str, ...], float]:
    """C-value of every candidate and of every nested candidate.

    Parameters
    ----------
    frequency : mapping of tuple of str to int
        A candidate (its parts) → its occurrences as a whole.
    nested : callable, optional
        ``nested(parts)`` yields the proper sub-candidates, once per position (default: every
        contiguous sub-sequence of at least two parts).

    Returns
    -------
    dict of tuple of str to float
        The C-value of every candidate and nested candidate.

    Examples
    --------
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
    """A ranked term.

    ``frequency``: occurrences on its own, as a whole candidate (単独の出現数, at least 1);
    ``total_frequency``: occurrences including those inside longer candidates (出現数（複合語の中を含む）);
    ``document_frequency``: text units where it occurs, on its own or nested (文書数, never more
    than ``total_frequency``); ``parts``: the normalized simple nouns; ``kind``: ``"word"`` (one
    part) or ``"compound"``; ``score``: the method's score (for ``keyterms``, the score within
    its kind).
    """

    term: str
    key: str
    score: float
    frequency: int
    total_frequency: int
    document_frequency: int
    parts: tuple[str, ...]
    kind: str = "compound"

    def to_dict(self) -> dict:
        """The term as plain JSON values (parts as a list, the score rounded to 6 places)."""
        d = asdict(self)
        d["parts"] = list(self.parts)
        d["score"] = round(self.score, 6)
        return d


def _nested_function(cands: Candidates):
    """Shapes and surfaces by parts, and the nested-candidate function (which registers the shape
    and surfaces of each sub-run it yields)."""
    shapes = {cands.parts[k]: cands.shapes[k] for k in cands.frequency}
    surfaces = {cands.parts[k]: cands.surfaces[k] for k in cands.frequency}
    done: dict[tuple[str, ...], list] = {}

    def nested(parts):
        out = done.get(parts)
        if out is not None:
            return out
        out = done[parts] = []
        for sub, sub_shape in nested_runs(parts, shapes[parts]):
            if sub not in shapes:
                shapes[sub] = sub_shape
                i = next(i for i in range(len(parts)) if parts[i:i + len(sub)] == sub)
                surfaces[sub] = surfaces[parts][i:i + len(sub)]
            out.append(sub)
        return out

    return surfaces, nested


def _documents(cands: Candidates, nested, wanted) -> dict[tuple[str, ...], int]:
    """Per wanted parts, the number of units where they occur on their own or nested."""
    unit_sets: dict[tuple[str, ...], set[int]] = {parts: set() for parts in wanted}
    for key, parts in cands.parts.items():
        idx = cands.units[key]
        if parts in unit_sets:
            unit_sets[parts].update(idx)
        for sub in set(nested(parts)):
            if sub in unit_sets:
                unit_sets[sub].update(idx)
    return {parts: len(units) for parts, units in unit_sets.items()}


@without_gc
def term_table(
    tokens: Tokens,
    *,
    method: Method = "keyterms",
    top: int | None = 50,
    min_frequency: int = 1,
    min_parts: int | None = None,
    stopwords: StopwordsArg = None,
    stop_terms: StopwordsArg = None,
    cache: bool | None = None,
) -> list[Term]:
    """Terms of the Tokens ranked by one of :data:`METHODS`, best first.

    Parameters
    ----------
    tokens : Tokens
        The units.
    method : {"keyterms", "flr", "cvalue", "frequency"}
        The ranking: ``keyterms`` (default) merges single words and compounds
        (:mod:`analysis.terms.keyterms`); ``flr`` and ``cvalue`` are the scores of the module
        docstring; ``frequency`` ranks by occurrences (on their own and nested), then documents.
    top : int or None
        How many terms (default 50); ``None``: every term.
    min_frequency : int
        Applies to the frequency the method uses (whole occurrences for FLR, all occurrences for
        the others).
    min_parts : int or None
        Keeps terms of at least that many tokens; ``None`` (default): 1 for ``keyterms`` and
        ``frequency`` (single words and compounds), 2 for ``flr`` and ``cvalue`` (compounds only;
        1 ranks single nouns with them as TermExtract does).
    stopwords : None, path or set of str
        The stop list's edge words (see :func:`~analysis.terms.stopwords.resolve_stopwords`).
    stop_terms : None, path or set of str
        Whole candidates that are not terms (see
        :func:`~analysis.terms.stopwords.resolve_stop_terms`; default: the ``=`` entries of the
        stop list ``stopwords`` names).  Their nested parts are terms only where they also occur
        on their own.
    cache : bool or None, default None
        Whether the terms pass is read from and kept in the stage cache
        (:func:`analysis.terms.columns.column_pass`; ``None``: as the tokens were made).  The
        ranking itself is computed each time (the stop terms, method and options need no key).

    Returns
    -------
    list of Term
        Best first; ties broken by frequency, then key.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "担い手不足と担い手育成。担い手。", 1)
    >>> [t.key for t in term_table(Tokens([unit], [tokenize(unit.text)]))]
    ['担い手', '担い手不足', '担い手育成']
    >>> [t.key for t in term_table(Tokens([unit], [tokenize(unit.text)]), method="flr")]
    ['担い手不足', '担い手育成']
    """
    check_choice("method", method, METHODS)
    if min_parts is None:
        min_parts = 1 if method in ("keyterms", "frequency") else 2
    if min_frequency < 1 or min_parts < 1 or (top is not None and top < 0):
        raise SettingsError("top must be ≥ 0, min_frequency and min_parts ≥ 1", field="terms")
    from .. import stagecache

    words = resolve_stopwords(stopwords)
    excluded = resolve_stop_terms(stop_terms, stopwords=stopwords)
    enabled = stagecache.cache_wanted(tokens, cache)
    # The ranked table is a stage of its own: a second run neither reads the candidates nor ranks
    # them again.  Keyed by the tokens, the stop list, the stop terms and every option.
    return stagecache.cached_stage(
        "term-table", version=stagecache.code_version(RANKED_VERSION, *_RANKED_CODE),
        keys=stagecache.token_keys(tokens) if enabled else None,
        inputs=(stagecache.digest(words), stagecache.digest(excluded),
                stagecache.digest((method, top, min_frequency, min_parts))),
        compute=lambda: _ranked(tokens, method, top, min_frequency, min_parts, words, excluded, cache),
        encode=lambda rows: [tuple(asdict(t).values()) for t in rows],
        decode=lambda data: [_term(row) for row in data],
        enabled=enabled)


# Bump when the ranking gives another table for the same candidates and options.
RANKED_VERSION = "term-table-1"
_RANKED_CODE = ("analysis.terms.scores", "analysis.terms.keyterms", "analysis.terms.columns",
                "analysis.terms.candidates", "analysis.terms.stopwords", "analysis.tokens")


def _term(row) -> "Term":
    """A :class:`Term` from its cached fields (in the dataclass's order; ``parts`` a tuple)."""
    names = [f for f in Term.__dataclass_fields__]
    values = dict(zip(names, row, strict=True))
    values["parts"] = tuple(values["parts"])
    return Term(**values)


def _ranked(tokens: Tokens, method: str, top: int | None, min_frequency: int, min_parts: int,
            words: frozenset[str], excluded: frozenset[str], cache: bool | None) -> list["Term"]:
    """:func:`term_table`'s ranking itself (the plain computation its cache stores)."""
    cands = shared_candidates(tokens, words, cache=cache)
    freq = cands.by_parts()
    surfaces, nested = _nested_function(cands)
    total: Counter = Counter()
    for parts, f in freq.items():
        total[parts] += f
        for sub in nested(parts):
            total[sub] += f
    # a term is written on its own at least once and is not a whole-candidate stop entry
    eligible = [
        parts for key, parts in cands.parts.items()
        if len(parts) >= min_parts and key not in excluded and cands.display[key] not in excluded
        and (freq[parts] if method == "flr" else total[parts]) >= min_frequency
    ]
    if method == "flr":
        scores = flr_scores(freq, runs=cands.runs)
    elif method == "cvalue":
        scores = cvalue_scores(freq, nested=nested)
    documents: dict[tuple[str, ...], int] | None = None
    if method in ("keyterms", "frequency"):
        documents = _documents(cands, nested, eligible)
        if method == "frequency":
            scores = {parts: float(total[parts]) for parts in eligible}
            ranked = sorted((-total[p], -documents[p], -freq[p], "".join(p), p) for p in eligible)
        else:
            lr = lr_scores(eligible, runs=cands.runs)
            scores = {p: keyterm_score(freq[p], documents[p], lr[p], compound=len(p) > 1) for p in eligible}
            order = keyterm_order([("".join(p), total[p], scores[p], len(p) > 1) for p in eligible])
            by_key = {"".join(p): p for p in eligible}
            ranked = [(i, by_key[key]) for i, key in enumerate(order)]
        ranked = ranked if top is None else ranked[:top]
    else:
        ranked = [(-scores[p], -freq[p], "".join(p), p) for p in eligible]
        # the order is total (parts are unique), so the first ``top`` of the sorted list are these
        ranked = sorted(ranked) if top is None or top >= len(ranked) else heapq.nsmallest(top, ranked)
    chosen = [r[-1] for r in ranked]
    if documents is None:
        documents = _documents(cands, nested, chosen)
    rows = []
    for parts in chosen:
        key = "".join(parts)
        display = cands.display.get(key) if parts == cands.parts.get(key) else None
        rows.append(Term(
            term=display or "".join(surfaces[parts]), key=key, score=scores[parts],
            frequency=freq.get(parts, 0), total_frequency=total[parts],
            document_frequency=documents[parts], parts=parts, kind=term_kind(parts),
        ))
    return rows


def terms_frame(tokens: Tokens, **options) -> "pd.DataFrame":
    """:func:`term_table` as a pandas DataFrame.

    Parameters
    ----------
    tokens : Tokens
        The units.
    **options
        The options of :func:`term_table` (``method``, ``top``, ``min_frequency``, …).

    Returns
    -------
    pandas.DataFrame
        Columns term, key, score, frequency, total_frequency, document_frequency, parts (the
        parts joined by "/"), kind.
    """
    import pandas as pd

    columns = ["term", "key", "score", "frequency", "total_frequency", "document_frequency", "parts", "kind"]
    rows = [{**asdict(t), "parts": "/".join(t.parts)} for t in term_table(tokens, **options)]
    return pd.DataFrame(rows, columns=columns)
