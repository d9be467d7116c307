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


def decision_class(text: str, vocabulary: dict[str, str]) -> DecisionClass:
    """The class of a decision cell, or ``unknown`` (see the module docstring)."""
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
