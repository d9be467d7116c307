"""Importing an evaluation table from Word (issue 13): the seed's table written with python-docx,
its merged cells as Word merges them (gridSpan across, vMerge down), gives the text seed's
corpus, text for text."""

from __future__ import annotations

import re

from analysis.cli import main
from analysis.errors import EXIT_INPUT
from analysis.importers import import_source

from test_importer_pdf import SEED, SPANNED, seed_pages


def seed_docx(path, pages=None):
    """The seed as a Word document: per page its title paragraph and a table whose merged
    header and merged cells are real Word merges."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for n, page in enumerate(pages or seed_pages()):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(page["title"])
        header, rows = page["header"], page["rows"]
        table = document.add_table(rows=1 + len(rows), cols=len(header))
        for c, label in enumerate(header):
            if label:
                table.cell(0, c).text = label
        for c in range(1, len(header)):
            if not header[c]:  # an empty header cell: the label before it spans it
                table.cell(0, c - 1).merge(table.cell(0, c))
        for r, cells in enumerate(rows, 1):
            for c, cell in enumerate(cells):
                if cell:
                    table.cell(r, c).text = cell
        for c in SPANNED:
            start = None
            for r in range(1, len(rows) + 2):
                filled = r <= len(rows) and bool(rows[r - 1][c])
                if start is not None and (filled or r == len(rows) + 1) and r - 1 > start:
                    keep = table.cell(start, c).text
                    table.cell(start, c).merge(table.cell(r - 1, c)).text = keep
                if filled:
                    start = r
    document.save(path)
    return path


def shape(corpus):
    out = []
    for plan in corpus.plans:
        out.append((plan.id, plan.title, plan.period, plan.philosophy, plan.owner))
        for d in plan.directions():
            out.append((d.id, d.goal_number, d.number, d.title, d.initiatives, d.evaluation,
                        d.text, d.priority, len(d.relisted_lines), d.goal_label_raw, d.philosophy_raw))
    return out, [(l.source, l.target, l.kind, l.relisted) for l in corpus.links]


def test_word_table_gives_the_corpus_of_the_text_seed(tmp_path):
    import docx

    path = seed_docx(tmp_path / "評価表.docx")
    # the merges are real: the header's first label spans two grid columns, 基本理念 runs down
    tbl = docx.Document(path).tables[0]._tbl
    assert tbl.tr_lst[0].tc_lst[0].grid_span == 2
    assert tbl.tr_lst[2].tc_lst[0].vMerge == "continue"
    seed, corpus = import_source(SEED), import_source(path)
    assert shape(corpus) == shape(seed)
    # the same warnings, but for the line numbers (the seed's text has blank lines)
    def messages(c):
        return [re.sub(r"\d+行目", "N行目", w.message) for w in c.warnings]
    assert messages(corpus) == messages(seed)
    assert [s["reason"] for s in corpus.skipped] == [s["reason"] for s in seed.skipped]
    assert corpus.sources[0]["format"] == "docx"
    first = next(corpus.plans[0].directions())
    assert corpus.sources[0]["locations"][str(first.source_lines[0])] == "表1 2行"


def test_word_cells_are_kept_and_a_reimport_is_byte_identical(tmp_path):
    path = seed_docx(tmp_path / "plan.docx")
    out = tmp_path / "city"
    assert main(["import", str(path), "-o", str(out)]) == 0
    cells = (out / "source" / "plan.docx.cells.tsv").read_text(encoding="utf-8")
    assert "\t【基本理念】 【基本目標】\n" in cells
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["import", str(path), "-o", str(out)]) == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_word_document_without_a_table(tmp_path, capsys):
    import docx

    path = tmp_path / "memo.docx"
    document = docx.Document()
    document.add_paragraph("表のない文書")
    document.save(path)
    assert main(["import", str(path), "-o", str(tmp_path / "out")]) == EXIT_INPUT
    assert "holds no table" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- Word's own markup inside tables: content controls, breaks and tabs, grid offsets ----------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE = "第2次みなと市地域福祉計画（令和2年度～令和6年度）評価シート"
HEADER = ["基本目標", "施策の方向", "取組内容", "評価"]
ROWS = [("基本目標1 見守り", "（1）見守り活動の推進", "1. 訪問", "見守り活動を実施した。"),
        ("基本目標1 見守り", "（2）サロン活動の充実", "1. 立ち上げ", "サロンを立ち上げた。"),
        ("基本目標2 担い手", "（1）ボランティアの育成", "1. 講座", "担い手が不足している。")]


def small_table(title=TITLE, header=HEADER, rows=ROWS, document=None):
    """A document (or one more table in ``document``): a title paragraph, then a table."""
    import docx

    document = document or docx.Document()
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for c, label in enumerate(header):
        table.cell(0, c).text = label
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return document, table


def wrap_in_sdt(element):
    """Put ``element`` inside a content control (w:sdt / w:sdtContent) where it stands."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    sdt = parse_xml(f'<w:sdt xmlns:w="{W}"><w:sdtPr/><w:sdtContent/></w:sdt>')
    element.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(element)


