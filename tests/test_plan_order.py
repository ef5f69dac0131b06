"""Plans are listed by issue date, then number (engine.models.PLAN_ORDER), wherever one is chosen or
read: their numbers as text put 1834/UBND-KGVX (April 2022) after 117/KH-UBND (July)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.models import Agency, Plan, PlanKind
from dondoc.engine.reports import build_report, render
from dondoc.engine.services.indicator_views import agency_indicators
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.services.web_queries import plans_with_items
from dondoc.web.filters import filter_choices
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog

PLANS = {  # number: issue date, inserted in text order
    "04/KH-BCĐ": date(2022, 2, 18),
    "117/KH-UBND": date(2022, 7, 27),
    "1834/UBND-KGVX": date(2022, 4, 29),
    "61/KH-UBND": date(2021, 4, 20),
}


def test_plans_are_listed_by_issue_date_then_number(session: Session) -> None:
    for number, issued in sorted(PLANS.items()):
        session.add(
            Plan(number=number, kind=PlanKind.KE_HOACH, issued=issued, issuer="UBND tỉnh", title=number, year=2022)
        )
    session.commit()
    expected = ["61/KH-UBND", "04/KH-BCĐ", "1834/UBND-KGVX", "117/KH-UBND"]
    # the board's filter (its plan choices, on the board, the queues and the leaders' page)
    assert [
        row[0]
        for row in filter_choices(session, DEFAULT_DAYS.at(date(2022, 10, 14), 9, 0), DEFAULT_DAYS, ("plan",))["plans"]
    ] == expected
    # the plans page
    assert [plan.number for plan, _ in plans_with_items(session)] == expected


# The small catalog's plan (99/KH-TEST, 01/03/2022) and three copies of it under other numbers: as
# text 04 < 117 < 1834 < 99, by issue date 99, 04, 1834, 117.
COPIES = {"04/KH-TEST": "2022-03-10", "117/KH-TEST": "2022-07-27", "1834/UBND-TEST": "2022-04-22"}
BY_ISSUE = ["99/KH-TEST", "04/KH-TEST", "1834/UBND-TEST", "117/KH-TEST"]
LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
OCTOBER = datetime(2022, 10, 14, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def four_plans(session: Session, tmp_path: Path) -> Session:
    catalog = copy_catalog(tmp_path)
    plan = (catalog / "plans" / "test-plan.yaml").read_text(encoding="utf-8")
    for number, issued in COPIES.items():
        copy = plan.replace("99/KH-TEST", number).replace("issued: 2022-03-01", f"issued: {issued}")
        (catalog / "plans" / f"{number.replace('/', '-')}.yaml").write_text(copy, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    return session


def _plans(numbers: list[str]) -> list[str]:
    """The plans in the order they first come in ``numbers``."""
    return list(dict.fromkeys(numbers))


def test_assignments_listed_plan_by_plan_in_plan_order(four_plans: Session) -> None:
    """``dondoc assignments list`` (queries.list_assignments)."""
    assert _plans([v.plan_number for v in list_assignments(four_plans, OCTOBER)]) == BY_ISSUE


def test_an_agencys_indicators_in_plan_order(four_plans: Session) -> None:
    """The agency's page of indicators (indicator_views.agency_indicators)."""
    agency = four_plans.exec(select(Agency.id).where(Agency.code == "so-noi-vu")).one()
    listed = agency_indicators(four_plans, agency_id=agency or 0, now=OCTOBER)
    assert _plans([i.plan_number for i in listed]) == BY_ISSUE


def test_the_periodic_report_in_plan_order(four_plans: Session) -> None:
    """The report's table by plan (section I) and its indicators (section III), which the Markdown,
    HTML and XLSX renderings read in the same order."""
    data = build_report(four_plans, period_code="2022", now=datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))
    assert [r.key for r in data.by_plan] == BY_ISSUE
    assert _plans([i.item_code.split(":")[0] for i in data.indicators]) == BY_ISSUE
    markdown = render(data, "md").decode("utf-8")
    section_one = markdown[: markdown.index("## II.")]
    assert sorted(BY_ISSUE, key=section_one.index) == BY_ISSUE
