"""Decisions (今後の方向性 and the like) normalised through an editable vocabulary.

The vocabulary is ``analysis/data/decisions.toml``: each class (``expand``, ``continue``,
``improve``, ``reduce``, ``merge``, ``end``) lists the words that mean it.  A cell is kept as
written; :func:`decision_class` gives its class, ``unknown`` when the vocabulary does not say.

>>> vocabulary = load_decisions()
>>> decision_class("１ 現状維持", vocabulary)
'continue'
>>> decision_class("２ 改革改善（縮小・統合含む）", vocabulary)
'improve'
>>> decision_class("３ 終了・廃止・休止", vocabulary)
'end'
>>> decision_class("検討中", vocabulary)
'unknown'

A cell of options each preceded by a mark (a printed form's check boxes) is decided by the
checked option: ``■ ☑ ☒ ✓ ✔ ● ◉ ◎`` check an option, ``□ ☐ ・`` leave it unchecked, and a
circle ``○ 〇 ◯`` checks an option only when all the other options carry ``□ ☐ ・``
(「〇継続」 alone is checked too; beside ``●`` a circle is the unchecked one).  A cell of ``・``
bullets alone (「・継続・拡充」) is words, not check boxes.
Exactly one checked option gives its class; none, or several, give ``unknown``, and
:func:`decision_note` says which (for the importer's warning).

>>> decision_class("□拡充 ■継続 □改善", vocabulary), decision_class("●拡充 ○縮小", vocabulary)
('continue', 'expand')
>>> decision_class("■拡充 ■継続", vocabulary), decision_note("■拡充 ■継続", vocabulary)
('unknown', 'チェックが2つの選択肢（拡充、継続）に付いています')
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import SettingsError

DecisionClass = str
CLASSES: tuple[str, ...] = ("expand", "continue", "improve", "reduce", "merge", "end")
UNKNOWN = "unknown"
# Japanese names of the classes, for planners.
CLASS_NAMES = {"expand": "拡充", "continue": "継続・現状維持", "improve": "改善・改革改善",
               "reduce": "縮小", "merge": "統合", "end": "終了・廃止・休止", "unknown": "分類できない"}
# Leading numbering: 1 / １ / (1) / （１） / ① / 1. / 1) / ア, followed by a space or a dot.
_NUMBERING = re.compile(r"^(?:[(]?\d+[)]?[.、．]?|[\u2460-\u2473])\s*")
_NOTE = re.compile(r"[(][^()]*[)]")
_PARTS = re.compile(r"[・、,/／]")
# Marks before the options of a check-box cell (see the module docstring).
CHECKED_MARKS = "■☑☒✓✔●◉◎"
BOX_MARKS = "□☐・"  # unchecked
CIRCLE_MARKS = "○〇◯"  # checked beside unchecked boxes, unchecked beside check marks
_MARKS = CHECKED_MARKS + BOX_MARKS + CIRCLE_MARKS
# a bullet ・ is a mark only at the start or after a space (継続・拡充 is one option's words)
_MARK = f"(?:[{CHECKED_MARKS}□☐{CIRCLE_MARKS}]|(?<!\\S)・)"
_OPTION = re.compile(f"({_MARK})((?:(?!{_MARK}).)*)", re.S)


def load_decisions(path: str | Path | None = None) -> dict[str, str]:
    """The vocabulary as {normalised word: class}; default ``analysis/data/decisions.toml``.

    A SettingsError names the file and the bad key (an unknown class, a word given twice for
    two classes, a value that is not a list of words).
    """
    from ..settings import data_path, parse_toml, toml_line

    file = str(path) if path is not None else str(data_path("decisions.toml"))
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"cannot read the decision vocabulary: {exc}", file=file) from exc
    data = parse_toml(text, source=file, what="decision vocabulary")
    for section in data:
        if section != "classes":
            raise SettingsError(f"unknown section [{section}]; allowed: [classes]", file=file,
                                field=section, line=toml_line(text, section))
    words: dict[str, str] = {}
    for name, listed in data.get("classes", {}).items():
        where = f"classes.{name}"
        if name not in CLASSES:
            raise SettingsError(f"unknown class {name!r}; allowed: {', '.join(CLASSES)}", file=file,
                                field=where, line=toml_line(text, where))
        if not isinstance(listed, list) or not all(isinstance(w, str) and w.strip() for w in listed):
            raise SettingsError("expected a list of words", file=file, field=where,
                                line=toml_line(text, where))
        for word in listed:
            key = normalize_decision(word)
            if words.get(key, name) != name:
                raise SettingsError(f"「{word}」 is a word of both {words[key]} and {name}", file=file,
                                    field=where, line=toml_line(text, where))
            words[key] = name
    return words


def normalize_decision(text: str) -> str:
    """A decision cell folded for matching: NFKC, no whitespace, no leading numbering.

    >>> normalize_decision("（２）　改革 改善")
    '改革改善'
    """
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _NUMBERING.sub("", folded, count=1)


def marked_options(text: str) -> list[tuple[str, bool]] | None:
    """The options of a check-box cell as (option, checked), or None when the cell is not one:
    it must start with a mark, give a word after every mark, and carry some mark other than the
    bullet ``・`` (「・継続」 is a word after a bullet, not a check box).

    >>> marked_options("□拡充　■継続　□改善")
    [('拡充', False), ('継続', True), ('改善', False)]
    >>> marked_options("〇継続"), marked_options("・継続"), marked_options("継続・拡充")
    ([('継続', True)], None, None)
    """
    cell = unicodedata.normalize("NFKC", text).strip()
    if not cell or cell[0] not in _MARKS:
        return None
    options = [(mark, re.sub(r"[\s,、]+$", "", word).strip()) for mark, word in _OPTION.findall(cell)]
    if any(not word for _, word in options) or all(mark == "・" for mark, _ in options):
        return None  # a mark with no option, or a list of bullets (・継続・拡充)
    return [(word, mark in CHECKED_MARKS or (mark in CIRCLE_MARKS and all(
        other in BOX_MARKS for j, (other, _) in enumerate(options) if j != k)))
        for k, (mark, word) in enumerate(options)]


def decision_note(text: str, vocabulary: dict[str, str]) -> str:
    """Why a check-box cell has no class, for a warning: which options are checked (none, or
    several); "" for any other cell."""
    options = marked_options(text)
    if options is None:
        return ""
    checked = [word for word, on in options if on]
    if not checked:
        return f"チェックの付いた選択肢がありません（{'、'.join(word for word, _ in options)}）"
    if len(checked) > 1:
        return f"チェックが{len(checked)}つの選択肢（{'、'.join(checked)}）に付いています"
    if _word_class(checked[0], vocabulary) == UNKNOWN:
        return f"チェックの付いた「{checked[0]}」が decisions.toml にありません"
    return ""


def decision_class(text: str, vocabulary: dict[str, str]) -> DecisionClass:
    """The class of a decision cell, or ``unknown`` (see the module docstring)."""
    options = marked_options(text)
    if options is not None:
        checked = [word for word, on in options if on]
        return _word_class(checked[0], vocabulary) if len(checked) == 1 else UNKNOWN
    return _word_class(text, vocabulary)


def _word_class(text: str, vocabulary: dict[str, str]) -> DecisionClass:
    folded = normalize_decision(text)
    if not folded:
        return UNKNOWN
    if folded in vocabulary:
        return vocabulary[folded]
    bare = _NOTE.sub("", folded)
    if bare in vocabulary:
        return vocabulary[bare]
    found = {vocabulary.get(part) for part in _PARTS.split(bare) if part}
    if len(found) == 1 and None not in found:
        return found.pop()
    return UNKNOWN
