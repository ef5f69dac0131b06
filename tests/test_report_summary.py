"""The few figures a periodic report's mail shows (dondoc.report_job.summary)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from dondoc.engine.reports.rates import AgencyRates, ToCome
from dondoc.notifications.render import environment
from dondoc.report_job import TOP_OVERDUE, summary


class _Data(SimpleNamespace):
    @property
    def windowed(self) -> bool:  # (ReportData.windowed)
        return self.window is not None and self.window.source is not None


def _data(overdue: dict[str, int], rows: list[tuple[str, str]] | None = None) -> Any:
    counts = {"dang_thuc_hien_qua_han": 0, "hoan_thanh_dung_han": 0, "hoan_thanh_qua_han": 0}
    agencies = [
        SimpleNamespace(name=name, counts=counts | {"dang_thuc_hien_qua_han": n}) for name, n in overdue.items()
    ]
    late = [
        SimpleNamespace(
            agency_name=name,
            role=role,
            item_code=f"X:{i}",
            agency_code=name,
            milestone_label=None,
            unconfirmed_group=None,
            by_convention=False,
            received_from=None,
            received_date=None,
        )
        for i, (name, role) in enumerate(rows or [])
    ]
    totals = SimpleNamespace(counts=counts | {"dang_thuc_hien_qua_han": sum(overdue.values())})
    for agency in agencies:
        agency.rates = AgencyRates(agency.name, agency.name)
    return _Data(
        by_agency=agencies,
        totals=totals,
        overdue=late,
        indicators=[],
        duties=[],
        unconfirmed_groups=[],
        window=None,
        duty_periods=[],  # no periodic report due (section IV's words: labels.no_duties_words)
        duty_periods_before=[],
        reports_followed=0,
        reports_due_later=ToCome(),  # none of them still to come (labels.no_duties_words)
        tracking_start=None,
        earlier_duties=[],  # no report of an earlier period left unsent (ReportData.earlier_duties)
        own_duties=[],  # not on a cut-off window: no own reports judged at the reading
        own_as_of=None,
    )


def test_the_most_overdue_list_does_not_cut_through_a_tie() -> None:
    """The Q3 mail listed five agencies, three of them with 2 overdue, and left out two more with 2."""
    overdue = {"A": 5, "B": 4, "C": 2, "D": 2, "E": 2, "F": 2, "G": 2, "H": 1, "I": 0}
    listed = [(row["name"], row["overdue"]) for row in summary(_data(overdue))["top_overdue"]]
    assert listed == [("A", 5), ("B", 4), ("C", 2), ("D", 2), ("E", 2), ("F", 2), ("G", 2)]
    few = {"A": 3, "B": 3, "C": 2, "D": 1, "E": 1, "F": 0}
    assert len(summary(_data(few))["top_overdue"]) == TOP_OVERDUE  # no tie at the fifth: five


def test_the_leaders_are_told_the_overdue_work_of_the_roles_their_rungs_name() -> None:
    """The chair's mail counted a partner's part of the committee's own meeting as Sở Tài chính's
    overdue task (67 overdue, where the digest and the leaders' page, of the lead and the
    implementers, said 59): of the leaders' roles, the partners' parts apart."""
    rows = [("A", "implementer"), ("A", "partner"), ("A", "partner"), ("B", "lead"), ("C", "partner")]
    told = summary(_data({"A": 3, "B": 1, "C": 1}, rows), ("lead", "implementer"))
    assert (told["overdue"], told["overdue_other_roles"]) == (2, 3)
    assert told["roles"] == "chủ trì, thực hiện" and told["other_roles"] == "phối hợp"
    assert [(r["name"], r["overdue"]) for r in told["top_overdue"]] == [("A", 1), ("B", 1)]
    every = summary(_data({"A": 3, "B": 1, "C": 1}, rows))
    assert every["overdue"] == 5 and [r["name"] for r in every["top_overdue"]] == ["A", "B", "C"]


def test_names_tied_in_the_list_are_in_vietnamese_alphabetical_order() -> None:
    """Code-point order put "Sở Thông tin và Truyền thông" before "Sở Tài chính" (à sorts after h)."""
    from dondoc.engine.textfold import vi_sort_key

    names = ["Sở Tư pháp", "Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Nội vụ", "Sở Ngoại vụ"]
    assert sorted(names, key=vi_sort_key) == [
        "Sở Ngoại vụ",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Thông tin và Truyền thông",
        "Sở Tư pháp",
    ]
    assert sorted(["UBND huyện Đức Phổ", "UBND huyện Dũng"], key=vi_sort_key)[0] == "UBND huyện Dũng"  # d, then đ
    assert sorted(["Bà", "Ba", "Bá", "Bạ"], key=vi_sort_key) == ["Ba", "Bà", "Bá", "Bạ"]  # the tones, in their order
    listed = summary(_data({"Sở Thông tin và Truyền thông": 2, "Sở Tài chính": 2}))["top_overdue"]
    assert [row["name"] for row in listed] == ["Sở Tài chính", "Sở Thông tin và Truyền thông"]


def test_the_work_done_is_the_periods_not_the_count_since_tracking_began() -> None:
    """Quý IV/2022's mail said "Hoàn thành đúng hạn: 225", the count since tracking began (the
    year's own mail said 192, the quarter's workbook 24 of 33 due in the quarter)."""
    data = _data({"A": 1, "B": 0})
    data.totals.counts |= {"hoan_thanh_dung_han": 225, "hoan_thanh_qua_han": 111}
    rate = AgencyRates("a", "A", tasks_due=33, tasks_on_time=24, tasks_late=5, tasks_overdue=4, tasks_given_late=2)
    told = summary(data, None, [rate])
    assert (told["due"], told["done_on_time"], told["done_late"], told["overdue_in_period"]) == (33, 24, 5, 4)
    assert told["on_time_rate"] == "72,7 %" and told["given_late"] == 2
    data.by_agency[0].rates = rate  # without rates of the leaders' roles: the report's own, of every role
    assert summary(data)["done_on_time"] == 24


def test_the_subject_says_the_missing_reports_are_among_the_overdue_parts() -> None:
    """It read "42 phần việc quá hạn, 19 báo cáo của kỳ chưa gửi", as if to be added."""
    data = _data({"A": 2}, [("A", "implementer"), ("A", "lead")])

    def unsent(item_code: str, agency_code: str) -> SimpleNamespace:
        """A report of the period not sent."""
        return SimpleNamespace(
            item_code=item_code,
            agency_code=agency_code,
            period_label=None,
            status="missing",
            unconfirmed_group=None,
            by_convention=False,
        )

    missing, other = unsent("X:0", "A"), unsent("Y:9", "B")  # the other not overdue here

    def subject(duties: list[Any]) -> str:
        data.duties = duties
        facts = {"period_label": "Quý III/2022", "summary": summary(data, ("lead", "implementer"), [])}
        return " ".join(environment().get_template("periodic_report.subject.j2").render(facts).split())

    assert subject([missing]).endswith(": 2 phần việc quá hạn, trong đó 1 báo cáo của kỳ quá hạn chưa gửi")
    assert subject([]).endswith(": 2 phần việc quá hạn, không có báo cáo của kỳ quá hạn chưa gửi")
    assert subject([missing, other]).endswith(
        ": 2 phần việc quá hạn; 2 báo cáo của kỳ quá hạn chưa gửi"
    )  # not all among them


def test_a_quarter_on_its_cutoff_window_names_whose_reports_it_counts() -> None:
    """61/KH-UBND's quarters are judged on the text's data cut-off window (15/12/2024–14/03/2025 for
    the first of 2025): the reports due in it are the fourth quarter's of 2024 (due 20/12/2024), the
    quarter's own fall due on 20/03, after it. The 2025 replay's mail of Quý I/2025 read "4 báo cáo
    của kỳ quá hạn chưa gửi" and "Báo cáo định kỳ của kỳ: 3 gửi trễ, 4 quá hạn chưa gửi", all of
    them Quý IV/2024's; on 25/12/2024, with five of that quarter's not sent, the Quý IV mail had said
    "không có báo cáo của kỳ quá hạn chưa gửi"."""
    from dataclasses import replace
    from datetime import date, datetime

    from dondoc.engine.reports.data import DutyRow
    from dondoc.engine.reports.window import Window

    data = _data({"A": 1}, [("A", "implementer")])
    data.window = Window(date(2024, 12, 15), date(2025, 3, 14), "61/KH-UBND")

    def duty(agency: str, status: str, sent: datetime | None = None) -> DutyRow:
        """A member's report of Quý IV/2024, due 20/12/2024."""
        title = "Báo cáo định kỳ hàng quý"
        return DutyRow(
            "61/KH-UBND:VI.bao-cao-quy", title, "Quý IV/2024", agency, agency, date(2024, 12, 20), sent, status, 3
        )

    data.duties = [duty("A", "missing"), duty("B", "late", datetime(2024, 12, 27, 9))]
    data.overdue[0].item_code, data.overdue[0].milestone_label = "61/KH-UBND:VI.bao-cao-quy", "Quý IV/2024"
    told = summary(data, ("lead", "implementer"), [])
    facts = {"period_label": "Quý I/2025", "summary": told}
    subject = " ".join(environment().get_template("periodic_report.subject.j2").render(facts).split())
    assert subject.endswith(": 1 phần việc quá hạn, trong đó 1 báo cáo định kỳ Quý IV/2024 quá hạn chưa gửi")
    assert "của kỳ" not in subject
    assert told["reports_scope"] == "có hạn trong thời gian chốt số liệu (Quý IV/2024)"
    data.duties = []
    none = summary(data, ("lead", "implementer"), [])
    facts["summary"] = none
    subject = " ".join(environment().get_template("periodic_report.subject.j2").render(facts).split())
    assert subject.endswith(", không có báo cáo định kỳ quá hạn chưa gửi")
    # none late nor missing: the line says what section IV says, never "0 gửi trễ" of reports unnamed
    # (the 2025 replay's Quý IV/2024 mail: "có hạn trong thời gian chốt số liệu: 0 gửi trễ, 0 quá hạn chưa gửi")
    assert none["reports_none"] == "Không có báo cáo định kỳ nào có hạn trong thời gian chốt số liệu."
    data.duty_periods, data.reports_followed = ["Quý IV/2024"], 2  # due in the window, sent on time
    none = summary(data, ("lead", "implementer"), [])
    said = "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý IV/2024)."
    assert none["reports_none"] == said
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render

    facts |= {"summary": none, "as_of": "14/03/2025", "cutoff": None, "attachment_name": "bao-cao-quy-i-2025.xlsx"}
    facts |= {"sent_on": "25/03/2025", "tracking_start": None, "earlier": None}
    mail = render(
        "periodic_report", {**common_context("chair", None, settings=Settings(demo=True)), **facts, "link": "https://x"}
    )
    assert f"- {said}\n" in mail.text and said in " ".join(mail.html.split())
    assert "gửi trễ," not in mail.text and "gửi trễ / quá hạn chưa gửi" not in mail.html
    # only reports owed on a guess (not confirmed), left out of the figures: the line names their period still
    data.duties = [replace(duty("C", "missing"), unconfirmed_group="Các sở, ban, ngành")]
    guessed = summary(data, ("lead", "implementer"), [])
    assert (guessed["reports_missing"], guessed["reports_unconfirmed"], guessed["reports_none"]) == (0, 1, None)
    # the subject says none missing of those it counts only: the one not sent is named beside it
    subject = render(
        "periodic_report",
        {**common_context("chair", None, settings=Settings(demo=True)), **facts, "summary": guessed, "link": "x"},
    ).subject
    assert subject.endswith(
        "không có báo cáo định kỳ Quý IV/2024 quá hạn chưa gửi "
        "(không kể 1 báo cáo chưa gửi giao theo cách hiểu của Tổ giúp việc, chưa xác nhận giao)"
    ), subject
    assert guessed["reports_scope"] == "có hạn trong thời gian chốt số liệu (Quý IV/2024)"
    data.window = Window(date(2025, 1, 1), date(2025, 3, 31))  # the period's own days: its own reports
    assert summary(data, ("lead", "implementer"), [])["reports_scope"] == "của kỳ"


