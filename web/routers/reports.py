"""The periodic report and the agencies' rates, from the secretariat's board."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.reports.counted import guessed_groups, unconfirmed_words
from dondoc.engine.reports.data import build_report
from dondoc.engine.reports.labels import as_of_words, convention_counted, file_name
from dondoc.engine.reports.rates import AgencyRates, agency_rates, as_of
from dondoc.engine.reports.render import FORMAT_LABELS_VI, FORMATS
from dondoc.engine.reports.render import render as render_report
from dondoc.engine.reports.sent import mailed_at, mailed_periods
from dondoc.engine.reports.window import report_window
from dondoc.engine.textfold import vi_sort_key
from dondoc.engine.vi_format import parse_day
from dondoc.tasks_catalog.cycles import PeriodError, period_label
from dondoc.web.context import WebContext, ctx
from dondoc.web.filters import reads
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board/reports", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]
MEDIA = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _day(text: str | None, default: date, name: str) -> date:
    if not text:
        return default
    return parse_day(text, name)


@router.get("", dependencies=[reads("start", "end")])
def reports(
    request: Request, context: Context, principal: Secretariat, start: str | None = None, end: str | None = None
) -> Response:
    """The periods to report on, and each agency's on-time and report-timeliness rates."""
    now = context.clock.now()
    today = context.clock.local_date(now)
    first, last = _day(start, date(today.year, 1, 1), "Từ ngày"), _day(end, today, "Đến ngày")
    if last < first:
        raise InvalidInput(f"khoảng thời gian không hợp lệ: {first:%d/%m/%Y} sau {last:%d/%m/%Y}")
    with context.db() as session:
        rates = agency_rates(session, start=first, end=last, now=now, local=context.clock)
        # the parts left out on a guess (engine.reports.counted.Counted.UNCONFIRMED), said under the table
        guessed = sum(r.tasks_unconfirmed + r.reports_unconfirmed for r in rates)
        unconfirmed = unconfirmed_words(guessed, guessed_groups(session) if guessed else (), why=", vào các tỷ lệ")
    convention = convention_counted(rates, "ở bảng này")  # counted here, not by the leaders' ranking
    # a body with something due in the range, counted or said apart under its count
    rates = [r for r in rates if any(_apart_or_due(r))]
    rates.sort(key=lambda r: (-(r.on_time_rate if r.on_time_rate is not None else -1), vi_sort_key(r.agency_short)))
    codes = [str(today.year)] + [f"{today.year}-H{h}" for h in (1, 2)] + [f"{today.year}-Q{q}" for q in range(1, 5)]
    codes += [str(today.year - 1), f"{today.year - 1}-H2"]
    periods = [(code, period_label(code)) for code in codes]  # "Quý III/2022", not "2022-Q3"
    with context.db() as session:
        mailed = [
            Mailed(
                code,
                period_label(code),
                when,
                as_of_words(as_of(report_window(session, code).end, when, context.clock)),
            )
            for code, when in mailed_periods(session)
        ]
    return render(
        request,
        "reports.html",
        principal=principal,
        rates=rates,
        unconfirmed=unconfirmed,
        convention=convention,
        start=first,
        end=last,
        periods=periods,
        mailed=mailed,
        formats=[(f, FORMAT_LABELS_VI[f]) for f in FORMATS],
    )


class Mailed(NamedTuple):
    """A period's report mailed to the leaders: its code and name, when it was built, its figures' instant."""

    code: str
    label: str
    at: datetime
    as_of: str


def _apart_or_due(r: AgencyRates) -> tuple[int, ...]:
    return (
        r.tasks_due,
        r.reports_due,
        r.tasks_unconfirmed,
        r.reports_unconfirmed,
        r.tasks_given_late,
        r.reports_given_late,
        r.tasks_before_tracking,
        r.reports_before_tracking,
    )


@router.get("/download", dependencies=[reads("period", "format", "mailed")])
def download(
    context: Context,
    principal: Secretariat,
    period: str,
    format: str = "xlsx",  # noqa: A002
    mailed: bool = False,
) -> Response:
    """The report of a period (2022, 2022-H1, 2022-Q3) as html, xlsx or md; ``mailed``: as it was built
    for the leaders' mail (engine.reports.sent), its figures judged at that instant."""
    if format not in FORMATS:
        raise InvalidInput(f'định dạng "{format}" không hỗ trợ: dùng {", ".join(FORMATS)}')
    with context.db() as session:
        now = context.clock.now()
        if mailed:
            when = mailed_at(session, period)
            if when is None:
                raise NotFound("bản gửi Lãnh đạo của báo cáo", _label(period))  # never mailed
            now = when
        data = build_report(session, period_code=period, now=now, local=context.clock, policy=context.policy())
    content = render_report(data, format)
    disposition = "inline" if format == "html" else f'attachment; filename="{file_name(data.period_code, format)}"'
    return Response(content, media_type=MEDIA[format], headers={"Content-Disposition": disposition})


def _label(period: str) -> str:
    """The period in words, or as typed when it is no period (build_report says why, in one line)."""
    try:
        return period_label(period)
    except PeriodError:
        return f"«{period}»"
