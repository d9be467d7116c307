"""A planner's own words kept whole: a word list compiled into a real Sudachi user dictionary.

Sudachi cuts 地域福祉コーディネーター into 地域 | 福祉 | コーディネーター and a local programme name
such as ふれあいいきいきサロン into three words, in every split mode.  A word list makes each listed
word one token for every stage (terms, themes, KWIC, co-occurrence, continuity).

The list is plain text, one word a line (``#`` starts a comment), or a CSV/TSV table whose columns
are the word, optionally its reading (katakana or hiragana) and its part of speech (a name from
``analysis/data/user_pos.toml``: 普通名詞, 固有名詞).  A first row whose first cell is a header word
(語, 単語, word …) is skipped.  The list is compiled with SudachiPy's own builder
(``sudachipy.build_user_dic``, offline) into the cache folder, named by the digest of its content
and of the dictionary versions, so the same list is compiled once and an edited list is a new
dictionary (and, through :func:`UserDictionary.digest`, a new token-cache key).

>>> words = parse_word_list("# 事業名\\nふれあいいきいきサロン\\n地域福祉コーディネーター\\n", source="words.txt")
>>> [(w.surface, w.pos_name, w.line) for w in words]
[('ふれあいいきいきサロン', '普通名詞', 2), ('地域福祉コーディネーター', '普通名詞', 3)]
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, SettingsError

HEADER_WORDS = frozenset({"語", "単語", "語句", "表層形", "見出し", "見出し語", "word", "surface"})
MAX_WORD_CHARS = 255  # Sudachi's limit for a headword
_FORMAT = "userdict-1"  # bump when the compiled entries change for the same list


@dataclass(frozen=True)
class PartOfSpeech:
    """One part-of-speech choice of a word list (a table of ``user_pos.toml``)."""

    name: str
    pos: tuple[str, ...]
    left_id: int
    right_id: int
    cost: int


@dataclass(frozen=True)
class UserWord:
    """A word of the list, where it was written, and how it will be entered."""

    surface: str
    reading: str
    pos_name: str
    line: int


@dataclass(frozen=True)
class UserDictionary:
    """A compiled user dictionary: the ``.dic`` file and the list it was made from."""

    path: Path
    source: str
    words: tuple[UserWord, ...]
    digest: str  # of the compiled entries and the dictionary versions: part of token-cache keys


@functools.cache
def parts_of_speech() -> dict[str, PartOfSpeech]:
    """The part-of-speech choices of ``analysis/data/user_pos.toml`` (the first is the default).

    >>> list(parts_of_speech())[:2]
    ['普通名詞', '固有名詞']
    """
    from .settings import data_path

    data = tomllib.loads(data_path("user_pos.toml").read_text(encoding="utf-8"))
    default = data.pop("default")
    choices = {name: PartOfSpeech(name=name, pos=tuple(t["pos"]), left_id=int(t["left_id"]),
                                  right_id=int(t["right_id"]), cost=int(t["cost"]))
               for name, t in data.items()}
    return {default: choices.pop(default), **choices}


def _rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """``(line, cells)`` of every non-blank, non-comment row."""
    suffix = Path(source).suffix.lower()
    if suffix not in (".csv", ".tsv"):
        rows = []
        for number, line in enumerate(text.splitlines(), 1):
            entry = line.split("#", 1)[0].strip()
            if entry:
                rows.append((number, [entry]))
        return rows
    reader = csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
    rows = []
    for cells in reader:
        number = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not rows and cells[0].lower() in HEADER_WORDS:
            continue
        rows.append((number, cells))
    return rows


def _check_word(word: str, source: str, line: int) -> str:
    if any(ch.isspace() for ch in word):
        raise SettingsError(f"a word may not hold spaces: {word!r}", file=source, line=line)
    bad = next((ch for ch in word if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")), None)
    if bad is not None:
        raise SettingsError(f"control or private-use character U+{ord(bad):04X} in {word!r}",
                            file=source, line=line)
    if "," in word or '"' in word:
        raise SettingsError(f"a word may not hold ',' or '\"': {word!r}", file=source, line=line)
    if len(word) > MAX_WORD_CHARS:
        raise SettingsError(f"word longer than {MAX_WORD_CHARS} characters", file=source, line=line)
    return word


def _reading(value: str, source: str, line: int) -> str:
    katakana = "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in value)
    if not all("ァ" <= ch <= "ヺ" or ch in "ーヽヾ" for ch in katakana):
        raise SettingsError(f"reading must be katakana or hiragana: {value!r}", file=source, line=line)
    return katakana


def parse_word_list(text: str, *, source: str = "<word list>") -> list[UserWord]:
    """The words of a word list (see the module docstring); errors name ``source`` and the line.

    Parameters
    ----------
    text : str
        The list's text.
    source : str
        Its file name: ``.csv`` / ``.tsv`` are read as tables, anything else as one word a line.

    Returns
    -------
    list of UserWord
        In the order written.

    Raises
    ------
    SettingsError
        An empty list, a word with spaces or control characters, an unknown part of speech, a
        reading that is not kana, a word listed twice.
    """
    choices = parts_of_speech()
    default = next(iter(choices))
    words: list[UserWord] = []
    first_line: dict[str, int] = {}
    for line, cells in _rows(text, source):
        if len(cells) > 3 and any(cells[3:]):
            raise SettingsError(f"expected at most 3 columns (word, reading, part of speech), got {len(cells)}",
                                file=source, line=line)
        surface = _check_word(unicodedata.normalize("NFC", cells[0]), source, line)
        if not surface:
            raise SettingsError("the word (first column) is empty", file=source, line=line)
        reading = _reading(cells[1], source, line) if len(cells) > 1 and cells[1] else ""
        pos_name = cells[2] if len(cells) > 2 and cells[2] else default
        if pos_name not in choices:
            raise SettingsError(f"unknown part of speech {pos_name!r}; choose one of "
                                + ", ".join(repr(c) for c in choices), file=source, line=line)
        if surface in first_line:
            raise SettingsError(f"{surface!r} is listed twice (first at line {first_line[surface]})",
                                file=source, line=line)
        first_line[surface] = line
        words.append(UserWord(surface=surface, reading=reading, pos_name=pos_name, line=line))
    if not words:
        raise SettingsError("the word list holds no word", file=source)
    return words


def read_word_list(path: str | Path) -> list[UserWord]:
    """Read and parse a word list file (UTF-8, UTF-8 with BOM, UTF-16 with BOM or CP932)."""
    from .importers.encoding import decode_source, read_source_bytes

    try:
        text, _ = decode_source(read_source_bytes(path), str(path))
    except InputError as error:  # a word list is a setting: exit 4, like a stop list
        raise SettingsError(error.message, file=error.file, line=error.line) from error
    return parse_word_list(text, source=str(path))


def lexicon_csv(words: list[UserWord]) -> str:
    """The words as Sudachi lexicon CSV rows (18 columns), one per word, in list order.

    >>> print(lexicon_csv([UserWord("ふれあいサロン", "フレアイサロン", "普通名詞", 1)]), end="")
    ふれあいサロン,5146,5146,5000,ふれあいサロン,名詞,普通名詞,一般,*,*,*,フレアイサロン,ふれあいサロン,*,A,*,*,*
    """
    choices = parts_of_speech()
    rows = []
    for w in words:
        p = choices[w.pos_name]
        # headword, ids, cost, surface, POS×6, reading, normalized, dictionary form, split type,
        # A- and B-splits, word structure: listed words are never split.
        rows.append(",".join([w.surface, str(p.left_id), str(p.right_id), str(p.cost), w.surface, *p.pos,
                              w.reading or w.surface, w.surface, "*", "A", "*", "*", "*"]))
    return "".join(row + "\n" for row in rows)


def _versions() -> str:
    from importlib import metadata

    return f"sudachipy={metadata.version('sudachipy')};sudachidict-core={metadata.version('sudachidict-core')}"


def _system_dictionary() -> Path:
    import sudachidict_core

    return Path(sudachidict_core.__file__).parent / "resources" / "system.dic"


def _store() -> Path:
    """The folder compiled dictionaries are kept in (the token cache's folder, else a private
    temporary folder of this process: compiling again next time is the only cost)."""
    from .tokencache import cache_dir

    folder = Path(cache_dir()) / "userdict"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    return Path(_private_store())


@functools.cache
def _private_store() -> str:
    import atexit
    import shutil

    folder = tempfile.mkdtemp(prefix="keikaku-userdict-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def compile_user_dictionary(words: list[UserWord], *, source: str = "<word list>") -> UserDictionary:
    """Compile ``words`` into a Sudachi user dictionary (once per content; cached by digest).

    Parameters
    ----------
    words : list of UserWord
        From :func:`parse_word_list` or :func:`read_word_list`.
    source : str
        Where the list came from (named in errors).

    Returns
    -------
    UserDictionary
    """
    from sudachipy import sudachipy as native

    entries = lexicon_csv(words)
    digest = hashlib.sha256(f"{_FORMAT}\n{_versions()}\n{entries}".encode("utf-8")).hexdigest()
    store = _store()
    target = store / f"{digest[:32]}.dic"
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=store, prefix=".build-") as work:
            lex = Path(work) / "lex.csv"
            lex.write_text(entries, encoding="utf-8")
            built = Path(work) / "user.dic"
            try:
                native.build_user_dic(system=str(_system_dictionary()), lex=[lex], output=built,
                                      description=f"keikaku {Path(source).name}"[:200])
            except BaseException as exc:  # pyo3's PanicException is not an Exception subclass
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                raise SettingsError(f"Sudachi could not compile the word list: {exc}", file=source) from None
            os.replace(built, target)  # atomic: a concurrent run sees the whole file or none
    return UserDictionary(path=target, source=source, words=tuple(words), digest=digest)


def load_user_dictionary(path: str | Path) -> UserDictionary:
    """Read the word list at ``path`` and compile it (see :func:`compile_user_dictionary`)."""
    return compile_user_dictionary(read_word_list(path), source=str(path))


__all__ = ["PartOfSpeech", "UserWord", "UserDictionary", "parts_of_speech", "parse_word_list",
           "read_word_list", "lexicon_csv", "compile_user_dictionary", "load_user_dictionary"]
