"""Settings as data (in the spirit of GiNZA's config files).

Every threshold, weight, split mode and data file lives in one TOML document with documented
defaults (``analysis/data/settings.toml``).  A user's TOML overrides any subset of it; a key
the defaults do not know, or a value of the wrong type, is an error naming the file and line.
Results carry ``settings.to_dict()`` so a reader can tell what made them.

>>> s = Settings.load()
>>> s.get("tokens", "split_mode")
'C'
>>> s.replace(tokens={"split_mode": "A"}).get("tokens", "split_mode")
'A'
"""

from __future__ import annotations

import copy
import functools
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .errors import SettingsError, read_data_text, toml_error

DEFAULTS_NAME = "settings.toml"


def data_path(name: str) -> Path:
    """Path of a file shipped in ``analysis/data``."""
    return Path(str(resources.files("analysis") / "data" / name))


# Arrays and inline tables nested deeper than this are refused before parsing (settings need 1
# level; Python's TOML parser would otherwise fail with a RecursionError on very deep input).
MAX_TOML_DEPTH = 64
_TOML_TOKEN = re.compile(r'''"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|[\[\]{}]''')


def parse_toml(text: str, *, source: str | None, what: str | None = None) -> dict:
    """The TOML document ``text``; one SettingsError naming ``source`` and the line for a syntax
    error or nesting deeper than :data:`MAX_TOML_DEPTH`.

    >>> parse_toml("[tokens]\\nsplit_mode = 'A'", source="s.toml")
    {'tokens': {'split_mode': 'A'}}
    """
    depth = 0
    for token in _TOML_TOKEN.finditer(text):
        mark = token.group()
        if mark in ("[", "{"):
            depth += 1
            if depth > MAX_TOML_DEPTH:
                where = f" in {what}" if what else ""
                raise SettingsError(f"invalid TOML{where}: arrays or tables nested deeper than "
                                    f"{MAX_TOML_DEPTH} levels", file=source,
                                    line=text.count("\n", 0, token.start()) + 1)
        elif mark in ("]", "}"):
            depth = max(depth - 1, 0)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, source=source, what=what, text=text) from exc


def _read_toml(path: Path) -> dict:
    return parse_toml(read_data_text(path, what="settings file"), source=str(path))


@functools.cache
def _bundled_data() -> dict:
    """The ``[data]`` section of the bundled settings (read once: it ships with the package)."""
    return dict(_read_toml(data_path(DEFAULTS_NAME))["data"])


def toml_line(text: str, name: str) -> int | None:
    """The 1-based line of ``text`` that sets the dotted key ``name`` (``section.key``), found
    under its own ``[section]`` header first, else wherever the last part of the key is set.

    >>> toml_line("[a]\\nseed = 1\\n[b]\\nseed = 2\\n", "b.seed")
    4
    """
    *sections, key = name.split(".")
    assign = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    current: list[str] = []
    fallback = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            current = [part.strip().strip("\"'") for part in header.group(1).split(".")]
        elif assign.match(line):
            if current == sections:
                return number
            fallback = fallback or number
    return fallback


def _line_of(path: Path | None, name: str) -> int | None:
    if path is None:
        return None
    try:
        return toml_line(path.read_text(encoding="utf-8-sig"), name)
    except (OSError, UnicodeDecodeError):
        return None


def non_finite(value: Any) -> float | None:
    """The first nan or ±inf float in ``value`` (a number, or lists and tables of them), else None.

    >>> non_finite([1.0, {"x": float("inf")}]), non_finite(3.84)
    (inf, None)
    """
    if isinstance(value, float) and not math.isfinite(value):
        return value
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    for item in items:
        found = non_finite(item)
        if found is not None:
            return found
    return None


def check_finite(data: Mapping, *, file: str | None = None, text: str = "", where: str = "") -> None:
    """Refuse nan and inf anywhere in a TOML document: one SettingsError naming the file, the
    line that sets it (found in ``text``) and the dotted key.

    >>> check_finite({"compare": {"min_g2": float("nan")}}, file="s.toml", text="[compare]\\nmin_g2 = nan")
    Traceback (most recent call last):
    ...
    analysis.errors.SettingsError: s.toml:2: compare.min_g2: expected a finite number, got nan
    """
    for key, value in data.items():
        name = f"{where}{key}"
        if isinstance(value, Mapping):
            check_finite(value, file=file, text=text, where=f"{name}.")
        elif non_finite(value) is not None:
            raise SettingsError(f"expected a finite number, got {non_finite(value)}", file=file,
                                line=toml_line(text, name) if text else None, field=name)


def _merge(base: dict, override: Mapping, *, path: Path | None, where: str = "") -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        name = f"{where}{key}"
        if not isinstance(value, Mapping) and non_finite(value) is not None:
            raise SettingsError(f"expected a finite number, got {non_finite(value)}",
                                file=None if path is None else str(path), line=_line_of(path, name),
                                field=name)
        if key not in base:
            known = ", ".join(sorted(base))
            raise SettingsError(
                f"unknown setting {name!r}; known here: {known}",
                file=None if path is None else str(path),
                line=_line_of(path, name),
                field=name,
            )
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, Mapping):
                raise SettingsError("expected a table", file=None if path is None else str(path),
                                    line=_line_of(path, name), field=name)
            merged[key] = _merge(default, value, path=path, where=f"{name}.")
            continue
        ok = isinstance(value, type(default)) and not (isinstance(value, bool) and not isinstance(default, bool))
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise SettingsError(
                f"expected {type(default).__name__}, got {type(value).__name__} {value!r}",
                file=None if path is None else str(path), line=_line_of(path, name), field=name,
            )
        merged[key] = value
    return merged


