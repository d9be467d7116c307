"""HTML building blocks of the report page: escaping, tables, embedded figures.

Safety: every piece of text that comes from the corpus (or from any stage's result) passes
through :func:`esc` (``html.escape`` with quotes); the only unescaped HTML is the report's own
markup, marked as :class:`Raw`.  Figures are embedded as base64 images, so nothing inside them can
become markup.

>>> esc('<script>alert("x")</script> & 連携')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 連携'
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .figures import FIGURE_CAPTIONS

if TYPE_CHECKING:
    import pandas as pd


def esc(value: Any) -> str:
    """Text as HTML, escaped (quotes too).

    Parameters
    ----------
    value : object
        ``None`` and NaN give the empty string; a float is shown with at most three decimals.

    Returns
    -------
    str

    Examples
    --------
    >>> esc(None), esc(0.12345), esc(2.0), esc('"連携"')
    ('', '0.123', '2', '&quot;連携&quot;')
    """
    if value is None:
        return ""
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
            return ""
    except (ImportError, TypeError, ValueError):
        pass
    if isinstance(value, float):
        value = f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return html.escape(str(value), quote=True)


class Raw:
    """Markup built by the report from escaped parts (never from unescaped input): a table cell
    that :func:`table` puts in as it is."""

    __slots__ = ("html",)

    def __init__(self, markup: str) -> None:
        self.html = markup


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, classes: str = "",
          widths: Sequence[str] | None = None) -> str:
    """An HTML table; every header and cell is escaped, except cells given as :class:`Raw`.

    Parameters
    ----------
    header : sequence of str
    rows : iterable of sequences
        One sequence of cells a row; no row gives one row saying 該当なし.
    classes : str, default ""
        The table's ``class`` attribute.
    widths : sequence of str, optional
        CSS widths of the columns (``"30%"``).

    Returns
    -------
    str

    Examples
    --------
    >>> table(["語"], [["<b>"]])
    '<table><thead><tr><th>語</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    parts = [f'<table class="{esc(classes)}">' if classes else "<table>"]
    if widths:
        parts.append("<colgroup>" + "".join(f'<col style="width:{esc(w)}">' for w in widths) + "</colgroup>")
    parts.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr></thead><tbody>")
    count = 0
    for row in rows:
        count += 1
        parts.append("<tr>" + "".join(f"<td>{c.html if isinstance(c, Raw) else esc(c)}</td>" for c in row)
                     + "</tr>")
    if not count:
        parts.append(f'<tr><td colspan="{len(header)}" class="none">該当なし</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


def frame_table(frame: "pd.DataFrame | None", *, max_rows: int | None = None,
                widths: Sequence[str] | None = None) -> str:
    """A DataFrame as an HTML :func:`table` (its columns as the header); empty for None.

    Parameters
    ----------
    frame : DataFrame or None
    max_rows : int, optional
        Show only the first rows.
    widths : sequence of str, optional

    Returns
    -------
    str
    """
    if frame is None:
        return ""
    rows = frame.itertuples(index=False, name=None)
    if max_rows is not None:
        rows = list(rows)[:max_rows]
    return table([str(c) for c in frame.columns], rows, widths=widths)


def embedded_figure(fig: Any, name: str) -> str:
    """A figure as ``<figure>`` with its SVG inline (a ``data:`` image) and its caption.

    Parameters
    ----------
    fig : matplotlib Figure or bytes
        The figure, or its SVG already made by :func:`analysis.plots.figure_svg`.
    name : str
        The figure's key in :data:`~analysis.report.figures.FIGURE_CAPTIONS` (also its ``id``).

    Returns
    -------
    str
    """
    from ..plots import figure_svg

    svg = fig if isinstance(fig, bytes) else figure_svg(fig)
    encoded = base64.b64encode(svg).decode("ascii")
    caption = FIGURE_CAPTIONS.get(name, "")
    return (f'<figure id="fig-{esc(name)}"><img alt="{esc(caption)}" src="data:image/svg+xml;base64,{encoded}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")
