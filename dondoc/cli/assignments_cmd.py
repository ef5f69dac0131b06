"""``dondoc assignments …``: list, show, act."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from dondoc.cli.context import app_context
from dondoc.cli.numbers import whole_number
from dondoc.cli.output import RowId, emit_json, table
from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.clock import LocalDays
from dondoc.engine.date_notes import date_notes
from dondoc.engine.db import INT_MAX
from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.history_labels import EVENT_LABELS_VI, event_notes, given_apart
from dondoc.engine.mail_labels import mail_kind_label, mail_recipient_label, mail_state_label
from dondoc.engine.models import Event
from dondoc.engine.models.assignments import NOT_GIVEN_VI, STATE_LABELS_VI, State
from dondoc.engine.role_words import event_label
from dondoc.engine.services.actor_names import actor_label, actor_names, actor_words
from dondoc.engine.services.assignments import Request, apply_step, parse_action
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.queries import get_assignment, list_assignments
from dondoc.engine.services.successions import NeverGiven, never_given_to
from dondoc.engine.services.web_queries import agency_by_code
from dondoc.engine.status import asked_day_off_words
from dondoc.engine.vi_format import vn_date, vn_datetime
from dondoc.engine.views import NO_DATE_VI, AssignmentView, EventView, RequestView
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import TRANSITIONS, Action, Need

app = typer.Typer(
    help="Phần việc được giao: mỗi phần việc là một mốc × một cơ quan × một vai trò.", no_args_is_help=True
)
JsonOption = Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")]
# The actions that need each input, read from the transition table (for the options' help).
_NEEDING = {need: [a.value for a, t in TRANSITIONS.items() if need in t.needs] for need in Need}


@app.command("list")
def list_(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="mã cơ quan, ví dụ so-tttt")] = None,
    plan: Annotated[str | None, typer.Option(help="số văn bản, ví dụ 117/KH-UBND")] = None,
    status: Annotated[
        str | None, typer.Option(help="trạng thái (ví dụ reported) hoặc phân loại (ví dụ dang_thuc_hien_qua_han)")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(parser=whole_number(1, INT_MAX), help="chỉ in N phần việc đầu tiên của danh sách (N từ 1)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Liệt kê các phần việc với trạng thái, phân loại và thời hạn."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        # one row past the limit: whether the list goes on (its count is then not the list's)
        more = None if limit is None else limit + 1
        now = context.clock.now()
        # at a look-back (--now), the rows written or rewritten since as they stood then, as the desk's list
        then = board_then(session, now, LocalDays(context.settings.tz))
        rows = list_assignments(session, now, agency=agency, plan=plan, status=status, limit=more, then=then)
    cut = limit is not None and len(rows) > limit
    rows = rows[:limit]
    if as_json:
        emit_json(rows)
        return
    table(
        [
            "Số hiệu",
            "Nhiệm vụ",
            "Mốc",
            "Cơ quan",
            "Vai trò",
            "Trạng thái",
            "Phân loại",
            "Hạn",
            "Trễ hạn",  # the lists' words: counted from the day given for work given after its date
        ],
        [
            [
                r.id,
                r.item_code,
                r.milestone_seq,
                r.agency_code,
                r.role_label,  # in the text's word ("Tham mưu" under "Cơ quan tham mưu")
                r.state_label,
                r.category_label,
                f"từ {vn_date(r.standing_since)}" if r.standing_since else vn_date(r.due_at),  # as the lists
                r.lateness,
            ]
            for r in rows
        ],
    )
    if cut:
        typer.echo(
            f"{len(rows)} phần việc đầu tiên (--limit {limit}); danh sách còn phần việc khác, bỏ --limit để xem hết"
        )
    else:
        typer.echo(f"{len(rows)} phần việc")


def _date_said(detail: AssignmentView) -> str:
    """The part's date as its page says it: a standing duty has no date, only the day it applies from
    (its phrase "kể từ ngày 01/6/2023" had read "hạn — (theo văn bản: kể từ ngày 01/6/2023)"); with the
    text's phrase and what is said beside it (an extension, a day off, "trước ngày X" counted through X)."""
    if detail.standing_since:
        when = f"không có hạn cuối: nhiệm vụ thường xuyên, áp dụng từ ngày {vn_date(detail.standing_since)}"
    elif detail.due_at is None:  # "hạn — (theo văn bản: —)" had said nothing of why
        when = "chưa có thời hạn" if detail.deadline_phrase else NO_DATE_VI
    else:
        when = f"hạn {vn_datetime(detail.due_at)}"
    said = [_phrase_said(detail)] if detail.deadline_phrase else []
    notes = date_notes(detail.deadline_phrase, detail.due_at, detail.original_due_at, detail.written_due)
    said += [note for note in notes if note]
    return f"{when} ({'; '.join(said)})" if said else when


