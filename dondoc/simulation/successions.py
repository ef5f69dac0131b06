"""What a replay across a reorganisation shows: the work passed on, the work that waited for the
secretariat, and what the ladder did on either side of each succession date."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.models import Agency, AgencyTransfer, Notification, Succession, TransferStatus


def succession_summary(
    session: Session, *, local: LocalDays = DEFAULT_DAYS, window: tuple[date, date] | None = None
) -> dict[str, Any]:
    """The replay's reorganisation: what passed on, what waited, and the ladder on either side of
    each succession date the replay crossed (``window``: its first and last day; a date outside it,
    a later reorganisation the replay never reached, has no sides to compare: a replay ending on
    03/03/2025 had said "quanh ngày 01/07/2025 … từ ngày này 0 thư")."""
    successions = session.exec(select(Succession).order_by(col(Succession.effective_on), col(Succession.id))).all()
    codes = {a.id or 0: a.code for a in session.exec(select(Agency))}
    transfers = session.exec(select(AgencyTransfer).order_by(col(AgencyTransfer.id))).all()
    passed: Counter[tuple[str, str, str]] = Counter()
    waiting: Counter[tuple[str, str]] = Counter()
    decided = closed = 0
    for t in transfers:
        if t.status == TransferStatus.DONE:
            passed[(t.succession_key, codes[t.from_agency_id], codes.get(t.to_agency_id or 0, ""))] += 1
            decided += t.decided_by not in (None, "catalog")
        elif t.status == TransferStatus.CLOSED:  # cancelled while it waited
            closed += 1
        else:
            waiting[(t.succession_key, codes[t.from_agency_id])] += 1
    ended = {code: s.effective_on for s in successions for code in s.from_codes}
    notes = session.exec(select(Notification)).all()
    dates = sorted({s.effective_on for s in successions if window is None or window[0] < s.effective_on <= window[1]})
    ladder = []
    for day in dates:
        before = [n for n in notes if local.local_date(n.created_at) < day]
        after = [n for n in notes if local.local_date(n.created_at) >= day]
        ladder.append(
            {
                "date": day.isoformat(),
                "before": _ladder(before),
                "after": _ladder(after),
            }
        )
    to_gone = [
        n.dedupe_key
        for n in notes
        if (code := n.data.get("recipient_agency")) in ended and local.local_date(n.created_at) >= ended[code]
    ]
    return {
        "successions": len(successions),
        "transferred": [
            {"succession": k, "from": f, "to": to, "assignments": n} for (k, f, to), n in sorted(passed.items())
        ],
        "transferred_total": sum(passed.values()),
        "decided_by_secretariat": decided,
        "cancelled_while_waiting": closed,
        "waiting": [{"succession": k, "from": f, "assignments": n} for (k, f), n in sorted(waiting.items())],
        "waiting_total": sum(waiting.values()),
        "ladder": ladder,
        "mails_to_gone_bodies": len(to_gone),
    }


def _ladder(rows: list[Notification]) -> dict[str, Any]:
    secretariat = Counter(n.recipient_email for n in rows if n.recipient_role == "secretariat")
    return {
        # told to a leader: carried by a digest (a decision no longer true when it was built was not told)
        "escalations": sum(1 for n in rows if n.kind == "escalation" and n.carried_by_id is not None),
        "to_agencies": sum(1 for n in rows if n.recipient_role in ("agency", "lead", "partner")),
        "held_for_secretariat": sum(secretariat.values()),
        "secretariat_mailboxes": sorted(secretariat),
    }
