"""The successions whose date has come, applied, and each successor mailed the work it inherited
(``inherited_work``). The jobs (the daily run, a catalog load) and the secretariat's page that records
a succession call here."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.models import Agency, Succession
from dondoc.engine.services.successions import KIND_LABELS_VI, TransferReport, apply_due_successions
from dondoc.engine.settings import Settings
from dondoc.notifications.outbox import MailSpec, enqueue


def apply_successions(
    session: Session, *, now: datetime, local: LocalDays, settings: Settings | None
) -> TransferReport:
    """Pass the open work of the bodies whose succession date has come (idempotent); with
    ``settings``, mail each successor the list of what it inherited. Flushes only."""

    def notify(agency: Agency, assignment_ids: list[int], succession: Succession) -> None:
        if settings is None or not agency.email:
            return
        spec = MailSpec(
            dedupe_key=f"inherited:{succession.key}:{agency.code}:{min(assignment_ids)}",
            kind="inherited_work",
            recipient_role="agency",
            recipient_email=agency.email,
            recipient_name=agency.name,
            assignment_id=None,
            policy_version=None,
            held=False,
            data={
                "assignment_ids": sorted(assignment_ids),
                "recipient_agency": agency.code,
                "succession": succession.key,
                "kind_label": KIND_LABELS_VI[succession.kind],
                "predecessors": [
                    a.name for a in session.exec(select(Agency).where(col(Agency.code).in_(succession.from_codes)))
                ],
                "effective_on": succession.effective_on.strftime("%d/%m/%Y"),
                "source": succession.source,
            },
        )
        enqueue(session, spec, now=now, settings=settings)

    return apply_due_successions(session, now=now, local=local, notify=notify)
