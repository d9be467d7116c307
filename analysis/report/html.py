"""The report page: one self-contained HTML document in Japanese.

The page opens offline (inline CSS from ``analysis/data/report.css``, figures embedded as
``data:`` SVG images whose glyphs are outlines, no external URL) and prints on A4.  It carries
the subset of IPAexGothic its text needs (:mod:`.fonts`, an ``@font-face`` ``data:`` URL), so
it shows no missing-glyph boxes and prints the same on a machine without Japanese fonts.  Its ``generator`` meta tag
(:data:`GENERATOR_MARK`) is how :func:`analysis.report.folder.check_replaceable` knows a
directory holds an earlier report.

Determinism: the same data give the same page, except the one "generated at" line, which is
fixed by ``SOURCE_DATE_EPOCH`` or omitted with ``generated_at=False``.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import TYPE_CHECKING, Any

from .figures import report_figures
from .fonts import font_face_css, page_characters
from .markup import esc
from .sections import page_sections
from .tables import report_tables

if TYPE_CHECKING:
    from .data import ReportData

GENERATOR_MARK = '<meta name="generator" content="keikaku'
_CSS_NAME = "report.css"


def generated_at_text(generated_at: Any = None) -> str | None:
    """The "generated at" line's timestamp.

    Parameters
    ----------
    generated_at : datetime, str, False or None, default None
        ``False`` omits the line; a string is used as it is; ``None`` uses ``SOURCE_DATE_EPOCH``
        when set (reproducible builds), else the current time.

    Returns
    -------
    str or None
        ``"YYYY-MM-DD HH:MM:SS UTC"`` (a naive datetime is taken as UTC).

    Examples
    --------
    >>> import datetime
    >>> generated_at_text(datetime.datetime(2024, 4, 1, 9, 30)), generated_at_text(False)
    ('2024-04-01 09:30:00 UTC', None)
    """
    if generated_at is False:
        return None
    if isinstance(generated_at, _dt.datetime):
        moment = generated_at
    elif isinstance(generated_at, str):
        return generated_at
    else:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch is not None and epoch.strip():
            moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        else:
            moment = _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _css() -> str:
    from ..settings import data_path

    return data_path(_CSS_NAME).read_text(encoding="utf-8")


def render_html(data: "ReportData", *, generated_at: Any = None, figures: dict | None = None) -> str:
    """The report page: a complete HTML document, UTF-8, with no external resource.

    Parameters
    ----------
    data : ReportData
    generated_at : datetime, str, False or None, default None
        See :func:`generated_at_text`.
    figures : dict of str to Figure or bytes, optional
        The figures to embed (SVG bytes or matplotlib figures); default :func:`report_figures`.

    Returns
    -------
    str
    """
    corpus = data.corpus
    figures = report_figures(data) if figures is None else figures
    sections = page_sections(data, report_tables(data), figures, stamp=generated_at_text(generated_at))
    owners = corpus.chains()
    owner = next((p.owner for p in corpus.plans if p.owner), "") or corpus.name
    if len(owners) > 1:  # many owners' plans: the cover names the corpus, not its first owner
        owner = f"{corpus.name}（策定主体 {len(owners)}）"
    title = f"{owner}　計画の評価と次期計画：分析レポート" if owner else "計画の評価と次期計画：分析レポート"
    toc = "".join(f'<li><a href="#{key}">{esc(heading)}</a></li>' for key, heading, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{i}. {esc(heading)}</h2>{content}</section>'
        for i, (key, heading, content) in enumerate(sections, 1))
    plans = "、".join(f"{p.title}（{p.period}）" if p.period else p.title for p in corpus.plans[:6])
    plans += f" ほか {len(corpus.plans) - 6} 計画" if len(corpus.plans) > 6 else ""
    head = ("<!DOCTYPE html>\n"
            '<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'{GENERATOR_MARK} {esc(data.version)}">\n'
            f"<title>{esc(title)}</title>\n<style>\n")
    rest = (f"{_css()}</style>\n</head>\n<body>\n"
            f'<header class="cover"><h1>{esc(title)}</h1>'
            f'<p class="subtitle">{esc(plans)}</p>'
            f'<nav><h2 class="toc-title">目次</h2><ol>{toc}</ol></nav></header>\n'
            f"<main>{body}</main>\n</body>\n</html>\n")
    # the page carries the subset of its Japanese face that its own text needs
    return head + font_face_css(page_characters(head + rest)) + rest
