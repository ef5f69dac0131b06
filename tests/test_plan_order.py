"""Plans are listed by issue date, then number (engine.models.PLAN_ORDER), wherever one is chosen or
read: their numbers as text put 1834/UBND-KGVX (April 2022) after 117/KH-UBND (July)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from dondoc.engine.models import Plan, PlanKind
from dondoc.engine.services.web_queries import plans_with_items
from dondoc.web.filters import filter_choices

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
    assert [row[0] for row in filter_choices(session, date(2022, 10, 14), ("plan",))["plans"]] == expected
    # the plans page
    assert [plan.number for plan, _ in plans_with_items(session)] == expected
