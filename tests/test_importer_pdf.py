"""Importing the published PDF of an evaluation table (issue 13): the seed's table rendered as HTML
with real rowspan/colspan, page titles, page numbers and a repeated <thead>, printed by headless
Chromium, gives the corpus the text seed gives; a scan gives one clear error.

Chromium comes from Debian's packages (installed by ``.ci/run``): without it these tests are
skipped locally but FAIL under ``CI``.  The machine has no Japanese font: the page loads
IPAexGothic from matplotlib-fontja, as a real PDF embeds its font.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import EXIT_INPUT, InputError
from analysis.importers import detect_format, import_source

from conftest import ROOT
from test_report_browser import chromium  # the project's way to find Chromium (fails under CI)

SEED = ROOT / "corpus" / "higashimatsuyama" / "source" / "000_270e44ce1722bd2a.txt"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer"]
SPANNED = (0, 1, 5)  # 基本理念, 基本目標, 次期計画の方向性: merged over the rows they cover


def seed_pages() -> list[dict]:
    """The seed's pages: title, header cells, body rows (cells)."""
    pages: list[dict] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == 1:
            pages.append({"title": cells[0], "header": None, "rows": []})
        elif pages[-1]["header"] is None:
            pages[-1]["header"] = cells
        else:
            pages[-1]["rows"].append(cells)
    return pages


def table_html(header: list[str], rows: list[list[str]]) -> str:
    """A <table>: the header's empty cells merged into the label before them (colspan), and the
    empty cells of SPANNED under a filled one merged into it (rowspan)."""
    out = ["<thead><tr>"]
    i = 0
    while i < len(header):
        n = 1
        while i + n < len(header) and not header[i + n]:
            n += 1
        out.append(f'<th colspan="{n}">{html.escape(header[i])}</th>')
        i += n
    out.append("</tr></thead><tbody>")
    for r, cells in enumerate(rows):
        out.append("<tr>")
        for c, cell in enumerate(cells):
            if c in SPANNED and not cell and r > 0:
                continue
            n = 1
            while c in SPANNED and r + n < len(rows) and not rows[r + n][c]:
                n += 1
            out.append(f'<td rowspan="{n}">{html.escape(cell)}</td>')
        out.append("</tr>")
    return "".join(out + ["</tbody>"])


def document(body: str, *, size: str = "A4 landscape", font: str = "9pt") -> str:
    import matplotlib_fontja

    ttf = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    css = (f"@font-face {{ font-family: 'IPAexGothic'; src: url('{ttf.as_uri()}'); }}"
           f"@page {{ size: {size}; margin: 12mm; }}"
           f"body {{ font-family: 'IPAexGothic'; font-size: {font}; }}"
           "table { border-collapse: collapse; width: 100%; }"
           "th, td { border: 0.6pt solid #000; padding: 2pt; vertical-align: top; }"
           "h1 { font-size: 11pt; } .page { break-after: page; } footer { text-align: center; }")
    return f"<!doctype html><html lang=ja><meta charset=utf-8><style>{css}</style><body>{body}</body></html>"


def paged_html() -> str:
    """The seed page by page: its title above, its table, the page number below."""
    return document("".join(
        f'<div class="page"><h1>{html.escape(p["title"])}</h1><table>'
        f'{table_html(p["header"], p["rows"])}</table><footer>- {n} -</footer></div>'
        for n, p in enumerate(seed_pages(), 1)))


def flowing_html(font: str) -> str:
    """The seed as one table over as many pages as it needs: Chromium repeats the <thead> on
    every page and carries the merged cells across the breaks."""
    pages = seed_pages()
    rows = [row for page in pages for row in page["rows"]]
    return document(f"<h1>{html.escape(pages[0]['title'])}</h1>"
                    f"<table>{table_html(pages[0]['header'], rows)}</table>",
                    size="A4 portrait", font=font)


