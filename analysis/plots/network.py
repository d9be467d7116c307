"""The co-occurrence network figure: seeded layouts packed by component, labels that never
overlap, and the rules that made the network stated on the figure.

Node area is the term's frequency, edge width its Jaccard coefficient, colour its community
(the community numbers of :func:`analysis.textstat.cooccurrence_graph`, so the figure's colours
match the ``community`` column of the exported tables).  Labels are placed by
:mod:`.labels` in inches: each component's layout is spread until every label has a free place,
and the figure is sized to hold them all.  :func:`packed_layout` is the same seeded layout in
layout units, for drawings of one's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .labels import spread_until_placed, text_sizes
from .setup import NEUTRAL_COLOUR, PALETTE, empty_axes, new_figure, wrap_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TITLE = "共起ネットワーク"
CONTEXT_LABEL = {"sentence": "文", "unit": "テキスト単位"}
LABEL_SIZE = 8.5  # points
CAPTION_SIZE = 8.0
TITLE_SIZE = 12.0
MARGIN = 0.15  # inches around the drawing


def network_caption(graph: Any, *, nodes: int, edges: int, node_limit: int | None = None) -> list[str]:
    """The lines under the network saying which terms and links it shows.

    Parameters
    ----------
    graph : networkx.Graph
        Its ``graph`` attributes ``min_jaccard``, ``top`` (-1: all), ``min_frequency``, ``unit``
        and ``seed`` (as :func:`analysis.textstat.cooccurrence_graph` records them) are stated
        when present.
    nodes, edges : int
        How many terms and links the figure draws.
    node_limit : int, optional
        The most frequent terms drawn, when that cut some.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(unit="sentence", min_frequency=2, min_jaccard=0.2, top=60, seed=0)
    >>> network_caption(g, nodes=45, edges=60)[0]
    'Jaccard 0.20 以上の上位 60 本、出現 2 回以上の語、共起の単位: 文'
    >>> network_caption(nx.Graph(top=-1, min_jaccard=0.1, unit="unit"), nodes=3, edges=2, node_limit=3)[:2]
    ['Jaccard 0.10 以上のすべての線、共起の単位: テキスト単位', '表示: 語 3・線 2 本（出現数の多い 3 語まで）']
    """
    options = graph.graph
    rule = []
    if "min_jaccard" in options:
        top = options.get("top", -1)
        rule.append(f"Jaccard {float(options['min_jaccard']):.2f} 以上の"
                    + (f"上位 {int(top)} 本" if top is not None and int(top) >= 0 else "すべての線"))
    if "min_frequency" in options:
        rule.append(f"出現 {int(options['min_frequency'])} 回以上の語")
    if "unit" in options:
        rule.append(f"共起の単位: {CONTEXT_LABEL.get(options['unit'], options['unit'])}")
    lines = ["、".join(rule)] if rule else []
    lines.append(f"表示: 語 {nodes}・線 {edges} 本" + (f"（出現数の多い {node_limit} 語まで）" if node_limit else ""))
    seed = f"、seed {options['seed']}" if "seed" in options else ""
    lines.append(f"円の面積は出現数、線の太さは Jaccard 係数、色はコミュニティ（Louvain 法{seed}）")
    return lines


def cooccurrence_network(graph: Any, *, seed: int = 0, top: int = 60) -> "Figure":
    """The co-occurrence network: node area by frequency, edge width by Jaccard, colour by
    community, labels that do not overlap, and its rules stated under it.

    Each connected component gets its own seeded spring layout, spread only as far as its labels
    need to find a place of their own (:func:`.labels.spread_until_placed`); the components are
    then packed in rows, largest first, and the figure is sized to what it holds, so labels keep
    their size whatever the number of nodes and none is cut by the figure's edge.

    Parameters
    ----------
    graph : networkx.Graph or None
        Node attributes used: ``community`` (int), ``frequency`` and ``label`` (optional); edge
        ``jaccard`` or ``weight`` (optional); graph attributes: the options stated in the caption
        (:func:`network_caption`).  :func:`analysis.textstat.cooccurrence_graph` gives all of them:
        choose the minimum frequency, the number of edges and the unit of co-occurrence there.
    seed : int, default 0
        The layout's seed (the same seed, the same figure).
    top : int, default 60
        The most frequent nodes drawn.

    Returns
    -------
    matplotlib Figure
        Its axes span the figure in inches (data units); the node labels are the axes' texts,
        the title and caption the figure's.
    """
    import networkx as nx

    if graph is None or graph.number_of_nodes() == 0:
        return _empty_network()

    def weight(node):
        return float(graph.nodes[node].get("frequency", graph.degree(node)) or 0)

    ranked = sorted(graph.nodes, key=lambda n: (-weight(n), str(n)))
    nodes = ranked[:top]
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    sub.add_edges_from(sorted(((u, v, d) for u, v, d in graph.edges(data=True) if u in sub and v in sub),
                              key=lambda e: (str(e[0]), str(e[1]))))
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    if sub.number_of_nodes() == 0:
        return _empty_network()
    labels = {n: _node_label(graph.nodes[n].get("label") or n) for n in sub}
    order = [n for n in ranked if n in sub]  # labels of frequent terms placed first
    sizes = dict(zip(order, text_sizes([labels[n] for n in order], fontsize=LABEL_SIZE)))
    peak = max(weight(n) for n in order) or 1.0
    marker = {n: 40 + 460 * weight(n) / peak for n in order}  # area in points², ∝ frequency
    radius = {n: marker[n] ** 0.5 / 2 / 72 for n in order}  # inches
    pieces = [_placed_component(sub, [n for n in order if n in members], sizes, radius, seed=seed)
              for members in _components(sub)]

    caption = network_caption(graph, nodes=sub.number_of_nodes(), edges=sub.number_of_edges(),
                              node_limit=top if len(ranked) > top else None)
    (title_w, title_h), (caption_w, caption_h) = (
        *text_sizes([TITLE], fontsize=TITLE_SIZE, pad=0.0), *text_sizes(["\n".join(caption)], fontsize=CAPTION_SIZE,
                                                                       pad=0.0))
    point, box, (content_w, content_h) = _pack(pieces, min_width=max(title_w, caption_w))
    width = max(content_w, title_w, caption_w) + 2 * MARGIN
    height = content_h + title_h + caption_h + 4 * MARGIN
    dx, dy = (width - content_w) / 2, caption_h + 2 * MARGIN

    fig = new_figure(width, height, layout="none")
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0.0, width)
    ax.set_ylim(0.0, height)
    fig.text(0.5, 1 - MARGIN / height, TITLE, fontsize=TITLE_SIZE, ha="center", va="top")
    fig.text(MARGIN / width, MARGIN / height, "\n".join(caption), fontsize=CAPTION_SIZE, ha="left", va="bottom",
             color=NEUTRAL_COLOUR, linespacing=1.1)
    _draw_network(ax, graph, sub, order, {n: (point[n][0] + dx, point[n][1] + dy) for n in order},
                  [(box[n][0] + dx, box[n][1] + dy, box[n][2] + dx, box[n][3] + dy) for n in order],
                  [labels[n] for n in order], marker, [radius[n] for n in order])
    return fig


def _node_label(text: Any) -> str:
    r"""A term as its label: one line up to 8 characters, else two balanced lines (at most 10
    characters each, then cut with …).

    >>> _node_label("見守りネットワーク"), _node_label("連携")
    ('見守りネッ\nトワーク', '連携')
    """
    length = len(str(text))
    return wrap_label(text, 8 if length <= 8 else min(-(-length // 2), 10), max_lines=2)


def _components(graph) -> list[list]:
    """The connected components, largest first (ties: by their first node), nodes sorted."""
    import networkx as nx

    return sorted((sorted(c, key=str) for c in nx.connected_components(graph)), key=lambda c: (-len(c), str(c[0])))


def _placed_component(graph, order: list, sizes: dict, radius: dict, *, seed: int):
    """One component laid out (seeded) and spread until its labels fit: node → point, node →
    label box, and the bounding box of both (inches)."""
    local = _component_layout(graph, sorted(order, key=str), seed=seed)
    scale, boxes = spread_until_placed([local[n] for n in order], [sizes[n] for n in order],
                                       radii=[radius[n] for n in order],
                                       prefer=[_away(graph, local, n) for n in order])
    point = {n: (local[n][0] * scale, local[n][1] * scale) for n in order}
    box = dict(zip(order, boxes))
    bounds = (min([b[0] for b in boxes] + [point[n][0] - radius[n] for n in order]),
              min([b[1] for b in boxes] + [point[n][1] - radius[n] for n in order]),
              max([b[2] for b in boxes] + [point[n][0] + radius[n] for n in order]),
              max([b[3] for b in boxes] + [point[n][1] + radius[n] for n in order]))
    return point, box, bounds


def _pack(pieces, *, min_width: float, gap: float = 0.3):
    """Components in rows (in the order given), each row at most about as wide as a 4:3 drawing
    of their total area: every node's point and label box moved into place, and the size."""
    area = sum((b[2] - b[0] + gap) * (b[3] - b[1] + gap) for _, _, b in pieces)
    widest = max(b[2] - b[0] for _, _, b in pieces)
    limit = max(widest, min_width, (area * 4 / 3) ** 0.5 * 1.1)
    rows: list[list] = [[]]
    used = 0.0
    for piece in pieces:
        w = piece[2][2] - piece[2][0]
        if rows[-1] and used + gap + w > limit:
            rows.append([])
            used = 0.0
        used += (gap if rows[-1] else 0.0) + w
        rows[-1].append(piece)
    point, box = {}, {}
    heights = [max(p[2][3] - p[2][1] for p in row) for row in rows]
    y = sum(heights) + gap * (len(rows) - 1)
    content_w = 0.0
    for row, row_h in zip(rows, heights):
        x = 0.0
        y -= row_h
        for piece_point, piece_box, (x0, y0, x1, y1) in row:
            ox, oy = x - x0, y + (row_h - (y1 - y0)) / 2 - y0
            for n, (px, py) in piece_point.items():
                point[n] = (px + ox, py + oy)
                b = piece_box[n]
                box[n] = (b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy)
            x += (x1 - x0) + gap
        content_w = max(content_w, x - gap)
        y -= gap
    return point, box, (content_w, sum(heights) + gap * (len(rows) - 1))


