"""A token cache on disk, so a notebook re-run or a second report skips Sudachi.

A store of bytes keyed by text + settings: it knows nothing about tokens.  The caller
(:func:`analysis.tokens.cached_columns`) gives a *prefix* of everything that decides the value
besides the text (split mode, SudachiPy and dictionary versions, variant table, tokenizer code
version), the function that computes missing values, and its own encode/decode pair.  Values
are stored marshalled, compressed and checksummed.

The cache is one SQLite file (``tokens.sqlite``) in :func:`cache_dir` (``$KEIKAKU_CACHE_DIR``,
else ``$XDG_CACHE_HOME/keikaku``, else ``~/.cache/keikaku``; with no home directory, no cache): safe for several processes at once (WAL mode, each write one transaction).
A damaged entry fails its checksum or the caller's decode and is computed again; a damaged or
unreadable file is set aside and rebuilt; a cache that cannot be written is simply not used.  A
cache problem never changes a result.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     cached(["見守り", "見守り", "連携"], prefix=b"len", compute=lambda ts: [len(t) for t in ts],
...            encode=lambda v: v, decode=lambda text, data: data, path=Path(d) / FILE_NAME)
[3, 3, 2]
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

FILE_NAME = "tokens.sqlite"
_FORMAT = b"kc1"
_BATCH = 500  # keys per SELECT (below SQLite's variable limit)


def cache_dir() -> Path:
    """Where the cache lives: ``$KEIKAKU_CACHE_DIR``; else ``$XDG_CACHE_HOME/keikaku`` (when it
    is an absolute path); else ``~/.cache/keikaku``."""
    env = os.environ.get("KEIKAKU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "keikaku"


def make_dir(directory: Path, *, whole: bool) -> None:
    """Create the cache directory: the whole path for one a user named; otherwise only the cache
    base and ``keikaku`` below a directory that exists (never a missing home directory's tree)."""
    if whole:
        directory.mkdir(parents=True, exist_ok=True)
        return
    if not directory.parent.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(directory.parent.parent))
    directory.parent.mkdir(exist_ok=True)
    directory.mkdir(exist_ok=True)


def cache_path() -> Path:
    return cache_dir() / FILE_NAME


def cache_key(prefix: bytes, text: str) -> bytes:
    """The key of ``text`` under ``prefix`` (what else decides the value).

    >>> cache_key(b"C", "連携") != cache_key(b"A", "連携")
    True
    """
    h = hashlib.blake2b(prefix, digest_size=20)
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()


def pack(data: Any) -> bytes:
    """``data`` marshalled, compressed and checksummed (what the cache stores; the stage cache,
    :mod:`analysis.stagecache`, stores the same)."""
    body = zlib.compress(marshal.dumps(data), 1)
    return _FORMAT + hashlib.blake2b(body, digest_size=16).digest() + body


def unpack(blob: bytes) -> tuple[bool, Any]:
    """``(True, data)`` stored in ``blob``, or ``(False, None)`` when it is damaged in any way."""
    try:
        if not isinstance(blob, bytes) or blob[:3] != _FORMAT:
            return False, None
        digest, body = blob[3:19], blob[19:]
        if hashlib.blake2b(body, digest_size=16).digest() != digest:
            return False, None
        return True, marshal.loads(zlib.decompress(body))
    except Exception:  # noqa: BLE001 - any damage means "not cached"
        return False, None


_SKIPPED: set[str] = set()  # cache files already reported as not used by this process


def _damaged(exc: Exception) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and ("malformed" in str(exc) or "not a database" in str(exc))


def _skip(path: Path, exc: Exception) -> None:
    """Say once per process, in one plain line on stderr, that the cache at ``path`` is not used
    (a cache problem is never an error, and never a Python warning with a source line)."""
    if str(path) in _SKIPPED:
        return
    _SKIPPED.add(str(path))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    sys.stderr.write(f"keikaku: token cache not used ({path}): {reason}\n")


