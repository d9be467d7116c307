"""Opening a corpus and importing an uploaded file (the column-mapping form).

* the bundled corpus, or a corpus folder under an allowed root (:func:`.workspace.inside_root`);
* an uploaded CSV/TSV/xlsx table: its first rows shown, a role chosen per column and the header
  row, a preview of plans, goals, units and warnings (nothing written), then the import into a
  NEW folder under an allowed root (:func:`analysis.corpus_io.write_corpus`);
* an uploaded evaluation text: previewed and imported the same way, without a mapping.

The upload waits in a private temporary folder (:attr:`analysis.explore.app.State.uploads`,
removed when the server stops) until it is imported; the corpus folder then keeps it under
``source/`` as the CLI does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from ..errors import InputError, KeikakuError
from .app import checked_form, error_text, render, state_of
from .workspace import corpus_folders, inside_root, open_workspace

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
ROLE_LABELS = {
    "": "（属性として残す）", "philosophy": "基本理念", "goal": "基本目標", "direction": "施策の方向",
    "unit": "事業（単位）", "initiatives": "取組内容", "evaluation": "評価", "next": "次期計画の方向性",
    "next_description": "次期計画の説明", "description": "方向性の説明", "priority": "重点", "decision": "今後の方向性", "period": "年度・期間",
    "level": "階層（政策・施策など）", "text": "評価の文（ラベル付き）", "rating": "評価の段階",
    "rating_reason": "評価の理由", "attribute": "属性",
}
PREVIEW_ROWS = 8
NAME = re.compile(r"^[^/\\\x00:*?\"<>|.][^/\\\x00:*?\"<>|]{0,80}$")


@dataclass
class Upload:
    """A file uploaded and waiting for its mapping."""

    path: Path
    kind: str  # "table" or "text"
    rows: list = field(default_factory=list)  # (line, cells) of a table
    corpus: object = None  # the previewed corpus
    mapping: dict | None = None


def roles() -> dict[str, str]:
    """Role → Japanese label, the roles the importer knows (and "" for an attribute)."""
    from ..importers.mapping import ROLES

    return {"": ROLE_LABELS[""], **{r: ROLE_LABELS.get(r, r) for r in ROLES}}


async def page(request: Request, *, error: str = "", status: int = 200):
    state = state_of(request)
    return render(request, "open.html", http_status=status, error=error,
                  roots=[str(r) for r in state.roots], folders=corpus_folders(state.roots))


async def open_corpus(request: Request):
    state = state_of(request)
    form = await checked_form(request)
    try:
        if form.get("bundled"):
            path = None
        else:
            index = int(form.get("root", "0")) if str(form.get("root", "0")).isdigit() else -1
            if not 0 <= index < len(state.roots):
                raise InputError("許可されたフォルダの外は開けません", field="root")
            path = inside_root(state.roots[index], str(form.get("folder", "")))
            if not path.is_dir():
                raise InputError("コーパスのフォルダではありません", file=str(form.get("folder", "")))
        state.replace(open_workspace(path))
    except KeikakuError as exc:
        return await page(request, error=error_text(exc), status=400)
    return RedirectResponse("/overview", status_code=303)


async def upload(request: Request):
    state = state_of(request)
    form = await checked_form(request, files=True)
    item = form.get("file")
    if item is None or not getattr(item, "filename", ""):
        return await page(request, error="ファイルを選んでください", status=400)
    name = Path(item.filename.replace("\\", "/")).name
    if not NAME.match(name):
        return await page(request, error=f"{name}: このファイル名は使えません", status=400)
    scratch = state.uploads
    for old in scratch.iterdir():
        old.unlink()
    target = scratch / name
    target.write_bytes(await item.read())
    kind = "table" if target.suffix.lower() in TABLE_SUFFIXES and target.suffix.lower() != ".txt" else "text"
    try:
        rows = []
        if kind == "table":
            from ..importers.table import read_table

            rows = read_table(target).rows
        state.upload = Upload(path=target, kind=kind, rows=rows)
    except KeikakuError as exc:
        return await page(request, error=error_text(exc), status=400)
    return RedirectResponse("/open/mapping", status_code=303)


def header_names(rows: list, line: int) -> tuple[list[str], list[str]]:
    """(the header cells of row ``line``, their column names as a mapping names them); a header
    of two rows starting there gives its columns' names as import reads them (「評価/課題」)."""
    from ..importers.headers import column_names, header_row

    cells = header_row(rows, line).cells if any(n == line for n, _ in rows) else []
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return cells[:width], column_names(cells[:width])


def guessed_header(rows: list) -> int:
    from ..importers.headers import likely_header_row

    found = likely_header_row(rows)
    return found.line if found else 1


