"""Importers: source files → :class:`~analysis.corpus.Corpus`.

Two ways in:

* ``evaluation-table`` — the tab-separated text a PDF evaluation table leaves (page titles,
  【…】 header rows, merged cells, ``<p>`` fragments); :func:`import_evaluation_table`.
* ``pdf`` — the published PDF of such an evaluation table, read straight from its tables
  (:mod:`.pdf`); the same corpus as the table given as text, with each row's page and table.
  Evaluation sheets (事務事業評価シート, :mod:`.sheets`) in a PDF, or a folder of sheet PDFs, give
  one unit per sheet.
* ``docx`` — the same table in a Word document (:mod:`.docx`), merged cells from the XML.
* ``csv`` / ``xlsx`` — a plan table with a column mapping; :func:`import_table`.

:func:`import_source` recognises the format from the file name (``.txt``/``.tsv`` → evaluation
table, or a table when a mapping is given; ``.csv`` → csv; ``.xlsx`` → xlsx; ``.pdf``, or a file
starting with ``%PDF-`` → pdf; ``.docx`` → docx).
:func:`import_sources` imports several sources, in generation order, into one corpus; a table
source may carry its own mapping in a sibling file ``NAME.mapping.toml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Mapping

from ..corpus import Corpus, owner_key
from ..errors import InputError, check_choice
from .build import merge_next_column
from .evaluation_table import import_evaluation_table
from .mapping import add_columns, read_mapping
from .owners import owner_numbers, prefix_ids
from .table import import_table

Format = Literal["evaluation-table", "csv", "xlsx", "pdf", "docx"]
FORMATS: tuple[str, ...] = ("evaluation-table", "csv", "xlsx", "pdf", "docx")
SOURCE_SUFFIXES = (".txt", ".tsv", ".csv", ".xlsx", ".pdf", ".docx")
DOCUMENTS = ("evaluation-table", "pdf", "docx")  # formats read by the evaluation-table reader
PDF_MAGIC = b"%PDF-"

__all__ = ["FORMATS", "import_source", "import_sources", "import_evaluation_table", "import_table",
           "read_mapping", "add_columns", "detect_format", "sibling_mapping"]


def detect_format(path: str | Path, *, mapping: Any = None) -> str:
    """The importer for ``path`` from its suffix (a PDF also from its first bytes, ``%PDF-``).

    >>> detect_format("plan.csv"), detect_format("評価.txt"), detect_format("plan.tsv", mapping={})
    ('csv', 'evaluation-table', 'csv')
    >>> detect_format("評価.PDF"), detect_format("評価.docx")
    ('pdf', 'docx')
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf" or (Path(path).is_dir() and any(Path(path).glob("*.[pP][dD][fF]"))):
        return "pdf"  # a folder of PDFs: evaluation sheets, one or more a file
    if suffix == ".docx":
        return "docx"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".txt", ".tsv"):
        return "csv" if mapping is not None else "evaluation-table"
    if suffix == ".doc":
        raise InputError(".doc is not supported: save the document as .docx (or PDF)", file=str(path))
    if suffix in (".xls", ".xlsm", ".ods"):
        raise InputError(f"{suffix} is not supported: save the workbook as .xlsx (or CSV)",
                         file=str(path))
    if _starts_with(path, PDF_MAGIC):
        return "pdf"
    raise InputError(f"cannot tell the format from the name; expected {', '.join(SOURCE_SUFFIXES)} "
                     "or name it with --format (evaluation-table, csv, xlsx, pdf, docx)", file=str(path))


def _starts_with(path: str | Path, magic: bytes) -> bool:
    """Whether ``path`` is a regular file starting with ``magic`` (a pipe is never opened)."""
    import stat

    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def import_source(path: str | Path, *, format: Format | None = None,
                  mapping: str | Path | Mapping[str, Any] | None = None, owner: str | None = None,
                  name: str | None = None, sheet: str | None = None,
                  generation: int | None = None) -> Corpus:
    """Import one source file with the importer its format needs.

    ``generation`` is the generation of a table's plan when neither its mapping nor its title
    states one (see :func:`import_sources`)."""
    if format is None:
        format = detect_format(path, mapping=mapping)  # type: ignore[assignment]
    check_choice("format", format, FORMATS)
    if format == "evaluation-table":
        if mapping is not None:
            raise InputError("a column mapping is for CSV/Excel tables, not for --format evaluation-table",
                             file=str(path), field="mapping")
        return import_evaluation_table(path, owner=owner, name=name)
    if format in ("pdf", "docx"):
        if mapping is not None:
            raise InputError(f"a column mapping is for CSV/Excel tables, not for a {format} evaluation "
                             "table", file=str(path), field="mapping")
        if format == "pdf":
            from .pdf import import_pdf  # pdfplumber is imported only for a PDF

            return import_pdf(path, owner=owner, name=name)
        from .docx import import_docx

        return import_docx(path, owner=owner, name=name)
    return import_table(path, mapping=mapping, format=format, owner=owner, name=name, sheet=sheet,
                        generation=generation)


