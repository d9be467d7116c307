"""The theme lexicon: :class:`Theme` and :class:`Lexicon`, read from TOML with errors that name the
file and the line (``analysis/data/themes.toml`` is the bundled one and documents the format).

>>> lexicon = parse_lexicon('''
... [[theme]]
... name = "見守り"
... terms = ["見守り", "安否確認"]
... rules = ["near(声かけ, 訪問)"]
... ''')
>>> lexicon.names, [p.text for p in lexicon.get("見守り").terms]
(['見守り'], ['見守り', '安否確認'])
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError, read_data_text, toml_error
from ..tokens import default_variants, settings_variants
from .patterns import Pattern, compile_pattern, fold
from .rules import Rule, RuleSyntaxError, parse_rule, rule_refs

__all__ = ["Lexicon", "Theme", "find_line", "load_lexicon", "parse_lexicon"]

_KEYS = ("name", "description", "terms", "rules")


@dataclass(frozen=True)
class Theme:
    """One theme: its name, description, plain terms and rules (with the lines they stand on)."""

    name: str
    description: str
    terms: tuple[Pattern, ...]
    rules: tuple[tuple[str, Rule], ...]  # (rule text, syntax tree)
    line: int | None = None
    rule_lines: tuple[int | None, ...] = ()

    def to_dict(self) -> dict:
        """The theme as written: name, description, terms and rule texts."""
        return {"name": self.name, "description": self.description,
                "terms": [p.text for p in self.terms], "rules": [r for r, _ in self.rules]}


@dataclass(frozen=True)
class Lexicon:
    """Themes in file order, and where they came from."""

    themes: tuple[Theme, ...]
    source: str | None = None

    @property
    def names(self) -> list[str]:
        """Theme names in file order."""
        return [t.name for t in self.themes]

    def get(self, name: str) -> Theme:
        """The theme called ``name``.

        Parameters
        ----------
        name : str
            A theme name.

        Returns
        -------
        Theme
            The theme (an unknown name is a :class:`SettingsError` listing the known ones).
        """
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise SettingsError(f"no theme named {name!r}; known: {', '.join(self.names)}", file=self.source)

    def to_dict(self) -> dict:
        """The source and every theme as written."""
        return {"source": self.source, "themes": [t.to_dict() for t in self.themes]}


def find_line(lines: list[str], needle: str, *, start: int = 1) -> int | None:
    """The line an error is about: the first line holding ``needle`` at or after ``start``, else
    the first anywhere.

    Parameters
    ----------
    lines : list[str]
        The file's lines.
    needle : str
        Text the line holds (a key, a rule).
    start : int, default 1
        The 1-based line to search from first.

    Returns
    -------
    int or None
        A 1-based line number, or ``None`` when no line holds ``needle``.

    >>> find_line(["[[theme]]", 'name = "見守り"', "[[theme]]"], "[[theme]]", start=2)
    3
    """
    for number in range(max(start, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    for number in range(1, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return None


def _quoted(rule: str, limit: int = 60) -> str:
    """A rule as an error quotes it: whole when short, else its start (the line number finds it)."""
    return repr(rule if len(rule) <= limit else rule[:limit] + "…")


_HEADER = re.compile(r"^\s*\[\[\s*theme\s*\]\]")


def _header_lines(lines: list[str]) -> list[int]:
    """The 1-based lines of the ``[[theme]]`` headers, in order."""
    return [number for number, line in enumerate(lines, 1) if _HEADER.match(line)]


def _name_line(lines: list[str], name: str, start: int) -> int | None:
    """Line of ``name = "NAME"`` at or after ``start`` (else anywhere)."""
    pattern = re.compile(rf"""^\s*name\s*=\s*["']{re.escape(name)}["']""")
    for first in (start, 1):
        for number in range(max(first, 1), len(lines) + 1):
            if pattern.match(lines[number - 1]):
                return number
    return find_line(lines, name, start=start)


def parse_lexicon(text: str, *, source: str | None = None, variants: dict[str, str] | None = None) -> Lexicon:
    """Parse a theme lexicon from TOML text.

    Parameters
    ----------
    text : str
        The TOML text: ``[[theme]]`` tables of name, description, terms and rules.
    source : str or None, default None
        The file it came from (named in errors and kept on the lexicon).
    variants : dict[str, str] or None, default None
        The variant table words are compiled with (``None``: the default table).

    Returns
    -------
    Lexicon
        The themes in file order.

    Raises
    ------
    SettingsError
        On invalid TOML, an unknown key, a bad rule, a theme defined twice, an unknown or
        circular ``theme:`` reference; with ``source`` and the line.

    >>> parse_lexicon('[[theme]]\\nname = "a"\\nrules = ["theme:b"]\\n')
    Traceback (most recent call last):
    ...
    analysis.errors.SettingsError: line 3: rule 'theme:b' of theme 'a' names an unknown theme 'b'
    """
    if variants is None:
        variants = default_variants()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, source=source, what="theme lexicon", text=text) from exc
    lines = text.splitlines()
    unknown = sorted(set(data) - {"theme"})
    if unknown:
        raise SettingsError(f"unknown key {unknown[0]!r} in theme lexicon; expected [[theme]] tables",
                            file=source, line=find_line(lines, unknown[0]))
    entries = data.get("theme", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SettingsError("expected [[theme]] tables", file=source)
    themes: list[Theme] = []
    seen: dict[str, int | None] = {}
    headers = _header_lines(lines)
    cursor = 1
    for k, entry in enumerate(entries):
        if len(headers) == len(entries):  # each [[theme]] header where TOML found it: search from there
            cursor = headers[k]
        theme = _parse_theme(entry, lines, cursor, seen, source=source, variants=variants)
        cursor = (theme.line or cursor) + 1
        themes.append(theme)
    names = {t.name for t in themes}
    for theme in themes:
        for (rule, tree), rule_line in zip(theme.rules, theme.rule_lines):
            for ref in rule_refs(tree):
                if ref not in names:
                    raise SettingsError(f"rule {_quoted(rule)} of theme {theme.name!r} names an unknown theme {ref!r}",
                                        file=source, line=rule_line)
    _check_cycles(themes, source)
    return Lexicon(themes=tuple(themes), source=source)


def _parse_theme(entry: dict, lines: list[str], cursor: int, seen: dict[str, int | None], *,
                 source: str | None, variants: dict[str, str]) -> Theme:
    """One ``[[theme]]`` table (``cursor``: the line the previous theme was found on; ``seen``:
    names so far and their lines, updated)."""
    name = entry.get("name")
    line = _name_line(lines, name, cursor) if isinstance(name, str) else None
    if not isinstance(name, str) or not name.strip():
        raise SettingsError("a [[theme]] needs a name = \"…\"", file=source,
                            line=find_line(lines, "[[theme]]", start=cursor))
    cursor = line or cursor
    for key in entry:
        if key not in _KEYS:
            raise SettingsError(f"unknown key {key!r} in theme {name!r}; expected {', '.join(_KEYS)}",
                                file=source, line=find_line(lines, key, start=cursor))
    if name in seen:
        raise SettingsError(f"theme {name!r} is defined twice (first at line {seen[name]})", file=source, line=line)
    seen[name] = line
    description = entry.get("description", "")
    terms = entry.get("terms", [])
    rules = entry.get("rules", [])
    for key, value in (("terms", terms), ("rules", rules)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{key} of theme {name!r} must be a list of strings",
                                file=source, line=find_line(lines, key, start=cursor))
    if not terms and not rules:
        raise SettingsError(f"theme {name!r} has neither terms nor rules", file=source, line=line)
    patterns = []
    for term in terms:
        if not fold(term, variants):
            raise SettingsError(f"empty term in theme {name!r}", file=source,
                                line=find_line(lines, "terms", start=cursor))
        patterns.append(compile_pattern(term, variants=variants))
    parsed = []
    for rule in rules:
        rule_line = find_line(lines, rule, start=cursor) if rule else None
        try:
            tree = parse_rule(rule, variants=variants)
        except RuleSyntaxError as exc:
            raise SettingsError(f"rule {_quoted(rule)} of theme {name!r}: {exc}", file=source,
                                line=rule_line or line) from None
        parsed.append((rule, tree, rule_line or line))
    return Theme(name=name, description=description if isinstance(description, str) else "",
                 terms=tuple(patterns), rules=tuple((r, t) for r, t, _ in parsed), line=line,
                 rule_lines=tuple(ln for _, _, ln in parsed))


# How long a chain of theme:NAME references may be (A uses theme:B, B uses theme:C …).  Matching
# follows the chain recursively; the limit keeps a hostile lexicon one clear error.
MAX_REFERENCE_DEPTH = 20


def _check_cycles(themes: list[Theme], source: str | None) -> None:
    """Raise when ``theme:`` references go round in a circle (naming the circle) or chain deeper
    than :data:`MAX_REFERENCE_DEPTH`.  Iterative, so any number of themes is checked."""
    graph = {t.name: sorted({ref for _, tree in t.rules for ref in rule_refs(tree)}) for t in themes}
    line_of = {t.name: t.line for t in themes}
    depth: dict[str, int] = {}  # done: the longest chain of references starting here
    for root in graph:
        if root in depth:
            continue
        path, stack = [root], [iter(graph[root])]
        on_path = {root}
        while stack:
            ref = next(stack[-1], None)
            if ref is None:  # every reference of path[-1] is done
                name = path.pop()
                on_path.discard(name)
                stack.pop()
                depth[name] = 1 + max((depth[r] for r in graph[name]), default=0)
                if depth[name] > MAX_REFERENCE_DEPTH:
                    raise SettingsError(f"theme {name!r} refers through a chain of more than "
                                        f"{MAX_REFERENCE_DEPTH} theme:NAME references", file=source,
                                        line=line_of.get(name))
                continue
            if ref in on_path:
                cycle = " → ".join(path[path.index(ref):] + [ref])
                raise SettingsError(f"themes refer to each other in a circle: {cycle}", file=source,
                                    line=line_of.get(ref))
            if ref not in depth:
                path.append(ref)
                on_path.add(ref)
                stack.append(iter(graph[ref]))


def load_lexicon(path: str | Path | None = None, *, settings=None) -> Lexicon:
    """Read a theme lexicon.

    Parameters
    ----------
    path : str, Path or None, default None
        The TOML file (``None``: the ``[data] lexicon`` of ``settings``, the bundled one).
    settings : analysis.settings.Settings or None, default None
        Settings naming the lexicon when ``path`` is ``None``, and the variant table its words
        are compiled with (``None``: the defaults).

    Returns
    -------
    Lexicon
        The parsed lexicon, its ``source`` the file's path.

    Raises
    ------
    SettingsError
        When the file is missing, unreadable or invalid (see :func:`parse_lexicon`).

    >>> "見守り" in load_lexicon().names
    True
    """
    if path is None:
        from ..settings import default_settings

        path = (settings or default_settings()).data_file("lexicon")
    path = Path(path)
    text = read_data_text(path, what="theme lexicon")
    # compiled with the variant table the settings fold texts with (a city's own table)
    return parse_lexicon(text, source=str(path), variants=None if settings is None else settings_variants(settings))