def _away(graph, layout: dict, node) -> tuple[float, float]:
    """The direction from the mean of ``node``'s neighbours to ``node`` (where its label has room)."""
    neighbours = sorted(graph[node], key=str)
    x, y = layout[node]
    mx = sum(layout[m][0] for m in neighbours) / len(neighbours)
    my = sum(layout[m][1] for m in neighbours) / len(neighbours)
    return (round(x - mx, 9), round(y - my, 9))


def _draw_network(ax, graph, sub, order, point, boxes, labels, marker, radii) -> None:
    """Edges, markers, leader lines and labels at the positions found (inches)."""
    from matplotlib import patheffects

    for u, v, data in sub.edges(data=True):
        w = data.get("jaccard", data.get("weight", 0.3))
        w = 0.3 if w is None else float(w)
        (xa, ya), (xb, yb) = point[u], point[v]
        ax.plot([xa, xb], [ya, yb], color="#999999", linewidth=0.4 + 3.0 * min(max(w, 0.0), 1.0),
                alpha=0.6, zorder=1, solid_capstyle="round")
    for node, box, label, radius in zip(order, boxes, labels, radii):
        x, y = point[node]
        community = graph.nodes[node].get("community")
        colour = PALETTE[int(community) % len(PALETTE)] if community is not None else NEUTRAL_COLOUR
        ax.scatter([x], [y], s=marker[node], color=colour, alpha=0.85, edgecolors="white", linewidths=0.8,
                   zorder=2)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
        if ((nearest_x - x) ** 2 + (nearest_y - y) ** 2) ** 0.5 > radius + 0.08:  # a label set apart
            ax.plot([x, nearest_x], [y, nearest_y], color=colour, linewidth=0.6, alpha=0.8, zorder=1.5)
        ax.text(cx, cy, label, fontsize=LABEL_SIZE, ha="center", va="center", linespacing=1.1, zorder=3,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])


