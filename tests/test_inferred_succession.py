"""A part given through an inferred group to a body that then ended: the successor is no member by the
succession. Mail 334's sibling (01/03/2025) told Sở NN&MT "Quý cơ quan được giao phần việc này vì thuộc
nhóm «Thành viên Ban Chỉ đạo chuyển đổi số tỉnh» theo danh sách Tổ giúp việc suy đoán" of parts given
to Sở NN&PTNT as a guessed member; its mail and the part's page now say whom the guess was about, and
that the successor holds the part by the succession, in one clause (inferred_parts)."""

from __future__ import annotations

import csv
import html
import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, FrozenClock
from dondoc.engine.models import Assignment, Notification, PlanItem
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queues import UNCONFIRMED_QUEUE, queue_by_slug
from dondoc.engine.settings import Settings
from dondoc.notifications import build_digests
from dondoc.notifications.inherited import apply_successions
from dondoc.notifications.outbox import MailSpec, rendered_columns
from tests.factories import assignment_for, load_min_catalog
from tests.support.successions import ON, at, listing, succession_catalog, successions_at_dawn, successions_yaml
from tests.support.sweep import CALENDAR, swept_daily
from tests.support.web import WebEnv

ITEM = "99/KH-TEST:II.1"
GUESS = "thuộc nhóm «Các sở, ban, ngành» theo danh sách"
FALSE = f"Quý cơ quan được giao phần việc này vì {GUESS}"
TRUE = (
    f"Phần việc này được giao cho Văn phòng UBND tỉnh vì {GUESS} Tổ giúp việc suy đoán, văn bản không nêu danh "
    "sách; quý cơ quan nhận phần việc này do kế nhiệm Văn phòng UBND tỉnh, không phải vì thuộc nhóm; nếu Văn "
    "phòng UBND tỉnh không thuộc nhóm này, đề nghị báo Tổ giúp việc."
)


def _renamed_with_a_guessed_part(web: WebEnv, tmp_path: Path) -> tuple[int, Notification]:
    """VP UBND's part of II.1 (its second milestone) marked as given through an inferred group, then
    VP UBND renamed on ON: the part, and the renamed body's inherited_work mail listing it."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("rename")))
        part = assignment_for(session, ITEM, "vp-ubnd", seq=2).id or 0
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(inferred_group="so-ban-nganh"))
        session.commit()
    return part, listing(successions_at_dawn(web), part)


def test_the_successors_mail_says_the_guess_was_about_its_predecessor(web: WebEnv, tmp_path: Path) -> None:
    part, told = _renamed_with_a_guessed_part(web, tmp_path)
    spec = MailSpec(
        told.dedupe_key, told.kind, told.recipient_role, told.recipient_email, told.recipient_name,
        told.assignment_id, told.policy_version, False, told.data,
    )  # fmt: skip
    with Session(web.engine) as session:
        columns = rendered_columns(session, spec, now=web.clock.now(), settings=Settings(demo=True))
    text = " ".join(columns["body_text"].split())
    page_html = " ".join(html.unescape(columns["body_html"] or "").split())
    assert FALSE not in text and FALSE not in page_html
    assert text.count(TRUE) == 1 and page_html.count(TRUE) == 1, text


def test_the_parts_page_says_the_same(web: WebEnv, tmp_path: Path) -> None:
    part, _ = _renamed_with_a_guessed_part(web, tmp_path)
    web.login()
    page = " ".join(html.unescape(web.client.get(f"/board/assignments/{part}").text).split())
    assert 'id="form-confirm-membership"' in page
    assert f"Cơ quan được giao phần việc này vì {GUESS}" not in page
    assert (
        f"Phần việc này được giao cho Văn phòng UBND tỉnh vì {GUESS} Tổ giúp việc suy đoán, văn bản không nêu "
        "danh sách; Văn phòng UBND tỉnh (tên mới) nhận phần việc này do kế nhiệm Văn phòng UBND tỉnh, không phải "
        "vì thuộc nhóm" in page
    ), page
    assert "hủy nếu Văn phòng UBND tỉnh không thuộc nhóm" in page


# The other surfaces that speak of a guessed part: each says, of a part the successor received, the
# same clause (inferred_parts.guessed_for_predecessor_vi), never that the successor is a guessed member.
HOLDER = "Văn phòng UBND tỉnh (tên mới)"
CLAUSE = (
    f"được giao cho Văn phòng UBND tỉnh vì {GUESS} Tổ giúp việc suy đoán, văn bản không nêu danh sách; "
    f"{HOLDER} nhận phần việc này do kế nhiệm Văn phòng UBND tỉnh, không phải vì thuộc nhóm"
)
SETTINGS = Settings(_env_file=None, demo=True, base_url="http://dondoc.test")  # type: ignore[call-arg]


def _received_guessed_parts(session: Session, clock: FrozenClock, tmp_path: Path) -> dict[str, int]:
    """VP UBND's part of II.1's first milestone (due 30/06/2022) and Sở Nội vụ's, both given through
    "Các sở, ban, ngành" as a guess; VP UBND renamed on ON, its part (late) received by the renamed body."""
    load_min_catalog(session, clock.now(), succession_catalog(tmp_path, successions_yaml("rename")))
    parts = {code: assignment_for(session, ITEM, code).id or 0 for code in ("vp-ubnd", "so-noi-vu")}
    session.execute(
        update(Assignment).where(col(Assignment.id).in_(parts.values())).values(inferred_group="so-ban-nganh")
    )
    session.execute(update(PlanItem).values(priority=False))  # the normal ladder
    session.commit()
    clock.set(at(ON, 0))
    apply_successions(session, now=clock.now(), local=DEFAULT_DAYS, settings=SETTINGS)
    session.commit()
    return parts


def _flat(*texts: str | None) -> str:
    return " ".join(" ".join(html.unescape(t or "").split()) for t in texts)


def _rendered(session: Session, spec: MailSpec, now: datetime) -> str:
    columns = rendered_columns(session, spec, now=now, settings=SETTINGS)
    return _flat(columns["body_text"], columns["body_html"])


def test_a_lead_is_told_the_partners_guess_was_about_its_predecessor(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Sở TT&TT, the lead of II.1, asked to chase the renamed body's part: its mail had said "Phần việc
    của Văn phòng UBND tỉnh (tên mới) được giao vì thuộc nhóm …", a guess about a body never guessed."""
    parts = _received_guessed_parts(session, clock, tmp_path)
    data = {"working_days_overdue": 22}
    spec = MailSpec(
        "t-lead", "overdue", "lead", "so-tttt@dondoc.example", "Sở TT&TT", parts["vp-ubnd"], None, False, data
    )  # fmt: skip
    told = _rendered(session, spec, clock.now())
    assert f"Phần việc của {HOLDER} được giao vì" not in told
    assert told.count(f"(Phần việc này {CLAUSE}; chưa được Tổ giúp việc xác nhận giao.)") == 2, told


