"""A body that a succession created and a later one ended is not told of work it can no longer take.

Văn phòng UBND tỉnh was renamed on 01/08/2022 and the renamed body merged into Sở Hợp nhất on
01/09/2022; both were applied in one pass on 05/09 (the successions loaded late, or the daily job
not run for those weeks). The pass handed the old office's open work to the renamed body, then on
to Sở Hợp nhất; both were mailed "Tiếp nhận nhiệm vụ … Quý cơ quan tiếp nhận …", the renamed body
on 05/09, when it had not existed since 31/08: a mail asking a body that is no more to act. Now
only the body that holds the work at the end of the pass hears of it, once; and the old office's
link names that body, not the renamed one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import TERMINAL_STATE_VALUES, Agency, Assignment, Notification
from dondoc.engine.services.successions import AgencySucceeded, refuse_if_succeeded
from dondoc.engine.settings import Settings
from dondoc.notifications.inherited import apply_successions
from tests.support.successions import at, load, succession_catalog, successions_yaml

CHAIN = successions_yaml("rename", on="2022-08-01") + successions_yaml(
    "merge", "from: [vp-ubnd-moi]\n    to: [{agency: so-moi}]", on="2022-09-01", key="test-chain-merge"
).removeprefix("successions:\n")


def test_only_the_last_successor_of_a_chain_applied_at_once_is_told(session: Session, tmp_path: Path) -> None:
    load(session, succession_catalog(tmp_path, CHAIN), at("2022-03-02"))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    report = apply_successions(session, now=at("2022-09-05", 9), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    assert report.late == ["test-rename", "test-chain-merge"]  # both passed in this one pass
    told = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
    assert [n.recipient_email for n in told] == ["so-moi@dondoc.example"], [n.recipient_email for n in told]
    holder = session.exec(select(Agency.id).where(Agency.code == "so-moi")).one()
    open_work = session.exec(
        select(Assignment.id).where(Assignment.agency_id == holder, col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
    ).all()
    assert open_work and sorted(told[0].data["assignment_ids"]) == sorted(open_work)
    assert told[0].data["predecessors"] == ["Văn phòng UBND tỉnh (tên mới)"]


def test_an_old_link_names_the_body_that_holds_the_work_today(session: Session, tmp_path: Path) -> None:
    """The old link of Văn phòng UBND tỉnh had named the renamed body after it had merged into Sở
    Hợp nhất ("công việc đang thực hiện đã chuyển cho Văn phòng UBND tỉnh (tên mới)"). Before the pass
    nothing was handed on: the page names the successor of that day and says no part was passed; after
    it, the parts are counted under the body holding them at the end of the chain."""
    load(session, succession_catalog(tmp_path, CHAIN), at("2022-03-02"))
    old = session.exec(select(Agency).where(Agency.code == "vp-ubnd")).one()

    def said(now: datetime) -> str:
        with pytest.raises(AgencySucceeded) as refused:
            refuse_if_succeeded(session, old, now, DEFAULT_DAYS)
        text = str(refused.value)
        assert text.startswith("Văn phòng UBND tỉnh không còn từ ngày 01/08/2022 (đổi tên)"), text
        return text

    for day, holder in (("2022-08-15", "Văn phòng UBND tỉnh (tên mới)"), ("2022-09-05", "Sở Hợp nhất")):
        assert f"cơ quan kế nhiệm: {holder}; chưa có phần việc nào được chuyển. Căn cứ:" in said(at(day)), said(at(day))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    apply_successions(session, now=at("2022-09-05", 9), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    holder = session.exec(select(Agency.id).where(Agency.code == "so-moi")).one()
    passed = len(
        session.exec(
            select(Assignment.id).where(
                Assignment.agency_id == holder, col(Assignment.state).not_in(TERMINAL_STATE_VALUES)
            )
        ).all()
    )
    text = said(at("2022-09-05", 10))
    assert f"công việc chưa hoàn thành khi đó: {passed} phần việc đã chuyển cho Sở Hợp nhất. Căn cứ:" in text, text
    assert "tên mới" not in text, text


def test_a_merger_names_the_bodies_that_ended_in_the_successions_order(session: Session, tmp_path: Path) -> None:
    """The successor's mail opens "Từ ngày …, A, B không còn …": the bodies in the order the
    succession gives them, as its page lists them, not in whatever order the database returned
    them (here the directory lists Sở Nội vụ first, the succession Văn phòng UBND tỉnh)."""
    merger = successions_yaml("merge", "from: [vp-ubnd, so-noi-vu]\n    to: [{agency: so-moi}]", on="2022-08-01")
    load(session, succession_catalog(tmp_path, merger), at("2022-03-02"))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    apply_successions(session, now=at("2022-08-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    told = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
    assert told and all(n.data["predecessors"] == ["Văn phòng UBND tỉnh", "Sở Nội vụ"] for n in told)
    assert "Từ ngày 01/08/2022, Văn phòng UBND tỉnh, Sở Nội vụ không còn" in told[0].body_text, told[0].body_text
