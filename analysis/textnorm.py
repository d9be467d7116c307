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

from .errors import SettingsError, read_data_text

# Sudachi refuses more than 49,149 bytes in one call; sentences are far shorter, so a run longer
# than this (a table cell with no punctuation) is cut at a safe point before it reaches Sudachi.
# Chunks over ~8 KB are also slower (shared/notes/sudachi.md), hence the lower working limit.
SUDACHI_MAX_BYTES = 49_149
MAX_CHUNK_BYTES = 8_192
# The smallest budget that always fits one character (UTF-8 uses at most 4 bytes).
MIN_CHUNK_BYTES = 4

SENTENCE_END = frozenset("。！？!?")
OPENING = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］", "《": "》", "〈": "〉"}
CLOSING = frozenset(OPENING.values())
TRAILING = CLOSING | SENTENCE_END | frozenset("…‥")
LINE_BREAKS = "\r\n\u2028\u2029\x0b\x0c\x85"
# A bracket still open this many characters after the sentence began is taken for a stray
# (a PDF or markup artefact) and no longer keeps the sentence open at the next end mark.
UNCLOSED_LIMIT = 400

# Only these characters change the splitter's state; everything else is skipped in C (re).
_SPECIAL = re.compile("[" + re.escape("".join(OPENING) + "".join(CLOSING) + "".join(SENTENCE_END) + LINE_BREAKS) + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that attach to the one before them: a cut must not fall just before them.
_ATTACHED = re.compile(
    "[\u0300-\u036f\u3099\u309a\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
    "\U000e0100-\U000e01ef]"
)


def load_variants(path: str | Path) -> dict[str, str]:
    """Read a variant table: lines ``VARIANT<TAB>STANDARD``, ``#`` comments, one character each."""
    path = Path(path)
    table: dict[str, str] = {}
    lines = read_data_text(path, what="variant table").splitlines()
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            raise SettingsError("expected two single characters: VARIANT STANDARD", file=str(path), line=number)
        if parts[0] in table and table[parts[0]] != parts[1]:
            raise SettingsError(f"{parts[0]} is listed twice with different standards", file=str(path), line=number)
        table[parts[0]] = parts[1]
    return table


@functools.lru_cache(maxsize=8)
def _translation(items: tuple[tuple[str, str], ...]) -> tuple[dict[int, int], re.Pattern | None]:
    mapping = {ord(a): ord(b) for a, b in items if a != b}
    pattern = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(mapping)) + "]") if mapping else None
    return mapping, pattern


def fold_variants(text: str, table: dict[str, str]) -> str:
    """Replace variant characters one for one (offsets are preserved).

    >>> fold_variants("髙橋さんと齋藤さん", {"髙": "高", "齋": "斎"})
    '高橋さんと斎藤さん'
    """
    if not table:
        return text
    mapping, pattern = _translation(tuple(sorted(table.items())))
    if pattern is None or pattern.search(text) is None:  # the usual case: nothing to fold
        return text
    return text.translate(mapping)


def replace_surrogates(text: str) -> str:
    """Replace lone surrogates (which UTF-8, hence Sudachi, cannot take) one for one by U+FFFD.

    >>> replace_surrogates("あ\\ud800い")
    'あ\\ufffdい'
    """
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


