"""Stage results on disk (coded units, terms pass, TF-IDF, continuity features), so a second run skips them.

The token cache (:mod:`analysis.tokencache`) lets a second run skip Sudachi; this cache lets it
skip the stages after it too.  A stage result is stored under one key made of

- the stage's name and code version (:func:`code_version`: a version string the stage bumps,
  and the digest of the source of the modules that compute it, so an edited module is a new
  version without anyone remembering to bump),
- the token cache keys of the units' texts, in order (:func:`analysis.tokens.cache_keys`: they
  change with the text, the split mode, the variant table, the dictionary and the word list),
- the digest of every other input that shapes the stage (:func:`digest`): the theme lexicon
  for coding, the stop list and the POS patterns for TF-IDF, and so on,

so it is invalidated exactly when one of those changes: a lexicon edit recomputes the coded units
but not TF-IDF, a stop-list edit TF-IDF but not the themes, a new word list everything.

The store is one file per key, ``<cache dir>/stages/<stage>-<key>.kc`` beside the token cache
(:func:`analysis.tokencache.cache_dir`), written atomically (a temporary file renamed over it)
in the token cache's format (marshalled, compressed, checksummed).  A damaged entry fails its
checksum or the stage's decode and is computed again; a cache that cannot be read or written is
not used (one line on stderr per process).  A cache problem never changes a result.

The stages cached so far, each beside its plain computation (the reference a cached result
equals, tested in ``tests/test_stagecache.py``):

============== ============================================ =====================================
stage          function (plain computation)                 other inputs in the key
============== ============================================ =====================================
coded          ``themes.code_units`` (``code_units_plain``)  the lexicon's themes, the variants
tfidf          ``textstat.tfidf_by_direction``              stop list, POS patterns, ``top``, the
               (``tfidf_plain``)                            units' directions
sentence-words ``continuity.features.unit_sentence_words``  stop list
terms          ``terms.columns.column_pass`` (its           stop list (edge words)
               ``_analyse``): the noun runs and candidates
               that ``term_table``, ``unit_features``,
               TF-IDF and co-occurrence read
candidates     ``terms.columns.shared_candidates``: the      stop list (edge words)
               candidates ``term_table`` ranks
============== ============================================ =====================================

The terms stages keep the pass and its candidates, not the term table: every method, ``top``, ``min_parts``,
``min_frequency`` and the stop terms rank the same pass, so they need no key, and a second run
only ranks (``unit_features`` reads the pass and the token columns).

Hook for another stage: call :func:`cached_stage` with the stage's name, its
:func:`code_version` (a version string and the modules that compute it), the tokens'
:func:`token_keys`, the digests of its other inputs, the plain computation and an encode/decode
pair to marshallable data, and pass ``enabled=`` :func:`cache_wanted` ``(tokens, cache)``.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     calls = []
...     def compute():
...         calls.append(1)
...         return {"見守り": 2}
...     args = dict(version="v1", keys=[b"k"], inputs=(), compute=compute, encode=lambda v: v,
...                 decode=lambda data: data, directory=Path(d))
...     cached_stage("例", **args), cached_stage("例", **args), len(calls)
({'見守り': 2}, {'見守り': 2}, 1)
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

from . import tokencache

if TYPE_CHECKING:
    from .tokens import Tokens

T = TypeVar("T")

DIR_NAME = "stages"
_SUFFIX = ".kc"


def stage_dir() -> Path:
    """Where stage results live: ``stages/`` in the token cache's directory."""
    return tokencache.cache_dir() / DIR_NAME


def digest(value: Any) -> str:
    """A digest of plain data (text, numbers, bytes, tuples, lists, dicts, sets, None).

    Sets and dicts are digested in sorted order, so equal values have equal digests.

    >>> digest({"推進", "充実"}) == digest(frozenset({"充実", "推進"}))
    True
    >>> digest(("見守り",)) != digest(("見守り", "連携"))
    True
    """
    return hashlib.blake2b(marshal.dumps(_canonical(value)), digest_size=20).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(map(_canonical, value), key=repr)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, (list, tuple)):
        return tuple(map(_canonical, value))
    return value


@functools.cache
def code_version(version: str, *modules: str) -> str:
    """The code version of a stage: ``version`` and the digest of the named modules' source.

    Parameters
    ----------
    version : str
        The stage's own version (bump it when its result changes for the same input).
    *modules : str
        The modules whose code decides the result (their source files are digested; a module
        without a readable source counts by name only).

    Returns
    -------
    str
    """
    h = hashlib.blake2b(version.encode(), digest_size=16)
    for name in modules:
        h.update(b"\x1f" + name.encode())
        path = getattr(importlib.import_module(name), "__file__", None)
        try:
            h.update(Path(path).read_bytes() if path else b"")
        except OSError:
            pass
    return f"{version}:{h.hexdigest()}"


