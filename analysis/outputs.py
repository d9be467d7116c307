"""Writing results: atomically, deterministically, in forms Excel and Gephi open cleanly.

A failure never leaves a half-written file: everything is written to a temporary sibling and
renamed into place.  CSV is UTF-8 with BOM (Excel detects Japanese correctly); JSON is UTF-8 with
``ensure_ascii=False`` and sorted keys.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import OutputError, check_choice


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Temporary files and directories are created private (0600/0700); outputs are for sharing, so
# they get the permissions the user's umask gives any new file.  Read once: umask is per process.
_UMASK = _current_umask()
FILE_MODE = 0o666 & ~_UMASK
DIR_MODE = 0o777 & ~_UMASK


# Staging names: hidden siblings that say they are keikaku's and which process made them, so a
# later run can remove those of a run that was killed (SIGKILL, power loss) and never touch
# anything else.  ``.NAME.keikaku-PID-RANDOM.KIND``: NAME is cut short so the whole name fits the
# file system whenever NAME itself does.
STAGING_KINDS = ("new", "old", "tmp")
_STAGING_NAME = re.compile(r"^\..*\.keikaku-(\d+)-[0-9a-f]{8}\.(new|old|tmp)$", re.DOTALL)
_SHORT_NAME_BYTES = 48  # enough of NAME for a person to see what the staging folder was for


def name_limit(directory: str | os.PathLike) -> int:
    """The longest file name, in bytes, that ``directory``'s file system takes.

    Parameters
    ----------
    directory : path
        An existing directory (another path gives the default).

    Returns
    -------
    int
        ``PC_NAME_MAX`` of its file system; 255 when it cannot be asked.

    >>> name_limit("/no/such/folder")
    255
    """
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # no such directory yet, or not POSIX
        return 255


def _fit(name: str, limit: int) -> str:
    """``name`` cut to at most ``limit`` bytes in the file-system encoding, at a character edge."""
    while name and len(os.fsencode(name)) > limit:
        name = name[:-1]
    return name


def staging_name(target_name: str, kind: str, *, limit: int = 255) -> str:
    """A fresh hidden sibling name for ``target_name`` that fits in ``limit`` bytes.

    Parameters
    ----------
    target_name : str
        The output's own name (cut short in the staging name when needed).
    kind : {"new", "old", "tmp"}
        A directory being built, a previous output renamed aside, or a file being written.
    limit : int, default 255
        The file system's longest name in bytes (:func:`name_limit`).

    Returns
    -------
    str
        ``.NAME.keikaku-PID-XXXXXXXX.KIND``, which :func:`remove_stale_staging` recognises.

    >>> name = staging_name("レポート", "new")
    >>> name.startswith(".レポート.keikaku-") and name.endswith(".new")
    True
    >>> len(os.fsencode(staging_name("あ" * 85, "old"))) <= 255
    True
    """
    check_choice("kind", kind, STAGING_KINDS)
    tail = f".keikaku-{os.getpid()}-{secrets.token_hex(4)}.{kind}"
    room = min(limit - 1 - len(tail), _SHORT_NAME_BYTES)
    return "." + _fit(target_name, max(room, 0)) + tail


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # someone else's process: alive
        return True
    return True


def remove_stale_staging(directory: str | os.PathLike) -> list[Path]:
    """Remove the staging folders and temporary files that killed keikaku runs left.

    Only names :func:`staging_name` makes are considered, and only those whose process is gone
    (a run still going keeps its own).  A symbolic link is removed, never followed.  A previous
    output renamed aside (``.old``) whose own name is free again is put back, not removed.

    Parameters
    ----------
    directory : path
        The folder beside whose outputs to look (the parent of an output).

    Returns
    -------
    list of Path
        What was removed (nothing on systems without POSIX process IDs).
    """
    if os.name != "posix":  # no cheap, safe test whether a PID is alive
        return []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    removed = []
    for entry in entries:
        found = _STAGING_NAME.match(entry.name)
        if not found or int(found.group(1)) == os.getpid() or _pid_alive(int(found.group(1))):
            continue
        path = Path(entry.path)
        if found.group(2) == "old" and _put_back(path):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _put_back(old: Path) -> bool:
    """A run killed between its two renames left the previous output only as ``.NAME…old``:
    rename it back to NAME (if that is free) instead of deleting the only copy."""
    name = old.name[1:old.name.rindex(".keikaku-")]
    original = old.parent / name
    if not name or os.path.lexists(original) or old.is_symlink():
        return False
    try:
        os.rename(old, original)
    except OSError:
        return True  # keep it rather than lose it
    return True


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP while a few renames or a clean-up must finish together.

    A signal that arrives meanwhile is handled right after the block (on systems without
    ``pthread_sigmask`` the block is not protected).

    Returns
    -------
    context manager
        Use as ``with signals_deferred(): ...``.
    """
    import signal

    wanted = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _staging_directory(target: Path) -> Path:
    remove_stale_staging(target.parent)
    for _ in range(100):
        staging = target.parent / staging_name(target.name, "new", limit=name_limit(target.parent))
        try:
            os.mkdir(staging, 0o700)
        except FileExistsError:
            continue
        os.chmod(staging, DIR_MODE)
        return staging
    raise FileExistsError(f"no free staging name beside {target}")


