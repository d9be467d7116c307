"""The stop list: words that are not terms on their own (推進, 強化, 図る, 等 …), and whole
candidates that are not key terms (補助事業, 実績報告 …).

The list is the settings' data file ``stopwords`` (editable).  It holds two kinds of entry:

- *edge words*, one a line: trimmed from the edges of compounds and left out of the word counts
  (:func:`load_stopwords`);
- *whole-candidate entries*, a line starting with ``=`` (``=補助事業``): a candidate with exactly
  that key is left out of the key-term lists (:func:`load_stop_terms`), nothing else — the text,
  KWIC, co-occurrence and the word counts keep it, and its parts stay terms where they occur.

Every function taking ``stopwords=`` accepts None (that file), a path, or a set of words used as
given (write normalized forms there: 為る, not する); :func:`resolve_stopwords` turns such an
argument into the set the stages match against.  ``stop_terms=`` works the same way
(:func:`resolve_stop_terms`); by default it follows ``stopwords=``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, Union

from ..errors import SettingsError, read_data_text
from ..tokens import tokenize

#: What a ``stopwords=`` argument may be: None (the settings' file), a path, or the words.
StopwordsArg = Union[None, str, Path, Iterable[str]]

#: The line prefix of a whole-candidate entry in a stop-list file.
WHOLE_PREFIX = "="


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """Read the edge words of a stop list: one word a line, ``#`` comments, blank lines ignored
    (lines starting with ``=`` are whole-candidate entries, see :func:`load_stop_terms`).

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
    return _stop_list(path)[0]


def load_stop_terms(path: str | Path | None = None) -> frozenset[str]:
    """Read the whole-candidate entries of a stop list: the lines starting with ``=``.

    Each entry is kept as written and as the joined normalized forms of its Sudachi tokens
    (補助金交付申請 → 補助金交付申請), so it matches a candidate's key or its display form.

    Parameters
    ----------
    path : str, Path or None
        The file; ``None`` reads the settings' data file ``stopwords``.

    Returns
    -------
    frozenset of str
        The entries (read once per path, then cached).

    Raises
    ------
    SettingsError
        As :func:`load_stopwords`; also an ``=`` with no word after it.

    Examples
    --------
    >>> terms = load_stop_terms()
    >>> "補助事業" in terms and "実績報告" in terms and "担い手不足" not in terms
    True
    """
    return _stop_list(path)[1]


def _stop_list(path: str | Path | None) -> tuple[frozenset[str], frozenset[str]]:
    """(edge words, whole-candidate entries) of a stop-list file; None: the settings' file."""
    if path is None:
        from ..settings import default_settings

        path = default_settings().data_file("stopwords")
    return _read_stop_list(str(path))


def _forms(entry: str) -> set[str]:
    """An entry and, when Sudachi cuts it, its normalized form (one token) or joined forms."""
    forms = {entry}
    tokens = [t for s in tokenize(entry) for t in s.tokens]
    if len(tokens) == 1:
        forms.add(tokens[0].norm)
    elif tokens:
        forms.add("".join(t.norm for t in tokens))
    return forms


@functools.cache
def _read_stop_list(path: str) -> tuple[frozenset[str], frozenset[str]]:
    text = read_data_text(path, what="stop list")
    words: set[str] = set()
    whole: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        target = words
        if entry.startswith(WHOLE_PREFIX):
            entry, target = entry[len(WHOLE_PREFIX):].strip(), whole
            if not entry:
                raise SettingsError("'=' must be followed by a term (=補助事業)", file=path, line=number)
        if any(ch.isspace() for ch in entry):
            raise SettingsError(f"one word per line expected, got {entry!r}", file=path, line=number)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in entry):
            raise SettingsError(f"control character in {entry!r}", file=path, line=number)
        target.update(_forms(entry))
    return frozenset(words), frozenset(whole)


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


def resolve_stop_terms(stop_terms: StopwordsArg = None, *, stopwords: StopwordsArg = None) -> frozenset[str]:
    """The whole-candidate entries a ``stop_terms=`` argument stands for.

    Parameters
    ----------
    stop_terms : None, str, Path or iterable of str
        A path: the ``=`` entries of that file; an iterable: the keys themselves, used as given;
        ``None``: follow ``stopwords`` — the ``=`` entries of the settings' list (``stopwords``
        None) or of the file ``stopwords`` names, and none when ``stopwords`` is a set of words.
    stopwords : None, str, Path or iterable of str
        The ``stopwords=`` argument of the same call.

    Returns
    -------
    frozenset of str
        The keys (and spellings) of candidates that are not key terms.

    Examples
    --------
    >>> "補助事業" in resolve_stop_terms()
    True
    >>> resolve_stop_terms(stopwords={"推進"}), sorted(resolve_stop_terms(["委託事業"]))
    (frozenset(), ['委託事業'])
    """
    if stop_terms is None:
        if stopwords is None or isinstance(stopwords, (str, Path)):
            return load_stop_terms(stopwords)
        return frozenset()
    if isinstance(stop_terms, (str, Path)):
        return load_stop_terms(stop_terms)
    return frozenset(stop_terms)
