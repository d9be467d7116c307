"""Figures for planners: matplotlib (Agg) with a Japanese font, deterministic output.

Every function takes a stage's result (a DataFrame, a graph, the corpus) and returns a
:class:`matplotlib.figure.Figure` whose axes, titles and legends are in Japanese.  Nothing is
shown on screen; :func:`figure_svg` / :func:`figure_png` / :func:`save_figure` turn a figure into
bytes that are the same on every run (fixed SVG hash salt, no dates in metadata).

The Japanese font is IPAexGothic from ``matplotlib-fontja``.  When it cannot be found the
functions raise :class:`~analysis.errors.EnvironmentProblem` instead of drawing empty boxes.

>>> import pandas as pd
>>> fig = theme_bars(pd.DataFrame({"theme": ["連携", "見守り"], "generation": [2, 2], "count": [3, 1]}))
>>> fig.axes[0].get_xlabel()
'出現数（テキスト単位）'
"""

from __future__ import annotations

import io
import os
import re
import sys
from typing import Iterable, Literal

from .errors import EnvironmentProblem, check_choice

FONT_FAMILY = "IPAexGothic"
SVG_HASH_SALT = "keikaku"

# Colours that stay distinct in greyscale print as well as on screen.
STATED_COLOUR = "#1f4e79"  # links the document states
CONTENT_COLOUR = "#d9822b"  # links computed from the texts
NEW_COLOUR = "#2e7d32"
DROPPED_COLOUR = "#c62828"
NEUTRAL_COLOUR = "#555555"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")

CRITICAL_G2 = 3.84  # G² at p = 0.05 with one degree of freedom

_READY = False


def setup_matplotlib():
    """Select the Agg backend (unless a backend was chosen already, e.g. Jupyter's inline one) and
    the Japanese font; return the ``matplotlib`` module.

    Figures are made with :class:`matplotlib.figure.Figure` directly, never through pyplot, so no
    window opens and nothing is kept alive between figures.  Raises :class:`EnvironmentProblem`
    when the font is missing, so a figure never shows boxes where Japanese should be.
    """
    global _READY
    import matplotlib

    if not _READY:
        if not os.environ.get("MPLBACKEND") and "matplotlib.pyplot" not in sys.modules:
            matplotlib.use("Agg")
        try:
            import matplotlib_fontja  # noqa: F401  (registers IPAexGothic)
        except ImportError as exc:
            raise EnvironmentProblem(
                "日本語フォントのパッケージ matplotlib-fontja がありません。"
                "`pip install matplotlib-fontja` でインストールしてください"
                " (the Japanese font package matplotlib-fontja is not installed)") from exc
        from matplotlib import font_manager

        try:
            font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY),
                                  fallback_to_default=False)
        except ValueError as exc:
            raise EnvironmentProblem(
                f"日本語フォント {FONT_FAMILY} が見つかりません。matplotlib-fontja を入れ直してください"
                f" (Japanese font {FONT_FAMILY} not found)") from exc
        matplotlib.rcParams.update({
            "font.family": [FONT_FAMILY],
            "svg.hashsalt": SVG_HASH_SALT,
            "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no font to display
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 150,
        })
        _READY = True
    return matplotlib


def _new_figure(width: float, height: float):
    setup_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


_NO_LINE_START = set("、。，．）」』】〕・ー…ぁぃぅぇぉっゃゅょァィゥェォッャュョ")


def wrap_label(text: str, width: int = 14, *, max_lines: int = 3) -> str:
    r"""Wrap a Japanese label every ``width`` characters (Japanese has no spaces to break at);
    a line never starts with 、。）ー or a small kana; more than ``max_lines`` lines end in …

    >>> wrap_label("地域福祉コーディネーターの配置と育成", 8)
    '地域福祉コーディ\nネーターの配置と\n育成'
    >>> wrap_label("支え合い、見守り活動の充実", 4)
    '支え合い、\n見守り活\n動の充実'
    >>> wrap_label("あ" * 30, 5, max_lines=2)
    'あああああ\nああああ…'
    """
    text = " ".join(str(text).split())
    lines: list[str] = []
    current = ""
    for ch in text:
        if len(current) >= width and ch not in _NO_LINE_START:
            lines.append(current)
            current = ""
        if not current and ch == " ":
            continue
        current += ch
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)] + "…"
    return plain("\n".join(lines))


