"""The CSV / Excel importer with a column mapping (corpus/examples/plan.csv + mapping.toml)."""

from __future__ import annotations

import csv
import io

import pytest

from analysis.errors import InputError, SettingsError
from analysis.importers import import_source, import_table, read_mapping

from conftest import ROOT

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"
COLUMNS = {"goal": "基本目標", "direction": "施策の方向", "initiatives": "取組内容", "evaluation": "評価",
           "next": "次期計画の方向性"}
HEADER = ["基本目標", "施策の方向", "取組内容", "評価", "次期計画の方向性"]
ROWS = [
    ["基本目標1 見守りのまち", "見守りの推進", "1. 訪問 2. 声かけ", "訪問を続けた。", "見守り体制の強化"],
    ["", "サロンの充実", "サロン支援", "サロンが増えた。", "居場所づくり"],
    ["基本目標2 安心のまち", "相談窓口の整備", "窓口設置", "窓口を設置した。", "相談支援の充実"],
]


def csv_bytes(rows, *, encoding="utf-8", newline="\r\n", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def write(tmp_path, rows, name="plan.csv", **options):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **options))
    return path


def test_example_table_with_its_mapping():
    corpus = import_source(EXAMPLE, mapping=MAPPING)
    past, future = corpus.plans
    assert (past.title, past.generation, past.period, past.owner) == (
        "第2次みどり町地域福祉計画", 2, "令和3年度～令和7年度", "みどり町")
    assert (future.title, future.generation) == ("第3次みどり町地域福祉計画", 3)
    assert {g.number: [d.title for d in g.directions] for g in past.goals} == {
        1: ["見守り活動の推進", "サロン活動の支援"], 2: ["相談支援体制の充実", "災害時の支え合い"]}
    assert corpus.direction("P2-1-1").initiatives == ["見守り訪問", "安否確認の仕組みづくり"]
    assert corpus.direction("P2-1-2").initiatives == ["サロン立ち上げ支援", "運営相談"]
    assert corpus.direction("P2-2-1").initiatives == ["総合相談窓口の設置", "相談員研修"]
    assert [corpus.direction(i).priority for i in ("P2-1-1", "P2-1-2", "P2-2-2")] == [1, None, 2]
    # the quoted cell spans physical lines 4-5, but it is one record: a spreadsheet shows the
    # last row as row 5, and so does the corpus
    assert corpus.direction("P2-2-2").source_lines == [5]
    assert corpus.direction("P3-2-1").text == "関係機関と連携し、断らない相談支援を進める。"
    assert [(l.source, l.target) for l in corpus.links] == [
        ("P2-1-1", "P3-1-1"), ("P2-1-2", "P3-1-2"), ("P2-2-1", "P3-2-1")]
    assert corpus.warnings == []
    assert corpus.skipped == [{"file": "plan.csv", "line": 1, "reason": "見出し行（列の名前）",
                               "text": "\t".join(HEADER[:2]) + "\t取組内容\t評価\t重点\t次期計画の方向性\t次期計画の説明"}]


@pytest.mark.parametrize("encoding, newline, bom", [
    ("utf-8", "\r\n", False), ("utf-8", "\n", False), ("utf-8", "\r\n", True), ("cp932", "\r\n", False),
    ("cp932", "\n", False),
])
def test_encodings_bom_and_line_ends(tmp_path, encoding, newline, bom):
    path = write(tmp_path, [HEADER, *ROWS], encoding=encoding, newline=newline, bom=bom)
    corpus = import_table(path, mapping={"columns": COLUMNS})
    assert [d.title for d in corpus.plan("P1").directions()] == ["見守りの推進", "サロンの充実", "相談窓口の整備"]
    assert corpus.direction("P1-1-2").goal_number == 1  # carried forward
    assert corpus.sources[0]["encoding"] == ("utf-8-sig" if bom else encoding)


def test_excel_with_merged_cells_and_a_named_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "表紙"
    workbook.active["A1"] = "表紙です"
    sheet = workbook.create_sheet("評価")
    for row in [HEADER, *ROWS]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet["C4"] = 2024  # a number cell is read as its text
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    corpus = import_source(path, mapping={"columns": COLUMNS}, sheet="評価")
    assert [d.title for d in corpus.plan("P1").directions()] == ["見守りの推進", "サロンの充実", "相談窓口の整備"]
    assert corpus.direction("P1-1-2").goal_number == 1
    assert corpus.direction("P1-1-2").source_lines == [3]
    assert corpus.direction("P1-2-1").initiatives == ["2024"]
    with pytest.raises(InputError, match="no sheet named '集計'"):
        import_source(path, mapping={"columns": COLUMNS}, sheet="集計")
    with pytest.raises(InputError, match="「基本目標」"):
        import_source(path, mapping={"columns": COLUMNS})  # first sheet has no such header


