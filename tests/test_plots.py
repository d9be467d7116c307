"""Figures: Japanese labels, no missing glyph, not empty, deterministic, seeded layouts."""

from __future__ import annotations

import io
import warnings

import networkx as nx
import pandas as pd
import pytest

from analysis import plots
from analysis.plots import setup as plot_setup
from analysis.errors import EnvironmentProblem
from report_corpus import make_corpus

THEME_COUNTS = pd.DataFrame(
    {"2": [3, 4, 2, 1, 0], "3": [2, 3, 3, 0, 2]},
    index=pd.Index(["連携・協働", "見守り", "担い手不足", "災害・防災", "権利擁護"], name="theme"))
THEME_BY_GOAL = pd.DataFrame(
    {"P2-G1": [1, 4, 2], "P2-G2": [3, 0, 1], "P3-G1": [0, 2, 2]},
    index=pd.Index(["連携・協働", "見守り", "担い手不足"], name="theme"))
KEYNESS = pd.DataFrame({
    "term": ["担い手不足", "見守り", "名簿", "市民後見人", "相談支援"],
    "target_count": [4, 3, 2, 0, 0], "reference_count": [0, 1, 0, 3, 2],
    "g2": [6.1, 1.2, 2.9, -5.0, -3.1]})
LINKS = [{"from": "P2-1-1", "to": "P3-1-1", "kind": "stated"},
         {"from": "P2-1-2", "to": "P3-1-2", "kind": "stated"},
         {"from": "P2-2-1", "to": "P3-2-1", "kind": "stated"},
         {"from": "P2-1-1", "to": "P3-1-2", "kind": "content", "score": 0.4}]
FINDINGS = [{"kind": "theme", "subject": "災害・防災", "status": "dropped"},
            {"kind": "theme", "subject": "権利擁護", "status": "new"},
            {"kind": "direction", "subject": "災害時の支援体制", "status": "no_successor",
             "past": ["P2-2-2"], "next": []},
            {"kind": "direction", "subject": "権利擁護の推進", "status": "new", "past": [],
             "next": ["P3-2-2"]}]


def cooccurrence() -> nx.Graph:
    graph = nx.Graph()
    edges = [("見守り", "担い手", 0.5), ("担い手", "不足", 0.7), ("相談", "連携", 0.4),
             ("連携", "関係機関", 0.6), ("成年後見", "市民後見人", 0.8)]
    community = {"見守り": 0, "担い手": 0, "不足": 0, "相談": 1, "連携": 1, "関係機関": 1,
                 "成年後見": 2, "市民後見人": 2}
    for a, b, w in edges:
        graph.add_edge(a, b, weight=w)
    for i, node in enumerate(sorted(graph)):
        graph.nodes[node].update(community=community[node], frequency=i + 1)
    return graph


FIGURES = {
    "theme_bars": lambda: plots.theme_bars(THEME_COUNTS),
    "theme_heatmap": lambda: plots.theme_heatmap(THEME_BY_GOAL, labels={"P2-G1": "第2次 目標1 つなげる"}),
    "keyness_chart": lambda: plots.keyness_chart(KEYNESS, target_label="評価", reference_label="次期の方向性"),
    "cooccurrence_network": lambda: plots.cooccurrence_network(cooccurrence(), seed=0),
    "continuity_diagram": lambda: plots.continuity_diagram(make_corpus(), LINKS, findings=FINDINGS),
}


def texts(fig) -> str:
    """Every string drawn on the figure (titles, labels, tick labels, annotations, legends)."""
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_renders_without_missing_glyph_and_is_not_empty(name, tmp_path):
    from matplotlib.image import imread

    fig = FIGURES[name]()
    path = tmp_path / f"{name}.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        plots.save_figure(fig, path)
        plots.save_figure(fig, tmp_path / f"{name}.svg")
    image = imread(path)
    height, width = image.shape[:2]
    assert 300 <= width <= 3000 and 300 <= height <= 6000
    pixels = image[..., :3].reshape(-1, 3)
    assert pixels.std(axis=0).max() > 0.05, "one colour"
    dark = (pixels.mean(axis=1) < 0.6).mean()
    assert 0.002 < dark < 0.6, f"ink fraction {dark:.4f}"
    assert any("\u3040" <= ch <= "\u9fff" for ch in texts(fig)), "no Japanese label"


def test_figures_use_the_japanese_font():
    plots.setup_matplotlib()
    import matplotlib

    assert matplotlib.rcParams["font.family"][0] == plots.FONT_FAMILY


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_svg_is_byte_identical_twice(name):
    svg = plots.figure_svg(FIGURES[name]())
    assert svg == plots.figure_svg(FIGURES[name]())
    assert b"<dc:date>" not in svg


def test_png_is_byte_identical_twice():
    make = FIGURES["continuity_diagram"]
    assert plots.figure_png(make(), dpi=60) == plots.figure_png(make(), dpi=60)


def test_missing_japanese_font_is_an_environment_problem(monkeypatch):
    from matplotlib import font_manager

    def not_found(*args, **kwargs):
        raise ValueError("Failed to find font")

    monkeypatch.setattr(plot_setup, "_READY", False)
    monkeypatch.setattr(font_manager, "findfont", not_found)
    with pytest.raises(EnvironmentProblem, match="IPAexGothic"):
        plots.theme_bars(THEME_COUNTS)


def test_missing_font_package_is_an_environment_problem(monkeypatch):
    import sys

    monkeypatch.setattr(plot_setup, "_READY", False)
    monkeypatch.setitem(sys.modules, "matplotlib_fontja", None)  # import fails
    with pytest.raises(EnvironmentProblem, match="matplotlib-fontja"):
        plots.keyness_chart(KEYNESS)


