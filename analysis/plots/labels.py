"""Label placement without overlaps: measured label boxes, offset candidates tried in turn, and a
layout that spreads until every label finds a free place.

Labels are placed in physical units (inches), where their size is known: :func:`text_sizes`
measures each text with the figure's renderer.  :func:`place_labels` puts the labels one by one,
the most important first, at the first of a fixed list of positions around their point
(:func:`candidate_offsets`: right, left, above, below, the corners, then farther out; each ring
tried from the side where the point has room, :func:`toward`) whose box meets no label placed so
far and no other point's marker, and is not nearer another point than its own (so it reads as
that point's label).  :func:`spread_until_placed` scales the layout up step by step until every
label has found a place.  Everything is deterministic: no
random numbers, a fixed candidate order, ties broken by the order the caller gives.

>>> place_labels([(0.0, 0.0), (0.1, 0.0)], [(0.5, 0.2), (0.5, 0.2)], radii=[0.05, 0.05]) is None
False
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def candidate_offsets(width: float, height: float, radius: float, *, gap: float = 0.02,
                      rings: int = 3) -> list[tuple[float, float]]:
    """Where a label's centre may go, relative to its point, in the order they are tried.

    The first ring touches the marker: right, left, above, below, then the four corners; each
    next ring is one label height (for above / below) or half a label width (for the sides)
    farther out.

    Parameters
    ----------
    width, height : float
        The label's box.
    radius : float
        The marker's radius.
    gap : float, default 0.02
        Space between marker and label.
    rings : int, default 3

    Returns
    -------
    list of (dx, dy)

    Examples
    --------
    >>> candidate_offsets(1.0, 0.2, 0.1, gap=0.0, rings=1)[:4]
    [(0.6, 0.0), (-0.6, 0.0), (0.0, 0.2), (0.0, -0.2)]
    """
    out: list[tuple[float, float]] = []
    for ring in range(rings):
        side = radius + gap + width / 2 + ring * width / 2
        vertical = radius + gap + height / 2 + ring * height
        corner_x = radius * 0.7 + gap + width / 2 + ring * width / 2
        corner_y = radius * 0.7 + gap + height / 2 + ring * height
        out += [(side, 0.0), (-side, 0.0), (0.0, vertical), (0.0, -vertical),
                (corner_x, corner_y), (-corner_x, corner_y), (corner_x, -corner_y), (-corner_x, -corner_y)]
    return [(round(dx, 9), round(dy, 9)) for dx, dy in out]


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes ``(x0, y0, x1, y1)`` share more than an edge.

    Examples
    --------
    >>> boxes_overlap((0, 0, 1, 1), (0.5, 0.5, 2, 2)), boxes_overlap((0, 0, 1, 1), (1, 0, 2, 1))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def toward(offsets: list[tuple[float, float]], direction: tuple[float, float] | None,
           per_ring: int = 8) -> list[tuple[float, float]]:
    """``offsets`` with each ring (of ``per_ring``) reordered to try ``direction`` first.

    Parameters
    ----------
    offsets : list of (dx, dy)
        From :func:`candidate_offsets`.
    direction : (x, y) or None
        Where there is room (e.g. away from a node's neighbours); None or (0, 0) keeps the order.
    per_ring : int, default 8

    Returns
    -------
    list of (dx, dy)

    Examples
    --------
    >>> toward([(1, 0), (-1, 0), (0, 1), (0, -1)], (-1.0, 0.0), per_ring=4)
    [(-1, 0), (0, 1), (0, -1), (1, 0)]
    """
    if direction is None or direction == (0.0, 0.0) or direction == (0, 0):
        return offsets
    ux, uy = direction
    out = []
    for start in range(0, len(offsets), per_ring):
        ring = offsets[start:start + per_ring]
        out += sorted(ring, key=lambda o: -round((o[0] * ux + o[1] * uy) / max((o[0] ** 2 + o[1] ** 2) ** 0.5, 1e-12),
                                                6))
    return out


def place_labels(points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], *,
                 radii: Sequence[float] | None = None, gap: float = 0.02, rings: int = 3,
                 prefer: Sequence[tuple[float, float] | None] | None = None,
                 nearest_own: bool = True) -> list[Box] | None:
    """Boxes for the labels of ``points``, none overlapping another or another point's marker.

    Labels are placed in the order given (put the most important first), each at its first free
    candidate (:func:`candidate_offsets`, :func:`toward`).

    Parameters
    ----------
    points : sequence of (x, y)
        The labelled points (inches).
    sizes : sequence of (width, height)
        Each label's box (inches), e.g. from :func:`text_sizes`.
    radii : sequence of float, optional
        Each point's marker radius (default 0).
    gap : float, default 0.02
        The least space between two boxes, and between a box and a marker.
    rings : int, default 3
        How far from its point a label may go (see :func:`candidate_offsets`).
    prefer : sequence of (x, y) or None, optional
        Per point, the direction its label tries first within each ring (:func:`toward`).
    nearest_own : bool, default True
        Refuse a place nearer to another point's marker than to the label's own, so every
        label reads as belonging to its point.

    Returns
    -------
    list of (x0, y0, x1, y1) or None
        One box per point, in the order of ``points``; None when some label found no free place
        (spread the points and try again: :func:`spread_until_placed`).

    Examples
    --------
    The first label would cover the second point on its right, so it goes left:

    >>> boxes = place_labels([(0, 0), (0.3, 0)], [(0.4, 0.2), (0.4, 0.2)], gap=0.0)
    >>> [tuple(round(v, 2) for v in b) for b in boxes]
    [(-0.4, -0.1, 0.0, 0.1), (0.3, -0.1, 0.7, 0.1)]
    """
    radii = list(radii) if radii is not None else [0.0] * len(points)
    half = gap / 2
    markers = [(x - r - half, y - r - half, x + r + half, y + r + half) for (x, y), r in zip(points, radii)]
    prefer = list(prefer) if prefer is not None else [None] * len(points)
    placed: list[Box] = []
    for i, ((x, y), (w, h), r) in enumerate(zip(points, sizes, radii)):
        for dx, dy in toward(candidate_offsets(w, h, r, gap=gap, rings=rings), prefer[i]):
            box = (x + dx - w / 2 - half, y + dy - h / 2 - half, x + dx + w / 2 + half, y + dy + h / 2 + half)
            if any(boxes_overlap(box, other) for other in placed):
                continue
            if any(j != i and boxes_overlap(box, m) for j, m in enumerate(markers)):
                continue
            if nearest_own and _nearer_to_another(box, i, points, radii):
                continue
            placed.append(box)
            break
        else:
            return None
    return [(b[0] + half, b[1] + half, b[2] - half, b[3] - half) for b in placed]


def _nearer_to_another(box: Box, i: int, points, radii) -> bool:
    """Whether some other marker's edge is nearer to ``box`` than point ``i``'s own."""
    def distance(j):
        x, y = points[j]
        dx = max(box[0] - x, 0.0, x - box[2])
        dy = max(box[1] - y, 0.0, y - box[3])
        return (dx * dx + dy * dy) ** 0.5 - radii[j]

    own = distance(i)
    return any(j != i and distance(j) < own for j in range(len(points)))


def spread_until_placed(points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], *,
                        radii: Sequence[float] | None = None, scale: float = 0.4, step: float = 1.1,
                        max_scale: float = 12.0, gap: float = 0.02,
                        prefer: Sequence[tuple[float, float] | None] | None = None) -> tuple[float, list[Box]]:
    """The smallest scale (from ``scale``, growing by ``step``) at which every label has a place.

    Parameters
    ----------
    points : sequence of (x, y)
        In layout units.
    sizes : sequence of (width, height)
        In inches.
    radii : sequence of float, optional
        In inches.
    scale : float, default 0.4
        Inches per layout unit to try first.
    step : float, default 1.1
    max_scale : float, default 12.0
        Beyond it labels are centred on their points as a last resort (points that coincide).
    gap : float, default 0.02
    prefer : sequence of (x, y) or None, optional
        See :func:`place_labels`.

    Returns
    -------
    (float, list of boxes)
        The scale used and the label boxes (inches, at that scale).

    Examples
    --------
    Sixteen points 0.1 apart with labels 0.6 wide need the layout about 4.8 times larger:

    >>> points = [(x / 10, y / 10) for x in range(4) for y in range(4)]
    >>> s, boxes = spread_until_placed(points, [(0.6, 0.2)] * 16)
    >>> round(s, 2), any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    (4.77, False)
    """
    while True:
        scaled = [(x * scale, y * scale) for x, y in points]
        boxes = place_labels(scaled, sizes, radii=radii, gap=gap, prefer=prefer)
        if boxes is not None:
            return scale, boxes
        if scale * step > max_scale:
            return scale, [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(scaled, sizes)]
        scale *= step


def text_sizes(texts: Sequence[str], *, fontsize: float, pad: float = 0.03,
               fig: "Figure | None" = None) -> list[tuple[float, float]]:
    """Each text's box in inches as the figure's renderer draws it (IPAexGothic), plus ``pad``.

    Parameters
    ----------
    texts : sequence of str
        May hold line breaks.
    fontsize : float
        Points.
    pad : float, default 0.03
        Added to width and height (room for a white outline around the glyphs).
    fig : matplotlib Figure, optional
        The figure to measure with (default: a new one).

    Returns
    -------
    list of (width, height)
    """
    from matplotlib.backends.backend_agg import RendererAgg

    from .setup import new_figure

    fig = fig or new_figure(2.0, 2.0)
    renderer = RendererAgg(int(fig.bbox.width), int(fig.bbox.height), fig.dpi)
    out = []
    for text in texts:
        artist = fig.text(0, 0, text, fontsize=fontsize, ha="center", va="center", linespacing=1.1)
        extent = artist.get_window_extent(renderer=renderer)
        artist.remove()
        out.append((extent.width / fig.dpi + pad, extent.height / fig.dpi + pad))
    return out
