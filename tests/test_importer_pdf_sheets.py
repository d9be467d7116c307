"""Evaluation sheets (事務事業評価シート, issue 13 item 5) from PDF and Word: label cells beside value
cells, one unit per sheet.  Two layouts printed by headless Chromium — a four-column form with
merged value cells, one sheet on one page (and a folder of such PDFs, one sheet a file); a
two-column form, three sheets in one PDF, one of them running over two pages — and the
four-column form in Word, all give the units the sheets were written from."""

from __future__ import annotations

import html

import pytest

from analysis.errors import SettingsError
from analysis.importers import import_source
from analysis.importers.sheets import fold_label, load_sheet_labels

from test_importer_pdf import document, print_pdf
from test_report_browser import chromium

LONG = ("見守り協力事業所が増え、地域の異変の早期発見につながった。" * 40).rstrip("。") + "。"
SHEETS = [
    {"unit": "地域見守りネットワーク事業", "dept": "福祉課", "policy": "地域福祉の推進",
     "cost": "1,200", "indicator": "協力事業所数 45",
     "ratings": [("有効性", "A", "見守り協力事業所が増え、早期発見につながった。"),
                 ("効率性", "B", "委託により費用を抑えたが、事務の負担が課題である。")],
     "decision": ("今後の方向性", "拡充"),
     "texts": [("今後の方向性の理由", "高齢化の進展に伴い、見守りの対象者が増加している。"),
               ("課題", "協力事業所の担い手が不足している。")]},
    {"unit": "生活支援体制整備事業", "dept": "長寿支援課", "policy": "支え合いの地域づくり",
     "cost": "8,400", "indicator": "協議体の開催 28回",
     "ratings": [("有効性", "B", LONG), ("効率性", "C", "コーディネーターの配置に費用がかかる。")],
     "decision": ("今後の方向性", "現状維持"),
     "texts": [("課題", "第2層協議体の担い手不足が続いている。")]},
    {"unit": "成年後見制度利用支援事業", "dept": "障害福祉課", "policy": "権利擁護の推進",
     "cost": "560", "indicator": "申立て支援 12件",
     "ratings": [("有効性", "A", "中核機関の設置により相談が増えた。"), ("効率性", "A", "社協への委託で効率的に実施した。")],
     "decision": ("今後の方向性", "改善"),
     "texts": [("課題", "市民後見人の育成が追いついていない。")]},
]
TITLE = "令和5年度 事務事業評価シート"


def four_columns(sheet) -> list[list[tuple[str, int, bool]]]:
    """(text, colspan, is_label) rows of the four-column form."""
    rows = [[("事務事業名", 1, True), (sheet["unit"], 3, False)],
            [("担当部署名", 1, True), (sheet["dept"], 1, False), ("施策", 1, True), (sheet["policy"], 1, False)],
            [("事業費（千円）", 1, True), (sheet["cost"], 1, False), ("成果指標", 1, True), (sheet["indicator"], 1, False)]]
    rows += [[(q, 1, True), (v, 1, False), ("判断理由", 1, True), (r, 1, False)] for q, v, r in sheet["ratings"]]
    label, value = sheet["decision"]
    rows.append([(label, 1, True), (value, 3, False)])
    rows += [[(label, 1, True), (text, 3, False)] for label, text in sheet["texts"]]
    return rows


def two_columns(sheet) -> list[list[tuple[str, int, bool]]]:
    """The same sheet as a two-column form (label | value), one pair a row."""
    return [[pair[0], pair[1]] for row in four_columns(sheet) for pair in
            zip(row[0::2], row[1::2])]


def sheet_html(rows) -> str:
    cells = "".join("<tr>" + "".join(
        f'<{"th" if label else "td"} colspan="{span}">{html.escape(text)}</{"th" if label else "td"}>'
        for text, span, label in row) + "</tr>" for row in rows)
    return f"<table>{cells}</table>"


def pages_html(layout, sheets) -> str:
    return "".join(f'<div class="page"><h1>{TITLE}</h1>{sheet_html(layout(s))}<footer>- {n} -</footer></div>'
                   for n, s in enumerate(sheets, 1))