def test_theme_bars_labels_and_order():
    fig = plots.theme_bars(THEME_COUNTS)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "出現数（テキスト単位）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["第2次計画", "第3次計画"]
    # most frequent theme first (見守り: 7), ties by name
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["見守り", "担い手不足"]


def test_theme_bars_accepts_the_long_form():
    long = pd.DataFrame({"theme": ["連携", "連携", "見守り"], "generation": [2, 3, 3], "count": [1, 2, 5]})
    ax = plots.theme_bars(long).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["見守り", "連携"]


def test_heatmap_writes_counts_and_goal_labels():
    fig = plots.theme_heatmap(THEME_BY_GOAL, labels={"P2-G1": "第2次 目標1"})
    drawn = texts(fig)
    assert "第2次 目標1" in drawn and "P2-G2" in drawn
    assert "4" in drawn.split("\n")


def test_keyness_sides():
    ax = plots.keyness_chart(KEYNESS, top=2).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # target-typical terms first (largest G² on top), then reference-typical ones
    assert labels == ["担い手不足", "名簿", "相談支援", "市民後見人"]


def test_keyness_unsigned_g2_takes_its_side_from_counts():
    unsigned = KEYNESS.assign(g2=KEYNESS["g2"].abs())
    labels = [t.get_text() for t in plots.keyness_chart(unsigned, top=1).axes[0].get_yticklabels()]
    assert labels == ["担い手不足", "市民後見人"]


def test_continuity_marks_no_successor_new_and_themes():
    drawn = texts(plots.continuity_diagram(make_corpus(), LINKS, findings=FINDINGS))
    assert "後継なし" in drawn and "新規" in drawn
    assert "消えたテーマ：災害・防災" in drawn
    assert "新しいテーマ：権利擁護" in drawn
    assert "第2次計画の施策の方向（評価）" in drawn and "第3次計画の方向性" in drawn
    assert "2-2 災害時の支援体制" in drawn


def test_continuity_draws_stated_and_best_content_links():
    from matplotlib.text import Annotation

    def arrows(**kwargs):
        fig = plots.continuity_diagram(make_corpus(), LINKS, **kwargs)
        return [a for a in fig.findobj(Annotation) if a.arrow_patch is not None]

    assert len(arrows()) == 4  # three stated, one content link not stated
    assert len(arrows(content="none")) == 3
    extra = LINKS + [{"from": "P2-1-1", "to": "P3-2-2", "kind": "content", "score": 0.2}]
    fig = plots.continuity_diagram(make_corpus(), extra, content="all")
    assert len([a for a in fig.findobj(Annotation) if a.arrow_patch is not None]) == 5
    fig = plots.continuity_diagram(make_corpus(), extra)  # best: only the stronger one of P2-1-1
    assert len([a for a in fig.findobj(Annotation) if a.arrow_patch is not None]) == 4


def test_continuity_with_one_generation_says_so():
    corpus = make_corpus()
    corpus.plans = corpus.plans[:1]
    assert "比較できる2つの計画世代がありません" in texts(plots.continuity_diagram(corpus, []))


@pytest.mark.parametrize("empty, call", [
    ("theme_bars", lambda: plots.theme_bars(pd.DataFrame())),
    ("keyness", lambda: plots.keyness_chart(pd.DataFrame(columns=["term", "g2"]))),
    ("network", lambda: plots.cooccurrence_network(nx.Graph())),
])
def test_empty_inputs_say_there_is_no_data(empty, call):
    assert "データがありません" in texts(call())


def test_packed_layout_is_seeded_and_keeps_components_apart():
    graph = cooccurrence()
    first = plots.packed_layout(graph, seed=3)
    assert first == plots.packed_layout(graph, seed=3)
    components = [sorted(c) for c in nx.connected_components(graph)]
    boxes = []
    for nodes in components:
        xs = [first[n][0] for n in nodes]
        ys = [first[n][1] for n in nodes]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = a[0] <= b[1] and b[0] <= a[1]
            overlap_y = a[2] <= b[3] and b[2] <= a[3]
            assert not (overlap_x and overlap_y)


def test_network_draws_the_most_frequent_nodes_only():
    fig = plots.cooccurrence_network(cooccurrence(), top=4)
    drawn = texts(fig)
    # frequency = sorted position + 1: the four most frequent nodes, minus any left without an edge
    assert "不足" not in drawn  # frequency 1
    assert "関係機関" in drawn


@pytest.mark.parametrize("text, width, expected", [
    ("見守り", 8, "見守り"),
    ("地域福祉コーディネーター", 6, "地域福祉コー\nディネーター"),
    ("支え合い、見守り", 4, "支え合い、\n見守り"),  # no line starts with 、
    ("基本目標1　安心", 20, "基本目標1 安心"),
    ("", 5, ""),
])
def test_wrap_label(text, width, expected):
    assert plots.wrap_label(text, width) == expected


def test_dollar_signs_in_labels_are_text_not_mathtext(tmp_path):
    counts = pd.DataFrame({"2": [1, 2]}, index=pd.Index(["予算$5$", "費用$\\frac{$"], name="theme"))
    fig = plots.theme_bars(counts)
    plots.save_figure(fig, tmp_path / "x.png")  # "$\frac{$" as mathtext would raise here
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["費用\\$\\frac{\\$", "予算\\$5\\$"]


def test_save_figure_rejects_an_unknown_format(tmp_path):
    from analysis.errors import SettingsError

    with pytest.raises(SettingsError):
        plots.save_figure(plots.theme_bars(THEME_COUNTS), tmp_path / "x.gif")


def test_png_has_no_software_metadata():
    data = plots.figure_png(plots.theme_bars(THEME_COUNTS))
    assert data.startswith(b"\x89PNG") and b"Software" not in data
    assert io.BytesIO(data).getbuffer().nbytes > 1000
