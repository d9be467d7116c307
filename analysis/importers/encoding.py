"""Reading a source file's bytes as text, the way Japanese offices save them.

Detection order: a BOM (UTF-8, UTF-16) decides; otherwise valid UTF-8 is UTF-8; otherwise
Shift_JIS/CP932 if it decodes; otherwise one :class:`~analysis.errors.InputError` naming the first
line that decodes in neither.  Binary files (NUL bytes without a UTF-16 BOM) and empty files are
refused with one clear message.

>>> decode_source("連携".encode("cp932"), "a.csv")
('連携', 'cp932')
>>> decode_source(b"\\xef\\xbb\\xbfa,b\\r\\n", "a.csv")
('a,b\\r\\n', 'utf-8-sig')
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Iterator

from ..errors import InputError

ENCODINGS = ("utf-8-sig", "utf-16", "utf-8", "cp932")
# The longest CSV cell read (csv's own default, 131,072 characters, is shorter than cells
# keikaku itself writes); 2**31 - 1 is the largest limit every platform's csv module accepts.
CSV_FIELD_LIMIT = 2**31 - 1


def read_source_bytes(path: str | Path) -> bytes:
    """The file's bytes, or one InputError (missing, a directory, unreadable, empty)."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a source file", file=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from exc
    return data


def decode_source(data: bytes, file: str) -> tuple[str, str]:
    """Decode ``data`` and say which encoding was used; refuse empty and binary input."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError("empty file, expected a table with a header row", file=file, line=1)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig", file), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", file), "utf-16"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte), expected text (CSV, TSV) or .xlsx",
                         file=file, line=line)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        pass
    # Name the first line that is neither UTF-8 nor CP932, or else the first line that is not in
    # the encoding of the first non-ASCII line (the file mixes the two).
    seen: tuple[str, int] | None = None
    for number, raw in enumerate(data.split(b"\n"), 1):
        fits = [encoding for encoding in ("utf-8", "cp932") if _fits(raw, encoding)]
        if not fits:
            raise InputError("unknown encoding: this line is neither UTF-8 nor Shift_JIS/CP932 "
                             "(save the file as UTF-8 or CP932)", file=file, line=number)
        if seen is None and raw.isascii():
            continue
        if seen is None:
            seen = (fits[0], number)
        elif seen[0] not in fits:
            names = {"utf-8": "UTF-8", "cp932": "Shift_JIS/CP932"}
            raise InputError(f"unknown encoding: mixes UTF-8 and Shift_JIS/CP932 lines: this line is "
                             f"{names[fits[0]]}, line {seen[1]} is {names[seen[0]]} (save the file as UTF-8)",
                             file=file, line=number)
    raise InputError("unknown encoding: mixes UTF-8 and Shift_JIS/CP932 lines "
                     "(save the file as UTF-8)", file=file, line=1)


def _fits(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n" if encoding != "utf-16" else b"\n\x00") + 1
        raise InputError(f"invalid {encoding} (the file starts with a BOM but is not {encoding})",
                         file=file, line=line) from exc


def csv_rows(text: str, file: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of every CSV record of ``text``, ``line`` being the 1-based line where the
    record starts; a malformed record is one InputError naming its line.

    Cells may be up to :data:`CSV_FIELD_LIMIT` characters long.

    >>> list(csv_rows('a,"b\\nc"\\r\\nd\\r\\n', "t.csv"))
    [(1, ['a', 'b\\nc']), (3, ['d'])]
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:  # process-wide; only ever raised
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"not a readable CSV row: {exc}", file=file, line=start) from exc


def split_lines(text: str) -> list[str]:
    """Physical lines, 1-based by index+1; CRLF and CR line ends are accepted.

    >>> split_lines("a\\r\\nb\\n")
    ['a', 'b', '']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
