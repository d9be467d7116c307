"""keikaku explore without a browser: requests through Starlette's TestClient (real Sudachi, real
corpora).  The security rules (Host header, CSRF token, Origin, upload size, paths outside the
allowed roots, escaping of corpus text), the import of a CP932 table through the mapping form,
the lexicon editor (an error with its line, then counts that change) and the downloads.

The same flows in a real browser are in ``tests/test_explore_browser.py``.
"""

from __future__ import annotations

import html
import io
import re
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx vs httpx2
    from starlette.testclient import TestClient

from analysis.corpus_io import write_corpus
from analysis.explore import create_app
from analysis.explore.screens import segments
from analysis.explore.workspace import inside_root
from report_corpus import HOSTILE, make_corpus

ROOT = Path(__file__).resolve().parents[1]
PLAN_CSV = ROOT / "corpus" / "examples" / "plan.csv"


OPENED: list = []  # the apps' states, whose temporary folders are removed after the module


def client(*, corpus_path=None, roots=None, host: str = "testserver") -> TestClient:
    app = create_app(corpus_path=corpus_path, roots=roots, background=False)
    app.state.explore.hosts = frozenset({host})
    OPENED.append(app.state.explore)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module", autouse=True)
def _remove_temporary_folders():
    yield
    for state in OPENED:
        state.close()


def csrf(c: TestClient, url: str = "/lexicon") -> str:
    page = c.get(url).text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def bundled():
    return client()


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_corpus(make_corpus(HOSTILE), root / "corpus")
    return root / "corpus"


# --------------------------------------------------------------------------- small functions
@pytest.mark.parametrize("text, words, expected", [
    ("見守りの担い手不足", ["担い手不足"], [("見守りの", False), ("担い手不足", True)]),
    ("担い手不足と担い手", ["担い手", "担い手不足"], [("担い手不足", True), ("と", False), ("担い手", True)]),
    ("連携を図る", [], [("連携を図る", False)]),
    ("<b>連携</b>", ["連携"], [("<b>", False), ("連携", True), ("</b>", False)]),
])
def test_segments_mark_the_longest_words(text, words, expected):
    assert segments(text, words) == expected


@pytest.mark.parametrize("relative", ["../", "..", "a/../../b", "/etc", "~/x", "", "a\x00b"])
def test_paths_outside_the_root_are_refused(tmp_path, relative):
    from analysis.errors import InputError

    with pytest.raises(InputError, match="許可されたフォルダの外"):
        inside_root(tmp_path, relative)


def test_a_symlink_out_of_the_root_is_refused(tmp_path):
    from analysis.errors import InputError

    (tmp_path / "root").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "root" / "link").symlink_to(tmp_path / "outside")
    assert inside_root(tmp_path / "root", "sub") == (tmp_path / "root" / "sub").resolve()
    with pytest.raises(InputError):
        inside_root(tmp_path / "root", "link")


# ------------------------------------------------------------------------------- security
def test_a_foreign_host_header_is_refused(bundled):
    assert bundled.get("/overview").status_code == 200
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example"):
        response = bundled.get("/overview", headers={"host": host})
        assert response.status_code == 400, host
        assert "コーパス" not in response.text


def test_the_default_hosts_are_the_loopback_names_with_the_port():
    from analysis.explore.security import allowed_hosts

    assert allowed_hosts(8765) == {"127.0.0.1:8765", "localhost:8765"}
    assert "0.0.0.0:8765" not in allowed_hosts(8765)


def test_a_post_without_the_csrf_token_is_refused(bundled):
    before = bundled.get("/lexicon").text
    lexicon = re.search(r'<textarea name="lexicon"[^>]*>(.*?)</textarea>', before, re.S).group(1)
    response = bundled.post("/lexicon", data={"lexicon": html.unescape(lexicon), "stopwords": "", "userwords": ""})
    assert response.status_code == 403
    response = bundled.post("/lexicon", data={"csrf": "forged", "lexicon": "", "stopwords": "", "userwords": ""})
    assert response.status_code == 403


