"""Owners compared: each owner's profile (its themes or terms) and its nearest owners.

A corpus may hold the plans of many owners (cities and their 社協, :meth:`Corpus.chains`).
Continuity pairs plans only within one owner's chain; this module compares owners *across*
chains, without ever pairing their directions:

* :func:`owner_profiles` counts, in one pass over the text units (linear in the corpus), how many
  units of each owner's plans carry each theme (``by="themes"``, from ``analysis.coded``) or how
  often each content word and compound term occurs in them (``by="terms"``, the unit features of
  :mod:`analysis.terms`, stop list applied), and weighs the owners × features counts TF-IDF-style
  across owners (scikit-learn's ``TfidfTransformer``: smoothed idf, rows L2-normalised), so a
  theme every owner has weighs less than one only a few share;
* :func:`nearest_owners` ranks, for every owner, the owners whose profiles are nearest by cosine
  similarity, computed as sparse products of blocks of rows (``X[i:j] @ X.T``): memory stays
  within ``chunk × owners`` similarities whatever the number of owners.

The plain definition it equals (all pairs, the cosine of dense rows) is written out in
``tests/test_owners.py``, which checks the two agree.

>>> from analysis.corpus import Corpus, Direction, Goal, Plan
>>> from analysis.pipeline import analyze
>>> def plan(i, owner, text):
...     d = Direction(id=f"O{i}-P1-1-1", plan_id=f"O{i}-P1", goal_number=1, number=1, title="活動", evaluation=text)
...     return Plan(id=f"O{i}-P1", generation=1, title="計画", owner=owner, goals=[Goal(f"O{i}-P1", 1, "目標", directions=[d])])
>>> corpus = Corpus(name="例", plans=[plan(1, "甲市", "見守り活動の担い手不足が課題。"),
...                                   plan(2, "乙町", "見守りの担い手が不足している。"),
...                                   plan(3, "丙村", "防災訓練を行った。")])
>>> near = nearest_owners(owner_profiles(analyze(corpus)), top=1)
>>> near[["owner", "neighbour"]].values.tolist()
[['甲市', '乙町'], ['乙町', '甲市'], ['丙村', '']]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .errors import SettingsError, check_choice

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse

__all__ = ["BY", "NEAREST_COLUMNS", "NO_OWNER", "PLANS", "OwnerProfiles", "nearest_owners", "owner_label",
           "owner_profiles"]

BY = ("themes", "terms")
PLANS = ("all", "latest")
NEAREST_COLUMNS = ("owner", "rank", "neighbour", "similarity", "shared")
#: Similarities are compared rounded to this many decimals, so that sums of the same products
#: added in another order (a dense product, another block size) rank the same, and ties go by
#: owner order.
DECIMALS = 12
JOIN = "、"
#: How the plans without an owner (in a corpus of several owners) are shown.
NO_OWNER = "（策定主体の記載なし）"


def owner_label(owner: str) -> str:
    """An owner as planners read it: the plans without an owner as 「（策定主体の記載なし）」.

    >>> owner_label("甲市"), owner_label("")
    ('甲市', '（策定主体の記載なし）')
    """
    return owner or NO_OWNER


@dataclass(frozen=True, eq=False)
class OwnerProfiles:
    """Owners × features: what each owner's plans hold, weighted across owners.

    Attributes
    ----------
    owners : tuple of str
        The owners, as :meth:`Corpus.chains` spells them, in its order (``""``: plans without
        an owner in a corpus of several owners).
    plans : tuple of tuple of str
        Per owner, the ids of the plans counted (``plans="latest"``: its last generation only).
    features : tuple of str
        Column names: the lexicon's themes in its order, or the terms in code-point order.
    counts : scipy.sparse.csr_matrix
        Owners × features, integers: units carrying the theme, or occurrences of the term.
    matrix : scipy.sparse.csr_matrix
        ``counts`` weighted by TF-IDF across owners, each row of unit length (an owner whose
        plans hold none of the features stays a row of zeros).
    by : {"themes", "terms"}
    selection : {"all", "latest"}
    """

    owners: tuple[str, ...]
    plans: tuple[tuple[str, ...], ...]
    features: tuple[str, ...]
    counts: "scipy.sparse.csr_matrix"
    matrix: "scipy.sparse.csr_matrix"
    by: str = "themes"
    selection: str = "all"

    def __len__(self) -> int:
        return len(self.owners)

    def empty(self) -> list[bool]:
        """Per owner, whether its profile is empty (no feature in any of its plans)."""
        import numpy as np

        return (np.diff(self.counts.indptr) == 0).tolist()


def _chosen_plans(chain: list, selection: str) -> list:
    if selection == "all" or not chain:
        return list(chain)
    last = max(p.generation for p in chain)
    return [p for p in chain if p.generation == last]


def owner_profiles(analysis: Any, *, by: Literal["themes", "terms"] = "themes",
                   plans: Literal["all", "latest"] = "all") -> OwnerProfiles:
    """Every owner's profile: its plans' themes or terms, counted and weighted across owners.

    Parameters
    ----------
    analysis : analysis.pipeline.Analysis
        The corpus's analysis (its coded units, or its tokens and stop list, are reused).
    by : {"themes", "terms"}, default "themes"
        ``"themes"``: per theme of the lexicon, the number of text units of the owner's plans
        carrying it; ``"terms"``: per content word and compound term (stop words removed), its
        occurrences in them.
    plans : {"all", "latest"}, default "all"
        Every plan of each owner's chain, or only its latest generation.

    Returns
    -------
    OwnerProfiles
        Built in one pass over the text units (never per pair of owners).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Direction, Goal, Plan
    >>> from analysis.pipeline import analyze
    >>> def plan(i, g, owner, text):
    ...     d = Direction(id=f"O{i}-P{g}-1-1", plan_id=f"O{i}-P{g}", goal_number=1, number=1, title=text)
    ...     return Plan(id=f"O{i}-P{g}", generation=g, title="計画", owner=owner,
    ...                 goals=[Goal(f"O{i}-P{g}", 1, "目標", directions=[d])])
    >>> corpus = Corpus(name="例", plans=[plan(1, 1, "甲市", "見守り活動"), plan(1, 2, "甲市", "防災訓練"),
    ...                                   plan(2, 1, "乙町", "見守りの推進")])
    >>> profiles = owner_profiles(analyze(corpus), plans="latest")
    >>> profiles.owners, profiles.plans
    (('甲市', '乙町'), (('O1-P2',), ('O2-P1',)))
    >>> {f: int(n) for f, n in zip(profiles.features, profiles.counts.toarray()[0]) if n}
    {'災害・防災': 1}
    """
    check_choice("by", by, BY)
    check_choice("plans", plans, PLANS)
    chains = analysis.corpus.chains()
    owners = tuple(chains)
    chosen = [tuple(p.id for p in _chosen_plans(chain, plans)) for chain in chains.values()]
    row_of = {plan_id: row for row, ids in enumerate(chosen) for plan_id in ids}
    if by == "themes":
        counts, features = _theme_counts(analysis, row_of, len(owners))
    else:
        counts, features = _term_counts(analysis, row_of, len(owners))
    return OwnerProfiles(owners=owners, plans=tuple(chosen), features=features, counts=counts,
                         matrix=_weighted(counts), by=by, selection=plans)


def _csr(rows: list[int], columns: list[int], values: list[int], shape: tuple[int, int]):
    import numpy as np
    import scipy.sparse

    matrix = scipy.sparse.csr_matrix(
        (np.asarray(values, dtype=np.int64), (np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))),
        shape=shape)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _theme_counts(analysis: Any, row_of: dict[str, int], n_owners: int):
    """Owners × themes: the number of the owner's text units carrying each theme."""
    coded = analysis.coded
    names = tuple(coded.theme_names)
    column = {name: j for j, name in enumerate(names)}
    rows: list[int] = []
    columns: list[int] = []
    for c in coded.units:
        row = row_of.get(c.unit.plan_id)
        if row is None:
            continue
        for name in c.themes:
            rows.append(row)
            columns.append(column[name])
    return _csr(rows, columns, [1] * len(rows), (n_owners, len(names))), names


