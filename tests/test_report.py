"""The HTML report, its tables, workbook and graph files; the ``keikaku report`` command."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from analysis import report
from analysis.report import folder
from analysis.cli import main
from analysis.settings import default_settings
from report_corpus import HOSTILE, make_corpus

SECTIONS = ["コーパスの概観", "テーマ（計画世代・基本目標別）", "重要語と特徴語", "施策の方向ごとの評価の姿勢",
            "継続性の図", "所見：継続・新規・消えたもの、課題の行方", "計画世代の比較", "この報告書について"]
FAST = default_settings().replace(report={"png": False})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The report of a corpus with markup and script in every field, made by the command
    ``keikaku report PATH -o DIR`` from the corpus written to disk."""
    from analysis.corpus_io import write_corpus

    root = tmp_path_factory.mktemp("hostile")
    write_corpus(make_corpus(HOSTILE), root / "corpus")
    settings = root / "settings.toml"
    settings.write_text("[report]\npng = false\n", encoding="utf-8")
    code = main(["report", str(root / "corpus"), "-o", str(root / "report"), "--no-timestamp",
                 "--settings", str(settings)])
    assert code == 0
    return None, root / "report", (root / "report" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    data = report.report_data(make_corpus(), settings=FAST)
    directory = report.write_report(data, tmp_path_factory.mktemp("clean") / "report", generated_at=False)
    return data, directory, (directory / "index.html").read_text(encoding="utf-8")


# -- safety ---------------------------------------------------------------------------------------

def test_no_live_markup_from_the_corpus(hostile):
    _, _, page = hostile
    lowered = page.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]*\son\w+\s*=", page), "an event handler attribute"
    assert "<b>太字</b>" not in page
    assert "<img src=x" not in lowered
    # the injected text is shown as text
    assert html.escape(HOSTILE, quote=True) in page


@pytest.mark.parametrize("where, text", [
    ("corpus name", "ある市"),
    ("plan title", "第2次地域福祉活動計画"),
    ("owner/philosophy", "誰もが安心して暮らせるまち"),
    ("goal title", "つながる地域づくり"),
    ("direction title", "見守り活動の推進"),
    ("next direction title", "権利擁護の推進"),
    ("warning", "目標番号が前と異なります"),
    ("source file", "plan"),
])
def test_every_field_appears_escaped(hostile, where, text):
    _, _, page = hostile
    assert text + html.escape(HOSTILE, quote=True) in page, where


def test_evaluation_and_description_sentences_appear_escaped(hostile):
    _, _, page = hostile
    # sentences are split at 。, so the hostile tail is its own piece of text: it must be escaped
    assert "担い手不足が課題となった。" in page
    assert "&lt;script&gt;document.title=&quot;PWNED&quot;" in page


def test_no_external_resource(clean):
    _, _, page = clean
    # the one url(…) is the embedded font, a data: URL
    assert not re.findall(r"https?://|//cdn|@import|url\((?!data:font/woff;base64,)", page)
    assert len(re.findall(r"url\(", page)) == 1
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert attribute.startswith(("data:image/svg+xml;base64,", "#")), attribute


# -- content --------------------------------------------------------------------------------------

def test_sections_in_order(clean):
    _, _, page = clean
    headings = re.findall(r"<h2>\d+\. ([^<]+)</h2>", page)
    assert [html.unescape(h) for h in headings] == SECTIONS


def test_figures_are_embedded(clean):
    data, directory, page = clean
    images = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">', page)
    assert len(images) == 5
    import base64

    for encoded in images:
        svg = base64.b64decode(encoded)
        assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and len(svg) > 5000
    assert sorted(p.name for p in (directory / "figures").iterdir()) == sorted(
        f"{name}.svg" for name in ("themes_by_generation", "themes_by_goal", "keyness", "cooccurrence",
                                   "continuity"))


def test_prints_on_a4(clean):
    _, _, page = clean
    assert re.search(r"@page\s*{\s*size:\s*A4", page)
    assert "break-before: page" in page and "table-layout: fixed" in page


def test_findings_show_evidence_with_source_lines(clean):
    data, _, page = clean
    problems = [f for f in data.findings if f["kind"] == "problem"]
    assert problems, "the hand-made evaluation raises problems (課題, 停滞, 持ち越し)"
    for finding in problems:
        assert html.escape(finding["subject"]) in page
    # an evidence sentence with its direction and line
    assert re.search(r"— P2-\d-\d [^<]*（\d+行）", page)


