"""Property-based tests of the importers (issue 7): random and mutated tables.

Two properties for each importer (CSV/Excel table with a mapping, evaluation-table text):

* **never another exception**: whatever the bytes (columns added, removed, shuffled; cells emptied;
  rows cut short; UTF-8 / UTF-8 with BOM / CP932 / UTF-16; control characters, emoji, lone
  surrogates, cells over Sudachi's 49,149-byte limit; random byte damage), the result is a clean
  import or the project's own :class:`~analysis.errors.KeikakuError` naming the file and a line;
* **nothing dropped silently**: after a clean import every non-empty source cell is found in the
  corpus at its own line (in a direction's fields, a goal's raw label, a warning or a skipped
  line), and the corpus survives the round trip through its directory on disk.

Bounded and reproducible: a fixed number of examples, ``derandomize=True`` (a fixed seed), no
example database.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.corpus_io import read_corpus, write_corpus
from analysis.errors import KeikakuError
from analysis.importers import import_evaluation_table, import_table
from analysis.importers.patterns import strip_markup

PROPERTY = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# Text that carries no table syntax (no digits or kanji numerals that could number a goal,
# heading or initiative; no 重点/再掲/第 markers; no leading bullets; no circled numbers), so
# that every character of it must reach the corpus.  Control characters, emoji, half-width kana,
# quotes and separators are included on purpose.
WORDS = ["地域", "福祉", "見守り", "連携", "担い手", "不足", "サロン", "ボランティア", "ﾎﾞﾗﾝﾃｨｱ", "相談窓口",
         "支援", "課題", "活動", "住民", "協議体", "推進", "が", "を", "に", "した", "。", "、", "！", "？",
         "「", "」", "（", "）", "(", ")", "😀", "👨‍👩‍👧", "𠮷", "é", "abc", "XYZ", '"', ",", ";", "'",
         "&", "=", " ", "\u3000", "\x01", "\x07", "\x1b", "\x7f", "\x0c", "\u200b", "\ufeff"]
SAFE_TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map("".join)
# Hostile text: anything, including lone surrogates, NUL, every control and table syntax.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=20),
    st.lists(st.sampled_from(WORDS + ["\ud800", "\udfff", "\x00", "\t", "\n", "\r", "\u2028", "\x85",
                                      "【基本目標1】", "(1)", "（２）", "1.", "①", "※再掲", "（※重点取組1）",
                                      "<p>", "</p>", "<br>", "&amp;", "&lt", "第3次", "基本目標二"]),
             max_size=12).map("".join),
)
# The same, with line breaks inside cells: a CSV record then spans lines, and is still one row.
MULTILINE_TEXT = st.lists(st.sampled_from(WORDS + ["\n", "\r\n"]), min_size=1, max_size=12).map("".join)
GIANT = "担い手不足の解消に向けて地域住民と連携し" * 900  # 18,000 characters, 54,000 UTF-8 bytes
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16"]

CSV_ROLES = {"goal": "基本目標", "direction": "施策の方向", "initiatives": "取組内容", "evaluation": "評価",
             "next": "次期計画の方向性", "philosophy": "基本理念", "next_description": "次期計画の説明",
             "priority": "重点"}
# "" : a column whose header cell is blank; 事業費 and 「事 業\n費」 fold to one header (a repeated
# header, named 事業費#1 and 事業費#2), as do repeated draws of one name
EXTRA_HEADERS = ["備考", "担当課", "", "メモ", "事業費", "事 業\n費"]
EVAL_LABELS = {"philosophy": "【基本理念】", "goal": "【基本目標】", "direction": "【施策の方向】",
               "initiatives": "【取組内容】", "evaluation": "【評価】", "next": "【第3次計画の方向性】"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", strip_markup(text)).strip()


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[:width] + f"…({len(text)} chars)")


def _line_breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


def line_fields(corpus, line: int) -> list[str]:
    """Everything the corpus records for one source line."""
    fields: list[str] = []
    for d in corpus.directions():
        if line in d.source_lines:
            fields += [d.title, d.evaluation, d.text, d.goal_label_raw, d.philosophy_raw, *d.initiatives]
            fields += [t.text for t in d.texts] + [x.value for x in d.levels] + [d.period]
            fields += [v for r in d.ratings for v in (r.value, r.reason)] + list(d.attributes.values())
            fields += [d.decision.label] if d.decision else []
    for plan in corpus.plans:
        for goal in plan.goals:
            if goal.source_line == line:
                fields += [goal.raw_label, goal.title, goal.label]
        if plan.source_line == line or plan.philosophy:
            fields += [plan.title, plan.philosophy]
    fields += [w.message for w in corpus.warnings if w.line == line]
    fields += [s["text"] for s in corpus.skipped if s["line"] == line]
    return fields


def uncovered(cell: str, fields: list[str]) -> str:
    """What of ``cell`` is found in none of ``fields`` (normalized whitespace, markup stripped)."""
    rest = _norm(cell)
    if not rest:
        return ""
    normed = sorted({_norm(f) for f in fields if _norm(f)}, key=len, reverse=True)
    if any(rest in f for f in normed):
        return ""
    for f in normed:
        rest = rest.replace(f, " ")
    return _norm(rest)


def assert_cells_covered(corpus, cells_by_line: dict[int, list[tuple[str, str]]]) -> None:
    for line, cells in cells_by_line.items():
        fields = line_fields(corpus, line)
        for role, cell in cells:
            if role == "priority":  # a marker column: recorded as the direction's priority
                if cell.strip():
                    assert any(d.priority is not None for d in corpus.directions() if line in d.source_lines) \
                        or any(w.line == line for w in corpus.warnings), (line, cell)
                continue
            extra = []
            if role in ("goal", "philosophy"):
                # a goal or 基本理念 cell repeating one already read (as merged cells are often
                # exported) adds no text: it is in the corpus where it was first given
                extra = [g.raw_label for p in corpus.plans for g in p.goals] + \
                        [d.philosophy_raw for d in corpus.directions()] + [p.philosophy for p in corpus.plans]
            missing = uncovered(cell, fields + extra)
            assert not missing, f"line {line}, column {role}: {_short(missing)} of {_short(cell)} is not in the corpus"


def assert_round_trip(corpus, tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    write_corpus(corpus, target)
    assert read_corpus(target) == corpus


def assert_own_error(error: BaseException, path: Path, n_lines: int | None) -> None:
    """The project's error, naming the file and (for text sources) a line of it."""
    assert isinstance(error, KeikakuError), f"{type(error).__name__}: {error}"
    assert error.file is not None and Path(error.file).name == path.name, str(error)
    if n_lines is not None:
        assert error.line is not None and 1 <= error.line <= n_lines + 1, str(error)
    assert "\n" not in str(error).replace(str(path), ""), repr(str(error))