def test_a_leads_list_marks_only_the_guessed_members_and_says_the_successors_apart(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """A lead's list of two returned reports: Sở Nội vụ's part, given as a guessed member (marked *), and
    the renamed body's, which the mark's note would have called a guessed member too."""
    parts = _received_guessed_parts(session, clock, tmp_path)
    ids = [parts["so-noi-vu"], parts["vp-ubnd"]]
    line = {"comment": "Thiếu số liệu", "listed_kind": "report_returned"}
    data = {"assignment_ids": ids, "lines": [line, line]}
    spec = MailSpec(
        "t-list", "report_returned", "lead", "so-tttt@dondoc.example", "Sở TT&TT", ids[0], None, False, data
    )
    told = _rendered(session, spec, clock.now())
    assert told.count(f"(Phần việc của các cơ quan đánh dấu * được giao vì {GUESS}") == 2, told
    assert told.count("Sở Nội vụ: lý do «Thiếu số liệu» *") == 2
    assert f"{HOLDER}: lý do «Thiếu số liệu» *" not in told
    assert told.count(f"(Phần việc này {CLAUSE}; chưa được Tổ giúp việc xác nhận giao.)") == 2, told


def test_the_secretariats_digest_says_whom_the_guess_was_about(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The secretariat's digest of the renamed body's late part had said "vì cơ quan thuộc nhóm …"."""
    parts = _received_guessed_parts(session, clock, tmp_path)
    swept_daily(session, clock, date(2022, 8, 12))
    made = {d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=SETTINGS, calendar=CALENDAR)}
    text = made["secretariat"].body_text
    lines = [x for x in text.splitlines() if ITEM in x and HOLDER in x and "Phê duyệt" in x]
    assert lines and not [x for x in lines if "vì cơ quan thuộc nhóm" in x], lines
    assert all(f"phần việc này {CLAUSE}; chưa được Tổ giúp việc xác nhận giao" in _flat(x) for x in lines), lines
    page = _flat(made["secretariat"].body_html)
    assert f"phần việc này {CLAUSE}; chưa được Tổ giúp việc xác nhận giao" in page
    others = [x for x in text.splitlines() if ITEM in x and "Sở Nội vụ" in x and "Phê duyệt" in x]
    assert others and all("vì cơ quan thuộc nhóm «Các sở, ban, ngành»" in x for x in others)
    assert parts


def test_the_desks_queue_says_whom_the_guess_was_about(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """ "Chờ xác nhận giao" had said of the renamed body's part "Thuộc nhóm «…» theo danh sách suy đoán"."""
    _received_guessed_parts(session, clock, tmp_path)
    queue = queue_by_slug(UNCONFIRMED_QUEUE)
    rows = queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())
    details = {r.agency: r.detail for r in rows}
    assert details["Sở Nội vụ"] == "Thuộc nhóm «Các sở, ban, ngành» theo danh sách suy đoán"
    assert details[HOLDER] == f"Phần việc này {CLAUSE}", details


# The lists that mark such a part in a cell beside its body (engine.reports.counted.guessed_mark: the
# periodic report's lists and workbook; the board's exports): of a part the successor received, the mark
# names the body the guess was about and says the holder took the part by the succession.
GROUP = "Các sở, ban, ngành"
PLAIN_MARK = f"chưa xác nhận giao (theo cách hiểu của Tổ giúp việc về nhóm «{GROUP}»)"
RECEIVED_MARK = (
    f"chưa xác nhận giao (giao cho Văn phòng UBND tỉnh theo cách hiểu của Tổ giúp việc về nhóm «{GROUP}»; "
    "cơ quan này nhận do kế nhiệm)"
)


def test_the_reports_list_marks_the_received_part_as_a_guess_about_its_predecessor(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The third quarter's report listed the renamed body's late part "Văn phòng UBND tỉnh (tên mới)"
    with "chưa xác nhận giao (theo cách hiểu của Tổ giúp việc về nhóm «…»)": a guess about a body never
    guessed. The first half's, made after the succession, lists the part under the body that held it then,
    the guessed member, with the plain mark."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.reports.render import render as render_report

    _received_guessed_parts(session, clock, tmp_path)
    clock.set(at("2022-10-10", 9))
    data = build_report(session, period_code="2022-Q3", now=clock.now())
    rows = {o.agency_name: o for o in data.overdue if o.item_code == ITEM}
    assert rows[HOLDER].role_words.endswith(f"; {RECEIVED_MARK}"), rows[HOLDER].role_words
    assert rows["Sở Nội vụ"].role_words.endswith(f"; {PLAIN_MARK}")
    assert RECEIVED_MARK in _flat(render_report(data, "md").decode("utf-8"))
    book = load_workbook(io.BytesIO(render_report(data, "xlsx")))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(c.endswith(f"; {RECEIVED_MARK}") for c in cells)
    earlier = build_report(session, period_code="2022-H1", now=clock.now())
    then = {o.agency_name: o for o in earlier.overdue if o.item_code == ITEM}
    assert then["Văn phòng UBND tỉnh"].role_words.endswith(f"; {PLAIN_MARK}"), then


def test_the_boards_export_marks_the_received_part_as_a_guess_about_its_predecessor(
    web: WebEnv, tmp_path: Path
) -> None:
    """The list's CSV wrote the group's name alone under "Chưa xác nhận giao (giao theo cách hiểu của Tổ
    giúp việc về nhóm)" beside the renamed body, as if it had been guessed a member; the board's workbook
    too."""
    with Session(web.engine) as session:
        _received_guessed_parts(session, web.clock, tmp_path)
    web.login()
    text = web.client.get("/board/assignments.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    body, mark = table[0].index("Cơ quan"), len(table[0]) - 1
    marks = {r[body]: r[mark] for r in table[1:] if r[0] == ITEM and r[2] == table[1:][0][2] and r[mark]}
    received = f"{GROUP} (giao cho Văn phòng UBND tỉnh; cơ quan này nhận do kế nhiệm)"
    assert marks == {HOLDER: received, "Sở Nội vụ": GROUP}, marks
    late = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    found = {(r[5], r[-1]) for r in late.iter_rows(min_row=2, values_only=True) if r[1] == ITEM and r[-1]}
    assert found == {(HOLDER, received), ("Sở Nội vụ", GROUP)}, found
