"""The Japanese face the report page carries inside itself, so it reads (and prints) the same on a
machine without Japanese fonts.

:func:`page_characters` collects what the page draws (its text and the text of ``alt`` and
``title`` attributes, plus printable ASCII); :func:`subset_font` cuts IPAexGothic (the ``.ttf``
that ``matplotlib-fontja`` installs, the font of the figures too) down to those characters with
fontTools and writes it as WOFF (zlib, no extra package); :func:`font_face_css` wraps it in an
``@font-face`` rule with a ``data:`` URL.  The same characters give the same bytes.

Licence: the IPA Font License v1.0 (Article 2.5) puts no obligation on a document that embeds
the font to display its own content, which is all this subset does.

>>> sorted(page_characters('<p title="題">見守り&amp;</p><style>p{}</style>') - set(PRINTABLE_ASCII))
['り', '守', '見', '題']
"""

from __future__ import annotations

import base64
import functools
from html.parser import HTMLParser
from pathlib import Path

FONT_FACE = "keikaku-ja"  # the family name the page's CSS asks for first
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
_SKIPPED = ("style", "script")
_DRAWN_ATTRIBUTES = ("alt", "title", "placeholder")


class _Text(HTMLParser):
    """Collects the characters of text nodes and drawn attributes (not style or script)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.characters: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        for name, value in attrs:
            if name in _DRAWN_ATTRIBUTES and value:
                self.characters.update(value)

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.characters.update(data)


def page_characters(page: str) -> frozenset[str]:
    """Every character an HTML page draws: its text (entities decoded), ``alt`` / ``title``
    attributes, and all printable ASCII (list numbers and other generated text).

    Parameters
    ----------
    page : str
        HTML.

    Returns
    -------
    frozenset of str
        Line breaks and other control characters left out.
    """
    parser = _Text()
    parser.feed(page)
    parser.close()
    return frozenset(ch for ch in parser.characters | set(PRINTABLE_ASCII) if ch.isprintable() or ch == " ")


def font_file() -> Path:
    """The IPAexGothic ``.ttf`` of the installed ``matplotlib-fontja`` package.

    Returns
    -------
    Path

    Raises
    ------
    EnvironmentProblem
        When the package or its font file is missing.
    """
    from ..errors import EnvironmentProblem

    try:
        import matplotlib_fontja
    except ImportError as exc:
        raise EnvironmentProblem(
            "日本語フォントのパッケージ matplotlib-fontja がありません。`pip install matplotlib-fontja` で"
            "インストールしてください (the Japanese font package matplotlib-fontja is not installed)") from exc
    path = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise EnvironmentProblem(f"日本語フォントのファイルがありません (font file not found): {path}")
    return path


def subset_font(characters: "frozenset[str] | set[str] | str") -> bytes:
    """IPAexGothic cut down to ``characters``, as WOFF bytes (the same characters, the same bytes).

    Parameters
    ----------
    characters : iterable of str
        Characters the font has no glyph for are left out (the browser falls back for them).

    Returns
    -------
    bytes
        A WOFF font (``wOFF`` signature).
    """
    return _subset(frozenset(characters))


@functools.lru_cache(maxsize=4)
def _subset(characters: frozenset[str]) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]  # keep kerning, vertical forms, proportional kana …
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(font_file(), recalcTimestamp=False)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in characters))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def font_face_css(characters: "frozenset[str] | set[str] | str") -> str:
    """An ``@font-face`` rule for :data:`FONT_FACE`: the subset of ``characters`` as a ``data:`` URL.

    Parameters
    ----------
    characters : iterable of str

    Returns
    -------
    str
        CSS, ending with a newline.
    """
    encoded = base64.b64encode(subset_font(characters)).decode("ascii")
    return (f'@font-face {{ font-family: "{FONT_FACE}"; font-style: normal; font-weight: normal; '
            f'font-display: block; src: url(data:font/woff;base64,{encoded}) format("woff"); }}\n')