def token_keys(tokens: "Tokens") -> list[bytes] | None:
    """The token cache keys of the units' texts (:func:`analysis.tokens.cache_keys`) with the
    split mode, variant table and word list the tokens were cut with; ``None`` for tokens that
    do not record their variant table (built by hand, not by :func:`analysis.tokens.tokenize_units`):
    their stages are computed, never cached."""
    from .tokens import cache_keys

    if getattr(tokens, "variants", None) is None:
        return None
    return cache_keys([u.text for u in tokens.units], split_mode=tokens.split_mode, variants=tokens.variants,
                      user_dictionary=tokens.user_dictionary)


def cache_wanted(tokens: "Tokens", cache: bool | None) -> bool:
    """``cache``, or when ``None`` whether the tokens were made with the cache on (``[tokens]
    cache`` of the settings that made them, as :func:`analysis.tokens.tokenize_units` records it).

    >>> from analysis.tokens import Tokens
    >>> cache_wanted(Tokens([], [], settings={"tokens": {"cache": True}}), None), cache_wanted(Tokens([], []), None)
    (True, False)
    """
    if cache is not None:
        return bool(cache)
    return bool((getattr(tokens, "settings", None) or {}).get("tokens", {}).get("cache", False))


def stage_key(stage: str, version: str, keys: Iterable[bytes], inputs: Iterable[str]) -> str:
    """The key of one stage result (hex): stage name, code version, input digests, token keys.

    >>> stage_key("tfidf", "v1", [b"a"], ["s"]) != stage_key("tfidf", "v1", [b"a"], ["t"])
    True
    """
    h = hashlib.blake2b("\x1f".join((stage, version, *inputs)).encode("utf-8") + b"\x1e", digest_size=20)
    for key in keys:
        h.update(key)
    return h.hexdigest()


_SKIPPED: set[str] = set()


def _skip(directory: Path, exc: OSError) -> None:
    """Say once per process, in one plain line on stderr, that the stage cache is not used."""
    if str(directory) in _SKIPPED:
        return
    _SKIPPED.add(str(directory))
    sys.stderr.write(f"keikaku: stage cache not used ({directory}): {exc.strerror or exc}\n")


def _file(directory: Path, stage: str, key: str) -> Path:
    return directory / f"{stage}-{key}{_SUFFIX}"


def load(stage: str, key: str, *, directory: Path | None = None) -> tuple[bool, Any]:
    """``(True, data)`` stored for ``key``, or ``(False, None)`` when missing or damaged."""
    path = _file(directory or stage_dir(), stage, key)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return False, None
    except OSError as exc:
        _skip(path.parent, exc)
        return False, None
    return tokencache.unpack(blob)


def store(stage: str, key: str, data: Any, *, directory: Path | None = None) -> None:
    """Store ``data`` (marshallable) for ``key``: written to a temporary file, then renamed."""
    default = directory is None
    directory = directory or stage_dir()
    try:
        tokencache.make_dir(directory.parent, whole=not default or bool(os.environ.get("KEIKAKU_CACHE_DIR")))
        directory.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{stage}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(tokencache.pack(data))
            os.replace(temp, _file(directory, stage, key))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        _skip(directory, exc)


def cached_stage(
    stage: str,
    *,
    version: str,
    keys: Iterable[bytes] | None,
    inputs: Iterable[str],
    compute: Callable[[], T],
    encode: Callable[[T], Any],
    decode: Callable[[Any], T],
    enabled: bool = True,
    directory: Path | None = None,
) -> T:
    """A stage's result: from the cache when there, else computed (and stored).

    Parameters
    ----------
    stage : str
        The stage's name (part of the key and of the file name).
    version : str
        Its code version (:func:`code_version`).
    keys : iterable of bytes or None
        The token cache keys of the units' texts (:func:`token_keys`); ``None``: not cached.
    inputs : iterable of str
        Digests of the stage's other inputs (:func:`digest`).
    compute : callable() -> T
        The plain computation (the reference: a cached result equals it).
    encode, decode : callable
        The result to data ``marshal`` can store and back; ``decode`` may raise to refuse data
        that does not fit (then the stage is computed again).
    enabled : bool, default True
        ``False``: compute, neither read nor write (``[tokens] cache = false``).
    directory : Path, optional
        Default :func:`stage_dir`.

    Returns
    -------
    T
    """
    if not enabled or keys is None:
        return compute()
    key = stage_key(stage, version, keys, inputs)
    found, data = load(stage, key, directory=directory)
    if found:
        try:
            return decode(data)
        except Exception:  # noqa: BLE001 - a well-formed entry that does not fit: not cached
            pass
    value = compute()
    store(stage, key, encode(value), directory=directory)
    return value


def clear_stage_cache(directory: str | Path | None = None) -> None:
    """Remove every stored stage result."""
    target = Path(directory) if directory is not None else stage_dir()
    for path in target.glob(f"*{_SUFFIX}") if target.is_dir() else ():
        path.unlink(missing_ok=True)


__all__ = ["cache_wanted", "cached_stage", "clear_stage_cache", "code_version", "digest", "stage_dir", "stage_key",
           "token_keys"]