def units(corpus):
    return [(d.id, d.goal_label_raw, d.title, d.initiatives, d.evaluation, d.text)
            for plan in corpus.plans for d in plan.directions()]


EXPECTED = [("P2-1-1", "基本目標1 見守り", "見守り活動の推進", ["訪問"], "見守り活動を実施した。", ""),
            ("P2-1-2", "基本目標1 見守り", "サロン活動の充実", ["立ち上げ"], "サロンを立ち上げた。", ""),
            ("P2-2-1", "基本目標2 担い手", "ボランティアの育成", ["講座"], "担い手が不足している。", "")]


def test_content_controls_around_cells_rows_and_runs_are_read_through(tmp_path):
    from docx.oxml.ns import qn

    document, table = small_table()
    rows = table._tbl.tr_lst
    wrap_in_sdt(rows[1].tc_lst[3])  # one cell (the 評価 of row 1)
    wrap_in_sdt(rows[2])  # a whole row
    run = rows[3].tc_lst[1].find(f"{qn('w:p')}/{qn('w:r')}")
    wrap_in_sdt(run)  # a run inside a paragraph
    wrap_in_sdt(rows[3].tc_lst[2])  # and a cell of a row whose run is wrapped
    path = tmp_path / "sdt.docx"
    document.save(path)
    corpus = import_source(path)
    assert units(corpus) == EXPECTED
    assert not corpus.warnings


def test_a_table_inside_a_content_control_is_read(tmp_path):
    document, table = small_table()
    wrap_in_sdt(table._tbl)
    path = tmp_path / "sdt_table.docx"
    document.save(path)
    corpus = import_source(path)
    assert units(corpus) == EXPECTED
    assert [s["reason"] for s in corpus.skipped][:2] == ["ページの表題（計画名・期間として読み込みました）",
                                                        "見出し行（列の意味として読み込みました）"]


def test_line_breaks_and_tabs_inside_a_cell(tmp_path):
    from docx.oxml import parse_xml

    document, table = small_table()
    table.cell(1, 2).text = "1. 訪問\n2. 電話での安否確認"  # python-docx writes <w:br/>
    paragraph = table.cell(2, 2).paragraphs[0]
    paragraph.text = "1. 立ち上げ"
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:cr/><w:t>2. 運営支援</w:t></w:r>'))
    paragraph = table.cell(2, 3).paragraphs[0]
    paragraph.text = ""
    paragraph.add_run("サロンを立ち上げた。").add_tab()
    paragraph.add_run("参加者は増えた。")
    path = tmp_path / "breaks.docx"
    document.save(path)
    out = tmp_path / "out"
    assert main(["import", str(path), "-o", str(out)]) == 0
    corpus = import_source(path)
    by_id = {d.id: d for plan in corpus.plans for d in plan.directions()}
    assert by_id["P2-1-1"].initiatives == ["訪問", "電話での安否確認"]
    assert by_id["P2-1-2"].initiatives == ["立ち上げ", "運営支援"]
    assert by_id["P2-1-2"].evaluation == "サロンを立ち上げた。 参加者は増えた。"
    # the cells as read keep the line break (as a PDF cell's wrapped lines) and the tab's space
    cells = (out / "source" / "breaks.docx.cells.tsv").read_text(encoding="utf-8")
    assert "\t1. 訪問\\n2. 電話での安否確認\n" in cells
    assert "\t1. 立ち上げ\\n2. 運営支援\n" in cells
    assert "\tサロンを立ち上げた。 参加者は増えた。\n" in cells


