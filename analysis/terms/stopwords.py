"""The stop list: words that are not terms on their own (推進, 強化, 図る, 等 …).

The list is the settings' data file ``stopwords`` (editable).  Every function taking
``stopwords=`` accepts None (that file), a path, or a set of words used as given (write
normalized forms there: 為る, not する); :func:`resolve_stopwords` turns such an argument into the
set the stages match against.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, Union

from ..errors import SettingsError
from ..tokens import tokenize

#: What a ``stopwords=`` argument may be: None (the settings' file), a path, or the words.
StopwordsArg = Union[None, str, Path, Iterable[str]]


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """Read a stop list: one word a line, ``#`` comments, blank lines ignored.

    Each entry is kept as written and, when Sudachi reads it as one token, its normalized form is
    added too (する → 為る), so the set can be matched against normalized forms.

    Parameters
    ----------
    path : str, Path or None
        The file; ``None`` reads the settings' data file ``stopwords`` (the bundled list by
        default).

    Returns
    -------
    frozenset of str
        The words (read once per path, then cached).

    Raises
    ------
    SettingsError
        The file is missing, not UTF-8, or a line holds more than one word.

    Examples
    --------
    >>> words = load_stopwords()
    >>> "推進" in words and "為る" in words and "担い手" not in words
    True
    """
    if path is None:
        from ..settings import default_settings

        path = default_settings().data_file("stopwords")
    return _load_stopwords(str(path))


@functools.cache
def _load_stopwords(path: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SettingsError("stop list not found", file=path) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError("stop list is not UTF-8 text", file=path) from exc
    except OSError as exc:
        raise SettingsError(f"cannot read stop list: {exc.strerror or exc}", file=path) from exc
    words: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if any(ch.isspace() for ch in entry):
            raise SettingsError(f"one word per line expected, got {entry!r}", file=path, line=number)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in entry):
            raise SettingsError(f"control character in {entry!r}", file=path, line=number)
        words.add(entry)
        tokens = [t for s in tokenize(entry) for t in s.tokens]
        if len(tokens) == 1:
            words.add(tokens[0].norm)
        elif tokens:
            words.add("".join(t.norm for t in tokens))
    return frozenset(words)


def resolve_stopwords(stopwords: StopwordsArg = None) -> frozenset[str]:
    """The stop words a ``stopwords=`` argument stands for.

    Parameters
    ----------
    stopwords : None, str, Path or iterable of str
        ``None``: the settings' list (:func:`load_stopwords`); a path: that file; anything else:
        the words themselves, used as given.

    Returns
    -------
    frozenset of str
        The words (a frozenset, so it can key the stages' memo).

    Examples
    --------
    >>> sorted(resolve_stopwords(["推進", "強化"]))
    ['強化', '推進']
    >>> "為る" in resolve_stopwords()
    True
    """
    if stopwords is None:
        return load_stopwords()
    if isinstance(stopwords, (str, Path)):
        return load_stopwords(stopwords)
    return frozenset(stopwords)
