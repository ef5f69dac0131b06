"""assignment: one part per body, milestone and role

A body could hold one part of a milestone only. When the lead of a milestone ended and its
successor had partnered the same milestone (Sở TT&TT's lead parts passing to Sở KH&CN, which
partnered 26 of them), the successor could not take the lead: the lead part waited in "Cần phân
công lại" with nobody able to take it, or was cancelled and the milestone lost its lead. The
unique constraint is now (milestone, agency, role): the successor holds the lead part it took over
and the partner part it held (closed by the secretariat's decision, engine.services.successions).

SQLite cannot drop a table's constraint: the table is rebuilt (Alembic's batch mode keeps the
indexes, not the trigger of migration 0005 nor the planner's statistics, both made again here).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 18:10:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op
from sqlalchemy.engine import Connection

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ["milestone_id", "agency_id"]
_NEW = ["milestone_id", "agency_id", "role"]


def upgrade() -> None:
    _swap(_OLD, _NEW)


def downgrade() -> None:
    # refused by the database where a body holds two parts of one milestone: nothing is lost
    _swap(_NEW, _OLD)


def _swap(old: list[str], new: list[str]) -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    analysed = sqlite and _analysed(connection)
    with op.batch_alter_table("assignment", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.drop_constraint(_name(old), type_="unique")
        batch_op.create_unique_constraint(_name(new), new)
    if sqlite:  # the rebuilt table lost its trigger: the one of migration 0005, as it was made there
        _migration("0005_next_sweep")._create_resweep_trigger()
    if analysed:  # and its planner statistics (see 0017): gathered again where the database had them
        connection.exec_driver_sql("ANALYZE assignment")


def _analysed(connection: Connection) -> bool:
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return False
    return connection.exec_driver_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'assignment'").first() is not None


def _name(columns: list[str]) -> str:
    return op.f("uq_assignment_" + "_".join(columns))


def _migration(name: str) -> object:
    """A migration module of this directory (Alembic loads them by path: they are no package)."""
    spec = importlib.util.spec_from_file_location(f"_dondoc_migration_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