@pytest.fixture(scope="module")
def sheet_pdfs(tmp_path_factory):
    browser = chromium()
    root = tmp_path_factory.mktemp("sheets")
    folder = root / "シート"
    folder.mkdir()
    for n, sheet in enumerate(SHEETS, 1):  # a folder of sheet PDFs, one sheet a file
        printed = print_pdf(browser, root, f"sheet{n}", document(pages_html(four_columns, [sheet]),
                                                                 size="A4 portrait"))
        printed.rename(folder / f"{n:02d}_{sheet['unit']}.pdf")
    return {"folder": folder,
            "one": print_pdf(browser, root, "one", document(pages_html(four_columns, SHEETS[:1]),
                                                            size="A4 portrait")),
            "many": print_pdf(browser, root, "many", document(pages_html(two_columns, SHEETS),
                                                              size="A5 portrait", font="11pt"))}


def expected_units(sheets):
    return [{"title": s["unit"], "levels": [("施策", s["policy"]), ("担当部署名", s["dept"])],
             "ratings": s["ratings"], "decision": s["decision"], "texts": s["texts"],
             "attributes": {"事業費（千円）": s["cost"], "成果指標": s["indicator"]}} for s in sheets]


def units(corpus):
    return [{"title": d.title, "levels": [(lv.label, lv.value) for lv in d.levels],
             "ratings": [(r.question, r.value, r.reason) for r in d.ratings],
             "decision": (d.decision.label, d.decision.header) if d.decision else None,
             "texts": [(t.label, t.text) for t in d.texts], "attributes": dict(d.attributes)}
            for plan in corpus.plans for d in plan.directions()]


def decision_of(corpus):
    return [(d.decision.label, d.decision.class_) for p in corpus.plans for d in p.directions()]


@pytest.mark.parametrize("name, sheets", [("one", SHEETS[:1]), ("many", SHEETS)])
def test_sheets_from_pdf_give_one_unit_per_sheet(sheet_pdfs, name, sheets):
    corpus = import_source(sheet_pdfs[name])
    got, want = units(corpus), expected_units(sheets)
    # the decision: Decision keeps the cell as ``label`` and the header it stood under
    for unit, sheet in zip(want, sheets):
        unit["decision"] = (sheet["decision"][1], sheet["decision"][0])
    assert got == want
    assert corpus.sources[0]["shape"] == "evaluation-sheets"
    assert [c for _, c in decision_of(corpus)] == [{"拡充": "expand", "現状維持": "continue",
                                                    "改善": "improve"}[s["decision"][1]] for s in sheets]
    reasons = {s["reason"].split("（")[0] for s in corpus.skipped}
    assert "ページ番号" in reasons and "シートの表題など" in reasons


