"""The report: one self-contained HTML page in Japanese, the tables beside it, the graph files.

Stage: Corpus ──(one :class:`~analysis.pipeline.Analysis`)──▶ :class:`ReportData` ──▶
``DIR/index.html`` + CSV + Excel + figures + graph files.

One module, one job:

- :mod:`.data`: :func:`report_data` assembles what the report shows (:class:`ReportData`);
- :mod:`.tables`: :func:`report_tables`, the tables with Japanese columns;
- :mod:`.figures`: :func:`report_figures`, their captions and the tables behind them;
- :mod:`.markup`, :mod:`.sections`, :mod:`.html`: :func:`render_html`, the page;
- :mod:`.fonts`: the subset of the Japanese face the page embeds;
- :mod:`.workbook`: :func:`write_workbook`, the Excel file;
- :mod:`.folder`: :func:`write_report` and :func:`build_report`, the directory as a whole.

>>> esc('<script>alert("x")</script> & 連携')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 連携'
"""

from __future__ import annotations

from .data import Progress, ReportData, corpus_tokens, report_data
from .figures import FIGURE_CAPTIONS, report_figures
from .folder import build_report, check_replaceable, write_report
from .html import GENERATOR_MARK, generated_at_text, render_html
from .markup import esc
from .tables import TABLES, comparison_frames, directions_frame, goal_labels, plans_frame, report_tables
from .workbook import EXCEL_CELL_LIMIT, EXCEL_CUT, write_workbook

__all__ = ["EXCEL_CELL_LIMIT", "EXCEL_CUT", "FIGURE_CAPTIONS", "GENERATOR_MARK", "Progress", "ReportData", "TABLES",
           "build_report", "check_replaceable", "comparison_frames", "corpus_tokens", "directions_frame", "esc",
           "generated_at_text", "goal_labels", "plans_frame", "render_html", "report_data", "report_figures",
           "report_tables", "write_report", "write_workbook"]
