"""The secretariat's queues, one page each (engine.services.queues.QUEUES): a filterable list,
oldest first, with the working days each line has waited. A queue added to the registry gets its
page here and its count on the board's header, with nothing else to write."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from dondoc.engine.services.queues import QUEUES, Queue
from dondoc.web.context import WebContext, ctx
from dondoc.web.exports import XLSX, queue_csv, queue_xlsx
from dondoc.web.filters import PAGE_SIZE, page_of, queue_filter, queue_page
from dondoc.web.inputs import here
from dondoc.web.principal import secretariat_db
from dondoc.web.routers.board import EXPORT_LIMIT, download
from dondoc.web.routers.bulk import BULK_ACTIONS
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]


def _page(queue: Queue):  # type: ignore[no-untyped-def]
    def page(request: Request, context: Context) -> Response:
        # one transaction: the user's check, then the page's reads
        with secretariat_db(request, context) as (principal, session):
            (where, backlog), page = queue_filter(request, queue), page_of(request)
            now, local = context.clock.now(), context.clock
            count = queue.count(session, now, local, where, backlog)
            offset = (page - 1) * PAGE_SIZE
            rows = queue.rows(session, now, context.calendar, local, where, PAGE_SIZE, offset, backlog)
            listed = queue_page(session, queue, where, page, count, len(rows), now, local, backlog)
        return render(
            request,
            "queue.html",
            principal=principal,
            queue=queue,
            rows=rows,
            bulk_actions=BULK_ACTIONS,
            back=here(request),
            **listed,
        )

    page.__name__ = f"queue_{queue.slug.replace('-', '_')}"
    page.__doc__ = f"The queue «{queue.title}»."
    return page


def _export(queue: Queue, suffix: str):  # type: ignore[no-untyped-def]
    def export(request: Request, context: Context) -> Response:
        with secretariat_db(request, context) as (_, session):
            # the part its page shows, too (a queue that keeps the backlog apart: ?ton-dong=1)
            (where, backlog), now = queue_filter(request, queue, exported=True), context.clock.now()
            rows = queue.rows(session, now, context.calendar, context.clock, where, EXPORT_LIMIT, backlog=backlog)
        day = context.clock.local_date(now)
        content = queue_csv(queue, rows) if suffix == "csv" else queue_xlsx(queue, rows)
        media = "text/csv; charset=utf-8" if suffix == "csv" else XLSX
        return download(content, media, f"{queue.slug}-{day:%Y%m%d}.{suffix}")

    export.__name__ = f"queue_{queue.slug.replace('-', '_')}_{suffix}"
    export.__doc__ = f"The queue «{queue.title}», filtered as its page, as {suffix.upper()} (every row, up to 100,000)."
    return export


for _queue in QUEUES:
    for _suffix in ("csv", "xlsx"):  # every queue, own page or not: the rows its page lists, filtered alike
        router.add_api_route(f"/{_queue.slug}.{_suffix}", _export(_queue, _suffix), methods=["GET"])
    if _queue.own_page:
        continue
    router.add_api_route(f"/{_queue.slug}", _page(_queue), methods=["GET"])