def print_pdf(browser: str, root: Path, name: str, text: str) -> Path:
    page, out = root / f"{name}.html", root / f"{name}.pdf"
    page.write_text(text, encoding="utf-8")
    done = subprocess.run([browser, *FLAGS, f"--user-data-dir={root / ('profile-' + name)}",
                           f"--print-to-pdf={out}", page.as_uri()],
                          capture_output=True, timeout=180, check=False)
    assert out.is_file() and out.stat().st_size, done.stderr.decode(errors="replace")[-2000:]
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    browser = chromium()
    root = tmp_path_factory.mktemp("pdf")
    from PIL import Image

    Image.new("RGB", (400, 300), (250, 250, 250)).save(root / "scan.png")
    return {
        "paged": print_pdf(browser, root, "paged", paged_html()),
        "flowing": print_pdf(browser, root, "flowing", flowing_html("9pt")),
        "split": print_pdf(browser, root, "split", flowing_html("14pt")),
        "scan": print_pdf(browser, root, "scan", document('<img src="scan.png">')),
        # text, and no table: a plan's evaluation written as paragraphs
        "paragraphs": print_pdf(browser, root, "paragraphs", document(
            "<h1>第2次みなと市地域福祉計画</h1><p>基本目標1 つながる 見守り活動の推進</p><p>見守り活動を実施した。</p>")),
        # the seed's pages, then a scanned page (an image, no text) at the end
        "mixed": print_pdf(browser, root, "mixed", paged_html().replace("</body>", '<img src="scan.png"></body>')),
        "root": root,
    }


def squeeze(value):
    """A text without its white space, 〜 as ～: a space the source had where a line wraps is not
    in the PDF, and the font maps the wave dash to U+301C."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", value).replace("〜", "～")
    if isinstance(value, list):
        return [squeeze(v) for v in value]
    return value


def shape(corpus, plans=None):
    """What the comparison holds equal: each direction's identity and texts, the links."""
    out = []
    for plan in corpus.plans:
        if plans and plan.id not in plans:
            continue
        out.append((plan.id, plan.title, squeeze(plan.period), squeeze(plan.philosophy)))
        for d in plan.directions():
            out.append((d.id, d.goal_number, d.number, squeeze(d.title), squeeze(d.initiatives),
                        squeeze(d.evaluation), squeeze(d.text), d.priority, len(d.relisted_lines)))
    links = [(l.source, l.target, l.kind, l.relisted) for l in corpus.links]
    return out, links


@pytest.fixture(scope="module")
def seed():
    return import_source(SEED)


@pytest.mark.parametrize("name", ["paged", "flowing"])
def test_pdf_gives_the_corpus_of_the_text_seed(pdfs, seed, name):
    corpus = import_source(pdfs[name])
    assert shape(corpus) == shape(seed)
    assert len(list(corpus.plans[0].directions())) == 16 and len(corpus.links) == 23
    # the text is the reader's: no Kangxi radical survives into the corpus
    texts = " ".join(d.evaluation + d.title + d.text for p in corpus.plans for d in p.directions())
    assert "支援" in texts and "住民" in texts and not re.search("[\u2e80-\u2fd5]", texts)


def test_page_titles_headers_and_page_numbers_are_skipped_with_their_page(pdfs):
    corpus = import_source(pdfs["paged"])
    reasons = [(s["reason"], s["text"]) for s in corpus.skipped]
    title = seed_pages()[0]["title"].replace("～", "〜")
    assert reasons == [
        ("ページの表題（計画名・期間として読み込みました）（1ページ）", title),
        ("見出し行（列の意味として読み込みました）（1ページ）", reasons[1][1]),
        ("ページ番号（1ページ）", "- 1 -"),
        ("繰り返しのページの表題（2ページ）", title),
        ("繰り返しの見出し行（2ページ）", reasons[1][1]),
        ("ページ番号（2ページ）", "- 2 -"),
    ]
    assert reasons[1][1].startswith("【基本理念】 【基本目標】\t\t【施策の方向】")


def test_a_row_split_by_a_page_break_is_joined(pdfs, seed):
    corpus = import_source(pdfs["split"])
    messages = [w.message for w in corpus.warnings]
    assert not any("施策の方向が空の行" in m for m in messages), messages
    # the evaluated plan's directions are the seed's (the next plan's cells lose the space
    # between a title and its text where a line wraps there, which no PDF keeps)
    assert shape(corpus, plans={"P2"})[0] == shape(seed, plans={"P2"})[0]
    locations = corpus.sources[0]["locations"]
    assert any(" + " in where for where in locations.values()), locations


