"""Normalization for matching and sentence splitting.  The original text is never changed.

Matching needs a folded form (variant kanji such as 隨 → 随, which Sudachi does not fold); display
and evidence need the original.  Folding here is strictly one character to one character, so an
offset in the folded text is the same offset in the original.

>>> fold_variants("隨時連携", {"隨": "随"})
'随時連携'
>>> [s for s, _, _ in sentences("課題となった。「次期計画へ。」持ち越し（案。）です")]
['課題となった。', '「次期計画へ。」持ち越し（案。）です']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from .errors import SettingsError

# Sudachi refuses more than 49,149 bytes in one call; sentences are far shorter, so a run longer
# than this (a table cell with no punctuation) is cut at a safe point before it reaches Sudachi.
# Chunks over ~8 KB are also slower (shared/notes/sudachi.md), hence the lower working limit.
SUDACHI_MAX_BYTES = 49_149
MAX_CHUNK_BYTES = 8_192

SENTENCE_END = frozenset("。！？!?")
OPENING = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］", "《": "》", "〈": "〉"}
CLOSING = frozenset(OPENING.values())
TRAILING = CLOSING | SENTENCE_END | frozenset("…‥")


def load_variants(path: str | Path) -> dict[str, str]:
    """Read a variant table: lines ``VARIANT<TAB>STANDARD``, ``#`` comments, one character each."""
    path = Path(path)
    table: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read variant table: {exc}", file=str(path)) from exc
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            raise SettingsError("expected two single characters: VARIANT STANDARD", file=str(path), line=number)
        table[parts[0]] = parts[1]
    return table


@functools.lru_cache(maxsize=8)
def _translation(items: tuple[tuple[str, str], ...]) -> dict[int, int]:
    return {ord(a): ord(b) for a, b in items}


def fold_variants(text: str, table: dict[str, str]) -> str:
    """Replace variant characters one for one (offsets are preserved)."""
    if not table:
        return text
    return text.translate(_translation(tuple(sorted(table.items()))))


def match_form(text: str, table: dict[str, str] | None = None) -> str:
    """A form for comparing short strings (titles, lexicon entries): NFKC, variants folded,
    whitespace removed.  Not offset-preserving: never use it for evidence.

    >>> match_form("ﾎﾞﾗﾝﾃｨｱ　活動（1）", {"隨": "随"})
    'ボランティア活動(1)'
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = fold_variants(folded, table or {})
    return re.sub(r"\s+", "", folded)


def _safe_cuts(text: str, start: int, end: int, max_bytes: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``max_bytes`` UTF-8 bytes, preferring to cut
    after a comma, then after whitespace; never inside a character (we cut ``str``, not bytes)."""
    while start < end:
        # Largest prefix within the byte budget (a character is at most 4 bytes).
        limit = start
        used = 0
        while limit < end:
            size = len(text[limit].encode("utf-8"))
            if used + size > max_bytes:
                break
            used += size
            limit += 1
        if limit >= end:
            yield start, end
            return
        cut = limit
        window = text[start:limit]
        for marks in ("、，,;；", " \u3000\t"):
            best = max(window.rfind(m) for m in marks)
            if best > len(window) // 2:
                cut = start + best + 1
                break
        yield start, cut
        start = cut


def sentences(text: str, *, max_bytes: int = MAX_CHUNK_BYTES) -> list[tuple[str, int, int]]:
    """Split into sentences: ``(sentence, start, end)`` with offsets into ``text``.

    A sentence ends at 。！？!? outside 「」『』（）() and at a line break; closing brackets right
    after the end mark stay with the sentence.  Leading and trailing whitespace is not part of a
    sentence.  Any piece longer than ``max_bytes`` UTF-8 bytes is cut safely, so no call to
    Sudachi ever exceeds its input limit.
    """
    if max_bytes > SUDACHI_MAX_BYTES:
        max_bytes = SUDACHI_MAX_BYTES
    spans: list[tuple[int, int]] = []
    depth: list[str] = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in OPENING:
            depth.append(OPENING[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch in CLOSING and ch in depth:
            # An unbalanced closer: unwind to it rather than stay nested forever.
            while depth and depth.pop() != ch:
                pass
        if ch in "\r\n":
            spans.append((start, i))
            start = i + 1
            depth.clear()
        elif ch in SENTENCE_END and not depth:
            j = i + 1
            while j < n and text[j] in TRAILING:
                j += 1
            spans.append((start, j))
            start = j
            i = j
            continue
        elif len(depth) > 0 and ch in SENTENCE_END and (i - start) > 400:
            # A bracket never closed (a PDF artefact) must not swallow the rest of the text.
            depth.clear()
        i += 1
    spans.append((start, n))
    out: list[tuple[str, int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if len(text[s:e].encode("utf-8")) <= max_bytes:
            out.append((text[s:e], s, e))
        else:
            out.extend((text[a:b], a, b) for a, b in _safe_cuts(text, s, e, max_bytes))
    return out
