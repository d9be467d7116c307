"""Themes: code every text unit with the themes of an editable lexicon (KH Coder-style rules).

A theme is a name, a description, plain ``terms`` and boolean ``rules`` (grammar documented at the
top of ``analysis/data/themes.toml``).  Matching is on normalized forms and on variant-folded
surfaces, never on the original text, which is kept for evidence.

How a word matches a sentence: both the lexicon word and the sentence are cut into Sudachi's
shortest units (split mode A, inside each token of the sentence's own split mode), and the word
matches where the concatenation of its units' normalized forms (or of its folded surfaces) equals
a run of the sentence's units.  So 担い手不足 matches 担い手|不足, 相談 matches inside the mode-C
word 相談窓口, 見守り matches 見守る, and 取組 matches 取り組み; but 連携 never matches inside an
unrelated longer word that Sudachi does not split there.

A theme is decided per sentence (its ``not`` and ``near`` look at one sentence); a text unit
carries a theme when at least one of its sentences does.  Counts are numbers of text units.

Speed: each distinct token is cut into units once per process (memoized by surface and normalized
form); a sentence's units are read from the token columns (no :class:`Token` objects); every
word of the lexicon is found in one walk from the units that start some word, along a set of
word prefixes; and only the themes whose words occur are evaluated (plus any theme that can hold
without a word, such as ``!A``).  The result is the plain definition above, checked in
``tests/test_themes.py`` against a reference that searches every pattern of every theme.

>>> lexicon = parse_lexicon('''
... [[theme]]
... name = "担い手不足"
... terms = ["担い手不足"]
... rules = ["near(担い手, 確保, 3) & 課題"]
... ''')
>>> from analysis.tokens import tokenize
>>> [m.words for m in match_sentence(lexicon, tokenize("新たな担い手の確保が課題となった。")[0])["担い手不足"]]
[('担い手', '確保', '課題')]
>>> match_sentence(lexicon, tokenize("担い手の育成に取り組んだ。")[0])
{}
"""

from __future__ import annotations

import functools
import gc
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Literal, Sequence

from .errors import SettingsError, check_choice, toml_error
from .textnorm import match_form
from .tokens import Sentence, Token, Tokens, default_variants, tokenizer

DEFAULT_WINDOW = 5
COUNT_BY = ("generation", "goal", "field", "direction")


# --------------------------------------------------------------------------------------------
# Matching primitives (shared with analysis.stance)

def _fold(text: str, variants: dict[str, str]) -> str:
    """The matching form of a word: :func:`analysis.textnorm.match_form` (NFKC, variants folded,
    no whitespace), lower-cased so that ＮＰＯ = NPO = npo."""
    return match_form(text, variants).lower()


_fold_tables: tuple = (None, None)
_SPACE = re.compile(r"\s+")


def _fold_fast(text: str, variants: dict[str, str]) -> str:
    """:func:`_fold` with the variant table's translation built once per table (``match_form``
    rebuilds it on every call); tests check that both agree."""
    global _fold_tables
    table, mapping = _fold_tables
    if table is not variants:
        mapping = {ord(a): ord(b) for a, b in variants.items() if a != b}
        _fold_tables = (variants, mapping)
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(mapping)).lower()


@functools.lru_cache(maxsize=65536)
def _short_units(surface: str) -> tuple[tuple[str, str], ...]:
    """``(surface, norm)`` of the shortest Sudachi units (mode A) of one word."""
    if not surface:
        return ()
    try:
        morphemes = tokenizer("A").tokenize(surface)
    except Exception:  # a piece Sudachi refuses stays whole rather than failing the match
        return ((surface, surface),)
    return tuple((m.surface(), m.normalized_form()) for m in morphemes)


@dataclass(frozen=True)
class Pattern:
    """A lexicon word compiled for matching: its normalized and folded-surface strings."""

    text: str
    norm: str
    surface: str


def compile_pattern(text: str, *, variants: dict[str, str] | None = None) -> Pattern:
    """Compile a word or phrase (tokenized like the sentences it will be matched against).

    >>> compile_pattern("取組").norm
    '取り組み'
    """
    if variants is None:
        variants = default_variants()
    folded = _fold(text, variants)
    units = _short_units(folded)
    return Pattern(text=text, norm="".join(n.lower() for _, n in units), surface=folded)


# Per-token short units, memoized by (surface, norm) for each variant table: distinct tokens are
# far fewer than tokens, and cutting one into mode-A units costs a Sudachi call.
_UNIT_MEMO_MAX = 200_000  # distinct tokens kept (a 20 MB text has far fewer)
_unit_memos: dict[int, tuple[dict, dict]] = {}


def _unit_memo(variants: dict[str, str]) -> "_Memo":
    entry = _unit_memos.get(id(variants))
    if entry is None or entry[0] is not variants:
        if len(_unit_memos) > 8:
            _unit_memos.clear()
        entry = _unit_memos[id(variants)] = (variants, _Memo(lambda surface, norm: _unit_info(surface, norm, variants)))
    return entry[1]


