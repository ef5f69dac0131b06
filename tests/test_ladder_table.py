"""The escalation ladder's facts live in one table (policy.TRIGGERS); the sweep and the
pre-send re-check both read it, and every kind of mail has an entry in the re-check's view."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.escalation import recheck
from dondoc.engine.escalation.policy import ESCALATION_KIND, MAIL_KINDS, TRIGGERS, Rule, Trigger, snooze_pauses
from dondoc.engine.models import OPEN_STATE_VALUES, OPEN_STATES, State
from dondoc.notifications.render import KINDS, REPORT_KINDS

NOW = datetime(2022, 7, 5, 8, 0, tzinfo=LOCAL_TZ)
DUE = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)


def _row(state: str, snoozed_until: datetime | None = None, waiting_since: datetime | None = None) -> Any:
    return SimpleNamespace(
        state=state,
        due_at=DUE,
        snoozed_until=snoozed_until,
        waiting_condition_since=waiting_since,
        inferred_group=None,
        membership_confirmed_at=None,
    )


def test_every_trigger_and_every_mail_kind_has_its_entry() -> None:
    assert set(TRIGGERS) == set(Trigger)
    assert set(MAIL_KINDS) == set(KINDS) | set(REPORT_KINDS)  # no template without re-check facts, and back
    assert {spec.kind for spec in TRIGGERS.values()} <= set(MAIL_KINDS)


def test_state_value_sets_match_the_enum_sets() -> None:
    assert set(OPEN_STATE_VALUES) == {s.value for s in OPEN_STATES} == {"assigned", "in_progress"}
    assert all(type(v) is str for v in OPEN_STATE_VALUES)


@pytest.mark.parametrize("trigger", [t for t in Trigger if not TRIGGERS[t].grouped])
def test_a_queued_mail_is_true_exactly_while_its_trigger_still_applies(trigger: Trigger) -> None:
    spec = TRIGGERS[trigger]
    data = {"due_at": DUE.isoformat()}
    # a countdown's mail is read before its date (:func:`test_a_reminder_before_the_date_is_not_sent_after_it`)
    at = DUE - timedelta(days=2) if spec.countdown else NOW
    for state in State:
        reason = recheck.judge(spec.kind, data, _row(state.value), at)
        assert (reason is None) == (state.value in spec.states), (trigger, state)
    inside = next(iter(spec.states))
    snoozed = recheck.judge(spec.kind, data, _row(inside, at + timedelta(days=2)), at)
    assert (snoozed is not None) == spec.snoozable  # the trigger's own kind: a body's or the secretariat's
    waiting = recheck.judge(spec.kind, data, _row(inside, waiting_since=at - timedelta(days=1)), at)
    assert (waiting is not None) == spec.snoozable and (waiting is None or "chờ điều kiện" in waiting)
    moved = recheck.judge(spec.kind, {"due_at": (DUE - timedelta(days=3)).isoformat()}, _row(inside), at)
    assert moved is not None and "Hạn đã đổi" in moved


@pytest.mark.parametrize("trigger", [t for t in Trigger if TRIGGERS[t].countdown])
def test_a_reminder_before_the_date_is_not_sent_after_it(trigger: Trigger) -> None:
    """A countdown's mail ("còn 3 ngày làm việc", "sắp đến hạn") decided before the date and sent after
    it (a failed mail sent again once the body's address is in) would say "sắp đến hạn" of a date gone:
    skipped, the reason said; before the date, and to the date's last second, it goes."""
    kind, data = TRIGGERS[trigger].kind, {"due_at": DUE.isoformat()}
    assert recheck.judge(kind, data, _row(State.IN_PROGRESS.value), DUE) is None
    assert recheck.judge(kind, data, _row(State.IN_PROGRESS.value), NOW) == (
        "Hạn 30/06/2022 đã qua: thư nhắc trước hạn không còn đúng."
    )
    # the leaders' and the overdue mails are not countdowns
    assert recheck.judge(TRIGGERS[Trigger.OVERDUE].kind, data, _row(State.IN_PROGRESS.value), NOW) is None


def test_leaders_hear_of_overdue_work_as_escalations_with_the_overdue_facts() -> None:
    rule = Rule(name="qua-han-3", trigger=Trigger.OVERDUE, working_days=3, to=("agency", "vice-chair", "chair"))
    assert [rule.kind_for(r) for r in rule.to] == ["overdue", ESCALATION_KIND, ESCALATION_KIND]
    escalation, overdue = MAIL_KINDS[ESCALATION_KIND], MAIL_KINDS[TRIGGERS[Trigger.OVERDUE].kind]
    # not snoozed; skipped while the leaders are kept from the part (policy.withheld_why)
    assert escalation == replace(overdue, snoozable=False, needs_told=True)
    assert recheck.judge(ESCALATION_KIND, {}, _row(State.REPORTED.value), NOW) is not None
    # a snooze pauses the body's reminders, not what the leaders are told; an unmet precondition
    # (work not overdue at all) holds both
    snoozed = _row(State.IN_PROGRESS.value, NOW + timedelta(days=2))
    assert recheck.judge(ESCALATION_KIND, {}, snoozed, NOW) is None
    assert recheck.judge(TRIGGERS[Trigger.OVERDUE].kind, {}, snoozed, NOW) is not None
    assert [snooze_pauses(Trigger.OVERDUE, r) for r in rule.to] == [True, False, False]
    waiting = _row(State.IN_PROGRESS.value, waiting_since=NOW - timedelta(days=1))
    assert recheck.judge(ESCALATION_KIND, {}, waiting, NOW) is not None
    assert recheck.judge(TRIGGERS[Trigger.OVERDUE].kind, {}, waiting, NOW) is not None


@pytest.mark.parametrize("kind", ["new_assignment", "digest_leader", "digest_secretariat", "periodic_report"])
def test_mails_about_no_single_assignment_are_never_skipped(kind: str) -> None:
    assert recheck.judge(kind, {}, _row(State.CANCELLED.value, NOW + timedelta(days=1)), NOW) is None
