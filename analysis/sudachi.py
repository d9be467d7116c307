"""The Sudachi dictionary and tokenizers of a process.

One :class:`~sudachipy.Dictionary` per user dictionary (none, or a planner's compiled word list,
:mod:`analysis.userdict`) is loaded once and shared: it is memory-mapped and thread-safe.  A
tokenizer is not thread-safe, so each thread gets its own per split mode and dictionary.  A user
dictionary may only use the system dictionary's parts of speech, so POS ids mean the same with and
without one.

>>> [m.surface() for m in tokenizer("C").tokenize("担い手不足")]
['担い手', '不足']
"""

from __future__ import annotations

import functools
import threading
from importlib import metadata
from typing import Sequence

from .errors import check_choice

SPLIT_MODES = ("A", "B", "C")

_local = threading.local()
_lock = threading.Lock()
_dictionaries: dict[str, object] = {}


def user_key(user_dictionary) -> str:
    """The compiled dictionary's path ('' for none); a worker process is given the path alone."""
    if user_dictionary is None:
        return ""
    return str(getattr(user_dictionary, "path", user_dictionary))


def dictionary(user_dictionary=None):
    """The shared Sudachi core dictionary, with ``user_dictionary`` (an
    :class:`analysis.userdict.UserDictionary`) when given; each is loaded once per process."""
    key = user_key(user_dictionary)
    found = _dictionaries.get(key)
    if found is None:
        with _lock:
            found = _dictionaries.get(key)
            if found is None:
                from sudachipy import Config, Dictionary

                config = Config(user=[key]) if key else None
                found = _dictionaries[key] = Dictionary(config=config, dict="core") if config else \
                    Dictionary(dict="core")
    return found


@functools.cache
def dictionary_version() -> str:
    """Identifies everything that changes tokens: SudachiPy and dictionary versions."""
    return f"sudachipy={metadata.version('sudachipy')};sudachidict-core={metadata.version('sudachidict-core')}"


def tokenizer(split_mode: str = "C", user_dictionary=None):
    """This thread's tokenizer for ``split_mode`` (and ``user_dictionary``): a tokenizer must not
    be shared by threads."""
    check_choice("split_mode", split_mode, SPLIT_MODES)
    cache = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = _local.tokenizers = {}
    key = (split_mode, user_key(user_dictionary))
    tok = cache.get(key)
    if tok is None:
        tok = cache[key] = dictionary(user_dictionary).tokenizer(mode=split_mode)
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



__all__ = ["SPLIT_MODES", "dictionary", "dictionary_version", "tokenizer", "pos_table", "pos_ids", "user_key"]
