"""keikaku explore in a real browser: Playwright for Python driving Debian's Chromium.

The server runs in a thread (uvicorn on a free port of 127.0.0.1, as ``keikaku explore`` serves
it) for the module and is stopped after.  One planner's walk through every screen (the bundled
corpus, 担い手不足 and its sentences, a term's KWIC and a search, a unit's page, the findings, the
upload of a CP932 table with its mapping, preview and import, a lexicon error with its line then
a fix that changes the counts, the workbook downloaded and opened), then the markup corpus, a
path-traversal request, a foreign Host header and a POST without the CSRF token.  Screenshots of
each screen are saved under the test's tmp folder and checked to be non-blank.

Without ``/usr/bin/chromium`` the tests are skipped locally but FAIL when ``CI`` is set.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from pathlib import Path

import pytest

from analysis.corpus_io import write_corpus
from report_corpus import HOSTILE, make_corpus

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PLAN_CSV = Path(__file__).resolve().parents[1] / "corpus" / "examples" / "plan.csv"
MIN_COLOURS = 12  # a blank or one-colour page has far fewer distinct pixel colours


def require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (set CI=1 to make this a failure)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    from analysis.explore import create_app
    from analysis.explore.server import bind, make_server

    root = tmp_path_factory.mktemp("explore-root")
    write_corpus(make_corpus(HOSTILE), root / "hostile")
    started = time.perf_counter()
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = create_app(roots=[root], port=port)
    app.state.explore.current()
    uvicorn = make_server(app, sock)
    thread = threading.Thread(target=uvicorn.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uvicorn.started:
        time.sleep(0.02)
    print(f"explore: server ready in {time.perf_counter() - started:.2f} s")
    yield f"http://127.0.0.1:{port}", root, port
    uvicorn.should_exit = True
    thread.join(15)
    sock.close()
    app.state.explore.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def shot(page, folder: Path, name: str) -> Path:
    """A full-page screenshot, checked to be non-blank."""
    from PIL import Image

    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    colours = Image.open(path).convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > MIN_COLOURS, f"{name} looks blank ({path})"
    return path


def timed_click(page, locator, timings: dict, name: str) -> None:
    started = time.perf_counter()
    locator.click()
    page.wait_for_load_state("load")
    timings[name] = round(time.perf_counter() - started, 3)


def test_a_planner_clicks_through_every_screen(server, page, tmp_path):
    import openpyxl

    url, root, _ = server
    timings: dict[str, float] = {}
    started = time.perf_counter()
    page.goto(url + "/")
    timings["first screen"] = round(time.perf_counter() - started, 3)
    shot(page, tmp_path, "overview")

    # open the bundled corpus
    page.get_by_role("link", name="開く").click()
    shot(page, tmp_path, "open")
    timed_click(page, page.get_by_role("button", name="同梱のコーパスを開く"), timings, "open bundled")
    assert page.locator("h1").inner_text() == "概要"
    assert page.locator("ul.tree summary").first.is_visible()

    # themes: click 担い手不足, see its sentences with the words marked and their source lines
    timed_click(page, page.locator("nav").get_by_role("link", name="テーマ"), timings, "themes")
    shot(page, tmp_path, "themes")
    timed_click(page, page.get_by_role("link", name="担い手不足", exact=True), timings, "theme 担い手不足")
    assert "担い手不足" in page.locator("h1").inner_text()
    assert "担い手不足" in page.locator("table.sentences mark").all_inner_texts()
    assert all("行目" in w for w in page.locator("td.where").all_inner_texts())
    shot(page, tmp_path, "theme")
    page.select_option("select[name=stance]", "issue")
    timed_click(page, page.get_by_role("button", name="絞り込む"), timings, "theme filter")
    assert page.locator("table.sentences tbody tr").count() >= 1

    # terms and KWIC
    timed_click(page, page.locator("nav").get_by_role("link", name="語とKWIC"), timings, "terms")
    shot(page, tmp_path, "terms")
    term = page.locator("table a[href^='/kwic']").first
    word = term.inner_text()
    timed_click(page, term, timings, "kwic of a term")
    assert word in page.locator("h1").inner_text()
    assert page.locator("table.kwic mark").count() >= 1
    page.fill("input[name=word]", "見守り")
    timed_click(page, page.get_by_role("button", name="検索"), timings, "kwic search")
    assert "見守り" in page.locator("table.kwic mark").all_inner_texts()
    shot(page, tmp_path, "kwic")

    # continuity and a unit's page
    timed_click(page, page.locator("nav").get_by_role("link", name="つながり"), timings, "continuity")
    shot(page, tmp_path, "continuity")
    timed_click(page, page.get_by_role("link", name="図で見る"), timings, "continuity diagram")
    shot(page, tmp_path, "continuity-diagram")
    with page.expect_navigation():
        timed_click(page, page.locator(".diagram a").first, timings, "unit from the diagram")
    assert page.url.endswith("/unit/P2-1-1") and page.get_by_role("heading", name="評価の文と立場").is_visible()
    page.go_back()
    page.get_by_role("link", name="表で見る").click()
    timed_click(page, page.locator("table a[href^='/unit/']").first, timings, "unit")
    for heading in ("評価の文と立場", "つながり", "この施策に関わる所見"):
        assert page.get_by_role("heading", name=heading).is_visible()
    shot(page, tmp_path, "unit")

    # findings, filtered, with their evidence
    timed_click(page, page.locator("nav").get_by_role("link", name="所見"), timings, "findings")
    page.select_option("select[name=kind]", "theme")
    timed_click(page, page.get_by_role("button", name="絞り込む"), timings, "findings filter")
    assert all(h.startswith("テーマ") for h in page.locator("section.finding h3").all_inner_texts())
    page.locator("section.finding summary").first.click()
    assert page.locator("section.finding li").first.is_visible()
    shot(page, tmp_path, "findings")

    # upload a CP932 CSV, map its columns, preview, import, see the overview
    cp932 = tmp_path / "計画_cp932.csv"
    cp932.write_bytes(PLAN_CSV.read_text(encoding="utf-8").encode("cp932"))
    page.locator("nav").get_by_role("link", name="開く").click()
    page.set_input_files("input[type=file]", str(cp932))
    timed_click(page, page.get_by_role("button", name="アップロード"), timings, "upload")
    assert "見守り活動の推進" in page.locator("table.rows").inner_text()  # decoded from CP932
    for i, role in enumerate(["goal", "direction", "initiatives", "evaluation", "priority", "next", "next_description"]):
        page.select_option(f"select[name=role{i}]", role)
    shot(page, tmp_path, "mapping")
    timed_click(page, page.get_by_role("button", name="プレビュー"), timings, "preview")
    assert page.get_by_role("heading", name="プレビュー（まだ何も書き出していません）").is_visible()
    assert not (root / "mine").exists()
    page.fill("input[name=name]", "mine")
    timed_click(page, page.get_by_role("button", name="取り込む"), timings, "import")
    assert page.locator("h1").inner_text() == "概要"
    assert "コーパス: mine" in page.locator("header").inner_text()
    assert "相談支援体制の充実" in page.locator("ul.tree").inner_text()
    assert (root / "mine" / "manifest.json").is_file()

    # the lexicon: an error shown with its line, then a fix that changes the counts
    page.locator("nav").get_by_role("link", name="辞書の編集").click()
    original = page.locator("textarea[name=lexicon]").input_value()
    broken = original.replace('name = "担い手不足"', 'name = "担い手不足', 1)
    line = next(n for n, row in enumerate(broken.splitlines(), 1) if row == 'name = "担い手不足')
    page.fill("textarea[name=lexicon]", broken)
    timed_click(page, page.get_by_role("button", name="確かめて反映"), timings, "lexicon error")
    assert f"explore_themes.toml:{line}:" in page.locator("p.error").inner_text()
    shot(page, tmp_path, "lexicon-error")
    fixed = original + '\n[[theme]]\nname = "試験の相談"\nterms = ["相談"]\n'
    page.fill("textarea[name=lexicon]", fixed)
    timed_click(page, page.get_by_role("button", name="反映してコーパスのフォルダに保存"), timings, "lexicon apply")
    changed = page.locator("table.changes").inner_text()
    assert "試験の相談" in changed
    assert (root / "mine" / "settings.toml").is_file() and (root / "mine" / "explore_themes.toml").is_file()
    shot(page, tmp_path, "lexicon")
    page.locator("nav").get_by_role("link", name="テーマ").click()
    row = page.locator("table.counts tr", has=page.get_by_role("link", name="試験の相談", exact=True))
    assert int(row.locator("td.num").last.inner_text()) > 0

    # export: download the workbook and open it
    timed_click(page, page.locator("nav").get_by_role("link", name="書き出し"), timings, "export")
    page.wait_for_selector("a[href^='/export/tables/']", timeout=120_000)  # the page reloads itself when ready
    shot(page, tmp_path, "export")
    with page.expect_download() as download:
        page.get_by_role("link", name="ワークブック（keikaku.xlsx）").click()
    saved = tmp_path / "keikaku.xlsx"
    download.value.save_as(saved)
    assert len(openpyxl.load_workbook(saved).sheetnames) > 3
    print("explore browser timings (s):", timings)
    print("explore screenshots:", tmp_path)


def test_the_markup_corpus_shows_as_text(server, page, tmp_path):
    url, _, _ = server
    page.goto(url + "/open")
    page.fill("input[name=folder]", "hostile")
    page.get_by_role("button", name="開く", exact=True).click()
    for screen in ("/overview", "/themes/担い手不足", "/unit/P2-1-1", "/findings", "/continuity"):
        page.goto(url + screen)
        assert page.title() != "PWNED" and page.evaluate("document.documentElement.dataset.pwned") is None, screen
        assert "<script>document.title=" in page.locator("main").inner_text(), screen
    shot(page, tmp_path, "hostile")


def test_a_path_outside_the_roots_is_refused(server, page):
    url, _, _ = server
    page.goto(url + "/open")
    page.fill("input[name=folder]", "../")
    page.get_by_role("button", name="開く", exact=True).click()
    assert "許可されたフォルダの外は開けません" in page.locator("p.error").inner_text()
    response = page.goto(url + "/export/tables/..%2F..%2Fmanifest.json")
    assert response.status == 404


def test_a_foreign_host_header_is_refused(server):
    _, _, port = server
    for host, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("evil.example", 400),
                         (f"evil.example:{port}", 400)):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", "/overview", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        assert connection.getresponse().status == status, host
        connection.close()


def test_a_post_without_the_csrf_token_is_refused(server, page):
    url, _, _ = server
    page.goto(url + "/lexicon")
    response = page.request.post(url + "/lexicon", form={"lexicon": "", "stopwords": "", "userwords": ""})
    assert response.status == 403