def match_form(text: str, table: dict[str, str] | None = None) -> str:
    """A form for comparing short strings (titles, lexicon entries): NFKC, variants folded,
    whitespace removed.  Not offset-preserving: never use it for evidence.

    >>> match_form("ﾎﾞﾗﾝﾃｨｱ　活動（1）", {"隨": "随"})
    'ボランティア活動(1)'
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = fold_variants(folded, table or {})
    return re.sub(r"\s+", "", folded)


def utf8_size(text: str) -> int:
    """UTF-8 length of ``text`` in bytes (a lone surrogate counts as the 3 bytes of U+FFFD)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _safe_cuts(text: str, start: int, end: int, max_bytes: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``max_bytes`` UTF-8 bytes, preferring to cut
    after a comma, then after whitespace; never inside a character nor just before a character
    that attaches to the previous one (combining marks, joiners, variation selectors)."""
    pieces: list[tuple[int, int]] = []
    while start < end:
        # Largest prefix within the byte budget: cut the bytes, back off to a character boundary.
        head = text[start:min(end, start + max_bytes)].encode("utf-8", "surrogatepass")
        if len(head) <= max_bytes and start + max_bytes >= end:
            pieces.append((start, end))
            break
        head = head[:max_bytes]
        lead = len(head) - 1
        while lead > 0 and (head[lead] & 0xC0) == 0x80:  # back to the last character's first byte
            lead -= 1
        first = head[lead]
        size = 1 if first < 0x80 else 2 if first < 0xE0 else 3 if first < 0xF0 else 4
        if lead + size > len(head):  # that character is cut: leave it for the next piece
            head = head[:lead]
        limit = start + len(head.decode("utf-8", "surrogatepass"))
        if limit >= end:
            pieces.append((start, end))
            break
        cut = limit
        window = text[start:limit]
        for marks in ("。、，,;；", " \u3000\t"):
            best = max(window.rfind(m) for m in marks)
            if best >= len(window) // 2:
                cut = start + best + 1
                break
        else:
            back = cut
            while back > start + 1 and (_ATTACHED.match(text, back) or text[back - 1] == "\u200d"):
                back -= 1
            if back > start + 1:  # a run of attached characters filling a whole piece is cut anyway
                cut = back
        pieces.append((start, cut))
        start = cut
    return pieces


def sentences(text: str, *, max_bytes: int = MAX_CHUNK_BYTES) -> list[tuple[str, int, int]]:
    """Split into sentences: ``(sentence, start, end)`` with offsets into ``text``.

    A sentence ends at 。！？!? outside 「」『』（）() and the like, and at a line break; closing
    brackets and further end marks right after the end mark stay with the sentence.  Leading and
    trailing whitespace is not part of a sentence.  Any piece longer than ``max_bytes`` UTF-8 bytes
    (at most Sudachi's 49,149) is cut safely, so no call to Sudachi ever exceeds its input limit.

    >>> sentences("　見守り活動を行った。（課題は残る。）\\n次へ")
    [('見守り活動を行った。', 1, 11), ('（課題は残る。）', 11, 19), ('次へ', 20, 22)]
    """
    if max_bytes < MIN_CHUNK_BYTES:
        raise ValueError(f"max_bytes must be at least {MIN_CHUNK_BYTES}, got {max_bytes}")
    max_bytes = min(max_bytes, SUDACHI_MAX_BYTES)
    spans: list[tuple[int, int]] = []
    depth: list[str] = []
    start = 0
    resume = 0
    n = len(text)
    for match in _SPECIAL.finditer(text):
        i = match.start()
        if i < resume:
            continue
        ch = text[i]
        if ch in LINE_BREAKS:
            spans.append((start, i))
            start = i + 1
            depth.clear()
        elif ch in OPENING:
            depth.append(OPENING[ch])
        elif ch in CLOSING:
            if depth and ch == depth[-1]:
                depth.pop()
            elif ch in depth:  # an unbalanced closer: unwind to it rather than stay nested forever
                while depth and depth.pop() != ch:
                    pass
        elif not depth:  # an end mark outside brackets
            j = i + 1
            while j < n and text[j] in TRAILING:
                j += 1
            spans.append((start, j))
            start = resume = j
        elif i - start > UNCLOSED_LIMIT:
            # A bracket never closed must not swallow the rest of the text: this mark ends it.
            depth.clear()
            j = i + 1
            while j < n and text[j] in TRAILING:
                j += 1
            spans.append((start, j))
            start = resume = j
    spans.append((start, n))
    out: list[tuple[str, int, int]] = []
    quick = max_bytes // 4  # a piece this short (in characters) always fits
    for s, e in spans:
        piece = text[s:e]
        if not piece:
            continue
        stripped = piece.strip()
        if not stripped:
            continue
        if len(stripped) != len(piece):
            s += len(piece) - len(piece.lstrip())
            e = s + len(stripped)
            piece = stripped
        if len(piece) <= quick or utf8_size(piece) <= max_bytes:
            out.append((piece, s, e))
        else:
            for a, b in _safe_cuts(text, s, e, max_bytes):
                cut = text[a:b]
                stripped = cut.strip()
                if stripped:
                    a += len(cut) - len(cut.lstrip())
                    out.append((stripped, a, a + len(stripped)))
    return out
