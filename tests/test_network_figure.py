"""The co-occurrence network figure reads well: no label overlaps another or is cut by the
figure's edge (measured with the renderer), node area follows frequency, edge width Jaccard,
the rules that chose terms and links are written on the figure; label placement on its own."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from analysis import plots
from analysis.plots.labels import boxes_overlap, candidate_offsets, place_labels, spread_until_placed

HEADS = ["地域", "福祉", "見守り", "相談", "担い手", "権利擁護", "生活支援", "災害", "子育て"]
TAILS = ["活動", "体制", "窓口", "コーディネーター", "ネットワーク", "推進", "支援", "会議"]


def synthetic(graph: nx.Graph, seed: int = 0) -> nx.Graph:
    """``graph`` relabelled with Japanese terms, with frequency, Jaccard and Louvain communities."""
    rng = random.Random(seed)
    names = [h + t for h in HEADS for t in TAILS]
    out = nx.Graph(unit="sentence", min_frequency=2, min_jaccard=0.2, top=graph.number_of_edges(), seed=seed)
    for i in sorted(graph):
        out.add_node(names[i], label=names[i], frequency=2 + (i * 7) % 13)
    for a, b in sorted(graph.edges()):
        j = round(0.2 + 0.8 * rng.random(), 3)
        out.add_edge(names[a], names[b], jaccard=j, weight=j, cooccurrence=2)
    for number, members in enumerate(sorted((sorted(c) for c in nx.community.louvain_communities(out, seed=seed)),
                                            key=lambda c: (-len(c), c[0]))):
        for node in members:
            out.nodes[node]["community"] = number
    return out


@pytest.fixture(scope="module")
def bundled_graph():
    from analysis.corpus_io import load_corpus
    from analysis.textstat import cooccurrence_graph
    from analysis.tokens import tokenize_corpus

    return cooccurrence_graph(tokenize_corpus(load_corpus()))


def drawn_texts(fig):
    """(text, window extent) of every visible text, after a real draw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]


def assert_readable(fig):
    texts = drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in texts:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, f"{text!r} is clipped"
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            assert not boxes_overlap(box_a.extents, box_b.extents), f"{a!r} overlaps {b!r}"
    return texts


