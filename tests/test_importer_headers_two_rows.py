"""Headers over two rows (a merged group header over sub-headers, 評価 over 成果 | 課題) and blank
header cells: ``keikaku mapping`` names every column, and every name it prints is one ``keikaku
import`` accepts — in a workbook and in a CSV file, written here as a planner's table is."""

from __future__ import annotations

import re
import tomllib

import pytest

from analysis.cli import main
from analysis.corpus_io import read_corpus
from analysis.errors import EXIT_INPUT

from workbook_shapes import evaluation_workbook, write_csv

TITLE = "第2次もみじ市地域福祉計画　点検・評価シート（令和3年度～令和7年度）"
GROUPS = ["基本目標", "施策の方向", "取組内容", "評価", "", "次期計画\nの方向性"]
SUBS = ["", "", "", "成果", "課題", ""]
ROWS = [
    ["基本目標1\n地域でつながるまち", "小地域福祉活動の推進", "地区社協の活動支援", "全12地区で地区懇談会を開催した。",
     "担い手が不足している。", "（1）小地域福祉活動の推進"],
    ["", "見守り活動の充実", "見守り訪問", "見守り活動を実施した。", "民生委員の欠員が続いている。",
     "（2）見守り体制の強化"],
    ["基本目標2\n安心して暮らせるまち", "相談体制の充実", "総合相談", "相談窓口を一本化することができた。",
     "複雑化した相談への対応が求められる。", "（1）包括的な相談支援の推進"],
]
PROBLEMS = [r[4] for r in ROWS]


def two_row_workbook(path):
    """The table as Excel gives it: a title, a blank row, group headers on row 4 merged across
    (評価 over D:E) and down (基本目標 over A4:A5), the sub-headers on row 5."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "評価"
    ws["A1"] = TITLE
    for column, text in enumerate(GROUPS, 1):
        if text:
            ws.cell(4, column, text)
    for column, text in enumerate(SUBS, 1):
        if text:
            ws.cell(5, column, text)
    for cells in ("A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"):
        ws.merge_cells(cells)
    for r, row in enumerate(ROWS, 6):
        for column, text in enumerate(row, 1):
            if text:
                ws.cell(r, column, text)
    book.save(path)
    return path


def two_row_csv(path):
    """The same table saved as CSV: merged cells are blank."""
    return write_csv(path, [[TITLE], [], GROUPS, SUBS] + ROWS)


def blank_header_workbook(path):
    """A one-row header with a blank header cell (column 3) below a title row."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["令和5年度 評価表"])
    ws.append(["基本目標", "施策の方向", None, "評価"])
    ws.append(["基本目標1 つながる", "見守り活動の推進", "メモ1", "見守りを行った。担い手が不足している。"])
    ws.append([None, "サロン活動の支援", "メモ2", "サロンは増えた。"])
    book.save(path)
    return path


def guessed(capsys, source, *extra):
    capsys.readouterr()
    assert main(["mapping", str(source), *extra]) == 0
    return capsys.readouterr().out


def listed_names(out: str) -> list[str]:
    """The column names the listing at the top of `keikaku mapping` prints, in order."""
    return [m.group(2) for m in re.finditer(r"^#   (\d+)列目 (.+?)(?:（元の見出し: .*）)?$", out, re.M)]


