"""The lexicon, stop list and user word list editor.

*Check and apply* parses the three texts first (:func:`analysis.parse_lexicon`,
:func:`analysis.userdict.parse_word_list`): a mistake is shown with its line and nothing is
applied.  Otherwise the analysis is made again from the SAME tokens with the new lexicon and stop
list (never tokenized again) and the page lists the themes that gained or lost units.  The user
word list changes how text is cut into words, so it takes effect when the corpus is opened again
after saving.

*Save* writes the lists into the corpus folder with a ``settings.toml`` naming them, so that
``keikaku … --settings FOLDER/settings.toml`` uses them; a ``settings.toml`` keikaku explore did
not write is never replaced, and the bundled corpus cannot be saved into.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.routing import Route

from ..errors import KeikakuError, OutputError
from .app import checked_form, error_text, render, state_of
from .workspace import (LEXICON_NAME, SETTINGS_NAME, STOPWORDS_NAME, USERWORDS_NAME, WRITTEN_MARK, Workspace)

LISTS = ("lexicon", "stopwords", "userwords")
SETTINGS_TEXT = f"""{WRITTEN_MARK}: the lists edited in the browser.
# Use them from the command line with:  keikaku COMMAND THIS_FOLDER --settings THIS_FOLDER/{SETTINGS_NAME}

[data]
lexicon = "{LEXICON_NAME}"   # theme coding rules, as edited in keikaku explore
stopwords = "{STOPWORDS_NAME}"   # stop list, as edited in keikaku explore

[tokens]
user_dictionary = "{{userwords}}"   # user word list (one word a line); empty: none
"""


def theme_units_by_name(analysis) -> dict[str, set[str]]:
    """Theme → the ids of the units carrying it."""
    out: dict[str, set[str]] = {name: set() for name in analysis.coded.theme_names}
    for c in analysis.coded:
        for name in c.themes:
            out.setdefault(name, set()).add(c.unit.id)
    return out


def changes(before, after) -> list[dict]:
    """Per theme whose units changed between two analyses: name, units before and after,
    gained and lost."""
    old, new = theme_units_by_name(before), theme_units_by_name(after)
    rows = []
    for name in list(dict.fromkeys([*old, *new])):
        o, n = old.get(name, set()), new.get(name, set())
        if o != n:
            rows.append({"theme": name, "before": len(o), "after": len(n),
                         "gained": len(n - o), "lost": len(o - n)})
    return rows


def parse_lists(ws: Workspace, texts: dict[str, str]):
    """(lexicon, stop words) of the edited texts; a SettingsError/InputError names the line."""
    from ..terms import load_stopwords
    from ..themes import parse_lexicon
    from ..userdict import parse_word_list

    lexicon = parse_lexicon(texts["lexicon"], source=LEXICON_NAME, variants=ws.analysis.variants)
    path = ws.scratch / STOPWORDS_NAME
    path.write_text(texts["stopwords"], encoding="utf-8")
    stopwords = frozenset(load_stopwords(path))
    if texts["userwords"].strip():
        parse_word_list(texts["userwords"], source=USERWORDS_NAME)
    return lexicon, stopwords


def applied(ws: Workspace, texts: dict[str, str]) -> Workspace:
    """A workspace for the edited lists, from the same tokens."""
    from ..pipeline import analyze

    lexicon, stopwords = parse_lists(ws, texts)
    analysis = analyze(ws.corpus, settings=ws.settings, tokens=ws.analysis.tokens, lexicon=lexicon)
    analysis.__dict__["stopwords"] = stopwords  # the cached stop list, replaced by the edited one
    return Workspace(corpus=ws.corpus, analysis=analysis, path=ws.path, lists=dict(texts))


def save(ws: Workspace, texts: dict[str, str]) -> list[str]:
    """Write the lists and ``settings.toml`` into the workspace's corpus folder; the names written."""
    from ..outputs import atomic_write_text
    from ..settings import Settings

    if ws.path is None:
        raise OutputError("同梱のコーパスには保存できません。自分のコーパスを開いてから保存してください",
                          file="(bundled)")
    settings_path = ws.path / SETTINGS_NAME
    if settings_path.exists() and WRITTEN_MARK not in settings_path.read_text(encoding="utf-8", errors="replace"):
        raise OutputError("keikaku explore が書いたものではないため置き換えません", file=str(settings_path))
    written = [LEXICON_NAME, STOPWORDS_NAME]
    atomic_write_text(ws.path / LEXICON_NAME, texts["lexicon"])
    atomic_write_text(ws.path / STOPWORDS_NAME, texts["stopwords"])
    userwords = ""
    if texts["userwords"].strip():
        atomic_write_text(ws.path / USERWORDS_NAME, texts["userwords"])
        userwords = USERWORDS_NAME
        written.append(USERWORDS_NAME)
    atomic_write_text(settings_path, SETTINGS_TEXT.replace("{userwords}", userwords))
    Settings.load(settings_path)  # what was written is what the CLI will read
    return [*written, SETTINGS_NAME]


async def page(request: Request):
    ws = state_of(request).current()
    return render(request, "lexicon.html", texts=ws.lists, error="", rows=None, saved=None,
                  can_save=ws.path is not None, seconds=None)


async def submit(request: Request):
    state = state_of(request)
    ws = state.current()
    form = await checked_form(request)
    texts = {name: str(form.get(name, "")).replace("\r\n", "\n") for name in LISTS}
    rows = saved = seconds = None
    error = ""
    try:
        started = time.perf_counter()
        new = applied(ws, texts)
        rows = changes(ws.analysis, new.analysis)
        seconds = time.perf_counter() - started
        if form.get("save"):
            saved = save(new, texts)
        state.replace(new)
    except KeikakuError as exc:
        error = error_text(exc)
    return render(request, "lexicon.html", http_status=400 if error else 200, texts=texts, error=error, rows=rows,
                  saved=saved, can_save=ws.path is not None, seconds=seconds)


ROUTES = [Route("/lexicon", page), Route("/lexicon", submit, methods=["POST"])]
