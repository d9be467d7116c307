"""Key terms of each policy direction by TF-IDF over the unit features.

The weights are scikit-learn's ``TfidfVectorizer`` with its defaults, computed in two steps: the
documents' term-count matrix (:func:`count_matrix`: what ``CountVectorizer`` gives, counted with
numpy over the documents' features at once instead of one Python dict per document), then
``TfidfTransformer``.  ``tests/test_textstat_tfidf.py`` checks both against ``TfidfVectorizer``.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from ..terms.columns import shared_features
from ..terms.numbering import Numbering
from ..terms.features import CONTENT_POS, PosPatterns, content_ids
from ..terms.gc import without_gc
from ..terms.stopwords import StopwordsArg, resolve_stopwords
from ..tokens import Tokens

if TYPE_CHECKING:
    import pandas as pd


def _direction_documents(tokens: Tokens, features: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    order: dict[str, list[str]] = {}
    for unit, feats in zip(tokens.units, features):
        order.setdefault(unit.direction_id, []).extend(feats)
    return list(order), list(order.values())


# Bump when what tfidf_by_direction gives for the same tokens and options changes (the source of
# the modules below is part of the stage cache key too, so an edit to them needs no bump).
CACHE_VERSION = "tfidf-1"
_CODE = ("analysis.textstat.tfidf", "analysis.terms.columns", "analysis.terms.features",
         "analysis.terms.candidates", "analysis.terms.stopwords")


def tfidf_by_direction(
    tokens: Tokens,
    *,
    top: int = 10,
    stopwords: StopwordsArg = None,
    pos: PosPatterns = CONTENT_POS,
    cache: bool | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """Key terms of each direction by TF-IDF over the directions' documents.

    scikit-learn's TfidfVectorizer with its defaults (raw counts, smoothed idf
    = ln((1+n)/(1+df)) + 1, l2-normalized rows); a direction's document is all the unit features
    (:func:`~analysis.terms.features.unit_features`) of its units, built from the Tokens without
    tokenizing again.

    Parameters
    ----------
    tokens : Tokens
        The units.
    top : int
        How many terms per direction (default 10).
    stopwords : None, path or set of str
        The stop list.
    pos : sequence of POS patterns
        The content words.
    cache : bool or None, default None
        Reuse the result for the same tokens, directions, stop list, ``pos`` and ``top``
        (:mod:`analysis.stagecache`); ``None``: as the tokens were made (``[tokens] cache`` of
        their settings).  The result is the same either way.

    Returns
    -------
    dict of str to list of (str, float)
        Direction id → [(term, weight)] best first (ties by term), directions in corpus order.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> texts = {"A": "担い手不足。", "B": "担い手育成。"}
    >>> units = [TextUnit(f"{d}:evaluation", "P", 2, 1, d, "evaluation", t, 1) for d, t in texts.items()]
    >>> [terms[0][0] for terms in tfidf_by_direction(Tokens(units, [tokenize(t) for t in texts.values()])).values()]
    ['不足', '担い手育成']
    """
    from .. import stagecache

    stops = resolve_stopwords(stopwords)
    enabled = stagecache.cache_wanted(tokens, cache)  # the keys cost ~0.01 s per M characters: only when used
    return stagecache.cached_stage(
        "tfidf", version=stagecache.code_version(CACHE_VERSION, *_CODE),
        keys=stagecache.token_keys(tokens) if enabled else None,
        inputs=(stagecache.digest(stops), stagecache.digest([list(p) for p in pos]), str(top),
                stagecache.digest([u.direction_id for u in tokens.units])),
        compute=lambda: tfidf_plain(tokens, top=top, stopwords=stops, pos=pos),
        encode=lambda result: list(result.items()), decode=_decode_tfidf,
        enabled=enabled)


def _decode_tfidf(data: list) -> dict[str, list[tuple[str, float]]]:
    return {name: [(term, weight) for term, weight in pairs] for name, pairs in data}


@without_gc
def tfidf_plain(tokens: Tokens, *, top: int, stopwords: frozenset[str],
                pos: PosPatterns) -> dict[str, list[tuple[str, float]]]:
    """:func:`tfidf_by_direction` computed, never cached (the reference a cached result equals)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfTransformer

    features = shared_features(tokens, stopwords, content_ids(pos), True)
    names, docs = _direction_documents(tokens, features)
    if not any(docs):
        return {name: [] for name in names}
    # float64 counts, as TfidfVectorizer makes them: TfidfTransformer then weights them in place, in
    # their order (int64 counts would be converted and their rows sorted: other sums, other floats)
    vocabulary, counts = count_matrix(docs, dtype=np.float64)
    matrix = TfidfTransformer().fit(counts).transform(counts, copy=False).tocsr()
    # columns are in term order (the vocabulary is sorted), so ties by term are ties by column
    out: dict[str, list[tuple[str, float]]] = {}
    indptr = matrix.indptr.tolist()
    for row, name in enumerate(names):
        start, end = indptr[row], indptr[row + 1]
        columns, weights = matrix.indices[start:end], matrix.data[start:end]
        best = np.lexsort((columns, -weights))[:top]
        out[name] = [(vocabulary[j], w) for j, w in zip(columns[best].tolist(), weights[best].tolist())]
    return out


