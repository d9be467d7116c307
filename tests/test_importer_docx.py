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
