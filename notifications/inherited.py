"""The successions whose date has come, applied, and each successor mailed the work it inherited
(``inherited_work``). The jobs (the daily run, a catalog load) and the secretariat's page that records
a succession call here."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.escalation.recipients import body_mailbox
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Succession
from dondoc.engine.services.successions import (
    KIND_LABELS_VI,
    RecordedBy,
    TransferReport,
    apply_due_successions,
    given_after_end,
)
from dondoc.engine.settings import Settings
from dondoc.notifications.outbox import MailSpec, enqueue


def apply_successions(
    session: Session,
    *,
    now: datetime,
    local: LocalDays,
    settings: Settings | None,
    recorded_by: RecordedBy | None = None,
) -> TransferReport:
    """Pass the open work of the bodies whose succession date has come (idempotent); with
    ``settings``, mail each successor the list of what it inherited. ``recorded_by``: the succession
    recorded on the secretariat's page, whose events are its recorder's (successions.RecordedBy).
    Flushes only."""

    def notify(agency: Agency, assignment_ids: list[int], succession: Succession) -> None:
        if settings is None:
            return
        # each part's transfer of this succession: the body it came from (the data of record, never a name guessed)
        passed = session.exec(
            select(Assignment.id, Assignment.assigned_at, Agency.name)
            .join(AgencyTransfer, col(AgencyTransfer.assignment_id) == col(Assignment.id))
            .join(Agency, col(Agency.id) == col(AgencyTransfer.from_agency_id))
            .where(col(Assignment.id).in_(assignment_ids), AgencyTransfer.succession_key == succession.key)
        ).all()
        # the parts the body that ended was never given (given on or after its end): the mail says so of
        # each, never "đang thực hiện … giữ nguyên tình trạng" (it is also their one notice of work
        # given: successions.told_by_transfer)
        never_given = {
            str(row_id): [day.strftime("%d/%m/%Y"), name]
            for row_id, assigned_at, name in passed
            if (day := given_after_end(succession, assigned_at, local)) is not None
        }
        # in the succession's order, as its page lists them (web.routers.successions), not the database's
        names = dict(
            session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(succession.from_codes))).all()
        )
        predecessors = [names[code] for code in succession.from_codes if code in names]
        # an opening naming several bodies (a merger) leaves whose each part was unsaid: each says the body
        # that held it until now, where the successor's focal point finds its files and people; one body
        # named (a rename, an absorption) is not said again beside each part; a part never given to the
        # body says so in its own words ("Chưa giao cho …"), never "được giao trước đây"
        held_before = (
            {str(row_id): name for row_id, _, name in passed if str(row_id) not in never_given}
            if len(predecessors) > 1
            else {}
        )
        # a body with no address in the catalog: written failed, in words, where the secretariat looks
        # (notifications.outbox.insert); it had not been written, the work it took over told to nobody
        to = body_mailbox(agency.code, agency.email, agency.name)
        spec = MailSpec(
            dedupe_key=f"inherited:{succession.key}:{agency.code}:{min(assignment_ids)}",
            kind="inherited_work",
            recipient_role="agency",
            recipient_email=to.email,
            recipient_name=to.name,
            assignment_id=None,
            policy_version=None,
            held=False,
            data={
                "assignment_ids": sorted(assignment_ids),
                "recipient_agency": agency.code,
                "succession": succession.key,
                "kind_label": KIND_LABELS_VI[succession.kind],
                "predecessors": predecessors,
                "effective_on": succession.effective_on.strftime("%d/%m/%Y"),
                "source": succession.source,
            }
            | ({"never_given": never_given} if never_given else {})
            | ({"held_before": held_before} if held_before else {}),
        )
        enqueue(session, spec, now=now, settings=settings)

    return apply_due_successions(session, now=now, local=local, notify=notify, recorded_by=recorded_by)