# -- CSV / Excel tables ---------------------------------------------------------------------------

@st.composite
def plan_tables(draw, text=SAFE_TEXT, *, keep_required: bool = True):
    """(header, rows, mapping): a plan table with columns added, removed and shuffled, cells
    emptied and rows cut short, and the mapping that names its columns."""
    optional = ["initiatives", "evaluation", "next", "philosophy", "next_description", "priority"]
    roles = ["goal", "direction"] + draw(st.lists(st.sampled_from(optional), unique=True, max_size=6))
    mapped = list(roles)
    if not keep_required or draw(st.integers(0, 9)) == 0:  # the mapping names a column the table lacks
        roles.remove(draw(st.sampled_from(roles)))
    extra = draw(st.lists(st.sampled_from(EXTRA_HEADERS), max_size=3))
    columns = [("role", r) for r in roles] + [("extra", h) for h in extra]
    columns = draw(st.permutations(columns))
    header = [CSV_ROLES[name] if kind == "role" else name for kind, name in columns]
    width = len(header)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = [draw(st.one_of(st.just(""), text)) for _ in range(width)]
        if draw(st.integers(0, 3)) == 0:  # cut short
            row = row[:draw(st.integers(0, width))]
        rows.append(row)
    if draw(st.integers(0, 4)) == 0 and rows and rows[0]:
        rows[0][draw(st.integers(0, len(rows[0]) - 1))] = GIANT
    roles_by_index = [name if kind == "role" else f"extra:{name}" for kind, name in columns]
    mapping = {"columns": {r: CSV_ROLES[r] for r in mapped}, "plan": {"title": "第2次ある町地域福祉計画"}}
    return header, rows, roles_by_index, mapping


