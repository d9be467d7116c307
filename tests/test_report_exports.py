"""The report folder holds the co-occurrence network's data beside its figure (CSV with BOM,
GraphML that networkx reads back) and a workbook whose every sheet filters on its header row."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analysis import report
from analysis.corpus_io import load_corpus
from analysis.settings import default_settings


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    settings = default_settings().replace(report={"png": False})
    data = report.report_data(load_corpus(), settings=settings)
    directory = report.write_report(data, tmp_path_factory.mktemp("exports") / "report", generated_at=False)
    return data, directory


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    return pd.read_csv(path, encoding="utf-8-sig")


def test_nodes_and_edges_tables_are_the_network(folder):
    data, directory = folder
    graph = data.cooccurrence
    nodes = read_csv(directory / "tables" / "cooccurrence_nodes.csv")
    assert sorted(nodes["語"]) == sorted(graph)
    for row in nodes.to_dict("records"):
        attrs = graph.nodes[row["語"]]
        assert (row["表記"], row["出現数"], row["出現した文の数"], row["コミュニティ"], row["線の数"]) == (
            attrs["label"], attrs["frequency"], attrs["contexts"], attrs["community"], graph.degree(row["語"]))
    edges = read_csv(directory / "tables" / "cooccurrence_edges.csv")
    assert len(edges) == graph.number_of_edges() <= data.settings.get("cooccurrence", "top")
    for row in edges.to_dict("records"):
        assert graph.edges[row["語1"], row["語2"]]["jaccard"] == pytest.approx(row["Jaccard"])
        assert graph.edges[row["語1"], row["語2"]]["cooccurrence"] == row["共起した文の数"]
    assert edges["Jaccard"].min() >= data.settings.get("cooccurrence", "min_jaccard")


def test_jaccard_matrix_agrees_with_the_edges_and_holds_every_pair(folder):
    data, directory = folder
    graph = data.cooccurrence
    matrix = read_csv(directory / "tables" / "cooccurrence_jaccard.csv").set_index("語")
    assert list(matrix.index) == list(matrix.columns) and sorted(matrix.index) == sorted(graph)
    assert (matrix.values == matrix.values.T).all()
    assert all(matrix.loc[t, t] == 1.0 for t in matrix.index)
    for a, b, jaccard in graph.edges(data="jaccard"):
        assert matrix.loc[a, b] == pytest.approx(jaccard)
    # pairs the network leaves out are there too: some linked weakly, below the threshold
    weak = [(a, b) for a in matrix.index for b in matrix.columns
            if a < b and not graph.has_edge(a, b) and 0 < matrix.loc[a, b] < graph.graph["min_jaccard"]]
    assert weak


def test_graphml_reads_back_with_networkx(folder):
    data, directory = folder
    back = nx.read_graphml(directory / "graph" / "cooccurrence.graphml")
    graph = data.cooccurrence
    assert sorted(back) == sorted(graph)
    assert sorted(tuple(sorted(e)) for e in back.edges) == sorted(tuple(sorted(e)) for e in graph.edges)
    for node, attrs in graph.nodes(data=True):
        assert back.nodes[node]["community"] == attrs["community"]
        assert back.nodes[node]["label"] == attrs["label"]
    for a, b, jaccard in graph.edges(data="jaccard"):
        assert back.edges[a, b]["jaccard"] == pytest.approx(jaccard)
    assert back.graph["unit"] == "sentence" and back.graph["min_jaccard"] == pytest.approx(0.2)


def test_every_workbook_sheet_filters_on_its_header_row(folder):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _, directory = folder
    workbook = load_workbook(directory / "keikaku.xlsx")
    names = workbook.sheetnames
    assert {"共起_語", "共起_線", "共起_Jaccard行列"} <= set(names)
    for sheet in workbook:
        columns = sum(1 for cell in sheet[1] if cell.value is not None)
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(columns)}{sheet.max_row}", sheet.title
        assert sheet.freeze_panes == "A2"


def test_a_header_only_table_still_has_a_filter(tmp_path):
    from openpyxl import load_workbook

    report.write_workbook(tmp_path / "x.xlsx", {"warnings": pd.DataFrame(columns=["ファイル", "行", "内容"])})
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert sheet.auto_filter.ref == "A1:C1"


@pytest.mark.parametrize("shape, fits", [((2, 16_384), True), ((2, 16_385), False), ((3, 20_001), False)])
def test_a_table_larger_than_a_worksheet_says_so_in_its_sheet(tmp_path, shape, fits):
    """Themes × goals of thousands of owners has more columns than Excel holds: the sheet says
    where the table is instead of failing or cutting it silently."""
    from openpyxl import load_workbook

    rows, columns = shape
    wide = pd.DataFrame([[i] * columns for i in range(rows)], columns=[f"O{k}-P1-G1" for k in range(columns)])
    report.write_workbook(tmp_path / "x.xlsx", {"themes_by_goal": wide, "warnings": pd.DataFrame({"内容": ["a"]})})
    book = load_workbook(tmp_path / "x.xlsx", read_only=True)
    first = next(book["テーマ×基本目標"].iter_rows(values_only=True))
    if fits:
        assert len(first) == columns and first[0] == "O0-P1-G1"
    else:
        assert first == (f"この表（テーマ×基本目標）は {rows + 1} 行 × {columns:,} 列あり、Excel のシートの上限"
                         "（1,048,576 行 × 16,384 列）を超えるため、このシートには載せていません。"
                         "全体は tables/themes_by_goal.csv にあります。",)
    assert [r for r in book["取り込み時の注意"].iter_rows(values_only=True)] == [("内容",), ("a",)]

