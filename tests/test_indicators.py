"""Indicator actuals: validation, permission, append-only history, progress, per-group targets."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import InvalidInput, PermissionDenied
from dondoc.engine.models import Agency, Indicator, IndicatorActual, PlanItem
from dondoc.engine.services.indicators import answers, answers_of, latest_actuals, progress, report_actual
from dondoc.tasks_catalog.loader import default_catalog_dir
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG

NOW = datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ)  # 2022-H1 and 2022 are open for reporting


def _indicator(session: Session, item_code: str, code: str) -> Indicator:
    return session.exec(
        select(Indicator)
        .join(PlanItem, Indicator.item_id == PlanItem.id)
        .where(PlanItem.code == item_code, Indicator.code == code)
    ).one()


@pytest.fixture
def dvctt(session: Session, clock: FrozenClock) -> Indicator:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return _indicator(session, "99/KH-TEST:II.1", "dvctt")


def _report(
    session: Session,
    indicator: Indicator,
    agency: str,
    value: float,
    actor: Actor | None = None,
    period: str = "2022-H1",
) -> IndicatorActual:
    return report_actual(
        session,
        indicator_id=indicator.id or 0,
        agency_code=agency,
        period_code=period,
        value=value,
        note="Số liệu đến 14/6",
        actor=actor or Actor.agency(agency),
        now=NOW,
    )


def _sent(session: Session, indicator: Indicator, agency: str, period: str, value: float, when: datetime) -> None:
    """``agency``'s figure of ``period`` for ``indicator``, sent at ``when``."""
    report_actual(
        session,
        indicator_id=indicator.id or 0,
        agency_code=agency,
        period_code=period,
        value=value,
        note=None,
        actor=Actor.agency(agency),
        now=when,
    )


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(IndicatorActual)).one()