def csv_records(header, rows) -> tuple[str, list[int]]:
    """CSV text and the record number of each data row (the row a spreadsheet shows: the header
    is record 1, whatever line breaks its cells hold)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue(), list(range(2, len(rows) + 2))


def _encode(text: str, encoding: str) -> tuple[bytes, str]:
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:  # CP932 has no emoji: such a table is saved as UTF-8
        return text.encode("utf-8"), "utf-8"


@settings(max_examples=150, **PROPERTY)
@given(table=plan_tables(text=st.one_of(SAFE_TEXT, MULTILINE_TEXT)), encoding=st.sampled_from(ENCODINGS))
def test_csv_table_clean_import_keeps_every_cell(tmp_path_factory, table, encoding):
    header, rows, roles, mapping = table
    text, starts = csv_records(header, rows)
    data, _ = _encode(text, encoding)
    tmp = tmp_path_factory.mktemp("csv")
    path = tmp / "plan.csv"
    path.write_bytes(data)
    try:
        corpus = import_table(path, mapping=mapping)
    except Exception as error:  # noqa: BLE001 - the property: only our own error, naming file and line
        assert_own_error(error, path, _line_breaks(text) + 1)
        return
    cells = {line: [(roles[i], cell) for i, cell in enumerate(row) if i < len(roles)]
             for line, row in zip(starts, rows)}
    assert_cells_covered(corpus, cells)
    assert_round_trip(corpus, tmp)


@st.composite
def damaged_bytes(draw, data: bytes):
    """``data`` with a few bytes flipped, inserted or cut, or truncated."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[at]
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=200, **PROPERTY)
@given(table=plan_tables(HOSTILE_TEXT), encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_csv_table_any_bytes_import_or_own_error(tmp_path_factory, table, encoding, data):
    header, rows, _, mapping = table
    text, _ = csv_records(header, rows)
    raw = text.encode(encoding, "surrogatepass" if encoding != "cp932" else "replace")
    raw = data.draw(damaged_bytes(raw))
    path = tmp_path_factory.mktemp("csvbad") / "plan.csv"
    path.write_bytes(raw)
    try:
        import_table(path, mapping=mapping)
    except Exception as error:  # noqa: BLE001
        assert_own_error(error, path, raw.count(b"\n") + raw.count(b"\r") + 1)


ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@settings(max_examples=25, **PROPERTY)
@given(table=plan_tables())
def test_xlsx_table_clean_import_keeps_every_cell(tmp_path_factory, table):
    from openpyxl import Workbook

    header, rows, roles, mapping = table
    workbook = Workbook()
    sheet = workbook.active
    clean_rows = [[ILLEGAL_XML.sub("", c) or None for c in row] for row in rows]  # Excel cannot hold them
    for r, row in enumerate([header, *clean_rows], 1):
        for c, value in enumerate(row, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, as typed into Excel with a leading apostrophe
    tmp = tmp_path_factory.mktemp("xlsx")
    path = tmp / "plan.xlsx"
    workbook.save(path)
    try:
        corpus = import_table(path, mapping=mapping)
    except Exception as error:  # noqa: BLE001
        assert_own_error(error, path, len(rows) + 1)
        return
    cells = {n: [(roles[i], c or "") for i, c in enumerate(row) if i < len(roles)]
             for n, row in enumerate(clean_rows, 2)}
    assert_cells_covered(corpus, cells)
    assert_round_trip(corpus, tmp)


# -- evaluation tables (tab-separated text from a PDF) --------------------------------------------

TITLE = "第2次ある町地域福祉活動計画（令和2年度～令和6年度）評価"


@st.composite
def evaluation_tables(draw, text=SAFE_TEXT):
    """(lines, roles of columns): a title line, a 【…】 header row with columns removed, added
    and shuffled, then rows with cells emptied and rows cut short."""
    roles = ["goal", "direction"] + draw(st.lists(
        st.sampled_from(["philosophy", "initiatives", "evaluation", "next"]), unique=True, max_size=4))
    if draw(st.integers(0, 9)) == 0:
        roles.remove(draw(st.sampled_from(roles)))
    extra = draw(st.integers(0, 1))
    columns = draw(st.permutations(roles + ["extra"] * extra))
    header = "\t".join(EVAL_LABELS.get(c, "【備考】") for c in columns)
    cell = st.one_of(st.just(""), text)
    lines = [TITLE, "", header]
    for _ in range(draw(st.integers(1, 6))):
        row = [draw(cell) for _ in columns]
        if "extra" in columns and draw(st.booleans()):
            row[columns.index("extra")] = ""  # usually nothing is under an unnamed column
        if draw(st.integers(0, 3)) == 0:
            row = row[:draw(st.integers(1, len(row)))]
        lines.append("\t".join(row))
        if draw(st.integers(0, 5)) == 0:  # a repeated page title and header, as on a new PDF page
            lines += [TITLE, header]
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(3, len(lines) - 1))
        cells = lines[at].split("\t")
        cells[draw(st.integers(0, len(cells) - 1))] = GIANT
        lines[at] = "\t".join(cells)
    return lines, list(columns)


@settings(max_examples=150, **PROPERTY)
@given(table=evaluation_tables(), encoding=st.sampled_from(ENCODINGS), newline=st.sampled_from(["\n", "\r\n"]))
def test_evaluation_table_clean_import_keeps_every_cell(tmp_path_factory, table, encoding, newline):
    lines, columns = table
    text = newline.join(lines) + newline
    data, _ = _encode(text, encoding)
    tmp = tmp_path_factory.mktemp("eval")
    path = tmp / "sheet.txt"
    path.write_bytes(data)
    try:
        corpus = import_evaluation_table(path)
    except Exception as error:  # noqa: BLE001
        assert_own_error(error, path, len(lines) + 1)
        return
    cells = {n: [(columns[i] if i < len(columns) else "beyond", c) for i, c in enumerate(line.split("\t"))]
             for n, line in enumerate(lines, 1) if n > 1}
    assert_cells_covered(corpus, cells)
    assert_round_trip(corpus, tmp)


@settings(max_examples=200, **PROPERTY)
@given(table=evaluation_tables(HOSTILE_TEXT), encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_evaluation_table_any_bytes_import_or_own_error(tmp_path_factory, table, encoding, data):
    lines, _ = table
    text = "\n".join(lines) + "\n"
    raw = text.encode(encoding, "surrogatepass" if encoding != "cp932" else "replace")
    raw = data.draw(damaged_bytes(raw))
    path = tmp_path_factory.mktemp("evalbad") / "sheet.txt"
    path.write_bytes(raw)
    try:
        import_evaluation_table(path)
    except Exception as error:  # noqa: BLE001
        assert_own_error(error, path, raw.count(b"\n") + raw.count(b"\r") + 1)


# -- examples the properties found, kept as plain regression tests ----------------------------------

def test_values_under_a_column_with_a_blank_header_are_not_dropped(tmp_path):
    """A header cell left blank (e.g. under a merged header in Excel) must not swallow its values."""
    path = tmp_path / "plan.csv"
    path.write_text("基本目標,施策の方向,,評価\r\n目標,見守り,消えてはいけない値,進んだ。\r\n", encoding="utf-8")
    mapping = {"columns": {"goal": "基本目標", "direction": "施策の方向", "evaluation": "評価"}}
    try:
        corpus = import_table(path, mapping=mapping)
    except KeikakuError as error:  # refusing with a line is as good as keeping it
        assert error.line in (1, 2)
        return
    assert uncovered("消えてはいけない値", line_fields(corpus, 2)) == ""


def test_a_next_plan_description_without_a_next_plan_title_is_not_dropped(tmp_path):
    """A description cell in a row whose next-plan title cell is empty (wrapped onto a row of its
    own, or under a direction with no successor) must reach the corpus or a warning."""
    path = tmp_path / "plan.csv"
    path.write_text("基本目標,施策の方向,次期計画の方向性,次期計画の説明\r\n"
                    "目標,見守り,見守りの強化,見守りを強化する。\r\n"
                    ",,,続きの説明も残す。\r\n"
                    ",サロン,,居場所を増やす説明。\r\n", encoding="utf-8")
    mapping = {"columns": {"goal": "基本目標", "direction": "施策の方向", "next": "次期計画の方向性",
                           "next_description": "次期計画の説明"}}
    corpus = import_table(path, mapping=mapping)
    assert uncovered("続きの説明も残す。", line_fields(corpus, 3)) == ""
    assert uncovered("居場所を増やす説明。", line_fields(corpus, 4)) == ""


@pytest.mark.parametrize("content", [
    b"\xed\xa0\x80,\xed\xbf\xbf\r\n",  # lone surrogates written as (invalid) UTF-8
    "基本目標,施策の方向\r\n目標\ud800,施策\r\n".encode("utf-16", "surrogatepass"),
    "基本目標,施策の方向\r\n目標,施策\r\n".encode("utf-8") + b"\x00",
])
def test_lone_surrogates_and_nul_are_one_error_with_a_line(tmp_path, content):
    path = tmp_path / "plan.csv"
    path.write_bytes(content)
    with pytest.raises(KeikakuError) as info:
        import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向"}})
    assert_own_error(info.value, path, 3)


# -- a corpus directory edited by hand (Excel) and damaged ------------------------------------------

CORPUS_FILES = ["manifest.json", "plans.csv", "goals.csv", "directions.csv", "initiatives.csv", "links.csv",
                "warnings.csv", "skipped.csv"]


@pytest.fixture(scope="module")
def written_corpus(tmp_path_factory):
    from conftest import ROOT

    corpus = import_table(ROOT / "corpus" / "examples" / "plan.csv", mapping=ROOT / "corpus" / "examples" / "mapping.toml")
    target = tmp_path_factory.mktemp("written") / "corpus"
    write_corpus(corpus, target)
    return corpus, {name: (target / name).read_bytes() for name in CORPUS_FILES}


@settings(max_examples=200, **PROPERTY)
@given(name=st.sampled_from(CORPUS_FILES), data=st.data(),
       resave=st.sampled_from([None, "cp932", "utf-16"]))
def test_damaged_corpus_directory_reads_or_own_error(tmp_path_factory, written_corpus, name, data, resave):
    corpus, files = written_corpus
    target = tmp_path_factory.mktemp("damaged") / "corpus"
    target.mkdir()
    for other, content in files.items():
        (target / other).write_bytes(content)
    content = files[name]
    if resave:  # saved back by Excel in another encoding
        content = content.decode("utf-8-sig").encode(resave, "replace")
    content = data.draw(damaged_bytes(content))
    (target / name).write_bytes(content)
    try:
        read_corpus(target)
    except Exception as error:  # noqa: BLE001
        assert isinstance(error, KeikakuError), f"{type(error).__name__}: {error}"
        # the damaged file, or a table that refers to what the damage removed
        assert error.file is not None and Path(error.file).name in (*CORPUS_FILES, "corpus"), str(error)
        assert "\n" not in str(error).replace(str(target), "")


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [list(CSV_ROLES.values())[:5], ["基本目標1 見守り", "見守りの推進", "訪問", "続けた。", "強化"]]:
        workbook.active.append(row)
    path = tmp_path_factory.mktemp("xlsx-bytes") / "plan.xlsx"
    workbook.save(path)
    return path.read_bytes()


@settings(max_examples=120, **PROPERTY)
@given(data=st.data())
def test_damaged_xlsx_imports_or_own_error(tmp_path_factory, xlsx_bytes, data):
    """A workbook damaged in transit (flipped, cut or inserted bytes): imported or one InputError."""
    raw = data.draw(damaged_bytes(xlsx_bytes))
    path = tmp_path_factory.mktemp("xlsxbad") / "plan.xlsx"
    path.write_bytes(raw)
    mapping = {"columns": {r: CSV_ROLES[r] for r in ("goal", "direction", "initiatives", "evaluation", "next")}}
    try:
        import_table(path, mapping=mapping)
    except Exception as error:  # noqa: BLE001
        assert_own_error(error, path, None)


# -- issue 12: formulas, priorities, mixed encodings ------------------------------------------------

FORMULA_COLUMNS = {"goal": "基本目標", "direction": "施策の方向", "initiatives": "取組内容", "evaluation": "評価",
                   "next": "次期計画の方向性"}


@settings(max_examples=12, **PROPERTY)
@given(cells=st.lists(st.tuples(st.integers(2, 4), st.integers(3, 5)), min_size=1, max_size=5, unique=True),
       formula=st.sampled_from(['=CONCATENATE("見守り","活動")', "=A1&B1", "=SUM(1,2)", '=IF(TRUE,"可","否")']))
def test_property_every_formula_without_a_saved_value_is_warned(tmp_path_factory, cells, formula):
    """openpyxl saves formulas without values: each such cell is named, with its formula."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "評価"
    sheet.append(list(FORMULA_COLUMNS.values()))
    for n in range(3):
        sheet.append([f"基本目標{n + 1} 見守り", f"施策{n + 1}", "訪問", "進んだ。", "強化"])
    for row, column in cells:
        sheet.cell(row=row, column=column, value=formula)
    path = tmp_path_factory.mktemp("formula") / "plan.xlsx"
    workbook.save(path)
    corpus = import_table(path, mapping={"columns": FORMULA_COLUMNS})
    named = {(w.line, w.field) for w in corpus.warnings if formula in w.message and "評価" in w.message}
    for row, column in cells:
        header = list(FORMULA_COLUMNS.values())[column - 1]
        assert (row, header) in named, (row, column)
        assert any(f"{get_column_letter(column)}{row}" in w.message for w in corpus.warnings if w.line == row)


PRIORITY_TEXT = st.one_of(
    st.integers(-5, 3000).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.floats(allow_nan=False, allow_infinity=False, width=16).map(str),
    st.sampled_from(["重点", "○", "◎", "重点取組", "①", "⑳", "十二", "百", "高", "重点1", "重点100", "（重点2）"]),
    st.text(max_size=6),
)


@settings(max_examples=120, **PROPERTY)
@given(cell=PRIORITY_TEXT)
def test_property_a_priority_is_a_small_number_or_a_warning_quoting_the_cell(tmp_path_factory, cell):
    path = tmp_path_factory.mktemp("prio") / "plan.csv"
    text, _ = csv_records(["基本目標", "施策の方向", "重点"], [["基本目標1 見守り", "見守りの推進", cell]])
    path.write_text(text, encoding="utf-8")
    try:
        corpus = import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向",
                                                          "priority": "重点"}})
    except KeikakuError as error:
        assert_own_error(error, path, 3)
        return
    priority = corpus.direction("P1-1-1").priority
    digits = re.sub(r"\D", "", cell)
    if priority is not None:
        assert 0 <= priority <= 99
        assert not digits or int(digits) == priority, (cell, priority)  # never a number it does not say
    elif strip_markup(cell).strip():
        assert any(strip_markup(cell).strip() in w.message for w in corpus.warnings if w.field == "重点取組"), cell


@settings(max_examples=60, **PROPERTY)
@given(encodings=st.lists(st.sampled_from(["utf-8", "cp932", "ascii"]), min_size=2, max_size=12))
def test_property_mixed_encodings_name_the_first_line_that_differs(tmp_path_factory, encodings):
    lines = [("担い手,見守り" if e != "ascii" else "abc,def").encode(e if e != "ascii" else "utf-8")
             for e in encodings]
    japanese = [(n, e) for n, e in enumerate(encodings, 1) if e != "ascii"]
    path = tmp_path_factory.mktemp("mixed") / "plan.csv"
    path.write_bytes(b"\r\n".join(lines))
    differs = [n for n, e in japanese if e != japanese[0][1]] if japanese else []
    try:
        import_table(path, mapping={"columns": {"goal": "担い手", "direction": "見守り"}})
    except KeikakuError as error:
        if differs:
            assert error.line == differs[0] and "mixes" in error.message, str(error)
        return
    assert not differs