@pytest.mark.parametrize("make", [two_row_workbook, two_row_csv], ids=["xlsx", "csv"])
def test_a_two_row_header_names_each_column_by_group_and_sub_header(tmp_path, capsys, make):
    source = make(tmp_path / ("plan.xlsx" if make is two_row_workbook else "plan.csv"))
    out = guessed(capsys, source)
    line = 3 if make is two_row_csv else 4  # the CSV's records: the empty row is one
    assert f"見出し行 {line}〜{line + 1}行目（2行の見出し）、6列" in out
    assert listed_names(out) == ["基本目標", "施策の方向", "取組内容", "評価/成果", "評価/課題", "次期計画の方向性"]
    columns = tomllib.loads(out)["columns"]
    assert columns["text"] == ["評価/成果", "評価/課題"] and columns["goal"] == "基本目標"
    assert "「上の見出し/下の見出し」" in out  # the rule, in the mapping's own comment
    source.with_name("plan.mapping.toml").write_text(out, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    units = list(corpus.plans[0].directions())
    assert [d.title for d in units] == [r[1] for r in ROWS]  # the sub-header row is no unit
    assert [{t.label: t.text for t in d.texts}.get("評価/課題") for d in units] == PROBLEMS
    assert {t.label: t.text for t in units[0].texts}["評価/成果"] == ROWS[0][3]
    skipped = {s["line"]: s["reason"] for s in corpus.skipped}
    assert skipped[line] == skipped[line + 1] == "見出し行（列の名前）"
    assert not [w for w in corpus.warnings if w.line == line + 1]


def test_the_problem_texts_of_the_sub_header_column_are_read_as_problems(tmp_path, capsys):
    import analysis as kk

    source = two_row_workbook(tmp_path / "plan.xlsx")
    source.with_name("plan.mapping.toml").write_text(guessed(capsys, source), encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0
    frame = kk.stances_frame(kk.analyze(kk.load_corpus(tmp_path / "c")).stances)
    problems = frame[frame["sentence"].isin(PROBLEMS)]
    assert sorted(problems["sentence"]) == sorted(PROBLEMS)
    assert set(problems["stance"]) == {"issue"}


@pytest.mark.parametrize("spec", ["評価/課題", "課題", "5列目", "5列目:課題", "評価#2", "評価 / 課題"])
def test_every_way_of_naming_the_sub_header_column_imports_it(tmp_path, capsys, spec):
    source = two_row_workbook(tmp_path / "plan.xlsx")
    args = ["import", str(source), "--column", "goal=基本目標", "--column", "direction=施策の方向",
            "--column", f"text={spec}", "-o", str(tmp_path / "c")]
    assert main(args) == 0, capsys.readouterr().err
    units = list(read_corpus(tmp_path / "c").plans[0].directions())
    assert [[t.text for t in d.texts] for d in units] == [[p] for p in PROBLEMS]


def test_the_group_header_alone_is_an_error_naming_its_columns(tmp_path, capsys):
    source = two_row_workbook(tmp_path / "plan.xlsx")
    capsys.readouterr()
    assert main(["import", str(source), "--column", "goal=基本目標", "--column", "direction=施策の方向",
                 "--column", "evaluation=評価", "-o", str(tmp_path / "c")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "plan.xlsx:4" in err and "評価/成果, 評価/課題" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_a_blank_header_cell_is_named_and_importable(tmp_path, capsys):
    source = blank_header_workbook(tmp_path / "t.xlsx")
    out = guessed(capsys, source)
    assert "見出し行 2行目、4列" in out and listed_names(out) == ["基本目標", "施策の方向", "3列目", "評価"]
    assert main(["import", str(source), "--column", "goal=基本目標", "--column", "direction=施策の方向",
                 "--column", "text=3列目:メモ", "-o", str(tmp_path / "c")]) == 0, capsys.readouterr().err
    first = read_corpus(tmp_path / "c").direction("P1-1-1")
    assert [(t.label, t.text) for t in first.texts] == [("メモ", "メモ1")]


SHAPES = {
    "two-row xlsx": (two_row_workbook, "plan.xlsx"),
    "two-row csv": (two_row_csv, "plan.csv"),
    "blank header cell": (blank_header_workbook, "t.xlsx"),
    "annual evaluation workbook": (evaluation_workbook, "hyoka.xlsx"),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_name_the_guess_prints_resolves_in_import(tmp_path, capsys, shape):
    make, name = SHAPES[shape]
    source = make(tmp_path / name)
    out = guessed(capsys, source)
    names = listed_names(out)
    columns = tomllib.loads(out)["columns"]
    written = [v for values in columns.values() for v in (values if isinstance(values, list) else [values])]
    assert set(written) <= {n for n in names} | {f"{n}:{n.split('（')[-1][:-1]}" for n in names}
    guess = tmp_path / "guess.toml"
    guess.write_text(out, encoding="utf-8")
    assert main(["import", str(source), "--mapping", str(guess), "-o", str(tmp_path / "c")]) == 0
    for position, column in enumerate(names, 1):
        for spec in (column, f"{position}列目"):  # the name, and the position the listing shows
            target = tmp_path / f"c{position}"
            capsys.readouterr()
            assert main(["import", str(source), "--mapping", str(guess), "--column", f"attribute={spec}",
                         "-o", str(target)]) == 0, (spec, capsys.readouterr().err)
            attributes = read_corpus(target).plans[0].goals[0].directions[0].attributes
            assert column in attributes, (spec, attributes)
