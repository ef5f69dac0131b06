"""What the web needs of its own: secretariat accounts, API tokens, attachment metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class UserAccount(SQLModel, table=True):
    """A secretariat login. ``password_hash`` is a self-describing scrypt hash (web.passwords).

    ``session_generation`` is written into every session cookie at login and checked on every
    request: logout, a new password and deactivation raise it, which ends every session of the
    account at once (a copied cookie included)."""

    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str | None = Field(default=None, max_length=128)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    session_generation: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))


class LoginFailure(SQLModel, table=True):
    """One refused login, counted against the account and the client address (engine.services.login_throttle).

    ``scope`` is ``account`` or ``address``; rows older than the window are pruned as new ones come."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_scope_key_at", "scope", "key", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)
    key: str = Field(max_length=255)
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class ApiToken(SQLModel, table=True):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once.

    ``role`` is an ActorKind value (secretariat, agency, chair, vice-chair); agency tokens
    name their agency in ``agency_code``.
    """

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    role: str = Field(max_length=16)
    agency_code: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))


class Attachment(SQLModel, table=True):
    """A file sent with a report (or progress, or an explanation), stored under a random name."""

    __table_args__ = (Index("ix_attachment_assignment", "assignment_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    event_id: int | None = Field(default=None, foreign_key="event.id")
    original_name: str = Field(max_length=255)
    stored_name: str = Field(unique=True, max_length=64)
    content_type: str = Field(max_length=128)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
