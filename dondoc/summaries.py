"""One summary per job result, for every runner.

``summarise(result)`` is the JSON-able dict that ``dondoc sweep|deliver|digest --json`` prints
and the Prefect flow run of the same job returns; ``headline(result)`` is the one line the CLI
prints, the embedded scheduler logs and the flow logs. A new job result type registers both.
"""

from __future__ import annotations

from collections import Counter
from functools import singledispatch
from typing import TypeAlias

from dondoc.engine.escalation.sweep import SweepResult
from dondoc.engine.services.catalog_sync import SyncReport
from dondoc.engine.services.catalog_words import load_counts
from dondoc.jobs import QueuedMails
from dondoc.notifications.delivery import DeliveryReport

JsonValue: TypeAlias = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
Summary: TypeAlias = dict[str, JsonValue]

OUTCOMES = ("sent", "skipped", "retry", "failed", "released")


@singledispatch
def summarise(result: object) -> Summary:
    """The summary of a job's result (see the registrations below)."""
    raise TypeError(f"no summary for {type(result).__name__}")


@singledispatch
def headline(result: object) -> str:
    """One line for people and logs."""
    raise TypeError(f"no headline for {type(result).__name__}")


def decisions_by_kind(result: SweepResult) -> dict[str, int]:
    """``kind→recipient role``: how many new decisions, sorted."""
    counts = Counter(f"{d.kind}→{d.recipient_role}" for d in result.decisions)
    return {kind: counts[kind] for kind in sorted(counts)}


@summarise.register
def _(result: SweepResult) -> Summary:
    by_kind: dict[str, JsonValue] = {**decisions_by_kind(result)}
    return {
        "now": result.now.isoformat(),
        "window_start": result.window_start.isoformat(),
        "candidates": result.candidates,
        "already_decided": result.already_decided,
        "ladder_reset": result.ladder_reset,
        "decisions": len(result.decisions),
        "by_kind": by_kind,
    }


@headline.register
def _(result: SweepResult) -> str:
    return (
        f"Quét lúc {result.now:%d/%m/%Y %H:%M}: {len(result.decisions)} quyết định mới, "
        f"{result.already_decided} đã quyết định trước, {result.candidates} phần việc được xét"
    )


@summarise.register
def _(result: DeliveryReport) -> Summary:
    return {
        "batches": result.batches,
        "claimed": result.claimed,
        "sent": result.sent,
        "mails": result.mails,
        "skipped": result.skipped,
        "retry": result.retry,
        "failed": result.failed,
        "released": result.released,
        "sender_down": result.sender_down,
        "worker_id": result.worker_id,
        "duration": round(result.duration, 3),
    }


# The outcomes of a delivery run as the operator reads them (the JSON keeps the names of OUTCOMES).
OUTCOME_LABELS_VI = {
    "sent": "đã gửi",
    "skipped": "bỏ qua",
    "retry": "thử lại sau",
    "failed": "lỗi",
    "released": "trả lại hàng đợi",
}


@headline.register
def _(result: DeliveryReport) -> str:
    figures = summarise(result)
    # every count is of notifications (outbox rows); the mails written are fewer when a lead's list
    # carries several rows in one: "3151 thông báo đã gửi trong 3013 thư", never 3151 "thư"
    counts = ", ".join(f"{figures[outcome]} {OUTCOME_LABELS_VI[outcome]}" for outcome in OUTCOMES[1:])
    seconds = f"{result.duration:.2f}".replace(".", ",")
    sent = f"{result.sent} thông báo {OUTCOME_LABELS_VI['sent']} trong {result.mails} thư"
    line = f"Gửi thư: {sent}, {counts} (xử lý {result.claimed} thông báo trong {result.batches} lượt, {seconds} giây)"
    if result.sender_down:
        line += "; không kết nối được máy chủ thư: phần còn lại chờ lần gửi sau"
    return line


@summarise.register
def _(result: QueuedMails) -> Summary:
    return {
        "job": result.job,
        "now": result.now.isoformat(),
        "queued": len(result.mails),
        "mails": [
            {"to": mail.to, "email": mail.email, "subject": mail.subject, "dedupe_key": mail.dedupe_key}
            for mail in result.mails
        ],
    }


@headline.register
def _(result: QueuedMails) -> str:
    what = "Bản tổng hợp" if result.job == "digests" else "Báo cáo định kỳ"
    return f"{what} lúc {result.now:%d/%m/%Y %H:%M}: đã xếp {len(result.mails)} thư vào hàng đợi"


@summarise.register
def _(result: SyncReport) -> Summary:
    return result.to_dict()


@headline.register
def _(result: SyncReport) -> str:
    return f"Đã nạp danh mục: {load_counts(result.created, result.updated)}"
