"""The ``keikaku`` command.  A thin consumer of the public API.

Each sub-command lives in a module of this package that defines ``register(subparsers)``; the
modules import nothing heavy at import time, so ``keikaku --help`` starts fast.  Errors the user
can act on are one line on stderr and a documented exit code (``analysis.errors``); ``--debug``
shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from .. import __version__
from ..errors import EXIT_INTERNAL, KeikakuError

# Sub-command modules, in the order --help lists them.
COMMAND_MODULES = ("corpus", "text", "graph", "report")

DESCRIPTION = "keikaku: 地域福祉計画の評価と次期計画をつなぐテキスト分析"


def common_options() -> argparse.ArgumentParser:
    """Options every sub-command accepts (as a parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--settings", metavar="TOML", help="settings file overriding the defaults")
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
        return int(args.handler(args) or 0)
    except KeikakuError as error:
        if args.debug:
            raise
        print(f"keikaku: error: {one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("keikaku: interrupted", file=sys.stderr)
        return 130
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


def run() -> None:
    sys.exit(main())