def test_the_lead_is_named_by_every_heading_the_texts_give_it() -> None:
    """04/KH-BCĐ heads its lead "Cơ quan tham mưu": the mail counted those parts as "của cơ quan chủ trì"."""
    data = _data({"A": 1}, [("A", "lead")])
    told = summary(data, ("lead", "implementer"), [], lead_words=["Tham mưu"])
    assert told["roles"] == "chủ trì, tham mưu, thực hiện"  # one list: not "chủ trì hoặc tham mưu, thực hiện"
    assert summary(data, ("lead", "implementer"), [])["roles"] == "chủ trì, thực hiện"
    # 117/KH-UBND heads a lead "Cơ quan thực hiện": said once, with the implementers, not twice
    both = summary(data, ("lead", "implementer"), [], lead_words=["Tham mưu", "Thực hiện"])
    assert both["roles"] == "chủ trì, tham mưu, thực hiện"
    # a lead counted alone: not "chủ trì, tham mưu, thực hiện" of a count with no implementer in it
    alone = summary(data, ("lead",), [], lead_words=["Tham mưu", "Thực hiện"])
    assert alone["roles"] == (
        "chủ trì (kể cả cơ quan văn bản ghi là tham mưu hoặc thực hiện khi không ghi cơ quan chủ trì)"
    )
    assert alone["other_roles"] == "thực hiện (trừ cơ quan được theo dõi như chủ trì), phối hợp"