def mapping_of(names: list[str], chosen: list[str], header_line: int) -> dict:
    """The mapping TOML's data for the roles ``chosen`` per column.

    >>> mapping_of(["基本目標", "施策", "評価", "担当"], ["goal", "direction", "evaluation", ""], 1)
    {'columns': {'goal': '基本目標', 'direction': '施策', 'evaluation': '評価'}, 'table': {'header_line': 1}}
    """
    from ..importers.mapping import REPEATABLE_ROLES

    columns: dict = {}
    for name, role in zip(names, chosen):
        if not role:
            continue
        if role in REPEATABLE_ROLES:
            columns.setdefault(role, []).append(name)
        elif role in columns:
            raise InputError(f"「{ROLE_LABELS.get(role, role)}」を二つの列に選んでいます（{columns[role]}、{name}）",
                             field=role)
        else:
            columns[role] = name
    return {"columns": columns, "table": {"header_line": header_line}}


def preview(upload: Upload, mapping: dict | None):
    """The corpus the upload imports to with ``mapping`` (nothing is written)."""
    from ..importers import import_source, read_mapping

    if upload.kind == "text":
        return import_source(upload.path, name=upload.path.stem)
    return import_source(upload.path, mapping=read_mapping(mapping), name=upload.path.stem)


async def mapping_page(request: Request):
    state = state_of(request)
    up = state.upload
    if up is None:
        return RedirectResponse("/open", status_code=303)
    error, corpus = "", None
    line = guessed_header(up.rows) if up.kind == "table" else 1
    chosen: list[str] = []
    if request.method == "POST":
        form = await checked_form(request)
        line = int(form.get("header_line")) if str(form.get("header_line", "")).isdigit() else line
        cells, names = header_names(up.rows, line) if up.kind == "table" else ([], [])
        chosen = [str(form.get(f"role{i}", "")) for i in range(len(names))]
        chosen = [c if c in roles() else "" for c in chosen]
        if form.get("rehead"):
            chosen = []
        else:
            try:
                up.mapping = mapping_of(names, chosen, line) if up.kind == "table" else None
                up.corpus = corpus = preview(up, up.mapping)
            except KeikakuError as exc:
                error, up.corpus = error_text(exc), None
    cells, names = header_names(up.rows, line) if up.kind == "table" else ([], [])
    if not chosen:
        from ..importers.mapping import guess_role

        chosen = [(guess_role(n.split("#")[0]) or "") if not n.endswith("列目") else "" for n in names]
    if up.kind == "text" and request.method == "GET":
        try:
            up.corpus = corpus = preview(up, None)
        except KeikakuError as exc:
            error = error_text(exc)
    first = [(n, c) for n, c in up.rows[:max(line + PREVIEW_ROWS, 12)]]
    return render(request, "mapping.html", up=up, rows=first, line=line, names=names, chosen=chosen,
                  roles=roles(), error=error, corpus=corpus, roots=[str(r) for r in state.roots],
                  candidates=[n for n, c in up.rows[:30] if any(x.strip() for x in c)])


async def do_import(request: Request):
    from ..corpus_io import write_corpus

    state = state_of(request)
    form = await checked_form(request)
    up = state.upload
    if up is None or up.corpus is None:
        raise HTTPException(400, "先にプレビューしてください")
    name = str(form.get("name", "")).strip()
    try:
        index = int(form.get("root", "0")) if str(form.get("root", "0")).isdigit() else -1
        if not 0 <= index < len(state.roots):
            raise InputError("許可されたフォルダの外には書き出せません", field="root")
        if not NAME.match(name):
            raise InputError("フォルダ名には / や .. を使えません（新しいフォルダの名前を一つ）", file=name)
        target = inside_root(state.roots[index], name)
        if target.exists():
            raise InputError("すでにあります。新しいフォルダの名前を選んでください（上書きはしません）", file=name)
        corpus = preview(up, up.mapping)
        corpus.name = name
        write_corpus(corpus, target, sources=[up.path])
        state.replace(open_workspace(target))
        state.upload = None
    except KeikakuError as exc:
        return render(request, "mapping.html", http_status=400, up=up, rows=up.rows[:12], line=0, names=[], chosen=[],
                      roles=roles(), error=error_text(exc), corpus=up.corpus, roots=[str(r) for r in state.roots],
                      candidates=[])
    return RedirectResponse("/overview", status_code=303)


ROUTES = [Route("/open", page), Route("/open/corpus", open_corpus, methods=["POST"]),
          Route("/open/upload", upload, methods=["POST"]),
          Route("/open/mapping", mapping_page, methods=["GET", "POST"]),
          Route("/open/import", do_import, methods=["POST"])]