def _term_counts(analysis: Any, row_of: dict[str, int], n_owners: int):
    """Owners × terms: occurrences of each content word and compound term in the owner's units."""
    from collections import Counter

    from .terms.columns import shared_features
    from .terms.features import CONTENT_POS, content_ids
    from .terms.stopwords import resolve_stopwords

    tokens = analysis.tokens
    features = shared_features(tokens, resolve_stopwords(analysis.stopwords), content_ids(CONTENT_POS), True)
    per_owner = [Counter() for _ in range(n_owners)]
    for unit, words in zip(tokens.units, features):
        row = row_of.get(unit.plan_id)
        if row is not None:
            per_owner[row].update(words)
    names = tuple(sorted(set().union(*per_owner))) if per_owner else ()
    column = {name: j for j, name in enumerate(names)}
    rows, columns, values = [], [], []
    for row, counter in enumerate(per_owner):
        for word, count in counter.items():
            rows.append(row)
            columns.append(column[word])
            values.append(count)
    return _csr(rows, columns, values, (n_owners, len(names))), names


def _weighted(counts):
    """TF-IDF across owners (smoothed idf, L2-normalised rows); zeros stay zeros."""
    import numpy as np
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    if counts.nnz == 0:
        return scipy.sparse.csr_matrix(counts.shape, dtype=np.float64)
    matrix = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True).fit_transform(counts).tocsr()
    matrix.sort_indices()
    return matrix


