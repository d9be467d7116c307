"""Tokens numbered by their ``(surface, norm)``: the plain definition and a vectorized fast path.

Every token of a Tokens is numbered once (:func:`analysis.terms.columns.token_numbers`), in order
of first occurrence, so that the terms pass and the themes scan compare numbers, not strings.
:func:`number_tokens_plain` is the definition: cut each surface from the text and look the pair
up in a :class:`Numbering`.  :func:`number_tokens` gives exactly the same result without a Python
step per surface: it numbers the normalized forms exactly (a dict of the strings), hashes
every surface with numpy (a polynomial hash over the UTF-32 code points, so that no surface is
cut out of the text), numbers the pairs of hash and form number, and then checks, code point by
code point, that each token spells the same surface as the first token given its number.  A hash
collision fails that check and the plain definition answers instead, so the result never depends
on the hash (``tests/test_terms_numbering.py`` forces collisions).

>>> import numpy as np
>>> text = "連携と連携"
>>> number_tokens(text, np.array([0, 2, 3]), np.array([2, 3, 5]), ["連携", "と", "連携"])[1]
[('連携', '連携'), ('と', 'と')]
"""

from __future__ import annotations

from array import array
from typing import Sequence

__all__ = ["Numbering", "first_numbers", "first_numbers_plain", "int_array", "number_tokens", "number_tokens_plain"]

# The fast path holds ~50 bytes per character at its peak (the code points of the text, a dozen
# numbers per token; 1 M characters: ~+50 MB, against +15 MB for the plain path):
# above this many characters the plain definition answers, whose memory is one small string at a
# time (a national corpus keeps its memory bound rather than gain 0.1 s per M characters).
FAST_MAX_CHARS = 4_000_000
# Segments hashed and checked at a time (the prefix sums and positions of one block, not the text's).
_BLOCK = 1 << 15
# Odd multipliers: of the surface hash, and of the form's number mixed into it (any odd numbers
# work: a collision only costs the fast path).
_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


class Numbering(dict):
    """``{key: number}``, numbering new keys in the order they are first looked up (for numpy:
    equal strings, or tuples, become equal numbers)."""

    def __missing__(self, key):
        number = self[key] = len(self)
        return number


def number_tokens_plain(text: str, begin, end, norms: Sequence[str]) -> tuple:
    """Every token numbered by its ``(surface, norm)`` in order of first occurrence.

    Parameters
    ----------
    text : str
        The text the offsets point into.
    begin, end : numpy arrays of int
        Each token's offsets in ``text``.
    norms : sequence of str
        Each token's normalized form.

    Returns
    -------
    tuple
        ``(ids, keys)``: per token its number (numpy int64), and the ``(surface, norm)`` of each
        number.
    """
    import numpy as np

    numbers = Numbering()
    surfaces = map(text.__getitem__, map(slice, int_array(begin), int_array(end)))
    ids = np.fromiter(map(numbers.__getitem__, zip(surfaces, norms)), dtype=np.int64, count=len(norms))
    return ids, list(numbers)


def number_tokens(text: str, begin, end, norms: Sequence[str], *, bases: tuple[int, int] = _BASES) -> tuple:
    """:func:`number_tokens_plain`, vectorized (the same result; see the module's note).

    ``bases``: the hashes' multipliers (a test passes degenerate ones to force collisions).
    """
    found = _by_hash(text, begin, end, norms, bases) if 0 < len(text) <= FAST_MAX_CHARS else None
    return number_tokens_plain(text, begin, end, norms) if found is None else found


def first_numbers_plain(values) -> tuple:
    """The values numbered 0, 1, … in order of first occurrence, by sorting (the definition).

    Parameters
    ----------
    values : numpy array of int
        One dimension.

    Returns
    -------
    tuple
        ``(ids, firsts)``: each value's number (numpy int64), and the position of each number's
        first occurrence (increasing).

    >>> import numpy as np
    >>> ids, firsts = first_numbers_plain(np.array([7, 3, 7, 5]))
    >>> ids.tolist(), firsts.tolist()
    ([0, 1, 0, 2], [0, 1, 3])
    """
    import numpy as np

    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[by_first] = np.arange(len(first))
    return rank[inverse.ravel()], first[by_first]


