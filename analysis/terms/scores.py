"""Scores of compound-term candidates: FLR and C-value, and the ranked term table.

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
from .stopwords import StopwordsArg, resolve_stopwords

if TYPE_CHECKING:
    import pandas as pd

METHODS = ("flr", "cvalue")


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
        """The term as plain JSON values (parts as a list, the score rounded to 6 places)."""
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
        for sub, sub_shape in nested_runs(parts, shapes[parts]):
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


@without_gc
def term_table(
    tokens: Tokens,
    *,
    method: Literal["flr", "cvalue"] = "flr",
    top: int | None = 50,
    min_frequency: int = 1,
    min_parts: int = 2,
    stopwords: StopwordsArg = None,
) -> list[Term]:
    """Compound terms of the Tokens ranked by FLR (default) or C-value, best first.

    Parameters
    ----------
    tokens : Tokens
        The units.
    method : {"flr", "cvalue"}
        The score (see the module docstring).
    top : int or None
        How many terms (default 50); ``None``: every term.
    min_frequency : int
        Applies to the frequency the method uses (whole occurrences for FLR, all occurrences for
        C-value).
    min_parts : int
        Keeps terms of at least that many tokens: 2 (the default) lists compounds only, 1 ranks
        single nouns with them as TermExtract does.
    stopwords : None, path or set of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).

    Returns
    -------
    list of Term
        Best first; ties broken by frequency, then key.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "担い手不足と担い手育成。", 1)
    >>> [t.key for t in term_table(Tokens([unit], [tokenize(unit.text)]))]
    ['担い手不足', '担い手育成']
    """
    check_choice("method", method, METHODS)
    if min_frequency < 1 or min_parts < 1 or (top is not None and top < 0):
        raise SettingsError("top must be ≥ 0, min_frequency and min_parts ≥ 1", field="terms")
    cands = shared_candidates(tokens, resolve_stopwords(stopwords))
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
        parts joined by "/").
    """
    import pandas as pd

    columns = ["term", "key", "score", "frequency", "total_frequency", "document_frequency", "parts"]
    rows = [{**asdict(t), "parts": "/".join(t.parts)} for t in term_table(tokens, **options)]
    return pd.DataFrame(rows, columns=columns)

