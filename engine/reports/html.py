"""The report as one self-contained HTML page (Vietnamese, prints on A4: ``@page size A4``)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dondoc.engine.reports import labels
from dondoc.engine.reports.data import ReportData
from dondoc.engine.status import working_days_words
from dondoc.engine.vi_format import shown_code, vn_count, vn_date, vn_number, vn_percent


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dondoc.engine.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=vn_date,
        percent=vn_percent,
        number=vn_number,
        num=vn_count,  # a count as the pages and the mails write it (1.626)
        working_days=working_days_words,  # whole working days late: "dưới 1" for none yet, as the mails say it
        as_of_words=labels.as_of_words,
        shown_code=shown_code,  # a code whose document number is blank: "…/TB-UBND:II.3.b"
    )
    return env


def render_html(data: ReportData) -> str:
    """Render ``data`` with ``templates/report.html.j2``."""
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            data=data,
            categories=labels.CATEGORIES,
            category_headers=labels.CATEGORY_HEADERS,
            summary_scope=labels.SUMMARY_SCOPE,
            period_figures=labels.PERIOD_FIGURES,
            period_notes=labels.period_notes(data),
            every_role=labels.EVERY_ROLE_HEADING,  # its rates' basis, in their headings
            duty_status=labels.DUTY_STATUS_VI,
            # which reports section IV lists; with no row, the window's words in the table; with rows,
            # under them (labels.duties_notes, as the Markdown and the workbook say them)
            duties_scope=labels.duties_scope(data),
            no_duties=labels.no_duties_words(data),
            duties_note=labels.duties_under(data) if data.listed_duties else None,
            mailed=labels.mailed_words(data),  # a reading at another instant than the leaders' mail's
            overdue_words=labels.overdue_words(data),  # with no row; and the work nobody followed, under it
        )
    )