def _phrase_said(detail: AssignmentView) -> str:
    """The part's deadline phrase: the text's words, or, of a recurring report's period, the phrase the
    catalog wrote for it from the text's rule ("trước ngày 20/03/2022"), which the text never wrote:
    said so, as the pages and the digests do (web.assignment_rows.deadline_words)."""
    if detail.period_phrase:
        return f"kỳ {detail.milestone_name}: {detail.deadline_phrase}"
    return f"theo văn bản: {detail.deadline_phrase}"


@app.command()
def show(ctx: typer.Context, assignment_id: RowId, as_json: JsonOption = False) -> None:
    """Xem một phần việc với toàn bộ nhật ký, các yêu cầu và thư đã gửi."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        detail = get_assignment(session, assignment_id, context.clock.now())
        # at a look-back the version is today's (the row's counter of changes, which its history does not replay)
        later = session.exec(
            select(Event.id).where(Event.assignment_id == assignment_id, col(Event.at) > context.clock.now()).limit(1)
        ).first()
        acted = [e.actor for e in detail.history] + [a for r in detail.requests for a in (r.asked_by, r.answered_by)]
        names = actor_names(session, [a for a in acted if a])
    if as_json:
        emit_json(detail)
        return
    typer.echo(f"#{detail.id} {detail.item_code} (mốc {detail.milestone_seq}) — {detail.item_title}")
    typer.echo(f"  Cơ quan: {detail.agency_name} [{detail.agency_code}], vai trò: {detail.role_label}")
    if detail.passed_after:  # read before a transfer: the body of then, and who holds it since
        typer.echo(f"  {detail.passed_after.said}.")
    typer.echo(
        f"  Trạng thái: {detail.state_label} — {detail.category_label}; "
        f"{_date_said(detail)}; phiên bản {detail.version}{' (hiện nay, không phải lúc đó)' if later else ''}"
    )
    if detail.lateness:  # as its page: how late, and for work given after its date, since when
        typer.echo(f"  {detail.lateness}")
    # work never given to the body it was made for: its history says so, not "Đã giao" (as its page)
    never = never_given_to(detail.history, detail.assigned_at)
    table(
        ["Thời điểm", "Người thực hiện", "Thao tác", "Từ", "Sang", "Nội dung"],
        [_history_row(e, never, detail.assigned_at, names, detail.role) for e in detail.history],
    )
    if detail.requests:
        typer.echo("Yêu cầu:")
        table(
            ["Ngày yêu cầu", "Người yêu cầu", "Nội dung", "Trả lời", "Ngày trả lời"],
            [
                [
                    vn_datetime(r.asked_at),
                    actor_label(r.asked_by, names),
                    f"{EVENT_LABELS_VI.get(r.kind, r.kind)}: {r.question}" + _asked_day(r.requested_due),
                    _answer(r, names),
                    vn_datetime(r.answered_at) if r.answered_at else "",
                ]
                for r in detail.requests
            ],
        )
    typer.echo("Thư:" if detail.mails else "Thư: không có")
    if detail.mails:
        table(
            ["Quyết định lúc", "Loại thư", "Gửi đến", "Tình trạng", "Đã gửi lúc"],
            [
                [
                    vn_datetime(m.decided_at),
                    mail_kind_label(m.kind),
                    f"{mail_recipient_label(m.recipient_role, m.held_by, detail.lead_label)} "
                    + (f"<{m.recipient_email}>" if m.recipient_email else "(chưa có địa chỉ thư)"),
                    mail_state_label(m.status, m.kind, m.recipient_role, m.carried_by_id),
                    vn_datetime(m.sent_at) if m.sent_at else "",
                ]
                for m in detail.mails
            ],
        )
        for m in detail.mails:  # a leader's escalation the history since put in doubt (engine.escalation.doubt)
            if m.doubt:
                typer.echo(f"{mail_kind_label(m.kind)} quyết định lúc {vn_datetime(m.decided_at)}: {m.doubt}")


@app.command()
def act(
    ctx: typer.Context,
    assignment_id: RowId,
    action: Annotated[str, typer.Argument(help=f"thao tác, một trong: {', '.join(a.value for a in Action)}")],
    actor: Annotated[
        str,
        typer.Option(
            "--as",
            help="người thực hiện: mã cơ quan, secretariat (Tổ giúp việc), vice-chair (Phó Trưởng ban Thường trực) "
            "hoặc chair (Trưởng Ban Chỉ đạo)",
        ),
    ],
    comment: Annotated[
        str | None,
        typer.Option(help=f"lý do hoặc nội dung (bắt buộc với {', '.join(_NEEDING[Need.COMMENT])})"),
    ] = None,
    due: Annotated[
        str | None, typer.Option(help=f"ngày, dạng YYYY-MM-DD (dùng với {', '.join(_NEEDING[Need.DUE])})")
    ] = None,
    percent: Annotated[
        int | None, typer.Option(parser=whole_number(), help="tiến độ, tính bằng phần trăm (dùng với progress)")
    ] = None,
    agency: Annotated[
        str | None, typer.Option(help=f"mã cơ quan nhận phần việc (dùng với {', '.join(_NEEDING[Need.AGENCY])})")
    ] = None,
    expect_version: Annotated[
        int | None,
        typer.Option(
            parser=whole_number(0, INT_MAX),
            help="phiên bản phần việc đã xem: từ chối nếu phần việc đã thay đổi sau phiên bản này",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="tài khoản Tổ giúp việc thực hiện thao tác (mặc định: người dùng hệ điều hành)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Thực hiện một thao tác của quy trình xử lý đối với một phần việc."""
    context = app_context(ctx)
    parsed = Actor.parse(actor)
    request = Request(
        action=parse_action(action),
        actor=parsed,
        comment=comment,
        due=_date(due),
        percent=percent,
        expected_version=expect_version,
        agency=agency,
        account=(user or getpass.getuser()) if parsed.kind is ActorKind.SECRETARIAT else user,
    )
    now = context.clock.now()
    with context.transaction() as session:
        _refuse_unknown_actor(session, parsed, actor)
        apply_step(session, assignment_id, request, now=now, calendar=WorkCalendar.default(), local=context.clock)
        detail = get_assignment(session, assignment_id, now)
    if as_json:
        emit_json(detail)
        return
    typer.echo(
        f"#{detail.id}: đã ghi nhận {event_label(request.action.value, detail.role)} — nay "
        f"{detail.state_label} ({detail.category_label}), phiên bản {detail.version}"
    )