def writable_target(target: str | os.PathLike) -> Path:
    """Where an output named ``target`` is written: a symbolic link is written through.

    Parameters
    ----------
    target : path
        The output as the user named it.

    Returns
    -------
    Path
        ``target`` itself, or for a symbolic link the path it points to (which is replaced; the
        link stays as it was).

    >>> writable_target("report").name
    'report'
    """
    target = Path(target)
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _check_name_lengths(target: Path) -> None:
    path = Path(os.path.abspath(target))
    limit = min(255, name_limit(_nearest_existing(path)))
    for part in path.parts[1:]:
        size = len(os.fsencode(part))
        if size > limit:
            raise OutputError(f"the name is too long ({size} bytes; the file system allows {limit}): "
                              "choose a shorter name", file=str(target))
    if len(os.fsencode(str(path))) >= 4096:
        raise OutputError("the path is too long (4096 bytes or more): choose a shorter one", file=str(target))


def _nearest_existing(path: Path) -> Path:
    while True:
        try:
            if path.exists() or path == path.parent:
                return path
        except OSError:
            pass
        path = path.parent


def check_output_directory(target: str | os.PathLike, *, replaced: bool = False) -> None:
    """Fail early, before any analysis, if ``target`` cannot become an output directory.

    ``replaced``: the directory is swapped as a whole, so it must not be the current directory or
    one of its parents (that cannot be renamed away).  A name too long for the file system is
    refused here, not halfway through the work.
    """
    target = Path(target)
    _check_name_lengths(target)
    target = writable_target(target)
    try:
        if target.exists() and not target.is_dir():
            raise OutputError("exists and is not a directory", file=str(target))
        resolved = target.resolve()
        if replaced and (resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents):
            raise OutputError("is the current folder (or holds it); name a new folder for the output",
                              file=str(target))
        existing = _nearest_existing(resolved)
    except OSError as exc:
        raise OutputError(f"cannot be written: {exc.strerror or exc}", file=str(target)) from exc
    if not existing.is_dir():
        raise OutputError(f"cannot be created: {existing} is not a directory", file=str(target))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"cannot be created: no permission to write in {existing}", file=str(target))


# A folder that ``graph -o``, ``gaps --csv`` and ``compare --csv`` wrote holds this mark (an
# empty folder, so the outputs themselves stay exactly the files the command lists).
OUTPUT_MARK = ".keikaku-output"
CORPUS_MARK = "manifest.json"


def check_owned_directory(directory: str | os.PathLike) -> None:
    """Refuse to write files into ``directory`` unless keikaku owns it.

    keikaku owns a folder that is new or empty, or that an earlier ``graph``/``gaps``/``compare``
    wrote (it holds :data:`OUTPUT_MARK`).  A corpus folder (it holds ``manifest.json``) is always
    refused.

    Parameters
    ----------
    directory : path
        The folder a command would write its files into.

    Returns
    -------
    None
        Raises :class:`~analysis.errors.OutputError` (exit 5) for a folder keikaku does not own.

    >>> check_owned_directory("/no/such/folder")  # a new folder is fine
    """
    directory = writable_target(directory)
    try:
        if not directory.is_dir():
            return  # missing (it will be made) or a file (check_output_directory says so)
        names = set(os.listdir(directory))
    except OSError as exc:
        raise OutputError(f"cannot be read: {exc.strerror or exc}", file=str(directory)) from exc
    if CORPUS_MARK in names:
        raise OutputError("is a corpus folder; outputs are never written into one: choose a new "
                          "or empty folder", file=str(directory))
    if names and OUTPUT_MARK not in names:
        raise OutputError("holds files keikaku did not write; choose a new or empty folder "
                          "(nothing was written)", file=str(directory))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = writable_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / staging_name(path.name, "tmp", limit=name_limit(path.parent))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from exc
        raise


def atomic_write_text(path: str | os.PathLike, text: str, *, bom: bool = False) -> None:
    """Write text as UTF-8 (with BOM when ``bom``), with ``\\n`` line ends on every platform."""
    atomic_write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"))