def test_an_actual_over_100_percent_is_refused_with_a_clear_message_and_nothing_written(
    session: Session, dvctt: Indicator
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _report(session, dvctt, "so-noi-vu", 130)
    assert (
        str(caught.value) == 'giá trị 130 % không hợp lệ cho chỉ tiêu "Tỷ lệ hồ sơ trực tuyến": tỷ lệ phải từ 0 đến 100'
    )
    with pytest.raises(InvalidInput, match="tỷ lệ phải từ 0 đến 100"):
        _report(session, dvctt, "so-noi-vu", -1)
    with pytest.raises(InvalidInput, match="2022-Q5"):
        _report(session, dvctt, "so-noi-vu", 40, period="2022-Q5")
    for closed in ("2021", "2022-Q1", "2022-H2"):  # valid periods, but not open on 20/6/2022, whoever reports
        with pytest.raises(InvalidInput, match=f'Kỳ báo cáo "{closed}" không mở để báo cáo'):
            _report(session, dvctt, "so-noi-vu", 40, actor=SECRETARIAT, period=closed)
    session.commit()
    assert _count(session) == 0


def test_only_the_agency_or_the_secretariat_may_report(session: Session, dvctt: Indicator) -> None:
    with pytest.raises(
        PermissionDenied, match="^Sở Thông tin và Truyền thông không được báo cáo số liệu này: chỉ Sở Nội vụ"
    ):
        _report(session, dvctt, "so-noi-vu", 40, actor=Actor.agency("so-tttt"))
    row = _report(session, dvctt, "so-noi-vu", 40, actor=SECRETARIAT)
    assert row.reported_by == "secretariat" and row.scope == "@so-ban-nganh"


def test_history_is_kept_and_the_latest_counts(session: Session, dvctt: Indicator) -> None:
    first = _report(session, dvctt, "ubnd-binh-son", 12)
    second = report_actual(
        session,
        indicator_id=dvctt.id or 0,
        agency_code="ubnd-binh-son",
        period_code="2022-H1",
        value=15.5,
        note="Điều chỉnh",
        actor=Actor.agency("ubnd-binh-son"),
        now=NOW.replace(hour=15),
    )
    year = _report(session, dvctt, "ubnd-binh-son", 21, period="2022")
    session.commit()
    assert _count(session) == 3 and first.id != second.id
    key = (dvctt.id, first.agency_id, "ubnd-binh-son")
    assert latest_actuals(session, ["2022-Q1", "2022-Q2", "2022-H1"])[key].value == 15.5
    assert latest_actuals(session, ["2022-H1", "2022"])[key].id == year.id  # the longer period, reported later, wins


@pytest.mark.parametrize(
    ("target", "comparison", "actual", "period_end", "now", "expected"),
    [
        (65.0, ">=", 66.0, date(2022, 12, 31), datetime(2022, 2, 1, tzinfo=LOCAL_TZ), "green"),  # met: green at once
        (
            65.0,
            ">=",
            20.0,
            date(2022, 12, 31),
            datetime(2022, 2, 1, tzinfo=LOCAL_TZ),
            "not_assessable",
        ),  # early in the year
        (65.0, ">=", 55.0, date(2022, 12, 31), datetime(2022, 7, 1, tzinfo=LOCAL_TZ), "amber"),  # mid-year, within 25 %
        (65.0, ">=", 40.0, date(2022, 12, 31), datetime(2022, 7, 1, tzinfo=LOCAL_TZ), "red"),
        (65.0, ">=", 60.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "amber"),  # over, within 10 %
        (65.0, ">=", 55.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "red"),
        (
            50.0,
            ">",
            50.0,
            date(2022, 12, 31),
            datetime(2023, 1, 5, tzinfo=LOCAL_TZ),
            "amber",
        ),  # "trên 50 %": 50 is not enough
        (
            (65.0, 70.0),
            ">=",
            67.0,
            date(2022, 12, 31),
            datetime(2023, 1, 5, tzinfo=LOCAL_TZ),
            "green",
        ),  # "đạt từ 65 - 70 %"
        ((65.0, 70.0), ">=", 72.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "green"),
        ((65.0, 70.0), ">=", 60.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "amber"),
        ((65.0, 70.0), ">=", 50.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "red"),
        (10.0, "<=", 12.0, date(2022, 12, 31), datetime(2023, 1, 5, tzinfo=LOCAL_TZ), "red"),  # lower is better
        (
            40.0,
            ">=",
            30.0,
            date(2025, 12, 31),
            datetime(2022, 12, 31, tzinfo=LOCAL_TZ),
            "not_assessable",
        ),  # a 2025 target
        (
            65.0,
            ">=",
            None,
            date(2022, 12, 31),
            datetime(2023, 1, 5, tzinfo=LOCAL_TZ),
            "not_assessable",
        ),  # nothing reported
    ],
)
def test_progress(
    target: object, comparison: str, actual: float | None, period_end: date, now: datetime, expected: str
) -> None:
    assert progress(target, comparison, actual, period_end, now) == expected  # type: ignore[arg-type]


def test_117_II_1_c_gives_each_district_its_own_target(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Only agencies.yaml, 117/KH-UBND and 1834/UBND-KGVX of the shipped catalog, loaded into the database."""
    directory = tmp_path / "catalog"
    (directory / "plans").mkdir(parents=True)
    shutil.copy(default_catalog_dir() / "agencies.yaml", directory / "agencies.yaml")
    for plan in ("117-KH-UBND.yaml", "1834-UBND-KGVX.yaml"):  # 117 restates targets of 1834 (indicator same_as)
        shutil.copy(default_catalog_dir() / "plans" / plan, directory / "plans" / plan)
    shutil.copy(default_catalog_dir() / "conventions.yaml", directory / "conventions.yaml")  # 1834's report days
    load_min_catalog(session, clock.now(), directory)
    indicator = _indicator(session, "117/KH-UBND:II.1.c", "dvctt-muc-3-4")
    codes = dict(session.exec(select(Agency.id, Agency.code)).all())
    targets = {codes[a.agency_id]: a.target for a in answers(session, indicator)}
    districts = {c: t for c, t in targets.items() if c.startswith("ubnd-")}
    assert len(districts) == 13 and set(districts.values()) == {20.0, 10.0}
    assert districts["ubnd-binh-son"] == 20 and districts["ubnd-ly-son"] == 10
    assert targets["so-noi-vu"] == 30 and targets["thanh-tra"] == 30 and targets["ban-dan-toc"] == 30
    assert "bql-kkt" not in targets  # "cơ quan chuyên môn cấp tỉnh": BQL KKT is none
    # a district's actual is judged against its own figure: 15 % is red for Bình Sơn (20 %), green for Lý Sơn (10 %)
    at_year_end = datetime(2023, 1, 5, tzinfo=LOCAL_TZ)
    assert progress(districts["ubnd-binh-son"], ">=", 15, date(2022, 12, 31), at_year_end) == "red"
    assert progress(districts["ubnd-ly-son"], ">=", 15, date(2022, 12, 31), at_year_end) == "green"
    in_december = datetime(2022, 12, 28, tzinfo=LOCAL_TZ)  # the year is reported while it is open
    row = report_actual(
        session,
        indicator_id=indicator.id or 0,
        agency_code="ubnd-ly-son",
        period_code="2022",
        value=15,
        note=None,
        actor=Actor.agency("ubnd-ly-son"),
        now=in_december,
    )
    assert row.scope and row.value == 15
    with pytest.raises(InvalidInput, match='VNPT Quảng Ngãi không được giao chỉ tiêu "Tỷ lệ'):
        report_actual(
            session,
            indicator_id=indicator.id or 0,
            agency_code="vnpt",
            period_code="2022",
            value=15,
            note=None,
            actor=SECRETARIAT,
            now=in_december,
        )


def test_answers_of_many_indicators_equal_each_ones_answers(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The batch read (two queries) gives each indicator exactly what answers() gives it alone:
    per-group targets (117/KH-UBND II.1.c) and the item's lead agencies alike, in the same order."""
    directory = tmp_path / "catalog"
    (directory / "plans").mkdir(parents=True)
    shutil.copy(default_catalog_dir() / "agencies.yaml", directory / "agencies.yaml")
    for plan in ("117-KH-UBND.yaml", "1834-UBND-KGVX.yaml"):  # 117 restates targets of 1834 (indicator same_as)
        shutil.copy(default_catalog_dir() / "plans" / plan, directory / "plans" / plan)
    shutil.copy(default_catalog_dir() / "conventions.yaml", directory / "conventions.yaml")  # 1834's report days
    load_min_catalog(session, clock.now(), directory)
    indicators = session.exec(select(Indicator).order_by(Indicator.id)).all()  # type: ignore[arg-type]
    batch = answers_of(session, indicators)
    assert batch == {i.id: answers(session, i) for i in indicators}
    assert any(a.scope for found in batch.values() for a in found)  # both kinds are there
    assert any(len({a.agency_id for a in found}) > 1 and not found[0].scope for found in batch.values())
    assert answers_of(session, []) == {}


def test_a_target_is_judged_at_the_date_of_its_milestone(session: Session, clock: FrozenClock) -> None:
    """117/KH-UBND II.1.đ sets its four targets at four dates; read as "the item's last dated
    milestone", all four waited for 30/06/2023, and the provincial one (tháng 6/2022) was "chưa đánh giá
    được" six months after its date. 1834/UBND-KGVX:2's yearly targets carry no date: the plan year's
    end, not the communes' radio's 30/09/2022."""
    from dondoc.engine.models import Plan
    from dondoc.engine.services.indicators import target_dates

    load_min_catalog(session, clock.now(), default_catalog_dir())

    def ends(item_code: str) -> dict[str, date | None]:
        item = session.exec(select(PlanItem).where(PlanItem.code == item_code)).one()
        plan = session.get(Plan, item.plan_id)
        assert plan is not None
        found = session.exec(select(Indicator).where(Indicator.item_id == item.id)).all()
        return {i.code: target_dates(session, i, plan.year).due for i in found}

    assert ends("117/KH-UBND:II.1.đ") == {
        "chung-thu-so-mot-cua-tinh": date(2022, 6, 30),
        "chung-thu-so-mot-cua-huyen": date(2022, 12, 31),
        "chung-thu-so-mot-cua-xa": date(2023, 6, 30),
        "chung-thu-so-25-tthc": date(2022, 7, 1),
    }
    yearly = ends("1834/UBND-KGVX:2")
    assert yearly["dien-thoai-thong-minh"] == yearly["du-lieu-mo"] == date(2022, 12, 31)
    assert yearly["phat-thanh-so-cap-xa"] == date(2022, 9, 30)


def test_a_target_met_only_after_its_date_is_met_late(session: Session, dvctt: Indicator) -> None:
    """ "Đạt" says the target was met by the date it names: phát thanh số "≥ 50 % đến tháng 9/2022"
    read "Đạt" in the year's report on 58,3, sent on 29/12, when the figure of its date was 49,9.
    dvctt's date is 15/11/2022 (the item's last milestone), 30 % for the departments."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services.indicator_views import agency_indicators

    def sent(agency: str, period: str, value: float, when: datetime) -> None:
        _sent(session, dvctt, agency, period, value, when)

    june, november_2, november, december = (
        datetime(2022, m, d, 9, 0, tzinfo=LOCAL_TZ) for m, d in ((6, 20), (11, 2), (11, 10), (12, 20))
    )
    sent("so-noi-vu", "2022-H1", 25, june)
    sent("so-noi-vu", "2022", 28, november_2)  # the year so far, in the date's quarter: short on its date...
    sent("so-noi-vu", "2022", 35, december)  # ...met in December: late
    sent("so-tttt", "2022-H1", 31, june)  # met by its date; the year's figure says so again
    sent("so-tttt", "2022", 35, december)
    sent("vp-ubnd", "2022", 32, november)  # the year so far, sent before the date: met on time...
    sent("vp-ubnd", "2022", 40, december)  # ...and the year's later figure does not make it late
    sent("ubnd-binh-son", "2022", 21, november)  # its own target, 20 %: the year so far, on time
    sent("ubnd-ly-son", "2022-H1", 8, june)  # 10 %: short in June, which says nothing of 15/11...
    sent("ubnd-ly-son", "2022", 12, december)  # ...met in December: whether by 15/11 is not known
    session.commit()

    report = build_report(session, period_code="2022", now=datetime(2023, 1, 15, 9, 0, tzinfo=LOCAL_TZ))
    rows = {r.agency_code: r for r in report.indicators if r.code == "dvctt"}
    assert {code: (r.actual, r.status, r.status_label) for code, r in rows.items() if r.actual is not None} == {
        "so-noi-vu": (35, "late", "Đạt sau thời hạn"),
        "so-tttt": (35, "green", "Đạt"),
        "vp-ubnd": (40, "green", "Đạt"),
        "ubnd-binh-son": (21, "green", "Đạt"),
        "ubnd-ly-son": (12, "late_figure", "Đạt theo số liệu sau thời hạn"),
    }
    # the leaders' mail counts each status apart (dondoc.report_job.summary)
    from dondoc.report_job import summary

    counted = summary(report)["indicators"]
    assert (counted["green"], counted["late"], counted["late_figure"]) == (
        sum(r.status == "green" for r in report.indicators),
        1,
        1,
    ) and sum(counted.values()) == len(report.indicators)
    # the agency's own page judges alike: the year's column, on 20/12
    noi_vu = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    (view,) = [v for v in agency_indicators(session, agency_id=noi_vu.id or 0, now=december) if v.code == "dvctt"]
    assert {p.code: p.status for p in view.targets[0].periods} == {"2022-H2": "not_assessable", "2022": "late"}
    # a report of the past does not know a figure sent after it: on 30/11 Sở Nội vụ's stood at 28
    before = build_report(session, period_code="2022", now=datetime(2022, 11, 30, 9, 0, tzinfo=LOCAL_TZ))
    (row,) = [r for r in before.indicators if r.code == "dvctt" and r.agency_code == "so-noi-vu"]
    assert (row.actual, row.status) == (28, "amber")


def test_a_target_whose_date_is_past_is_not_judged_short_on_a_figure_of_long_before(
    session: Session, dvctt: Indicator
) -> None:
    """The year 2022's report read "≥ 2 hội thảo … 1 | 6 tháng đầu năm 2022 (chưa có số liệu đến hết năm
    2022) | Chưa đạt": one workshop by June says nothing of the year. dvctt's date is 15/11/2022, 30 %
    for the departments: a first half's 25 % is short while the year runs, and says nothing once the
    date is past; a figure of the date's own quarter still judges it, and one that meets it is met."""
    from dondoc.engine.reports.data import build_report

    june = datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ)
    _sent(session, dvctt, "so-noi-vu", "2022-H1", 25, june)
    _sent(session, dvctt, "so-tttt", "2022-H1", 31, june)
    session.commit()

    def judged(now: datetime) -> dict[str, str]:
        report = build_report(session, period_code="2022", now=now)
        return {r.agency_code: r.status_label for r in report.indicators if r.code == "dvctt" and r.actual is not None}

    assert judged(datetime(2022, 10, 20, 9, 0, tzinfo=LOCAL_TZ))["so-noi-vu"] in ("Gần đạt", "Chưa đạt")
    after = judged(datetime(2023, 1, 15, 9, 0, tzinfo=LOCAL_TZ))
    assert (after["so-noi-vu"], after["so-tttt"]) == ("Chưa đánh giá được", "Đạt")


