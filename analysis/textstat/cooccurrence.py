"""Co-occurrence network of terms (in the spirit of KH Coder's 共起ネットワーク).

Nodes are terms — the candidates of :func:`~analysis.terms.candidates.compound_candidates` (noun compounds
and single nouns, stop words trimmed), keyed by normalized form — counted per context: a
sentence (``unit="sentence"``) or a whole text unit (``unit="unit"``).  Two terms are linked by
the Jaccard coefficient of the sets of contexts they occur in, |A ∩ B| / |A ∪ B|.  Communities
come from networkx's Louvain method with a fixed ``seed``.

>>> from analysis.tokens import Tokens, tokenize
>>> from analysis.units import TextUnit
>>> texts = ["担い手不足とサロン運営が課題。", "担い手不足でサロン運営が停滞。", "見守り活動を行う。"]
>>> units = [TextUnit(f"d{i}:evaluation", "P", 2, 1, f"d{i}", "evaluation", t, i) for i, t in enumerate(texts)]
>>> g = cooccurrence_graph(Tokens(units, [tokenize(t) for t in texts]), min_frequency=2)
>>> sorted(g.edges(data="jaccard"))
[('サロン運営', '担い手不足', 1.0)]
>>> communities(g)
[['サロン運営', '担い手不足']]
>>> cooccurrence_edges_frame(g)[["source", "target", "cooccurrence"]].values.tolist()
[['サロン運営', '担い手不足', 2]]

:func:`cooccurrence_nodes_frame` and :func:`jaccard_matrix` give the tables behind the figure
(its nodes; the Jaccard coefficient of every pair of its terms, weak links too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ..errors import SettingsError, check_choice
from ..terms.columns import column_pass
from ..terms.gc import without_gc
from ..terms.stopwords import StopwordsArg, resolve_stopwords
from ..tokens import Tokens

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

CONTEXTS = ("sentence", "unit")


def _contexts(tokens: Tokens, unit: str, stopwords: frozenset[str]):
    """The sorted candidate keys; per key its frequency (numpy) and spellings (spelling →
    count); per candidate occurrence (numpy, text order) its key's index and its context number
    (a global sentence or unit index)."""
    import numpy as np

    analysis = column_pass(tokens, stopwords)
    counts, key_id, keys, _ = analysis.entries()
    valid = key_id >= 0
    frequency = np.zeros(len(keys), dtype=np.int64)
    np.add.at(frequency, key_id[valid], counts[valid])
    spellings: dict[str, dict[str, int]] = {}
    for entry, count in zip(np.flatnonzero(valid).tolist(), counts[valid].tolist()):
        cand = analysis.table[entry][1]
        spelled = spellings.setdefault(cand[3], {})
        spelled[cand[4]] = spelled.get(cand[4], 0) + count
    run_key = key_id[analysis.code]
    held = run_key >= 0
    place = analysis.run_sent if unit == "sentence" else analysis.run_unit
    return keys, frequency, spellings, run_key[held], place[held]


def _shared_contexts(n_keys: int, selected, occurrence_key, occurrence_place):
    """For the keys ``selected`` (indices into the sorted keys, in that order): how many
    contexts hold each, and the sparse matrix of contexts each pair shares (diagonal: its own)."""
    import numpy as np
    from scipy import sparse

    # one entry per (context, term) held
    missing = len(selected)
    column_of = np.full(n_keys, missing, dtype=np.int64)
    column_of[selected] = np.arange(missing)
    columns = column_of[occurrence_key]
    keep = columns < missing
    pairs = np.unique(occurrence_place[keep] * (missing + 1) + columns[keep])
    rows, cols = pairs // (missing + 1), pairs % (missing + 1)
    n_rows = int(rows.max()) + 1 if len(rows) else 0
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n_rows, missing))
    return np.asarray(matrix.sum(axis=0)).ravel(), (matrix.T @ matrix).tocsr()


@without_gc
def cooccurrence_graph(
    tokens: Tokens,
    *,
    unit: Literal["sentence", "unit"] = "sentence",
    min_frequency: int = 2,
    min_jaccard: float = 0.2,
    top: int | None = 60,
    seed: int = 0,
    stopwords: StopwordsArg = None,
) -> "nx.Graph":
    """The co-occurrence network of the terms.

    Parameters
    ----------
    tokens : Tokens
        The units.
    unit : {"sentence", "unit"}
        The context two terms share: a sentence (default) or a whole text unit.
    min_frequency : int
        Terms occurring fewer times are left out (default 2).
    min_jaccard : float
        The weakest link kept, 0 to 1 (default 0.2).
    top : int or None
        Keep the strongest edges (ties: by shared contexts, then names); ``None``: all.
    seed : int
        The seed of Louvain's method.
    stopwords : None, path or set of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).

    Returns
    -------
    networkx.Graph
        Nodes are terms (attributes ``frequency``: all occurrences, ``contexts``: how many
        contexts hold it, ``label``: the most frequent spelling, ``community``); an edge joins
        two terms sharing a context with Jaccard ≥ ``min_jaccard`` (attributes ``jaccard``,
        ``weight`` (= jaccard), ``cooccurrence``: shared contexts).  Terms left without an edge
        are not drawn.  Communities are Louvain's, numbered 0, 1, … by size (largest first),
        then by their first member in sorted order.  The ``graph`` attribute records the options.
    """
    import networkx as nx
    import numpy as np
    from scipy import sparse

    check_choice("unit", unit, CONTEXTS)
    if min_frequency < 1 or not 0.0 <= min_jaccard <= 1.0 or (top is not None and top < 0):
        raise SettingsError("min_frequency ≥ 1, 0 ≤ min_jaccard ≤ 1 and top ≥ 0 are required",
                            field="cooccurrence")
    stops = resolve_stopwords(stopwords)
    keys, frequency, spellings, occurrence_key, occurrence_place = _contexts(tokens, unit, stops)
    selected = np.flatnonzero(frequency >= min_frequency)
    vocabulary = [keys[i] for i in selected.tolist()]
    index = {k: i for i, k in enumerate(vocabulary)}
    graph = nx.Graph(unit=unit, min_frequency=min_frequency, min_jaccard=min_jaccard,
                     top=-1 if top is None else top, seed=seed)
    if not vocabulary:
        return graph
    counts, shared = _shared_contexts(len(keys), selected, occurrence_key, occurrence_place)
    shared = sparse.triu(shared, k=1).tocoo()
    union = counts[shared.row] + counts[shared.col] - shared.data
    jaccard = shared.data / union
    strong = jaccard >= min_jaccard
    edges = [
        (jac, co, vocabulary[i], vocabulary[j])
        for i, j, co, jac in zip(shared.row[strong].tolist(), shared.col[strong].tolist(),
                                 shared.data[strong].tolist(), jaccard[strong].tolist())
    ]
    edges.sort(key=lambda e: (-e[0], -e[1], e[2], e[3]))
    if top is not None:
        edges = edges[:top]
    nodes = sorted({e[2] for e in edges} | {e[3] for e in edges})
    for key in nodes:
        label = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        graph.add_node(key, label=label, frequency=int(frequency[selected[index[key]]]),
                       contexts=int(counts[index[key]]))
    for jac, co, a, b in sorted(edges, key=lambda e: (e[2], e[3])):
        graph.add_edge(a, b, jaccard=jac, weight=jac, cooccurrence=co)
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
        for number, members in enumerate(ordered):
            for key in members:
                graph.nodes[key]["community"] = number
    return graph


def communities(graph: "nx.Graph") -> list[list[str]]:
    """Members of each community of a co-occurrence graph.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`cooccurrence_graph`.

    Returns
    -------
    list of list of str
        Per community (by community number), its members, most frequent first (ties: by name).
    """
    groups: dict[int, list[str]] = {}
    for node, number in graph.nodes(data="community"):
        groups.setdefault(number, []).append(node)
    return [
        sorted(groups[n], key=lambda k: (-graph.nodes[k].get("frequency", 0), k))
        for n in sorted(groups, key=lambda n: (n is None, n if n is not None else 0))
    ]


def cooccurrence_edges_frame(graph: "nx.Graph") -> "pd.DataFrame":
    """The edges of a co-occurrence graph as a table.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`cooccurrence_graph`.

    Returns
    -------
    pandas.DataFrame
        Columns source, target, jaccard, cooccurrence, community (the community of both ends,
        or empty when they differ); sorted by jaccard (descending), then names.
    """
    import pandas as pd

    rows = []
    for a, b, data in graph.edges(data=True):
        a, b = sorted((a, b))
        ca, cb = graph.nodes[a].get("community"), graph.nodes[b].get("community")
        rows.append((a, b, data["jaccard"], data["cooccurrence"], ca if ca == cb else None))
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    frame = pd.DataFrame(rows, columns=["source", "target", "jaccard", "cooccurrence", "community"])
    return frame.astype({"community": "Int64"})


def cooccurrence_nodes_frame(graph: "nx.Graph") -> "pd.DataFrame":
    """The nodes of a co-occurrence graph as a table.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`cooccurrence_graph`.

    Returns
    -------
    pandas.DataFrame
        Columns term (the node: the normalized form), label (its most frequent spelling),
        frequency, contexts, degree and community; most frequent first (ties: by term).
    """
    import pandas as pd

    rows = [(node, data.get("label", node), data.get("frequency"), data.get("contexts"), graph.degree(node),
             data.get("community")) for node, data in graph.nodes(data=True)]
    rows.sort(key=lambda r: (-(r[2] or 0), r[0]))
    frame = pd.DataFrame(rows, columns=["term", "label", "frequency", "contexts", "degree", "community"])
    return frame.astype({"frequency": "Int64", "contexts": "Int64", "community": "Int64"})


@without_gc
def jaccard_matrix(tokens: Tokens, terms: "list[str]", *, unit: Literal["sentence", "unit"] = "sentence",
                   stopwords: StopwordsArg = None) -> "pd.DataFrame":
    """The Jaccard coefficient of every pair of ``terms``, weak or strong (the network keeps only
    the strong links; this is the whole matrix behind it).

    Parameters
    ----------
    tokens : Tokens
    terms : list of str
        Term keys (normalized forms, the nodes of :func:`cooccurrence_graph`); the matrix keeps
        their order.  A term that never occurs has 0 everywhere, its diagonal too.
    unit : {"sentence", "unit"}
        The context, as in :func:`cooccurrence_graph`.
    stopwords : None, path or set of str

    Returns
    -------
    pandas.DataFrame
        Square, indexed and labelled by ``terms``; 1 on the diagonal of every term that occurs.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> texts = ["担い手不足とサロン運営が課題。", "担い手不足で見守り活動が停滞。"]
    >>> units = [TextUnit(f"d{i}:evaluation", "P", 2, 1, f"d{i}", "evaluation", t, i) for i, t in enumerate(texts)]
    >>> m = jaccard_matrix(Tokens(units, [tokenize(t) for t in texts]), ["担い手不足", "サロン運営", "見守り活動"])
    >>> m.round(2).values.tolist()
    [[1.0, 0.5, 0.5], [0.5, 1.0, 0.0], [0.5, 0.0, 1.0]]
    """
    import numpy as np
    import pandas as pd

    check_choice("unit", unit, CONTEXTS)
    keys, _, _, occurrence_key, occurrence_place = _contexts(tokens, unit, resolve_stopwords(stopwords))
    position = {k: i for i, k in enumerate(keys)}
    found = [t for t in dict.fromkeys(terms) if t in position]
    values = np.zeros((len(terms), len(terms)))
    if found:
        counts, shared = _shared_contexts(len(keys), np.array([position[t] for t in found], dtype=np.int64),
                                          occurrence_key, occurrence_place)
        shared = shared.toarray()
        union = counts[:, None] + counts[None, :] - shared
        inner = np.divide(shared, union, out=np.zeros_like(shared, dtype=float), where=union > 0)
        at = {t: i for i, t in enumerate(found)}
        rows = np.array([at.get(t, -1) for t in terms], dtype=np.int64)
        held = rows >= 0
        values[np.ix_(held, held)] = inner[np.ix_(rows[held], rows[held])]
    return pd.DataFrame(values, index=pd.Index(list(terms), name="term"), columns=list(terms))
