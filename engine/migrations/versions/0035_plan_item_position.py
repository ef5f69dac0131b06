"""plan_item.position: an item's place in its plan's text

Lists ordered a plan's items by code, which misorders them: "PL.II.10" before "PL.II.2", "II.1.e"
before "II.1.đ", and a target's code is a name. The catalog load writes each item's place from now
on: its plan's rank, the latest issued first (LATEST_FIRST), × 100 000, plus its place in the plan's
text (by the line its source names: tasks_catalog.places), one column that a list of 100 walks by
index. Existing rows get the order of their ids within their plan (the order of the catalog's files
at their load) until the next load writes their places in the text, and says of a plan whose items
it reorders "xếp lại N nhiệm vụ theo thứ tự trong văn bản (nội dung không đổi)".

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    # the plan's rank, the latest issued first (engine.models.LATEST_FIRST), × 100 000 (PLAN_BLOCK), plus
    # the item's rank by id within its plan; the next catalog load writes its place in the text
    plans = connection.exec_driver_sql("SELECT id FROM plan ORDER BY issued DESC, number").scalars().all()
    ranks = {plan_id: rank for rank, plan_id in enumerate(plans, start=1)}
    places: dict[int, int] = {}
    positions = []
    for item_id, plan_id in connection.exec_driver_sql("SELECT id, plan_id FROM plan_item ORDER BY id").all():
        places[plan_id] = places.get(plan_id, 0) + 1
        positions.append({"item_id": item_id, "position": ranks[plan_id] * 100_000 + places[plan_id]})
    if positions:
        connection.execute(sa.text("UPDATE plan_item SET position = :position WHERE id = :item_id"), positions)
    op.create_index("ix_plan_item_position", "plan_item", ["position", "code"])
    # SQLite's planner takes an index it has no statistics for as a very selective one (migration 0017):
    # on a database analysed before, the desk's list at 100k assignments went from ~3 ms to ~120 ms
    if connection.dialect.name == "sqlite":
        analysed = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if analysed is not None:
            connection.exec_driver_sql("ANALYZE plan_item")


def downgrade() -> None:
    op.drop_index("ix_plan_item_position", table_name="plan_item")
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_column("position")