def _empty_network() -> "Figure":
    fig = new_figure(8.0, 4.0)
    ax = fig.add_subplot()
    ax.set_title(TITLE)
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
    components = _components(graph)
    total = sum(len(c) for c in components)
    width = width or max(8.0, 3.0 * total ** 0.5)
    position: dict = {}
    x = y = 0.0
    row_height = 0.0
    for nodes in components:
        radius = _component_radius(len(nodes))
        local = _component_layout(graph, nodes, seed=seed)
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


def _component_radius(n: int) -> float:
    return 0.9 * n ** 0.5 if n > 2 else 0.8


def _component_layout(graph: Any, nodes: list, *, seed: int) -> dict:
    """One connected component's seeded layout around (0, 0), in layout units."""
    import networkx as nx

    radius = _component_radius(len(nodes))
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:  # a pair side by side, labels readable
        return {nodes[0]: (-radius, 0.0), nodes[1]: (radius, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(graph.subgraph(nodes).edges(), key=lambda e: (str(e[0]), str(e[1]))))
    local = nx.spring_layout(ordered, seed=seed, k=2.5 / len(nodes) ** 0.5, iterations=200, scale=radius,
                             center=(0.0, 0.0))
    return {n: (float(p[0]), float(p[1])) for n, p in local.items()}