def plain(text: str) -> str:
    r"""Text that matplotlib draws as written: ``$`` would start mathtext, so it is escaped.

    >>> plain("予算$5$万円")
    '予算\\$5\\$万円'
    """
    return str(text).replace("$", r"\$")


# -- serialisation ------------------------------------------------------------------------------

def figure_svg(fig) -> bytes:
    """The figure as SVG bytes, identical on every run."""
    setup_matplotlib()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figure_png(fig, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, identical on every run."""
    setup_matplotlib()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def save_figure(fig, path, *, format: Literal["svg", "png"] | None = None) -> None:
    """Write the figure atomically as SVG or PNG (chosen from the suffix when not given)."""
    from pathlib import Path

    from .outputs import atomic_write_bytes

    path = Path(path)
    format = format or path.suffix.lstrip(".").lower()
    check_choice("format", format, ("svg", "png"))
    atomic_write_bytes(path, figure_svg(fig) if format == "svg" else figure_png(fig))


# -- helpers ------------------------------------------------------------------------------------

def _wide(counts, by: str):
    """Theme counts as a wide frame: one row per theme, one column per ``by`` value.

    Accepts the long form (columns ``theme``, ``by`` and ``count``) or an already wide frame
    indexed by theme.
    """
    import pandas as pd

    if isinstance(counts, pd.DataFrame) and {"theme", "count"} <= set(counts.columns):
        if by not in counts.columns:
            raise ValueError(f"theme counts have no column {by!r}: {list(counts.columns)}")
        wide = counts.pivot_table(index="theme", columns=by, values="count", aggfunc="sum",
                                  fill_value=0, sort=True)
    else:
        wide = pd.DataFrame(counts).copy()
        if "theme" in wide.columns:
            wide = wide.set_index("theme")
    wide = wide.fillna(0)
    wide = wide.reindex(sorted(wide.columns, key=_sort_key), axis=1)
    # Most frequent themes first; ties by name so the order is stable.
    order = sorted(wide.index, key=lambda t: (-float(wide.loc[t].sum()), str(t)))
    return wide.loc[order]


def _sort_key(value):
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def _empty(ax, message: str = "データがありません") -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=NEUTRAL_COLOUR,
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def generation_label(generation) -> str:
    """>>> generation_label(2)
    '第2次計画'
    """
    try:
        return f"第{int(generation)}次計画"
    except (TypeError, ValueError):
        return str(generation)


# -- figures ------------------------------------------------------------------------------------

def theme_bars(counts, *, by: str = "generation", top: int = 20, labels: dict | None = None):
    """Themes by generation (or goal, field): horizontal grouped bars, most frequent on top.

    ``counts``: long form (``theme``, ``by``, ``count``) or wide (theme × value).
    ``labels`` maps a ``by`` value to its legend label (default: 第N次計画 for generations).
    """
    wide = _wide(counts, by).head(top)
    height = max(3.0, 0.2 * len(wide) * max(1, min(len(wide.columns), 3)) + 1.6)
    fig = _new_figure(8.0, height)
    ax = fig.add_subplot()
    if wide.empty or not wide.columns.size:
        _empty(ax)
        return fig
    n = len(wide.columns)
    bar = 0.8 / n
    positions = range(len(wide))
    for k, column in enumerate(wide.columns):
        label = plain((labels or {}).get(column) or (generation_label(column) if by == "generation" else str(column)))
        values = [float(v) for v in wide[column]]
        ys = [p - 0.4 + bar * (k + 0.5) for p in positions]
        bars = ax.barh(ys, values, height=bar, label=label, color=PALETTE[k % len(PALETTE)])
        ax.bar_label(bars, labels=[f"{int(v)}" if v else "" for v in values], padding=2, fontsize=8)
    ax.set_yticks(list(positions), [wrap_label(t, 12, max_lines=2) for t in wide.index], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("出現数（テキスト単位）")
    ax.set_ylabel("テーマ")
    title = {"generation": "計画世代別のテーマ", "goal": "基本目標別のテーマ", "field": "項目別のテーマ"}
    ax.set_title(title.get(by, f"{by}別のテーマ"))
    ax.legend(loc="lower right", fontsize=9)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.12)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def theme_heatmap(counts, *, by: str = "goal", top: int = 25, labels: dict | None = None):
    """Theme × goal heatmap with the count written in each cell.

    ``labels`` maps a column value (a goal number, or a plan-goal key) to its label.
    """
    import numpy as np

    wide = _wide(counts, by).head(top)
    columns = [(labels or {}).get(c) or (f"目標{c}" if by == "goal" else str(c)) for c in wide.columns]
    width = max(5.5, 1.1 * len(columns) + 3.0)
    height = max(3.0, 0.34 * len(wide) + 2.0)
    fig = _new_figure(min(width, 11.0), height)
    ax = fig.add_subplot()
    if wide.empty or not columns:
        _empty(ax)
        return fig
    data = wide.to_numpy(dtype=float)
    image = ax.imshow(data, aspect="auto", cmap="Blues", vmin=0, vmax=max(1.0, float(np.max(data))))
    ax.set_xticks(range(len(columns)), [wrap_label(c, 8, max_lines=3) for c in columns], fontsize=8)
    ax.set_yticks(range(len(wide)), [wrap_label(t, 12, max_lines=1) for t in wide.index], fontsize=9)
    threshold = float(np.max(data)) * 0.6
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if data[i, j]:
                ax.text(j, i, f"{int(data[i, j])}", ha="center", va="center", fontsize=8,
                        color="white" if data[i, j] > threshold else "black")
    ax.set_xlabel({"goal": "基本目標", "generation": "計画世代", "field": "項目"}.get(by, by))
    ax.set_ylabel("テーマ")
    ax.set_title({"goal": "テーマ × 基本目標"}.get(by, f"テーマ × {by}"))
    fig.colorbar(image, ax=ax, label="出現数", shrink=0.8)
    return fig


def keyness_chart(keyness, *, top: int = 12, target_label: str = "対象", reference_label: str = "参照"):
    """Keyness (G²): the terms most typical of the target (right) and of the reference (left).

    ``keyness``: columns ``term``, ``g2`` and, to tell the sides apart when ``g2`` is unsigned,
    ``target_count`` / ``reference_count`` (and optionally ``target_total`` / ``reference_total``).
    """
    import pandas as pd

    frame = pd.DataFrame(keyness).copy()
    fig = _new_figure(8.0, max(3.5, 0.3 * min(len(frame), 2 * top) + 1.8))
    ax = fig.add_subplot()
    if frame.empty:
        _empty(ax)
        return fig
    signed = frame["g2"].astype(float)
    if (signed >= 0).all() and {"target_count", "reference_count"} <= set(frame.columns):
        t = frame["target_count"].astype(float)
        r = frame["reference_count"].astype(float)
        t_total = float(frame["target_total"].iloc[0]) if "target_total" in frame else max(t.sum(), 1.0)
        r_total = float(frame["reference_total"].iloc[0]) if "reference_total" in frame else max(r.sum(), 1.0)
        sign = (t / t_total >= r / r_total).map(lambda up: 1.0 if up else -1.0)
        signed = signed * sign
    frame = frame.assign(_signed=signed)
    pos = frame[frame["_signed"] > 0].sort_values(["_signed", "term"], ascending=[False, True]).head(top)
    neg = frame[frame["_signed"] < 0].sort_values(["_signed", "term"], ascending=[True, True]).head(top)
    rows = pd.concat([pos, neg.iloc[::-1]])
    if rows.empty:
        _empty(ax, "特徴的な語はありません")
        return fig
    colours = [PALETTE[0] if v > 0 else PALETTE[1] for v in rows["_signed"]]
    ys = range(len(rows))
    ax.barh(list(ys), rows["_signed"].tolist(), color=colours)
    ax.set_yticks(list(ys), [wrap_label(t, 14, max_lines=1) for t in rows["term"]], fontsize=9)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    for x in (-CRITICAL_G2, CRITICAL_G2):  # p = 0.05 (χ², 1 degree of freedom)
        ax.axvline(x, color=NEUTRAL_COLOUR, linewidth=0.8, linestyle=":")
    ax.text(CRITICAL_G2, -0.9, " p=0.05", fontsize=7, color=NEUTRAL_COLOUR, va="bottom")
    target_label, reference_label = plain(target_label), plain(reference_label)
    ax.set_xlabel(f"G²（対数尤度比）　← {reference_label}に特徴的 ｜ {target_label}に特徴的 →")
    ax.set_title(f"特徴語：{target_label} と {reference_label}")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=PALETTE[0], label=target_label),
                       Patch(color=PALETTE[1], label=reference_label)], loc="best", fontsize=9)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def cooccurrence_network(graph, *, seed: int = 0, top: int = 60):
    """The co-occurrence network: node size by frequency, colour by community, seeded layout.

    Node attributes used: ``community`` (int), ``frequency`` and ``label`` (optional); edge
    ``weight`` (optional, e.g. Jaccard).  The ``top`` most frequent nodes are drawn; each
    connected component keeps its own seeded layout (:func:`packed_layout`), and the figure is
    sized so that labels keep their size whatever the number of nodes.
    """
    import networkx as nx
    from matplotlib import patheffects

    title = "共起ネットワーク（色はコミュニティ、円の大きさは出現数）"
    if graph is None or graph.number_of_nodes() == 0:
        fig = _new_figure(8.0, 4.0)
        ax = fig.add_subplot()
        ax.set_title(title)
        _empty(ax)
        return fig

    def weight(node):
        return float(graph.nodes[node].get("frequency", graph.degree(node)) or 0)

    nodes = sorted(graph.nodes, key=lambda n: (-weight(n), str(n)))[:top]
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    sub.add_edges_from(sorted(((u, v, d) for u, v, d in graph.edges(data=True) if u in sub and v in sub),
                              key=lambda e: (str(e[0]), str(e[1]))))
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    if sub.number_of_nodes() == 0:
        fig = _new_figure(8.0, 4.0)
        ax = fig.add_subplot()
        ax.set_title(title)
        _empty(ax)
        return fig
    position = packed_layout(sub, seed=seed)
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    inch = 0.5  # one layout unit, in inches
    span_x = max(xs) - min(xs) + 1.6
    span_y = max(ys) - min(ys) + 1.0
    fig = _new_figure(min(10.0, max(6.0, span_x * inch)), min(12.0, max(3.5, span_y * inch + 0.8)))
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_axis_off()
    communities = sorted({graph.nodes[n].get("community", 0) for n in sub}, key=_sort_key)
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


def packed_layout(graph, *, seed: int = 0, width: float | None = None) -> dict:
    """A seeded layout that keeps each connected component together: every component is laid
    out with ``nx.spring_layout(seed=seed)`` and the components are packed in rows, largest
    first, so a network of many small clusters is still readable (one spring layout of the whole
    graph scatters them to the edges).

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


def continuity_diagram(corpus, links, *, findings=None, past: int | None = None,
                       next: int | None = None, title_width: int = 15,
                       content: Literal["best", "all", "none"] = "best"):
    """Past directions (left) → next directions (right), links coloured by kind.

    ``links``: iterable of dicts or a DataFrame with ``from``, ``to``, ``kind`` (``stated`` /
    ``content``) and optionally ``score``.  ``findings``: dicts or a DataFrame with ``kind``,
    ``subject``, ``status`` (and ``past`` / ``next`` direction ids); past directions with status
    ``no_successor`` (or no link at all) are marked 後継なし, next directions with status ``new``
    (or no link) 新規, and dropped / new themes are listed under the diagram.  ``past`` and
    ``next`` are generation numbers (default: the two latest generations of the corpus).

    ``content`` chooses the computed links drawn besides the stated ones: ``"best"`` (default,
    readable at a glance) draws, for each past direction, its strongest content link that the
    document does not state; ``"all"`` every content link not stated; ``"none"`` none.
    """
    from matplotlib.lines import Line2D

    check_choice("content", content, ("best", "all", "none"))
    generations = corpus.generations()
    if past is None or next is None:
        if len(generations) < 2:
            fig = _new_figure(8.0, 3.0)
            _empty(fig.add_subplot(), "比較できる2つの計画世代がありません")
            return fig
        past, next = generations[-2], generations[-1]
    left_plan, right_plan = corpus.plan_by_generation(past), corpus.plan_by_generation(next)
    link_rows = _records(links)
    finding_rows = _records(findings)
    left_ids = {d.id for d in left_plan.directions()}
    right_ids = {d.id for d in right_plan.directions()}
    link_rows = [r for r in link_rows if r.get("from") in left_ids and r.get("to") in right_ids]
    linked_left = {r["from"] for r in link_rows}
    linked_right = {r["to"] for r in link_rows}
    no_successor = _finding_ids(finding_rows, "no_successor", "past")
    new_direction = _finding_ids(finding_rows, "new", "next")
    themes_new = sorted({str(r.get("subject")) for r in finding_rows
                         if r.get("kind") == "theme" and r.get("status") == "new"})
    themes_dropped = sorted({str(r.get("subject")) for r in finding_rows
                             if r.get("kind") == "theme" and r.get("status") == "dropped"})

    def column(plan):
        items = []  # ("goal", goal) or ("direction", direction)
        for goal in plan.goals:
            items.append(("goal", goal))
            items.extend(("direction", d) for d in goal.directions)
        return items

    left, right = column(left_plan), column(right_plan)
    rows = max(len(left), len(right), 1)
    step = 0.5
    span = rows * step
    notes = []
    if themes_dropped:
        notes.append("消えたテーマ：" + "、".join(themes_dropped))
    if themes_new:
        notes.append("新しいテーマ：" + "、".join(themes_new))
    note_text = "\n".join(wrap_label(n, 60, max_lines=3) for n in notes)
    fig = _new_figure(10.0, span + 1.6 + 0.22 * note_text.count("\n") + (0.4 if notes else 0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-span - 0.05, 0.45)

    def positions(items):
        gap = span / max(len(items), 1)
        return [-(i + 0.5) * gap for i in range(len(items))]

    y_left = {}
    y_right = {}
    ax.text(3.9, 0.2, generation_label(past) + "の施策の方向（評価）", ha="right", va="center", fontsize=11)
    ax.text(6.1, 0.2, generation_label(next) + "の方向性", ha="left", va="center", fontsize=11)

    def label(d):
        number = f"{d.goal_number}-{d.number} " if d.goal_number is not None and d.number is not None else ""
        return number + wrap_label(d.title, title_width, max_lines=2).replace("\n", "\n" + " " * len(number))

    for side, items, x, align, ys in (("left", left, 3.9, "right", y_left), ("right", right, 6.1, "left", y_right)):
        for (kind, item), y in zip(items, positions(items)):
            if kind == "goal":
                goal_label = f"基本目標{item.number}　" if item.number is not None else ""
                ax.text(x, y, wrap_label(goal_label + item.title, 24, max_lines=1), ha=align, va="center",
                        fontsize=8.5, color=NEUTRAL_COLOUR)
                continue
            ys[item.id] = y
            if side == "left":
                marked = item.id in no_successor or item.id not in linked_left
                colour = DROPPED_COLOUR if marked else "#888888"
            else:
                marked = item.id in new_direction or item.id not in linked_right
                colour = NEW_COLOUR if marked else "#888888"
            ax.text(x, y, label(item), ha=align, va="center", fontsize=8.5, linespacing=1.1,
                    multialignment="left",
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor=colour,
                              linewidth=1.6 if marked else 0.6))
            if marked and side == "left":
                ax.text(x + 0.1, y, "×後継なし", ha="left", va="center", fontsize=8, color=DROPPED_COLOUR)
            elif marked:
                ax.text(x - 0.1, y, "★新規", ha="right", va="center", fontsize=8, color=NEW_COLOUR)

    for row in sorted(_drawn_links(link_rows, content=content),
                      key=lambda r: (r.get("kind") != "stated", str(r["from"]), str(r["to"]))):
        stated = row.get("kind") == "stated"
        offset = 0.0
        score = 1.0 if stated else float(row.get("score") or 0.0)
        ax.annotate("", xy=(6.0, y_right[row["to"]] + offset), xytext=(4.0, y_left[row["from"]] + offset),
                    arrowprops=dict(arrowstyle="-|>", color=STATED_COLOUR if stated else CONTENT_COLOUR,
                                    linewidth=1.8 if stated else 0.8 + 1.6 * min(score, 1.0),
                                    linestyle="-" if stated else (0, (4, 2)), alpha=0.9,
                                    shrinkA=0, shrinkB=0, mutation_scale=9))

    handles = [Line2D([], [], color=STATED_COLOUR, linewidth=1.8, label="文書が示すつながり"),
               Line2D([], [], color=CONTENT_COLOUR, linewidth=1.4, linestyle=(0, (4, 2)),
                      label={"best": "内容の類似のみ（計算、各方向で最も強いもの）",
                             "all": "内容の類似のみ（計算、太いほど強い）"}.get(content, "")),
               Line2D([], [], color=DROPPED_COLOUR, marker="s", markersize=9, linestyle="",
                      markerfacecolor="white", label="後継なし"),
               Line2D([], [], color=NEW_COLOUR, marker="s", markersize=9, linestyle="",
                      markerfacecolor="white", label="新規")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8.5, frameon=False)
    if note_text:
        ax.text(0.0, -span - 0.1, note_text, ha="left", va="top", fontsize=9, color=NEUTRAL_COLOUR,
                linespacing=1.4)
        ax.set_ylim(-span - 0.15 - 0.25 * (note_text.count("\n") + 1), 0.45)
    fig.suptitle("継続性の図：前計画の施策の方向 → 次期計画の方向性", fontsize=12)
    return fig


def _drawn_links(rows: list[dict], *, content: str) -> list[dict]:
    """Stated links, and the content links the document does not state (see continuity_diagram)."""
    stated = [r for r in rows if r.get("kind") == "stated"]
    pairs = {(r["from"], r["to"]) for r in stated}
    extra = [r for r in rows if r.get("kind") == "content" and (r["from"], r["to"]) not in pairs]
    if content == "none":
        extra = []
    elif content == "best":
        best: dict = {}
        for r in extra:
            key = r["from"]
            if key not in best or (float(r.get("score") or 0), str(best[key]["to"])) > (
                    float(best[key].get("score") or 0), str(r["to"])):
                best[key] = r
        extra = list(best.values())
    return stated + extra


def _finding_ids(rows: list[dict], status: str, side: str) -> set:
    """Direction ids (and titles) named by direction findings with ``status``."""
    out = set()
    for r in rows:
        if r.get("kind") == "direction" and r.get("status") == status:
            out.add(r.get("subject"))
            ids = r.get(side)
            if isinstance(ids, str):
                ids = [i for i in re.split(r"[;,、 ]+", ids) if i]
            out.update(ids or [])
    return out


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    return [r if isinstance(r, dict) else (r.to_dict() if hasattr(r, "to_dict") else vars(r)) for r in rows]


def figures_close(figures: Iterable) -> None:
    """Release figures' memory (they are not managed by pyplot, so this is only a courtesy)."""
    for fig in figures:
        fig.clear()
