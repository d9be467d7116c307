"""The ``keikaku`` command.  A thin consumer of the public API.

Each sub-command lives in a module of this package that defines ``register(subparsers)``; the
modules import nothing heavy at import time, so ``keikaku --help`` starts fast.  Errors the user
can act on are one line on stderr and a documented exit code (``analysis.errors``); ``--debug``
shows the traceback.

The terminal never stops the work: output is UTF-8 whatever the locale (characters a stream
cannot take are escaped), a full stdout is an output error (exit 5), and SIGTERM and SIGHUP
clean up as Ctrl-C does (exit 128 + the signal's number).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import importlib
import os
import sys
from typing import Iterator, Sequence

from .. import __version__
from ..errors import EXIT_INTERNAL, Interrupted, KeikakuError, OutputError

# Sub-command modules, in the order --help lists them.
COMMAND_MODULES = ("corpus", "text", "tokens", "graph", "owners", "report", "explore")

DESCRIPTION = "keikaku: 地域福祉計画の評価と次期計画をつなぐテキスト分析"


def common_options() -> argparse.ArgumentParser:
    """Options every sub-command accepts (as a parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--settings", metavar="TOML", help="settings file overriding the defaults")
    parent.add_argument("--user-dict", dest="user_dict", metavar="FILE",
                        help="ひとまとまりの語として扱う語のリスト（1行1語、または CSV/TSV: 語, 読み, 品詞）")
    parent.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="keikaku", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"keikaku {__version__}")
    # Its own dest: a sub-command's --debug default would otherwise overwrite it.
    parser.add_argument("--debug", dest="debug_first", action="store_true",
                        help="show the traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    parent = common_options()
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # a command not built yet
            raise
        module.register(subparsers, parent)
    return parser


def non_negative_int(text: str) -> int:
    """An argparse ``type``: a whole number, 0 or more (anything else is a usage error, exit 2).

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    int
        The number; raises ``argparse.ArgumentTypeError`` otherwise.

    >>> non_negative_int("10")
    10
    >>> non_negative_int("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be 0 or more, not -1
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _escape(error: UnicodeEncodeError) -> tuple[bytes, int]:
    # A file name the locale could not decode comes back as its own bytes (surrogateescape);
    # any other character the stream cannot take is written as \uXXXX.
    out = b""
    for char in error.object[error.start:error.end]:
        code = ord(char)
        out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else char.encode("ascii", "backslashreplace")
    return out, error.end


codecs.register_error("keikaku-escape", _escape)


def utf8_streams(*streams) -> None:
    """Make text streams take Japanese whatever the locale.

    A stream whose encoding cannot write Japanese (ASCII under ``LC_ALL=C``,
    ``PYTHONIOENCODING=ascii``) writes UTF-8, and no character ever makes a write fail (it is
    escaped as ``\\uXXXX``).  Streams that cannot be reconfigured are left alone.

    Parameters
    ----------
    *streams : text streams
        Usually ``sys.stdout`` and ``sys.stderr``.

    Returns
    -------
    None
    """
    for stream in streams:
        if not hasattr(stream, "reconfigure"):
            continue
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "地域福祉の見守り".encode(encoding)
        except (LookupError, UnicodeEncodeError):
            encoding = "utf-8"
        with contextlib.suppress(ValueError, TypeError, OSError):
            stream.reconfigure(encoding=encoding, errors="keikaku-escape")


class _GuardedStdout:
    """sys.stdout while a command runs: a write that fails (a full disk, ``> /dev/full``) is an
    OutputError naming standard output, not a bug.  A closed pipe stays BrokenPipeError."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def _call(self, name: str, *args):
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", file="standard output") from exc

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        self._call("flush")

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _interrupted(signal_number: int, frame) -> None:
    raise Interrupted(signal_number)


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`~analysis.errors.Interrupted` (a KeyboardInterrupt), so
    staging folders are removed exactly as on Ctrl-C."""
    import signal

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread: leave it be
                previous[number] = signal.signal(number, _interrupted)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (default: the process's own arguments); returns the exit code."""
    process = argv is None
    if process:
        _utf8_mode_again()
    argv = list(sys.argv[1:] if argv is None else argv)
    utf8_streams(sys.stdout, sys.stderr)
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)
    try:
        with _signals_interrupt():
            return _main(argv)
    except OutputError as error:  # stdout failed outside a command: argparse writing --help
        print(f"keikaku: error: {one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    finally:
        sys.stdout = stdout
        if process:
            _settle_stdout()


def _settle_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError:  # already reported (or a closed pipe): drop the rest, do not fail at exit
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    # argparse cannot take an optional positional PATH after an option that follows another
    # positional (``kwic WORD --json PATH``): a single leftover word is that PATH.
    if extras:
        if len(extras) == 1 and not extras[0].startswith("-") and getattr(args, "path", "") is None:
            args.path = extras[0]
        else:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
    args.debug = bool(getattr(args, "debug", False) or getattr(args, "debug_first", False))
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a full stdout is found here, while it can still be reported
        return code
    except KeikakuError as error:
        if args.debug:
            raise
        print(f"keikaku: error: {one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as stop:
        print("keikaku: interrupted", file=sys.stderr)
        return getattr(stop, "exit_code", 130)
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: one line, and how to see more
        if args.debug:
            raise
        print(f"keikaku: internal error: {type(error).__name__}: {one_line(str(error))} "
              "(run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


def one_line(message: str) -> str:
    """An error message as one line: line breaks quoted from the input become spaces.

    >>> one_line("column 「基本\\n目標」 not found")
    'column 「基本 目標」 not found'
    """
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def _utf8_mode_again() -> None:
    """Under ``LC_ALL=C`` with UTF-8 mode off, Python takes file names and arguments as ASCII, so
    a Japanese file name cannot be recorded or printed: run again in UTF-8 mode (``-X utf8``)."""
    if os.name != "posix" or sys.flags.utf8_mode or not sys.executable:
        return
    if codecs.lookup(sys.getfilesystemencoding()).name != "ascii":
        return
    with contextlib.suppress(OSError):
        os.execv(sys.executable, [sys.executable, "-X", "utf8", "-m", "analysis", *sys.argv[1:]])


def run() -> None:
    sys.exit(main())
