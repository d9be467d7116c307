"""Text patterns of Japanese plan tables, shared by the importers.

Everything here is general plan vocabulary (基本目標, 重点取組, 再掲, 第N次, 令和N年度), never the
wording of one document.  Functions return what they recognised and leave the original text
untouched; markup (``<p>``) is the only thing removed.

>>> parse_goal_cell("【基本目標2】 支え合い・見守り活動の充実")
(2, '', '支え合い・見守り活動の充実')
>>> split_initiatives("1. 防災活動の充実 2. 福祉教育の推進")
['防災活動の充実', '福祉教育の推進']
>>> kanji_number("十二")
12
>>> parse_period("第二次〇〇市地域福祉計画（令和2年度～令和6年度）")
('第二次〇〇市地域福祉計画', '令和2年度～令和6年度')
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

NUM = r"[0-9０-９]+|[一二三四五六七八九十〇]+"
KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                "九": 9}

# Words that open a paragraph continuing the one before (joined to it when descriptions are split).
CONNECTIVES = ("また", "さらに", "更に", "加えて", "併せて", "あわせて", "一方", "なお", "そして",
               "そのため", "ただし", "特に", "同時に")

GOAL_WORDS = r"(?:基本目標|目標|基本方針)"
GOAL_HEADER = re.compile(rf"^\s*【\s*{GOAL_WORDS}\s*(?P<num>{NUM})\s*(?P<label>[^】]*?)\s*】")
GOAL_PLAIN = re.compile(rf"^\s*{GOAL_WORDS}\s*(?P<num>{NUM})\s*[：:．.、\s]?\s*")
# 「1 地域でつながる」「１　住民同士のつながり」: a number and a space before the title (not 3世代,
# 10 年後: a counter after the space)
_SPACED = r"(?P<w>[0-9０-９]+)[ \u3000]+(?=[^\s0-9０-９年月日歳人回件か箇ヶ世代%％])"
GOAL_NUMBERED = re.compile(rf"^\s*(?:[（(]\s*(?P<p>{NUM})\s*[）)]|(?P<n>{NUM})\s*[．.、:：）)])\s*")
HEADING = re.compile(r"(?:^|(?<=\s))[（(]\s*(?P<num>[0-9０-９]+)\s*[）)]\s*")
# A direction title's own number: （1）, 1．, 1、 or 1 and a space before the title.
TITLE_NUMBER = re.compile(rf"^\s*(?:[（(]\s*(?P<num>[0-9０-９]+)\s*[）)]|(?P<n>[0-9０-９]+)\s*[．.、]|{_SPACED})\s*")
# The same numbering written inline, right after the text before it (（1）A（2）B): a heading only
# when it continues a run of numbers that a HEADING starts (see heading_matches).
INLINE_HEADING = re.compile(r"[（(]\s*(?P<num>[0-9０-９]+)\s*[）)]\s*")
PRIORITY = re.compile(rf"[（(]?\s*※?\s*重点(?:取組|取り組み|施策|事業|項目)?\s*(?P<num>{NUM})?\s*[）)]?")
RELISTED = re.compile(r"[（(【［\[〔]?\s*※?\s*再掲\s*[）)】］\]〕]?")
BRACKET_OPENERS = ("（", "(", "【", "［", "[", "〔")
INITIATIVE_NUMBER = re.compile(r"(?:^|(?<=\s))(?P<num>[0-9０-９]+)\s*[.．、)）]\s*")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
GENERATION = re.compile(rf"第\s*(?P<num>{NUM})\s*[次期]")
ERA = r"(?:令和|平成|昭和)?"
PERIOD = re.compile(
    rf"[（(]?\s*(?P<period>{ERA}\s*(?:[0-9０-９]+|元)\s*年度?\s*[～〜~\-－―ー]\s*{ERA}\s*[0-9０-９]+\s*年度?)"
    r"\s*[）)]?")
# What a title cell may hold besides a title: numbering, brackets, dashes, 再掲 / ※ marks.  A cell
# that is nothing else (「-」「（1）」「※再掲」) names no direction (see title_residue).
_RELISTED_MARK = re.compile(r"[(【\[〔]?\s*※?\s*再掲\s*[)】\]〕]?")
_BARE_NUMBER = re.compile(rf"[(]\s*(?:{NUM})\s*[)]")
_LEADING_NUMBER = re.compile(rf"^(?:[(]\s*(?:{NUM})\s*[)]|[0-9]+\s*[.、)])\s*")
MARKS = ("()【】[]〔〕「」『』〈〉《》<>{}"
         "-‐‑‒–—―−─━ー~〜_"
         "※*・･.。,、:;/|!?…‥'\"")
_MARK_RUN = re.compile("[\\s" + re.escape(MARKS) + "]+")
SENTENCE_BREAK = re.compile(r"(?<=[。．！？!?])\s+")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
P_BLOCK = re.compile(r"<p(?:\s[^<>]*)?>(.*?)</p>", re.S | re.I)


def kanji_number(text: str) -> int:
    """An integer from ASCII, full-width or kanji numerals (up to 99).

    >>> kanji_number("３"), kanji_number("三"), kanji_number("二十一")
    (3, 3, 21)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (KANJI_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + KANJI_DIGITS[char]
    return value


def strip_markup(text: str) -> str:
    """Remove HTML tags and unescape entities; keep everything else as it is.

    >>> strip_markup("<p>A&amp;B</p>")
    'A&B'
    """
    if "<" in text:
        text = TAG.sub(" ", text) if re.search(r"<br\s*/?>", text, re.I) else TAG.sub("", text)
    return html.unescape(text) if "&" in text else text


def markup_blocks(text: str) -> list[str]:
    """A cell's ``<p>`` blocks (markup stripped), with any text outside them as blocks of its own.

    >>> markup_blocks("<p>(1) a</p> <p>(2) b</p>")
    ['(1) a', '(2) b']
    """
    if not P_BLOCK.search(text):
        return [strip_markup(text).strip()]
    blocks: list[str] = []
    position = 0
    for match in P_BLOCK.finditer(text):
        outside = strip_markup(text[position:match.start()]).strip()
        if outside:
            blocks.append(outside)
        blocks.append(strip_markup(match.group(1)).strip())
        position = match.end()
    outside = strip_markup(text[position:]).strip()
    if outside:
        blocks.append(outside)
    return [b for b in blocks if b]


def normalize_space(text: str) -> str:
    """Runs of whitespace (including U+3000) as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def fold_cell(text: str) -> str:
    """A cell folded for whole-cell matching against a word list: markup removed, NFKC
    (full-/half-width), no whitespace at all.

    >>> fold_cell(" 合　計 ")
    '合計'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", strip_markup(text)))


def title_residue(text: str) -> str:
    """What is left of a title once numbering (（1）, （一）, ①, 1.), brackets, dashes, spaces and
    再掲 / ※ marks are removed: empty when the cell names nothing.

    >>> [title_residue(c) for c in ("-", "（1）", "※再掲", "（再掲）", "ー", "1.", "見守り（再掲）")]
    ['', '', '', '', '', '', '見守り']
    """
    text = unicodedata.normalize("NFKC", strip_markup(text))
    text = _RELISTED_MARK.sub(" ", text)
    text = _BARE_NUMBER.sub(" ", text)
    text = _MARK_RUN.sub("", text)
    return "" if text.isascii() and text.isdigit() else text


def fold_word(text: str) -> str:
    """A title cell folded for matching against a vocabulary of words (なし, 廃止 …): as
    :func:`fold_cell`, without 再掲 marks and leading numbering, and without the brackets,
    dashes and marks around it.

    >>> fold_word("（廃止）"), fold_word("（1） なし"), fold_word("― 該当なし ―")
    ('廃止', 'なし', '該当なし')
    """
    text, previous = _RELISTED_MARK.sub("", fold_cell(text)), None
    while text != previous:
        previous = text
        text = _LEADING_NUMBER.sub("", text).strip(MARKS)
    return text


@dataclass(frozen=True)
class TableWords:
    """Words of plan tables that are no content (analysis/data/table_words.toml), folded with
    :func:`fold_cell`: ``totals`` (a totals row's label cell), ``no_successor`` (a next-plan
    cell saying there is no successor)."""

    totals: frozenset[str] = frozenset()
    no_successor: frozenset[str] = frozenset()


TABLE_WORD_KEYS = {"rows": ("totals",), "next": ("no_successor",)}


def load_table_words(path: str | Path | None = None) -> TableWords:
    """The table vocabulary; default ``analysis/data/table_words.toml`` (read once).  A
    SettingsError names the file, the key and its line for anything it cannot use."""
    return _default_table_words() if path is None else _read_table_words(str(path))


@lru_cache(maxsize=1)
def _default_table_words() -> TableWords:
    from ..settings import data_path

    return _read_table_words(str(data_path("table_words.toml")))


def _read_table_words(file: str) -> TableWords:
    from ..errors import SettingsError
    from ..settings import parse_toml, toml_line

    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"cannot read the table vocabulary: {exc}", file=file) from exc
    data = parse_toml(text, source=file, what="table vocabulary")
    found: dict[str, frozenset[str]] = {}
    for section, values in data.items():
        if section not in TABLE_WORD_KEYS or not isinstance(values, dict):
            raise SettingsError(f"unknown section [{section}]; allowed: "
                                f"{', '.join(f'[{k}]' for k in TABLE_WORD_KEYS)}", file=file,
                                field=section, line=toml_line(text, section))
        for key, listed in values.items():
            where = f"{section}.{key}"
            if key not in TABLE_WORD_KEYS[section]:
                raise SettingsError(f"unknown key {key!r} in [{section}]; allowed: "
                                    f"{', '.join(TABLE_WORD_KEYS[section])}", file=file, field=where,
                                    line=toml_line(text, where))
            if not isinstance(listed, list) or not all(isinstance(w, str) and fold_cell(w) for w in listed):
                raise SettingsError("expected a list of words", file=file, field=where,
                                    line=toml_line(text, where))
            found[key] = frozenset(fold_cell(w) for w in listed)
    return TableWords(**found)