def _refuse_unknown_actor(session: Session, parsed: Actor, typed: str) -> None:
    """``--as`` naming no body of the catalog nor a role: said as such (it was refused as "Cơ quan
    nobody không được …", or "Không tìm thấy cơ quan nobody", by the action)."""
    if parsed.kind is not ActorKind.AGENCY:
        return
    try:
        agency_by_code(session, parsed.agency_code or "")
    except NotFound:
        raise InvalidInput(
            f"Không có người thực hiện «{typed.strip()}» (--as); dùng mã cơ quan trong danh mục (ví dụ so-noi-vu), "
            "secretariat, vice-chair hoặc chair"
        ) from None


def _asked_day(day: date | None) -> str:
    """The day a request asks for, as the part's page says it: with why it would not be that day."""
    if day is None:
        return ""
    off = asked_day_off_words(day)
    return f" (đề nghị hạn {vn_date(day)}{f'; {off}' if off else ''})"


def _answer(request: RequestView, names: dict[str, str]) -> str:
    """A request's answer as the part's page says it: what, by whom and when, then what was said."""
    if not request.answer:
        return "chưa trả lời"
    by = actor_label(request.answered_by or "", names)
    when = vn_datetime(request.answered_at) if request.answered_at else ""
    said = f"{EVENT_LABELS_VI.get(request.answer, request.answer)} ({', '.join(w for w in (by, when) if w)})"
    return f"{said}: {request.reply}" if request.reply else said


def _history_row(
    event: EventView, never: NeverGiven | None, given_at: datetime, names: dict[str, str], role: str
) -> list[str]:
    """One line of the history as the part's page says it: who acted by name, the states only where
    they change, the dates and figures the event holds (history_labels.event_notes), and a giving line
    recorded on another day than the body is given the work says that day (history_labels.given_apart),
    "Đã giao từ ngày …" for a later day, "ngày giao theo văn bản: …" for an earlier one."""
    apart = given_apart(event.action, event.at, given_at)
    changed = event.from_state != event.to_state
    to_state = _state(event.to_state, _unheld_after(never, event)) if changed else ""
    said = [event.comment or "", *event_notes(event.data)]
    if never and event.action == "assign":
        to_state = never.words()
    elif apart and apart[0] == "from":
        to_state += f" từ ngày {vn_date(apart[1])}"
    elif apart and never is None:
        said.append(f"ngày giao theo văn bản: {vn_date(apart[1])}")
    return [
        vn_datetime(event.at),
        actor_words(event.actor, event.actor_account, names),
        event_label(event.action, role),  # a partner's report is its input sent (engine.role_words)
        _state(event.from_state, never is not None and never.unheld(event.at)) if changed else "",
        to_state,
        "; ".join(part for part in said if part),
    ]


def _state(value: str | None, unheld: bool = False) -> str:
    """A state in words; "assigned" while nobody held the part is "Chưa giao" (successions.never_given_to)."""
    if unheld and value == State.ASSIGNED.value:
        return NOT_GIVEN_VI
    return STATE_LABELS_VI[State(value)] if value else ""


def _unheld_after(never: NeverGiven | None, event: EventView) -> bool:
    """Whether the part was still nobody's after ``event`` (the secretariat's decision gives it)."""
    return never is not None and (never.until is None or event.at < never.until)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f'"{text}" không phải là một ngày (YYYY-MM-DD)') from None