def test_theme_section_states_each_generations_total(clean):
    data, _, page = clean
    from analysis.units import text_units

    totals = {}
    for unit in text_units(data.corpus):
        totals[unit.generation] = totals.get(unit.generation, 0) + 1
    assert len(totals) == 2
    expected = "、".join(f"第{g}次 {n}" for g, n in sorted(totals.items()))
    assert f"テキスト単位の総数は {expected} で世代によって異なる" in page


def test_stances_section_names_cues(clean):
    data, _, page = clean
    issue = [s for s in data.stances if s["stance"] == "issue"]
    assert issue
    assert '<span class="stance stance-issue">課題</span>' in page
    assert re.search(r"<b>[^<]+</b>", page), "a cue word in bold"


def test_settings_and_version_are_stated(clean):
    from analysis import __version__

    _, _, page = clean
    assert f"keikaku {__version__}" in page or f"<td>{__version__}</td>" in page
    assert "[report]" in page and "split_mode" in page
    assert "作成日時" not in page  # generated_at=False


def test_generated_at_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert report.generated_at_text() == "2023-11-14 22:13:20 UTC"
    assert report.generated_at_text(False) is None


def test_same_input_same_bytes(clean, tmp_path):
    data, directory, page = clean
    again = report.write_report(data, tmp_path / "again", generated_at=False)
    assert (again / "index.html").read_text(encoding="utf-8") == page
    for csv in sorted((directory / "tables").iterdir()):
        assert (again / "tables" / csv.name).read_bytes() == csv.read_bytes(), csv.name
    assert (again / "keikaku.xlsx").read_bytes() == (directory / "keikaku.xlsx").read_bytes()


# -- files beside the page ------------------------------------------------------------------------