def test_a_post_from_another_origin_is_refused(bundled):
    token = csrf(bundled)
    response = bundled.post("/open/corpus", data={"csrf": token, "bundled": "1"},
                            headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    response = bundled.post("/open/corpus", data={"csrf": token, "bundled": "1"},
                            headers={"origin": "http://testserver"}, follow_redirects=False)
    assert response.status_code == 303


def test_an_upload_over_the_limit_is_refused(bundled):
    from analysis.explore.security import MAX_UPLOAD

    token = csrf(bundled, "/open")
    response = bundled.post("/open/upload", data={"csrf": token},
                            files={"file": ("big.csv", b"a" * (MAX_UPLOAD + 1), "text/csv")})
    assert response.status_code == 413


@pytest.mark.parametrize("folder", ["../", "../../etc", "/etc", "corpus/../../.."])
def test_opening_a_folder_outside_the_roots_is_refused(tmp_path, folder):
    c = client(roots=[tmp_path])
    response = c.post("/open/corpus", data={"csrf": csrf(c, "/open"), "root": "0", "folder": folder})
    assert response.status_code == 400
    assert "許可されたフォルダの外" in response.text


def test_a_symlinked_corpus_outside_the_root_cannot_be_opened(tmp_path, hostile_corpus):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "elsewhere").symlink_to(hostile_corpus)
    c = client(roots=[tmp_path / "root"])
    response = c.post("/open/corpus", data={"csrf": csrf(c, "/open"), "root": "0", "folder": "elsewhere"})
    assert response.status_code == 400
    assert "許可されたフォルダの外" in response.text


@pytest.mark.parametrize("url", ["/export/tables/..%2F..%2Fmanifest.json", "/export/tables/..%2Fkeikaku.xlsx",
                                 "/export/tables/%2E%2E%2F%2E%2E%2F%2E%2E%2Fapp.py", "/static/..%2Fapp.py",
                                 "/static/%2E%2E/%2E%2E/errors.py", "/unit/..%2F..%2Fetc%2Fpasswd"])
def test_traversal_in_urls_reads_nothing(bundled, url):
    response = bundled.get(url)
    assert response.status_code == 404
    assert "import" not in response.text


def test_the_markup_corpus_shows_as_text_on_every_screen(hostile_corpus):
    c = client(corpus_path=hostile_corpus, roots=[hostile_corpus.parent])
    escaped = html.escape("<script>document.title=", quote=True)
    pages = ["/overview", "/themes", "/themes/担い手不足", "/continuity", "/continuity?view=diagram",
             "/unit/P2-1-1", "/findings",
             "/terms", "/kwic?word=" + HOSTILE, "/lexicon"]
    shown = 0
    for url in pages:
        response = c.get(url)
        assert response.status_code == 200, url
        assert "<script" not in response.text.lower(), url
        assert "onerror=" not in response.text.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), url
        shown += escaped in response.text
    assert shown >= 5  # the payload is there, as text


# ---------------------------------------------------------------------------- screens, errors
def test_the_theme_page_lists_sentences_with_words_marked_and_lines(bundled):
    page = bundled.get("/themes/担い手不足").text
    assert "<mark>担い手不足</mark>" in page
    assert re.search(r'class="where">[^<]*\d+行目', page)
    assert "第2層協議体の" in page  # a sentence of the bundled corpus that carries the theme


def test_filters_narrow_the_theme_sentences(bundled):
    every = bundled.get("/themes/担い手不足").text.count("<tr><td>")
    issues = bundled.get("/themes/担い手不足?stance=issue").text.count("<tr><td>")
    none = bundled.get("/themes/担い手不足?period=99").text.count("<tr><td>")
    assert 0 < issues < every
    assert none == 0


def test_an_unknown_theme_or_unit_is_a_japanese_404(bundled):
    for url in ("/themes/存在しないテーマ", "/unit/P9-9-9"):
        response = bundled.get(url)
        assert response.status_code == 404
        assert "ありません" in response.text


