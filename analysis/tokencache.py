"""A token cache on disk, so a notebook re-run or a second report skips Sudachi.

Entries are keyed by a digest of everything that decides the tokens: the text, the split mode,
the SudachiPy and dictionary versions (:func:`analysis.tokens.dictionary_version`), the variant
table and the tokenizer code version (:data:`analysis.tokens.CODE_VERSION`).  Values are the
compact columns of :class:`analysis.tokens.TokenColumns`, marshalled, compressed and checksummed.

The cache is one SQLite file (``tokens.sqlite``) in ``$KEIKAKU_CACHE_DIR`` or
``~/.cache/keikaku``: safe for several processes at once (WAL mode, each write one transaction).
A damaged entry fails its checksum or its consistency check and is tokenized again; a damaged or
unreadable file is set aside and rebuilt; a cache that cannot be written is simply not used.  A
cache problem never changes a result.

>>> from analysis.tokens import tokenize_columns
>>> cols = cached_columns(["見守り活動", "見守り活動"], split_mode="C")
>>> cols[0].norms == tokenize_columns("見守り活動").norms
True
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import time
import warnings
import zlib
from pathlib import Path
from typing import Callable

from . import tokens as _tokens

FILE_NAME = "tokens.sqlite"
_FORMAT = b"kc1"
_BATCH = 500  # keys per SELECT (below SQLite's variable limit)


def cache_dir() -> Path:
    """Where the cache lives: ``$KEIKAKU_CACHE_DIR``, else ``~/.cache/keikaku``."""
    env = os.environ.get("KEIKAKU_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "keikaku"


def cache_path() -> Path:
    return cache_dir() / FILE_NAME


def _prefix(split_mode: str, variants: dict[str, str]) -> bytes:
    variant_text = "\n".join(f"{a}\t{b}" for a, b in sorted(variants.items()))
    parts = (_tokens.CODE_VERSION, split_mode, _tokens.dictionary_version(), variant_text)
    return "\x1f".join(parts).encode("utf-8") + b"\x1e"


def cache_key(text: str, *, split_mode: str = "C", variants: dict[str, str] | None = None) -> bytes:
    """The key of ``text`` tokenized with these settings (changes with any of them).

    >>> cache_key("連携", split_mode="A") != cache_key("連携", split_mode="C")
    True
    """
    if variants is None:
        variants = _tokens.default_variants()
    return _key(_prefix(split_mode, variants), text)


def _key(prefix: bytes, text: str) -> bytes:
    h = hashlib.blake2b(prefix, digest_size=20)
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()


def _pack(columns: _tokens.TokenColumns) -> bytes:
    body = zlib.compress(marshal.dumps(columns.encode()), 1)
    return _FORMAT + hashlib.blake2b(body, digest_size=16).digest() + body


def _unpack(text: str, blob: bytes) -> _tokens.TokenColumns | None:
    """The columns stored in ``blob``, or None when it is damaged in any way."""
    try:
        if not isinstance(blob, bytes) or blob[:3] != _FORMAT:
            return None
        digest, body = blob[3:19], blob[19:]
        if hashlib.blake2b(body, digest_size=16).digest() != digest:
            return None
        data = marshal.loads(zlib.decompress(body))
        if not isinstance(data, tuple) or len(data) != 4:
            return None
        return _tokens.TokenColumns.decode(text, data)
    except Exception:  # noqa: BLE001 - any damage means "not cached"
        return None


class _Store:
    """The SQLite file; every failure turns into "not cached" (and one warning)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        try:
            self.db = self._open()
        except (sqlite3.DatabaseError, OSError):
            self._set_aside()
            try:
                self.db = self._open()
            except (sqlite3.DatabaseError, OSError) as exc:
                warnings.warn(f"token cache not used ({path}): {exc}", RuntimeWarning, stacklevel=3)
                self.db = None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
        warnings.warn(f"token cache not used ({self.path}): {exc}", RuntimeWarning, stacklevel=4)
        damaged = "malformed" in str(exc) or "not a database" in str(exc)
        self.close()
        if damaged:
            self._set_aside()

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            finally:
                self.db = None


def cached_columns(
    texts: list[str],
    *,
    split_mode: str = "C",
    variants: dict[str, str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    path: str | Path | None = None,
) -> list[_tokens.TokenColumns]:
    """:class:`~analysis.tokens.TokenColumns` of every text: from the cache when there, else
    tokenized (in ``workers`` processes) and stored."""
    if variants is None:
        variants = _tokens.default_variants()
    prefix = _prefix(split_mode, variants)
    keys = [_key(prefix, t) for t in texts]
    store = _Store(Path(path) if path is not None else cache_path())
    try:
        found = store.get_many(keys)
        out: list[_tokens.TokenColumns | None] = [None] * len(texts)
        missing: dict[bytes, list[int]] = {}
        for i, (key, text) in enumerate(zip(keys, texts)):
            blob = found.get(key)
            columns = None if blob is None else _unpack(text, blob)
            if columns is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = columns
        if missing:
            firsts = [where[0] for where in missing.values()]
            fresh = _tokens.columns_for([texts[i] for i in firsts], split_mode=split_mode, variants=variants,
                                        workers=workers)
            for (key, where), columns in zip(missing.items(), fresh):
                for i in where:
                    out[i] = columns if i == where[0] else _tokens.TokenColumns(
                        texts[i], columns.norms, columns.pos, columns.ends, columns.spans)
            store.put_many([(key, _pack(c)) for key, c in zip(missing, fresh)])
        if progress is not None:
            progress(len(texts), len(texts))
        return out  # type: ignore[return-value]
    finally:
        store.close()


def clear_token_cache(path: str | Path | None = None) -> None:
    """Remove the token cache file (and its SQLite side files)."""
    target = Path(path) if path is not None else cache_path()
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)


clear = clear_token_cache