class _Store:
    """The SQLite file; every failure turns into "not cached" (and one warning)."""

    def __init__(self, path: Path, *, default: bool = False) -> None:
        self.path = path
        self.default = default  # the platform's cache directory, not a path a user named
        self.db: sqlite3.Connection | None = None
        try:
            self.db = self._open()
        except (sqlite3.DatabaseError, OSError) as exc:
            if not _damaged(exc):  # read-only, no space, no directory: not the file's fault
                _skip(path, exc)
                return
            self._set_aside()
            try:
                self.db = self._open()
            except (sqlite3.DatabaseError, OSError) as again:
                _skip(path, again)
                self.db = None

    def _open(self) -> sqlite3.Connection:
        make_dir(self.path.parent, whole=not self.default or bool(os.environ.get("KEIKAKU_CACHE_DIR")))
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS tokens (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
            db.execute("SELECT count(*) FROM (SELECT 1 FROM tokens LIMIT 1)").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        """Move a damaged file out of the way (never delete what might be someone's data)."""
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                try:
                    source.replace(source.with_name(f"{source.name}.damaged-{os.getpid()}-{int(time.time())}"))
                except OSError:
                    pass

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        if self.db is None:
            return found
        unique = list(dict.fromkeys(keys))
        try:
            for i in range(0, len(unique), _BATCH):
                chunk = unique[i:i + _BATCH]
                marks = ",".join("?" * len(chunk))
                found.update(self.db.execute(f"SELECT key, value FROM tokens WHERE key IN ({marks})", chunk))
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}
        return found

    def put_many(self, items: list[tuple[bytes, bytes]]) -> None:
        if self.db is None or not items:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO tokens (key, value) VALUES (?, ?)", items)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        _skip(self.path, exc)
        self.close()
        if _damaged(exc):
            self._set_aside()

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            finally:
                self.db = None


def cached(
    texts: list[str],
    *,
    prefix: bytes,
    compute: Callable[[list[str]], list[T]],
    encode: Callable[[T], Any],
    decode: Callable[[str, Any], T],
    path: str | Path | None = None,
) -> list[T]:
    """The value of every text: from the cache when there, else computed and stored.

    Parameters
    ----------
    texts
        The texts, in order (duplicates are computed once).
    prefix
        Everything besides the text that decides a value (:func:`cache_key`).
    compute
        Values of a list of texts, in order (called once, with the texts not cached).
    encode, decode
        A value to plain data that ``marshal`` can store (tuples, lists, bytes, numbers, text)
        and back; ``decode(text, data)`` may raise to refuse data that does not fit the text.
    path
        The SQLite file; default :func:`cache_path`.

    Returns
    -------
    list
        One value per text, equal to what ``compute`` gives.
    """
    keys = [cache_key(prefix, t) for t in texts]
    store = _Store(Path(path)) if path is not None else _Store(cache_path(), default=True)
    try:
        found = store.get_many(keys)
        out: list[Any] = [None] * len(texts)
        missing: dict[bytes, list[int]] = {}
        for i, (key, text) in enumerate(zip(keys, texts)):
            value = _decoded(text, found.get(key), decode)
            if value is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = value
        if missing:
            fresh = compute([texts[where[0]] for where in missing.values()])
            packed = []
            for (key, where), value in zip(missing.items(), fresh):
                data = encode(value)
                packed.append((key, pack(data)))
                for i in where:  # a duplicate text gets a value of its own
                    out[i] = value if i == where[0] else decode(texts[i], data)
            store.put_many(packed)
        return out
    finally:
        store.close()


def _decoded(text: str, blob: bytes | None, decode: Callable[[str, Any], T]) -> T | None:
    if blob is None:
        return None
    ok, data = unpack(blob)
    if not ok:
        return None
    try:
        return decode(text, data)
    except Exception:  # noqa: BLE001 - a well-formed entry that does not fit: not cached
        return None


def clear_token_cache(path: str | Path | None = None) -> None:
    """Remove the token cache file (and its SQLite side files); without ``path``, the stage
    results stored beside it too (:func:`analysis.stagecache.clear_stage_cache`)."""
    target = Path(path) if path is not None else cache_path()
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    if path is None:
        from .stagecache import clear_stage_cache

        clear_stage_cache()


clear = clear_token_cache