# Allowed values, checked when settings are loaded so that a wrong value is reported with the
# file and line that set it (not later, deep inside a stage).  Every number is non-negative.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tokens", "split_mode"): ("A", "B", "C"),
    ("terms", "method"): ("keyterms", "flr", "cvalue", "frequency"),
    ("continuity", "term_method"): ("flr", "cvalue"),
    ("cooccurrence", "unit"): ("sentence", "unit"),
    ("continuity", "successors"): ("stated_then_content", "stated_refined", "stated", "content"),
}
FRACTIONS: frozenset[tuple[str, str]] = frozenset({
    ("cooccurrence", "min_jaccard"), ("continuity", "min_content_score"), ("continuity", "max_df"),
    ("continuity", "successor_ratio"), ("continuity", "problem_ratio"),
    ("themes", "candidate_background"), ("compare", "min_similarity"),
})
AT_LEAST_ONE: frozenset[tuple[str, str]] = frozenset({("tokens", "workers"), ("terms", "min_parts")})


def _check_values(values: dict, path: Path | None) -> None:
    file = None if path is None else str(path)
    for section, entries in values.items():
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            name = f"{section}.{key}"
            where = {"file": file, "line": _line_of(path, name), "field": name}
            allowed = CHOICES.get((section, key))
            if allowed is not None and value not in allowed:
                choices = ", ".join(repr(a) for a in allowed)
                raise SettingsError(f"{value!r} is not allowed; choose one of {choices}", **where)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if value < 0:
                raise SettingsError(f"must not be negative, got {value!r}", **where)
            if (section, key) in FRACTIONS and value > 1:
                raise SettingsError(f"must be between 0 and 1, got {value!r}", **where)
            if (section, key) in AT_LEAST_ONE and value < 1:
                raise SettingsError(f"must be at least 1, got {value!r}", **where)
    weights = [v for k, v in values.get("continuity", {}).items() if k.startswith("weight_")]
    if weights and sum(weights) <= 0:
        raise SettingsError("the continuity weights must not all be 0", file=file,
                            line=_line_of(path, "continuity.weight_tfidf"), field="continuity.weight_*")


@dataclass(frozen=True)
class Settings:
    """All settings, as nested sections of plain values."""

    values: dict = field(default_factory=dict)
    source: str | None = None

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Settings":
        """Defaults, overridden by the TOML at ``path`` when given."""
        values = _read_toml(data_path(DEFAULTS_NAME))
        if path is not None:
            path = Path(path)
            values = _merge(values, _read_toml(path), path=path)
            _check_values(values, path)
        return cls(values=values, source=None if path is None else str(path))

    def replace(self, **sections: Mapping[str, Any]) -> "Settings":
        """A copy with some keys of some sections changed (validated like a TOML file)."""
        values = _merge(self.values, sections, path=None)
        _check_values(values, None)
        return Settings(values=values, source=self.source)

    def section(self, name: str) -> dict:
        try:
            return copy.deepcopy(self.values[name])
        except KeyError:
            raise SettingsError(f"unknown settings section {name!r}") from None

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    def data_file(self, key: str) -> Path:
        """Resolve a ``[data]`` entry: the default names a bundled file; a value a user set is
        a path, relative to the settings file that set it."""
        value = self.values["data"][key]
        if value == _bundled_data().get(key):
            return data_path(value)
        candidate = Path(value).expanduser()
        if self.source and not candidate.is_absolute():
            candidate = Path(self.source).parent / candidate
        return candidate

    def path(self, section: str, key: str) -> Path | None:
        """A setting that names a file (``[tokens] user_dictionary``): ``None`` when empty, else
        the path, relative to the settings file that set it.

        >>> Settings.load().path("tokens", "user_dictionary") is None
        True
        """
        value = self.values[section][key]
        if not value:
            return None
        candidate = Path(value).expanduser()
        if self.source and not candidate.is_absolute():
            candidate = Path(self.source).parent / candidate
        return candidate

    def to_dict(self) -> dict:
        return copy.deepcopy(self.values)


def file_record(path: str | Path | None) -> dict | None:
    """How a result names a data file it was made with, the same in every checkout: a bundled
    file by its name, any other by the path as given; always with the SHA-256 of its content.

    >>> file_record(data_path("themes.toml"))["name"]
    'themes.toml'
    """
    if path is None:
        return None
    import hashlib

    path = Path(path)
    bundled = data_path(path.name)
    name = path.name if path.exists() and bundled.exists() and path.resolve() == bundled.resolve() else str(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None
    return {"name": name, "sha256": digest}


_DEFAULT: Settings | None = None


def default_settings() -> Settings:
    """The bundled defaults, loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Settings.load()
    return _DEFAULT
