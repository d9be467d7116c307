"""Tokenization with SudachiPy: sentences, normalized forms for matching, surfaces for display.

The Sudachi dictionary and the per-thread tokenizers are :mod:`analysis.sudachi`'s; a planner's
word list (``[tokens] user_dictionary``, :mod:`analysis.userdict`) keeps listed words whole.
Text is split into sentences first (the fastest
unit, and never over Sudachi's 49,149-byte limit), variant characters are folded one-for-one
before tokenizing (offsets stay valid), and the surface shown to people is cut from the original.

>>> [t.norm for t in tokenize("ﾎﾞﾗﾝﾃｨｱの担い手不足")[0].tokens]
['ボランティア', 'の', '担い手', '不足']
>>> [t.surface for t in tokenize("隨時連携した。")[0].tokens][:2]
['隨時', '連携']
>>> tokenize("隨時連携した。")[0].tokens[0].norm
'随時'

Speed: tokenizing reads three fields per morpheme (normalized form, POS id, end offset) into
compact columns, one set per text (:class:`TokenColumns`); :class:`Token` objects are built
from them only when a sentence's ``tokens`` is first read.  Stages that need only normalized forms
or POS ids read the columns (``Sentence.norms``, ``Sentence.pos_ids``, ``Tokens.norms``) and skip
that cost.  ``workers=2`` tokenizes in two processes (one tokenizer each) that send back columns,
and the token cache (:mod:`analysis.tokencache`) lets a second run skip Sudachi altogether.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from . import tokencache
from .errors import check_choice
from .sudachi import SPLIT_MODES, dictionary, dictionary_version, pos_ids, pos_table, tokenizer, user_key
from .textnorm import load_variants, sentences as split_sentences
from .units import TextUnit

# Bump when what tokenize() produces for the same text, mode and dictionary changes: it is part
# of every token cache key.
CODE_VERSION = "tokens-2"
# Below this many characters in total, extra worker processes cost more than they save.
MIN_PARALLEL_CHARS = 200_000

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


_SEP = "\x1f"  # joins normalized forms in transit (unit separator; checked, never trusted)


class TokenColumns:
    """The tokens of one text as columns: ``norms[k]``, ``pos[k]`` and ``ends[k]`` (the end
    offset of token ``k`` relative to the start of its sentence).  ``spans`` holds, per sentence,
    ``start, end, token count`` (flat).  Cheap to build, send between processes and cache."""

    __slots__ = ("text", "norms", "pos", "ends", "spans", "_sentences")

    def __init__(self, text: str, norms: list[str], pos: array, ends: array, spans: array) -> None:
        self.text = text
        self.norms = norms
        self.pos = pos
        self.ends = ends
        self.spans = spans
        self._sentences = None

    def encode(self) -> tuple:
        """A compact picklable/marshallable form (without the text): the normalized forms joined
        into one string (a list when a form holds the separator), the columns as bytes."""
        norms = self.norms
        joined = _SEP.join(norms)
        if joined.count(_SEP) != max(len(norms) - 1, 0) or (len(norms) == 1 and not norms[0]):
            joined = norms  # a form holds the separator (or is empty): send the list
        return (joined, self.pos.tobytes(), self.ends.tobytes(), self.spans.tobytes())

    @classmethod
    def decode(cls, text: str, data: tuple, *, intern: bool = True) -> "TokenColumns":
        """Inverse of :meth:`encode`; checks consistency and raises ``ValueError`` when it fails.
        ``intern``: one string object per form (a corpus's texts share a few ten thousand forms,
        not millions of copies: what the token cache gives back); without it, one per token, as
        tokenizing makes them."""
        norms, pos_bytes, end_bytes, span_bytes = data
        if isinstance(norms, str):
            norms = norms.split(_SEP) if norms else []
            if intern:
                norms = list(map(sys.intern, norms))
        pos, ends, spans = array("H"), array("I"), array("I")
        pos.frombytes(pos_bytes)
        ends.frombytes(end_bytes)
        spans.frombytes(span_bytes)
        if not isinstance(norms, list) or not len(norms) == len(pos) == len(ends) or len(spans) % 3:
            raise ValueError("inconsistent token columns")
        if sum(spans[2::3]) != len(norms) or (spans and max(spans[1::3]) > len(text)):
            raise ValueError("token columns do not fit the text")
        return cls(text, norms, pos, ends, spans)

    def sentences(self) -> list["Sentence"]:
        """The :class:`Sentence` objects over these columns.  Those made while tokenizing are handed
        over once (and not kept here: a sentence refers to its columns, never the reverse)."""
        if self._sentences is not None:
            out, self._sentences = self._sentences, None
            return out
        text = self.text
        spans = self.spans
        out = []
        lo = 0
        new = Sentence.__new__
        for k in range(0, len(spans), 3):
            start, end, count = spans[k], spans[k + 1], spans[k + 2]
            s = new(Sentence)
            s.text = text[start:end]
            s.start = start
            s.end = end
            s._tokens = None
            s._columns = self
            s._lo = lo
            lo += count
            s._hi = lo
            out.append(s)
        return out


class Sentence:
    """A sentence of a text: its original wording, where it sits, and its tokens.

    ``tokens`` is a tuple of :class:`Token` (built on first use from the text's columns);
    ``norms`` and ``pos_ids`` read the columns directly.
    """

    __slots__ = ("text", "start", "end", "_tokens", "_columns", "_lo", "_hi")

    def __init__(self, text: str, start: int, end: int, tokens: Sequence[Token] = ()) -> None:
        self.text = text
        self.start = start
        self.end = end
        self._tokens = tuple(tokens)
        self._columns = None
        self._lo = self._hi = 0

    @property
    def tokens(self) -> tuple[Token, ...]:
        if self._tokens is None:
            c = self._columns
            text, start, lo, hi = c.text, self.start, self._lo, self._hi
            ends = [start + e for e in c.ends[lo:hi]]
            begins = [start, *ends[:-1]]
            self._tokens = tuple(map(Token._make, zip(
                map(text.__getitem__, map(slice, begins, ends)), c.norms[lo:hi], c.pos[lo:hi], begins, ends,
            )))
        return self._tokens

    @property
    def norms(self) -> list[str]:
        """Normalized forms of the tokens (no :class:`Token` objects built)."""
        if self._columns is None or self._tokens is not None:
            return [t.norm for t in self.tokens]
        return self._columns.norms[self._lo:self._hi]

    @property
    def pos_ids(self) -> list[int]:
        """POS ids of the tokens (no :class:`Token` objects built)."""
        if self._columns is None or self._tokens is not None:
            return [t.pos_id for t in self.tokens]
        return self._columns.pos[self._lo:self._hi].tolist()

    @property
    def columns(self) -> "TokenColumns | None":
        """The columns of the whole text this sentence was cut from (shared by its sentences), or
        ``None`` for a sentence built from :class:`Token` objects.  With :attr:`token_range` it
        lets a stage read many sentences' columns at once, without :class:`Token` objects."""
        return self._columns

    @property
    def token_range(self) -> tuple[int, int]:
        """``(lo, hi)``: this sentence's tokens are ``columns.norms[lo:hi]`` (and ``pos``, ``ends``)."""
        return (self._lo, self._hi)

    def forget_tokens(self) -> None:
        """Drop the :class:`Token` objects built on first use, when the sentence has columns to
        build them from again: a pass over every sentence of a large corpus that needs them once
        calls this after each, so the tokens of a whole corpus are never held as objects."""
        if self._columns is not None:
            self._tokens = None

    def _key(self) -> tuple:
        return (self.text, self.start, self.end, self.tokens)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Sentence:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Sentence(text={self.text!r}, start={self.start!r}, end={self.end!r}, tokens={self.tokens!r})"

    def __reduce__(self):
        return (Sentence, (self.text, self.start, self.end, self.tokens))


_variant_tables: dict[tuple, dict[str, str]] = {}


def variants_table(path: str | os.PathLike) -> dict[str, str]:
    """The variant table of ``path``, read once while the file is unchanged (an edited table is
    read again): one dict per table, so that what later stages memoize per table (the themes
    stage's units of each token, whose Sudachi cuts cost ~0.14 s per M characters) is kept from
    one call to the next.  Do not mutate it."""
    path = str(path)
    try:
        stat = os.stat(path)
    except OSError:
        return load_variants(path)  # the reader names the file that cannot be read
    key = (path, stat.st_mtime_ns, stat.st_size)
    table = _variant_tables.get(key)
    if table is None:
        if len(_variant_tables) >= 8:
            _variant_tables.clear()
        table = _variant_tables[key] = load_variants(path)
    return table


_default_variants: dict[str, str] | None = None


def default_variants() -> dict[str, str]:
    """The variant table of the default settings (read once per process)."""
    global _default_variants
    if _default_variants is None:
        from .settings import default_settings

        _default_variants = variants_table(str(default_settings().data_file("variants")))
    return _default_variants


def settings_variants(settings) -> dict[str, str]:
    """The variant table named by ``settings`` ``[data] variants``."""
    return variants_table(str(settings.data_file("variants")))


_fold_memo: tuple = (None, None)



def _folder(variants: dict[str, str]):
    """``text -> text`` folding variants and lone surrogates one for one (memoized per table)."""
    table, fold = _fold_memo
    if table is variants:
        return fold
    import re

    mapping = {ord(a): ord(b) for a, b in variants.items() if a != b}
    mapping.update((c, 0xFFFD) for c in range(0xD800, 0xE000))
    pattern = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(mapping) if c < 0xD800 or c >= 0xE000)
                         + "\ud800-\udfff]")
    search = pattern.search

    def fold(text: str) -> str:
        return text if search(text) is None else text.translate(mapping)

    globals()["_fold_memo"] = (variants, fold)
    return fold


