"""The Starlette application of ``keikaku explore``: state, templates, navigation, error pages.

Pages are rendered on the server by Jinja2 with autoescape on, so every text of a corpus is
shown as text.  An error the user can act on (:class:`~analysis.errors.KeikakuError`) is shown on
the page as the CLI would print it; any other error is a Japanese 500 page, its traceback only on
the console and only with ``--debug``; the server keeps running.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import KeikakuError
from .security import COOKIE, Guard, Sessions, UploadTooLarge, allowed_hosts
from .workspace import Workspace, open_workspace

HERE = Path(__file__).parent
PER_PAGE = 50
NAVIGATION = (
    ("/overview", "概要"), ("/themes", "テーマ"), ("/terms", "語とKWIC"), ("/continuity", "つながり"),
    ("/findings", "所見"), ("/lexicon", "辞書の編集"), ("/export", "書き出し"), ("/open", "開く"),
)
log = logging.getLogger("keikaku.explore")


@dataclass
class State:
    """What the server holds: the allowed roots, the workspace, the sessions, an upload waiting
    for its mapping, and the Host header values accepted."""

    roots: list[Path]
    workspace: Workspace | None = None
    start_path: Path | None = None
    sessions: Sessions = field(default_factory=Sessions)
    hosts: frozenset[str] = frozenset()
    upload: Any = None  # opening.Upload
    upload_folder: Path | None = None
    debug: bool = False
    background: bool = True  # compute the slower screens' results in a background thread

    def current(self) -> Workspace:
        """The workspace, the start corpus loaded on first use."""
        if self.workspace is None:
            self.replace(open_workspace(self.start_path))
        return self.workspace

    def replace(self, workspace: Workspace) -> None:
        """Explore ``workspace`` from now on; what its screens need is computed in the background.
        The previous workspace's scratch folder (its report for downloads) is removed."""
        previous, self.workspace = self.workspace, workspace
        if self.background:
            workspace.warm()
        if previous is not None and previous is not workspace:
            previous.discard()

    @property
    def uploads(self) -> Path:
        """The private folder an upload waits in until it is imported."""
        if self.upload_folder is None:
            self.upload_folder = Path(tempfile.mkdtemp(prefix="keikaku-upload-"))
        return self.upload_folder

    def close(self) -> None:
        """Remove the scratch folders (when the server stops)."""
        if self.upload_folder is not None:
            shutil.rmtree(self.upload_folder, ignore_errors=True)
        if self.workspace is not None:
            self.workspace.discard()


def paginate(items: Sequence, page: Any, *, per: int = PER_PAGE) -> dict:
    """One page of ``items`` (pages count from 1; a bad number is page 1).

    >>> p = paginate(list(range(120)), "3")
    >>> p["page"], p["pages"], p["items"][0]
    (3, 3, 100)
    """
    try:
        number = max(int(page), 1)
    except (TypeError, ValueError):
        number = 1
    pages = max(math.ceil(len(items) / per), 1)
    number = min(number, pages)
    return {"page": number, "pages": pages, "total": len(items),
            "items": list(items[(number - 1) * per:number * per])}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["navigation"] = NAVIGATION
    return env


TEMPLATES = environment()


def state_of(request: Request) -> State:
    return request.app.state.explore


def render(request: Request, template: str, *, http_status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with the navigation, the CSRF token and the workspace's name."""
    state = state_of(request)
    session, token = state.sessions.token(request.cookies.get(COOKIE))
    workspace = state.workspace
    page = TEMPLATES.get_template(template).render(
        request=request, path=request.url.path, csrf=token,
        corpus_name=workspace.name if workspace else "", **context)
    response = HTMLResponse(page, status_code=http_status)
    if request.cookies.get(COOKIE) != session:
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict")
    return response


async def checked_form(request: Request, *, files: bool = False):
    """The form of a POST, once its CSRF token is checked (403 otherwise)."""
    from .security import MAX_UPLOAD

    try:
        form = await request.form(max_files=1 if files else 0, max_part_size=MAX_UPLOAD)
    except UploadTooLarge:
        raise HTTPException(413, "アップロードできるのは 20 MB までです") from None
    if not state_of(request).sessions.valid(request.cookies.get(COOKIE), form.get("csrf")):
        raise HTTPException(403, "フォームの確認用トークンがありません。ページを開き直してください")
    return form


def error_text(error: KeikakuError) -> str:
    """A KeikakuError as the CLI prints it: one line."""
    from ..cli import one_line

    return one_line(str(error))


async def http_error(request: Request, exc: HTTPException) -> Response:
    return render(request, "error.html", http_status=exc.status_code, status_code=exc.status_code,
                  message=exc.detail if isinstance(exc.detail, str) else "")


async def keikaku_error(request: Request, exc: KeikakuError) -> Response:
    return render(request, "error.html", http_status=400, status_code=400, message=error_text(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    state = state_of(request)
    if state.debug:
        log.error("".join(traceback.format_exception(exc)))
    else:
        log.error("internal error: %s: %s (run with --debug for details)", type(exc).__name__, exc)
    try:
        return render(request, "error.html", http_status=500, status_code=500,
                      message="内部エラーが起きました。サーバーは動き続けています。")
    except Exception:  # the error page itself failed: plain text, still no traceback
        return HTMLResponse("<p>内部エラーが起きました。</p>", status_code=500)


async def home(request: Request) -> Response:
    return RedirectResponse("/overview", status_code=303)


async def font(request: Request) -> Response:
    """The Japanese face the pages use (IPAexGothic, shipped with matplotlib-fontja): served
    from the installed package, so the pages look the same on a machine without Japanese fonts."""
    from starlette.responses import FileResponse

    from ..report.fonts import font_file

    return FileResponse(font_file(), media_type="font/ttf", headers={"cache-control": "max-age=86400"})


def create_app(*, corpus_path: str | Path | None = None, roots: list[Path] | None = None,
               port: int = 0, host: str = "127.0.0.1", debug: bool = False, background: bool = True):
    """The ASGI application (wrapped in the request checks of :mod:`.security`).

    Parameters
    ----------
    corpus_path : path, optional
        The corpus opened first (None: the bundled corpus).
    roots : list of Path, optional
        The folders whose contents may be opened and written (default: the current folder).
    port : int, default 0
        The port served on (the accepted Host headers); set ``app.state.explore.hosts`` when it
        is known only later.
    host : str, default "127.0.0.1"
    debug : bool, default False
        Tracebacks of internal errors on the console.
    background : bool, default True
        Compute what the slower screens need (continuity, report) in a background thread as soon
        as a corpus is opened; False computes it when a screen first asks.

    Returns
    -------
    ASGI application
        ``.state.explore`` is its :class:`State`.
    """
    from . import editor, export, opening, screens

    routes = [Route("/", home), Route("/font/ipaexg.ttf", font), *screens.ROUTES, *opening.ROUTES, *editor.ROUTES, *export.ROUTES,
              Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, exception_handlers={
        HTTPException: http_error, KeikakuError: keikaku_error, Exception: server_error})
    state = State(roots=[Path(r) for r in (roots or [Path.cwd()])],
                  start_path=Path(corpus_path) if corpus_path is not None else None,
                  hosts=allowed_hosts(port, host=host), debug=debug, background=background)
    app.state.explore = state
    guarded = Guard(app, state=state)
    guarded.state = app.state  # type: ignore[attr-defined]
    return guarded
