"""The keyness chart: the terms most typical of a target text and of a reference (G²)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .setup import NEUTRAL_COLOUR, PALETTE, empty_axes, new_figure, plain, wrap_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CRITICAL_G2 = 3.84  # G² at p = 0.05 with one degree of freedom



def keyness_chart(keyness: Any, *, top: int = 12, target_label: str = "対象",
                  reference_label: str = "参照") -> "Figure":
    """Keyness (G²): the terms most typical of the target (right) and of the reference (left).

    Parameters
    ----------
    keyness : DataFrame
        Columns ``term``, ``g2`` and, to tell the sides apart when ``g2`` is unsigned,
        ``target_count`` / ``reference_count`` (and optionally ``target_total`` /
        ``reference_total``), as :func:`analysis.terms.keyness` gives.
    top : int, default 12
        Terms shown on each side.
    target_label, reference_label : str
        What the two texts are called in the legend and the axis.

    Returns
    -------
    matplotlib Figure
    """
    import pandas as pd

    frame = pd.DataFrame(keyness).copy()
    fig = new_figure(8.0, max(3.5, 0.3 * min(len(frame), 2 * top) + 1.8))
    ax = fig.add_subplot()
    if frame.empty:
        empty_axes(ax)
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
        empty_axes(ax, "特徴的な語はありません")
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
