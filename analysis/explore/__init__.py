"""``keikaku explore``: a local web application for planners who do not program.

A thin consumer of the public API: it loads a corpus, analyses it once (:func:`analysis.analyze`)
and shows, with clicks and in Japanese, what the notebooks and the report show: the corpus as a
tree, themes with their sentences, key terms and KWIC, the continuity links, the findings, and
downloads.  It also imports a table uploaded from the browser (a column-mapping form) and edits
the theme lexicon, stop list and user word list (recomputed from the same tokens).

Modules, one job each:

* :mod:`.workspace` — the corpus being explored and what is computed from it; the allowed roots
  and the path rule (nothing outside them is read or written);
* :mod:`.security` — Host header (DNS rebinding), CSRF token and Origin checks, upload limit;
* :mod:`.app` — the Starlette application: templates, navigation, error pages;
* :mod:`.screens` — overview, themes, terms and KWIC, continuity, findings;
* :mod:`.opening` — opening a corpus and importing an uploaded file;
* :mod:`.editor` — the lexicon, stop list and user word list editor;
* :mod:`.export` — downloads (report folder as zip, workbook, GraphML, tables as CSV);
* :mod:`.server` — binding a port and serving with uvicorn.

Starlette, Jinja2, uvicorn and python-multipart are imported only here, so ``keikaku --help``
stays fast.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):
    """See :func:`analysis.explore.app.create_app`."""
    from .app import create_app as make

    return make(*args, **kwargs)