def parse_goal_cell(text: str) -> tuple[int | None, str, str]:
    """(number, short label, title) of a goal cell; number None when the cell has none.

    >>> parse_goal_cell("【基本目標1 つなげる】")
    (1, 'つなげる', '')
    >>> parse_goal_cell("基本目標３：安心して暮らせるまち")
    (3, '', '安心して暮らせるまち')
    >>> parse_goal_cell("地域で支え合う")
    (None, '', '地域で支え合う')
    """
    text = strip_markup(text).strip()
    match = GOAL_HEADER.match(text)
    if match:
        return kanji_number(match["num"]), match["label"].strip(), text[match.end():].strip()
    match = GOAL_PLAIN.match(text)
    if match:
        return kanji_number(match["num"]), "", text[match.end():].strip()
    match = GOAL_NUMBERED.match(text)
    if match and text[match.end():].strip():
        return kanji_number(match["p"] or match["n"]), "", text[match.end():].strip()
    return None, "", text


def title_markers(title: str) -> tuple[str, int | None, bool, list[str]]:
    """Split 重点取組 / 再掲 markers off a title: (title, priority, relisted, markers found).

    >>> title_markers("小地域福祉活動の推進（※重点取組1）")
    ('小地域福祉活動の推進', 1, False, ['（※重点取組1）'])
    """
    priority: int | None = None
    relisted = False
    markers: list[str] = []
    changed = True
    while changed:
        changed = False
        for pattern in (PRIORITY, RELISTED):
            for match in pattern.finditer(title):
                marker = match.group(0)
                if "重点" not in marker and "再掲" not in marker:
                    continue
                # only markers at the end of the title (or in brackets) are markers
                if match.end() != len(title.rstrip()) and not marker.startswith(BRACKET_OPENERS):
                    continue
                if pattern is PRIORITY:
                    if match["num"]:
                        priority = kanji_number(match["num"])
                    elif priority is None:
                        priority = 0
                else:
                    relisted = True
                markers.append(marker.strip())
                title = (title[:match.start()] + title[match.end():]).strip()
                changed = True
                break
            if changed:
                break
    return title, priority, relisted, markers


