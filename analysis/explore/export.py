"""Downloads: the report folder as a zip, the workbook, the continuity GraphML, each table as CSV.

Everything comes from the report folder the workspace writes once into its own scratch folder
(:attr:`analysis.explore.workspace.Workspace.report_folder`); a table is named by its file name,
looked up in the folder's listing, so no path from the request is ever opened.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .app import render, state_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, name: str, media_type: str) -> Response:
    """A download named ``name`` (RFC 5987 for Japanese names)."""
    return Response(data, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def tables(folder) -> dict[str, object]:
    """File name → path of the report's CSV tables."""
    return {p.name: p for p in sorted((folder / "tables").glob("*.csv"))}


async def page(request: Request):
    """The downloads; while the report is still being written (in the background), the page says
    so and reloads itself instead of waiting."""
    ws = state_of(request).current()
    if not ws.report_ready:
        return render(request, "export.html", tables=[], graphml=False, preparing=True)
    folder = ws.report_folder
    return render(request, "export.html", tables=list(tables(folder)), preparing=False,
                  graphml=(folder / "graph" / "continuity.graphml").is_file())


async def report_zip(request: Request):
    folder = state_of(request).current().report_folder
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, f"report/{path.relative_to(folder).as_posix()}")
    return attachment(buffer.getvalue(), "report.zip", "application/zip")


async def workbook(request: Request):
    folder = state_of(request).current().report_folder
    return attachment((folder / "keikaku.xlsx").read_bytes(), "keikaku.xlsx", XLSX)


async def graphml(request: Request):
    path = state_of(request).current().report_folder / "graph" / "continuity.graphml"
    if not path.is_file():
        raise HTTPException(404, "継続性グラフは二つ以上の世代があるときに書き出されます")
    return attachment(path.read_bytes(), "continuity.graphml", "application/xml")


async def table(request: Request):
    found = tables(state_of(request).current().report_folder).get(request.path_params["name"])
    if found is None:
        raise HTTPException(404, "その表はありません")
    return attachment(found.read_bytes(), found.name, "text/csv; charset=utf-8")


ROUTES = [Route("/export", page), Route("/export/report.zip", report_zip), Route("/export/keikaku.xlsx", workbook),
          Route("/export/continuity.graphml", graphml), Route("/export/tables/{name}", table)]
