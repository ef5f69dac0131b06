"""``dondoc indicators …``: an agency's indicators (chỉ tiêu) and reporting their actual values."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import RowId, emit_json, table
from dondoc.engine.actors import Actor
from dondoc.engine.errors import InvalidInput
from dondoc.engine.numerals import decimal
from dondoc.engine.services.indicator_views import PeriodStatus, agency_indicator, agency_indicators
from dondoc.engine.services.indicators import report_actual
from dondoc.engine.services.web_queries import agency_by_code
from dondoc.engine.vi_format import vn_datetime, vn_number

app = typer.Typer(
    help="Chỉ tiêu: chỉ tiêu giao, số liệu thực hiện, đánh giá Đạt / Gần đạt / Chưa đạt.", no_args_is_help=True
)
JsonOption = Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")]
AgencyOption = Annotated[str, typer.Option("--agency", help="mã cơ quan, ví dụ ubnd-binh-son")]


@app.command("list")
def list_(ctx: typer.Context, agency: AgencyOption, as_json: JsonOption = False) -> None:
    """Các chỉ tiêu một cơ quan chịu trách nhiệm: chỉ tiêu giao, số liệu được tính và đánh giá của từng kỳ hiện tại."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        found = agency_by_code(session, agency)
        views = agency_indicators(session, agency_id=found.id or 0, now=context.clock.now())
    if as_json:
        emit_json(views)
        return
    rows = [
        [v.indicator_id, v.item_code, v.name, t.scope_label, v.target_text(t), p.label, _figure(p), p.status_label]
        for v in views
        for t in v.targets
        for p in t.periods
    ]
    table(["Số hiệu", "Nhiệm vụ", "Chỉ tiêu", "Phạm vi", "Chỉ tiêu giao", "Kỳ", "Thực hiện", "Đánh giá"], rows)
    typer.echo(f"{len(views)} chỉ tiêu")


def _figure(period: PeriodStatus) -> str:
    """A period's counted figure as the agency's page says it: the period it was sent for where
    another's counts for this one (a first half's 77,8 under "Năm 2022" had read as the year's), and
    whose it is where it is not the body's own (web/templates/_marks.html, figure_of)."""
    if period.actual is None:
        return ""
    notes = "".join(f" ({note})" for note in (period.sent_for, period.sent_as) if note)
    return vn_number(period.actual) + notes


@app.command()
def report(
    ctx: typer.Context,
    indicator_id: RowId,
    agency: AgencyOption,
    period: Annotated[
        str,
        typer.Option(
            "--period",
            help="kỳ báo cáo đang mở: quý hiện tại (ví dụ 2022-Q3), 6 tháng hiện tại (2022-H1 hoặc 2022-H2) "
            "hoặc năm hiện tại (2022)",
        ),
    ],
    value: Annotated[str, typer.Option("--value", help="số liệu thực hiện, ví dụ 72.5 (dấu chấm thập phân)")],
    note: Annotated[str | None, typer.Option("--note", help="nguồn số liệu, thời điểm chốt số liệu")] = None,
    scope: Annotated[
        str | None, typer.Option("--scope", help="phạm vi, chỉ cần khi cơ quan báo cáo theo nhiều phạm vi")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--as", help="người báo cáo: chính cơ quan (mặc định) hoặc secretariat (Tổ giúp việc)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Ghi nhận một số liệu thực hiện (có kiểm tra, thêm vào lịch sử số liệu; không ghi đè số liệu cũ)."""
    number = _number(value)
    context = app_context(ctx)
    now = context.clock.now()
    with context.transaction() as session:
        found = agency_by_code(session, agency)
        row = report_actual(
            session,
            indicator_id=indicator_id,
            agency_code=found.code,
            period_code=period,
            value=number,
            note=note,
            actor=Actor.parse(actor) if actor else Actor.agency(found.code),
            now=now,
            scope=scope,
        )
        view = agency_indicator(session, agency_id=found.id or 0, indicator_id=indicator_id, now=now)
    if as_json:
        emit_json(view)
        return
    typer.echo(
        f"{view.name} — {found.short}, {row.period_code}: {vn_number(row.value)} {view.unit} "
        f"(#{row.id}, {vn_datetime(row.reported_at)})"
    )
    for target in view.targets:
        statuses = ", ".join(f"{p.code}: {p.status_label}" for p in target.periods)
        typer.echo(f"  {target.scope or '—'} {view.target_text(target)} → {statuses}")


def _number(typed: str) -> float:
    """--value as digits and a decimal point: Python's float read "1_0" as 10, "٣" as 3, "1e1" as 10."""
    number = decimal(typed)
    if number is None:
        raise InvalidInput(f'--value "{typed}" không phải là một số (ví dụ 72.5)')
    return number
