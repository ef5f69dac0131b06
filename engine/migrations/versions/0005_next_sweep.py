"""next_sweep: each assignment knows when the sweep must look at it again

The sweep used to re-read every row near a rung on every pass; now it reads only rows whose
``next_sweep_at`` has come. A trigger on both backends resets ``next_sweep_at`` to RESWEEP
whenever a row's state, dates, role, agency, milestone or version change, whoever writes it,
so no change can hide a row from the sweep. Existing rows start at RESWEEP.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import dondoc.engine.models.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A change to any of these columns means the row's ladder must be looked at again.
# engine.models.assignments.RESWEEP as each backend stores it.
_RESWEEP_SQLITE = "1970-01-01 00:00:00.000000"
_RESWEEP_POSTGRES = "1970-01-01 00:00:00+00"

WATCHED = ("version", "state", "due_at", "assigned_at", "reported_at", "snoozed_until", "role", "agency_id", "milestone_id")


def upgrade() -> None:
    # Columns are added NOT NULL with a server default, so SQLite need not rebuild the tables
    # (a rebuild of assignment would trip the foreign keys of event and notification rows).
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "sweep_run",
        sa.Column("calendar_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=""),
    )
    op.add_column(
        "assignment",
        sa.Column(
            "next_sweep_at", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=False,
            server_default=_RESWEEP_SQLITE if sqlite else _RESWEEP_POSTGRES,
        ),
    )
    op.create_index("ix_assignment_next_sweep", "assignment", ["next_sweep_at", "id"], unique=False)
    _create_resweep_trigger()


def downgrade() -> None:
    _drop_resweep_trigger()
    op.drop_index("ix_assignment_next_sweep", table_name="assignment")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("next_sweep_at")
    with op.batch_alter_table("sweep_run", schema=None) as batch_op:
        batch_op.drop_column("calendar_version")


def _create_resweep_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in WATCHED)
        op.execute(
            "CREATE FUNCTION dondoc_assignment_resweep() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {changed} THEN NEW.next_sweep_at := '{_RESWEEP_POSTGRES}'; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER assignment_resweep BEFORE UPDATE ON assignment "
            "FOR EACH ROW EXECUTE FUNCTION dondoc_assignment_resweep()"
        )
        return
    # SQLite stores AwareDateTime as UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'. The trigger's own
    # UPDATE sets only next_sweep_at, which is not watched, so it does not fire again.
    op.execute(
        f"CREATE TRIGGER assignment_resweep AFTER UPDATE OF {', '.join(WATCHED)} ON assignment FOR EACH ROW "
        f"BEGIN UPDATE assignment SET next_sweep_at = '{_RESWEEP_SQLITE}' WHERE id = NEW.id; END"
    )


def _drop_resweep_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS assignment_resweep ON assignment")
        op.execute("DROP FUNCTION IF EXISTS dondoc_assignment_resweep()")
        return
    op.execute("DROP TRIGGER IF EXISTS assignment_resweep")