def tokenize_columns(text: str, *, split_mode: str = "C", variants: dict[str, str] | None = None,
                     user_dictionary=None) -> TokenColumns:
    """The tokens of ``text`` as :class:`TokenColumns` (the fast path under :func:`tokenize`)."""
    if variants is None:
        variants = default_variants()
    tok = tokenizer(split_mode, user_dictionary).tokenize
    prepared = _folder(variants)(text)
    norms: list[str] = []
    pos: list[int] = []
    ends: list[int] = []
    spans: list[int] = []
    an, ap, ae, asp = norms.append, pos.append, ends.append, spans.append
    made: list[Sentence] = []
    columns = TokenColumns(text, norms, None, None, None)  # type: ignore[arg-type]
    new = Sentence.__new__
    n = 0
    out = None  # one MorphemeList reused for every sentence (SudachiPy's ``out=``): fewer allocations
    for piece, start, end in split_sentences(text):
        out = tok(piece if prepared is text else prepared[start:end], out=out)
        for m in out:
            an(m.normalized_form())
            ap(m.part_of_speech_id())
            ae(m.end())
        asp(start)
        asp(end)
        s = new(Sentence)
        s.text, s.start, s.end, s._tokens, s._columns, s._lo = piece, start, end, None, columns, n
        n = s._hi = len(norms)
        asp(n - s._lo)
        made.append(s)
    columns.pos, columns.ends, columns.spans = array("H", pos), array("I", ends), array("I", spans)
    columns._sentences = made
    return columns


