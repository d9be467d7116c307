"""The project's own error: one clear line naming file, line and field.

Every failure a user can cause (bad input, bad settings, an unwritable output) is raised as a
:class:`KeikakuError`.  The CLI prints ``str(error)`` and exits with ``error.exit_code``; only
``--debug`` shows a traceback.
"""

from __future__ import annotations

# Documented exit codes (README, "Errors").  argparse itself exits with 2 on bad usage.
EXIT_USAGE = 2
EXIT_INPUT = 3  # an input file cannot be read or does not have the expected shape
EXIT_SETTINGS = 4  # settings, lexicon, stop list or column mapping is invalid
EXIT_OUTPUT = 5  # an output cannot be written
EXIT_ENVIRONMENT = 6  # something the machine lacks (a Japanese font, a browser)
EXIT_INTERNAL = 70  # a bug: please report it with --debug output
EXIT_SIGNAL = 128  # + the signal's number: 129 SIGHUP, 130 SIGINT (Ctrl-C), 143 SIGTERM


class KeikakuError(Exception):
    """An error the user can act on.

    >>> str(KeikakuError("列がありません", file="plan.csv", line=3, field="評価"))
    'plan.csv:3: 評価: 列がありません'
    """

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        if self.field:
            where += f"{self.field}: "
        return where + self.message


class InputError(KeikakuError):
    """A source file cannot be read or is not shaped as expected."""

    exit_code = EXIT_INPUT


class SettingsError(KeikakuError):
    """Settings, lexicon, stop list or mapping is invalid."""

    exit_code = EXIT_SETTINGS


class OutputError(KeikakuError):
    """An output cannot be written."""

    exit_code = EXIT_OUTPUT


class EnvironmentProblem(KeikakuError):
    """The machine lacks something keikaku needs (a Japanese font, a browser)."""

    exit_code = EXIT_ENVIRONMENT


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that every clean-up runs; the process exits with
    ``EXIT_SIGNAL + signal`` (:attr:`exit_code`).

    >>> Interrupted(15).exit_code
    143
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.exit_code = EXIT_SIGNAL + signal_number


def check_choice(name: str, value: object, allowed: tuple) -> None:
    """Raise one message that says what is allowed (textacy-style option checking).

    >>> check_choice("method", "flr", ("flr", "cvalue"))
    >>> check_choice("method", "x", ("flr", "cvalue"))
    Traceback (most recent call last):
    ...
    analysis.errors.SettingsError: method: 'x' is not allowed; choose one of 'flr', 'cvalue'
    """
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise SettingsError(f"{value!r} is not allowed; choose one of {choices}", field=name)


def toml_error(exc: Exception, *, source: str | None, what: str | None = None, text: str = "") -> SettingsError:
    """A TOML syntax error (``tomllib.TOMLDecodeError``) as one SettingsError naming the file and
    line.  ``what`` says which document it is ("theme lexicon", "stance cues" …), if needed.

    >>> import tomllib
    >>> try:
    ...     tomllib.loads("a = ")
    ... except tomllib.TOMLDecodeError as exc:
    ...     print(toml_error(exc, source="x.toml", what="settings", text="a = "))
    x.toml:1: invalid TOML in settings: Invalid value (at end of document)
    """
    import re

    line = getattr(exc, "lineno", None)
    if line is None:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
    if line is None and "end of document" in str(exc):
        line = max(len(text.splitlines()), 1)
    message = getattr(exc, "msg", None) or re.sub(r"\s*\(at line.*\)$", "", str(exc))
    where = f" in {what}" if what else ""
    return SettingsError(f"invalid TOML{where}: {message}", file=source, line=line)


def read_data_text(path, *, what: str) -> str:
    """The text of a data file a user may edit (settings, lexicon, stance cues, stop list, variant
    table): UTF-8, with or without BOM; any failure is one SettingsError naming the file.

    >>> try:
    ...     read_data_text("/nonexistent/themes.toml", what="theme lexicon")
    ... except SettingsError as error:
    ...     print(error)
    /nonexistent/themes.toml: theme lexicon not found
    """
    from pathlib import Path

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SettingsError(f"{what} not found", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{what} is not UTF-8 text", file=str(path)) from exc
    except OSError as exc:
        raise SettingsError(f"cannot read {what}: {exc.strerror or exc}", file=str(path)) from exc