def test_provenance_and_verbatim_cells_are_kept(pdfs, tmp_path):
    out = tmp_path / "city"
    assert main(["import", str(pdfs["paged"]), "-o", str(out)]) == 0
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    source = manifest["sources"][0]
    assert source["format"] == "pdf" and source["pages"] == 2
    assert source["folded"]["⽬→目"] > 0 and source["folded"]["⺠→民"] > 0
    cells = (out / "source" / "paged.pdf.cells.tsv").read_text(encoding="utf-8").splitlines()
    assert cells[0] == "row\tpage\ttable\ttable_row\tcolumn\ttext"
    # verbatim: the radical and the wrap as extracted
    assert any("\t⽬" in c or "⽬" in c.split("\t")[-1] for c in cells[1:])
    assert any("\\n" in c for c in cells[1:])
    direction = next(d for d in import_source(pdfs["paged"]).plans[0].directions())
    assert source["locations"][str(direction.source_lines[0])] == "p.1 表1 2行"
    # a re-import is byte-identical
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["import", str(pdfs["paged"]), "-o", str(out)]) == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_scan_gives_one_clear_error_and_writes_nothing(pdfs, tmp_path, capsys):
    with pytest.raises(InputError, match="OCR"):
        import_source(pdfs["scan"])
    out = tmp_path / "scan"
    assert main(["import", str(pdfs["scan"]), "-o", str(out)]) == EXIT_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "only images" in err[0] and "OCR" in err[0], err
    assert not out.exists()


def test_a_pdf_is_recognised_by_its_first_bytes(pdfs, tmp_path):
    renamed = tmp_path / "評価表.dat"
    renamed.write_bytes(pdfs["paged"].read_bytes())
    assert detect_format(renamed) == "pdf"


@pytest.mark.parametrize("name, data, message", [
    ("x.pdf", b"not a pdf at all", "not a PDF"),
    ("x.pdf", b"%PDF-1.4\n% broken\n", "cannot read the PDF"),
    ("x.docx", b"PK\x03\x04 not really a zip", "cannot read the Word document"),
    ("x.docx", b"plain text", "cannot read the Word document"),
])
def test_what_is_not_a_readable_document(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        import_source(path)


def test_findings_cite_a_pdf_row_by_page_table_and_row(pdfs, tmp_path, capsys):
    """Issue 13 §2: every finding's evidence from a PDF is shown as 「p.N 表M K行」, in `gaps`
    and in the report, so a reader can find the cell in the published document."""
    import re

    out = tmp_path / "city"
    assert main(["import", str(pdfs["paged"]), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["gaps", str(out)]) == 0
    text = capsys.readouterr().out
    cited = re.findall(r"（(p\.\d+ 表\d+ \d+行[^）]*)）", text)
    assert cited, text[:2000]
    assert not re.search(r"（\d+行）", text)  # no bare row numbers for this source
    assert main(["report", str(out), "-o", str(tmp_path / "report"), "--quiet", "--no-timestamp"]) == 0
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"（p\.\d+ 表\d+ \d+行", page)


def test_a_scanned_page_inside_a_pdf_with_text_is_named_in_a_warning(pdfs):
    paged, mixed = import_source(pdfs["paged"]), import_source(pdfs["mixed"])
    scanned = len(seed_pages()) + 1
    said = [w for w in mixed.warnings if "画像だけ" in w.message]
    assert [w.message.split("ページ")[0] for w in said] == [str(scanned)] and "OCR" in said[0].message
    assert not [w for w in paged.warnings if "画像だけ" in w.message]
    assert [d.title for d in mixed.directions()] == [d.title for d in paged.directions()]


def test_a_pdf_without_a_ruled_table_says_so_in_one_line(pdfs, tmp_path, capsys):
    out = tmp_path / "p"
    assert main(["import", str(pdfs["paragraphs"]), "-o", str(out)]) == EXIT_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no table with ruled cells" in err[0] and "paragraphs.pdf" in err[0], err
    assert not out.exists()