def test_not_an_xlsx(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable Excel"):
        import_source(path, mapping={"columns": COLUMNS})


def test_missing_mapped_column_names_column_and_header_line(tmp_path):
    path = write(tmp_path, [["メモ"], HEADER[:3], ROWS[0][:3]])
    with pytest.raises(InputError) as info:
        import_table(path, mapping={"columns": COLUMNS, "table": {"header_line": 2}})
    assert (info.value.line, info.value.field) == (2, "evaluation")
    assert "「評価」" in str(info.value) and str(path) in str(info.value)


def test_rows_before_the_header_are_skipped_visibly(tmp_path):
    path = write(tmp_path, [["第2次ある市地域福祉計画 評価"], [], HEADER, *ROWS])
    corpus = import_table(path, mapping={"columns": COLUMNS, "table": {"header_line": 3}})
    assert [(s["line"], s["reason"]) for s in corpus.skipped] == [(1, "見出し行より前の行"), (3, "見出し行（列の名前）")]


def test_unmapped_columns_are_attributes_with_one_warning_per_column(tmp_path):
    path = write(tmp_path, [HEADER + ["備考"], ROWS[0] + ["要確認"], ROWS[1] + [""], ROWS[2] + ["済"]])
    corpus = import_table(path, mapping={"columns": COLUMNS})
    assert [(w.line, w.field) for w in corpus.warnings] == [(1, "備考")]  # on the header row
    assert "値2件" in corpus.warnings[0].message and "属性" in corpus.warnings[0].message
    assert [d.attributes for d in corpus.plan("P1").directions()] == [{"備考": "要確認"}, {}, {"備考": "済"}]


def test_short_rows_are_padded_long_rows_are_errors(tmp_path):
    corpus = import_table(write(tmp_path, [HEADER, ROWS[0], ["", "短い行"]]), mapping={"columns": COLUMNS})
    assert corpus.direction("P1-1-2").title == "短い行"
    assert [w.line for w in corpus.warnings] == [3]
    with pytest.raises(InputError) as info:
        import_table(write(tmp_path, [HEADER, ROWS[0], ROWS[1] + ["", "はみ出し"]]), mapping={"columns": COLUMNS})
    assert info.value.line == 3 and "at most 5" in str(info.value)


def test_next_plan_column_is_carried_forward_only_on_request(tmp_path):
    rows = [HEADER, ROWS[0], ["", "サロンの充実", "", "", ""]]
    plain = import_table(write(tmp_path, rows), mapping={"columns": COLUMNS})
    assert [l.source for l in plain.links] == ["P1-1-1"]
    carried = import_table(write(tmp_path, rows), mapping={
        "columns": COLUMNS, "table": {"carry_forward": ["goal", "next"]}})
    assert [(l.source, l.target) for l in carried.links] == [("P1-1-1", "P2-1-1"), ("P1-1-2", "P2-1-1")]


def test_generation_from_mapping(tmp_path):
    corpus = import_table(write(tmp_path, [HEADER, *ROWS]), mapping={
        "columns": COLUMNS, "plan": {"title": "ある町の計画", "generation": 4, "owner": "ある町"}})
    assert [(p.id, p.generation, p.owner) for p in corpus.plans] == [("P4", 4, "ある町"), ("P5", 5, "ある町")]


@pytest.mark.parametrize("content, line, message", [
    (b"", 1, "empty file"),
    (b",,,\r\n,,\r\n", 1, "empty table"),
    (b"\x00\x01\x02\x03", 1, "binary file"),
    (csv_bytes([HEADER]), 1, "header-only"),
    (csv_bytes([HEADER, *ROWS])[:-2] + b"\r\n\x81\x20\r\n", 5, "unknown encoding"),
])
def test_bad_tables(tmp_path, content, line, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        import_table(path, mapping={"columns": COLUMNS})
    assert (info.value.file, info.value.line) == (str(path), line)
    assert message in str(info.value)


@pytest.mark.parametrize("mapping, field", [
    ({"columns": {"direction": "施策"}}, "columns.goal"),
    ({"columns": {**COLUMNS, "target": "目標値"}}, "columns.target"),
    ({"columns": COLUMNS, "plan": {"generation": "二"}}, "plan.generation"),
    ({"columns": COLUMNS, "table": {"carry_forward": ["evaluation"]}}, "table.carry_forward"),
    ({"columns": COLUMNS, "extra": {}}, "extra"),
    (None, "mapping"),
])
def test_bad_mappings(mapping, field):
    with pytest.raises(SettingsError) as info:
        read_mapping(mapping)
    assert info.value.field == field


def test_mapping_file_errors(tmp_path):
    bad = tmp_path / "m.toml"
    bad.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="invalid TOML in column mapping"):
        read_mapping(bad)
    with pytest.raises(SettingsError, match="no such mapping file"):
        read_mapping(tmp_path / "none.toml")
    assert read_mapping(MAPPING)["columns"]["goal"] == "基本目標"


def formula_workbook(tmp_path, *, cached: str | None):
    """評価 of row 2 is a formula; openpyxl saves no computed value, ``cached`` writes one in."""
    import re
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "評価表"
    for row in [HEADER, *ROWS]:
        sheet.append(row)
    sheet["D2"] = '=CONCATENATE("訪問を","続けた。")'
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    if cached is not None:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
        # the formula cell without a value; how openpyxl writes it depends on whether lxml is
        # installed (<v />, <v/> or <v></v>; the Japanese as is or as character references)
        found = re.search(r'<c r="D2"><f>[^<]*</f>(?:<v ?/>|<v></v>)</c>', xml)
        assert found and "CONCATENATE" in found.group(0), xml
        cell = found.group(0)
        parts["xl/worksheets/sheet1.xml"] = xml.replace(
            cell, f'<c r="D2" t="str"><f>CONCATENATE("訪問を","続けた。")</f><v>{cached}</v></c>').encode("utf-8")
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def test_a_formula_cell_uses_its_cached_value(tmp_path):
    corpus = import_source(formula_workbook(tmp_path, cached="計算済みの評価。"), mapping={"columns": COLUMNS})
    assert corpus.direction("P1-1-1").evaluation == "計算済みの評価。"
    assert not [w for w in corpus.warnings if "数式" in w.message]


def test_a_formula_cell_without_a_cached_value_is_warned_not_dropped(tmp_path):
    """Issue 12 case 5: the formula is named with its sheet and cell, never silently empty."""
    corpus = import_source(formula_workbook(tmp_path, cached=None), mapping={"columns": COLUMNS})
    assert corpus.direction("P1-1-1").evaluation == ""
    [warning] = [w for w in corpus.warnings if "数式" in w.message]
    assert (warning.line, warning.field) == (2, "評価")
    assert "評価表" in warning.message and "D2" in warning.message
    assert 'CONCATENATE("訪問を","続けた。")' in warning.message


@pytest.mark.parametrize("cell, priority", [("1", 1), ("重点1", 1), ("①", 1), ("重点取組２", 2), ("三", 3),
                                            ("（重点3）", 3), ("○", 0), ("重点", 0), ("", None)])
def test_a_priority_is_a_small_whole_number_or_a_mark(tmp_path, cell, priority):
    path = write(tmp_path, [HEADER + ["重点"], ROWS[0] + [cell]])
    corpus = import_source(path, mapping={"columns": {**COLUMNS, "priority": "重点"}})
    assert corpus.direction("P1-1-1").priority == priority
    assert not [w for w in corpus.warnings if w.field == "重点取組"]


@pytest.mark.parametrize("cell", ["2024-04-01", "2024", "1.5", "高", "100", "重点12345"])
def test_any_other_priority_cell_is_kept_in_a_warning_never_made_a_number(tmp_path, cell):
    """Issue 12 case 13: a date in the 重点 column is not priority 2024."""
    path = write(tmp_path, [HEADER + ["重点"], ROWS[0] + [cell]])
    corpus = import_source(path, mapping={"columns": {**COLUMNS, "priority": "重点"}})
    assert corpus.direction("P1-1-1").priority is None
    [warning] = [w for w in corpus.warnings if w.field == "重点取組"]
    assert warning.line == 2 and f"「{cell}」" in warning.message


def test_a_next_direction_without_a_number_is_named_by_its_title_never_none(tmp_path):
    header = ["基本目標", "施策の方向", "次期計画の方向性", "次期計画の説明"]
    path = write(tmp_path, [header, ["基本目標1 見守り", "見守りの推進", "見守り体制の強化", "地区で見守る。"],
                            ["", "サロンの充実", "見守り体制の強化", "全市で見守る。"]])
    corpus = import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向",
                                                      "next": "次期計画の方向性",
                                                      "next_description": "次期計画の説明"}})
    messages = [w.message for w in corpus.warnings]
    assert any(m.startswith("方向性「見守り体制の強化」の説明が2行目と異なります") for m in messages), messages
    assert not any("None" in m for m in messages)