def test_an_internal_error_is_a_japanese_500_page_without_traceback(bundled, monkeypatch):
    from analysis.explore import screens

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(screens, "theme_table", broken)
    response = bundled.get("/themes")
    assert response.status_code == 500
    assert "内部エラー" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text
    monkeypatch.undo()
    assert bundled.get("/themes").status_code == 200  # still serving


def test_lists_paginate(bundled):
    first = bundled.get("/findings").text
    assert "1 / " in first and "page=2" in first
    second = bundled.get("/findings?page=2").text
    assert "2 / " in second


def test_every_screen_answers_and_its_time_is_printed(bundled):
    timings = {}
    for url in ("/overview", "/themes", "/themes/担い手不足", "/terms", "/kwic?word=見守り", "/continuity",
                "/unit/P2-1-1", "/findings"):
        bundled.get(url)  # computed once
        started = time.perf_counter()
        assert bundled.get(url).status_code == 200
        timings[url] = time.perf_counter() - started
    print("explore click timings (s):", {k: round(v, 3) for k, v in timings.items()})


# ---------------------------------------------------------------------------- lexicon editor
def lexicon_text(c: TestClient) -> str:
    page = c.get("/lexicon").text
    return html.unescape(re.search(r'<textarea name="lexicon"[^>]*>(.*?)</textarea>', page, re.S).group(1))


@pytest.mark.parametrize("old, new, what", [
    ('name = "担い手不足"', 'name = "担い手不足', "invalid TOML"),
    ('"seq(担い手 | なり手', '"seq((担い手 | なり手', "seq()"),
])
def test_a_lexicon_mistake_is_shown_with_its_line_and_nothing_changes(bundled, old, new, what):
    text = lexicon_text(bundled)
    broken = text.replace(old, new, 1)
    line = next(n for n, row in enumerate(broken.splitlines(), 1) if new in row)
    response = bundled.post("/lexicon", data={"csrf": csrf(bundled), "lexicon": broken,
                                              "stopwords": "", "userwords": ""})
    assert response.status_code == 400
    error = re.search(r'<p class="error"[^>]*>(.*?)</p>', response.text).group(1)
    assert f"explore_themes.toml:{line}:" in error and html.escape(what) in error, error
    assert lexicon_text(bundled) == text  # not applied


def test_fixing_the_lexicon_recomputes_from_the_same_tokens(tmp_path):
    c = client(roots=[tmp_path])
    ws = c.app.state.explore.current()
    tokens = ws.analysis.tokens
    before = c.get("/themes").text
    text = lexicon_text(c) + '\n[[theme]]\nname = "試験テーマ"\nrules = ["担い手"]\n'
    started = time.perf_counter()
    response = c.post("/lexicon", data={"csrf": csrf(c), "lexicon": text, "stopwords": "", "userwords": ""})
    print(f"explore lexicon recompute: {time.perf_counter() - started:.3f} s")
    assert response.status_code == 200
    assert "試験テーマ" in response.text  # listed among the themes that changed
    assert c.app.state.explore.current().analysis.tokens is tokens
    after = c.get("/themes").text
    assert "試験テーマ" in after and "試験テーマ" not in before