def split_initiatives(text: str, *, start: int = 1) -> list[str]:
    """Initiatives of a 取組内容 cell: ``1. … 2. …``, ①②, or one per line; else the whole cell.

    >>> split_initiatives("①見守り ②サロン")
    ['見守り', 'サロン']
    >>> split_initiatives("地域の見守り活動")
    ['地域の見守り活動']
    >>> split_initiatives("3. 続きの取組", start=3)  # a cell continuing a list above
    ['続きの取組']
    """
    text = strip_markup(text).strip()
    if not text:
        return []
    matches = [m for m in INITIATIVE_NUMBER.finditer(text)]
    expected, picked = start, []
    for match in matches:
        if kanji_number(match["num"]) == expected:
            picked.append(match)
            expected += 1
    if picked and picked[0].start() == 0 and len(picked) >= 1 and (len(picked) > 1 or len(matches) == 1):
        items = []
        for i, match in enumerate(picked):
            end = picked[i + 1].start() if i + 1 < len(picked) else len(text)
            items.append(text[match.end():end].strip())
        return [item for item in items if item]
    if text[0] in CIRCLED:
        parts = re.split(f"[{CIRCLED}]", text)
        return [p.strip() for p in parts if p.strip()]
    lines = [re.sub(r"^[・●○■□◆◇\-]\s*", "", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return lines if len(lines) > 1 else [text]


_ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_FISCAL_YEAR = re.compile(r"^(?:(?P<era>令和|平成|昭和|[RHS])\s*(?P<n>[0-9]+|元)|(?P<year>[0-9]{4}))\s*(?:年度|年)?")


def fiscal_year(text: str) -> int | None:
    """The western year a period label starts with (令和4年度, R4, H30, 平成元年度, 2023年度), or
    None when it does not start with one.

    >>> [fiscal_year(t) for t in ("令和4年度", "Ｒ５", "平成元年度", "2023年度", "第2期")]
    [2022, 2023, 1989, 2023, None]
    """
    match = _FISCAL_YEAR.match(unicodedata.normalize("NFKC", text).strip().upper())
    if match is None:
        return None
    if match.group("year"):
        return int(match.group("year"))
    n = match.group("n")
    return _ERA_BASE[match.group("era")] + (1 if n == "元" else int(n))


def parse_period(title: str) -> tuple[str, str]:
    """(title without the period, period) of a plan title; period "" when none is given."""
    match = PERIOD.search(title)
    if not match:
        return title.strip(), ""
    return title[:match.start()].strip(), match["period"].strip()


def plan_name(title: str) -> str:
    """The plan's name from a page title: before the period, up to the last 計画 if any.

    >>> plan_name("第二次〇〇市地域福祉活動計画（令和2年度～令和6年度）点検・評価【概要版】")
    '第二次〇〇市地域福祉活動計画'
    """
    name, _ = parse_period(title)
    if "計画" in name:
        name = name[: name.rindex("計画") + len("計画")]
    return name.strip()


def generation_of(text: str) -> int | None:
    """The generation a text names (第二次, 第3期), or None.

    >>> generation_of("【第三次計画の取り組みの方向性】")
    3
    """
    match = GENERATION.search(text)
    return kanji_number(match["num"]) if match else None


def next_title(title: str, generation: int) -> str:
    """The next generation's title: 第N次 replaced by the next number in the same script.

    >>> next_title("第二次〇〇市地域福祉活動計画", 3)
    '第三次〇〇市地域福祉活動計画'
    """
    match = GENERATION.search(title)
    if not match:
        return f"第{generation}次{title}" if title else f"第{generation}次計画"
    digits = match["num"]
    if digits.isdigit():
        number = str(generation) if digits.isascii() else str(generation).translate(
            str.maketrans("0123456789", "０１２３４５６７８９"))
    else:
        number = to_kanji(generation)
    return title[:match.start("num")] + number + title[match.end("num"):]


def to_kanji(number: int) -> str:
    """>>> to_kanji(3), to_kanji(12)
    ('三', '十二')
    """
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])