def test_the_subject_claims_no_report_missing_only_of_those_followed() -> None:
    """The 2025 replay's Quý IV/2024 mail (its window 15/09–14/12/2024, the reports due in it Quý
    III/2024's, all due on 20/09, before tracking began on 01/10/2024) said in its body that those 33
    were never followed, and in its subject "0 phần việc quá hạn, không có báo cáo định kỳ quá hạn chưa
    gửi": no period named, and four of them had never been sent. The subject says them in the body's
    words; "không có" only of those followed, named by their periods."""
    from datetime import date, datetime

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.reports.data import DutyRow
    from dondoc.engine.reports.window import Window
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render

    data = _data({"A": 0})
    data.window = Window(date(2024, 9, 15), date(2024, 12, 14), "61/KH-UBND")
    data.tracking_start = date(2024, 10, 1)
    data.by_agency[0].rates = AgencyRates("a", "A", reports_before_tracking=4)
    data.duty_periods, data.duty_periods_before = ["Quý III/2024"], ["Quý III/2024"]
    unknown = "4 lần báo cáo định kỳ Quý III/2024 đến hạn trước ngày bắt đầu theo dõi (01/10/2024): không được theo dõi"

    def mail() -> Any:
        facts = {"period_label": "Quý IV/2024", "summary": summary(data, ("lead", "implementer"), [])}
        facts |= {"as_of": "14/12/2024", "cutoff": None, "attachment_name": "bao-cao-quy-iv-2024.xlsx"}
        facts |= {"sent_on": "25/12/2024", "tracking_start": "01/10/2024", "earlier": None, "link": "https://x"}
        rendered = render("periodic_report", {**common_context("chair", None, settings=Settings(demo=True)), **facts})
        return rendered.subject, rendered.text, " ".join(rendered.html.split())

    # every report of the window due before tracking: none is said not missing
    subject, text, html = mail()
    assert subject.endswith(f"quý IV/2024 (số liệu đến 14/12/2024): 0 phần việc quá hạn; {unknown}")
    assert "không có" not in subject
    assert f"{unknown}, không tính trong tóm tắt này." in text and unknown in html  # the body's words
    # some followed, all sent on time: "không có" of those followed, their periods named as the body names them
    data.duty_periods, data.reports_followed = ["Quý III/2024", "Tháng 11/2024"], 3
    subject, text, html = mail()
    assert subject.endswith(
        ": 0 phần việc quá hạn, không có báo cáo định kỳ Quý III/2024, Tháng 11/2024 quá hạn chưa gửi "
        f"trong số được theo dõi; {unknown}"
    )
    said = "Không có báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý III/2024, Tháng 11/2024) gửi trễ"
    assert said in text and said in html
    # one of those followed not sent: counted, and the others still said not followed, in the body too
    data.duties = [
        DutyRow("X:bao-cao-thang", "Báo cáo tháng", "Tháng 11/2024", "A", "A", date(2024, 11, 25), None, "missing", 5)
    ]
    data.overdue = _data({}, [("A", "implementer")]).overdue  # the report, among the overdue parts
    data.overdue[0].item_code, data.overdue[0].milestone_label = "X:bao-cao-thang", "Tháng 11/2024"
    subject, text, html = mail()
    assert subject.endswith(
        f": 1 phần việc quá hạn, trong đó 1 báo cáo định kỳ Tháng 11/2024 quá hạn chưa gửi; {unknown}"
    )
    assert f"- {unknown}, không tính ở dòng trên\n" in text and f"{unknown}, không tính ở dòng trên" in html
    # none due before tracking, all followed and sent: "không có", naming whose
    data.duties, data.overdue, data.duty_periods_before = [], [], []
    data.by_agency[0].rates = AgencyRates("a", "A")
    subject, text, html = mail()
    assert subject.endswith(
        ": 0 phần việc quá hạn, không có báo cáo định kỳ Quý III/2024, Tháng 11/2024 quá hạn chưa gửi"
    )
    assert "theo dõi" not in subject
    # some of them still to come at the report's instant: "đầy đủ" only of those due by then; how many are
    # to come, the mail's own line says (reports_due_later)
    data.reports_due_later, data.as_of = ToCome(5, 1), datetime(2024, 12, 14, 8, 5, tzinfo=LOCAL_TZ)
    told = summary(data, ("lead", "implementer"), [])["reports_none"]
    assert told == (
        "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ có hạn trong thời gian chốt số liệu "
        "(Quý III/2024, Tháng 11/2024) đã đến hạn (đến 08:05 ngày 14/12/2024)."
    )