# ----------------------------------------------------------------------------------- import
def as_xlsx(text: str) -> bytes:
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text)):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, encode", [
    ("計画.csv", lambda text: text.encode("cp932")),
    ("計画.csv", lambda text: text.encode("utf-8-sig")),
    ("計画.xlsx", as_xlsx),
])
def test_a_table_is_mapped_previewed_and_imported(tmp_path, name, encode):
    c = client(roots=[tmp_path])
    data = encode(PLAN_CSV.read_text(encoding="utf-8"))
    token = csrf(c, "/open")
    response = c.post("/open/upload", data={"csrf": token}, files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 200 and "見出しの行" in response.text
    assert "見守り活動の推進" in response.text  # the first rows, decoded
    roles = {"role0": "goal", "role1": "direction", "role2": "initiatives", "role3": "evaluation",
             "role4": "priority", "role5": "next", "role6": "next_description"}
    response = c.post("/open/mapping", data={"csrf": token, "header_line": "1", "preview": "1", **roles})
    assert response.status_code == 200, response.text[-1500:]
    assert "プレビュー" in response.text and "相談支援体制の充実" in response.text
    assert not list(tmp_path.iterdir())  # nothing written before the import
    response = c.post("/open/import", data={"csrf": token, "root": "0", "name": "mine"})
    assert response.status_code == 200
    assert (tmp_path / "mine" / "manifest.json").is_file()
    assert "基本目標" in response.text and "見守り活動の推進" in response.text  # the overview of it


@pytest.mark.parametrize("name, message", [("../out", "使えません"), ("a/b", "使えません"), ("exists", "すでにあります")])
def test_an_import_never_writes_outside_or_over_a_folder(tmp_path, name, message):
    (tmp_path / "exists").mkdir()
    c = client(roots=[tmp_path])
    token = csrf(c, "/open")
    c.post("/open/upload", data={"csrf": token}, files={"file": ("plan.csv", PLAN_CSV.read_bytes(), "text/csv")})
    c.post("/open/mapping", data={"csrf": token, "header_line": "1", "preview": "1", "role0": "goal",
                                  "role1": "direction", "role3": "evaluation"})
    response = c.post("/open/import", data={"csrf": token, "root": "0", "name": name})
    assert response.status_code == 400
    assert message in response.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists"] and not list((tmp_path / "exists").iterdir())


def test_a_bad_mapping_gets_the_cli_message_on_the_page(tmp_path):
    c = client(roots=[tmp_path])
    token = csrf(c, "/open")
    c.post("/open/upload", data={"csrf": token}, files={"file": ("plan.csv", PLAN_CSV.read_bytes(), "text/csv")})
    response = c.post("/open/mapping", data={"csrf": token, "header_line": "1", "preview": "1", "role3": "evaluation"})
    assert response.status_code == 200
    assert 'class="error"' in response.text and "plan.csv" in response.text
    assert "プレビュー（" not in response.text


# ---------------------------------------------------------------------------------- exports
def test_the_workbook_and_tables_download(bundled):
    import openpyxl

    response = bundled.get("/export/keikaku.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) > 3
    page = bundled.get("/export").text
    name = re.search(r'/export/tables/([^"]+\.csv)', page).group(1)
    table = bundled.get(f"/export/tables/{name}")
    assert table.status_code == 200 and table.content.startswith(b"\xef\xbb\xbf")
    archive = bundled.get("/export/report.zip")
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "report/index.html" in names and "report/keikaku.xlsx" in names
    assert bundled.get("/export/continuity.graphml").content.startswith(b"<?xml")


def _save_a_new_theme(folder, *, roots, userwords: str) -> None:
    """A corpus written at ``folder``, then, in the explorer, a theme 保存の試験 added and saved."""
    write_corpus(make_corpus(), folder)
    c = client(corpus_path=folder, roots=roots)
    text = lexicon_text(c) + '\n[[theme]]\nname = "保存の試験"\nterms = ["名簿"]\n'
    response = c.post("/lexicon", data={"csrf": csrf(c), "lexicon": text, "stopwords": "推進\n",
                                        "userwords": userwords, "save": "1"})
    assert response.status_code == 200 and "保存しました" in response.text


def test_saved_lists_are_what_the_cli_then_uses(tmp_path, capsys):
    import json

    from analysis.cli import main

    _save_a_new_theme(tmp_path / "mine", roots=[tmp_path], userwords="")
    settings = tmp_path / "mine" / "settings.toml"
    capsys.readouterr()
    assert main(["themes", str(tmp_path / "mine"), "--settings", str(settings), "--json"]) == 0
    assert "保存の試験" in json.dumps(json.loads(capsys.readouterr().out), ensure_ascii=False)
    # opened again, the corpus comes with its lists
    again = client(corpus_path=tmp_path / "mine", roots=[tmp_path])
    assert "保存の試験" in again.get("/themes").text


def test_saved_lists_survive_a_rewrite_of_the_corpus(tmp_path):
    # a planner saves edited lists, then imports next year's document into the same folder
    folder = tmp_path / "mine"
    _save_a_new_theme(folder, roots=[tmp_path], userwords="名簿管理\n")
    saved = {name: (folder / name).read_bytes() for name in
             ("settings.toml", "explore_themes.toml", "explore_stopwords.txt", "explore_userwords.txt")}
    (folder / "notes.txt").write_text("not keikaku's", encoding="utf-8")
    write_corpus(make_corpus(), folder)
    assert {name: (folder / name).read_bytes() for name in saved} == saved
    assert not (folder / "notes.txt").exists()  # the folder is still replaced as a whole
    assert "保存の試験" in client(corpus_path=folder, roots=[tmp_path]).get("/themes").text


def test_a_settings_file_explore_did_not_write_is_never_replaced(tmp_path):
    write_corpus(make_corpus(), tmp_path / "mine")
    c = client(corpus_path=tmp_path / "mine", roots=[tmp_path])
    (tmp_path / "mine" / "settings.toml").write_text("[report]\npng = false\n", encoding="utf-8")
    response = c.post("/lexicon", data={"csrf": csrf(c), "lexicon": lexicon_text(c), "stopwords": "",
                                        "userwords": "", "save": "1"})
    assert response.status_code == 400 and "置き換えません" in response.text
    assert (tmp_path / "mine" / "settings.toml").read_text(encoding="utf-8") == "[report]\npng = false\n"
    assert not (tmp_path / "mine" / "explore_themes.toml").exists()


def test_the_bundled_corpus_cannot_be_saved_into(bundled):
    response = bundled.post("/lexicon", data={"csrf": csrf(bundled), "lexicon": lexicon_text(bundled),
                                              "stopwords": "", "userwords": "", "save": "1"})
    assert response.status_code == 400 and "同梱のコーパスには保存できません" in response.text


@pytest.mark.parametrize("argv, code", [(["explore", "/no/such/corpus", "--no-browser"], 3),
                                        (["explore", "--port", "x"], 2)])
def test_explore_command_line_errors(argv, code, capsys):
    from analysis.cli import main

    try:
        assert main(argv) == code
    except SystemExit as stop:  # argparse
        assert stop.code == code


EVALUATION_CSV = ("政策名,事務事業名,評価,今後の方向性,担当課\n"
                  "健康なまち,見守り事業,見守りの担い手不足が課題である。,現状維持,福祉課\n"
                  "健康なまち,サロン事業,サロンを開催した。,拡充,長寿課\n"
                  "安心なまち,相談事業,相談支援の担い手の確保が必要である。,縮小,福祉課\n")


@pytest.fixture(scope="module")
def evaluations(tmp_path_factory):
    """A one-period evaluation table (decisions, an unmapped 担当課 column) imported in the browser."""
    root = tmp_path_factory.mktemp("evaluations")
    c = client(roots=[root])
    token = csrf(c, "/open")
    c.post("/open/upload", data={"csrf": token}, files={"file": ("eval.csv", EVALUATION_CSV.encode("cp932"), "text/csv")})
    c.post("/open/mapping", data={"csrf": token, "header_line": "1", "preview": "1", "role0": "level",
                                  "role1": "unit", "role2": "evaluation", "role3": "decision", "role4": ""})
    assert c.post("/open/import", data={"csrf": token, "root": "0", "name": "ev"}).status_code == 200
    return c


def count_row(page: str, theme: str) -> dict[str, int]:
    headers = re.findall(r"<th>([^<]*)</th>", page)[1:-1]
    row = re.search(rf'>{theme}</a></td>(.*?)</tr>', page, re.S).group(1)
    return dict(zip(headers, map(int, re.findall(r'class="num">(\d+)<', row)[:-1])))


@pytest.mark.parametrize("by, expected", [
    # 担い手不足 is in the evaluations of 見守り事業 (現状維持, 福祉課) and 相談事業 (縮小, 福祉課)
    ("decision", {"継続・現状維持": 1, "拡充": 0, "縮小": 1}),
    ("attr:担当課", {"福祉課": 2, "長寿課": 0}),
])
def test_themes_count_by_decision_and_attribute(evaluations, by, expected):
    page = evaluations.get("/themes", params={"by": by}).text
    assert count_row(page, "担い手不足") == expected


@pytest.mark.parametrize("decision, units", [("", {"見守り事業", "相談事業"}), ("reduce", {"相談事業"}),
                                             ("expand", set())])
def test_theme_sentences_filter_by_decision(evaluations, decision, units):
    page = evaluations.get("/themes/担い手不足", params={"decision": decision}).text
    shown = set(re.findall(r'<a href="/unit/[^"]+">([^<]+)</a><br>', page))
    assert shown == units


@pytest.mark.parametrize("options, warned", [([], False), (["--host", "127.0.0.2"], True)])
def test_the_command_serves_prints_its_url_and_stops_on_ctrl_c(options, warned):
    import signal
    import subprocess
    import sys
    import urllib.request

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "analysis", "explore", "--no-browser", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = process.stdout.readline()
        url = re.search(r"http://[\d.]+:\d+/", line).group()
        with urllib.request.urlopen(url + "overview", timeout=30) as response:
            assert response.status == 200 and "概要" in response.read().decode("utf-8")
        print(f"explore command: first screen {time.perf_counter() - started:.2f} s after start")
        assert url.startswith("http://127.0.0.2:" if warned else "http://127.0.0.1:")
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(30)
    stderr = process.stderr.read()
    assert code == 130 and "interrupted" in stderr
    assert ("warning" in stderr and "127.0.0.2" in stderr) == warned


def test_the_diagram_links_each_direction_box_to_its_page(bundled):
    page = bundled.get("/continuity?view=diagram").text
    linked = re.findall(r'<a xlink:href="/unit/([^"]+)"', page)
    ws = bundled.app.state.explore.current()
    past, following = ws.corpus.generations()[-2:]
    expected = {d.id for g in (past, following) for d in ws.corpus.plan_by_generation(g).directions()}
    assert set(linked) == expected
    assert "<!--" not in page and "<text" not in page  # glyphs as paths: no corpus text as markup
    assert 'target="_blank"' not in page  # a unit opens in the same tab


def test_the_header_row_can_be_chosen(tmp_path):
    c = client(roots=[tmp_path])
    token = csrf(c, "/open")
    data = ("第2次計画 評価表,,,\n" + PLAN_CSV.read_text(encoding="utf-8")).encode("utf-8")
    page = c.post("/open/upload", data={"csrf": token}, files={"file": ("plan.csv", data, "text/csv")}).text
    assert re.search(r'<option value="2" selected>2行目', page)  # found below the title row
    first_column = r'<td>([^<]*)</td><td><select name="role0"'
    assert re.search(first_column, page).group(1) == "基本目標"
    page = c.post("/open/mapping", data={"csrf": token, "header_line": "1", "rehead": "1"}).text
    assert re.search(r'<option value="1" selected>1行目', page)
    assert re.search(first_column, page).group(1) == "第2次計画 評価表"


def test_a_two_row_header_offers_its_columns_by_the_names_import_reads(tmp_path):
    # 評価 over 成果 | 課題: the 課題 column is chosen as 「評価/課題」 and the preview imports it
    c = client(roots=[tmp_path])
    token = csrf(c, "/open")
    data = ("基本目標,施策の方向,評価,\n,,成果,課題\n"
            "1 つながる,見守り活動の推進,訪問を行った。,担い手が不足している。\n").encode("utf-8")
    page = c.post("/open/upload", data={"csrf": token}, files={"file": ("two.csv", data, "text/csv")}).text
    names = re.findall(r'<td>([^<]*)</td><td><select name="role\d+"', page)
    assert names == ["基本目標", "施策の方向", "評価/成果", "評価/課題"]
    page = c.post("/open/mapping", data={"csrf": token, "header_line": "1", "role0": "goal", "role1": "direction",
                                         "role2": "evaluation", "role3": "text"}).text
    text = re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", page))
    assert "計画 1 件、施策の方向 1 件、警告 0 件" in text and "見守り活動の推進 3行目" in text
