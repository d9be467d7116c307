"""Reading one sheet of an Excel ``.xlsx`` workbook from its bytes: cell texts and formulas.

A formula cell is read as the value Excel computed and saved with it.  A workbook written by a
program other than Excel (openpyxl, some converters) may hold a formula with no saved value: that
cell reads as empty and is listed in :attr:`Sheet.formulas`, so the importer can warn with the
sheet, the cell and the formula instead of dropping the text silently.
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from ..errors import InputError

# What a damaged workbook raises (a zip, then compressed XML): never a traceback.
DAMAGED = (zipfile.BadZipFile, zlib.error, ParseError, EOFError, KeyError, OSError, ValueError,
           TypeError, IndexError, AttributeError)


@dataclass
class FormulaCell:
    """A formula cell with no saved value (read as empty)."""

    line: int  # the Excel row number
    column: int  # 0-based
    coordinate: str  # e.g. D2
    formula: str  # as written, with its leading =


@dataclass
class Sheet:
    """The rows of one worksheet (Excel row number, cell texts) and its unevaluated formulas."""

    title: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    formulas: list[FormulaCell] = field(default_factory=list)


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell value as the text a reader sees: whole floats without ``.0``; a date without its
    midnight time (2023-04-01, ISO); a percentage cell as Excel shows it (0.85 → 85%); TRUE/FALSE.

    >>> cell_text(3.0), cell_text(None), cell_text("見守り"), cell_text(0.855, "0.0%"), cell_text(True)
    ('3', '', '見守り', '85.5%', 'TRUE')
    >>> import datetime
    >>> cell_text(datetime.datetime(2023, 4, 1)), cell_text(datetime.datetime(2023, 4, 1, 9, 30))
    ('2023-04-01', '2023-04-01T09:30:00')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)) and "%" in (number_format or ""):
        return f"{round(value * 100, 10):g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_sheet(data: bytes, file: str, sheet: str | None = None) -> Sheet:
    """The sheet named ``sheet`` (default: the first) of the workbook ``data``.

    Parameters
    ----------
    data
        The bytes of the ``.xlsx`` file (read once by the caller).
    file
        The file name used in errors.
    sheet
        A sheet name; None means the first sheet.

    Returns
    -------
    Sheet
        Rows of cell texts (formula cells as their saved values) and the formulas with none.
    """
    values = _load(data, file, data_only=True)
    try:
        worksheet = _pick(values, file, sheet)
        result = Sheet(title=worksheet.title)
        try:  # read-only workbooks are read lazily: damage can show only here
            for number, row in enumerate(worksheet.iter_rows(), 1):
                result.rows.append((number, [cell_text(getattr(c, "value", None), getattr(c, "number_format", ""))
                                             for c in row]))
        except DAMAGED as exc:
            raise InputError(f"not a readable Excel .xlsx file ({type(exc).__name__}, after row "
                             f"{len(result.rows)})", file=file, line=len(result.rows) + 1) from exc
    finally:
        values.close()
    result.formulas = _unevaluated(data, file, result)
    return result


def _load(data: bytes, file: str, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except DAMAGED as exc:
        raise InputError(f"not a readable Excel .xlsx file ({type(exc).__name__})", file=file) from exc


def _pick(workbook, file: str, sheet: str | None):
    if not workbook.worksheets:
        raise InputError("the workbook has no worksheet", file=file)
    if sheet is None:
        return workbook.worksheets[0]
    if sheet in workbook.sheetnames:
        return workbook[sheet]
    raise InputError(f"no sheet named {sheet!r}; the workbook has: {', '.join(workbook.sheetnames)}",
                     file=file, field="sheet")


def _unevaluated(data: bytes, file: str, sheet: Sheet) -> list[FormulaCell]:
    """Formula cells whose saved value is missing (the second reading sees formulas, not values)."""
    texts = dict(sheet.rows)
    found: list[FormulaCell] = []
    workbook = _load(data, file, data_only=False)
    try:
        for number, row in enumerate(workbook[sheet.title].iter_rows(), 1):
            for column, cell in enumerate(row):
                if getattr(cell, "data_type", None) != "f":
                    continue
                cells = texts.get(number, [])
                if column < len(cells) and cells[column].strip():
                    continue  # Excel saved its value: that is what was read
                formula = getattr(cell.value, "text", cell.value)  # an ArrayFormula keeps it in .text
                found.append(FormulaCell(line=number, column=column, coordinate=cell.coordinate,
                                         formula=str(formula)))
    except DAMAGED as exc:
        raise InputError(f"not a readable Excel .xlsx file ({type(exc).__name__})", file=file) from exc
    finally:
        workbook.close()
    return found
