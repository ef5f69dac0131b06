"""``dondoc simulate``: the acceptance replay of issue 6, run as an operator would.

The replay runs the installed ``dondoc`` script in a subprocess: it is the smoke test of the
``simulate`` command (tests/test_cli_entry_point.py has those of the other groups).
"""

from __future__ import annotations

import json

import pytest

from dondoc.engine.db import make_engine
from tests.support.cli import dondoc, dondoc_process, ok

pytestmark = pytest.mark.slow  # seven months of a province

II_2_D = "117/KH-UBND:II.2.d"


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("simulate")
    url = f"sqlite:///{folder / 'replay.db'}"
    # Seven months of a province (4,691 assignments): about 3 minutes on 2 cores.
    env = {"DONDOC_MAILDROP_DIR": str(folder / "maildrop")}
    args = ["simulate", "--from", "2022-06-01", "--to", "2022-12-31", "--json"]
    out = ok(dondoc_process(url, *args, env=env, timeout=900))
    return url, json.loads(out)


def test_ii_2_d_escalates_to_the_chair_after_each_milestone(replay: tuple[str, dict]) -> None:
    _, result = replay
    chair = [e for e in result["escalations"] if e["item"] == II_2_D and e["to"] == "chair"]
    first = [e for e in chair if e["milestone"] == 1]
    second = [e for e in chair if e["milestone"] == 2]
    assert first and all(e["date"] > "2022-06-30" for e in first)
    assert second and all(e["date"] > "2022-11-15" for e in second)
    # Never for an agency that reported in time.
    assert not [e for e in chair if e["reported"] and e["reported"] <= e["due"]]
    # The standing vice-chair heard of each before the chair did.
    vice = {
        (e["milestone"], e["agency"]): e["date"]
        for e in result["escalations"]
        if e["item"] == II_2_D and e["to"] == "vice-chair"
    }
    assert all(vice[(e["milestone"], e["agency"])] <= e["date"] for e in chair)


def test_nothing_twice_and_everything_accounted_for(replay: tuple[str, dict]) -> None:
    _, result = replay
    assert result["duplicates"] == {"same_dedupe_key": 0, "same_decision": 0, "same_message_delivered": 0}
    # The seeded behaviour goes through: only its deliberate slips (about one indicator value in
    # thirty) are refused, not the agencies' actions (a history that refused them would be a
    # replay of nobody acting).
    assert result["refused_actions"] <= result["actions"]["indicator_actual"] // 10
    # none of the steps: a step drawn for work the body did under another document (the same work,
    # engine.services.same_work: 117/KH-UBND II.4.c and 1834/UBND-KGVX 2's radio) is skipped, counted apart
    assert result["refused_by"]["step"] == 0 and result["refused_by"]["decision"] == 0
    assert result["refused_by"]["indicator_actual"] == result["refused_actions"]
    assert result["skipped_same_work"] > 0
    statuses = result["notifications"]["by_status"]
    assert statuses.get("pending", 0) == 0 and statuses.get("failed", 0) == 0
    assert statuses["sent"] == result["delivered"]
    assert result["notifications"]["by_kind"]["digest_leader→chair"] <= 214  # one a day at most
    counts = result["final_counts"]
    assert counts["hoan_thanh_dung_han"] > counts["hoan_thanh_qua_han"] > 0
    assert counts["dang_thuc_hien_qua_han"] > 0 and counts["cho_dieu_kien"] > 0


def test_a_database_with_data_is_refused_without_reset(replay: tuple[str, dict]) -> None:
    url, _ = replay
    refused = dondoc(url, "simulate", "--from", "2022-06-01", "--to", "2022-06-02")
    assert refused.returncode == 1 and "--reset" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_the_replay_is_left_for_the_board(replay: tuple[str, dict]) -> None:
    url, _ = replay
    status = json.loads(ok(dondoc(url, "status", "--json", now="2022-12-31T23:00")))
    assert status["rows"][0]["total"] > 3000


def _rows(url: str, *statements: str) -> list[list[tuple[object, ...]]]:
    """The rows of each statement, read on the replayed database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [[tuple(row) for row in connection.exec_driver_sql(sql)] for sql in statements]
    finally:
        engine.dispose()


def test_no_reminder_of_an_acknowledgement_goes_out_after_it(replay: tuple[str, dict]) -> None:
    """The replay takes each of a day's steps before the job that comes after it: an agency that
    acknowledged at 08:02 is not sent the morning sweep's "chưa tiếp nhận" at 08:05 (delivery
    rechecks it and drops it), and history holds no step stamped before a mail it came after."""
    stale, sent = _rows(
        replay[0],
        "SELECT n.id FROM notification n JOIN event e ON e.assignment_id = n.assignment_id "
        "WHERE n.kind = 'unacknowledged' AND n.status = 'sent' AND e.action = 'acknowledge' AND e.at <= n.sent_at",
        "SELECT count(*) FROM notification WHERE kind = 'unacknowledged' AND status = 'sent'",
    )
    assert sent[0][0] > 0 and stale == []  # type: ignore[operator]


def test_the_days_escalations_are_in_that_days_digest(replay: tuple[str, dict]) -> None:
    """The replay sweeps at 07:05, before the 07:30 digests, as the scheduler's hourly pass does:
    an escalation decided on a day is told in that day's digest, not the next (with the sweep at
    08:00, 106 of the 136 escalations of 01/06–14/10 came a day late)."""
    late, escalations = _rows(
        replay[0],
        "SELECT e.id FROM notification e JOIN notification d ON d.kind = 'digest_leader' "
        "AND d.recipient_role = e.recipient_role AND substr(d.created_at, 1, 10) = substr(e.created_at, 1, 10) "
        "WHERE e.kind = 'escalation' AND e.created_at > d.created_at",
        "SELECT count(*) FROM notification WHERE kind = 'escalation'",
    )
    assert escalations[0][0] > 0 and late == []  # type: ignore[operator]
