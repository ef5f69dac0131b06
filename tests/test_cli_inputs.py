"""What the command line takes, refused as the web refuses it: an id past the databases'
INTEGER is one line, not a traceback; a step's comment is held to the forms' rule by the engine."""

from __future__ import annotations

import json

import pytest

from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok, one_line_error

ITEM = "99/KH-TEST:II.1"


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "0"])
def test_an_id_out_of_range_is_one_line(db_url: str, value: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    one_line_error(dondoc(db_url, "assignments", "show", value), "'assignment_id'")
    act = ["assignments", "act", value, "verify", "--as", "secretariat"]
    one_line_error(dondoc(db_url, *act, now="2022-07-15T09:00"), "'assignment_id'")
    one_line_error(dondoc(db_url, "tokens", "revoke", value), "'token_id'")


def test_a_comment_the_forms_refuse_is_refused_on_the_command_line(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = str(next(r["id"] for r in rows if r["item_code"] == ITEM and r["milestone_seq"] == 1))
    for comment, said in (("a\x01b", "chứa ký tự điều khiển không được phép (mã 0x01)"), ("z" * 4001, "quá 4000")):
        act = ["assignments", "act", target, "cancel", "--as", "secretariat", "--comment", comment]
        one_line_error(dondoc(db_url, *act, now="2022-07-15T09:00"), said)
    shown = json.loads(ok(dondoc(db_url, "assignments", "show", target, "--json", now="2022-07-15T10:00")))
    assert shown["state"] == "assigned"
