"""The rule language of the theme lexicon: its syntax tree, lexer and parser.

A rule combines words and ``"phrases"`` with ``&`` (and), ``|`` (or), ``!`` (not) and
parentheses; ``near(A, B, N)`` holds where A and B stand at most N tokens apart (either order),
``seq(A, B, N)`` where B follows A; ``theme:NAME`` holds where another theme does.  The grammar is
documented at the top of ``analysis/data/themes.toml``.  Precedence: ``!`` binds tighter than
``&``, which binds tighter than ``|``.

>>> tree = parse_rule("(担い手 | なり手) & !育成")
>>> type(tree).__name__, [type(op).__name__ for op in tree.operands]
('And', ['Or', 'Not'])
>>> [p.text for p in rule_patterns(tree)]
['担い手', 'なり手', '育成']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Union

from ..tokens import default_variants
from .patterns import Pattern, compile_pattern

__all__ = ["And", "DEFAULT_WINDOW", "Near", "Not", "Or", "Rule", "RuleSyntaxError", "ThemeRef", "Word",
           "parse_rule", "rule_patterns", "rule_refs"]

DEFAULT_WINDOW = 5  # tokens between the two sides of near()/seq() when no third argument is given
# How deeply parentheses and ! may nest in one rule.  Far beyond any rule a person writes, and far
# below Python's recursion limit, so a hostile rule is one clear error, never a RecursionError.
MAX_RULE_DEPTH = 50


@dataclass(frozen=True)
class Word:
    """A word or phrase: holds where its pattern matches."""

    pattern: Pattern


@dataclass(frozen=True)
class Near:
    """``near(left, right, window)`` (``ordered``: ``seq``, right after left)."""

    left: tuple[Pattern, ...]  # alternatives
    right: tuple[Pattern, ...]
    window: int
    ordered: bool


@dataclass(frozen=True)
class ThemeRef:
    """``theme:NAME``: holds where the theme NAME does."""

    name: str


@dataclass(frozen=True)
class Not:
    """``!operand``."""

    operand: "Rule"


@dataclass(frozen=True)
class And:
    """``a & b & …``."""

    operands: tuple["Rule", ...]


@dataclass(frozen=True)
class Or:
    """``a | b | …``."""

    operands: tuple["Rule", ...]


Rule = Union[Word, Near, ThemeRef, Not, And, Or]


class RuleSyntaxError(ValueError):
    """A rule that does not parse; the message says what was expected."""


_TOKEN = re.compile(r'\s*(?:(?P<op>[&|!(),])|"(?P<phrase>[^"]*)"|(?P<word>[^\s&|!(),"]+))')
_WORD_OPS = {"and": "&", "or": "|", "not": "!"}
_START = "a word, a \"phrase\", near(…), theme:NAME or ("


def _lex(rule: str) -> list[tuple[str, str]]:
    """``(kind, value)`` pairs: kind ``op`` (``& | ! ( ) ,``; and/or/not spelled out), ``phrase`` or ``word``."""
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
            out.append(("op", _WORD_OPS[lowered]) if lowered in _WORD_OPS else ("word", word))
    return out


class _Parser:
    """Recursive descent over the lexed rule: or → and → not → primary."""

    def __init__(self, rule: str, variants: dict[str, str]) -> None:
        self.rule = rule
        self.items = _lex(rule)
        self.pos = 0
        self.variants = variants
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_RULE_DEPTH:
            raise RuleSyntaxError(f"rule nested too deep: more than {MAX_RULE_DEPTH} levels of ( or !")

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise RuleSyntaxError(f"unexpected end of rule: expected {_START}")
        self.pos += 1
        return item

    def expect(self, op: str, what: str) -> None:
        item = self.peek()
        if item != ("op", op):
            got = "end of rule" if item is None else repr(item[1])
            raise RuleSyntaxError(f"expected {what} but found {got}")
        self.pos += 1

    def parse(self) -> Rule:
        if not self.items:
            raise RuleSyntaxError(f"empty rule: expected {_START}")
        node = self.parse_or()
        if self.peek() is not None:
            raise RuleSyntaxError(f"expected & or | or the end of the rule but found {self.peek()[1]!r}")
        return node

    def parse_or(self) -> Rule:
        operands = [self.parse_and()]
        while self.peek() == ("op", "|"):
            self.pos += 1
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Rule:
        operands = [self.parse_not()]
        while self.peek() == ("op", "&"):
            self.pos += 1
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Rule:
        if self.peek() == ("op", "!"):
            self.pos += 1
            self.deeper()
            node = Not(self.parse_not())
            self.depth -= 1
            return node
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

    def parse_primary(self) -> Rule:
        kind, value = self.take()
        if kind == "op":
            if value == "(":
                self.deeper()
                node = self.parse_or()
                self.expect(")", "a closing )")
                self.depth -= 1
                return node
            raise RuleSyntaxError(f"expected {_START} but found {value!r}")
        if kind == "word" and value.lower() in ("near", "seq") and self.peek() == ("op", "("):
            return self.parse_near(value)
        if kind == "word" and value.lower().startswith("theme:"):
            name = value[len("theme:"):]
            if not name:
                raise RuleSyntaxError("expected a theme name after theme:")
            return ThemeRef(name)
        if not value.strip():
            raise RuleSyntaxError("empty phrase")
        return Word(compile_pattern(value, variants=self.variants))

    def parse_near(self, keyword: str) -> Near:
        self.pos += 1  # the (
        left = self.alternatives(f"the first argument of {keyword}()")
        self.expect(",", f"a comma after the first argument of {keyword}()")
        right = self.alternatives(f"the second argument of {keyword}()")
        window = DEFAULT_WINDOW
        if self.peek() == ("op", ","):
            self.pos += 1
            _, number = self.take()
            if not number.isdigit():
                raise RuleSyntaxError(f"expected a whole number of tokens as the third argument of {keyword}() "
                                      f"but found {number!r}")
            window = int(number)
        self.expect(")", f"a closing ) after the arguments of {keyword}()")
        return Near(left, right, window, ordered=keyword.lower() == "seq")


def parse_rule(rule: str, *, variants: dict[str, str] | None = None) -> Rule:
    """Parse one rule into its syntax tree.

    Parameters
    ----------
    rule : str
        The rule as written in the lexicon.
    variants : dict[str, str] or None, default None
        The variant table its words are compiled with (``None``: the default table).

    Returns
    -------
    Rule
        A :class:`Word`, :class:`Near`, :class:`ThemeRef`, :class:`Not`, :class:`And` or :class:`Or`.

    Raises
    ------
    RuleSyntaxError
        Saying what was expected where the rule goes wrong.

    >>> type(parse_rule("near(担い手, 不足, 5) & !研修")).__name__
    'And'
    >>> parse_rule("担い手 &")
    Traceback (most recent call last):
    ...
    analysis.themes.rules.RuleSyntaxError: unexpected end of rule: expected a word, a "phrase", near(…), theme:NAME or (
    """
    return _Parser(rule, default_variants() if variants is None else variants).parse()


def rule_refs(node: Rule) -> Iterator[str]:
    """The theme names a rule refers to (``theme:NAME``), in order, repeats included.

    Parameters
    ----------
    node : Rule
        A parsed rule.

    Returns
    -------
    Iterator[str]
        Each referred theme name.

    >>> list(rule_refs(parse_rule("theme:見守り & !theme:災害")))
    ['見守り', '災害']
    """
    if isinstance(node, ThemeRef):
        yield node.name
    elif isinstance(node, Not):
        yield from rule_refs(node.operand)
    elif isinstance(node, (And, Or)):
        for operand in node.operands:
            yield from rule_refs(operand)


def rule_patterns(node: Rule) -> Iterator[Pattern]:
    """Every pattern a rule searches for (its words, phrases and near() alternatives).

    Parameters
    ----------
    node : Rule
        A parsed rule.

    Returns
    -------
    Iterator[Pattern]
        The patterns, ``theme:`` references not followed.

    >>> [p.text for p in rule_patterns(parse_rule("near(担い手 | 人材, 不足)"))]
    ['担い手', '人材', '不足']
    """
    stack = [node]
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
            stack.extend(reversed(node.operands))
