"""one spelling of the standing vice-chair: vice-chair

The standing vice-chair (Phó Trưởng ban Thường trực) was stored as ``standing_vice_chair`` in
the committee roster and as ``vice_chair`` in the outbox (``notification.recipient_role`` and
inside dedupe keys), while API tokens, link subjects and the history already said
``vice-chair``. Every stored value now says ``vice-chair`` (dondoc.engine.actors).

Dedupe keys are rewritten exactly as new keys are built (``qua-han-3:<id>:<day>:vice-chair:vice-chair``,
``digest:vice-chair:<day>``, ``periodic_report:<period>:vice-chair``): a sweep after this
revision finds every rung already decided under the older spelling and decides none of them
again. The stored MIME of a rewritten row not yet sent carries the old key (a header and the
part boundary) and is dropped: delivery renders it from the row, as for rows queued before 0006.

A link or token made by hand with an older spelling is renamed too (when nothing of the one
spelling is there already); the code still reads such a signed link (engine.actors.fold).
Data only: the schema does not change. The downgrade restores the older spellings of the
roster and the outbox; tokens and links keep ``vice-chair``, as they had before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE = "vice-chair"
ROSTER_BEFORE = "standing_vice_chair"  # committee_member.role before this revision
OUTBOX_BEFORE = "vice_chair"  # notification.recipient_role and dedupe keys before this revision
BEFORE = (OUTBOX_BEFORE, ROSTER_BEFORE)
UNSENT = ("pending", "held", "failed")  # statuses whose row may still be mailed

notification = sa.table(
    "notification",
    sa.column("id", sa.Integer),
    sa.column("dedupe_key", sa.String),
    sa.column("recipient_role", sa.String),
    sa.column("status", sa.String),
    sa.column("mime", sa.LargeBinary),
)
committee_member = sa.table("committee_member", sa.column("role", sa.String))
api_token = sa.table("api_token", sa.column("role", sa.String))
access_grant = sa.table("access_grant", sa.column("subject", sa.String))


def respell(key: str, before: Sequence[str], after: str) -> str:
    """``key`` with each ``:``-part after the first that is in ``before`` replaced by ``after``.

    The first part is the rule's name (or ``digest`` / ``periodic_report``); the role appears
    only in later parts, whole (a rule name, a day, an id or a period never equals a role)."""
    head, *rest = key.split(":")
    return ":".join([head, *(after if part in before else part for part in rest)])


def _outbox(role_before: Sequence[str], role_after: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(notification.c.id, notification.c.dedupe_key, notification.c.status).where(
            notification.c.recipient_role.in_(role_before)
        )
    ).all()
    changes = [
        {
            "row_id": row.id,
            "new_key": respell(row.dedupe_key, role_before, role_after),
            "unsent": row.status in UNSENT,
        }
        for row in rows
    ]
    statement = (
        sa.update(notification)
        .where(notification.c.id == sa.bindparam("row_id"))
        .values(recipient_role=role_after, dedupe_key=sa.bindparam("new_key"))
    )
    kept = [{"row_id": c["row_id"], "new_key": c["new_key"]} for c in changes if not c["unsent"]]
    dropped = [{"row_id": c["row_id"], "new_key": c["new_key"]} for c in changes if c["unsent"]]
    if kept:
        bind.execute(statement, kept)
    if dropped:
        bind.execute(statement.values(mime=None), dropped)


def _rename(table: sa.TableClause, column: str, before: Sequence[str], after: str) -> None:
    """Rename values in one column, unless ``after`` is there already (a unique column)."""
    target = table.c[column]
    if op.get_bind().execute(sa.select(sa.func.count()).where(target == after)).scalar_one():
        return
    op.get_bind().execute(sa.update(table).where(target.in_(before)).values({column: after}))


def upgrade() -> None:
    _outbox(BEFORE, ONE)
    op.get_bind().execute(
        sa.update(committee_member).where(committee_member.c.role.in_(BEFORE)).values(role=ONE)
    )
    op.get_bind().execute(sa.update(api_token).where(api_token.c.role.in_(BEFORE)).values(role=ONE))
    _rename(access_grant, "subject", [f"leader:{name}" for name in BEFORE], f"leader:{ONE}")


def downgrade() -> None:
    _outbox([ONE], OUTBOX_BEFORE)
    op.get_bind().execute(
        sa.update(committee_member).where(committee_member.c.role == ONE).values(role=ROSTER_BEFORE)
    )
