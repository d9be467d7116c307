"""Theme figures: bars by generation (or goal, field) and the theme × goal heatmap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .setup import PALETTE, empty_axes, generation_label, new_figure, plain, sort_key, wrap_label

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def _wide(counts: Any, by: str) -> "pd.DataFrame":
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
    wide = wide.reindex(sorted(wide.columns, key=sort_key), axis=1)
    # Most frequent themes first; ties by name so the order is stable.
    order = sorted(wide.index, key=lambda t: (-float(wide.loc[t].sum()), str(t)))
    return wide.loc[order]



def theme_bars(counts: Any, *, by: str = "generation", top: int = 20, labels: dict | None = None) -> "Figure":
    """Themes by generation (or goal, field): horizontal grouped bars, most frequent on top.

    Parameters
    ----------
    counts : DataFrame
        Long form (``theme``, ``by``, ``count``) or wide (theme × value, as
        :func:`analysis.themes.theme_counts` gives).
    by : str, default "generation"
        What the bars of a theme stand for (``"generation"``, ``"goal"``, ``"field"``).
    top : int, default 20
        The most frequent themes shown.
    labels : dict, optional
        A ``by`` value → its legend label (default: 第N次計画 for generations).

    Returns
    -------
    matplotlib Figure
    """
    wide = _wide(counts, by).head(top)
    height = max(3.0, 0.2 * len(wide) * max(1, min(len(wide.columns), 3)) + 1.6)
    fig = new_figure(8.0, height)
    ax = fig.add_subplot()
    if wide.empty or not wide.columns.size:
        empty_axes(ax)
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


def theme_heatmap(counts: Any, *, by: str = "goal", top: int = 25, labels: dict | None = None) -> "Figure":
    """Theme × goal heatmap with the count written in each cell.

    Parameters
    ----------
    counts : DataFrame
        Long or wide theme counts, as for :func:`theme_bars`.
    by : str, default "goal"
    top : int, default 25
        The most frequent themes shown.
    labels : dict, optional
        A column value (a goal number, or a plan-goal key such as ``P2-G1``) → its label.

    Returns
    -------
    matplotlib Figure
    """
    import numpy as np

    wide = _wide(counts, by).head(top)
    columns = [(labels or {}).get(c) or (f"目標{c}" if by == "goal" else str(c)) for c in wide.columns]
    width = max(5.5, 1.1 * len(columns) + 3.0)
    height = max(3.0, 0.34 * len(wide) + 2.0)
    fig = new_figure(min(width, 11.0), height)
    ax = fig.add_subplot()
    if wide.empty or not columns:
        empty_axes(ax)
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
