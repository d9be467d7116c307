"""Coding: every text unit with the themes its sentences carry, and the counts planners read.

A theme is decided per sentence (:func:`analysis.themes.match_sentence`); a text unit carries a
theme when at least one of its sentences does.  Counts are numbers of text units (or sentences).

>>> from analysis.corpus import Corpus, Direction, Goal, Plan
>>> from analysis.tokens import tokenize_units
>>> from analysis.units import text_units
>>> from analysis.themes import parse_lexicon
>>> d = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="見守り活動",
...               evaluation="見守り活動を行った。")
>>> corpus = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
...     Goal(plan_id="P2", number=1, title="g", directions=[d])])])
>>> coded = code_units(tokenize_units(text_units(corpus), cache=False),
...                    parse_lexicon('[[theme]]\\nname = "見守り"\\nterms = ["見守り"]\\n'))
>>> theme_count_dict(coded)
{'見守り': {'2': 2}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Literal

from ..errors import check_choice
from ..terms.columns import token_numbers
from ..terms.gc import without_gc
from ..tokens import Tokens, default_variants
from ..units import TextUnit
from .lexicon import Lexicon, load_lexicon
from .match import ThemeMatch
from .scan import match_units

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COUNT_BY", "CodedUnit", "CodedUnits", "code_units", "code_units_plain", "theme_count_dict",
           "theme_counts", "theme_units", "themes_frame"]

COUNT_BY = ("generation", "goal", "field", "direction")


@dataclass
class CodedUnit:
    """A text unit and the themes it carries (theme name → the matching sentences)."""

    unit: TextUnit
    themes: dict[str, list[ThemeMatch]]

    def words(self, theme: str) -> list[str]:
        """The deciding words of a theme in this unit.

        Parameters
        ----------
        theme : str
            A theme name.

        Returns
        -------
        list[str]
            The words as written, each once, in sentence order (none when the unit lacks it).
        """
        return list(dict.fromkeys(w for m in self.themes.get(theme, []) for w in m.words))

    def to_dict(self) -> dict:
        """The unit's place and its themes as plain data (the shape of ``keikaku themes --json``)."""
        u = self.unit
        return {
            "id": u.id, "plan": u.plan_id, "generation": u.generation, "goal": u.goal_number,
            "direction": u.direction_id, "field": u.field, "line": u.line,
            "themes": {name: [m.to_dict() for m in matches] for name, matches in self.themes.items()},
        }


@dataclass
class CodedUnits:
    """Every text unit coded with the themes of a lexicon."""

    units: list[CodedUnit]
    lexicon: Lexicon
    settings: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[CodedUnit]:
        return iter(self.units)

    @property
    def theme_names(self) -> list[str]:
        """The lexicon's theme names, in its order."""
        return self.lexicon.names


# Bump when what code_units gives for the same tokens and lexicon changes (the source of the
# modules below is part of the stage cache key too, so an edit to them needs no bump).
CACHE_VERSION = "coded-1"
_CODE = ("analysis.themes.coding", "analysis.themes.scan", "analysis.themes.match", "analysis.themes.patterns",
         "analysis.themes.rules", "analysis.themes.lexicon", "analysis.terms.columns")


def code_units(tokens: Tokens, lexicon: Lexicon | None = None, *,
               variants: dict[str, str] | None = None, cache: bool | None = None) -> CodedUnits:
    """Code every text unit with its themes.

    Parameters
    ----------
    tokens : analysis.tokens.Tokens
        The tokenized text units.
    lexicon : Lexicon or None, default None
        The themes (``None``: the bundled lexicon).
    variants : dict[str, str] or None, default None
        The variant table (``None``: the one the tokens were folded with, else the default).
    cache : bool or None, default None
        Reuse the coding of the same tokens with the same lexicon (:mod:`analysis.stagecache`);
        ``None``: as the tokens were made (``[tokens] cache`` of their settings).  The result is
        the same either way.

    Returns
    -------
    CodedUnits
        One :class:`CodedUnit` per text unit, in order, its themes in lexicon order, each with
        the matches of every sentence that carries it.
    """
    from .. import stagecache

    if lexicon is None:
        lexicon = load_lexicon()
    if variants is None:  # the table the texts were folded with: a city's own table matches too
        variants = tokens.variants if tokens.variants is not None else default_variants()
    enabled = stagecache.cache_wanted(tokens, cache)  # the keys cost ~0.01 s per M characters: only when used
    return stagecache.cached_stage(
        "coded", version=stagecache.code_version(CACHE_VERSION, *_CODE),
        keys=stagecache.token_keys(tokens) if enabled else None,
        inputs=(stagecache.digest(lexicon.to_dict()["themes"]), stagecache.digest(variants)),
        compute=lambda: code_units_plain(tokens, lexicon, variants=variants),
        encode=_encode_coded, decode=lambda data: _decode_coded(data, tokens, lexicon),
        enabled=enabled)


@without_gc  # only acyclic objects are made here: collections would be wasted work
def code_units_plain(tokens: Tokens, lexicon: Lexicon, *, variants: dict[str, str]) -> CodedUnits:
    """:func:`code_units` computed, never cached (the reference a cached result equals)."""
    names = lexicon.names
    coded = []
    numbers = token_numbers(tokens)  # numbered once per Tokens, shared with the terms stage
    for unit, found in zip(tokens.units, match_units(lexicon, tokens.sentences, variants=variants,
                                                     numbers=numbers)):
        themes: dict[str, list[ThemeMatch]] = {}
        for _, sentence_themes in found:
            for name, matches in sentence_themes.items():
                themes.setdefault(name, []).extend(matches)
        ordered = {name: themes[name] for name in names if name in themes}
        coded.append(CodedUnit(unit=unit, themes=ordered))
    return _coded(coded, tokens, lexicon)


