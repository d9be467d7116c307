"""The corpus on disk: CSV tables planners can open in Excel, plus a byte-stable manifest.

Layout of a corpus directory (``corpus/<name>/``)::

    manifest.json      name, format version, sources (file, sha256, format, encoding, options)
    source/            the source files, verbatim (a PDF's or Word file's extracted cells beside
                       it, NAME.cells.tsv; a folder source's files in source/FOLDER/)
    plans.csv          one row per plan (generation, role, title, owner, period, 基本理念)
    goals.csv          one row per basic goal (plan, number, title, label, raw label, line)
    directions.csv     one row per policy direction (texts, 重点取組, raw labels, source lines)
    initiatives.csv    one row per initiative (direction, position, text)
    links.csv          direction → next-generation direction (kind, 再掲, line)
    warnings.csv       what the importer reports (file, line, field, message)
    skipped.csv        source lines deliberately not imported (page titles, header rows)

and, only when the corpus holds any (so older folders and the bundled corpus stay as they are)::

    levels.csv         the hierarchy above a unit (direction, depth, label, value)
    texts.csv          evaluation texts of a unit with their labels (direction, position, label, text)
    decisions.csv      a unit's decision as written and its class (direction, header, label, class)
    ratings.csv        categorical answers (direction, position, question, value, reason)
    periods.csv        the period a unit's row is about (direction, period)
    attributes.csv     unmapped columns of a unit (direction, header, value)

CSV is UTF-8 with BOM and CRLF (opens in Excel); lists of lines are written ``6;12``.  Files
saved back by Excel as Shift_JIS/CP932 are read too.  ``read_corpus(write_corpus(c))`` equals
``c``; nothing in the directory depends on the time or the keikaku version.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from .corpus import (Corpus, Decision, Direction, EvaluationText, Goal, ImportWarning, Level, Link,
                     Plan, Rating)
from .errors import InputError, OutputError
from .importers.decisions import CLASSES, UNKNOWN
from .outputs import atomic_directory, csv_text, json_dumps

FORMAT_VERSION = 1
# JSON nested deeper than this is refused before parsing (a corpus JSON needs 6 levels; Python's
# parser would otherwise fail with a RecursionError on very deep input).
MAX_JSON_DEPTH = 64
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
MANIFEST = "manifest.json"
SOURCE_DIR = "source"
# A planner's settings saved into the corpus folder (by keikaku explore: the edited lexicon, stop
# list and user word list, and the settings.toml naming them; or a settings.toml put there by
# hand): a rewrite of the corpus (``keikaku import`` again, in place) carries them over unchanged.
SETTINGS_FILES = ("settings.toml", "explore_themes.toml", "explore_stopwords.txt", "explore_userwords.txt")
TABLES: dict[str, tuple[str, ...]] = {
    "plans.csv": ("id", "generation", "role", "title", "owner", "period", "philosophy",
                  "source_file", "source_line"),
    "goals.csv": ("plan", "number", "title", "label", "raw_label", "source_line"),
    "directions.csv": ("id", "plan", "goal", "number", "title", "priority", "evaluation", "text",
                       "goal_label_raw", "philosophy_raw", "source_file", "source_lines",
                       "relisted_lines"),
    "initiatives.csv": ("direction", "position", "text"),
    "links.csv": ("from", "to", "kind", "relisted", "line"),
    "warnings.csv": ("file", "line", "field", "message"),
    "skipped.csv": ("file", "line", "reason", "text"),
}
# Tables written only when they have rows; a folder without them reads as having none.
OPTIONAL_TABLES: dict[str, tuple[str, ...]] = {
    "levels.csv": ("direction", "depth", "label", "value"),
    "texts.csv": ("direction", "position", "label", "text"),
    "decisions.csv": ("direction", "header", "label", "class"),
    "ratings.csv": ("direction", "position", "question", "value", "reason"),
    "periods.csv": ("direction", "period"),
    "attributes.csv": ("direction", "header", "value"),
}
ALL_TABLES = {**TABLES, **OPTIONAL_TABLES}
DECISION_CLASSES = (*CLASSES, UNKNOWN)


def bundled_corpus_path() -> Path:
    """The corpus shipped with keikaku (``corpus/higashimatsuyama`` in the repository)."""
    import analysis

    return Path(analysis.__file__).resolve().parent.parent / "corpus" / "higashimatsuyama"


# -- writing ----------------------------------------------------------------------------------
def _lines(values: list[int]) -> str:
    return ";".join(str(v) for v in values)


def _bool(value: bool) -> str:
    return "1" if value else "0"


def corpus_tables(corpus: Corpus) -> dict[str, list[list[Any]]]:
    """The rows of every table, in the order they are written."""
    tables: dict[str, list[list[Any]]] = {name: [] for name in ALL_TABLES}
    for plan in corpus.plans:
        tables["plans.csv"].append([plan.id, plan.generation, plan.role, plan.title, plan.owner,
                                    plan.period, plan.philosophy, plan.source_file, plan.source_line])
        for goal in plan.goals:
            tables["goals.csv"].append([plan.id, goal.number, goal.title, goal.label, goal.raw_label,
                                        goal.source_line])
            for d in goal.directions:
                if d.plan_id != plan.id or d.goal_number != goal.number:
                    raise InputError(f"direction {d.id} is filed under {plan.id} goal {goal.number} "
                                     f"but says plan {d.plan_id} goal {d.goal_number}", field="directions")
                tables["directions.csv"].append([
                    d.id, d.plan_id, d.goal_number, d.number, d.title, d.priority, d.evaluation,
                    d.text, d.goal_label_raw, d.philosophy_raw, d.source_file,
                    _lines(d.source_lines), _lines(d.relisted_lines)])
                for position, text in enumerate(d.initiatives, 1):
                    tables["initiatives.csv"].append([d.id, position, text])
                _unit_rows(tables, d)
    for link in corpus.links:
        tables["links.csv"].append([link.source, link.target, link.kind, _bool(link.relisted), link.line])
    for w in corpus.warnings:
        tables["warnings.csv"].append([w.file, w.line, w.field, w.message])
    for s in corpus.skipped:
        tables["skipped.csv"].append([s.get("file", ""), s.get("line"), s.get("reason", ""),
                                      s.get("text", "")])
    return tables


def _unit_rows(tables: dict[str, list[list[Any]]], d: Direction) -> None:
    """The rows of the optional tables for one unit."""
    for depth, level in enumerate(d.levels, 1):
        tables["levels.csv"].append([d.id, depth, level.label, level.value])
    for position, text in enumerate(d.texts, 1):
        tables["texts.csv"].append([d.id, position, text.label, text.text])
    if d.decision is not None:
        tables["decisions.csv"].append([d.id, d.decision.header, d.decision.label, d.decision.class_])
    for position, rating in enumerate(d.ratings, 1):
        tables["ratings.csv"].append([d.id, position, rating.question, rating.value, rating.reason])
    if d.period:
        tables["periods.csv"].append([d.id, d.period])
    for header, value in d.attributes.items():
        tables["attributes.csv"].append([d.id, header, value])


def written_tables(tables: dict[str, list[list[Any]]]) -> dict[str, tuple[str, ...]]:
    """The tables a corpus directory holds: every required one, and the optional ones with rows."""
    return {name: header for name, header in ALL_TABLES.items()
            if name in TABLES or tables.get(name)}


def manifest(corpus: Corpus, tables: dict[str, list[list[Any]]] | None = None) -> dict:
    tables = corpus_tables(corpus) if tables is None else tables
    return {"format_version": FORMAT_VERSION, "name": corpus.name, "sources": list(corpus.sources),
            "tables": sorted(written_tables(tables))}


def write_corpus(corpus: Corpus, path: str | Path, *, sources: Iterable[str | Path] = ()) -> None:
    """Write ``corpus`` as a corpus directory at ``path``, replacing it as a whole, atomically
    (the planner's :data:`SETTINGS_FILES` in it are carried over byte for byte).

    ``sources`` are copied verbatim into ``source/``: from the bytes the corpus was imported from
    (``Corpus.source_data``) when it holds them, so a source is read only once, else read from
    disk.  Source files already in ``path/source`` that the corpus lists (same name and sha256)
    are kept, so a rewrite never loses them.
    """
    import hashlib

    path = Path(path)
    if path.is_dir() and any(path.iterdir()) and not (path / MANIFEST).is_file():
        # the directory is replaced as a whole: never replace something that is not a corpus
        raise OutputError("exists and is not a keikaku corpus directory (no manifest.json); "
                          "choose a new or empty directory", file=str(path))
    tables = corpus_tables(corpus)  # fails before anything is written
    wanted = {s.get("file"): s.get("sha256") for s in corpus.sources}
    copies: dict[str, bytes] = {}
    folders = {s.get("file") for s in corpus.sources if s.get("files")}
    for source in sources:
        source = Path(source)
        if source.name in folders:
            continue  # a folder source: its files are copied below, from source_data
        if source.name in corpus.source_data:
            copies[source.name] = corpus.source_data[source.name]
            continue
        try:
            copies[source.name] = source.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=str(source)) from exc
    for record in corpus.sources:  # kept beside a source: the cells a PDF's tables gave, verbatim,
        # and the files of a folder source (FOLDER/NAME.pdf)
        for derived in [record.get("cells")] + [f.get("path") for f in record.get("files", [])]:
            if isinstance(derived, str) and derived in corpus.source_data:
                copies[derived] = corpus.source_data[derived]
    old_sources = path / SOURCE_DIR
    if old_sources.is_dir():
        for name, sha in wanted.items():
            old = old_sources / str(name)
            if name not in copies and old.is_file():
                data = old.read_bytes()
                if hashlib.sha256(data).hexdigest() == sha:
                    copies[str(name)] = data
    kept = _settings_files(path) if path.is_dir() else {}
    with atomic_directory(path) as staging:
        for name, data in kept.items():
            (staging / name).write_bytes(data)
        (staging / "manifest.json").write_text(json_dumps(manifest(corpus, tables)), encoding="utf-8")
        for name, header in written_tables(tables).items():
            text = "\ufeff" + csv_text(header, tables[name])
            (staging / name).write_bytes(text.encode("utf-8"))
        if copies:
            (staging / SOURCE_DIR).mkdir()
            for name, data in sorted(copies.items()):
                (staging / SOURCE_DIR / name).parent.mkdir(parents=True, exist_ok=True)
                (staging / SOURCE_DIR / name).write_bytes(data)


def _settings_files(path: Path) -> dict[str, bytes]:
    """The :data:`SETTINGS_FILES` in the corpus folder ``path``, as bytes (a link: what it points
    to; a folder of that name, or none, is not carried over)."""
    found = {}
    for name in SETTINGS_FILES:
        file = path / name
        if file.is_file():
            try:
                found[name] = file.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read the settings to keep: {exc.strerror or exc}", file=str(file)) from exc
    return found


# -- reading ----------------------------------------------------------------------------------
class _Table:
    def __init__(self, directory: Path, name: str) -> None:
        from .importers.encoding import csv_rows, decode_source

        self.file = str(directory / name)
        path = directory / name
        self.rows: list[tuple[int, dict[str, str]]] = []
        if not path.is_file():
            if name in OPTIONAL_TABLES:
                return  # an older folder, or a corpus with nothing of this kind
            raise InputError(f"missing table {name} (a corpus directory has {', '.join(TABLES)})",
                             file=self.file)
        text, _ = decode_source(path.read_bytes(), self.file) if path.stat().st_size else ("", "")
        records = csv_rows(text, self.file)
        try:
            _, header = next(records)
        except StopIteration:
            raise InputError("empty table, expected a header row: " + ",".join(ALL_TABLES[name]),
                             file=self.file, line=1) from None
        missing = [c for c in ALL_TABLES[name] if c not in header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)} in the header", file=self.file,
                             line=1)
        for start, cells in records:
            if any(c.strip() for c in cells):
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                    raise InputError(f"expected {len(header)} cells, found {len(cells)}",
                                     file=self.file, line=start)
                cells = cells + [""] * (len(header) - len(cells))
                self.rows.append((start, dict(zip(header, cells))))

    def int(self, line: int, row: dict, key: str, *, required: bool = False) -> int | None:
        value = row[key].strip()
        if not value:
            if required:
                raise InputError("expected a number, found nothing", file=self.file, line=line, field=key)
            return None
        try:
            return int(value)
        except ValueError:
            raise InputError(f"expected a whole number, found {value!r}", file=self.file, line=line,
                             field=key) from None

    def lines(self, line: int, row: dict, key: str) -> list[int]:
        parts = [p for p in row[key].replace(",", ";").replace(" ", ";").split(";") if p.strip()]
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise InputError(f"expected line numbers like 6;12, found {row[key]!r}", file=self.file,
                             line=line, field=key) from None

    def bool(self, line: int, row: dict, key: str) -> bool:
        value = row[key].strip().lower()
        if value in ("1", "true", "yes", "再掲"):
            return True
        if value in ("", "0", "false", "no"):
            return False
        raise InputError(f"expected 1 or 0, found {row[key]!r}", file=self.file, line=line, field=key)


def read_corpus(path: str | Path) -> Corpus:
    """Read a corpus directory written by :func:`write_corpus` (and perhaps edited in Excel)."""
    path = Path(path)
    if not path.is_dir():
        raise InputError("no such corpus directory", file=str(path))
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise InputError("not a corpus directory: no manifest.json (make one with keikaku import)",
                         file=str(path))
    meta = read_json(manifest_path)
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        raise InputError(f"expected format_version {FORMAT_VERSION}", file=str(manifest_path),
                         field="format_version")
    corpus = Corpus(name=meta.get("name", path.name), sources=list(meta.get("sources", [])))

    plans = _Table(path, "plans.csv")
    for line, row in plans.rows:
        role = row["role"].strip() or "evaluated"
        if role not in ("evaluated", "next"):
            raise InputError(f"expected evaluated or next, found {role!r}", file=plans.file, line=line,
                             field="role")
        corpus.plans.append(Plan(
            id=row["id"], generation=plans.int(line, row, "generation", required=True),
            title=row["title"], owner=row["owner"], period=row["period"], philosophy=row["philosophy"],
            role=role, source_file=row["source_file"], source_line=plans.int(line, row, "source_line")))
    by_plan = {p.id: p for p in corpus.plans}

    goals = _Table(path, "goals.csv")
    goal_index: dict[tuple[str, int | None], Goal] = {}
    for line, row in goals.rows:
        plan = by_plan.get(row["plan"])
        if plan is None:
            raise InputError(f"unknown plan {row['plan']!r} (not in plans.csv)", file=goals.file,
                             line=line, field="plan")
        goal = Goal(plan_id=plan.id, number=goals.int(line, row, "number"), title=row["title"],
                    label=row["label"], raw_label=row["raw_label"],
                    source_line=goals.int(line, row, "source_line"))
        plan.goals.append(goal)
        goal_index[(plan.id, goal.number)] = goal

    directions = _Table(path, "directions.csv")
    by_id: dict[str, Direction] = {}
    for line, row in directions.rows:
        goal_number = directions.int(line, row, "goal")
        goal = goal_index.get((row["plan"], goal_number))
        if goal is None:
            raise InputError(f"unknown goal {goal_number} of plan {row['plan']!r} (not in goals.csv)",
                             file=directions.file, line=line, field="goal")
        if row["id"] in by_id:
            raise InputError(f"duplicate direction id {row['id']!r}", file=directions.file, line=line,
                             field="id")
        direction = Direction(
            id=row["id"], plan_id=row["plan"], goal_number=goal_number,
            number=directions.int(line, row, "number"), title=row["title"],
            evaluation=row["evaluation"], text=row["text"],
            priority=directions.int(line, row, "priority"),
            relisted_lines=directions.lines(line, row, "relisted_lines"),
            goal_label_raw=row["goal_label_raw"], philosophy_raw=row["philosophy_raw"],
            source_file=row["source_file"], source_lines=directions.lines(line, row, "source_lines"))
        goal.directions.append(direction)
        by_id[direction.id] = direction

    initiatives = _Table(path, "initiatives.csv")
    for line, row in initiatives.rows:
        direction = by_id.get(row["direction"])
        if direction is None:
            raise InputError(f"unknown direction {row['direction']!r} (not in directions.csv)",
                             file=initiatives.file, line=line, field="direction")
        initiatives.int(line, row, "position")
        direction.initiatives.append(row["text"])

    _read_unit_tables(path, by_id)
    links, repeated = _read_links(path, by_id)
    corpus.links.extend(links)

    warnings = _Table(path, "warnings.csv")
    for line, row in warnings.rows:
        corpus.warnings.append(ImportWarning(line=warnings.int(line, row, "line"), message=row["message"],
                                             file=row["file"], field=row["field"]))
    corpus.warnings.extend(repeated)
    skipped = _Table(path, "skipped.csv")
    for line, row in skipped.rows:
        corpus.skipped.append({"file": row["file"], "line": skipped.int(line, row, "line"),
                               "reason": row["reason"], "text": row["text"]})
    return corpus


def _read_unit_tables(path: Path, by_id: dict[str, Direction]) -> None:
    """Levels, texts, decisions, ratings, periods and attributes of the units (optional tables)."""

    def rows(name: str):
        table = _Table(path, name)
        for line, row in table.rows:
            direction = by_id.get(row["direction"])
            if direction is None:
                raise InputError(f"unknown direction {row['direction']!r} (not in directions.csv)",
                                 file=table.file, line=line, field="direction")
            yield table, line, row, direction

    for table, line, row, d in rows("levels.csv"):
        table.int(line, row, "depth")
        d.levels.append(Level(label=row["label"], value=row["value"]))
    for table, line, row, d in rows("texts.csv"):
        table.int(line, row, "position")
        d.texts.append(EvaluationText(label=row["label"], text=row["text"]))
    for table, line, row, d in rows("decisions.csv"):
        if d.decision is not None:
            raise InputError(f"a second decision for {d.id} (one per direction)", file=table.file,
                             line=line, field="direction")
        kind = row["class"].strip() or UNKNOWN
        if kind not in DECISION_CLASSES:
            raise InputError(f"expected one of {', '.join(DECISION_CLASSES)}, found {kind!r}",
                             file=table.file, line=line, field="class")
        d.decision = Decision(label=row["label"], class_=kind, header=row["header"])
    for table, line, row, d in rows("ratings.csv"):
        table.int(line, row, "position")
        d.ratings.append(Rating(question=row["question"], value=row["value"], reason=row["reason"]))
    for table, line, row, d in rows("periods.csv"):
        d.period = row["period"]
    for table, line, row, d in rows("attributes.csv"):
        if row["header"] in d.attributes:
            raise InputError(f"attribute {row['header']!r} of {d.id} given twice", file=table.file,
                             line=line, field="header")
        d.attributes[row["header"]] = row["value"]


def _read_links(path: Path, by_id: dict[str, Direction]) -> tuple[list[Link], list[ImportWarning]]:
    """The links of ``links.csv``, each pair once, and a warning for every row that repeats one."""
    table = _Table(path, "links.csv")
    found: list[Link] = []
    seen: dict[tuple[str, str, str], int] = {}
    repeated: list[ImportWarning] = []
    for line, row in table.rows:
        for key in ("from", "to"):
            if row[key] not in by_id:
                raise InputError(f"unknown direction {row[key]!r} (not in directions.csv)",
                                 file=table.file, line=line, field=key)
        kind = row["kind"].strip() or "stated"
        if kind not in ("stated", "content"):
            raise InputError(f"expected stated or content, found {kind!r}", file=table.file, line=line,
                             field="kind")
        first = seen.setdefault((row["from"], row["to"], kind), line)
        if first != line:  # e.g. a row copied in Excel: one link, counted once
            repeated.append(ImportWarning(
                line=line, file="links.csv", field="from",
                message=f"つながり {row['from']} → {row['to']}（{kind}）は{first}行目と同じです。1件として数えました"))
            continue
        found.append(Link(source=row["from"], target=row["to"], kind=kind,
                          relisted=table.bool(line, row, "relisted"), line=table.int(line, row, "line")))
    return found, repeated


def load_corpus(path: str | Path | None = None) -> Corpus:
    """The corpus at ``path``: None → the bundled corpus; a directory → :func:`read_corpus`; a
    ``.json`` file → the JSON of ``keikaku corpus --json``; a source file (.txt, .tsv, .csv, .xlsx) → imported on the fly (CSV/Excel need a mapping: its
    sibling ``NAME.mapping.toml``, else use :func:`analysis.importers.import_source`)."""
    if path is None:
        path = bundled_corpus_path()
    path = Path(path)
    if path.is_dir():
        return read_corpus(path)
    if not path.exists():
        raise InputError("no such corpus directory or source file", file=str(path))
    if path.suffix.lower() == ".json":
        return _corpus_json(path)
    from .importers import SOURCE_SUFFIXES, import_source, sibling_mapping

    if path.suffix.lower() not in SOURCE_SUFFIXES:
        raise InputError("expected a corpus directory, a corpus JSON (keikaku corpus --json) or a "
                         f"source file ({', '.join(SOURCE_SUFFIXES)})", file=str(path))
    return import_source(path, mapping=sibling_mapping(path))


def read_json(path: Path, *, what: str = "valid JSON") -> Any:
    """The JSON document at ``path``; one InputError naming the file and line when it is not
    UTF-8 JSON or is nested deeper than :data:`MAX_JSON_DEPTH`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "c.json"
    ...     _ = p.write_text('{"name": "東松山"}', encoding="utf-8")
    ...     read_json(p)
    {'name': '東松山'}
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not {what}: {exc}", file=str(path)) from exc
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"not {what}: nested deeper than {MAX_JSON_DEPTH} levels",
                                 file=str(path), line=text.count("\n", 0, token.start()) + 1)
        elif mark in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not {what}: {exc}", file=str(path), line=getattr(exc, "lineno", None)) from exc