def tokenize(text: str, *, split_mode: str = "C", variants: dict[str, str] | None = None,
             user_dictionary=None) -> list[Sentence]:
    """Sentences of ``text`` with their tokens (offsets are into ``text``).

    Lone surrogates (which UTF-8 cannot encode) are tokenized as U+FFFD; the surface keeps them.
    ``user_dictionary`` (:func:`analysis.userdict.load_user_dictionary`) keeps a planner's words
    whole.

    >>> [(s.text, s.start, [t.surface for t in s.tokens]) for s in tokenize("連携した。見守り")]
    [('連携した。', 0, ['連携', 'し', 'た', '。']), ('見守り', 5, ['見守り'])]
    """
    return tokenize_columns(text, split_mode=split_mode, variants=variants,
                            user_dictionary=user_dictionary).sentences()


@dataclass
class Tokens:
    """The tokens stage: every text unit with its tokenized sentences, and the settings used."""

    units: list[TextUnit]
    sentences: list[list[Sentence]]
    split_mode: str = "C"
    settings: dict = field(default_factory=dict)
    # The word list the tokens were cut with (analysis.userdict.UserDictionary), so that a word a
    # stage looks up (KWIC, a stop list) is cut the same way.
    user_dictionary: Any = field(default=None, compare=False, repr=False)
    # The variant table the texts were folded with (set by tokenize_units): with the split mode and
    # the word list it gives the texts' token cache keys, which the stage cache keys results by.
    variants: dict[str, str] | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        return iter(zip(self.units, self.sentences))

    def norms(self, index: int) -> list[str]:
        """Normalized forms of every token of unit ``index``, in order."""
        return [n for s in self.sentences[index] for n in s.norms]

    def pos_ids(self, index: int) -> list[int]:
        """POS ids of every token of unit ``index``, in order."""
        return [p for s in self.sentences[index] for p in s.pos_ids]