def test_cells_are_placed_by_grid_column_with_grid_before_and_after(tmp_path):
    from docx.oxml import parse_xml

    document, table = small_table()
    rows = table._tbl.tr_lst
    # row 3 starts one grid column in: no cell under 基本目標
    rows[3].get_or_add_trPr().append(parse_xml(f'<w:gridBefore xmlns:w="{W}" w:val="1"/>'))
    rows[3].remove(rows[3].tc_lst[0])
    # row 2 ends one grid column early: no cell under 評価
    rows[2].get_or_add_trPr().append(parse_xml(f'<w:gridAfter xmlns:w="{W}" w:val="1"/>'))
    rows[2].remove(rows[2].tc_lst[3])
    path = tmp_path / "grid.docx"
    document.save(path)
    corpus = import_source(path)
    assert units(corpus) == [
        EXPECTED[0],
        ("P2-1-2", "基本目標1 見守り", "サロン活動の充実", ["立ち上げ"], "", ""),
        # the goal cell it lacks is carried from above, as an empty merged cell is
        ("P2-1-3", "基本目標1 見守り", "ボランティアの育成", ["講座"], "担い手が不足している。", "")]
    gaps = [(w.line, w.field, w.message) for w in corpus.warnings if "w:grid" in w.message]
    assert gaps == [
        (4, "評価", "表1 3行の終わりの4列目（評価）にはセルがありません（Word の w:gridAfter）。"
                    "空のセルとして読み込みました"),
        (5, "基本目標", "表1 4行の始めの1列目（基本目標）にはセルがありません（Word の w:gridBefore）。"
                        "空のセルとして読み込みました")]


# -- a second table: the next plan's own table, or an error -----------------------------------

NEXT_TITLE = "第3次みなと市地域福祉計画（令和7年度～令和11年度）の方向性"
NEXT_HEADER = ["基本目標", "施策の方向", "説明"]
NEXT_ROWS = [("基本目標1 つながる", "（1）見守り体制の強化", "ICTを活用した見守りを進める。"),
             ("基本目標1 つながる", "（2）居場所づくり", "多世代の居場所を増やす。"),
             ("基本目標2 ささえる", "（3）担い手の育成", "担い手不足に対応する。")]
NEXT_UNITS = [("P3-1-1", "基本目標1 つながる", "見守り体制の強化", [], "", "ICTを活用した見守りを進める。"),
              ("P3-1-2", "基本目標1 つながる", "居場所づくり", [], "", "多世代の居場所を増やす。"),
              ("P3-2-3", "基本目標2 ささえる", "担い手の育成", [], "", "担い手不足に対応する。")]


def two_tables(path, next_title=NEXT_TITLE, next_header=NEXT_HEADER, next_rows=NEXT_ROWS,
               header=HEADER, rows=ROWS):
    document, table = small_table(header=header, rows=rows)
    table.cell(1, 2).text = "1. 訪問\n2. 電話での安否確認"
    small_table(next_title, next_header, next_rows, document=document)
    document.save(path)
    return path