def _check_count(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingsError(f"must be a whole number, {minimum} or more, not {value!r}", field=name)
    return value


def _top(similarities, k: int):
    """The columns of the ``k`` largest positive similarities, best first, ties by column."""
    import numpy as np

    positive = int(np.count_nonzero(similarities > 0))
    k = min(k, positive)
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k < len(similarities):
        part = np.argpartition(-similarities, k - 1)[:k]
        candidates = np.flatnonzero(similarities >= similarities[part].min())  # every tie at the k-th
    else:
        candidates = np.flatnonzero(similarities > 0)
    return candidates[np.lexsort((candidates, -similarities[candidates]))][:k]


def _shared(matrix, a: int, b: int, names: tuple[str, ...], limit: int) -> list[str]:
    """The features that weigh most in both rows (largest products of their weights)."""
    import numpy as np

    sa, ea = matrix.indptr[a], matrix.indptr[a + 1]
    sb, eb = matrix.indptr[b], matrix.indptr[b + 1]
    common, ia, ib = np.intersect1d(matrix.indices[sa:ea], matrix.indices[sb:eb], assume_unique=True,
                                    return_indices=True)
    if not len(common) or limit == 0:
        return []
    weight = np.round(matrix.data[sa:ea][ia] * matrix.data[sb:eb][ib], DECIMALS)
    return [names[j] for j in common[np.lexsort((common, -weight))][:limit].tolist()]


def nearest_owners(profiles: OwnerProfiles, *, top: int = 5, chunk: int = 512, shared: int = 5) -> "pd.DataFrame":
    """Each owner's nearest owners by the cosine similarity of their profiles.

    Parameters
    ----------
    profiles : OwnerProfiles
        What :func:`owner_profiles` gives.
    top : int, default 5
        Neighbours per owner (at most; only owners sharing a feature are neighbours).
    chunk : int, default 512
        Owners per block of rows: similarities are computed ``chunk × owners`` at a time.
    shared : int, default 5
        Features named per pair, those weighing most in both (their weights' product).

    Returns
    -------
    pandas.DataFrame
        Columns ``owner``, ``rank`` (from 1), ``neighbour``, ``similarity`` (cosine, 0–1),
        ``shared`` (``、``-joined), owners in profile order, neighbours best first (ties by
        owner order).  An owner is never its own neighbour; an owner with no neighbour (an empty
        profile, or nothing shared with anyone) is one row with ``rank`` <NA>, ``neighbour``
        ``""`` and ``similarity`` NaN.

    Examples
    --------
    >>> import scipy.sparse
    >>> counts = scipy.sparse.csr_matrix([[2, 1, 0], [1, 1, 0], [0, 0, 3], [0, 0, 0]])
    >>> p = OwnerProfiles(("甲", "乙", "丙", "丁"), ((), (), (), ()), ("見守り", "担い手不足", "災害・防災"),
    ...                   counts, _weighted(counts))
    >>> nearest_owners(p, top=2, chunk=2)[["owner", "rank", "neighbour", "shared"]].values.tolist()
    [['甲', 1, '乙', '見守り、担い手不足'], ['乙', 1, '甲', '見守り、担い手不足'], ['丙', <NA>, '', ''], ['丁', <NA>, '', '']]
    """
    import numpy as np
    import pandas as pd

    _check_count("top", top, minimum=1)
    _check_count("chunk", chunk, minimum=1)
    _check_count("shared", shared, minimum=0)
    matrix = profiles.matrix.tocsr()
    matrix.sort_indices()
    n = matrix.shape[0]
    transposed = matrix.T.tocsr()
    records: list[tuple] = []
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        block = np.round((matrix[start:stop] @ transposed).toarray(), DECIMALS)
        block[np.arange(stop - start), np.arange(start, stop)] = -1.0  # never its own neighbour
        for offset, row in enumerate(block):
            a = start + offset
            found = _top(row, top)
            if not len(found):
                records.append((profiles.owners[a], pd.NA, "", np.nan, ""))
            for rank, b in enumerate(found.tolist(), 1):
                records.append((profiles.owners[a], rank, profiles.owners[b], float(row[b]),
                                JOIN.join(_shared(matrix, a, b, profiles.features, shared))))
    frame = pd.DataFrame(records, columns=list(NEAREST_COLUMNS))
    return frame.astype({"rank": "Int64", "similarity": "float64"})