def test_a_standing_target_is_not_judged_on_a_figure_of_a_period_begun_before_it(
    session: Session, clock: FrozenClock
) -> None:
    """1834/UBND-KGVX 2: 100 % of the one-stop shops' dossiers digitised from 01/6/2022 (province)
    and from 01/12/2022 (districts). The year 2022's report read "UBND Ba Tơ … 50,2 | Năm 2022 |
    Chưa đạt": eleven months of that year came before the duty. A figure of a period begun before
    the day the target applies from is not judged ("Chưa đánh giá được") unless it is 100 %, which
    every part of its period was; one begun after it is."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services.indicator_views import agency_indicators

    load_min_catalog(session, clock.now(), default_catalog_dir())
    province = _indicator(session, "1834/UBND-KGVX:2", "so-hoa-ho-so-tthc")
    districts = _indicator(session, "1834/UBND-KGVX:2", "so-hoa-ho-so-tthc-cap-huyen")

    def sent(indicator: Indicator, agency: str, period: str, value: float, when: datetime) -> None:
        _sent(session, indicator, agency, period, value, when)

    june, december = datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ), datetime(2022, 12, 20, 9, 0, tzinfo=LOCAL_TZ)
    sent(districts, "ubnd-ba-to", "2022", 50.2, december)  # the year: from 01/01, the duty from 01/12
    sent(districts, "ubnd-ly-son", "2022", 100, december)  # every dossier of the year: those from 01/12 too
    sent(province, "so-noi-vu", "2022-H1", 60, june)  # January to June: the duty from 01/06
    sent(province, "so-tttt", "2022-H1", 60, june)
    sent(province, "so-tttt", "2022-H2", 90, december)  # July to December: all of it under the duty
    session.commit()

    report = build_report(session, period_code="2022", now=datetime(2023, 1, 15, 9, 0, tzinfo=LOCAL_TZ))
    rows = {(r.code, r.agency_code): r for r in report.indicators if r.actual is not None}
    ba_to = rows[("so-hoa-ho-so-tthc-cap-huyen", "ubnd-ba-to")]
    assert (ba_to.actual, ba_to.status, ba_to.target_text) == (50.2, "not_assessable", "100 % từ ngày 01/12/2022")
    assert rows[("so-hoa-ho-so-tthc-cap-huyen", "ubnd-ly-son")].status == "green"
    from dondoc.engine.reports import render

    md = render(report, "md").decode("utf-8")  # with its first day and the day it is judged for
    assert "| 100 % từ ngày 01/12/2022 | áp dụng từ ngày 01/12/2022 | 50,2 | Năm 2022 | Chưa đánh giá được |" in md
    assert rows[("so-hoa-ho-so-tthc", "so-noi-vu")].status == "not_assessable"
    tttt = rows[("so-hoa-ho-so-tthc", "so-tttt")]
    assert (tttt.actual, tttt.status, tttt.target_text) == (90, "amber", "100 % từ ngày 01/06/2022")
    # the agency's own page judges alike, each period's column on its own figure
    agency = session.exec(select(Agency).where(Agency.code == "so-tttt")).one()
    views = agency_indicators(session, agency_id=agency.id or 0, now=datetime(2022, 12, 28, 9, 0, tzinfo=LOCAL_TZ))
    (view,) = [v for v in views if (v.item_code, v.code) == ("1834/UBND-KGVX:2", "so-hoa-ho-so-tthc")]
    assert view.target_text(view.targets[0]) == "100 % từ ngày 01/06/2022"
    periods = {p.code: (p.actual, p.status) for p in view.targets[0].periods}
    assert periods.get("2022-H2") == (90, "amber"), periods


def test_a_standing_target_has_no_date_and_is_not_in_force_before_its_first_day(
    session: Session, clock: FrozenClock
) -> None:
    """The third quarter's report of 2022 listed 1834/UBND-KGVX 2's "100 % từ ngày 01/06/2022" (20
    rows) and "từ ngày 01/12/2022" (13), and 117/KH-UBND II.1.b, as due on 31/12/2022, "Chưa đánh giá
    được": the text names no date, the fallback to the year's end made one. A target that binds from
    a day is in force from it (judged on the latest figure: "Đạt", "Chưa đạt"), "Chưa áp dụng"
    before it; the report, the workbook and the agency's page say when it applies, not a due date."""
    from dondoc.engine.reports import render
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services.indicator_views import agency_indicators

    load_min_catalog(session, clock.now(), default_catalog_dir())
    province = _indicator(session, "1834/UBND-KGVX:2", "so-hoa-ho-so-tthc")
    districts = _indicator(session, "1834/UBND-KGVX:2", "so-hoa-ho-so-tthc-cap-huyen")
    september = datetime(2022, 9, 10, 9, 0, tzinfo=LOCAL_TZ)  # before the quarter's cut-off (14/09)
    _sent(session, province, "so-tttt", "2022-Q3", 100, september)
    _sent(session, province, "so-noi-vu", "2022-Q3", 70, september)
    _sent(session, districts, "ubnd-ba-to", "2022-Q3", 40, september)  # before its duty: judged on nothing
    session.commit()

    october = datetime(2022, 10, 5, 9, 0, tzinfo=LOCAL_TZ)
    report = build_report(session, period_code="2022-Q3", now=october)
    rows = {(r.item_code, r.code, r.agency_code): r for r in report.indicators}
    # 117/KH-UBND II.1.b restates the two levels' targets of 1834/UBND-KGVX 2 (same_as): one figure, one row
    both = "1834/UBND-KGVX:2, 117/KH-UBND:II.1.b"
    tttt = rows[(both, "so-hoa-ho-so-tthc", "so-tttt")]
    noi_vu = rows[(both, "so-hoa-ho-so-tthc", "so-noi-vu")]
    ba_to = rows[(both, "so-hoa-ho-so-tthc-cap-huyen", "ubnd-ba-to")]
    assert (tttt.status_label, noi_vu.status_label, ba_to.status_label) == ("Đạt", "Chưa đạt", "Chưa áp dụng")
    assert (tttt.target_period_end, tttt.deadline_text, tttt.status_label) == (
        None,
        "áp dụng từ ngày 01/06/2022",
        "Đạt",
    )
    assert noi_vu.status_label == "Chưa đạt"
    assert (ba_to.deadline_text, ba_to.status_label) == ("áp dụng từ ngày 01/12/2022", "Chưa áp dụng")
    # its third level, the communes' one-stop shops, binds from 01/06/2023: not yet in force, each district
    # answering for its communes; a figure of 2022 was judged against 100 % for every level at once
    communes = [r for r in report.indicators if r.code == "so-hoa-ho-so-tthc-cap-xa"]
    assert communes and all(r.item_code == "117/KH-UBND:II.1.b" for r in communes)
    assert {(r.deadline_text, r.status_label) for r in communes} == {("áp dụng từ ngày 01/06/2023", "Chưa áp dụng")}
    assert not [r for r in report.indicators if "lộ trình" in r.deadline_text]
    standing = [r for r in report.indicators if r.code.startswith("so-hoa-ho-so-tthc")]
    assert standing and all(r.target_period_end is None for r in standing)
    md = render(report, "md").decode("utf-8")
    assert "| 100 % từ ngày 01/06/2022 | áp dụng từ ngày 01/06/2022 | 100 | Quý III/2022 | Đạt |" in md
    assert not [line for line in md.splitlines() if "từ ngày 01/" in line and "31/12/2022" in line]
    # the agency's page reads the same rule
    agency = session.exec(select(Agency).where(Agency.code == "ubnd-ba-to")).one()
    (view,) = [
        v
        for v in agency_indicators(session, agency_id=agency.id or 0, now=october)
        if v.code == "so-hoa-ho-so-tthc-cap-huyen" and v.item_code == "1834/UBND-KGVX:2"
    ]
    assert (view.target_period_end, view.deadline_text) == (None, "áp dụng từ ngày 01/12/2022")
    assert {p.status for p in view.targets[0].periods} == {"not_applicable"}


