"""The page's embedded Japanese face: which characters it needs, the subset (WOFF, the same
bytes every run), the @font-face rule; figures that need no font at all."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from analysis.report.fonts import FONT_FACE, PRINTABLE_ASCII, font_face_css, font_file, page_characters, subset_font


@pytest.mark.parametrize("page, drawn, not_drawn", [
    ("<p>見守り</p>", "見守り", ""),
    ("<p>連携&amp;協働&lt;</p>", "連携協働&<", ""),  # entities as the characters they draw
    ('<img alt="図 共起" src="x.svg"><abbr title="社協">略</abbr>', "図共起社協略", ""),
    ("<style>p::after { content: '鬱' }</style><script>var a = '鬱';</script><p>文</p>", "文", "鬱"),
    ("<p>改行\n\tタブ</p>", "改行タブ", "\n\t"),
])
def test_page_characters(page, drawn, not_drawn):
    found = page_characters(page)
    assert set(drawn) <= found
    assert not set(not_drawn) & found
    assert set(PRINTABLE_ASCII) <= found  # list numbers and the like are drawn by the browser


def test_subset_is_woff_holds_the_characters_and_is_the_same_every_time():
    chars = set("計画の評価と次期計画：分析レポート") | set(PRINTABLE_ASCII)
    data = subset_font(frozenset(chars))
    assert data[:4] == b"wOFF"
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {chr(c) for c in cmap} == chars
    # another process (no cached bytes) makes the same bytes
    import hashlib
    import subprocess
    import sys

    code = ("import hashlib, sys; from analysis.report.fonts import subset_font; "
            "print(hashlib.sha256(subset_font(frozenset(sys.argv[1]))).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code, "".join(sorted(chars, reverse=True))],
                           capture_output=True, text=True, check=True, timeout=120)
    assert other.stdout.strip() == hashlib.sha256(data).hexdigest()
    assert len(data) < font_file().stat().st_size / 20


def test_characters_the_font_lacks_are_left_out():
    cmap = TTFont(io.BytesIO(subset_font("見守り\U0001F600"))).getBestCmap()
    assert chr(0x1F600) not in {chr(c) for c in cmap} and "見" in {chr(c) for c in cmap}


def test_font_face_rule_names_the_face_and_embeds_the_subset():
    css = font_face_css("連携")
    assert css.startswith(f'@font-face {{ font-family: "{FONT_FACE}";')
    encoded = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\(\"woff\"\)", css).group(1)
    assert base64.b64decode(encoded) == subset_font("連携")


def test_report_css_asks_for_the_embedded_face_first():
    from analysis.settings import data_path

    css = data_path("report.css").read_text(encoding="utf-8")
    families = re.findall(r"font-family:\s*([^;]+);", css)
    assert families and all(f.strip().startswith(f'"{FONT_FACE}"') for f in families)


def test_svg_figures_draw_glyphs_as_outlines():
    import pandas as pd

    from analysis import plots

    svg = plots.figure_svg(plots.theme_bars(pd.DataFrame({"theme": ["連携"], "generation": [2], "count": [3]})))
    assert b"<text" not in svg and b"font-family" not in svg  # no font needed to show it
