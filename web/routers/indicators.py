"""An agency's indicators (chỉ tiêu) behind its signed link: /a/{token}/indicators/…

The agency sees, per indicator it answers for, the target, the value that counts for the
current half-year and year with its green/amber/red status, and its history; it reports a
new value (append-only, through :func:`engine.services.indicators.report_actual`) with a note
and an optional file. Another agency's indicator is refused (403), whatever id is in the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from dondoc.engine.errors import InvalidInput, NotFound, PermissionDenied
from dondoc.engine.models import IndicatorActual
from dondoc.engine.numerals import decimal
from dondoc.engine.services.indicator_views import agency_indicator
from dondoc.engine.services.indicators import current_periods, report_actual
from dondoc.tasks_catalog.cycles import period_label
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.filters import reads
from dondoc.web.inputs import Id, LinkToken, Short, Text
from dondoc.web.principal import AGENCY_PAGES, agency_principal
from dondoc.web.templating import render
from dondoc.web.uploads import ALLOWED, Stored, discard, store

router = APIRouter(prefix=f"{AGENCY_PAGES}/indicators", tags=["pages: agency"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]


@dataclass(frozen=True)
class ActualForm:
    """The report form as sent; shown again, filled in, when it is refused."""

    period: str = ""
    value: str = ""
    note: str = ""
    scope: str = ""


@router.get("/{indicator_id}", dependencies=[reads("done")])
def indicator_page(request: Request, token: LinkToken, indicator_id: Id, context: Context) -> Response:
    """Target, status per period, the report form and the history of one indicator."""
    return _page(request, context, token, indicator_id)


@router.post("/{indicator_id}/actuals")
def report(
    request: Request,
    token: LinkToken,
    indicator_id: Id,
    context: Context,
    csrf: Annotated[Short, Form()] = "",
    period: Annotated[Short, Form()] = "",
    value: Annotated[Short, Form()] = "",
    note: Annotated[Text, Form()] = "",
    scope: Annotated[Short, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record one value; a refused value shows the page again with the reason (422), nothing written."""
    check_csrf(request, csrf)
    form = ActualForm(period, value, note, scope)
    try:
        _record(context, token, indicator_id, form, file if file is not None and file.filename else None)
    except InvalidInput as exc:
        return _page(request, context, token, indicator_id, form=form, error=str(exc), status=422)
    return RedirectResponse(f"/a/{token}/indicators/{indicator_id}?done=1", status_code=303)


@router.get("/{indicator_id}/actuals/{actual_id}/attachment", dependencies=[reads()])
def attachment(token: LinkToken, indicator_id: Id, actual_id: Id, context: Context) -> Response:
    """The file sent with one of this agency's values."""
    with context.db() as session:
        principal = agency_principal(session, context, token)
        row = session.get(IndicatorActual, actual_id)
        if row is None or row.indicator_id != indicator_id or not row.attachment_path:
            raise NotFound("attachment of indicator value", actual_id)
        if row.agency_id != principal.agency_id:
            raise PermissionDenied(
                principal.name, f"tải tệp của số liệu chỉ tiêu {actual_id}", "số liệu thuộc cơ quan khác"
            )
        path, name, content_type = _locate(context.attachments, row.attachment_path)
    return FileResponse(path, media_type=content_type, filename=name)


def _page(
    request: Request,
    context: WebContext,
    token: LinkToken,
    indicator_id: Id,
    *,
    form: ActualForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    now = context.clock.now()
    with context.db() as session:
        principal = agency_principal(session, context, token)
        view = agency_indicator(session, agency_id=principal.agency_id or 0, indicator_id=indicator_id, now=now)
    periods = [(code, period_label(code)) for code in current_periods(now)]
    return render(
        request,
        "indicator.html",
        status,
        principal=principal,
        token=token,
        view=view,
        periods=periods,
        form=form or ActualForm(period=periods[0][0]),
        error=error,
    )


def _record(context: WebContext, token: str, indicator_id: int, form: ActualForm, upload: UploadFile | None) -> None:
    """Check, store the file, write the value, all in one transaction; the file is removed on any error."""
    now = context.clock.now()
    stored: Stored | None = None
    try:
        with context.db() as session:
            principal = agency_principal(session, context, token)
            agency_indicator(session, agency_id=principal.agency_id or 0, indicator_id=indicator_id, now=now)
            number = parse_value(form.value)
            if upload is not None:
                stored = store(
                    context.attachments, upload.filename or "", upload.file, max_bytes=context.max_upload_bytes
                )
            report_actual(
                session,
                indicator_id=indicator_id,
                agency_code=principal.actor.agency_code or "",
                period_code=form.period,
                value=number,
                note=form.note.strip() or None,
                actor=principal.actor,
                now=now,
                scope=form.scope or None,
                attachment_path=_attachment_path(stored),
            )
    except BaseException:
        discard([stored] if stored else [])
        raise


# "1.000", "1.234.567,5": a dot groups thousands; never after a lone 0 ("0.125" is a decimal)
_GROUPED = re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?")


def parse_value(text: str) -> float:
    """ "72,5" or "72.5" → 72.5 (a decimal comma is how Vietnamese write it); "1.000" → 1000 and
    "1.234,5" → 1234.5, as the pages write numbers (vi_format.vn_number): a dot before groups of
    three digits groups thousands (the form had read "1.000" as 1), not after a lone 0 ("0.125");
    both marks otherwise ("1,234.5", the English way) are refused rather than guessed."""
    clean = text.strip().replace(" ", "")
    if "," in clean and "." in clean and not _GROUPED.fullmatch(clean):  # "1,234.5": which is the decimal?
        raise InvalidInput(
            f'Giá trị "{text.strip()}" không rõ dấu thập phân: viết dấu phẩy thập phân, dấu chấm tách hàng nghìn '
            "(ví dụ: 1.234,5)."
        )
    if _GROUPED.fullmatch(clean):
        clean = clean.replace(".", "")
    clean = clean.replace(",", ".")
    if not clean:
        raise InvalidInput("Chưa nhập giá trị.")
    # digits and one decimal mark only (engine.numerals): float() reads "1_0" as 10, "٣" as 3, "1e-400" as 0
    number = decimal(clean)
    if number is None:
        raise InvalidInput(f'Giá trị "{text.strip()}" không phải là một số (ví dụ: 72,5).')
    return number


def _attachment_path(stored: Stored | None) -> str | None:
    """``ab/<32 hex>/<original name>``: where the file lies under the attachments folder, then its name."""
    return f"{stored.stored_name[:2]}/{stored.stored_name}/{stored.original_name}" if stored else None


def _locate(folder: Path, attachment_path: str) -> tuple[Path, str, str]:
    """The file, its original name and content type; NotFound if it is gone or the path is not ours."""
    prefix, stored_name, name = (attachment_path.split("/", 2) + ["", ""])[:3]
    path = folder / prefix / stored_name
    extension = name.rsplit(".", 1)[-1].lower()
    if len(stored_name) != 32 or not stored_name.isalnum() or prefix != stored_name[:2] or not path.is_file():
        raise NotFound("attachment file", attachment_path)
    return path, name, ALLOWED.get(extension, ("application/octet-stream", ()))[0]
