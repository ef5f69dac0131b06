"""/board/import: the secretariat uploads a document, reviews the proposed items beside the source
text, edits, saves, and publishes the plan into the installation's catalog folder
(DONDOC_CATALOG_LOCAL_DIR), which is then loaded (the importer: dondoc.importer)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from dondoc.engine.clock import FIRST_YEAR, LAST_YEAR
from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline
from dondoc.engine.services.catalog_sync import sync_catalog
from dondoc.engine.services.catalog_words import item_row, load_counts
from dondoc.importer import review
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.draft import REPORTING_VI, build_draft
from dondoc.importer.errors import ImportRefused
from dondoc.importer.fields import reading_words
from dondoc.importer.provinces import plan_scope, refusals
from dondoc.importer.reading import read_document
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from dondoc.tasks_catalog.local import publish
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.filters import reads
from dondoc.web.inputs import Short
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board/import", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]
NO_FOLDER = "Chưa đặt thư mục danh mục của đơn vị (DONDOC_CATALOG_LOCAL_DIR): chưa nhập được văn bản."


def _agencies(context: WebContext) -> AgencyDirectory:
    return AgencyDirectory.load(context.settings.catalog_dir)


def _page(request: Request, context: WebContext, principal: Principal, status: int = 200, **extra: Any) -> Response:
    local = context.settings.catalog_local_dir
    names = review.drafts(local) if local else []
    extra.setdefault("error", None)
    return render(request, "import.html", status_code=status, principal=principal, drafts=names, **extra)


@router.get("", dependencies=[reads()])
def index(request: Request, context: Context, principal: Secretariat) -> Response:
    error = None if context.settings.catalog_local_dir else NO_FOLDER
    return _page(request, context, principal, error=error)


@router.post("")
async def upload(
    request: Request,
    context: Context,
    principal: Secretariat,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[Short, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    local = context.settings.catalog_local_dir
    if local is None:
        return _page(request, context, principal, 400, error=NO_FOLDER)
    data = await file.read(context.max_upload_bytes + 1)
    name = Path(file.filename or "van-ban").name
    if len(data) > context.max_upload_bytes:
        limit = f"{context.max_upload_bytes / (1024 * 1024):g} MB".replace(".", ",")  # 10 MB; 0,5 MB
        return _page(request, context, principal, 400, error=f"Tệp {name} vượt quá dung lượng cho phép ({limit}).")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        try:
            document = read_document(path, name=name)
            draft = build_draft(document, _agencies(context), today=context.clock.local_date(context.clock.now()))
        except ImportRefused as exc:
            return _page(request, context, principal, 400, error=str(exc))
    slug = review.save(local, review.to_state(draft, document))
    return RedirectResponse(f"/board/import/{slug}", status_code=303)


PHRASE_MAX = 200  # a deadline phrase, as the review form's field holds it


@router.get("/deadline")
def deadline(
    principal: Secretariat,
    phrase: str = "",  # the page's script reads JSON: a long phrase is answered as one, not as a 422 page
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
) -> Response:
    """The deadline parser's reading of a phrase, for the live hint beside the field (the
    secretariat's, as every page of the desk)."""
    del principal  # logged in: checked by the dependency
    ok, text = deadline_hint(phrase, year)
    return JSONResponse({"ok": ok, "text": text})


def deadline_hint(phrase: str | None, year: int | None) -> tuple[bool, str]:
    """Whether the parser reads ``phrase``, and what is said under the deadline field: the reading
    (importer.fields.reading_words: a due day off said to move to the next working day) or what to write. The page
    shows it as drawn, the script as the phrase is typed."""
    if not phrase or not phrase.strip():
        return True, "không có hạn"
    if len(phrase) > PHRASE_MAX:
        return False, f"thời hạn dài quá {PHRASE_MAX} ký tự"
    try:
        reading = parse_deadline(phrase, default_year=year)
    except DeadlinePhraseError:
        # the parser's reasons are in English, for the catalog's editors: the reader is told what to write
        return False, "không đọc được thời hạn này; ghi rõ ngày, tháng, năm (ví dụ: trước ngày 30/6/2022, Quý IV/2022)"
    return True, reading_words(reading)


