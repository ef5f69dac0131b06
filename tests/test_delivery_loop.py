"""The one delivery loop (:func:`deliver_batches`) that the CLI, the embedded scheduler and the
Prefect flow share: when it stops, and what it adds up. The batches here are scripted reports;
the delivery itself is tested against a real SMTP server in test_notifications_delivery.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from dondoc.notifications.delivery import DeliveryReport, deliver_batches
from dondoc.summaries import headline, summarise


def _batch(
    claimed: int, sent: int, *, retry: int = 0, released: int = 0, down: bool = False, mails: int | None = None
) -> DeliveryReport:
    return DeliveryReport(
        sent=sent,
        mails=sent if mails is None else mails,
        skipped=0,
        retry=retry,
        failed=0,
        released=released,
        duration=0.5,
        worker_id="w1",
        claimed=claimed,
        sender_down=down,
        batches=1 if claimed else 0,
    )


def _run(script: list[DeliveryReport], batch_size: int) -> tuple[DeliveryReport, int]:
    """The loop over ``script``; the total and how many batches it asked for."""
    batches: Iterator[DeliveryReport] = iter(script)
    asked = 0

    async def next_batch() -> DeliveryReport:
        nonlocal asked
        asked += 1
        return next(batches)

    return asyncio.run(deliver_batches(next_batch, batch_size=batch_size)), asked


def test_full_batches_go_on_until_a_short_one() -> None:
    total, asked = _run([_batch(3, 3), _batch(3, 2, retry=1), _batch(1, 1), _batch(3, 3)], batch_size=3)
    assert asked == 3
    assert (total.batches, total.claimed, total.sent, total.retry, total.duration) == (3, 7, 6, 1, 1.5)
    assert total.worker_id == "w1" and not total.sender_down


def test_an_empty_outbox_is_one_empty_batch() -> None:
    total, asked = _run([_batch(0, 0), _batch(3, 3)], batch_size=3)
    assert asked == 1 and (total.batches, total.claimed) == (0, 0)


def test_a_full_batch_followed_by_nothing_ends_on_the_empty_claim() -> None:
    total, asked = _run([_batch(2, 2), _batch(0, 0), _batch(2, 2)], batch_size=2)
    assert asked == 2 and (total.batches, total.sent) == (1, 2)


def test_the_sender_down_stops_the_run_even_after_a_full_batch() -> None:
    total, asked = _run([_batch(2, 0, retry=1, released=1, down=True), _batch(2, 2)], batch_size=2)
    assert asked == 1
    assert total.sender_down and (total.retry, total.released, total.sent) == (1, 1, 0)
    assert headline(total).endswith("không kết nối được máy chủ thư: phần còn lại chờ lần gửi sau")


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        _run([_batch(0, 0)], batch_size=0)


def test_the_summary_is_what_the_cli_prints_and_the_flow_returns() -> None:
    total, _ = _run([_batch(2, 3, mails=2), _batch(1, 1)], batch_size=2)  # a lead's list: two rows, one mail
    assert summarise(total) == {
        "batches": 2,
        "claimed": 3,
        "sent": 4,
        "mails": 3,
        "skipped": 0,
        "retry": 0,
        "failed": 0,
        "released": 0,
        "sender_down": False,
        "worker_id": "w1",
        "duration": 1.0,
    }
    assert (
        headline(total)
        == "Gửi thư: 4 thông báo đã gửi trong 3 thư, 0 bỏ qua, 0 thử lại sau, 0 lỗi, 0 trả lại hàng đợi "
        "(xử lý 3 thông báo trong 2 lượt, 1,00 giây)"
    )