def guess_owner(title: str) -> str:
    """Owner from a plan title: the municipality, plus 社会福祉協議会 for a 地域福祉活動計画.

    A 地域福祉活動計画 is, by convention, written by the municipality's 社会福祉協議会; a
    地域福祉計画 by the municipality itself.  Returns "" when no municipality is named.

    >>> guess_owner("第二次〇〇市地域福祉活動計画")
    '〇〇市社会福祉協議会'
    >>> guess_owner("第3期△△町地域福祉計画")
    '△△町'
    >>> guess_owner("地域福祉計画")
    ''
    """
    name = GENERATION.sub("", title, count=1).strip()
    match = re.match(r"(?P<place>.+[都道府県市区町村])(?=(?:地域)?福祉)", name)
    if not match:
        return ""
    place = match["place"]
    return place + "社会福祉協議会" if "活動計画" in name else place


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a description: breaks at sentence end + whitespace; a paragraph opening with
    a connective (また、さらに …) is joined to the one before.  Slices of the original text.

    >>> split_paragraphs("Aに取り組む。 また、Bを行う。 Cを進める。")
    ['Aに取り組む。 また、Bを行う。', 'Cを進める。']
    """
    starts = [0] + [m.end() for m in SENTENCE_BREAK.finditer(text)]
    pieces = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        pieces.append((start, end))
    merged: list[list[int]] = []
    for start, end in pieces:
        chunk = text[start:end].strip()
        if not chunk:
            continue
        if merged and chunk.startswith(CONNECTIVES):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [text[s:e].strip() for s, e in merged]


def bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def overlap(a: str, b: str) -> float:
    """Share of ``b``'s character bigrams found in ``a`` (0 when ``b`` has none)."""
    grams = bigrams(b)
    return len(grams & bigrams(a)) / len(grams) if grams else 0.0


