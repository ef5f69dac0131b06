"""``dondoc assignments …``: list, show, act."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import RowId, emit_json, table
from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.errors import InvalidInput
from dondoc.engine.services.assignments import Request, apply_step, parse_action
from dondoc.engine.services.queries import get_assignment, list_assignments
from dondoc.engine.vi_format import vn_date, vn_datetime
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import TRANSITIONS, Action, Need

app = typer.Typer(help="Assignments: milestone × agency × role.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="machine-readable output")]
# The actions that need each input, read from the transition table (for the options' help).
_NEEDING = {need: [a.value for a, t in TRANSITIONS.items() if need in t.needs] for need in Need}


@app.command("list")
def list_(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="agency code, e.g. so-tttt")] = None,
    plan: Annotated[str | None, typer.Option(help="plan number, e.g. 117/KH-UBND")] = None,
    status: Annotated[
        str | None, typer.Option(help="a state (reported) or a category (dang_thuc_hien_qua_han)")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    as_json: JsonOption = False,
) -> None:
    """List assignments with their state, category and due date."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        rows = list_assignments(session, context.clock.now(), agency=agency, plan=plan, status=status, limit=limit)
    if as_json:
        emit_json(rows)
        return
    table(
        ["id", "item", "#", "agency", "role", "state", "category", "due", "working days late"],
        [
            [
                r.id,
                r.item_code,
                r.milestone_seq,
                r.agency_code,
                r.role,
                r.state,
                r.category_label,
                vn_date(r.due_at),
                r.days_late or "",
            ]
            for r in rows
        ],
    )
    typer.echo(f"{len(rows)} assignment(s)")


@app.command()
def show(ctx: typer.Context, assignment_id: RowId, as_json: JsonOption = False) -> None:
    """One assignment with its whole history."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        detail = get_assignment(session, assignment_id, context.clock.now())
    if as_json:
        emit_json(detail)
        return
    typer.echo(f"#{detail.id} {detail.item_code} (mốc {detail.milestone_seq}) — {detail.item_title}")
    typer.echo(f"  agency: {detail.agency_name} [{detail.agency_code}], role {detail.role}")
    typer.echo(
        f"  state: {detail.state} — {detail.category_label}; due {vn_datetime(detail.due_at)}"
        f" (phrase: {detail.deadline_phrase or '—'}); version {detail.version}"
    )
    table(
        ["at", "actor", "action", "from", "to", "comment"],
        [
            [
                vn_datetime(e.at),
                f"{e.actor} ({e.actor_account})" if e.actor_account else e.actor,
                e.action,
                e.from_state or "",
                e.to_state or "",
                e.comment or "",
            ]
            for e in detail.history
        ],
    )
    if detail.requests:
        typer.echo("requests:")
        table(
            ["asked", "by", "request", "answer", "answered"],
            [
                [
                    vn_datetime(r.asked_at),
                    r.asked_by,
                    f"{r.kind}: {r.question}" + (f" (→ {vn_date(r.requested_due)})" if r.requested_due else ""),
                    f"{r.answer}: {r.reply}" if r.answer else "open",
                    vn_datetime(r.answered_at) if r.answered_at else "",
                ]
                for r in detail.requests
            ],
        )
    typer.echo("mails:" if detail.mails else "mails: none")
    if detail.mails:
        table(
            ["decided", "kind", "to", "status", "sent"],
            [
                [
                    vn_datetime(m.decided_at),
                    m.kind,
                    f"{m.recipient_role} <{m.recipient_email}>",
                    f"Đã báo trong bản tổng hợp #{m.carried_by_id}" if m.carried_by_id else m.status,
                    vn_datetime(m.sent_at) if m.sent_at else "",
                ]
                for m in detail.mails
            ],
        )


@app.command()
def act(
    ctx: typer.Context,
    assignment_id: RowId,
    action: Annotated[str, typer.Argument(help=f"one of: {', '.join(a.value for a in Action)}")],
    actor: Annotated[str, typer.Option("--as", help="agency code, secretariat, vice-chair or chair")],
    comment: Annotated[
        str | None,
        typer.Option(help=f"why (needed for {', '.join(_NEEDING[Need.COMMENT])})"),
    ] = None,
    due: Annotated[str | None, typer.Option(help=f"a date YYYY-MM-DD ({', '.join(_NEEDING[Need.DUE])})")] = None,
    percent: Annotated[int | None, typer.Option(help="progress in percent (progress)")] = None,
    agency: Annotated[
        str | None, typer.Option(help=f"the agency that takes the work over ({', '.join(_NEEDING[Need.AGENCY])})")
    ] = None,
    expect_version: Annotated[int | None, typer.Option(help="refuse if the assignment has changed since")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="the secretariat account acting (default: the OS user)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Apply one action of the workflow to an assignment."""
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
        apply_step(session, assignment_id, request, now=now, calendar=WorkCalendar.default(), local=context.clock)
        detail = get_assignment(session, assignment_id, now)
    if as_json:
        emit_json(detail)
        return
    typer.echo(
        f"#{detail.id}: {request.action.value} done — now {detail.state} ({detail.category_label}), "
        f"version {detail.version}"
    )


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f'"{text}" không phải là một ngày (YYYY-MM-DD)') from None