def count_matrix(docs: list[list[str]], *, dtype="int64"):
    """The term counts of documents given as lists of terms, as ``CountVectorizer`` makes them.

    Parameters
    ----------
    docs : list of list of str
        Each document's terms (features), repeated as often as they occur.
    dtype : numpy dtype, default "int64"
        Of the counts (``TfidfVectorizer`` counts in float64).

    Returns
    -------
    tuple
        ``(vocabulary, counts)``: the distinct terms, sorted; a ``scipy.sparse`` CSR matrix of
        ``dtype``, one row per document and one column per term (within a row, the terms in order
        of their first occurrence in ``docs``), equal, entry for entry and in the same order, to
        ``CountVectorizer(analyzer=lambda d: d, lowercase=False, dtype=dtype).fit_transform(docs)``.

    Examples
    --------
    >>> vocabulary, counts = count_matrix([["連携", "担い手", "連携"], [], ["見守り"]])
    >>> vocabulary, counts.toarray().tolist()
    (['担い手', '見守り', '連携'], [[1, 0, 2], [0, 0, 0], [0, 1, 0]])
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    numbers = Numbering()  # terms numbered in order of first occurrence, as CountVectorizer does
    ids = np.fromiter(map(numbers.__getitem__, chain.from_iterable(docs)), dtype=np.int64)
    vocabulary = sorted(numbers)
    column = np.empty(len(vocabulary), dtype=np.int32)  # a term's number -> its place in the vocabulary
    column[np.fromiter(map(numbers.__getitem__, vocabulary), dtype=np.int64, count=len(vocabulary))] = \
        np.arange(len(vocabulary))
    row = np.repeat(np.arange(len(docs)), np.fromiter(map(len, docs), dtype=np.int64, count=len(docs)))
    # within a row, the terms in order of their numbers (CountVectorizer's order: the weights' sums
    # run in it, so the same order gives the very same floats)
    size = max(len(vocabulary), 1)
    cells, counts = np.unique(row * size + ids, return_counts=True)
    rows, number = np.divmod(cells, size)
    indptr = np.searchsorted(rows, np.arange(len(docs) + 1))
    return vocabulary, csr_matrix((counts.astype(dtype), column[number], indptr),
                                  shape=(len(docs), len(vocabulary)))


def tfidf_frame(tokens: Tokens, *, top: int = 10, **options) -> "pd.DataFrame":
    """:func:`tfidf_by_direction` as a DataFrame.

    Parameters
    ----------
    tokens, top, **options
        As for :func:`tfidf_by_direction` (``options``: ``stopwords``, ``pos``).

    Returns
    -------
    pandas.DataFrame
        Columns direction, rank (from 1), term, tfidf.
    """
    import pandas as pd

    rows = [
        (direction, rank, term, weight)
        for direction, pairs in tfidf_by_direction(tokens, top=top, **options).items()
        for rank, (term, weight) in enumerate(pairs, 1)
    ]
    return pd.DataFrame(rows, columns=["direction", "rank", "term", "tfidf"])
