"""What every figure shares: matplotlib (Agg) with the Japanese font, colours, label helpers,
and deterministic SVG / PNG output.

The Japanese font is IPAexGothic from ``matplotlib-fontja``.  When it cannot be found
:func:`setup_matplotlib` raises :class:`~analysis.errors.EnvironmentProblem` instead of letting
figures draw empty boxes.  :func:`figure_svg` / :func:`figure_png` / :func:`save_figure` give
bytes that are the same on every run (fixed SVG hash salt, no dates in metadata).
"""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING, Any, Iterable, Literal

from ..errors import EnvironmentProblem, check_choice

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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


_READY = False


def setup_matplotlib() -> Any:
    """Select the Agg backend (unless a backend was chosen already, e.g. Jupyter's inline one) and
    the Japanese font, once per process.

    Figures are made with :class:`matplotlib.figure.Figure` directly, never through pyplot, so no
    window opens and nothing is kept alive between figures.

    Returns
    -------
    module
        ``matplotlib``.

    Raises
    ------
    EnvironmentProblem
        When the font is missing, so a figure never shows boxes where Japanese should be.
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


def new_figure(width: float, height: float, *,
               layout: Literal["constrained", "none"] = "constrained") -> "Figure":
    """A new figure of ``width`` × ``height`` inches, matplotlib set up.

    Parameters
    ----------
    width, height : float
    layout : {"constrained", "none"}, default "constrained"
        ``"none"``: the caller places everything itself (the network figure, whose label
        positions are computed in inches and must not be moved).

    Returns
    -------
    matplotlib Figure
    """
    check_choice("layout", layout, ("constrained", "none"))
    setup_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout=None if layout == "none" else layout)


_NO_LINE_START = set("、。，．）」』】〕・ー…ぁぃぅぇぉっゃゅょァィゥェォッャュョ")


def wrap_label(text: str, width: int = 14, *, max_lines: int = 3) -> str:
    r"""Wrap a Japanese label every ``width`` characters (Japanese has no spaces to break at).

    Parameters
    ----------
    text : str
    width : int, default 14
        Characters a line; a line never starts with 、。）ー or a small kana, so it may be longer.
    max_lines : int, default 3
        More lines are cut, the last ending in …

    Returns
    -------
    str
        Lines joined with ``\n``, ``$`` escaped (:func:`plain`).

    Examples
    --------
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

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> plain("予算$5$万円")
    '予算\\$5\\$万円'
    """
    return str(text).replace("$", r"\$")

# -- serialisation ------------------------------------------------------------------------------

def figure_svg(fig: "Figure") -> bytes:
    """The figure as SVG bytes, identical on every run (glyphs as paths, no date).

    Parameters
    ----------
    fig : matplotlib Figure

    Returns
    -------
    bytes
    """
    setup_matplotlib()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figure_png(fig: "Figure", *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, identical on every run.

    Parameters
    ----------
    fig : matplotlib Figure
    dpi : int, default 150

    Returns
    -------
    bytes
    """
    setup_matplotlib()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def save_figure(fig: "Figure", path: "str | Path", *, format: Literal["svg", "png"] | None = None) -> None:
    """Write the figure atomically as SVG or PNG.

    Parameters
    ----------
    fig : matplotlib Figure
    path : str or Path
    format : {"svg", "png"}, optional
        Default: from the suffix of ``path``.

    Returns
    -------
    None
    """
    from pathlib import Path

    from ..outputs import atomic_write_bytes

    path = Path(path)
    format = format or path.suffix.lstrip(".").lower()
    check_choice("format", format, ("svg", "png"))
    atomic_write_bytes(path, figure_svg(fig) if format == "svg" else figure_png(fig))



def sort_key(value: Any) -> tuple:
    """Numbers first, in numeric order, then everything else by its text (a stable column order).

    Examples
    --------
    >>> sorted(["P2-G1", 10, 2], key=sort_key)
    [2, 10, 'P2-G1']
    """
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def empty_axes(ax: "Axes", message: str = "データがありません") -> None:
    """Clear the ticks of ``ax`` and say ``message`` in its middle (a figure with nothing to show)."""
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=NEUTRAL_COLOUR,
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def generation_label(generation: Any) -> str:
    """A plan generation as planners name it.

    Parameters
    ----------
    generation : int or str

    Returns
    -------
    str
        ``第N次計画``, or the value itself when it is not a number.

    Examples
    --------
    >>> generation_label(2), generation_label("案")
    ('第2次計画', '案')
    """
    try:
        return f"第{int(generation)}次計画"
    except (TypeError, ValueError):
        return str(generation)


def plan_label(plan: Any) -> str:
    """A plan as planners name it: its fiscal year when it is one year's evaluation (令和4年度,
    a 事務事業評価 of one year), else its generation (:func:`generation_label`).

    >>> from types import SimpleNamespace as P
    >>> plan_label(P(generation=2, period="令和4年度")), plan_label(P(generation=2, period="令和3年度～令和7年度"))
    ('令和4年度', '第2次計画')
    """
    from ..importers.patterns import fiscal_year  # the importers' reading of 令和4年度, R4, 2023年度

    period = str(getattr(plan, "period", "") or "").strip()
    if period and not any(mark in period for mark in "～〜~-－") and fiscal_year(period) is not None:
        return period
    return generation_label(plan.generation)


def figures_close(figures: Iterable["Figure"]) -> None:
    """Release figures' memory (they are not managed by pyplot, so this is only a courtesy).

    Parameters
    ----------
    figures : iterable of matplotlib Figure

    Returns
    -------
    None
    """
    for fig in figures:
        fig.clear()