@dataclass
class Heading:
    """One ``(n) title`` entry of a next-plan cell."""

    number: int
    title: str
    priority: int | None = None
    relisted: bool = False
    raw: str = ""
    text: str = ""


@dataclass
class DirectionCell:
    """A next-plan cell: its goal header, 再掲 marker and the directions it lists."""

    goal_number: int | None = None
    goal_label: str = ""
    goal_raw: str = ""
    relisted: bool = False
    headings: list[Heading] = field(default_factory=list)
    rest: str = ""  # text of a cell with no ``(n)`` heading
    notes: list[str] = field(default_factory=list)  # why descriptions were attributed by guess


def heading_matches(block: str) -> list[re.Match]:
    """The ``(n)`` headings of a block of a next-plan cell: each :data:`HEADING` (at the start or
    after a space), and numbering written inline (（1）見守り（2）居場所) when it continues their
    run — numbers counting up by one from the first heading, every heading among them and at
    least two in all.  Anything less clear keeps the headings alone.

    >>> [m["num"] for m in heading_matches("（1）見守りの推進（2）居場所づくり")]
    ['1', '2']
    >>> [m["num"] for m in heading_matches("（1）地域福祉計画（第3期）の推進")]
    ['1']
    """
    headings = list(HEADING.finditer(block))
    if not headings:
        return headings
    starts = {m.start() for m in headings}
    run: list[re.Match] = []
    for match in INLINE_HEADING.finditer(block):
        if match.start() < headings[0].start():
            continue
        number = kanji_number(match["num"])
        if not run or number == kanji_number(run[-1]["num"]) + 1:
            run.append(match)
        elif match.start() in starts:
            return headings  # a heading outside the run: not clearly one list
    if len(run) < 2 or not starts <= {m.start() for m in run}:
        return headings
    return run


