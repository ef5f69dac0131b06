"""agency_transfer: the done transfers by their date

A page at a past instant names and counts each part under the body that held it then: the
transfers done after that day (engine.services.transfer_origins.held_then). With only
``(status, assignment_id)`` to read them by, every statement that asked it read every done transfer,
at today's date too, when none is later: with 2,500 done transfers (the catalog's reorganisations
queue 2,325 and pass 236), 0.61 ms a statement, several a board. By ``(status, effective_on)`` it is
a range, empty at today's date: 0.06 ms.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["status", "effective_on", "assignment_id", "from_agency_id"]


def upgrade() -> None:
    op.create_index("ix_agency_transfer_done_on", "agency_transfer", _COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_agency_transfer_done_on", table_name="agency_transfer")