def first_numbers(values) -> tuple:
    """:func:`first_numbers_plain` with a hash table (pandas' ``factorize``, which numbers in
    order of first occurrence) instead of a stable sort: ~5 times faster on a token per value."""
    import numpy as np
    import pandas as pd

    ids = pd.factorize(np.asarray(values))[0].astype(np.int64, copy=False)
    # a number occurs first exactly where the running maximum of the numbers grows
    grown = np.maximum.accumulate(ids) if len(ids) else ids
    return ids, np.flatnonzero(np.diff(grown, prepend=-1) > 0)


def int_array(values) -> array:
    """A numpy integer array as ``array("q")``: read one at a time, its items are Python ints made
    and dropped in turn, not all held at once as ``tolist()`` holds them (for every token, tens
    of MB of fresh memory, whose page faults cost about as much as the work)."""
    import numpy as np

    out = array("q")
    out.frombytes(memoryview(np.ascontiguousarray(values, dtype=np.int64)).cast("B"))  # one copy, not two
    return out


def _code_points(text: str):
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _segment_hashes(codes, begin, end, base: int):
    """``Σ codes[k]·base^(k-begin)`` over ``begin <= k < end`` for every segment, modulo 2**64
    (from prefix sums: position-independent, so equal segments hash equal wherever they are),
    a block of segments at a time."""
    import numpy as np

    out = np.zeros(len(begin), dtype=np.uint64)
    inverse_base = pow(base, -1, 2**64)
    for i in range(0, len(begin), _BLOCK):
        b, e = begin[i:i + _BLOCK], end[i:i + _BLOCK]
        lo, hi = int(b.min()), int(e.max())
        if hi <= lo:
            continue  # only empty segments
        powers, inverse = _powers(base, hi - lo), _powers(inverse_base, hi - lo)
        prefix = np.zeros(hi - lo + 1, dtype=np.uint64)
        np.cumsum(codes[lo:hi] * powers, out=prefix[1:])
        out[i:i + _BLOCK] = (prefix[e - lo] - prefix[b - lo]) * inverse[np.minimum(b - lo, hi - lo - 1)]
    return out


def _powers(base: int, n: int):
    """``base**k`` modulo 2**64 for ``k < n``."""
    import numpy as np

    powers = np.full(n, base, dtype=np.uint64)
    powers[0] = 1
    return np.cumprod(powers, out=powers)


def _by_hash(text: str, begin, end, norms: Sequence[str], bases: tuple[int, int]) -> tuple | None:
    """The fast numbering, or None when it cannot vouch for its result."""
    import numpy as np

    n = len(norms)
    if n == 0:
        return np.zeros(0, dtype=np.int64), []
    # the forms are numbered exactly (a dict of the strings themselves: faster here than pandas'
    # table, and it leaves each string's hash cached for the dicts of later stages); the surfaces,
    # which are not cut out of the text, by their hash, checked below
    norm_ids = np.fromiter(map(Numbering().__getitem__, norms), dtype=np.int64, count=n)
    codes = _code_points(text)
    begin = np.asarray(begin, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    with np.errstate(over="ignore"):
        key = _segment_hashes(codes, begin, end, bases[0]) ^ (norm_ids.astype(np.uint64) * np.uint64(bases[1]))
    ids, firsts = first_numbers(key)  # numbers in order of first occurrence; each one's first token
    rep = firsts[ids]
    if not (np.array_equal(norm_ids, norm_ids[rep]) and _same_segments(codes, begin, end, rep)):
        return None  # two pairs share a key
    keys = [(text[b:e], norms[i]) for i, b, e in zip(firsts.tolist(), begin[firsts].tolist(), end[firsts].tolist())]
    return ids, keys


def _same_segments(codes, begin, end, rep) -> bool:
    """Whether every segment ``k`` spells what segment ``rep[k]`` spells (a block at a time)."""
    import numpy as np

    length = end - begin
    if not np.array_equal(length, length[rep]):
        return False
    shift = begin[rep] - begin
    for i in range(0, len(begin), _BLOCK):
        size, at_begin = length[i:i + _BLOCK], begin[i:i + _BLOCK]
        start = np.zeros(len(size), dtype=np.int64)
        np.cumsum(size[:-1], out=start[1:])
        at = np.repeat(at_begin - start, size) + np.arange(int(size.sum()))
        if not np.array_equal(codes[at], codes[at + np.repeat(shift[i:i + _BLOCK], size)]):
            return False
    return True
