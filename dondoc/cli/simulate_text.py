"""What ``dondoc simulate`` prints for people (Vietnamese): its ``--json`` result, in words and tables.

Read from the result alone, so that the text and ``--json`` say the same thing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from dondoc.cli.output import table
from dondoc.engine.actors import RECIPIENT_LABELS_VI, Recipient
from dondoc.engine.history_labels import EVENT_LABELS_VI
from dondoc.engine.status import CATEGORY_LABELS_VI, Category
from dondoc.engine.vi_format import NONE, vn_date
from dondoc.simulation.reassign import DECIDE_AFTER

# the replay's own count beside the rule book's actions (ReplayStats.actions)
_ACTION_LABELS_VI = {**EVENT_LABELS_VI, "indicator_actual": "Báo cáo số liệu thực hiện"}
_VICE_CHAIR, _CHAIR = RECIPIENT_LABELS_VI[Recipient.VICE_CHAIR], RECIPIENT_LABELS_VI[Recipient.CHAIR]


def echo_summary(result: dict[str, Any], *, maildrop: Path | None) -> None:
    # the notifications sent and the mails written, apart: a lead's list carries several notifications in
    # one mail (the 2022 replay said "3151 thư" of 3013 files in the drop)
    first, last = _day(result["from"]), _day(result["to"])
    actions = ", ".join(f"{_ACTION_LABELS_VI.get(a, a)} {n}" for a, n in result["actions"].items()) or "không có"
    typer.echo(
        f"Đã diễn lại {first}–{last} (seed {result['seed']}): {result['sweeps']} lần quét nhắc việc và chuyển cấp; "
        f"thao tác: {actions}; {result['delivered']} thông báo trong {result['mails']} thư "
        f"ghi vào thư mục lưu thư {maildrop}"
    )
    twice = result["duplicates"]
    typer.echo(
        f"Trùng lặp (phải bằng 0): {twice['same_dedupe_key']} khóa chống trùng dùng hai lần, "
        f"{twice['same_decision']} quyết định gửi thư lặp lại, {twice['same_message_delivered']} thư gửi hai lần"
    )
    # what a leader's digest told: a decision no digest carried was not told (recheck.judge)
    escalations = [e for e in result["escalations"] if e.get("told", True)]
    untold = len(result["escalations"]) - len(escalations)
    typer.echo(f"\nBáo cáo Lãnh đạo (chuyển cấp đến {_VICE_CHAIR} và {_CHAIR}):{'' if escalations else ' không có'}")
    if escalations:
        table(
            ["Ngày", "Gửi đến", "Nhiệm vụ", "Mốc", "Cơ quan", "Hạn", "Đã báo cáo"],
            [
                [
                    _day(e["date"]),
                    RECIPIENT_LABELS_VI.get(e["to"], e["to"]),
                    e["item"],
                    e["milestone"],
                    e["agency"],
                    _day(e["due"]),
                    _day(e["reported"]),
                ]
                for e in escalations
            ],
        )
    if untold:
        typer.echo(
            f"Không kể {untold} quyết định chuyển cấp không có trong bản tổng hợp nào gửi Lãnh đạo: không còn "
            "đúng khi lập bản tổng hợp (đã báo cáo, đã gia hạn, phần việc chờ phân công lại…), hoặc chưa đến "
            "bản tổng hợp kế tiếp"
        )
    if "reorganisation" in result:
        _echo_reorganisation(result["reorganisation"])
    typer.echo(f"\nSố phần việc theo phân loại đến hết ngày {last}:")
    table(["Phân loại", "Số phần việc"], [[CATEGORY_LABELS_VI[c], result["final_counts"][c.value]] for c in Category])


def _echo_reorganisation(reorganisation: dict[str, Any]) -> None:
    typer.echo(
        f"\nTổ chức lại: {reorganisation['transferred_total']} phần việc đã chuyển cho cơ quan kế nhiệm, "
        f"trong đó {reorganisation['decided_by_secretariat']} do Tổ giúp việc phân công lại; "
        f'{reorganisation["cancelled_while_waiting"]} phần việc bị hủy sau khi chờ ở "Cần phân công lại" '
        f"(Tổ giúp việc quyết định vào ngày làm việc thứ {DECIDE_AFTER} kể từ khi phần việc vào danh sách chờ); "
        f"{reorganisation['waiting_total']} phần việc còn chờ; "
        f"{reorganisation['mails_to_gone_bodies']} thư gửi cho cơ quan đã không còn"
    )
    table(
        ["Lần tổ chức lại", "Cơ quan cũ", "Cơ quan kế nhiệm", "Phần việc"],
        [[t["succession"], t["from"], t["to"], t["assignments"]] for t in reorganisation["transferred"]]
        + [[w["succession"], w["from"], "(chờ quyết định)", w["assignments"]] for w in reorganisation["waiting"]],
    )
    for side in reorganisation["ladder"]:
        typer.echo(
            f"Nhắc việc và chuyển cấp quanh ngày {_day(side['date'])}: trước ngày này {_ladder(side['before'])}; "
            f"từ ngày này {_ladder(side['after'])}"
        )


def _ladder(side: dict[str, Any]) -> str:
    mailboxes = f" ({', '.join(side['secretariat_mailboxes'])})" if side["secretariat_mailboxes"] else ""
    return (
        f"{side['escalations']} lần báo cáo Lãnh đạo (trong bản tổng hợp), {side['to_agencies']} thư gửi cơ quan, "
        f"{side['held_for_secretariat']} thư gửi Tổ giúp việc{mailboxes}"
    )


def _day(iso: str | None) -> str:
    """An ISO day of the result as ``dd/mm/yyyy``; ``—`` for none."""
    return vn_date(date.fromisoformat(iso)) if iso else NONE