GRAPHS = {
    "sparse": lambda: synthetic(nx.gnm_random_graph(30, 35, seed=1)),
    "dense": lambda: synthetic(nx.gnm_random_graph(45, 160, seed=3)),
    "clique": lambda: synthetic(nx.complete_graph(18)),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_synthetic_network_labels_neither_overlap_nor_are_clipped(name):
    graph = GRAPHS[name]()
    fig = plots.cooccurrence_network(graph)
    assert_readable(fig)
    ax = fig.axes[0]
    linked = sorted(n for n in graph if graph.degree(n))  # a term without a link is not drawn
    assert sorted(t.get_text().replace("\n", "") for t in ax.texts) == linked  # each labelled once


def test_bundled_network_labels_neither_overlap_nor_are_clipped(bundled_graph):
    fig = plots.cooccurrence_network(bundled_graph, top=60)
    texts = assert_readable(fig)
    drawn = "".join(t for t, _ in texts).replace("\n", "")
    # the largest cluster whose labels used to overlap
    for word in ("身近", "資質", "相談窓口", "会議"):
        assert word in drawn


def test_labels_are_off_other_markers_and_nearest_their_own():
    graph = GRAPHS["dense"]()
    fig = plots.cooccurrence_network(graph)
    ax = fig.axes[0]
    texts, _ = ax.texts, drawn_texts(fig)
    points = [tuple(c.get_offsets()[0]) for c in ax.collections]
    assert len(points) == len(texts)
    inv = ax.transData.inverted()
    for i, text in enumerate(texts):
        x0, y0, x1, y1 = inv.transform_bbox(text.get_window_extent()).extents

        def gap(p):
            return (max(x0 - p[0], 0, p[0] - x1) ** 2 + max(y0 - p[1], 0, p[1] - y1) ** 2) ** 0.5

        assert gap(points[i]) > 0
        assert all(gap(points[i]) <= gap(p) + 0.16 for j, p in enumerate(points) if j != i)


def test_node_area_follows_frequency_and_edge_width_jaccard():
    graph = GRAPHS["sparse"]()
    ax = plots.cooccurrence_network(graph).axes[0]
    size = {t.get_text().replace("\n", ""): c.get_sizes()[0] for t, c in zip(ax.texts, ax.collections)}
    drawn = [n for n in graph if n in size]
    by_frequency = sorted(drawn, key=lambda n: graph.nodes[n]["frequency"])
    assert [size[n] for n in by_frequency] == sorted(size[n] for n in by_frequency)
    low = min(drawn, key=lambda n: graph.nodes[n]["frequency"])
    high = max(drawn, key=lambda n: graph.nodes[n]["frequency"])
    assert size[high] > 2 * size[low]
    edge_widths = sorted(line.get_linewidth() for line in ax.lines if line.get_color() == "#999999")
    jaccards = sorted(d["jaccard"] for *_, d in graph.edges(data=True))
    assert len(edge_widths) == len(jaccards)
    assert edge_widths == pytest.approx([0.4 + 3.0 * j for j in jaccards])


@pytest.mark.parametrize("options, expected", [
    ({}, "Jaccard 0.20 以上の上位 60 本、出現 2 回以上の語、共起の単位: 文"),
    ({"unit": "unit", "top": None, "min_frequency": 3, "min_jaccard": 0.3},
     "Jaccard 0.30 以上のすべての線、出現 3 回以上の語、共起の単位: テキスト単位"),
    ({"top": 5, "min_jaccard": 0.25}, "Jaccard 0.25 以上の上位 5 本、出現 2 回以上の語、共起の単位: 文"),
])
def test_the_rules_are_written_on_the_figure(options, expected):
    from analysis.corpus_io import load_corpus
    from analysis.textstat import cooccurrence_graph
    from analysis.tokens import tokenize_corpus

    graph = cooccurrence_graph(tokenize_corpus(load_corpus()), **options)
    fig = plots.cooccurrence_network(graph)
    caption = [t.get_text() for t in fig.texts if "Jaccard" in t.get_text()]
    assert len(caption) == 1 and caption[0].split("\n")[0] == expected
    shown = f"表示: 語 {len(fig.axes[0].texts)}・線 "
    assert shown in caption[0]
    assert_readable(fig)


def test_the_node_limit_is_stated_when_it_cuts(bundled_graph):
    few = plots.cooccurrence_network(bundled_graph, top=10)
    assert "出現数の多い 10 語まで" in "\n".join(t.get_text() for t in few.texts)
    everything = plots.cooccurrence_network(bundled_graph, top=10_000)
    assert "語まで" not in "\n".join(t.get_text() for t in everything.texts)


def test_network_figure_is_deterministic():
    make = GRAPHS["dense"]
    assert plots.figure_svg(plots.cooccurrence_network(make())) == plots.figure_svg(plots.cooccurrence_network(make()))


# -- label placement on its own ------------------------------------------------------------------

def test_candidates_start_beside_the_marker_and_move_out():
    offsets = candidate_offsets(1.0, 0.2, 0.1, gap=0.0, rings=2)
    assert offsets[:4] == [(0.6, 0.0), (-0.6, 0.0), (0.0, 0.2), (0.0, -0.2)]
    assert offsets[8] == (1.1, 0.0)  # second ring: half a label width farther
    assert len(set(offsets)) == len(offsets) == 16


RING = [(round(0.3 * math.cos(k * math.pi / 4), 6), round(0.3 * math.sin(k * math.pi / 4), 6)) for k in range(8)]


@pytest.mark.parametrize("points, sizes, ok", [
    ([(0, 0)], [(0.5, 0.2)], True),
    ([(0, 0), (0.05, 0)], [(0.5, 0.2), (0.5, 0.2)], True),  # one goes left, the other right
    ([(0, 0)] * 3, [(0.5, 0.2)] * 3, True),  # one point thrice: three different places
    # a long label amid eight close neighbours: every place is nearer to one of them
    ([(0, 0)] + RING, [(2.0, 0.2)] + [(0.1, 0.1)] * 8, False),
])
def test_place_labels_finds_free_places_or_says_none(points, sizes, ok):
    boxes = place_labels(points, sizes, radii=[0.02] * len(points))
    assert (boxes is not None) == ok
    if boxes:
        assert not any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        for (w, h), box in zip(sizes, boxes):
            assert box[2] - box[0] == pytest.approx(w) and box[3] - box[1] == pytest.approx(h)


def test_spread_until_placed_spreads_only_as_far_as_needed():
    rng = random.Random(5)
    points = [(rng.random(), rng.random()) for _ in range(40)]
    sizes = [(0.3 + 0.5 * rng.random(), 0.15) for _ in points]
    scale, boxes = spread_until_placed(points, sizes, radii=[0.05] * 40, step=1.1)
    assert not any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert place_labels([(x * scale / 1.1, y * scale / 1.1) for x, y in points], sizes, radii=[0.05] * 40) is None
    assert (scale, boxes) == spread_until_placed(points, sizes, radii=[0.05] * 40, step=1.1)


def test_new_figure_layout_is_a_checked_choice():
    from analysis.errors import SettingsError
    from analysis.plots.setup import new_figure

    assert new_figure(2, 2, layout="none").get_layout_engine() is None
    assert new_figure(2, 2).get_layout_engine() is not None
    with pytest.raises(SettingsError):
        new_figure(2, 2, layout="tight")