YEARS_HEADER = ["年度", "施策名", "事務事業名", "評価", "今後の方向性"]
YEARS_COLUMNS = {"period": "年度", "level": ["施策名"], "unit": "事務事業名", "evaluation": "評価",
                 "decision": "今後の方向性"}
# the later year first, as some sheets list them: the plans follow the years, not the rows
YEARS = [["令和5年度", "地域福祉", "見守り訪問事業", "訪問を続けた。", "継続"],
         ["令和5年度", "地域福祉", "配食サービス事業", "利用者が減った。", "縮小"],
         ["令和5年度", "地域福祉", "サロン支援事業", "サロンが増えた。", "拡充"],
         ["令和4年度", "地域福祉", "見守り訪問事業", "訪問を始めた。", "継続"],
         ["令和4年度", "地域福祉", "配食サービス事業", "食事を届けた。", "継続"],
         ["令和4年度", "地域福祉", "敬老祝金支給事業", "祝金を支給した。", "廃止"]]


def test_a_table_of_several_years_is_one_plan_per_year_in_year_order(tmp_path):
    path = tmp_path / "years.csv"
    path.write_bytes(csv_bytes([YEARS_HEADER, *YEARS]))
    corpus = import_source(path, mapping={"columns": YEARS_COLUMNS, "plan": {"title": "事務事業評価"}})
    assert [(p.id, p.generation, p.period, p.title) for p in corpus.plans] == [
        ("P1", 1, "令和4年度", "事務事業評価（令和4年度）"), ("P2", 2, "令和5年度", "事務事業評価（令和5年度）")]
    assert [[d.title for d in p.directions()] for p in corpus.plans] == [
        ["見守り訪問事業", "配食サービス事業", "敬老祝金支給事業"], ["見守り訪問事業", "配食サービス事業", "サロン支援事業"]]
    [said] = [w for w in corpus.warnings if w.field == "年度"]
    assert "期間ごとに一つの計画" in said.message
    # a project listed every year is no category column: no warning about few distinct names
    assert not [w for w in corpus.warnings if w.field == "事務事業名"]


