"""Tokenization with SudachiPy: sentences, normalized forms for matching, surfaces for display.

One :class:`~sudachipy.Dictionary` is shared (it is memory-mapped and thread-safe); a tokenizer
is not thread-safe, so each thread gets its own.  Text is split into sentences first (the fastest
unit, and never over Sudachi's 49,149-byte limit), variant characters are folded one-for-one
before tokenizing (offsets stay valid), and the surface shown to people is cut from the original.

>>> [t.norm for t in tokenize("ﾎﾞﾗﾝﾃｨｱの担い手不足")[0].tokens]
['ボランティア', 'の', '担い手', '不足']
>>> [t.surface for t in tokenize("隨時連携した。")[0].tokens][:2]
['隨時', '連携']
>>> tokenize("隨時連携した。")[0].tokens[0].norm
'随時'
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from importlib import metadata
from typing import Callable, Iterable, NamedTuple, Sequence

from .errors import check_choice
from .textnorm import fold_variants, load_variants, sentences as split_sentences
from .units import TextUnit

SPLIT_MODES = ("A", "B", "C")

_local = threading.local()
_lock = threading.Lock()
_dictionary = None


def dictionary():
    """The shared Sudachi core dictionary (loaded once per process)."""
    global _dictionary
    if _dictionary is None:
        with _lock:
            if _dictionary is None:
                from sudachipy import Dictionary

                _dictionary = Dictionary(dict="core")
    return _dictionary


@functools.cache
def dictionary_version() -> str:
    """Identifies everything that changes tokens: SudachiPy and dictionary versions."""
    return f"sudachipy={metadata.version('sudachipy')};sudachidict-core={metadata.version('sudachidict-core')}"


def tokenizer(split_mode: str = "C"):
    """This thread's tokenizer for ``split_mode`` (a tokenizer must not be shared by threads)."""
    check_choice("split_mode", split_mode, SPLIT_MODES)
    cache = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = _local.tokenizers = {}
    tok = cache.get(split_mode)
    if tok is None:
        tok = cache[split_mode] = dictionary().tokenizer(mode=split_mode)
    return tok


@functools.cache
def pos_table() -> tuple[tuple[str, ...], ...]:
    """All part-of-speech tuples of the dictionary, indexed by POS id."""
    table = []
    d = dictionary()
    while (pos := d.pos_of(len(table))) is not None:
        table.append(tuple(pos))
    return tuple(table)


def pos_ids(patterns: Sequence[Sequence[str]]) -> frozenset[int]:
    """POS ids matched by the dictionary's POS matcher for ``patterns`` (prefixes of POS tuples).

    >>> table = pos_table()
    >>> all(table[i][0] == "名詞" for i in pos_ids([("名詞",)]))
    True
    """
    matched = set(map(tuple, dictionary().pos_matcher([tuple(p) for p in patterns])))
    return frozenset(i for i, pos in enumerate(pos_table()) if pos in matched)


class Token(NamedTuple):
    """One morpheme: ``surface`` as written, ``norm`` for matching, offsets into the unit text."""

    surface: str
    norm: str
    pos_id: int
    begin: int
    end: int

    @property
    def pos(self) -> tuple[str, ...]:
        return pos_table()[self.pos_id]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: its original wording, where it sits, and its tokens."""

    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]


@functools.cache
def _variants_from(path: str) -> dict[str, str]:
    return load_variants(path)


def default_variants() -> dict[str, str]:
    from .settings import default_settings

    return _variants_from(str(default_settings().data_file("variants")))


def tokenize(text: str, *, split_mode: str = "C", variants: dict[str, str] | None = None) -> list[Sentence]:
    """Sentences of ``text`` with their tokens (offsets are into ``text``)."""
    if variants is None:
        variants = default_variants()
    tok = tokenizer(split_mode)
    folded = fold_variants(text, variants)
    out: list[Sentence] = []
    for sentence, start, end in split_sentences(folded):
        morphemes = tok.tokenize(sentence)
        tokens = tuple(
            Token(text[start + b:start + e], m.normalized_form(), m.part_of_speech_id(), start + b, start + e)
            for m in morphemes
            for b, e in ((m.begin(), m.end()),)
        )
        out.append(Sentence(text[start:end], start, end, tokens))
    return out


@dataclass
class Tokens:
    """The tokens stage: every text unit with its tokenized sentences, and the settings used."""

    units: list[TextUnit]
    sentences: list[list[Sentence]]
    split_mode: str = "C"
    settings: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        return iter(zip(self.units, self.sentences))

    def norms(self, index: int) -> list[str]:
        return [t.norm for s in self.sentences[index] for t in s.tokens]


def tokenize_units(
    units: Iterable[TextUnit],
    *,
    split_mode: str = "C",
    variants: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Tokens:
    """Tokenize every unit (the Tokens stage)."""
    units = list(units)
    out = []
    for i, unit in enumerate(units):
        out.append(tokenize(unit.text, split_mode=split_mode, variants=variants))
        if progress is not None:
            progress(i + 1, len(units))
    return Tokens(units=units, sentences=out, split_mode=split_mode)