def json_dumps(obj: Any) -> str:
    """The project's one JSON form: UTF-8 text, sorted keys, two-space indent, final newline.

    >>> json_dumps({"b": 1, "a": "連携"})
    '{\\n  "a": "連携",\\n  "b": 1\\n}\\n'
    """
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def json_chunks(obj: dict, *, stream: str) -> Iterator[str]:
    """:func:`json_dumps` of ``obj`` in pieces, its member ``stream`` (any iterable) read one item
    at a time: what a national corpus gives (millions of rows) is never all in memory, nor one
    string.  The pieces join to exactly ``json_dumps({**obj, stream: list(obj[stream])})``.

    >>> obj = {"settings": {"a": 1}, "rows": iter([{"t": "連携"}, {"t": "見守り"}])}
    >>> "".join(json_chunks(obj, stream="rows")) == json_dumps(
    ...     {"settings": {"a": 1}, "rows": [{"t": "連携"}, {"t": "見守り"}]})
    True
    """
    def dumps(value: Any, indent: str) -> str:  # a member's value, its later lines indented
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).replace("\n", "\n" + indent)

    if not obj:
        yield json_dumps(obj)
        return
    yield "{"
    for n, key in enumerate(sorted(obj)):
        yield ("," if n else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: "
        if key != stream:
            yield dumps(obj[key], "  ")
            continue
        opened = False
        for item in obj[key]:
            yield (",\n    " if opened else "[\n    ") + dumps(item, "    ")
            opened = True
        yield "\n  ]" if opened else "[]"
    yield "\n}\n"


def plain_value(value: Any) -> Any:
    """A value as JSON and spreadsheets take it: NaN, NA and None → ``None``, numpy scalars →
    Python numbers; anything else unchanged.

    >>> import numpy as np
    >>> plain_value(np.int64(3)), plain_value(float("nan")), plain_value("連携")
    (3, None, '連携')
    """
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and other containers have no single truth value
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def write_json(path: str | os.PathLike, obj: Any) -> None:
    atomic_write_text(path, json_dumps(obj))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text (``\\r\\n`` row ends, as RFC 4180 and Excel expect), no BOM.

    >>> csv_text(["a", "b"], [[1, "x,y"]])
    'a,b\\r\\n1,"x,y"\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def write_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV table that opens in Excel with Japanese intact (UTF-8 with BOM)."""
    atomic_write_text(path, csv_text(header, rows), bom=True)


def write_frame_csv(path: str | os.PathLike, frame) -> None:
    """Write a pandas DataFrame as Excel-friendly CSV (UTF-8 with BOM, no index)."""
    atomic_write_text(path, frame.to_csv(index=False, lineterminator="\r\n"), bom=True)


def _retargeted(error: Exception, staging: Path, target: Path) -> OutputError:
    """The error as the user should read it: naming the output, not the hidden staging path."""
    if isinstance(error, OutputError):
        file = error.file
        if file is not None and (file == str(staging) or file.startswith(str(staging) + os.sep)):
            error.file = str(target) + file[len(str(staging)):]
        return error
    return OutputError(f"cannot write: {getattr(error, 'strerror', None) or error}", file=str(target))


@contextlib.contextmanager
def atomic_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Build a whole output directory aside, then swap it in.

    On failure (an error, Ctrl-C, SIGTERM, SIGHUP) the previous ``target`` (if any) is left exactly
    as it was and the partial build is removed; the partial builds of runs that were killed are
    removed by the next run.  Files in ``target`` that the build did not produce are not kept:
    the directory is keikaku's output, replaced as a whole.  A symbolic link ``target`` is written
    through: the directory it points to is replaced and the link is kept.
    """
    check_output_directory(target, replaced=True)
    target = writable_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_directory(target)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(target)) from exc
    try:
        yield staging
    except BaseException as exc:
        with signals_deferred():
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (OSError, OutputError)):  # e.g. a full disk while building
            raise _retargeted(exc, staging, target) from exc
        raise
    with signals_deferred():  # the two renames happen together, or the old output stays
        old = None
        try:
            if target.exists():
                old = target.parent / staging_name(target.name, "old", limit=name_limit(target.parent))
                os.replace(target, old)
            os.replace(staging, target)
        except OSError as exc:
            if old is not None and not target.exists():
                os.replace(old, target)
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot replace directory: {exc.strerror or exc}", file=str(target)) from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_files(directory: str | os.PathLike) -> Iterator[Path]:
    """Write several files into ``directory`` together: the body writes them into a staging
    directory beside it; when the body succeeds each file is moved into place (files of
    ``directory`` the body did not write are kept) and the directory is marked as keikaku's
    (:data:`OUTPUT_MARK`); when it fails nothing in ``directory`` changes and the staging
    directory is removed.

    For output directories that may hold other files (``graph -o``, ``--csv DIR``); only a
    directory :func:`check_owned_directory` accepts is written.  Use :func:`atomic_directory` for
    a directory keikaku replaces as a whole.
    """
    check_output_directory(directory)
    check_owned_directory(directory)
    directory = writable_target(directory)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_directory(directory)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(directory)) from exc
    try:
        try:
            yield staging
        except (OSError, OutputError) as exc:
            raise _retargeted(exc, staging, directory) from exc
        with signals_deferred():
            try:
                (directory / OUTPUT_MARK).mkdir(parents=True, exist_ok=True)
                for path in sorted(p for p in staging.rglob("*") if p.is_file()):
                    final = directory / path.relative_to(staging)
                    final.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, final)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(directory)) from exc
    finally:
        with signals_deferred():
            shutil.rmtree(staging, ignore_errors=True)