def sibling_mapping(path: str | Path) -> Path | None:
    """The mapping a source carries beside it, ``NAME.mapping.toml`` (for ``next.csv``,
    ``next.mapping.toml``), or None.

    >>> sibling_mapping("corpus/examples/none.csv") is None
    True
    """
    sibling = Path(path).with_name(Path(path).stem + ".mapping.toml")
    return sibling if sibling.is_file() else None


def import_sources(paths: list[str | Path], *, format: Format | None = None,
                   mapping: str | Path | Mapping[str, Any] | None = None,
                   columns: list[str] = (), owner: str | None = None, name: str | None = None,
                   sheet: str | None = None,
                   recorded: Mapping[str, Mapping[str, Any]] | None = None) -> Corpus:
    """Import several sources, given in generation order, into one corpus.

    Each table source uses its sibling ``NAME.mapping.toml`` when it has one, else ``mapping``;
    ``columns`` (``ROLE=HEADER`` options) are added on top of either.  ``recorded`` (file name →
    the mapping a corpus's manifest records for it) is the fallback when neither is given, so a
    corpus is imported again as it was made.  A source whose plan states
    no generation (neither its mapping nor its title) follows the one before it.  Sources are
    linked by content only, in the analyses, with one exception: the next plan a source's
    次期計画の方向性 column names is the plan a later source gives (evaluated, or whole as a next
    plan), and its stated links go to that plan's directions of the same title (one not there is
    a warning, no link).  Otherwise two sources giving the same plan (generation) of one owner are
    an InputError naming both.
    Sources of several owners make one corpus of several chains, each owner's ids prefixed
    (``O2-P1``; :mod:`.owners`).
    """
    if not paths:
        raise InputError("no source given", field="source")
    names = [Path(p).name for p in paths]
    for i, file in enumerate(names):
        if file in names[:i]:
            raise InputError("two sources have the same file name; rename one (both are kept "
                             "in the corpus's source/ folder)", file=str(paths[i]))
    parts: list[Corpus] = []
    last = 0
    for path in paths:
        own = sibling_mapping(path)
        chosen: Any = own if own is not None else mapping
        if chosen is None and recorded:
            chosen = recorded.get(Path(path).name)
        if columns:
            chosen = add_columns(read_mapping(chosen) if chosen is not None else None, list(columns))
        is_table = (format or detect_format(path, mapping=chosen)) not in DOCUMENTS
        part = import_source(path, format=format, mapping=chosen if is_table else None, owner=owner,
                             name=name, sheet=sheet if is_table else None,
                             generation=last + 1 if is_table and last else None)
        last = max([last] + [p.generation for p in part.plans])
        parts.append(part)
    numbers = owner_numbers(parts)  # several owners: ids prefixed O1-, O2- … (see .owners)
    several = sum(1 for key in numbers if key) > 1
    # One plan id per chain (as Corpus.chains makes them): with at most one owner named, plans
    # without an owner are that owner's, so its P2 and theirs are one plan given twice.
    origin: dict[tuple[str, str], tuple[str, Corpus, Any]] = {}
    for path, part in zip(paths, parts):
        for plan in list(part.plans):
            key = (owner_key(plan.owner) if several else "", plan.id)
            if key in origin:
                first_file, first_part, first_plan = origin[key]
                if first_plan.role == "next" and any(p.role == "evaluated" for p in first_part.plans):
                    # a chain of evaluation tables, each with its 次期計画の方向性 column: the next
                    # plan that column names is the plan the later source evaluates (or gives
                    # whole, as a next plan of its own): one plan, the later source's
                    merge_next_column(first_part, first_plan, plan, first_file, Path(path).name)
                    origin[key] = (Path(path).name, part, plan)
                    continue
                whose = f" of {plan.owner}" if plan.owner else ""
                raise InputError(f"plan {plan.id}{whose} (generation {plan.generation}) comes from both "
                                 f"{first_file} and {Path(path).name}; give each source its own "
                                 "generation ([plan] generation in its mapping)", file=str(path))
            origin[key] = (Path(path).name, part, plan)
    corpus = parts[0]
    for part in parts:
        prefix_ids(part, numbers)
        if part is corpus:
            continue
        corpus.plans += part.plans
        corpus.links += part.links
        corpus.warnings += part.warnings
        corpus.skipped += part.skipped
        corpus.sources += part.sources
        corpus.source_data.update(part.source_data)
    corpus.plans.sort(key=lambda p: (numbers[owner_key(p.owner)] if several else 0, p.generation))
    if name is not None:
        corpus.name = name
    return corpus
