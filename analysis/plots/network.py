"""The co-occurrence network figure and its seeded, component-packed layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .setup import PALETTE, empty_axes, new_figure, sort_key, wrap_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def cooccurrence_network(graph: Any, *, seed: int = 0, top: int = 60) -> "Figure":
    """The co-occurrence network: node size by frequency, colour by community, seeded layout.

    Each connected component keeps its own seeded layout (:func:`packed_layout`), and the figure
    is sized so that labels keep their size whatever the number of nodes.

    Parameters
    ----------
    graph : networkx.Graph or None
        Node attributes used: ``community`` (int), ``frequency`` and ``label`` (optional); edge
        ``weight`` (optional, e.g. Jaccard), as :func:`analysis.textstat.cooccurrence_graph`
        gives.
    seed : int, default 0
        The layout's seed (the same seed, the same figure).
    top : int, default 60
        The most frequent nodes drawn.

    Returns
    -------
    matplotlib Figure
    """
    import networkx as nx
    from matplotlib import patheffects

    title = "共起ネットワーク（色はコミュニティ、円の大きさは出現数）"
    if graph is None or graph.number_of_nodes() == 0:
        return _empty_network(title)

    def weight(node):
        return float(graph.nodes[node].get("frequency", graph.degree(node)) or 0)

    nodes = sorted(graph.nodes, key=lambda n: (-weight(n), str(n)))[:top]
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    sub.add_edges_from(sorted(((u, v, d) for u, v, d in graph.edges(data=True) if u in sub and v in sub),
                              key=lambda e: (str(e[0]), str(e[1]))))
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    if sub.number_of_nodes() == 0:
        return _empty_network(title)
    position = packed_layout(sub, seed=seed)
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    inch = 0.5  # one layout unit, in inches
    span_x = max(xs) - min(xs) + 1.6
    span_y = max(ys) - min(ys) + 1.0
    fig = new_figure(min(10.0, max(6.0, span_x * inch)), min(12.0, max(3.5, span_y * inch + 0.8)))
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_axis_off()
    communities = sorted({graph.nodes[n].get("community", 0) for n in sub}, key=sort_key)
    colour_of = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(communities)}
    for u, v, data in sub.edges(data=True):
        w = float(data.get("weight", 0.3) or 0.3)
        (x1, y1), (x2, y2) = position[u], position[v]
        ax.plot([x1, x2], [y1, y2], color="#999999", linewidth=0.5 + 2.5 * min(w, 1.0), alpha=0.6,
                zorder=1)
    peak = max(weight(n) for n in sub) or 1.0
    for node in sub:
        x, y = position[node]
        size = 60 + 540 * weight(node) / peak
        ax.scatter([x], [y], s=size, color=colour_of[graph.nodes[node].get("community", 0)],
                   alpha=0.8, edgecolors="white", linewidths=0.8, zorder=2)
        label = graph.nodes[node].get("label") or node
        ax.annotate(wrap_label(label, 7, max_lines=2), (x, y), fontsize=8.5, ha="center", va="center",
                    zorder=3, path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    return fig


def _empty_network(title: str) -> "Figure":
    fig = new_figure(8.0, 4.0)
    ax = fig.add_subplot()
    ax.set_title(title)
    empty_axes(ax)
    return fig


def packed_layout(graph: Any, *, seed: int = 0, width: float | None = None) -> dict:
    """A seeded layout that keeps each connected component together.

    Every component is laid out with ``nx.spring_layout(seed=seed)`` and the components are
    packed in rows, largest first, so a network of many small clusters is still readable (one
    spring layout of the whole graph scatters them to the edges).

    Parameters
    ----------
    graph : networkx.Graph
    seed : int, default 0
    width : float, optional
        The row width in layout units (default: from the number of nodes).

    Returns
    -------
    dict
        Node → ``(x, y)``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("見守り", "担い手"), ("連携", "協働")])
    >>> position = packed_layout(g)
    >>> sorted(position) == sorted(g) and packed_layout(g) == position
    True
    """
    import networkx as nx

    components = sorted((sorted(c, key=str) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), str(c[0])))
    total = sum(len(c) for c in components)
    width = width or max(8.0, 3.0 * total ** 0.5)
    position: dict = {}
    x = y = 0.0
    row_height = 0.0
    for nodes in components:
        sub = graph.subgraph(nodes)
        radius = 0.9 * len(nodes) ** 0.5 if len(nodes) > 2 else 0.8
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        elif len(nodes) == 2:  # a pair side by side, labels readable
            local = {nodes[0]: (-radius, 0.0), nodes[1]: (radius, 0.0)}
        else:
            ordered = nx.Graph()
            ordered.add_nodes_from(nodes)
            ordered.add_edges_from(sorted(sub.edges(), key=lambda e: (str(e[0]), str(e[1]))))
            local = nx.spring_layout(ordered, seed=seed, k=2.5 / len(nodes) ** 0.5, iterations=200,
                                     scale=radius, center=(0.0, 0.0))
        size = 2 * radius + 1.6  # room for the labels between components
        height = size if len(nodes) > 2 else 1.2
        if x > 0 and x + size > width:
            x, y = 0.0, y - row_height
            row_height = 0.0
        for node, (px, py) in local.items():
            position[node] = (float(px) + x + size / 2, float(py) + y - height / 2)
        x += size
        row_height = max(row_height, height)
    return position