def _corpus_json(path: Path) -> Corpus:
    data = read_json(path, what="a corpus JSON")
    try:
        corpus = Corpus.from_dict(data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(f"not a corpus JSON: missing or wrong field {exc}", file=str(path)) from exc
    check_corpus_types(corpus, file=str(path))
    return corpus


def _check_unit_types(where: str, d: Direction, text, fail) -> None:
    """The types of a unit's levels, texts, decision, ratings, period and attributes."""
    text(f"{where}.period", d.period)
    for key, kind, names in (("levels", Level, ("label", "value")),
                             ("texts", EvaluationText, ("label", "text")),
                             ("ratings", Rating, ("question", "value", "reason"))):
        values = getattr(d, key)
        if not isinstance(values, list):
            fail(f"{where}.{key}", "a list", values)
        for i, value in enumerate(values):
            for name in names:
                text(f"{where}.{key}[{i}].{name}", getattr(value, name))
    if d.decision is not None:
        for name in ("label", "class_", "header"):
            text(f"{where}.decision.{name.rstrip('_')}", getattr(d.decision, name))
        if d.decision.class_ not in DECISION_CLASSES:
            fail(f"{where}.decision.class", f"one of {', '.join(DECISION_CLASSES)}", d.decision.class_)
    if not isinstance(d.attributes, dict):
        fail(f"{where}.attributes", "an object {header: value}", d.attributes)
    for header, value in d.attributes.items():
        text(f"{where}.attributes[{header!r}]", value)


def check_corpus_types(corpus: Corpus, *, file: str | None = None) -> None:
    """Refuse a corpus whose fields have the wrong type (a corpus JSON edited by hand), with one
    InputError naming the field, e.g. ``plans[0].goals[1].directions[2].title``."""

    def fail(where: str, expected: str, value: Any) -> None:
        raise InputError(f"not a corpus JSON: expected {expected}, found {value!r}", file=file, field=where)

    def text(where: str, value: Any) -> None:
        if not isinstance(value, str):
            fail(where, "text", value)

    def number(where: str, value: Any, *, optional: bool = True) -> None:
        if value is None and optional:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            fail(where, "a whole number" + (" or null" if optional else ""), value)

    def listed(where: str, values: Any, check) -> None:
        if not isinstance(values, list):
            fail(where, "a list", values)
        for i, value in enumerate(values):
            check(f"{where}[{i}]", value)

    text("name", corpus.name)
    for i, plan in enumerate(corpus.plans):
        w = f"plans[{i}]"
        for key in ("id", "title", "owner", "period", "philosophy", "source_file"):
            text(f"{w}.{key}", getattr(plan, key))
        number(f"{w}.generation", plan.generation, optional=False)
        number(f"{w}.source_line", plan.source_line)
        if plan.role not in ("evaluated", "next"):
            fail(f"{w}.role", "evaluated or next", plan.role)
        for j, goal in enumerate(plan.goals):
            g = f"{w}.goals[{j}]"
            number(f"{g}.number", goal.number)
            number(f"{g}.source_line", goal.source_line)
            for key in ("title", "label", "raw_label"):
                text(f"{g}.{key}", getattr(goal, key))
            for k, d in enumerate(goal.directions):
                x = f"{g}.directions[{k}]"
                for key in ("id", "plan_id", "title", "evaluation", "text", "goal_label_raw", "philosophy_raw",
                            "source_file"):
                    text(f"{x}.{key}", getattr(d, key))
                for key in ("goal_number", "number", "priority"):
                    number(f"{x}.{key}", getattr(d, key))
                listed(f"{x}.initiatives", d.initiatives, text)
                listed(f"{x}.source_lines", d.source_lines, lambda at, v: number(at, v, optional=False))
                listed(f"{x}.relisted_lines", d.relisted_lines, lambda at, v: number(at, v, optional=False))
                _check_unit_types(x, d, text, fail)
    for i, link in enumerate(corpus.links):
        text(f"links[{i}].from", link.source)
        text(f"links[{i}].to", link.target)
        if link.kind not in ("stated", "content"):
            fail(f"links[{i}].kind", "stated or content", link.kind)
        number(f"links[{i}].line", link.line)
    for i, warning in enumerate(corpus.warnings):
        number(f"warnings[{i}].line", warning.line)
        for key in ("message", "file", "field"):
            text(f"warnings[{i}].{key}", getattr(warning, key))