def test_a_table_whose_rows_do_not_all_say_their_year_stays_one_plan_and_says_so(tmp_path):
    path = tmp_path / "years.csv"
    path.write_bytes(csv_bytes([YEARS_HEADER, *YEARS[:-1], ["", *YEARS[-1][1:]]]))
    corpus = import_source(path, mapping={"columns": YEARS_COLUMNS})
    assert len(corpus.plans) == 1 and len(list(corpus.plans[0].directions())) == 6
    [said] = [w for w in corpus.warnings if w.field == "年度"]
    assert "一つの計画として読み込み" in said.message


def test_a_title_row_above_the_table_names_the_plan_its_generation_and_period(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([["第2次もみじ市地域福祉計画 評価シート（令和3年度～令和7年度）", "", ""], ["", "", ""],
                                ["基本目標", "施策の方向", "評価"], ["基本目標1 つながる", "見守りの推進", "見守りを行った。"]]))
    columns = {"goal": "基本目標", "direction": "施策の方向", "evaluation": "評価"}
    [plan] = import_source(path, mapping={"columns": columns}).plans
    assert (plan.title, plan.generation, plan.period) == ("第2次もみじ市地域福祉計画", 2, "令和3年度～令和7年度")
    # the mapping's own title wins; a row that names no plan is no title
    [plan] = import_source(path, mapping={"columns": columns, "plan": {"title": "第3次計画"}}).plans
    assert (plan.title, plan.generation) == ("第3次計画", 3)
    path.write_bytes(csv_bytes([["調整用（削除しないこと）", "", ""], ["基本目標", "施策の方向", "評価"],
                                ["基本目標1 つながる", "見守りの推進", "見守りを行った。"]]))
    [plan] = import_source(path, mapping={"columns": columns}).plans
    assert (plan.title, plan.generation) == ("plan", 1)