@contextlib.contextmanager
def _gc_paused():
    """No garbage collection inside: building columns and sentences makes hundreds of thousands of
    objects, and a collection would walk them all again and again (measured on 1 M characters:
    decoding and building sentences take ~0.1 s paused against ~0.5 s with collections).  The
    only cycle made (columns ↔ the sentences made while tokenizing) is broken by
    :meth:`TokenColumns.sentences`, and any left is collected once collection resumes.

    When collection resumes, what was made is put into the oldest generation at once (``freeze``
    then ``unfreeze``, which splices the lists of tracked objects: no walk): tokens live as long as
    the analysis, and otherwise the next young collections would walk every sentence and every
    list of forms again (~0.1 s per 2 M characters), and again in every later stage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _variants_items(variants: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(variants.items()))


class _Shares:
    """Contiguous runs of texts handed out from both ends of the list: this process takes from the
    front, the worker processes from the back, until the two meet (so neither waits for the other
    while texts are left, whatever the cores' speeds).  Each run is about ``1 / parts`` of the
    characters not yet handed out, never under ``min_chars`` (a run of one text at the least): runs
    shrink as the ends close in, so the last ones, which decide who waits, are short.

    >>> shares = _Shares(["あ" * 10] * 10, parts=4, min_chars=10)
    >>> shares.back(), shares.front(), shares.back(), shares.left()
    (range(7, 10), range(0, 2), range(5, 7), 3)
    """

    def __init__(self, texts: list[str], *, parts: int, min_chars: int) -> None:
        self.ends = list(accumulate(map(len, texts), initial=0))  # ends[i]: characters before text i
        self.parts = parts
        self.min_chars = min_chars
        self.lo, self.hi = 0, len(texts)

    def left(self) -> int:
        """How many texts are not handed out yet."""
        return self.hi - self.lo

    def _size(self) -> int:
        return max((self.ends[self.hi] - self.ends[self.lo]) // self.parts, self.min_chars)

    def front(self) -> range:
        """The next run from the front (empty when none is left)."""
        lo = self.lo
        if lo < self.hi:
            cut = bisect_left(self.ends, self.ends[lo] + self._size(), lo + 1, self.hi)
            self.lo = min(max(cut, lo + 1), self.hi)
        return range(lo, self.lo)

    def back(self) -> range:
        """The next run from the back (empty when none is left)."""
        hi = self.hi
        if self.lo < hi:
            cut = bisect_right(self.ends, self.ends[hi] - self._size(), self.lo, hi) - 1
            self.hi = max(min(cut, hi - 1), self.lo)
        return range(self.hi, hi)


# Runs handed out: 1/PARTS of the characters left each time, at least MIN_RUN_CHARS (~25 ms of
# tokenizing: sending a run to a worker and back costs well under that).  A worker is kept AHEAD
# runs ahead (one tokenizing, one waiting), so it never idles while this process is busy with a
# run of its own.
PARTS = 8
MIN_RUN_CHARS = 20_000
AHEAD = 2


def _columns_parallel(texts: list[str], *, split_mode: str, variants: dict[str, str], workers: int,
                      user_dictionary=None) -> list[TokenColumns]:
    """Tokenize in ``workers`` processes: this one and ``workers - 1`` worker processes
    (:class:`analysis.tokenworkers.Worker`), each with its own tokenizer.  This process tokenizes
    runs of texts from the front (its columns need no sending nor decoding), the workers runs from
    the back (:class:`_Shares`), and this process decodes the workers' columns between its own
    runs, as they come."""
    from .tokenworkers import Worker

    shares = _Shares(texts, parts=PARTS, min_chars=MIN_RUN_CHARS)
    out: list[TokenColumns | None] = [None] * len(texts)
    setup = {"split_mode": split_mode, "variant_items": _variants_items(variants),
             "user_path": user_key(user_dictionary)}
    pool: list[Worker] = []

    def send() -> None:
        for worker in pool:
            while shares.left() and worker.busy < AHEAD:
                run = shares.back()
                worker.send(run, texts[run.start:run.stop])

    def receive(worker) -> None:
        run, encoded = worker.receive()
        for i, data in zip(run, encoded):
            out[i] = columns = TokenColumns.decode(texts[i], data, intern=False)
            columns._sentences = columns.sentences()  # handed over by sentences() later

    done = False
    try:
        while len(pool) < workers - 1:
            pool.append(Worker(**setup))  # inside: one that fails to start stops those started
        with _gc_paused():
            send()
            while shares.left():
                for i in shares.front():
                    out[i] = tokenize_columns(texts[i], split_mode=split_mode, variants=variants,
                                              user_dictionary=user_dictionary)
                for worker in pool:
                    while worker.busy and worker.ready():
                        receive(worker)
                send()
            for worker in pool:
                while worker.busy:
                    receive(worker)
        done = True
    finally:
        for worker in pool:
            worker.close() if done else worker.kill()
    return out  # type: ignore[return-value]


def columns_for(
    texts: list[str],
    *,
    split_mode: str = "C",
    variants: dict[str, str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    user_dictionary=None,
) -> list[TokenColumns]:
    """:class:`TokenColumns` for every text, in one process or in ``workers`` processes."""
    if variants is None:
        variants = default_variants()
    if workers < 1:
        from .errors import SettingsError

        raise SettingsError(f"workers must be at least 1, got {workers}", field="tokens.workers")
    total = len(texts)
    if workers > 1 and total > 1 and sum(map(len, texts)) >= MIN_PARALLEL_CHARS:
        out = _columns_parallel(texts, split_mode=split_mode, variants=variants, workers=workers,
                                user_dictionary=user_dictionary)
        if progress is not None:
            progress(total, total)
        return out
    out = []
    with _gc_paused():
        for i, t in enumerate(texts):
            out.append(tokenize_columns(t, split_mode=split_mode, variants=variants,
                                        user_dictionary=user_dictionary))
            if progress is not None:
                progress(i + 1, total)
    return out


# -- the token cache (analysis.tokencache stores bytes; what they mean is decided here) ------
def cache_key(text: str, *, split_mode: str = "C", variants: dict[str, str] | None = None) -> bytes:
    """The token cache key of ``text`` tokenized with these settings (changes with any of them:
    the split mode, the variant table, :func:`dictionary_version` and :data:`CODE_VERSION`).

    >>> cache_key("連携", split_mode="A") != cache_key("連携", split_mode="C")
    True
    """
    return tokencache.cache_key(_cache_prefix(split_mode, default_variants() if variants is None else variants),
                                text)


def cache_keys(texts: Iterable[str], *, split_mode: str = "C", variants: dict[str, str] | None = None,
               user_dictionary=None) -> list[bytes]:
    """The token cache key of every text (:func:`cache_key`, with the word list too): what the
    stage cache (:mod:`analysis.stagecache`) keys stage results by.

    >>> cache_keys(["連携"]) == [cache_key("連携")]
    True
    """
    prefix = _cache_prefix(split_mode, default_variants() if variants is None else variants, user_dictionary)
    key = tokencache.cache_key
    return [key(prefix, t) for t in texts]


def _cache_prefix(split_mode: str, variants: dict[str, str], user_dictionary=None) -> bytes:
    variant_text = "\n".join(f"{a}\t{b}" for a, b in sorted(variants.items()))
    parts = (CODE_VERSION, split_mode, dictionary_version(), variant_text)
    if user_dictionary is not None:  # an edited word list is another dictionary: other tokens
        parts += (f"user={user_dictionary.digest}",)
    return "\x1f".join(parts).encode("utf-8") + b"\x1e"


def cached_columns(
    texts: list[str],
    *,
    split_mode: str = "C",
    variants: dict[str, str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    path=None,
    user_dictionary=None,
) -> list[TokenColumns]:
    """:class:`TokenColumns` of every text: from the token cache (:mod:`analysis.tokencache`,
    file ``path``, default its :func:`~analysis.tokencache.cache_path`) when there, else
    tokenized (in ``workers`` processes) and stored.

    >>> cols = cached_columns(["見守り活動", "見守り活動"], split_mode="C")
    >>> cols[0].norms == tokenize_columns("見守り活動").norms
    True
    """
    if variants is None:
        variants = default_variants()
    out = tokencache.cached(
        texts, prefix=_cache_prefix(split_mode, variants, user_dictionary), path=path,
        compute=lambda missing: columns_for(missing, split_mode=split_mode, variants=variants, workers=workers,
                                            user_dictionary=user_dictionary),
        encode=TokenColumns.encode, decode=_decode_cached)
    if progress is not None:
        progress(len(texts), len(texts))
    return out


def _decode_cached(text: str, data) -> TokenColumns:
    if not isinstance(data, tuple) or len(data) != 4:
        raise ValueError("not token columns")
    return TokenColumns.decode(text, data)


def tokenize_units(
    units: Iterable[TextUnit],
    *,
    split_mode: str = "C",
    variants: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    cache: bool | None = None,
    settings=None,
    user_dictionary=None,
) -> Tokens:
    """Tokenize every unit (the Tokens stage).

    ``workers`` (processes, each with its own tokenizer), ``cache`` (reuse tokens of texts seen
    before, :mod:`analysis.tokencache`) and ``user_dictionary`` (a compiled word list,
    :func:`analysis.userdict.load_user_dictionary`) default to the ``[tokens]`` settings.  The
    result is the same whatever ``workers`` and ``cache`` are.
    """
    from .settings import default_settings

    check_choice("split_mode", split_mode, SPLIT_MODES)
    settings = settings or default_settings()
    if workers is None:
        workers = int(settings.get("tokens", "workers"))
    if cache is None:
        cache = bool(settings.get("tokens", "cache"))
    if variants is None:
        variants = settings_variants(settings)
    if user_dictionary is None and settings.path("tokens", "user_dictionary") is not None:
        from .userdict import load_user_dictionary

        user_dictionary = load_user_dictionary(settings.path("tokens", "user_dictionary"))
    units = list(units)
    texts = [u.text for u in units]
    with _gc_paused():  # columns (from the cache or the workers) and sentences: many objects, no cycles
        if cache:
            columns = cached_columns(texts, split_mode=split_mode, variants=variants, workers=workers,
                                     progress=progress, user_dictionary=user_dictionary)
        else:
            columns = columns_for(texts, split_mode=split_mode, variants=variants, workers=workers,
                                  progress=progress, user_dictionary=user_dictionary)
        sentences = [c.sentences() for c in columns]
    used = {"split_mode": split_mode, "dictionary": dictionary_version(), "workers": workers, "cache": cache}
    if user_dictionary is not None:
        used["user_dictionary"] = {"name": user_dictionary.source, "sha256": user_dictionary.digest,
                                   "words": len(user_dictionary.words)}
    return Tokens(units=units, sentences=sentences, split_mode=split_mode,
                  settings={"tokens": used}, user_dictionary=user_dictionary, variants=variants)


def tokenize_corpus(corpus, *, settings=None, fields: tuple[str, ...] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> Tokens:
    """The Tokens of every text unit of ``corpus`` (the one way from a corpus to its tokens).

    Honours the settings' split mode, variant table, token cache and workers; ``fields`` limits
    the units to some fields (default: all, :data:`analysis.units.FIELDS`).

    Parameters
    ----------
    corpus : Corpus
    settings : Settings, optional
        Default: the bundled settings.
    fields : tuple of str, optional
    progress : callable(done, total), optional

    Returns
    -------
    Tokens

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動の推進")
    >>> c = Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次",
    ...                                   goals=[Goal("P1", 1, "見守る", directions=[d])])])
    >>> [t.surface for t in tokenize_corpus(c).sentences[0][0].tokens]
    ['見守り', '活動', 'の', '推進']
    """
    from .settings import default_settings
    from .units import FIELDS, text_units

    settings = settings or default_settings()
    return tokenize_units(text_units(corpus, fields=fields or FIELDS),
                          split_mode=settings.get("tokens", "split_mode"),
                          variants=settings_variants(settings), settings=settings, progress=progress)