def test_report_files_are_readable_by_others(clean):
    import os
    import stat

    _, directory, _ = clean
    umask = os.umask(0)
    os.umask(umask)
    for path in [directory, *directory.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == ((0o777 if path.is_dir() else 0o666) & ~umask), (path, oct(mode))


def test_tables_are_csv_with_bom(clean):
    import pandas as pd

    _, directory, _ = clean
    names = {p.stem for p in (directory / "tables").iterdir()}
    assert {"plans", "directions", "units", "themes_by_generation", "terms", "keyness", "stances", "links",
            "findings", "warnings"} <= names
    for path in (directory / "tables").iterdir():
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    units = pd.read_csv(directory / "tables" / "units.csv", encoding="utf-8-sig")
    assert len(units) == len(make_corpus_units())


def make_corpus_units():
    from analysis.units import text_units

    return text_units(make_corpus())


def test_workbook_has_one_japanese_sheet_per_table(clean):
    from openpyxl import load_workbook

    _, directory, _ = clean
    book = load_workbook(directory / "keikaku.xlsx", read_only=True)
    tables = sorted(p.stem for p in (directory / "tables").iterdir())
    assert len(book.sheetnames) == len(tables)
    assert "施策の方向" in book.sheetnames and "所見" in book.sheetnames
    for name in book.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    first = next(book["計画"].iter_rows(values_only=True))
    assert first[:3] == ("計画ID", "世代", "計画名")


def test_workbook_never_holds_a_formula_from_the_corpus(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    texts = ["=1+1", "-5件減少した", "+1", "@市民", "連携"]
    report.write_workbook(tmp_path / "x.xlsx", {"plans": pd.DataFrame({"本文": texts})})
    cells = [row[0] for row in load_workbook(tmp_path / "x.xlsx")["計画"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == texts  # as written: no apostrophe, which Excel would show
    assert {c.data_type for c in cells} == {"s"}  # and none of them a formula


def test_workbook_marks_what_a_cell_cannot_hold(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    long = "担い手不足" * 10000  # 50,000 characters
    report.write_workbook(tmp_path / "x.xlsx", {"units": pd.DataFrame({"本文": ["連携\x07協働", long]})})
    sheet = load_workbook(tmp_path / "x.xlsx")["テキスト単位"]
    assert sheet["A2"].value == "連携\ufffd協働"
    assert len(sheet["A3"].value) == report.EXCEL_CELL_LIMIT and sheet["A3"].value.endswith(report.EXCEL_CUT)


def test_build_report_from_a_corpus_directory(tmp_path, monkeypatch):
    from analysis.corpus_io import write_corpus

    corpus = make_corpus()
    corpus.plans, corpus.links = corpus.plans[:1], []
    write_corpus(corpus, tmp_path / "corpus")
    monkeypatch.setattr(folder, "report_figures", lambda data: {})
    directory = report.build_report(tmp_path / "corpus", tmp_path / "out", settings=FAST, generated_at=False)
    assert (directory / "index.html").exists() and (directory / "keikaku.xlsx").exists()
    # one generation: no continuity graph, only the co-occurrence network
    assert sorted(p.name for p in (directory / "graph").iterdir()) == ["cooccurrence.graphml"]


def test_graph_files_read_back(clean):
    import networkx as nx

    data, directory, _ = clean
    graph = nx.read_graphml(directory / "graph" / "continuity.graphml")
    assert set(graph.nodes) >= {d.id for d in data.corpus.directions()}
    assert (directory / "graph" / "continuity.gexf").stat().st_size > 0
    assert (directory / "graph" / "continuity.json").stat().st_size > 0


# -- writing --------------------------------------------------------------------------------------

def test_failure_leaves_the_existing_directory_untouched(clean, tmp_path, monkeypatch):
    data, _, _ = clean
    target = tmp_path / "report"
    target.mkdir()
    previous = '<!DOCTYPE html><html><head><meta name="generator" content="keikaku 0.0.1"></head>前の版'
    (target / "index.html").write_text(previous, encoding="utf-8")

    def broken(path, tables):
        raise OSError("disk full")

    monkeypatch.setattr(folder, "write_workbook", broken)
    monkeypatch.setattr(folder, "report_figures", lambda data: {})  # quick: fail before figures matter
    from analysis.errors import OutputError

    with pytest.raises(OutputError, match="disk full"):
        report.write_report(data, target, generated_at=False)
    assert (target / "index.html").read_text(encoding="utf-8") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging left behind


@pytest.mark.parametrize("content", [{"手紙.txt": "大事な文書"}, {"index.html": "<html>他人のページ</html>"}])
def test_a_directory_that_is_not_a_report_is_never_replaced(clean, tmp_path, content, capsys):
    from analysis.errors import OutputError

    data, _, _ = clean
    target = tmp_path / "documents"
    target.mkdir()
    for name, text in content.items():
        (target / name).write_text(text, encoding="utf-8")
    with pytest.raises(OutputError, match="keikaku のレポートではない"):
        report.write_report(data, target, generated_at=False)
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == content
    code = main(["report", "-o", str(target), "--quiet"])
    assert code == 5 and capsys.readouterr().err.count("\n") == 1


def test_an_earlier_report_is_replaced(clean, tmp_path):
    data, directory, _ = clean
    target = tmp_path / "report"
    import shutil

    shutil.copytree(directory, target)
    (target / "古いファイル.csv").write_text("x", encoding="utf-8")
    report.write_report(data, target, generated_at=False)
    assert not (target / "古いファイル.csv").exists()


def test_one_generation_reports_without_continuity(tmp_path):
    corpus = make_corpus()
    corpus.plans = corpus.plans[:1]
    corpus.links = []
    data = report.report_data(corpus, settings=FAST)
    assert report.report_figures(data).keys() == {"themes_by_generation", "themes_by_goal", "cooccurrence"}
    page = report.render_html(data, generated_at=False, figures={})
    assert page.count("この資料には計画の世代（期間）が一つしかないため") >= 3  # key points, continuity, findings, comparison


# -- command --------------------------------------------------------------------------------------

def test_cli_report_on_a_corpus_directory(hostile):
    _, directory, page = hostile
    assert "作成日時" not in page and "見守り活動の推進" in page
    assert not list(directory.glob("figures/*.png"))  # [report] png = false from --settings


def test_cli_progress_and_where_the_report_is(tmp_path, capsys, monkeypatch):
    from analysis.corpus_io import write_corpus

    corpus = make_corpus()
    corpus.plans = corpus.plans[:1]  # one generation: quick
    corpus.links = []
    write_corpus(corpus, tmp_path / "corpus")
    monkeypatch.setattr(folder, "report_figures", lambda data: {})
    assert main(["report", str(tmp_path / "corpus"), "-o", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert str((tmp_path / "out" / "index.html").resolve()) in captured.out
    assert "トークン化中…" in captured.err and "レポートを書き出し中…" in captured.err


def test_cli_report_without_arguments_reports_the_bundled_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["report", "--quiet"]) == 0
    out = capsys.readouterr()
    index = tmp_path / "report" / "index.html"
    assert str(index.resolve()) in out.out and out.err == ""
    page = index.read_text(encoding="utf-8")
    assert "作成日時：2023-11-14 22:13:20 UTC" in page
    assert len(re.findall(r"<h2>", page)) == len(SECTIONS)
    assert (tmp_path / "report" / "figures" / "continuity.png").stat().st_size > 10000


def test_cli_missing_corpus_is_one_line(tmp_path, capsys):
    code = main(["report", str(tmp_path / "nothing"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1 and "nothing" in err
    assert not (tmp_path / "out").exists()


def test_key_points_summarise_the_findings(clean):
    data, _, page = clean
    problems = [f for f in data.findings if f["kind"] == "problem"]
    open_problems = [f for f in problems if f["status"] == "not_taken_up"]
    assert '<div class="keypoints"><h3>要点</h3>' in page
    assert (f"評価で挙がった課題・持ち越し {len(problems)} 件のうち、次期計画で取り上げられていないもの "
            f"{len(open_problems)} 件") in page
    # four past directions of the hand-made plan: their outcomes add up to four
    outcomes = re.search(r"第2次計画の方向の行方：([^／]+)／", page).group(1)
    assert sum(int(n) for n in re.findall(r" (\d+)", outcomes)) == 4
    # the themes that were dropped are named in the key points themselves, not just somewhere on the page
    keypoints = html.unescape(re.search(r'<div class="keypoints">(.*?)</div>', page).group(1))
    dropped = [f["subject"] for f in data.findings if f["kind"] == "theme" and f["status"] == "dropped"]
    assert dropped, "the hand-made next plan drops themes (担い手不足)"
    assert f"消えた {len(dropped)}（{'、'.join(dropped)}）" in keypoints


def test_the_stance_section_lists_at_most_stance_units_and_says_where_the_rest_is(tmp_path):
    """A 400-project workbook must give a page a committee can print (issue 11 §6): the stance
    section lists the first [report] stance_units units and names the table with all of them."""
    from analysis.corpus import Corpus, Direction, Goal, Plan
    from analysis.report import report_data, render_html
    from analysis.settings import Settings

    directions = [Direction(id=f"P1-1-{i}", plan_id="P1", goal_number=1, number=i, title=f"事業{i}",
                            evaluation=f"事業{i}を実施した。担い手の確保が課題である。") for i in range(1, 8)]
    corpus = Corpus(name="多い", plans=[Plan(id="P1", generation=1, title="評価",
                                           goals=[Goal("P1", 1, "目標", directions=directions)])])
    settings = Settings.load().replace(report={"stance_units": 3})
    page = render_html(report_data(corpus, settings=settings), generated_at=False)
    section = page[page.index('id="stances"'):page.index("</section>", page.index('id="stances"'))]
    assert section.count("<strong>事業") == 3
    assert "7 件のうち最初の 3 件" in section and "tables/stances.csv" in section
    full = render_html(report_data(corpus), generated_at=False)
    assert "最初の" not in full[full.index('id="stances"'):]


def test_keyness_reads_the_next_plans_initiatives():
    # the reference side is the next plan's directions as the continuity findings read them
    from analysis.corpus import Corpus, Direction, Goal, Plan
    from analysis.report.data import report_data

    def plan(pid, generation, direction, role="evaluated"):
        return Plan(id=pid, generation=generation, title=f"第{generation}次", role=role,
                    goals=[Goal(pid, 1, "支える", directions=[direction])])

    past = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="地域活動",
                     evaluation="担い手が不足している。", source_lines=[2])
    nxt = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="地域づくり",
                    initiatives=["成年後見の相談を広げる。"], source_lines=[2])
    keyness = report_data(Corpus(name="取組", plans=[plan("P1", 1, past), plan("P2", 2, nxt, "next")])).keyness
    reference = dict(zip(keyness["term"], keyness["reference_count"]))
    assert reference["成年後見"] == 1 and reference["地域"] == 1
