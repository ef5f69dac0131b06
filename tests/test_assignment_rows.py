"""The assignment list's rows, written in one pass, are what the template's loop wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dondoc.engine.services.queries import VIEW_NAMES
from dondoc.engine.status import days_late
from dondoc.engine.views import AssignmentView
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.web.templating import templates

NOW = datetime(2022, 7, 20, 2, 0, tzinfo=UTC)
DUE = datetime(2022, 6, 30, 16, 59, 59, tzinfo=UTC)  # 30/06/2022, the end of its day in Việt Nam
LATE_DAYS = days_late(DUE, None, NOW)
OVERDUE: dict[str, object] = {
    "category": "dang_thuc_hien_qua_han",
    "category_label": "Đang thực hiện quá hạn",
    "days_late": LATE_DAYS,
}

# The loop web/templates/assignments.html had before its rows were written by the filter.
TEMPLATE_LOOP = """{% for v in rows %}
    <tr data-id="{{ v.id }}" class="cat-{{ v.category }}{% if v.overdue %} overdue{% endif %}"><td><input type="checkbox" name="id" value="{{ v.id }}:{{ v.version }}" aria-label="Chọn {{ v.item_code }} — {{ v.agency_name }}"></td>
      <td><a href="/board/assignments/{{ v.id }}">{{ v.item_code }}</a> — {{ v.item_title|truncate(80, True, "…") }}{% if v.milestone_label %} <span class="muted">({{ v.milestone_label }})</span>{% endif %}{% if v.priority %} <span class="tag">trọng tâm</span>{% endif %}</td>
      <td>{{ v.agency_name }}</td><td>{{ ROLE_LABELS[v.role] }}</td><td>{% if v.deadline_kind == "from_date" and not v.due_at %}từ {{ v.start_date|d }}{% else %}{{ v.due_at|d }}{% endif %}{{ v|deadline_words }}{% set given = v|given_late %}{% if given and v.days_since_given is none %}<br><span class="given-late">giao ngày {{ given }}, sau thời hạn</span>{% endif %}</td>
      <td>{{ v.state_label }}</td><td>{{ v.category_label }}{% if v.category in LATE %}<br><span class="tag overdue-mark">{{ v.lateness }}</span>{% endif %}</td></tr>
  {% endfor %}"""  # noqa: E501


def _view(n: int, **fields: object) -> AssignmentView:
    values: dict[str, object] = {
        "id": n,
        "version": 1,
        "item_code": f"1/KH-UBND:II.{n}",
        "item_title": "Triển khai nền tảng số",
        "plan_number": "1/KH-UBND",
        "milestone_seq": 1,
        "milestone_label": None,
        "deadline_phrase": None,
        "agency_code": "so-tttt",
        "agency_name": "Sở Thông tin và Truyền thông",
        "role": "lead",
        "state": "in_progress",
        "category": "dang_thuc_hien_trong_han",
        "category_label": "Đang thực hiện trong hạn",
        "due_at": datetime(2022, 6, 30, 16, 59, 59, tzinfo=UTC),
        "original_due_at": None,
        "start_date": None,
        "assigned_at": datetime(2022, 3, 1, 1, 0, tzinfo=UTC),
        "acknowledged_at": None,
        "reported_at": None,
        "verified_at": None,
        "days_late": 0,
        "priority": False,
        "progress": 0,
    }
    return AssignmentView.model_validate(values | fields)


def as_row(view: AssignmentView) -> tuple[object, ...]:
    """The row of ``queries.base_query`` a view was made of (what the list writes from); the
    columns a view does not hold are None."""
    return tuple(getattr(view, name, None) for name in VIEW_NAMES)


def test_the_rows_are_what_the_template_loop_wrote() -> None:
    views = [
        _view(1),
        _view(  # every text with characters to escape; a title to cut; priority; a phrase
            2,
            item_code='A&B <"2">',
            item_title="Tiêu đề <script>alert('x')</script> & " + "rất dài " * 20,
            agency_name="Sở \"Xây dựng\" & 'Giao thông'",
            deadline_phrase='trước <ngày> 30/6 & "sớm"',
            priority=True,
            role="partner",
            state="reported",
            reported_at=datetime(2022, 7, 1, 3, 0, tzinfo=UTC),  # by NOW: the state then (status.state_at)
        ),
        _view(3, deadline_kind="from_date", due_at=None, start_date=date(2022, 7, 1), deadline_phrase="kể từ ngày"),
        _view(4, deadline_kind="from_date", due_at=datetime(2022, 7, 1, 17, 0, tzinfo=UTC)),  # due: its date
        _view(5, due_at=None),  # no date at all: the dash
        # a later quarter's report, not yet handed out: not "Đã giao"
        _view(6, state="assigned", assigned_at=datetime(2022, 9, 30, 17, 0, tzinfo=UTC), given=False),
        # overdue, a milestone named, given after its date (117/KH-UBND: 30/06, issued 27/07)
        _view(7, milestone_label="Phê duyệt <cấp độ>", **OVERDUE),
        # its lateness counted from the day given first, as queries.to_view gives the view it
        _view(
            8,
            assigned_at=datetime(2022, 7, 4, 1, 0, tzinfo=UTC),
            days_since_given=days_late(datetime(2022, 7, 4, 1, 0, tzinfo=UTC), None, NOW),
            **OVERDUE,
        ),
        _view(  # done late: the working days to its report
            9,
            state="reported",
            category="hoan_thanh_qua_han",
            category_label="Hoàn thành quá hạn",
            reported_at=datetime(2022, 7, 5, 3, 0, tzinfo=UTC),
            days_late=days_late(DUE, datetime(2022, 7, 5, 3, 0, tzinfo=UTC), NOW),
        ),
    ]
    env = templates.env
    written = env.from_string("{{ rows|assignment_rows(now, calendar) }}").render(
        rows=[as_row(v) for v in views], now=NOW, calendar=WorkCalendar.default()
    )
    loop = {"LATE": {"dang_thuc_hien_qua_han": "Quá hạn", "hoan_thanh_qua_han": "Trễ"}}
    assert written == env.from_string(TEMPLATE_LOOP).render(rows=views, **loop)
    assert "&lt;script&gt;" in written and "<script>" not in written and "từ 01/07/2022" in written
    assert "<td>Chưa giao (giao ngày 01/10/2022)</td>" in written and written.count("Đã giao") == 0
    assert f"Quá hạn {LATE_DAYS} ngày làm việc" in written and "(Phê duyệt &lt;cấp độ&gt;)" in written
    # given after its date and still open: the days since given first, then those since the date
    since = f"kể từ ngày giao 04/07/2022 (giao sau thời hạn; {LATE_DAYS} ngày làm việc kể từ thời hạn)"
    assert written.count(since) == 1 and "giao ngày 04/07/2022, sau" not in written and "Trễ 3 ngày làm việc" in written
    assert written.count("overdue-mark") == 3
    empty = env.from_string("{{ rows|assignment_rows(now, calendar) }}").render(
        rows=[], now=NOW, calendar=WorkCalendar.default()
    )
    assert empty == ""


def test_a_milestone_is_named_as_the_text_names_it() -> None:
    """117/KH-UBND:II.1.a read "mốc 1 | —": the text gives it no date; its name says so."""
    assert _view(1, milestone_label="Quý I/2023").milestone_name == "Quý I/2023"
    assert _view(1, deadline_phrase="trước ngày 30/6/2022").milestone_name == "trước ngày 30/6/2022"
    assert _view(1, due_at=None).milestone_name == "văn bản không ghi thời hạn"
    assert _view(1, due_at=None, start_date=date(2022, 7, 1)).milestone_name == "mốc 1"
    assert _view(1, milestone_seq=2).milestone_name == "mốc 2"  # a date, but no words for it
