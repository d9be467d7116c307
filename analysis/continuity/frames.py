"""Tables of the continuity stage: findings, links, the document against the texts, nodes, edges,
and the JSON form of the links and of the settings that made a graph.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..labels import FINDING_STATUS
from .findings import Finding, findings
from .graph import as_graph, content_links, continuity_state, stated_links
from .options import JOIN

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ..corpus import Corpus

FINDING_COLUMNS = ["plans", "kind", "side", "subject", "status", "status_ja", "past", "next", "past_count",
                   "next_count", "past_titles_count", "shared", "evidence_direction", "evidence_sentence",
                   "evidence_line", "group", "basis"]
LINK_COLUMNS = ["from", "to", "kind", "relisted", "line", "score", "shared_terms", "from_title", "to_title"]
AGREEMENT_COLUMNS = ["plans", "past", "past_title", "stated", "content", "best", "best_score",
                     "stated_best_score", "agreement"]
AGREEMENTS = ("agree", "disagree", "stated_only", "content_only", "none")


def findings_frame(graph_or_corpus: "nx.DiGraph | Corpus | list[Finding]", **kwargs: Any) -> "pd.DataFrame":
    """Findings as a DataFrame, one row per finding (columns ``FINDING_COLUMNS``).

    Parameters
    ----------
    graph_or_corpus : list of Finding, networkx.DiGraph or Corpus
        Findings already made, or what :func:`~analysis.continuity.findings` takes (``kwargs``
        passed on).

    Returns
    -------
    pandas.DataFrame
        Lists joined with ``"、"``; the first piece of evidence in its own columns (the rest is
        in the findings' JSON form); ``status_ja`` the Japanese label; ``group`` the members of a
        reorganisation; ``basis`` ``"decision"`` where a decision states the status.
    """
    import pandas as pd

    items = graph_or_corpus if isinstance(graph_or_corpus, list) else findings(graph_or_corpus, **kwargs)
    rows = []
    for f in items:
        first = f.evidence[0] if f.evidence else {"direction": "", "sentence": "", "line": None}
        rows.append({"plans": f.plans, "kind": f.kind, "side": f.side, "subject": f.subject, "status": f.status,
                     "status_ja": FINDING_STATUS[f.status], "past": JOIN.join(f.past),
                     "next": JOIN.join(f.next), "past_count": f.past_count,
                     "next_count": f.next_count, "past_titles_count": f.past_titles_count,
                     "shared": JOIN.join(f.shared), "evidence_direction": first["direction"],
                     "evidence_sentence": first["sentence"], "evidence_line": first["line"] or None,
                     "group": JOIN.join(f.group), "basis": f.basis})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"evidence_line": "Int64"})


def links(graph: "nx.DiGraph") -> list[dict]:
    """Links between directions as the JSON form.

    Parameters
    ----------
    graph : networkx.DiGraph
        A continuity graph (made in memory or read from a file).

    Returns
    -------
    list of dict
        One entry per kind (``stated`` — 再掲 included, with ``relisted`` and ``line`` — and
        ``content``), each with ``score`` and ``shared_terms``.
    """
    out = []
    for source, target, attrs in graph.edges(data=True):
        if attrs.get("kind") != "link":
            continue
        shared = attrs["shared_terms"].split(JOIN) if attrs["shared_terms"] else []
        for kind in ("stated", "content"):
            if attrs[kind]:
                out.append({"from": source, "to": target, "kind": kind, "score": attrs["score"],
                            "shared_terms": shared, "relisted": attrs["relisted"] if kind == "stated" else False,
                            "line": (attrs["line"] or None) if kind == "stated" else None})
    return out


def links_frame(graph_or_corpus: "nx.DiGraph | Corpus", **kwargs: Any) -> "pd.DataFrame":
    """The links (:func:`links`) as a DataFrame with the directions' titles (``LINK_COLUMNS``).

    Parameters
    ----------
    graph_or_corpus : networkx.DiGraph or Corpus
        A continuity graph, or a Corpus (``kwargs`` passed to ``build_continuity_graph``).

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    graph = as_graph(graph_or_corpus, **kwargs)
    rows = [{**link, "shared_terms": JOIN.join(link["shared_terms"]),
             "from_title": graph.nodes[link["from"]]["label"], "to_title": graph.nodes[link["to"]]["label"]}
            for link in links(graph)]
    return pd.DataFrame(rows, columns=LINK_COLUMNS).astype({"line": "Int64"})


def _agreement(stated: list[str], content: list[str], best: str) -> str:
    if stated and content:
        return "agree" if best in stated else "disagree"
    return "stated_only" if stated else ("content_only" if content else "none")


def agreement_frame(graph_or_corpus: "nx.DiGraph | Corpus", **kwargs: Any) -> "pd.DataFrame":
    """Per past direction: what the document states against what the texts say.

    ``agreement``: ``agree`` (the best content link is one the document states), ``disagree``
    (the texts point elsewhere first), ``stated_only`` (no content link reaches the threshold),
    ``content_only`` (the document states nothing), ``none``.  ``content`` lists every content
    link (score ≥ ``min_content_score``); ``best`` is the best-scoring next direction whatever its
    score; ``stated_best_score`` the best score among the stated links.

    Parameters
    ----------
    graph_or_corpus : networkx.DiGraph or Corpus
        A graph made in memory by ``build_continuity_graph``, or a Corpus (``kwargs`` passed on).

    Returns
    -------
    pandas.DataFrame
        Columns ``AGREEMENT_COLUMNS``.
    """
    import pandas as pd

    graph = as_graph(graph_or_corpus, **kwargs)
    state = continuity_state(graph)
    stated = stated_links(state.corpus)
    content = content_links(state.pairs, state.options)
    rows = []
    for p in state.pairs:
        for source in p.past_ids:
            st = [t for t in p.next_ids if (source, t) in stated]
            ct = [t for t in p.next_ids if (source, t) in content]
            ranked = sorted(p.next_ids, key=lambda t: (-p.scores[(source, t)].score, p.next_ids.index(t)))
            best = ranked[0] if ranked else ""
            rows.append({"plans": p.pair.name, "past": source, "past_title": graph.nodes[source]["label"],
                         "stated": JOIN.join(st), "content": JOIN.join(ct), "best": best,
                         "best_score": p.scores[(source, best)].score if best else 0.0,
                         "stated_best_score": max((p.scores[(source, t)].score for t in st), default=math.nan),
                         "agreement": _agreement(st, ct, best)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def nodes_frame(graph: "nx.DiGraph") -> "pd.DataFrame":
    """The graph's nodes as a DataFrame.

    Parameters
    ----------
    graph : networkx.DiGraph

    Returns
    -------
    pandas.DataFrame
        ``id`` then every attribute, sorted (empty where a kind of node lacks it).
    """
    import pandas as pd

    rows = [{"id": node, **attrs} for node, attrs in graph.nodes(data=True)]
    columns = ["id"] + sorted({k for r in rows for k in r} - {"id"})
    return pd.DataFrame(rows, columns=columns)


def edges_frame(graph: "nx.DiGraph") -> "pd.DataFrame":
    """The graph's edges as a DataFrame.

    Parameters
    ----------
    graph : networkx.DiGraph

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` then every attribute, sorted (empty where a kind of edge lacks it).
    """
    import pandas as pd

    rows = [{"source": s, "target": t, **attrs} for s, t, attrs in graph.edges(data=True)]
    columns = ["source", "target"] + sorted({k for r in rows for k in r} - {"source", "target"})
    return pd.DataFrame(rows, columns=columns)


def continuity_settings(graph: "nx.DiGraph") -> dict:
    """The settings that made a graph.

    Parameters
    ----------
    graph : networkx.DiGraph
        Made in memory by ``build_continuity_graph``.

    Returns
    -------
    dict
        Every section, as plain data (``Settings.to_dict()``).
    """
    return continuity_state(graph).settings
