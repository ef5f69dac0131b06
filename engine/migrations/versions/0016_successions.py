"""successions of agencies, transfers of open work, and a dated committee roster

``succession`` holds the catalog's successions (tasks_catalog/successions.yaml); ``agency_transfer``
records each assignment passed to a successor, or waiting in the secretariat's queue "Cần phân công
lại"; ``committee_member`` gets the period a seat is held.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dondoc.engine.models.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    aware = dondoc.engine.models.types.AwareDateTime(timezone=True)
    op.create_table(
        "succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("from_codes", sa.JSON(), nullable=False),
        sa.Column("successors", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", aware, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_succession")),
    )
    op.create_index(op.f("ix_succession_key"), "succession", ["key"], unique=True)
    op.create_table(
        "agency_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("succession_key", sa.String(length=64), nullable=False),
        sa.Column("from_agency_id", sa.Integer(), nullable=False),
        sa.Column("to_agency_id", sa.Integer(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", aware, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", aware, nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignment.id"], name=op.f("fk_agency_transfer_assignment_id_assignment")
        ),
        sa.ForeignKeyConstraint(["from_agency_id"], ["agency.id"], name=op.f("fk_agency_transfer_from_agency_id_agency")),
        sa.ForeignKeyConstraint(["to_agency_id"], ["agency.id"], name=op.f("fk_agency_transfer_to_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_transfer")),
    )
    op.create_index(op.f("ix_agency_transfer_assignment_id"), "agency_transfer", ["assignment_id"])
    op.create_index("ix_agency_transfer_status", "agency_transfer", ["status", "assignment_id"])
    op.add_column("committee_member", sa.Column("valid_from", sa.Date(), nullable=True))
    op.add_column("committee_member", sa.Column("valid_to", sa.Date(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE committee_member DROP COLUMN valid_to")
    op.execute("ALTER TABLE committee_member DROP COLUMN valid_from")
    op.drop_index("ix_agency_transfer_status", table_name="agency_transfer")
    op.drop_index(op.f("ix_agency_transfer_assignment_id"), table_name="agency_transfer")
    op.drop_table("agency_transfer")
    op.drop_index(op.f("ix_succession_key"), table_name="succession")
    op.drop_table("succession")