def test_the_subject_says_how_many_of_the_overdue_parts_are_reports_and_of_which_periods() -> None:
    """The 2022 replay's Quý IV/2022 mail read "42 phần việc quá hạn, trong đó 6 báo cáo định kỳ Quý
    III/2022, Năm 2022 quá hạn chưa gửi": 14 of the 42 were reports not sent, eight of them of Quý I
    and Quý II, which no line of the mail named. Its subject now counts every report among the overdue
    parts, the window's and the earlier periods' apart; and the quarter's own reports, due after its
    window (on 20/12), as the mail's instant finds them, beside: not among the 42."""
    from dataclasses import replace
    from datetime import date, datetime

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.reports.data import DutyRow
    from dondoc.engine.reports.window import Window

    data = _data({"A": 3, "B": 1}, [("A", "implementer"), ("A", "implementer"), ("A", "implementer"), ("B", "lead")])

    def unsent(i: int, agency: str, period: str, due: date) -> DutyRow:
        data.overdue[i].item_code, data.overdue[i].milestone_label = "61/KH-UBND:VI.bao-cao-quy", period
        data.overdue[i].agency_code = agency
        return DutyRow("61/KH-UBND:VI.bao-cao-quy", "Báo cáo quý", period, agency, agency, due, None, "missing", 9)

    data.window = Window(date(2022, 9, 15), date(2022, 12, 14), "61/KH-UBND")
    data.duties = [unsent(0, "A", "Quý III/2022", date(2022, 9, 20))]
    data.earlier_duties = [
        unsent(1, "A", "Quý I/2022", date(2022, 3, 21)),
        unsent(2, "A", "Quý II/2022", date(2022, 6, 20)),
    ]
    data.own_duties = [
        DutyRow(
            "61/KH-UBND:VI.bao-cao-quy", "Báo cáo quý", "Quý IV/2022", "C", "C", date(2022, 12, 20), None, "missing", 4
        )
    ]
    data.own_as_of, data.own_period = datetime(2022, 12, 26, 7, 0, tzinfo=LOCAL_TZ), "Quý IV/2022"
    data.own_due, data.own_due_later = 3, ToCome(1, 0)
    # an earlier report due on the secretariat's convention: listed in section IV, out of the figures, said apart
    convention = DutyRow(
        "X:bao-cao-6-thang", "Báo cáo 6 tháng", "6 tháng đầu năm 2022", "A", "A", date(2022, 6, 20), None, "missing", 60
    )
    data.earlier_duties.append(replace(convention, by_convention=True))
    told = summary(data, ("lead", "implementer"), [])
    assert told["reports_earlier"] == 2 and told["reports_earlier_of"] == "Quý I/2022, Quý II/2022"
    assert told["reports_earlier_apart"] == "không kể 1 báo cáo chưa gửi có thời hạn do Tổ giúp việc quy ước"
    facts = {"period_label": "Quý IV/2022", "summary": told}
    subject = " ".join(environment().get_template("periodic_report.subject.j2").render(facts).split())
    assert subject.endswith(
        ": 4 phần việc quá hạn, trong đó 3 báo cáo định kỳ quá hạn chưa gửi (1 có hạn trong thời gian chốt số "
        "liệu: Quý III/2022; 2 của các kỳ trước: Quý I/2022, Quý II/2022); 1 báo cáo định kỳ Quý IV/2022 quá hạn "
        "chưa gửi (tính đến 07:00 ngày 26/12/2022)"
    ), subject
    assert told["own_reports"] == (
        "Báo cáo định kỳ Quý IV/2022 của các cơ quan (có hạn sau thời gian chốt số liệu), tình hình đến 07:00 "
        "ngày 26/12/2022: 0 gửi trễ, 1 quá hạn chưa gửi; 1 lần báo cáo có hạn sau thời điểm đó, chưa quá hạn "
        "(0 đã gửi)"
    )
    # with no earlier report among them, the window's named as before
    data.earlier_duties, data.own_duties, data.own_as_of = [], [], None
    subject = " ".join(
        environment()
        .get_template("periodic_report.subject.j2")
        .render({"period_label": "Quý IV/2022", "summary": summary(data, ("lead", "implementer"), [])})
        .split()
    )
    assert subject.endswith(": 4 phần việc quá hạn, trong đó 1 báo cáo định kỳ Quý III/2022 quá hạn chưa gửi")
