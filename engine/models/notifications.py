"""The outbox: one row per email to send, made idempotent by its dedupe key."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class NotificationStatus(StrEnum):
    PENDING = "pending"  # waiting for the delivery worker
    HELD = "held"  # a leader escalation: recorded here, mailed only inside the daily digest
    SENT = "sent"
    FAILED = "failed"  # permanent failure (5xx) or retries exhausted; last_error says why
    SKIPPED = "skipped"  # no longer relevant when its turn came (reported, extended, …)


class Notification(SQLModel, table=True):
    """An email decided by the sweep (or a service) and delivered by the outbox worker."""

    __table_args__ = (
        Index("ix_notification_status_next", "status", "next_attempt_at"),
        # The latest mail of a kind (the previous secretariat digest, whose date the next one
        # lists the failed mails from): read from the end of one kind's range, not the outbox.
        Index("ix_notification_kind_created", "kind", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, index=True, max_length=255)
    kind: str = Field(max_length=48)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    recipient_role: str = Field(max_length=32, description="an engine.actors.Recipient")
    recipient_email: str
    recipient_name: str | None = None
    subject: str = Field(default="", sa_column=Column(Text, nullable=False))
    body_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    body_html: str | None = Field(default=None, sa_column=Column(Text))
    message_id: str | None = None
    policy_version: str | None = Field(default=None, max_length=64)
    status: NotificationStatus = Field(default=NotificationStatus.PENDING, sa_type=String(16))
    attempts: int = 0
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    next_attempt_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # A held row: the digest (notification.id) whose delivery told its recipient of it, first time.
    carried_by_id: int | None = Field(default=None)
    # The email as rendered at enqueue, but for the headers of its sending (notifications.message).
    mime: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