def parse_direction_cell(cell: str) -> DirectionCell:
    """Parse a next-plan cell ``【基本目標N label】 (1) title desc (2) title desc …``.

    Description paragraphs go to the right heading: text right after a heading is its own;
    text after several consecutive headings is split into paragraphs and assigned in order when
    the counts match, else by word overlap with the titles (with a note).

    >>> c = parse_direction_cell("【基本目標1 つなげる】 (1) 見守りの推進 (2) サロンの充実 見守りを進める。 サロンを開く。")
    >>> c.goal_number, c.goal_label, [(h.number, h.title, h.text) for h in c.headings]
    (1, 'つなげる', [(1, '見守りの推進', '見守りを進める。'), (2, 'サロンの充実', 'サロンを開く。')])
    """
    result = DirectionCell()
    blocks = markup_blocks(cell)
    if not blocks:
        return result
    match = GOAL_HEADER.match(blocks[0])
    if match:
        result.goal_number = kanji_number(match["num"])
        result.goal_label = match["label"].strip()
        result.goal_raw = match.group(0).strip()
        blocks[0] = blocks[0][match.end():].strip()
    lead = re.match(r"^\s*" + RELISTED.pattern + r"\s*", blocks[0])
    if lead and "再掲" in lead.group(0):
        result.relisted = True
        blocks[0] = blocks[0][lead.end():].strip()
    entries: list[Heading] = []
    own: list[str] = []  # text right after each heading, up to the next heading
    for block in blocks:
        matches = heading_matches(block)
        if not matches:
            if entries:
                own[-1] = (own[-1] + " " + block).strip()
            else:
                result.rest = (result.rest + " " + block).strip()
            continue
        before = block[:matches[0].start()].strip()
        if before:
            if entries:
                own[-1] = (own[-1] + " " + before).strip()
            else:
                result.rest = (result.rest + " " + before).strip()
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(block)
            body = block[m.end():end]
            title_match = re.match(r"\S+", body)
            title = title_match.group(0) if title_match else ""
            after = body[title_match.end():] if title_match else body
            # a priority / 再掲 marker separated from the title by a space
            marker = re.match(r"\s*(" + PRIORITY.pattern + "|" + RELISTED.pattern + r")(?=\s|$)", after)
            if marker and ("重点" in marker.group(0) or "再掲" in marker.group(0)):
                title += marker.group(0)
                after = after[marker.end():]
            raw = block[m.start():end - len(after)].strip()
            clean, priority, relisted, _ = title_markers(title)
            entries.append(Heading(number=kanji_number(m["num"]), title=clean, priority=priority,
                                   relisted=relisted or result.relisted, raw=raw))
            own.append(after.strip())
    if result.rest and entries:
        result.notes.append("見出しの前の文を最初の方向性の説明に含めました")
        own[0] = (result.rest + " " + own[0]).strip()
        result.rest = ""
    # group consecutive headings that have no text of their own with the next one that has
    group: list[int] = []
    for index, text in enumerate(own):
        group.append(index)
        if not text and index + 1 < len(own):
            continue
        attribute(entries, group, text, result.notes)
        group = []
    result.headings = entries
    return result


def attribute(entries: list[Heading], group: list[int], text: str, notes: list[str]) -> None:
    if not text:
        return
    if len(group) == 1:
        entries[group[0]].text = text
        return
    paragraphs = split_paragraphs(text)
    if len(paragraphs) == len(group):
        for index, paragraph in zip(group, paragraphs):
            entries[index].text = paragraph
        return
    assigned: dict[int, list[str]] = {index: [] for index in group}
    for paragraph in paragraphs:
        best = max(group, key=lambda i: (overlap(paragraph, entries[i].title), -i))
        assigned[best].append(paragraph)
    for index in group:
        entries[index].text = " ".join(assigned[index])
    numbers = "・".join(f"({entries[i].number})" for i in group)
    notes.append(f"{numbers} の説明文が{len(paragraphs)}段落で見出しの数と合わないため、"
                 "見出しとの語の重なりで振り分けました")
