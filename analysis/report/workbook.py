"""The report's Excel workbook: one sheet per table, Japanese sheet names, the same bytes for
the same tables.

What a worksheet cannot hold is marked, never dropped silently: control characters become
U+FFFD and a text longer than a cell holds ends with :data:`EXCEL_CUT` (the CSV beside the
workbook keeps everything); a text starting with ``=`` (``+``, ``-``, ``@``) is stored as text,
never as a formula.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..outputs import plain_value
from .figures import FIGURE_TABLES
from .tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

EXCEL_CELL_LIMIT = 32767  # characters a worksheet cell holds
EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS = 1_048_576, 16_384  # a worksheet's size
TOO_LARGE = ("この表（{label}）は {rows:,} 行 × {columns:,} 列あり、Excel のシートの上限（{max_rows:,} 行 × "
             "{max_columns:,} 列）を超えるため、このシートには載せていません。全体は tables/{name}.csv にあります。")
EXCEL_CUT = "…（以下省略：全文は tables フォルダの CSV にあります）"
# The workbook's document dates and zip entry dates: fixed, so equal tables are equal bytes.
_FIXED_MOMENT = _dt.datetime(2000, 1, 1)


def write_workbook(path: str | Path, tables: dict[str, "pd.DataFrame"]) -> None:
    """Write one Excel workbook, one sheet per table, atomically and with fixed document dates.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file (replaced as a whole).
    tables : dict of str to DataFrame
        By the names of :data:`~analysis.report.tables.TABLES` or
        :data:`~analysis.report.figures.FIGURE_TABLES` (which give the Japanese sheet names);
        another name is its own sheet name.  Every sheet's header row carries filters
        (``auto_filter``) and stays in view (frozen).

    Returns
    -------
    None
    """
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from ..outputs import atomic_write_bytes

    # Write-only: rows are streamed to the file, not held as cell objects (a national corpus's
    # findings are millions of cells); widths, panes and filters are set before the first row.
    workbook = Workbook(write_only=True)
    workbook.properties.created = _FIXED_MOMENT
    workbook.properties.modified = _FIXED_MOMENT
    workbook.properties.creator = "keikaku"
    used: set[str] = set()
    names = {**TABLES, **FIGURE_TABLES}
    for name, frame in tables.items():
        label = names.get(name, (name, ""))[0]
        sheet = workbook.create_sheet(sheet_name(label, used))
        if len(frame) + 1 > EXCEL_MAX_ROWS or len(frame.columns) > EXCEL_MAX_COLUMNS:
            # e.g. themes × goals of thousands of owners: said in the sheet, never cut silently
            sheet.append([TOO_LARGE.format(label=label, rows=len(frame) + 1, columns=len(frame.columns),
                                           max_rows=EXCEL_MAX_ROWS, max_columns=EXCEL_MAX_COLUMNS, name=name)])
            continue
        for i, column in enumerate(frame.columns, 1):
            longest = max([len(str(column))] + [min(len(str(v)), 60) for v in frame[column].head(200)])
            sheet.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest * 1.8 + 2))
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_text_cell(sheet, v) for v in map(cell_value, row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(path, _fixed_zip(buffer.getvalue(), _FIXED_MOMENT))


def _fixed_zip(data: bytes, moment: _dt.datetime) -> bytes:
    """The same zip with every entry dated ``moment`` and openpyxl's save time in
    ``docProps/core.xml`` replaced, so equal workbooks are equal bytes."""
    import io
    import re
    import zipfile

    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(moment.year, moment.month, moment.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def sheet_name(base: str, used: set[str]) -> str:
    """A worksheet name from ``base``: at most 31 characters, none of ``[]:*?/\\``, not in ``used``.

    Parameters
    ----------
    base : str
    used : set of str
        The names given so far; the new name is added to it.

    Returns
    -------
    str

    Examples
    --------
    >>> used = set()
    >>> sheet_name("比較/重点", used), sheet_name("比較/重点", used), sheet_name("", used)
    ('比較_重点', '比較_重点_2', '表')
    """
    name = "".join("_" if ch in '[]:*?/\\' else ch for ch in base)[:31] or "表"
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name[:28]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def cell_value(value: Any) -> Any:
    """What a worksheet cell holds for ``value``.

    Parameters
    ----------
    value : object
        Lists are joined with ``、``; NaN and numpy values become plain Python values
        (:func:`analysis.outputs.plain_value`).

    Returns
    -------
    object
        Text with control characters as U+FFFD, cut to :data:`EXCEL_CELL_LIMIT` (ending with
        :data:`EXCEL_CUT`); a text that would start a formula is written as text by the workbook
        writer, as written (no ``'`` added: Excel would show it).

    Examples
    --------
    >>> cell_value(["連携", "協働"]), cell_value("=SUM(A1)")
    ('連携、協働', '=SUM(A1)')
    >>> cell_value("見守り\\x07") == "見守り\\ufffd"
    True
    """
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    value = plain_value(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # Control characters cannot be stored in a worksheet: shown as U+FFFD (the CSV keeps them).
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[:EXCEL_CELL_LIMIT - len(EXCEL_CUT)] + EXCEL_CUT
    return value


def _text_cell(sheet, value: Any) -> Any:
    """``value`` as the write-only sheet takes it: a text starting with ``=`` as a string cell
    (openpyxl would store it as a formula; corpus text is never one), anything else as it is."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