def test_a_next_plans_table_after_the_evaluation_table_becomes_the_next_plan(tmp_path):
    path = two_tables(tmp_path / "two.docx")
    corpus = import_source(path)
    assert [(p.id, p.role, p.title, p.period) for p in corpus.plans] == [
        ("P2", "evaluated", "第2次みなと市地域福祉計画", "令和2年度～令和6年度"),
        ("P3", "next", "第3次みなと市地域福祉計画", "令和7年度～令和11年度")]
    expected = [EXPECTED[0][:3] + (["訪問", "電話での安否確認"],) + EXPECTED[0][4:]] + EXPECTED[1:]
    assert units(corpus) == expected + NEXT_UNITS
    assert not corpus.links and not corpus.warnings
    assert [(s["line"], s["reason"]) for s in corpus.skipped] == [
        (1, "ページの表題（計画名・期間として読み込みました）"),
        (2, "見出し行（列の意味として読み込みました）"),
        (6, "次期計画の表の表題（計画名・期間として読み込みました）"),
        (7, "次期計画の表の見出し行（列の意味として読み込みました）")]
    assert corpus.plans[1].source_line == 6


def test_a_next_plans_table_without_a_title_is_told_by_its_description_column(tmp_path):
    corpus = import_source(two_tables(tmp_path / "two.docx", next_title=None))
    assert [(p.id, p.role, p.title) for p in corpus.plans] == [
        ("P2", "evaluated", "第2次みなと市地域福祉計画"), ("P3", "next", "第3次みなと市地域福祉計画")]
    assert units(corpus)[3:] == NEXT_UNITS


def test_a_next_plans_table_takes_over_the_next_column_and_its_links(tmp_path):
    header = HEADER + ["次期計画の方向性"]
    rows = [row + (following,) for row, following in
            zip(ROWS, ["（1）見守り体制の強化", "（2）居場所づくり", "（3）担い手の育成"])]
    corpus = import_source(two_tables(tmp_path / "two.docx", header=header, rows=rows))
    assert [(p.id, p.role) for p in corpus.plans] == [("P2", "evaluated"), ("P3", "next")]
    assert units(corpus)[3:] == NEXT_UNITS
    assert [(l.source, l.target) for l in corpus.links] == [
        ("P2-1-1", "P3-1-1"), ("P2-1-2", "P3-1-2"), ("P2-2-1", "P3-2-3")]


def test_a_second_table_that_cannot_be_told_the_next_plans_is_an_error(tmp_path, capsys):
    # no generation named, and an evaluation column: another evaluation table, never mixed in
    path = two_tables(tmp_path / "other.docx", next_title="参考資料",
                      next_header=["基本目標", "施策の方向", "評価"],
                      next_rows=[("基本目標1 つながる", "（1）見守り体制の強化", "進めた。")])
    assert main(["import", str(path), "-o", str(tmp_path / "out")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "other.docx" in err and "row 7 (表2 1行)" in err and "基本目標 | 施策の方向 | 評価" in err
    assert not (tmp_path / "out").exists()
    # a title naming a generation other than the next plan's
    path = two_tables(tmp_path / "same.docx", next_title="第2次みなと市地域福祉計画 資料編")
    assert main(["import", str(path), "-o", str(tmp_path / "out")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "same.docx" in err and "row 7 (表2 1行)" in err and "第2次, not the next plan (第3次)" in err


def test_a_next_plans_table_is_told_by_the_generation_its_labels_name(tmp_path):
    # no title; its direction column names the next plan's generation, its description the next plan
    header = ["【基本目標】", "【第3次計画の施策の方向】", "【次期計画の説明】"]
    corpus = import_source(two_tables(tmp_path / "two.docx", next_title=None, next_header=header))
    assert [(p.id, p.role, p.title) for p in corpus.plans] == [
        ("P2", "evaluated", "第2次みなと市地域福祉計画"), ("P3", "next", "第3次みなと市地域福祉計画")]
    assert units(corpus)[3:] == NEXT_UNITS
    assert not corpus.warnings
