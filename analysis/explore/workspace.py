"""The corpus being explored, what is computed from it, and the path rule.

A :class:`Workspace` holds one corpus and its :class:`~analysis.pipeline.Analysis`; everything a
screen shows is computed from them on first use and kept (the continuity graph, its findings and
links, the key terms, the report folder for downloads).  A new lexicon or stop list makes a new
workspace from the same tokens (:func:`with_lists`), never tokenizing again.

Paths typed in the browser are relative to an allowed root (the folder given on the command line
and the current folder): :func:`inside_root` refuses absolute paths, ``..`` and any path that,
symlinks resolved, leaves its root.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..corpus_io import SETTINGS_FILES
from ..errors import InputError

# the files Save writes, which a re-import of the corpus keeps (analysis.corpus_io)
SETTINGS_NAME, LEXICON_NAME, STOPWORDS_NAME, USERWORDS_NAME = SETTINGS_FILES
WRITTEN_MARK = "# written by keikaku explore"


def inside_root(root: Path, relative: str) -> Path:
    """``relative`` under ``root``, symlinks resolved; an InputError when it would leave it.

    Parameters
    ----------
    root : Path
        An allowed root.
    relative : str
        A path as typed in the browser.

    Returns
    -------
    Path
        The resolved path (it need not exist).

    >>> inside_root(Path("/tmp"), "../etc")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: ../etc: 許可されたフォルダの外は開けません
    >>> inside_root(Path("/tmp"), "/etc")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: /etc: 許可されたフォルダの外は開けません
    """
    text = relative.strip().replace("\\", "/")
    candidate = Path(text)
    if not text or "\x00" in text or candidate.is_absolute() or ".." in candidate.parts or text.startswith("~"):
        raise InputError("許可されたフォルダの外は開けません", file=relative)
    base = root.resolve()
    resolved = (base / candidate).resolve()
    if resolved != base and base not in resolved.parents:
        raise InputError("許可されたフォルダの外は開けません", file=relative)
    return resolved


def corpus_folders(roots: list[Path], *, depth: int = 2) -> list[tuple[int, str]]:
    """Corpus folders (holding ``manifest.json``) under the roots: (root index, relative path)."""
    found: list[tuple[int, str]] = []
    for index, root in enumerate(roots):
        base = root.resolve()
        frontier = [base]
        for _ in range(depth + 1):
            following = []
            for folder in frontier:
                try:
                    children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
                except OSError:
                    continue
                if (folder / "manifest.json").is_file():
                    found.append((index, str(folder.relative_to(base)) if folder != base else "."))
                following += [c for c in children if c.resolve() == c or base in c.resolve().parents]
            frontier = following[:200]
    return found


@dataclass
class Workspace:
    """One corpus, its settings and analysis, and the results screens share.

    ``path`` is the corpus folder (None: the bundled corpus); ``lists`` the text of the lexicon,
    stop list and user word list in use (as edited, maybe not saved).
    """

    corpus: Any
    analysis: Any
    path: Path | None = None
    lists: dict[str, str] = field(default_factory=dict)

    discarded: bool = False

    @cached_property
    def scratch(self) -> Path:
        """The workspace's own temporary folder (made on first use; see :meth:`discard`)."""
        if self.discarded:
            raise RuntimeError("workspace discarded")  # background work of a replaced workspace stops
        return Path(tempfile.mkdtemp(prefix="keikaku-explore-"))

    def discard(self) -> None:
        """Remove the temporary folder, if one was made; no new one is made after."""
        self.discarded = True
        if "scratch" in self.__dict__:
            shutil.rmtree(self.__dict__["scratch"], ignore_errors=True)

    @property
    def name(self) -> str:
        return self.corpus.name or (self.path.name if self.path else "同梱のコーパス")

    @property
    def settings(self):
        return self.analysis.settings

    def warm(self) -> threading.Thread:
        """Compute, in a background thread, what the slower screens need (continuity graph,
        findings, links, key terms, then the report folder for downloads)."""

        def work() -> None:
            try:
                for name in ("terms", "graph", "findings", "links", "stances_by_unit", "period", "diagram",
                             "report_folder"):
                    if _STOP.is_set() or self.discarded:
                        return
                    try:
                        getattr(self, name)
                    except Exception:  # shown (as an error page) when the screen asks for it
                        return
            finally:
                _WARMING.discard(threading.current_thread())
                if self.discarded:  # replaced while writing: what it wrote goes too
                    self.discard()

        thread = threading.Thread(target=work, name="keikaku-explore-warm", daemon=True)
        _WARMING.add(thread)
        thread.start()
        return thread

    @cached_property
    def graph(self):
        from ..continuity import build_continuity_graph

        return build_continuity_graph(self.corpus, analysis=self.analysis)

    @cached_property
    def findings(self) -> list[dict]:
        from ..continuity import findings

        return [f.to_dict() for f in findings(self.graph)]

    @cached_property
    def links(self) -> list[dict]:
        from ..continuity.frames import links

        return links(self.graph)

    @cached_property
    def terms(self):
        from ..terms import terms_frame

        s = self.settings
        return terms_frame(self.analysis.tokens, method=s.get("terms", "method"), top=s.get("report", "terms"),
                           min_frequency=s.get("terms", "min_frequency"), stopwords=self.analysis.stopwords)

    @cached_property
    def period(self):
        from ..evaluations import holds_period_data, period_findings

        return period_findings(self.analysis) if holds_period_data(self.corpus) else None

    @cached_property
    def directions(self) -> dict[str, Any]:
        return {d.id: d for d in self.corpus.directions()}

    @cached_property
    def stances_by_unit(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for row in self.analysis.stances:
            out.setdefault(row["unit"], []).append(row)
        return out

    @cached_property
    def diagram(self) -> str:
        """The continuity diagram of the two latest generations as inline SVG, each direction's
        box a link to its page ("" with fewer than two generations)."""
        return clickable_diagram(self.corpus, self.links, self.findings)

    @property
    def report_ready(self) -> bool:
        """Whether the report folder is written (the downloads need not wait)."""
        return "report_folder" in self.__dict__

    @cached_property
    def report_folder(self) -> Path:
        """The report folder (written once, into the workspace's own scratch folder)."""
        from ..report import report_data, write_report

        data = report_data(self.corpus, settings=self.settings, tokens=self.analysis.tokens)
        return write_report(data, self.scratch / "report", generated_at=False)


def clickable_diagram(corpus, links: list[dict], findings: list[dict]) -> str:
    """:func:`analysis.plots.continuity_diagram` as inline SVG whose direction boxes link to
    ``/unit/ID``.  The boxes are the texts drawn with a frame, left column then right, in the
    order of the plans' directions; glyphs are paths and comments are removed, so no corpus text
    is markup in the page."""
    import re
    from urllib.parse import quote

    from ..plots import continuity_diagram, figure_svg

    generations = corpus.generations()
    if len(generations) < 2:
        return ""
    fig = continuity_diagram(corpus, links, findings=findings)
    boxes = [t for t in fig.axes[0].texts if t.get_bbox_patch() is not None]
    for side, generation in ((True, generations[-2]), (False, generations[-1])):
        column = [t for t in boxes if (t.get_position()[0] < 5) == side]
        directions = list(corpus.plan_by_generation(generation).directions())
        if len(column) != len(directions):
            continue  # drawn otherwise than expected: no link rather than a wrong one
        for text, direction in zip(column, directions):
            url = "/unit/" + quote(direction.id, safe="")
            text.set_url(url)
            text.get_bbox_patch().set_url(url)  # the box drawn over the glyphs links too
    svg = figure_svg(fig).decode("utf-8")
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S).replace(' target="_blank"', "")  # same tab
    return svg[svg.index("<svg"):]


