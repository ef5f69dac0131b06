"""login hardening: user_account.session_generation, login_failure

``session_generation`` (every session cookie carries it; logout, a new password and
deactivation raise it) and the refused logins that throttle an account and a client address.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import dondoc.engine.models.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user_account", sa.Column("session_generation", sa.Integer(), nullable=False, server_default="1")
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("at", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index("ix_login_failure_scope_key_at", "login_failure", ["scope", "key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failure_scope_key_at", table_name="login_failure")
    op.drop_table("login_failure")
    op.execute("ALTER TABLE user_account DROP COLUMN session_generation")  # both backends (SQLite ≥ 3.35)