def _coded(units: list[CodedUnit], tokens: Tokens, lexicon: Lexicon) -> CodedUnits:
    return CodedUnits(units=units, lexicon=lexicon,
                      settings={"lexicon": lexicon.source, "split_mode": tokens.split_mode})


def _encode_coded(coded: CodedUnits) -> list:
    """Per unit, its themes as ``(theme, ((words, sentence index), ...))`` (the sentence text is
    the tokens' own, read back on decoding)."""
    return [tuple((name, tuple((m.words, m.sentence_index) for m in matches)) for name, matches in c.themes.items())
            for c in coded.units]


@without_gc
def _decode_coded(data: list, tokens: Tokens, lexicon: Lexicon) -> CodedUnits:
    if not isinstance(data, list) or len(data) != len(tokens.units):
        raise ValueError("coded units do not fit the tokens")
    coded = []
    for unit, sentences, matches in zip(tokens.units, tokens.sentences, data):
        themes = {theme: [ThemeMatch(theme, words, sentences[index].text, index) for words, index in found]
                  for theme, found in matches}
        coded.append(CodedUnit(unit=unit, themes=themes))
    return _coded(coded, tokens, lexicon)


def _group_key(unit: TextUnit, by: str) -> str:
    if by == "generation":
        return str(unit.generation)
    if by == "goal":
        return f"{unit.plan_id}-G{unit.goal_number if unit.goal_number is not None else 0}"
    if by == "field":
        return unit.field
    return unit.direction_id


def theme_count_dict(coded: CodedUnits, *, by: Literal["generation", "goal", "field", "direction"] = "generation",
                     count: Literal["units", "sentences"] = "units") -> dict[str, dict[str, int]]:
    """Count, per theme and group, the text units (or sentences) carrying it.

    Parameters
    ----------
    coded : CodedUnits
        The coded units.
    by : {"generation", "goal", "field", "direction"}, default "generation"
        The grouping.  Groups are strings: generation ``"2"``, goal ``"P2-G1"``, field, direction id.
    count : {"units", "sentences"}, default "units"
        What is counted.

    Returns
    -------
    dict[str, dict[str, int]]
        ``{theme: {group: number}}``; every theme of the lexicon and every group of the corpus
        appears (generations in numeric order).
    """
    check_choice("by", by, COUNT_BY)
    check_choice("count", count, ("units", "sentences"))
    groups = list(dict.fromkeys(_group_key(c.unit, by) for c in coded))
    if by == "generation":
        groups.sort(key=int)
    counts = {name: {g: 0 for g in groups} for name in coded.theme_names}
    for c in coded:
        key = _group_key(c.unit, by)
        for name, matches in c.themes.items():
            counts[name][key] += 1 if count == "units" else len({m.sentence_index for m in matches})
    return counts


def theme_counts(coded: CodedUnits, *, by: Literal["generation", "goal", "field", "direction"] = "generation",
                 count: Literal["units", "sentences"] = "units") -> "pd.DataFrame":
    """The counts of :func:`theme_count_dict` as a theme × group table.

    Parameters
    ----------
    coded : CodedUnits
        The coded units.
    by : {"generation", "goal", "field", "direction"}, default "generation"
        The grouping.
    count : {"units", "sentences"}, default "units"
        What is counted.

    Returns
    -------
    pandas.DataFrame
        Index ``theme`` (lexicon order), one integer column per group.
    """
    import pandas as pd

    counts = theme_count_dict(coded, by=by, count=count)
    frame = pd.DataFrame.from_dict(counts, orient="index").reindex(coded.theme_names).fillna(0).astype(int)
    frame.index.name = "theme"
    frame.columns.name = by
    return frame


def theme_units(coded: CodedUnits, theme: str) -> list[dict]:
    """The text units carrying one theme, with their evidence.

    Parameters
    ----------
    coded : CodedUnits
        The coded units.
    theme : str
        A theme of the lexicon (an unknown name is a :class:`~analysis.errors.SettingsError`).

    Returns
    -------
    list[dict]
        Per unit: id, generation, direction, field, line, words (as written), sentences.
    """
    coded.lexicon.get(theme)  # an unknown name is an error, not an empty list
    out = []
    for c in coded:
        matches = c.themes.get(theme)
        if not matches:
            continue
        u = c.unit
        out.append({
            "id": u.id, "generation": u.generation, "direction": u.direction_id, "field": u.field,
            "line": u.line, "words": c.words(theme),
            "sentences": list(dict.fromkeys(m.sentence for m in matches)),
        })
    return out


def themes_frame(coded: CodedUnits) -> "pd.DataFrame":
    """The coded units as a unit × theme table of 0/1.

    Parameters
    ----------
    coded : CodedUnits
        The coded units.

    Returns
    -------
    pandas.DataFrame
        Index: unit id; columns: generation, direction, field, then one per theme.
    """
    import pandas as pd

    rows = []
    for c in coded:
        row = {"unit": c.unit.id, "generation": c.unit.generation, "direction": c.unit.direction_id,
               "field": c.unit.field}
        row.update({name: int(name in c.themes) for name in coded.theme_names})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["unit", "generation", "direction", "field", *coded.theme_names])
    return frame.set_index("unit")