def _review(
    request: Request, context: WebContext, principal: Principal, slug: str, status: int = 200, **extra: Any
) -> Response:
    local = context.settings.catalog_local_dir
    state = review.load(local, slug) if local else None
    if state is None:
        return _page(request, context, principal, 404, error=f"Không có bản nháp «{slug}».")
    for key in ("error", "problems", "done", "published", "changes", "orphaned"):
        extra.setdefault(key, None)
    try:
        directory = _agencies(context).directory
    except ImportRefused as exc:  # the catalog's agencies.yaml does not read: the server's to mend, said
        return _page(request, context, principal, 503, error=str(exc))
    # the bodies the draft plan's work may go to: of its province, existing on its issue date
    offered = {code for code, why in refusals(directory, *plan_scope(state["plan"])).items() if why is None}
    codes = [(a.code, a.short) for a in directory.agencies] + [(f"@{g.code}", g.name) for g in directory.groups]
    codes = [(code, label) for code, label in codes if code in offered]
    return render(
        request,
        "import_review.html",
        status_code=status,
        principal=principal,
        slug=slug,
        state=state,
        codes=codes,
        sentences=review.sentences,
        deadline_hint=deadline_hint,
        reporting_heading=REPORTING_VI,
        **extra,
    )


@router.get("/{slug}", dependencies=[reads("done")])
def show(request: Request, slug: str, context: Context, principal: Secretariat) -> Response:
    return _review(request, context, principal, slug, done=request.query_params.get("done"))


@router.post("/{slug}")
async def save(request: Request, slug: str, context: Context, principal: Secretariat) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    local = context.settings.catalog_local_dir
    state = review.load(local, slug) if local else None
    if local is None or state is None:
        return _page(request, context, principal, 404, error=f"Không có bản nháp «{slug}».")
    values = {key: [str(v) for v in form.getlist(key)] for key in form}
    try:
        review.apply_form(state, values, _agencies(context))
    except ImportRefused as exc:
        return _review(request, context, principal, slug, 400, error=str(exc))
    review.save(local, state, slug)
    if form.get("action") != "publish":
        return RedirectResponse(f"/board/import/{slug}?done=save", status_code=303)
    return _publish(request, context, principal, slug, state, local)


def _publish(
    request: Request, context: WebContext, principal: Principal, slug: str, state: dict[str, Any], local: Path
) -> Response:
    path, before = publish(local, slug, review.plan_yaml(state))
    try:
        catalog = load_catalog(context.settings.catalog_dir, local)
    except CatalogInvalid as exc:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        # a body an item may not be given (of another province, engine.provinces; not existing on the day
        # its work is read): the loader's Vietnamese line, naming the item, not the list of problems in
        # the catalog's words
        said = [f"{item_row(p.code or '')}: {p.vi}" for p in exc.problems if p.item]
        error = f"Chưa công bố được. {said[0]}" if said else "Chưa công bố được: danh mục không hợp lệ."
        problems = said[1:] if said else [str(p) for p in exc.problems]
        return _review(request, context, principal, slug, 400, error=error, problems=problems)
    with context.db() as session:  # the whole catalog, validated above, applied in one transaction
        report = sync_catalog(session, catalog, now=context.clock.now(), calendar=context.calendar, local=context.clock)
    # what the load changed, as the CLI lists it: a body dropped from an item leaves its part in place
    # (orphaned, not removed), which the secretariat decides on
    return _review(
        request,
        context,
        principal,
        slug,
        published=load_counts(report.created, report.updated),
        changes=report.changes,
        orphaned=report.orphaned,
    )