def _token_units(surface: str, norm: str, variants: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``(folded surface, lower-cased norm)`` of the short units of one token, as matched;
    ``()`` for whitespace (nothing to match, and no boundary of its own)."""
    folded = _fold_fast(surface, variants)
    if not folded:
        return ()
    units = _short_units(folded) if len(folded) > 1 else ((folded, norm),)
    if "".join(s for s, _ in units) != folded or len(units) <= 1:
        units = ((folded, norm),)
    return tuple((s, n.lower()) for s, n in units)


def _sentence_columns(sentence: Sentence) -> tuple[list[str], list[str], list[int] | None, list[int]]:
    """Surfaces, normalized forms, begins and ends (relative to the sentence) of its tokens;
    ``None`` for the begins when each token begins where the previous one ends.

    Read from the text's token columns when the sentence has them and no :class:`Token` objects
    were built yet (building them costs about as much as tokenizing); else from ``tokens``."""
    columns = getattr(sentence, "_columns", None)
    if columns is not None and getattr(sentence, "_tokens", ()) is None:
        try:
            ends = columns.ends[sentence._lo:sentence._hi].tolist()
            norms = sentence.norms
        except AttributeError:  # the columns changed shape: read the tokens
            pass
        else:
            text = sentence.text
            surfaces = list(map(text.__getitem__, map(slice, chain((0,), ends), ends)))
            return surfaces, norms, None, ends
    start = sentence.start
    tokens = sentence.tokens
    return ([t.surface for t in tokens], [t.norm for t in tokens],
            [t.begin - start for t in tokens], [t.end - start for t in tokens])


_first, _second, _third, _fourth = map(itemgetter, range(4))


def _unit_info(surface: str, norm: str, variants: dict[str, str]) -> tuple:
    """``(unit norms, unit surfaces, number of units)`` of one token (see :func:`_token_units`)."""
    units = _token_units(surface, norm, variants)
    return tuple(n for _, n in units), tuple(s for s, _ in units), len(units)


class _Memo(dict):
    """A dict that makes a missing ``(surface, norm)`` entry with ``make`` (so that a sentence's
    look-ups are one ``map`` over the dict, with no check for misses)."""

    __slots__ = ("make",)

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: tuple[str, str]) -> tuple:
        if len(self) > _UNIT_MEMO_MAX:
            self.clear()
        value = self[key] = self.make(*key)
        return value


def _lookup(memo: _Memo, surfaces: list[str], norms: list[str]) -> list[tuple]:
    """``memo[(surface, norm)]`` for each token of a sentence (made when missing)."""
    return list(map(memo.__getitem__, zip(surfaces, norms)))


class SentenceView:
    """A sentence prepared for matching: short units with their parent token index."""

    def __init__(self, sentence: Sentence, *, variants: dict[str, str] | None = None) -> None:
        if variants is None:
            variants = default_variants()
        surfaces, norms, begins, ends = _sentence_columns(sentence)
        memo = _unit_memo(variants)
        infos = _lookup(memo, surfaces, norms)
        self._setup(sentence, infos, begins, ends)

    @classmethod
    def _from_infos(cls, sentence: Sentence, infos: list[tuple], begins: list[int],
                    ends: list[int]) -> "SentenceView":
        view = cls.__new__(cls)
        view._setup(sentence, infos, begins, ends)
        return view

    def _setup(self, sentence: Sentence, infos: list[tuple], begins: list[int], ends: list[int]) -> None:
        self.sentence = sentence
        self._begins = begins
        self._ends = ends
        # units of the sentence: lower-cased normalized forms, folded surfaces, parent token index
        self._norm_units: list[str] = list(chain.from_iterable(map(_first, infos)))
        self._surf_units: list[str] = list(chain.from_iterable(map(_second, infos)))
        self._parent: list[int] = list(chain.from_iterable(map(repeat, range(len(infos)), map(_third, infos))))
        self._norm: str | None = None
        self._surface: str | None = None
        self._bounds: tuple[dict[int, int], dict[int, int]] | None = None
        self._hits: tuple | None = None  # set by index_hits(): every indexed needle's spans

    @property
    def norm(self) -> str:
        """The sentence's units' lower-cased normalized forms, joined."""
        if self._norm is None:
            self._norm = "".join(self._norm_units)
        return self._norm

    @property
    def surface(self) -> str:
        """The sentence's units' folded surfaces, joined."""
        if self._surface is None:
            self._surface = "".join(self._surf_units)
        return self._surface

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.sentence.tokens

    def _offsets(self) -> tuple[dict[int, int], dict[int, int]]:
        """``{char offset: unit index}`` at every unit boundary of the normalized and surface strings."""
        if self._bounds is None:
            bounds = []
            for units in (self._norm_units, self._surf_units):
                table = {0: 0}
                offset = 0
                for number, unit in enumerate(units, 1):
                    offset += len(unit)
                    table[offset] = number
                bounds.append(table)
            self._bounds = (bounds[0], bounds[1])
        return self._bounds

    def _scan(self, units: list[str], prefixes: frozenset[str], needles: frozenset[str],
              haystack: str, bounds_at: int) -> dict[str, set[tuple[int, int]]]:
        """Every needle that equals a run of ``units``, with its token spans: the occurrences
        :meth:`find` finds (from a unit boundary to a unit boundary), for all needles at once."""
        hits: dict[str, set[tuple[int, int]]] = {}
        parent = self._parent
        if "" in units:  # an empty unit shares its offset with a neighbour: scan by offsets
            items = list(self._offsets()[bounds_at].items())  # increasing offsets
            size = len(items)
            for i in range(size - 1):
                start, first = items[i]
                for j in range(i + 1, size):
                    end, last = items[j]
                    piece = haystack[start:end]
                    if piece not in prefixes:
                        break
                    if piece in needles:
                        hits.setdefault(piece, set()).add((parent[first], parent[last - 1] + 1))
            return hits
        size = len(units)
        for i in compress(range(size), map(prefixes.__contains__, units)):
            piece = units[i]
            j = i
            while True:
                if piece in needles:
                    found = hits.get(piece)
                    if found is None:
                        found = hits[piece] = set()
                    found.add((parent[i], parent[j] + 1))
                j += 1
                if j == size:
                    break
                piece += units[j]
                if piece not in prefixes:
                    break
        return hits

    def index_hits(self, index: "_LexiconIndex") -> tuple[Iterable[str], Iterable[str]]:
        """Find every needle of ``index`` at once (later :meth:`find` calls on its patterns are
        look-ups); returns the normalized and folded-surface needles found."""
        norm_hits = self._scan(self._norm_units, index.norm_prefixes, index.norms, self.norm, 0)
        surf_hits = self._scan(self._surf_units, index.surf_prefixes, index.surfaces, self.surface, 1)
        self._hits = (norm_hits, surf_hits, index.norms, index.surfaces, {})
        return norm_hits.keys(), surf_hits.keys()

    def find(self, pattern: Pattern) -> list[tuple[int, int]]:
        """Token spans ``(first, last + 1)`` where ``pattern`` matches, in order, deduplicated."""
        hits = self._hits
        if hits is not None:
            norm_hits, surf_hits, norms, surfaces, done = hits
            spans = done.get(pattern)
            if spans is not None:
                return list(spans)
            if (not pattern.norm or pattern.norm in norms) and (not pattern.surface or pattern.surface in surfaces):
                a = norm_hits.get(pattern.norm)
                b = surf_hits.get(pattern.surface)
                spans = done[pattern] = tuple(sorted(a | b if a and b else a or b or ()))
                return list(spans)
        spans: set[tuple[int, int]] = set()
        norm_bounds, surf_bounds = self._offsets()
        for haystack, needle, bounds in ((self.norm, pattern.norm, norm_bounds),
                                          (self.surface, pattern.surface, surf_bounds)):
            if not needle:
                continue
            start = haystack.find(needle)
            while start >= 0:
                end = start + len(needle)
                if start in bounds and end in bounds:
                    first, last = bounds[start], bounds[end]
                    spans.add((self._parent[first], self._parent[last - 1] + 1))
                start = haystack.find(needle, start + 1)
        return sorted(spans)

    def words(self, span: tuple[int, int]) -> str:
        """The original wording of a token span (as written in the source)."""
        first, last = span
        begins, ends = self._begins, self._ends
        begin = begins[first] if begins is not None else ends[first - 1] if first else 0
        return self.sentence.text[begin:ends[last - 1]].strip()


# --------------------------------------------------------------------------------------------
# Rule grammar

@dataclass(frozen=True)
class Word:
    pattern: Pattern


@dataclass(frozen=True)
class Near:
    left: tuple[Pattern, ...]  # alternatives
    right: tuple[Pattern, ...]
    window: int
    ordered: bool


@dataclass(frozen=True)
class ThemeRef:
    name: str


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class And:
    operands: tuple


@dataclass(frozen=True)
class Or:
    operands: tuple


class RuleSyntaxError(ValueError):
    pass


_TOKEN = re.compile(r'\s*(?:(?P<op>[&|!(),])|"(?P<phrase>[^"]*)"|(?P<word>[^\s&|!(),"]+))')


def _lex(rule: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    rule = rule.strip()
    while pos < len(rule):
        match = _TOKEN.match(rule, pos)
        if match is None or match.end() == pos:
            rest = rule[pos:].strip()
            if rest.startswith('"'):
                raise RuleSyntaxError(f'unclosed quote: expected a closing " after {rest!r}')
            raise RuleSyntaxError(f"unexpected text {rest!r}")
        pos = match.end()
        if match.group("op") is not None:
            out.append(("op", match.group("op")))
        elif match.group("phrase") is not None:
            out.append(("phrase", match.group("phrase")))
        elif match.group("word") is not None:
            word = match.group("word")
            lowered = word.lower()
            if lowered in ("and", "or", "not"):
                out.append(("op", {"and": "&", "or": "|", "not": "!"}[lowered]))
            else:
                out.append(("word", word))
    return out


class _Parser:
    def __init__(self, rule: str, variants: dict[str, str]) -> None:
        self.rule = rule
        self.items = _lex(rule)
        self.pos = 0
        self.variants = variants

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise RuleSyntaxError("unexpected end of rule: expected a word, a \"phrase\", near(…), theme:NAME or (")
        self.pos += 1
        return item

    def expect(self, op: str, what: str) -> None:
        item = self.peek()
        if item != ("op", op):
            got = "end of rule" if item is None else repr(item[1])
            raise RuleSyntaxError(f"expected {what} but found {got}")
        self.pos += 1

    def parse(self):
        if not self.items:
            raise RuleSyntaxError("empty rule: expected a word, a \"phrase\", near(…), theme:NAME or (")
        node = self.parse_or()
        if self.peek() is not None:
            raise RuleSyntaxError(f"expected & or | or the end of the rule but found {self.peek()[1]!r}")
        return node

    def parse_or(self):
        operands = [self.parse_and()]
        while self.peek() == ("op", "|"):
            self.pos += 1
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self):
        operands = [self.parse_not()]
        while self.peek() == ("op", "&"):
            self.pos += 1
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self):
        if self.peek() == ("op", "!"):
            self.pos += 1
            return Not(self.parse_not())
        return self.parse_primary()

    def alternatives(self, what: str) -> tuple[Pattern, ...]:
        patterns = [self.pattern(what)]
        while self.peek() == ("op", "|"):
            self.pos += 1
            patterns.append(self.pattern(what))
        return tuple(patterns)

    def pattern(self, what: str) -> Pattern:
        kind, value = self.take()
        if kind not in ("word", "phrase") or value.lower().startswith("theme:"):
            raise RuleSyntaxError(f"expected a word or \"phrase\" as {what} but found {value!r}")
        if not value.strip():
            raise RuleSyntaxError(f"empty phrase as {what}")
        return compile_pattern(value, variants=self.variants)

    def parse_primary(self):
        kind, value = self.take()
        if kind == "op":
            if value == "(":
                node = self.parse_or()
                self.expect(")", "a closing )")
                return node
            raise RuleSyntaxError(f"expected a word, a \"phrase\", near(…), theme:NAME or ( but found {value!r}")
        if kind == "word" and value.lower() in ("near", "seq") and self.peek() == ("op", "("):
            self.pos += 1
            left = self.alternatives(f"the first argument of {value}()")
            self.expect(",", f"a comma after the first argument of {value}()")
            right = self.alternatives(f"the second argument of {value}()")
            window = DEFAULT_WINDOW
            if self.peek() == ("op", ","):
                self.pos += 1
                _, number = self.take()
                if not number.isdigit():
                    raise RuleSyntaxError(f"expected a whole number of tokens as the third argument of {value}() but found {number!r}")
                window = int(number)
            self.expect(")", f"a closing ) after the arguments of {value}()")
            return Near(left, right, window, ordered=value.lower() == "seq")
        if kind == "word" and value.lower().startswith("theme:"):
            name = value[len("theme:"):]
            if not name:
                raise RuleSyntaxError("expected a theme name after theme:")
            return ThemeRef(name)
        if not value.strip():
            raise RuleSyntaxError("empty phrase")
        return Word(compile_pattern(value, variants=self.variants))


def parse_rule(rule: str, *, variants: dict[str, str] | None = None):
    """Parse one rule into its syntax tree (raises :class:`RuleSyntaxError` saying what was expected).

    >>> type(parse_rule("near(担い手, 不足, 5) & !研修")).__name__
    'And'
    >>> parse_rule("担い手 &")
    Traceback (most recent call last):
    ...
    analysis.themes.RuleSyntaxError: unexpected end of rule: expected a word, a "phrase", near(…), theme:NAME or (
    """
    return _Parser(rule, default_variants() if variants is None else variants).parse()


def _refs(node) -> Iterable[str]:
    if isinstance(node, ThemeRef):
        yield node.name
    elif isinstance(node, Not):
        yield from _refs(node.operand)
    elif isinstance(node, (And, Or)):
        for operand in node.operands:
            yield from _refs(operand)


# --------------------------------------------------------------------------------------------
# Lexicon

@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    terms: tuple[Pattern, ...]
    rules: tuple[tuple[str, object], ...]  # (rule text, syntax tree)
    line: int | None = None
    rule_lines: tuple[int | None, ...] = ()

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "terms": [p.text for p in self.terms], "rules": [r for r, _ in self.rules]}


@dataclass(frozen=True)
class Lexicon:
    """Themes in file order, and where they came from."""

    themes: tuple[Theme, ...]
    source: str | None = None

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.themes]

    def get(self, name: str) -> Theme:
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise SettingsError(f"no theme named {name!r}; known: {', '.join(self.names)}", file=self.source)

    def to_dict(self) -> dict:
        return {"source": self.source, "themes": [t.to_dict() for t in self.themes]}


def _find_line(lines: list[str], needle: str, start: int) -> int | None:
    for number in range(max(start, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    for number in range(1, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return None


def _name_line(lines: list[str], name: str, start: int) -> int | None:
    """Line of ``name = "NAME"`` at or after ``start`` (else anywhere)."""
    pattern = re.compile(rf"""^\s*name\s*=\s*["']{re.escape(name)}["']""")
    for first in (start, 1):
        for number in range(max(first, 1), len(lines) + 1):
            if pattern.match(lines[number - 1]):
                return number
    return _find_line(lines, name, start)


def parse_lexicon(text: str, *, source: str | None = None, variants: dict[str, str] | None = None) -> Lexicon:
    """Parse a theme lexicon from TOML text (errors name ``source`` and the line)."""
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
                            file=source, line=_find_line(lines, unknown[0], 1))
    entries = data.get("theme", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SettingsError("expected [[theme]] tables", file=source)
    themes: list[Theme] = []
    seen: dict[str, int | None] = {}
    cursor = 1
    for entry in entries:
        name = entry.get("name")
        line = _name_line(lines, name, cursor) if isinstance(name, str) else None
        if not isinstance(name, str) or not name.strip():
            raise SettingsError("a [[theme]] needs a name = \"…\"", file=source, line=_find_line(lines, "[[theme]]", cursor))
        cursor = line or cursor
        for key in entry:
            if key not in ("name", "description", "terms", "rules"):
                raise SettingsError(f"unknown key {key!r} in theme {name!r}; expected name, description, terms, rules",
                                    file=source, line=_find_line(lines, key, cursor))
        if name in seen:
            raise SettingsError(f"theme {name!r} is defined twice (first at line {seen[name]})", file=source, line=line)
        seen[name] = line
        description = entry.get("description", "")
        terms = entry.get("terms", [])
        rules = entry.get("rules", [])
        for key, value in (("terms", terms), ("rules", rules)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{key} of theme {name!r} must be a list of strings",
                                    file=source, line=_find_line(lines, key, cursor))
        if not terms and not rules:
            raise SettingsError(f"theme {name!r} has neither terms nor rules", file=source, line=line)
        patterns = []
        for term in terms:
            if not _fold(term, variants):
                raise SettingsError(f"empty term in theme {name!r}", file=source, line=_find_line(lines, "terms", cursor))
            patterns.append(compile_pattern(term, variants=variants))
        parsed = []
        for rule in rules:
            rule_line = _find_line(lines, rule, cursor) if rule else None
            try:
                tree = parse_rule(rule, variants=variants)
            except RuleSyntaxError as exc:
                raise SettingsError(f"rule {rule!r} of theme {name!r}: {exc}", file=source,
                                    line=rule_line or line) from None
            parsed.append((rule, tree, rule_line or line))
        themes.append(Theme(name=name, description=description if isinstance(description, str) else "",
                            terms=tuple(patterns), rules=tuple((r, t) for r, t, _ in parsed), line=line,
                            rule_lines=tuple(ln for _, _, ln in parsed)))
    names = {t.name for t in themes}
    for theme in themes:
        for (rule, tree), rule_line in zip(theme.rules, theme.rule_lines):
            for ref in _refs(tree):
                if ref not in names:
                    raise SettingsError(f"rule {rule!r} of theme {theme.name!r} names an unknown theme {ref!r}",
                                        file=source, line=rule_line)
    _check_cycles(themes, source)
    return Lexicon(themes=tuple(themes), source=source)


def _check_cycles(themes: list[Theme], source: str | None) -> None:
    graph = {t.name: {ref for _, tree in t.rules for ref in _refs(tree)} for t in themes}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = " → ".join(path[path.index(name):] + [name])
            line = next((t.line for t in themes if t.name == name), None)
            raise SettingsError(f"themes refer to each other in a circle: {cycle}", file=source, line=line)
        state[name] = 1
        for ref in sorted(graph[name]):
            visit(ref, path + [name])
        state[name] = 2

    for theme in themes:
        visit(theme.name, [])


def load_lexicon(path: str | Path | None = None, *, settings=None) -> Lexicon:
    """Read a theme lexicon (default: the ``[data] lexicon`` of ``settings``, the bundled one)."""
    if path is None:
        from .settings import default_settings

        path = (settings or default_settings()).data_file("lexicon")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SettingsError("theme lexicon not found", file=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read theme lexicon: {exc}", file=str(path)) from exc
    return parse_lexicon(text, source=str(path))


# --------------------------------------------------------------------------------------------
# Coding

@dataclass(frozen=True)
class ThemeMatch:
    """Why a sentence carries a theme: the deciding words as written, and the sentence."""

    theme: str
    words: tuple[str, ...]
    sentence: str
    sentence_index: int

    def to_dict(self) -> dict:
        return {"theme": self.theme, "words": list(self.words), "sentence": self.sentence,
                "sentence_index": self.sentence_index}


def _evaluate(node, view: SentenceView, memo: dict, lexicon: Lexicon) -> tuple[bool, list[tuple[int, int]]]:
    """Truth of a rule on one sentence, with the token spans that made it true."""
    if isinstance(node, Word):
        spans = view.find(node.pattern)
        return bool(spans), spans[:1]
    if isinstance(node, Near):
        lefts = sorted({span for p in node.left for span in view.find(p)})
        rights = sorted({span for p in node.right for span in view.find(p)})
        for a in lefts:
            for b in rights:
                if a == b:
                    continue
                if node.ordered and b[0] < a[1]:
                    continue
                gap = max(b[0] - a[1], a[0] - b[1], 0)
                if gap <= node.window:
                    return True, [a, b]
        return False, []
    if isinstance(node, ThemeRef):
        spans = _theme_spans(lexicon.get(node.name), view, memo, lexicon)
        return spans is not None, spans or []
    if isinstance(node, Not):
        ok, _ = _evaluate(node.operand, view, memo, lexicon)
        return not ok, []
    if isinstance(node, And):
        spans: list = []
        for operand in node.operands:
            ok, found = _evaluate(operand, view, memo, lexicon)
            if not ok:
                return False, []
            spans.extend(found)
        return True, spans
    if isinstance(node, Or):
        for operand in node.operands:
            ok, found = _evaluate(operand, view, memo, lexicon)
            if ok:
                return True, found
        return False, []
    raise TypeError(node)


def _theme_spans(theme: Theme, view: SentenceView, memo: dict, lexicon: Lexicon):
    """Spans deciding ``theme`` on the sentence, or None when it does not match."""
    if theme.name in memo:
        return memo[theme.name]
    memo[theme.name] = None  # cycles are rejected at load time; this guards recursion anyway
    spans: list[tuple[int, int]] = []
    for pattern in theme.terms:
        spans.extend(view.find(pattern))
    matched = bool(spans)
    for _, tree in theme.rules:
        ok, found = _evaluate(tree, view, memo, lexicon)
        if ok:
            matched = True
            spans.extend(found)
    result = sorted(set(spans)) if matched else None
    memo[theme.name] = result
    return result


class _LexiconIndex:
    """Every needle of a lexicon (normalized and folded-surface strings of its patterns, with all
    their prefixes, for one scan per sentence), and which themes each needle can make true.

    A theme can only match a sentence where one of its *trigger* needles occurs, unless one of its
    rules can hold without any word present (``!A``, or ``theme:X`` of such a theme): those themes
    are evaluated on every sentence."""

    def __init__(self, lexicon: Lexicon) -> None:
        norms: set[str] = set()
        surfaces: set[str] = set()
        for theme in lexicon.themes:
            for pattern in _patterns(theme):
                norms.add(pattern.norm)
                surfaces.add(pattern.surface)
        norms.discard("")
        surfaces.discard("")
        self.norms = frozenset(norms)
        self.surfaces = frozenset(surfaces)
        self.norm_prefixes = frozenset(n[:k] for n in norms for k in range(1, len(n) + 1))
        self.surf_prefixes = frozenset(s[:k] for s in surfaces for k in range(1, len(s) + 1))
        needs: dict[str, tuple[frozenset, frozenset] | None] = {}
        for theme in lexicon.themes:
            _theme_needs(theme, lexicon, needs)
        self.has_empty = False  # a token with an empty unit was seen
        self._memo_variants: dict | None = None
        self._token_memo: dict = {}
        self.always: list[int] = []  # themes evaluated on every sentence
        self.by_norm: dict[str, list[int]] = {}
        self.by_surface: dict[str, list[int]] = {}
        for number, theme in enumerate(lexicon.themes):
            need = needs[theme.name]
            if need is None:
                self.always.append(number)
                continue
            for needle in need[0]:
                self.by_norm.setdefault(needle, []).append(number)
            for needle in need[1]:
                self.by_surface.setdefault(needle, []).append(number)

    def token_memo(self, variants: dict[str, str]) -> dict:
        """``{(surface, norm): (unit norms, unit surfaces, number of units, may start a needle)}``
        for the tokens seen so far with ``variants``."""
        if self._memo_variants is not variants:
            self._memo_variants = variants
            self._token_memo = _Memo(lambda surface, norm: self.token_info(surface, norm, variants))
        return self._token_memo

    def token_info(self, surface: str, norm: str, variants: dict[str, str]) -> tuple:
        info = _unit_memo(variants)[(surface, norm)]
        norm_prefixes, surf_prefixes = self.norm_prefixes, self.surf_prefixes
        empty = "" in info[0] or "" in info[1]
        if empty:
            self.has_empty = True
        # where a word of the lexicon may start (a token with an empty unit is flagged too, so
        # that the general scan by offsets sees it)
        norm_starts = tuple(k for k, n in enumerate(info[0]) if n in norm_prefixes)
        surf_starts = tuple(k for k, s in enumerate(info[1]) if s in surf_prefixes)
        return (*info, bool(empty or norm_starts or surf_starts), empty, norm_starts, surf_starts)

    def candidates(self, norms: Iterable[str], surfaces: Iterable[str]) -> list[int]:
        """Positions (in lexicon order) of the themes that may match, given the needles found."""
        found = set(self.always)
        by_norm, by_surface = self.by_norm, self.by_surface
        for needle in norms:
            found.update(by_norm.get(needle, ()))
        for needle in surfaces:
            found.update(by_surface.get(needle, ()))
        return sorted(found)


def _patterns(theme: Theme) -> Iterable[Pattern]:
    yield from theme.terms
    stack = [tree for _, tree in theme.rules]
    while stack:
        node = stack.pop()
        if isinstance(node, Word):
            yield node.pattern
        elif isinstance(node, Near):
            yield from node.left
            yield from node.right
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (And, Or)):
            stack.extend(node.operands)


_NEVER = (frozenset(), frozenset())


def _needles(patterns: Iterable[Pattern]) -> tuple[frozenset, frozenset]:
    patterns = list(patterns)
    return (frozenset(p.norm for p in patterns if p.norm), frozenset(p.surface for p in patterns if p.surface))


def _node_needs(node, lexicon: Lexicon, needs: dict):
    """Needles one of which must occur for ``node`` to hold (``None``: it may hold without any)."""
    if isinstance(node, Word):
        return _needles([node.pattern])
    if isinstance(node, Near):
        return _needles(node.left)  # near() needs one of its first alternatives
    if isinstance(node, ThemeRef):
        for theme in lexicon.themes:
            if theme.name == node.name:
                return _theme_needs(theme, lexicon, needs)
        return None
    if isinstance(node, Not):
        return None
    if isinstance(node, And):  # any operand's needs will do: take the narrowest
        found = [n for n in (_node_needs(op, lexicon, needs) for op in node.operands) if n is not None]
        return min(found, key=lambda n: len(n[0]) + len(n[1])) if found else None
    if isinstance(node, Or):
        norms: set[str] = set()
        surfaces: set[str] = set()
        for operand in node.operands:
            need = _node_needs(operand, lexicon, needs)
            if need is None:
                return None
            norms |= need[0]
            surfaces |= need[1]
        return frozenset(norms), frozenset(surfaces)
    return None


def _theme_needs(theme: Theme, lexicon: Lexicon, needs: dict):
    if theme.name in needs:
        return needs[theme.name]
    needs[theme.name] = None  # cycles are rejected at load time; this guards recursion anyway
    norms, surfaces = (set(n) for n in _needles(theme.terms))
    result: tuple | None = None
    for _, tree in theme.rules:
        need = _node_needs(tree, lexicon, needs)
        if need is None:
            break
        norms |= need[0]
        surfaces |= need[1]
    else:
        result = (frozenset(norms), frozenset(surfaces))
    needs[theme.name] = result
    return result


_index_memo: dict[int, tuple[Lexicon, _LexiconIndex]] = {}


def _lexicon_index(lexicon: Lexicon) -> _LexiconIndex:
    entry = _index_memo.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        if len(_index_memo) > 16:
            _index_memo.clear()
        entry = _index_memo[id(lexicon)] = (lexicon, _LexiconIndex(lexicon))
    return entry[1]


def match_sentence(lexicon: Lexicon, sentence: Sentence, *, index: int = 0,
                   variants: dict[str, str] | None = None) -> dict[str, list[ThemeMatch]]:
    """Themes of one sentence: ``{theme: [ThemeMatch]}`` (only the themes that match)."""
    if variants is None:
        variants = default_variants()
    return _matcher(lexicon, variants)(sentence, index)


def _matcher(lexicon: Lexicon, variants: dict[str, str]):
    """``(sentence, index) -> {theme: [ThemeMatch]}`` for one lexicon and variant table."""
    lexicon_index = _lexicon_index(lexicon)
    return functools.partial(_match, lexicon, lexicon_index, lexicon_index.token_memo(variants))


def _match(lexicon: Lexicon, lexicon_index: "_LexiconIndex", memo: "_Memo", sentence: Sentence,
           index: int) -> dict[str, list[ThemeMatch]]:
    surfaces, norms, begins, ends = _sentence_columns(sentence)
    infos = _lookup(memo, surfaces, norms)
    always = lexicon_index.always
    flagged = list(compress(range(len(infos)), map(_fourth, infos)))
    if not flagged and not always:
        return {}  # no unit can start any word of the lexicon, and no theme holds without one
    if lexicon_index.has_empty and any(infos[position][4] for position in flagged):
        # an empty unit: the general scan by character offsets
        view = SentenceView._from_infos(sentence, infos, begins, ends)
        found = view.index_hits(lexicon_index)
    else:
        norm_hits = _scan_tokens(infos, flagged, 0, lexicon_index.norm_prefixes, lexicon_index.norms)
        surf_hits = _scan_tokens(infos, flagged, 1, lexicon_index.surf_prefixes, lexicon_index.surfaces)
        if not norm_hits and not surf_hits and not always:
            return {}
        view = SentenceView._from_infos(sentence, infos, begins, ends)
        view._hits = (norm_hits, surf_hits, lexicon_index.norms, lexicon_index.surfaces, {})
        found = norm_hits.keys(), surf_hits.keys()
    return _match_view(lexicon, lexicon_index.candidates(*found), view, index)


def _scan_tokens(infos: list[tuple], flagged: list[int], side: int, prefixes: frozenset[str],
                 needles: frozenset[str]) -> dict[str, set[tuple[int, int]]]:
    """:meth:`SentenceView._scan` over the tokens' memoized units, starting only in the tokens
    that have a unit starting some needle (no unit of the sentence may be empty)."""
    hits: dict[str, set[tuple[int, int]]] = {}
    size = len(infos)
    starts_at = 5 + side
    for first in flagged:
        info = infos[first]
        units = info[side]
        for k in info[starts_at]:
            piece = units[k]
            token, rest = first, units[k + 1:]
            while True:
                if piece in needles:
                    found = hits.get(piece)
                    if found is None:
                        found = hits[piece] = set()
                    found.add((first, token + 1))
                if not rest:  # on to the next token that has units (whitespace has none)
                    token += 1
                    while token < size and not infos[token][2]:
                        token += 1
                    if token == size:
                        break
                    rest = infos[token][side]
                piece += rest[0]
                rest = rest[1:]
                if piece not in prefixes:
                    break
    return hits


def _match_view(lexicon: Lexicon, candidates: list[int], view: SentenceView,
                index: int) -> dict[str, list[ThemeMatch]]:
    themes = lexicon.themes
    memo: dict = {}
    out: dict[str, list[ThemeMatch]] = {}
    text = view.sentence.text
    for number in candidates:  # lexicon order; the others cannot match
        theme = themes[number]
        spans = _theme_spans(theme, view, memo, lexicon)
        if spans is not None:
            # a span inside another deciding span adds nothing (担い手 inside 担い手不足)
            kept = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
            words = tuple(dict.fromkeys(view.words(s) for s in kept))
            out[theme.name] = [ThemeMatch(theme.name, words, text, index)]
    return out


@dataclass
class CodedUnit:
    """A text unit and the themes it carries (theme name → the matching sentences)."""

    unit: object
    themes: dict[str, list[ThemeMatch]]

    def words(self, theme: str) -> list[str]:
        return list(dict.fromkeys(w for m in self.themes.get(theme, []) for w in m.words))

    def to_dict(self) -> dict:
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

    def __iter__(self):
        return iter(self.units)

    @property
    def theme_names(self) -> list[str]:
        return self.lexicon.names


def code_units(tokens: Tokens, lexicon: Lexicon | None = None, *,
               variants: dict[str, str] | None = None) -> CodedUnits:
    """Code every text unit with its themes (per sentence; a unit carries a theme if a sentence does)."""
    if lexicon is None:
        lexicon = load_lexicon()
    if variants is None:
        variants = default_variants()
    match = _matcher(lexicon, variants)
    names = lexicon.names
    coded = []
    enabled = gc.isenabled()
    gc.disable()  # only acyclic objects are made here: collections would be wasted work
    try:
        for unit, sentences in tokens:
            themes: dict[str, list[ThemeMatch]] = {}
            for index, sentence in enumerate(sentences):
                for name, matches in match(sentence, index).items():
                    themes.setdefault(name, []).extend(matches)
            ordered = {name: themes[name] for name in names if name in themes}
            coded.append(CodedUnit(unit=unit, themes=ordered))
    finally:
        if enabled:
            gc.enable()
    return CodedUnits(units=coded, lexicon=lexicon,
                      settings={"lexicon": lexicon.source, "split_mode": tokens.split_mode})


def _group_key(unit, by: str) -> str:
    if by == "generation":
        return str(unit.generation)
    if by == "goal":
        return f"{unit.plan_id}-G{unit.goal_number if unit.goal_number is not None else 0}"
    if by == "field":
        return unit.field
    return unit.direction_id


def theme_count_dict(coded: CodedUnits, *, by: Literal["generation", "goal", "field", "direction"] = "generation",
                     count: Literal["units", "sentences"] = "units") -> dict[str, dict[str, int]]:
    """``{theme: {group: number of text units carrying it}}``; every group of the corpus appears.

    Groups are strings (generation ``"2"``, goal ``"P2-G1"``, field, direction id).  With
    ``count="sentences"`` the numbers are sentences carrying the theme instead of text units.
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
                 count: Literal["units", "sentences"] = "units"):
    """Theme × group DataFrame: the number of text units (or sentences) carrying each theme in
    each group (see :func:`theme_count_dict`)."""
    import pandas as pd

    counts = theme_count_dict(coded, by=by, count=count)
    frame = pd.DataFrame.from_dict(counts, orient="index").reindex(coded.theme_names).fillna(0).astype(int)
    frame.index.name = "theme"
    frame.columns.name = by
    return frame


def theme_units(coded: CodedUnits, theme: str) -> list[dict]:
    """The text units carrying ``theme``: id, generation, direction, field, line, words, sentences."""
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


def themes_frame(coded: CodedUnits):
    """Unit × theme 0/1 DataFrame (index: unit id; first columns: generation, direction, field)."""
    import pandas as pd

    rows = []
    for c in coded:
        row = {"unit": c.unit.id, "generation": c.unit.generation, "direction": c.unit.direction_id,
               "field": c.unit.field}
        row.update({name: int(name in c.themes) for name in coded.theme_names})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["unit", "generation", "direction", "field", *coded.theme_names])
    return frame.set_index("unit")


# --------------------------------------------------------------------------------------------
# Candidates

def _covered(lexicon: Lexicon, text: str, *, split_mode: str) -> bool:
    from .tokens import tokenize

    return any(match_sentence(lexicon, s) for s in tokenize(text, split_mode=split_mode))


def _background(tokens: Tokens, share: float) -> set[str]:
    """Simple nouns (normalized) found in more than ``share`` of the text units."""
    if not len(tokens):
        return set()
    counts: dict[str, int] = {}
    for _, sentences in tokens:
        for norm in {t.norm for s in sentences for t in s.tokens if t.pos[0] == "名詞"}:
            counts[norm] = counts.get(norm, 0) + 1
    return {norm for norm, n in counts.items() if n / len(tokens) > share}


def theme_candidates(tokens: Tokens, lexicon: Lexicon | None = None, *, top: int = 20,
                     seed: int = 0, background: float = 0.15, min_units: int = 2,
                     cooccurrence: dict | None = None) -> list[dict]:
    """Themes the lexicon lacks, for a planner to review and add.

    Two sources: high-ranked compound terms (:func:`analysis.terms.term_table`) that no theme
    covers, and co-occurrence communities (:func:`analysis.cooccurrence.cooccurrence_graph`) most
    of whose words no theme covers.  Each candidate: ``name`` (a proposed name: its leading term),
    ``terms``, ``source`` ("terms" or "cooccurrence") and ``why`` (in Japanese).

    A compound term is proposed only if it has at least two parts, occurs in at least
    ``min_units`` text units, and has a part that is not background vocabulary (a simple noun in
    more than ``background`` of all text units, such as 地域 or 福祉 in a welfare plan).
    ``cooccurrence`` holds options for the co-occurrence graph (``min_jaccard``, ``min_frequency``).
    """
    if lexicon is None:
        lexicon = load_lexicon()
    if top <= 0:
        return []
    covered_cache: dict[str, bool] = {}

    def covered(term: str) -> bool:
        if term not in covered_cache:
            covered_cache[term] = _covered(lexicon, term, split_mode=tokens.split_mode)
        return covered_cache[term]

    candidates: list[dict] = []
    from . import terms as terms_module

    common = _background(tokens, background)
    table = terms_module.term_table(tokens, method="flr", top=None, min_parts=2)
    for rank, term in enumerate(table, 1):
        row = term.to_dict()
        word = row["term"]
        if row["document_frequency"] < min_units or all(p in common for p in row["parts"]):
            continue
        if covered(word):
            continue
        candidates.append({
            "name": word, "terms": [word], "source": "terms",
            "why": f"複合語の順位{rank}位（FLR {row['score']:.2f}、{row['document_frequency']}件のテキストに出現）で、どのテーマにも当たらない",
        })
    community_candidates: list[dict] = []
    try:
        from .cooccurrence import cooccurrence_graph
    except ImportError:  # the co-occurrence stage is optional for candidates
        cooccurrence_graph = None
    if cooccurrence_graph is not None:
        graph = cooccurrence_graph(tokens, seed=seed, **(cooccurrence or {}))
        groups: dict[object, list[str]] = {}
        labels = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True)}
        for node, data in graph.nodes(data=True):
            groups.setdefault(data.get("community"), []).append(node)
        for community, nodes in groups.items():
            if community is None or len(nodes) < 2:
                continue
            nodes.sort(key=lambda n: (-graph.degree(n, weight="weight"), str(n)))
            # One-character words and background vocabulary say too little to name a theme.
            uncovered = [labels[n] for n in nodes
                         if len(labels[n]) > 1 and str(n) not in common and not covered(labels[n])]
            if len(uncovered) < 2 or len(uncovered) * 2 <= len(nodes):
                continue
            community_candidates.append({
                "name": uncovered[0], "terms": uncovered[:10], "source": "cooccurrence",
                "why": f"共起ネットワークのまとまり（語{len(nodes)}個）のうち{len(uncovered)}個がどのテーマにも当たらない",
            })
        community_candidates.sort(key=lambda c: (-len(c["terms"]), c["name"]))
    # Interleave so both sources are seen, then cut to ``top``.
    merged: list[dict] = []
    names: set[str] = set()
    for pair in _interleave(candidates, community_candidates):
        if pair["name"] in names:
            continue
        names.add(pair["name"])
        merged.append(pair)
        if len(merged) >= top:
            break
    return merged


def _interleave(a: Sequence[dict], b: Sequence[dict]) -> Iterable[dict]:
    for index in range(max(len(a), len(b))):
        if index < len(a):
            yield a[index]
        if index < len(b):
            yield b[index]