_WARMING: set[threading.Thread] = set()
_STOP = threading.Event()


@atexit.register
def _finish_warming() -> None:
    """At exit, let background work end at its next step rather than be cut off mid-way."""
    _STOP.set()
    for thread in list(_WARMING):
        thread.join(60)


def open_workspace(path: Path | None) -> Workspace:
    """Load and analyse the corpus at ``path`` (None: the bundled one), with the settings its
    folder carries (``settings.toml``) when it has them."""
    from ..corpus_io import load_corpus
    from ..pipeline import analyze
    from ..settings import Settings, default_settings

    corpus = load_corpus(path)
    settings_file = path / SETTINGS_NAME if path is not None else None
    settings = Settings.load(settings_file) if settings_file and settings_file.is_file() else default_settings()
    analysis = analyze(corpus, settings=settings)
    lists = {
        "lexicon": settings.data_file("lexicon").read_text(encoding="utf-8"),
        "stopwords": settings.data_file("stopwords").read_text(encoding="utf-8"),
        "userwords": _read(settings.path("tokens", "user_dictionary")),
    }
    return Workspace(corpus=corpus, analysis=analysis, path=path, lists=lists)


def _read(path: Path | None) -> str:
    if path is None or not path.is_file():
        return ""
    return path.read_text(encoding="utf-8")