def _june_figures(session: Session, clock: FrozenClock) -> tuple[Indicator, Indicator]:
    """The shipped catalog, with the first half's figures of two year targets (1834/UBND-KGVX 3's online
    files, 43,6 % of "> 50 %"; the Thông báo's workshops, 1 of 2) and none of the year's."""
    load_min_catalog(session, clock.now(), default_catalog_dir())
    online = _indicator(session, "1834/UBND-KGVX:3", "ho-so-tthc-truc-tuyen")
    workshops = _indicator(session, "/TB-UBND:II.3.đ", "hoi-thao-dnnvv")
    june = datetime(2022, 6, 23, 9, 0, tzinfo=LOCAL_TZ)
    _sent(session, online, "vp-ubnd", "2022-H1", 43.6, june)
    _sent(session, workshops, "so-tttt", "2022-H1", 1, june)
    session.commit()
    return online, workshops


def test_a_year_end_target_is_not_judged_short_at_the_year_end_on_a_figure_of_june(
    session: Session, clock: FrozenClock
) -> None:
    """The year 2022's report (read on 05/01/2023) said of 1834/UBND-KGVX 3's "> 50 %", which the text
    dates nowhere (the plan year's end), "43,6 | 6 tháng đầu năm 2022 (chưa có số liệu đến hết năm 2022)
    | Chưa đạt": the first half's figure says nothing of 31/12. The report judges at the last second of
    31/12, the target's own day, which the rule for a figure of long before a past date did not count as
    past (a date dated 15/11 it did); nor did the agency's page on 31/12, where the tolerance already
    counts that day as the date's. The workshop target (two in the year) reads alike."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services.indicator_views import agency_indicators

    online, workshops = _june_figures(session, clock)

    def statuses(now: datetime) -> dict[str, str]:
        report = build_report(session, period_code="2022", now=now)
        return {r.code: r.status_label for r in report.indicators if r.code in (online.code, workshops.code)}

    # while the year runs, the latest figure is where things stand
    assert statuses(datetime(2022, 12, 20, 9, 0, tzinfo=LOCAL_TZ)) == {
        "ho-so-tthc-truc-tuyen": "Gần đạt",
        "hoi-thao-dnnvv": "Chưa đạt",
    }
    unknown = {"ho-so-tthc-truc-tuyen": "Chưa đánh giá được", "hoi-thao-dnnvv": "Chưa đánh giá được"}
    assert statuses(datetime(2023, 1, 5, 9, 0, tzinfo=LOCAL_TZ)) == unknown
    assert statuses(datetime(2022, 12, 31, 10, 0, tzinfo=LOCAL_TZ)) == unknown
    vp = session.exec(select(Agency).where(Agency.code == "vp-ubnd")).one()
    views = agency_indicators(session, agency_id=vp.id or 0, now=datetime(2022, 12, 31, 10, 0, tzinfo=LOCAL_TZ))
    (view,) = [v for v in views if v.code == online.code]
    assert {p.code: p.status for p in view.targets[0].periods}["2022"] == "not_assessable"


def test_the_reports_mail_says_which_verdicts_rest_on_an_earlier_periods_figures(
    session: Session, clock: FrozenClock
) -> None:
    """The year's mail of 15/12/2022 said "Chỉ tiêu: 6 đạt, … 10 gần đạt, 4 chưa đạt" on the first
    half's figures (none of the year's had come), which only its workbook said ("6 tháng đầu năm 2022
    (chưa có số liệu đến hết năm 2022)"). The mail now says how many verdicts rest on which period's
    figures; once the year's figure comes, that one no longer does."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render
    from dondoc.report_job import summary

    online, workshops = _june_figures(session, clock)
    december = datetime(2022, 12, 15, 7, 0, tzinfo=LOCAL_TZ)
    report = build_report(session, period_code="2022", now=december)
    judged = [r for r in report.indicators if r.awaited_period and r.status in ("green", "amber", "red")]
    assert len(judged) == 2  # the two June figures, judged "Gần đạt" and "Chưa đạt" in December
    said = (
        "Đánh giá của 2 chỉ tiêu ở dòng trên dựa trên số liệu 6 tháng đầu năm 2022: chưa có số liệu đến hết năm 2022."
    )
    assert summary(report)["indicators_earlier"] == {"count": 2, "said": said}
    facts = {"period_label": report.period_label, "as_of": "07:00 ngày 15/12/2022", "cutoff": None, "earlier": None}
    facts |= {"attachment_name": "bao-cao-nam-2022.xlsx", "sent_on": "15/12/2022", "tracking_start": None}
    context = {**common_context("chair", None, settings=Settings(demo=True)), **facts, "link": "https://x"}
    mail = render("periodic_report", context | {"summary": summary(report)})
    assert f"\n- {said}\n" in mail.text and said in mail.html
    _sent(session, workshops, "so-tttt", "2022", 2, december)  # the year's own figure: judged on it
    session.commit()
    again = summary(build_report(session, period_code="2022", now=december + timedelta(hours=1)))
    assert again["indicators_earlier"]["said"].startswith("Đánh giá của 1 chỉ tiêu ở dòng trên")


def test_a_target_of_the_third_quarter_judged_on_its_own_quarters_figure_waits_for_nothing(
    session: Session, clock: FrozenClock
) -> None:
    """1834/UBND-KGVX 2's "≥ 50 % … đến tháng 9/2022", its third quarter's figure 40 %: in the year's
    report of 15/12 the verdict is final, judged on its own period's figure. The mail had said "Đánh giá
    của 1 chỉ tiêu ở dòng trên dựa trên số liệu quý III/2022: chưa có số liệu đến hết năm 2022", and the
    workbook "quý III/2022 (chưa có số liệu đến hết năm 2022)", as if the chair should wait for more."""
    from dondoc.engine.models import Agency
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services import indicators as ind
    from dondoc.report_job import summary

    load_min_catalog(session, clock.now(), default_catalog_dir())
    radio = _indicator(session, "1834/UBND-KGVX:2", "phat-thanh-so-cap-xa")
    (answer, *_) = ind.answers(session, radio)
    body = session.get(Agency, answer.agency_id)
    assert body is not None
    _sent(session, radio, body.code, "2022-Q3", 40.0, datetime(2022, 9, 28, 9, tzinfo=LOCAL_TZ))
    session.commit()
    report = build_report(session, period_code="2022", now=datetime(2022, 12, 15, 7, tzinfo=LOCAL_TZ))
    (row,) = [r for r in report.indicators if r.code == radio.code and r.actual is not None]
    assert row.target_period_end == date(2022, 9, 30) and row.actual_period == "2022-Q3"
    assert (row.status, row.awaited_period, row.actual_period_text) == ("red", None, "Quý III/2022")
    assert summary(report)["indicators_earlier"] is None


def test_a_target_the_text_dates_nowhere_says_its_date_is_the_plan_years_end(
    session: Session, clock: FrozenClock
) -> None:
    """1834/UBND-KGVX 3 sets "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến đạt trên 50%" and no date;
    the report's "Thời hạn đạt" and the agency's page read "31/12/2022" as if the text said so, where
    dondoc takes the plan year's end. They say it is a reading ("văn bản không ghi thời hạn đạt"); a
    target listed once for two documents, one of which dates it (117/KH-UBND II.5 "Trong năm 2022"
    restating 1834/UBND-KGVX 2), has its date from the text, and so does a target of a dated item."""
    from dondoc.engine.reports import render
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.services.indicator_views import agency_indicators

    load_min_catalog(session, clock.now(), default_catalog_dir())
    online = _indicator(session, "1834/UBND-KGVX:3", "ho-so-tthc-truc-tuyen")
    _sent(session, online, "vp-ubnd", "2022-H1", 43.6, datetime(2022, 6, 23, 9, 0, tzinfo=LOCAL_TZ))
    session.commit()
    unsaid = "31/12/2022 (văn bản không ghi thời hạn đạt; tính đến hết năm 2022)"

    report = build_report(session, period_code="2022", now=datetime(2022, 9, 15, 9, 0, tzinfo=LOCAL_TZ))
    rows = {(r.item_code, r.code): r for r in report.indicators}
    assert rows[("1834/UBND-KGVX:3", "ho-so-tthc-truc-tuyen")].deadline_text == unsaid
    assert rows[("1834/UBND-KGVX:2, 117/KH-UBND:II.5", "dien-thoai-thong-minh")].deadline_text == "31/12/2022"
    assert rows[("117/KH-UBND:II.1.d", "xu-ly-van-ban-tren-mang")].deadline_text == unsaid  # no Thời hạn either
    assert {r.deadline_text for r in report.indicators if r.item_code == "117/KH-UBND:II.1.c"} == {"31/12/2022"}
    md = render(report, "md").decode("utf-8")
    assert f"| > 50 % | {unsaid} | 43,6 |" in md
    vp = session.exec(select(Agency).where(Agency.code == "vp-ubnd")).one()
    views = agency_indicators(session, agency_id=vp.id or 0, now=datetime(2022, 9, 15, 9, 0, tzinfo=LOCAL_TZ))
    (view,) = [v for v in views if v.code == online.code]
    assert view.deadline_text == unsaid