def test_a_folder_of_sheet_pdfs_is_one_corpus(sheet_pdfs, tmp_path):
    from analysis.cli import main

    folder = sheet_pdfs["folder"]
    got, want = units(import_source(folder)), expected_units(SHEETS)
    for unit, sheet in zip(want, SHEETS):
        unit["decision"] = (sheet["decision"][1], sheet["decision"][0])
    assert got == want
    out = tmp_path / "city"
    assert main(["import", str(folder), "-o", str(out)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert sorted(p.name for p in (out / "source" / folder.name).iterdir()) == names
    assert all((out / "source" / folder.name / n).read_bytes() == (folder / n).read_bytes() for n in names)
    import json

    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["sources"][0]
    assert [f["path"] for f in record["files"]] == [f"{folder.name}/{n}" for n in names]
    assert record["pages"] == 3 and record["locations"]["2"] == f"{names[0]} p.1 表1 1行"
    cells = (out / "source" / f"{folder.name}.cells.tsv").read_text(encoding="utf-8").splitlines()
    assert cells[0].startswith("file\trow\tpage") and cells[-1].startswith(names[-1] + "\t")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["import", str(folder), "-o", str(out)]) == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_sheet_over_two_pages_is_one_unit(sheet_pdfs):
    corpus = import_source(sheet_pdfs["many"])
    assert corpus.sources[0]["pages"] > len(SHEETS)  # the long sheet did run over
    second = list(corpus.plans[0].directions())[1]
    assert second.ratings[0].reason == LONG


def test_sheet_from_word(tmp_path):
    import docx

    document_ = docx.Document()
    document_.add_paragraph(TITLE)
    for sheet in SHEETS:
        rows = four_columns(sheet)
        table = document_.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            c = 0
            for text, span, _ in row:
                cell = table.cell(r, c)
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                cell.text = text
                c += span
    path = tmp_path / "sheets.docx"
    document_.save(path)
    got, want = units(import_source(path)), expected_units(SHEETS)
    for unit, sheet in zip(want, SHEETS):
        unit["decision"] = (sheet["decision"][1], sheet["decision"][0])
    assert got == want


@pytest.mark.parametrize("label, folded", [
    ("事業費（千円）", "事業費"), ("事務事業名：", "事務事業名"), ("担当 部署名", "担当部署名"),
    ("ＡＢＣ評価", "ABC評価"), ("今後の方向性", "今後の方向性"),
])
def test_fold_label(label, folded):
    assert fold_label(label) == folded


@pytest.mark.parametrize("text, message", [
    ('[labels]\nunit = ["事業名"]\nwho = ["担当"]\n', "unknown role 'who'"),
    ('[labels]\nunit = ["事業名"]\ntext = ["事業名"]\n', "listed for both unit and text"),
    ('[labels]\ntext = ["課題"]\n', "no unit label"),
    ('[labels]\nunit = "事業名"\n', "expected a list of labels"),
])
def test_bad_label_files(tmp_path, text, message):
    path = tmp_path / "labels.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_sheet_labels(path)


def test_a_group_label_merged_down_the_first_column():
    from analysis.corpus import Corpus
    from analysis.importers.sheets import sheet_rows

    rows = [(["事務事業名", "見守り事業", "", ""], 1),
            (["成果指標", "目標値", "50", ""], 2),   # 成果指標 merged over two rows
            (["", "実績値", "45", ""], 3),
            (["評価", "有効性", "A", ""], 4),        # a known label as the group: no prefix
            (["", "効率性", "B", ""], 5),
            (["課題", "担い手の不足", "", ""], 6)]
    corpus = Corpus(name="例")
    [row] = sheet_rows(rows, file="例.pdf", corpus=corpus)
    assert row.attributes == {"成果指標・目標値": "50", "成果指標・実績値": "45"}
    assert row.ratings == [("有効性", "A", ""), ("効率性", "B", "")]
    assert row.texts == [("課題", "担い手の不足")]


# Forms as the tester found them: a sheet over two pages printing its 事務事業名 row again, labels
# in one row over their values in the row below, full-width labels over their text, an empty value
# cell, a group label merged down beside another merged label, check-box decisions.
TWO_PAGE_SHEET = (
    '<div class="page"><h1>事務事業評価シート（1/2）</h1><table>'
    "<tr><th>事務事業名</th><td>配食サービス事業</td><th>事業番号</th><td>1</td></tr>"
    '<tr><th>担当課</th><td colspan="3">高齢福祉課</td></tr>'
    "<tr><th>有効性</th><td>B</td><th>判断理由</th><td>参加者は増えたが目標に届かない。</td></tr>"
    "</table><footer>- 1 -</footer></div>"
    '<div class="page"><h1>事務事業評価シート（2/2）</h1><table>'
    "<tr><th>事務事業名</th><td>配食サービス事業</td><th>事業番号</th><td>1</td></tr>"
    '<tr><th>担当課</th><td colspan="3">地域包括ケア推進課</td></tr>'
    '<tr><th>課題</th><td colspan="3">配達員が不足している。</td></tr>'
    '<tr><th colspan="4">今後の方向性</th></tr><tr><td colspan="4">□拡充 ■継続 □改善</td></tr>'
    "</table><footer>- 2 -</footer></div>")
GRID_SHEET = (
    '<div class="page"><h1>事務事業評価シート</h1><table>'
    '<tr><th>事務事業名</th><td colspan="5">移動支援事業</td></tr>'
    '<tr><th>担当課</th><td colspan="2">福祉課</td><th>課題</th><td colspan="2">利用者が減少している。</td></tr>'
    '<tr><th>有効性</th><th>効率性</th><th>必要性</th><th colspan="3">総合評価</th></tr>'
    '<tr><td>A</td><td>B</td><td>A</td><td colspan="3">B</td></tr>'
    '<tr><th rowspan="2">成果指標</th><th>目標値</th><td>100</td><th rowspan="2">事業費（千円）</th>'
    '<td colspan="2" rowspan="2">2,000</td></tr>'
    "<tr><th>実績値</th><td>80</td></tr>"
    '<tr><th>改善策</th><td></td><th>備考</th><td colspan="3">特になし</td></tr>'
    '<tr><th colspan="6">今後の方向性の理由</th></tr>'
    '<tr><td colspan="6">送迎の需要は続いている。</td></tr>'
    '<tr><th>今後の方向性</th><td colspan="5">☑改善 ☐継続 ☐廃止</td></tr>'
    "</table><footer>- 3 -</footer></div>")


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    return print_pdf(chromium(), root, "forms", document(TWO_PAGE_SHEET + GRID_SHEET, size="A4 portrait"))


def test_forms_as_printed(form_pdf):
    corpus = import_source(form_pdf)
    assert units(corpus) == [
        {"title": "配食サービス事業", "levels": [("担当課", "高齢福祉課")],
         "ratings": [("有効性", "B", "参加者は増えたが目標に届かない。")],
         "decision": ("□拡充 ■継続 □改善", "今後の方向性"),
         "texts": [("課題", "配達員が不足している。")],
         "attributes": {"事業番号": "1", "担当課#2": "地域包括ケア推進課"}},
        {"title": "移動支援事業", "levels": [("担当課", "福祉課")],
         "ratings": [("有効性", "A", ""), ("効率性", "B", ""), ("必要性", "A", ""), ("総合評価", "B", "")],
         "decision": ("☑改善 ☐継続 ☐廃止", "今後の方向性"),
         "texts": [("課題", "利用者が減少している。"), ("今後の方向性の理由", "送迎の需要は続いている。")],
         "attributes": {"成果指標・目標値": "100", "成果指標・実績値": "80", "事業費（千円）": "2,000",
                        "備考": "特になし"}}]
    assert [c for _, c in decision_of(corpus)] == ["continue", "improve"]
    # the second page's 事務事業名 row is recorded as the sheet's continuation; the other 担当課
    # is kept, with a warning naming the field
    [repeat] = [s for s in corpus.skipped if s["reason"].startswith("前のシートの続き")]
    assert repeat["text"] == "事務事業名\t配食サービス事業\t事業番号\t1" and "（2ページ）" in repeat["reason"]
    [other] = [w for w in corpus.warnings if w.field == "担当課"]
    assert "地域包括ケア推進課" in other.message and "担当課#2" in other.message
    assert not [w for w in corpus.warnings if w.field == "今後の方向性"]
    skipped = {s["text"] for s in corpus.skipped}
    assert not skipped & {"送迎の需要は続いている。", "□拡充 ■継続 □改善", "特になし"}


def test_a_repeated_unit_name_with_another_number_is_another_sheet():
    from analysis.corpus import Corpus
    from analysis.importers.sheets import sheet_rows

    rows = [(["事務事業名", "見守り事業", "事業番号", "1"], 1), (["課題", "担い手の不足", "", ""], 2),
            (["事務事業名", "見守り事業", "事業番号", "2"], 3), (["課題", "対象者の増加", "", ""], 4),
            (["事務事業名", "見守り事業", "", ""], 5), (["課題", "対象者の増加", "", ""], 6),
            (["評価年度", "令和5年度", "", ""], 7)]
    corpus = Corpus(name="例")
    first, second = sheet_rows(rows, file="例.pdf", corpus=corpus)
    assert (first.attributes, first.texts) == ({"事業番号": "1"}, [("課題", "担い手の不足")])
    # the third 事務事業名 row names no other number: the second sheet continues, its 課題 given
    # again word for word is one text
    assert (second.attributes, second.texts, second.period) == (
        {"事業番号": "2"}, [("課題", "対象者の増加")], "令和5年度")
    assert [s["line"] for s in corpus.skipped] == [5] and not corpus.warnings


def test_labels_over_values_and_empty_value_cells():
    from analysis.corpus import Corpus
    from analysis.importers.sheets import sheet_rows

    rows = [(["事務事業名", "見守り事業", "", ""], 1),
            (["有効性", "効率性", "", ""], 2), (["A", "B", "", ""], 3),  # labels over values
            (["必要性", "", "", ""], 4),  # a label row over a row with a label: no values
            (["改善策", "", "備考", "特になし"], 5),
            (["課題", "", "", ""], 6), (["担い手の不足", "", "", ""], 7),
            (["所見", "", "", ""], 8), (["担当課", "福祉課", "", ""], 9)]
    corpus = Corpus(name="例")
    [row] = sheet_rows(rows, file="例.pdf", corpus=corpus)
    assert row.ratings == [("有効性", "A", ""), ("効率性", "B", ""), ("必要性", "", "")]
    assert row.attributes == {"備考": "特になし"}
    assert row.texts == [("課題", "担い手の不足")] and row.levels == [("担当課", "福祉課")]
    assert not corpus.skipped and not corpus.warnings
