"""/board/to-chuc-lai: the secretariat records a succession (an agency renamed, merged, split,
absorbed or dissolved on a date, with its legal source). The entry is written as catalog data into
the installation's folder (DONDOC_CATALOG_LOCAL_DIR) by the code ``dondoc agencies succeed`` uses
(tasks_catalog.recorder: the whole catalog validated first, nothing written if refused), then the
catalog is loaded and, if its date has come, the open work passes on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session, col, select
from starlette.responses import RedirectResponse, Response

from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, Succession
from dondoc.engine.services.catalog_sync import sync_catalog
from dondoc.engine.services.successions import KIND_LABELS_VI, RecordedBy
from dondoc.notifications.inherited import apply_successions
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.tasks_catalog.recorder import KINDS, succession_recorded
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.filters import reads
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]
SUCCESSOR_ROWS = 4  # successor rows on the form (a split names two or more)
PATH = "/board/to-chuc-lai"


def _page(request: Request, context: WebContext, principal: Principal, status: int = 200, **extra: Any) -> Response:
    today = context.clock.local_date(context.clock.now())
    with context.db() as session:
        agencies = session.exec(select(Agency).order_by(col(Agency.name), col(Agency.id))).all()
        recorded = _recorded(session)
    living = [a for a in agencies if a.valid_to is None or a.valid_to >= today]
    existing = [(a.code, a.name) for a in living if a.valid_from is None or a.valid_from <= today]
    extra.setdefault("error", None)
    extra.setdefault("form", {})
    extra.setdefault("done", None)
    return render(
        request,
        "successions.html",
        status_code=status,
        principal=principal,
        kinds=[(k, KIND_LABELS_VI[k]) for k in KINDS],
        existing=existing,  # may end: exists today
        # may take over: exists today or later (a body the succession creates)
        successors=[(a.code, a.name) for a in living],
        rows=range(1, SUCCESSOR_ROWS + 1),
        recorded=recorded,
        folder=context.settings.catalog_local_dir is not None,
        **extra,
    )


def _recorded(session: Session) -> list[dict[str, Any]]:
    names = {a.code: a.name for a in session.exec(select(Agency))}
    return [
        {
            "key": s.key,
            "on": s.effective_on,
            "kind": KIND_LABELS_VI.get(s.kind, s.kind),
            "from": [names.get(c, c) for c in s.from_codes],
            "to": [(names.get(t["agency"], t["agency"]), t.get("functions", [])) for t in s.successors],
            "source": s.source,
            "confirmed": s.confirmed,
        }
        for s in session.exec(select(Succession).order_by(col(Succession.effective_on).desc(), col(Succession.id)))
    ]


@router.get("/to-chuc-lai", dependencies=[reads("done")])
def index(request: Request, context: Context, principal: Secretariat, done: str | None = None) -> Response:
    return _page(request, context, principal, done=done)


@router.post("/to-chuc-lai")
async def record(request: Request, context: Context, principal: Secretariat) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    values = {name: str(form.get(name) or "").strip() for name in ("kind", "on", "source")}
    old = [str(v).strip() for v in form.getlist("old") if str(v).strip()]
    by: list[str] = []
    functions: dict[str, list[str]] = {}
    for row in range(1, SUCCESSOR_ROWS + 1):
        code = str(form.get(f"to_{row}") or "").strip()
        if code:
            by.append(code)
            lines = str(form.get(f"functions_{row}") or "").splitlines()
            functions[code] = [line.strip() for line in lines if line.strip()]
    try:
        with succession_recorded(
            local_dir=context.settings.catalog_local_dir,
            catalog_dir=context.settings.catalog_dir,
            old=old,
            by=by,
            on=values["on"],
            kind=values["kind"],
            source=values["source"],
            functions=functions,
            confirmed=form.get("unconfirmed") is None,
        ) as entry:
            catalog = load_catalog(context.settings.catalog_dir, context.settings.catalog_local_dir)
            now = context.clock.now()
            with context.db() as session:  # the catalog with the new entry, and the work whose date has come
                sync_catalog(session, catalog, now=now, calendar=context.calendar, local=context.clock)
                # the work it passes at once is the clerk's step in the history, not the catalog's
                clerk = RecordedBy(entry.key, principal.actor.label, principal.username)
                apply_successions(session, now=now, local=context.clock, settings=context.settings, recorded_by=clerk)
    except InvalidInput as refused:
        kept = dict(values, old=old, unconfirmed=form.get("unconfirmed") is not None)
        kept |= {f"to_{i}": str(form.get(f"to_{i}") or "") for i in range(1, SUCCESSOR_ROWS + 1)}
        kept |= {f"functions_{i}": str(form.get(f"functions_{i}") or "") for i in range(1, SUCCESSOR_ROWS + 1)}
        return _page(request, context, principal, 422, error=str(refused), form=kept)
    return RedirectResponse(f"{PATH}?done={entry.key}", status_code=303)
