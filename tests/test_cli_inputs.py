"""What the command line takes, refused as the web refuses it: an id past the databases'
INTEGER is one line, not a traceback; a step's comment is held to the forms' rule by the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from dondoc.engine.db import make_engine
from dondoc.engine.models import Notification
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, invoke, ok, one_line_error

ITEM = "99/KH-TEST:II.1"


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "0"])
def test_an_id_out_of_range_is_one_line(db_url: str, value: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    one_line_error(dondoc(db_url, "assignments", "show", value), "'assignment_id'")
    act = ["assignments", "act", value, "verify", "--as", "secretariat"]
    one_line_error(dondoc(db_url, *act, now="2022-07-15T09:00"), "'assignment_id'")
    one_line_error(dondoc(db_url, "tokens", "revoke", value), "'token_id'")


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648"])
def test_a_mail_number_or_a_limit_past_the_database_integer_is_one_line(db_url: str, value: str) -> None:
    """`outbox resend|dismiss` with a number past what the database's INTEGER holds, and `assignments
    list --limit` past it, ended in a traceback (OverflowError on SQLite; on PostgreSQL an 11-digit mail
    number is out of range too); each is one line naming the argument, nothing written."""
    ok(dondoc(db_url, "db", "upgrade"))
    one_line_error(dondoc(db_url, "outbox", "resend", "1", value), "'ids'")
    one_line_error(dondoc(db_url, "outbox", "dismiss", value, "--reason", "đã gọi điện"), "'ids'")
    one_line_error(dondoc(db_url, "assignments", "list", "--limit", value), "'--limit'")


def test_an_empty_now_is_refused_not_read_as_the_real_clock(db_url: str) -> None:
    """`dondoc --now "$DAY" sweep` with DAY unset ran at the real clock: a replay script's sweep
    decided and queued mails for today instead of the day it meant. An empty --now is one line."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    before = _mails(db_url)
    for args in (["status"], ["sweep"]):
        one_line_error(invoke(["--now", "", *args], env={"DONDOC_DATABASE_URL": db_url}), '"" không phải một ngày')
    assert _mails(db_url) == before  # no sweep at the real clock


def _mails(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Notification)).one()
    finally:
        engine.dispose()


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


def test_a_reversed_window_wipes_nothing(db_url: str, tmp_path: Path) -> None:
    """`simulate --reset` with --to before --from wiped the database and the mail drop, then said so."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_text("kept", encoding="utf-8")
    env = {"DONDOC_MAILDROP_DIR": str(drop), "DONDOC_CATALOG_DIR": str(MIN_CATALOG)}
    wiped = dondoc(db_url, "simulate", "--from", "2022-07-15", "--to", "2022-06-01", "--reset", env=env)
    one_line_error(wiped, "--to 01/06/2022 trước --from 15/07/2022")
    assert (drop / "1.eml").exists()
    listed = json.loads(ok(dondoc(db_url, "assignments", "list", "--json", now="2022-03-02")))
    assert len(listed) > 0


def test_moving_the_tracking_start_says_how_much_work_it_changes(db_url: str) -> None:
    """`init --tracking-start` on a database that had one moved it and printed only the new day:
    work due in between was chased from the next sweep (up to the chair), or no longer, untold."""
    env = {
        "DONDOC_SECRET_KEY": "x" * 40,
        "DONDOC_BASE_URL": "http://127.0.0.1:8000",
        "DONDOC_CATALOG_DIR": str(MIN_CATALOG),
    }
    first = ok(dondoc(db_url, "init", "--tracking-start", "2022-07-01", now="2022-07-15", env=env))
    assert "Ngày bắt đầu theo dõi: 01/07/2022" in first and "trước đây" not in first
    listed = json.loads(ok(dondoc(db_url, "assignments", "list", "--json", now="2022-07-15")))
    between = [a for a in listed if a["due_at"] and "2022-03-15" <= a["due_at"][:10] < "2022-07-01"]
    assert between  # the milestones due 30/06/2022
    earlier = ok(dondoc(db_url, "init", "--tracking-start", "2022-03-15", now="2022-07-15", env=env))
    assert f"(trước đây: 01/07/2022; {len(between)} phần việc chưa hoàn thành nay được theo dõi:" in earlier, earlier
    later = ok(dondoc(db_url, "init", "--tracking-start", "2022-07-01", now="2022-07-15", env=env))
    assert f"(trước đây: 15/03/2022; {len(between)} phần việc chưa hoàn thành nay có hạn trước" in later, later
    same = ok(dondoc(db_url, "init", now="2022-07-15", env=env))  # no day given: the one set stays, unsaid
    assert "Ngày bắt đầu theo dõi: 01/07/2022" in same and "trước đây" not in same


def test_bad_options_are_one_line_before_anything_is_written(db_url: str, tmp_path: Path) -> None:
    """A port past 65535 was a traceback; a negative link lifetime printed an expired link; a bad
    tracking start came after the schema and the catalog were written; a missing local catalog
    folder was taken as none."""
    one_line_error(dondoc(db_url, "serve", "--port", "99999"), "--port")
    env = {"DONDOC_SECRET_KEY": "x" * 40, "DONDOC_BASE_URL": "http://127.0.0.1:8000"}
    one_line_error(dondoc(db_url, "links", "issue", "so-khcn", "--days", "-3", env=env), "--days")
    one_line_error(dondoc(db_url, "init", "--tracking-start", "2022-02-30"), "--tracking-start")
    # nor is a database left migrated with no catalog when the address or the key is missing
    fresh = tmp_path / "moi.db"
    no_address, no_key = {"DONDOC_SECRET_KEY": "x" * 40}, {"DONDOC_BASE_URL": "http://x"}
    one_line_error(dondoc(f"sqlite:///{fresh}", "init", env=no_address), "DONDOC_BASE_URL chưa được đặt")
    one_line_error(dondoc(f"sqlite:///{fresh}", "init", env=no_key), "DONDOC_SECRET_KEY vẫn là")
    assert not fresh.exists()
    ok(dondoc(db_url, "db", "upgrade"))
    assert json.loads(ok(dondoc(db_url, "assignments", "list", "--json"))) == []  # the catalog was not loaded
    missing = str(tmp_path / "khong-co")
    one_line_error(dondoc(db_url, "catalog", "load", "--local-dir", missing, now="2022-03-02"), "khong-co")


def test_an_indicators_note_is_held_to_the_same_rule(db_url: str) -> None:
    """`indicators report --note` stored a control character the forms refuse."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    listed = json.loads(
        ok(dondoc(db_url, "indicators", "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-20"))
    )
    report = ["indicators", "report", str(listed[0]["indicator_id"]), "--agency", "ubnd-binh-son"]
    report += ["--period", "2022-H1", "--value", "72.5", "--note", "a\x01b"]
    one_line_error(dondoc(db_url, *report, now="2022-06-20"), "Ghi chú chứa ký tự điều khiển không được phép (mã 0x01)")
    again = json.loads(
        ok(dondoc(db_url, "indicators", "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-20"))
    )
    assert again[0]["history"] == []


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["assignments", "show", "abc"],
            "giá trị không hợp lệ cho 'assignment_id': cần một số nguyên, nhận được \"abc\"",
        ),
        (["sweep", "--bogus"], "không có tùy chọn --bogus"),
        (["bogus"], "không có lệnh 'bogus'"),
        (["user", "add"], "không có lệnh 'user' (có phải: 'users', 'serve'?)"),  # typer's hint was English
        (["links", "issue"], "thiếu đối số 'who'"),
        (["serve", "--port"], "tùy chọn '--port' cần một giá trị"),
        (["serve", "--port", "99999"], "'--port': phải nhỏ hơn hoặc bằng 65535"),
        (["assignments", "show", "1", "2"], "thừa đối số: 2"),
        (["catalog", "load", "--dir", "no-such-folder"], "'no-such-folder' không tồn tại"),
    ],
)
def test_usage_errors_are_said_in_vietnamese(db_url: str, argv: list[str], said: str) -> None:
    """Typer's own refusals (an unknown option or command, a missing or mistyped value) were in English."""
    one_line_error(dondoc(db_url, *argv), said)


def test_a_file_that_cannot_be_written_or_read_is_one_line(db_url: str, tmp_path: Path) -> None:
    """A report written to a folder, a catalog file holding a control character, a damaged PDF: each
    was a traceback (the PDF's after its one line)."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    written = dondoc(db_url, "report", "--period", "2022", "--format", "md", "-o", str(tmp_path), now="2022-07-01")
    one_line_error(written, "không đọc hoặc ghi được")
    local = tmp_path / "local" / "plans"
    local.mkdir(parents=True)
    (local / "x.yaml").write_bytes(b'number: "X\x01"\n')
    checked = dondoc(db_url, "catalog", "validate", "--dir", str(MIN_CATALOG), "--local-dir", str(tmp_path / "local"))
    assert checked.returncode != 0 and "Traceback" not in checked.stderr and "x.yaml" in checked.stdout + checked.stderr
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4 garbage")
    one_line_error(dondoc(db_url, "import", str(fake)), "không phải tệp PDF đọc được")


def test_accounts_and_tokens_are_held_to_the_forms_rule(db_url: str) -> None:
    """An account named with a control character could never log in (the form refuses it); a token
    named "" or with 100,000 characters was created; "Không tìm thấy account nope." was half English."""
    ok(dondoc(db_url, "db", "upgrade"))
    added = dondoc(db_url, "users", "add", "a\x01b", "--password-stdin", stdin="mat-khau-dai-du-12345\n")
    one_line_error(added, "tên đăng nhập chứa ký tự điều khiển không được phép")
    for name, said in (("", "không được để trống"), ("x" * 100_000, "dài quá 128 ký tự")):
        one_line_error(dondoc(db_url, "tokens", "create", name, "--role", "secretariat"), said)
    one_line_error(
        dondoc(db_url, "users", "passwd", "nope", "--password-stdin", stdin="mat-khau-dai-du-12345\n"),
        "Không tìm thấy tài khoản nope",
    )


# Every whole-number option and argument of the command line, with what it takes beside the number.
WHOLE_NUMBERS = [
    (["assignments", "act", "1", "progress", "--as", "ubnd-binh-son", "--percent"], "'--percent'"),
    (
        ["assignments", "act", "1", "extend", "--as", "secretariat", "--due", "2022-09-30", "--expect-version"],
        "'--expect-version'",
    ),
    (["assignments", "list", "--limit"], "'--limit'"),
    (["assignments", "show"], "'assignment_id'"),
    (["outbox", "resend"], "'ids'"),
    (["links", "issue", "ubnd-binh-son", "--days"], "'--days'"),
    (["simulate", "--from", "2022-03-01", "--to", "2022-03-02", "--seed"], "'--seed'"),
    (["serve", "--port"], "'--port'"),
]


@pytest.mark.parametrize(("argv", "name"), WHOLE_NUMBERS)
@pytest.mark.parametrize("typed", ["1_0", "٣", "10.0", "1e1"])
def test_a_whole_number_is_ascii_digits_as_on_the_forms(db_url: str, argv: list[str], name: str, typed: str) -> None:
    """A whole number typed on the command line is held to the forms' rule (engine.numerals): Typer
    read "1_0" as 10 and "10.0" as 10 (--percent 1_0 recorded 10 %). One line naming the option, in
    the words a word where a number was expected gets, nothing written."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    before = ok(dondoc(db_url, "assignments", "show", "1", "--json"))
    said = f'giá trị không hợp lệ cho {name}: cần một số nguyên, nhận được "{typed}"'
    one_line_error(dondoc(db_url, *argv, typed, now="2022-07-15T09:00"), said)
    assert ok(dondoc(db_url, "assignments", "show", "1", "--json")) == before
    assert _mails(db_url) == 0


def test_a_whole_number_in_ascii_digits_still_reads(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = str(next(r["id"] for r in rows if r["item_code"] == ITEM and r["milestone_seq"] == 1))
    shown = json.loads(ok(dondoc(db_url, "assignments", "show", target, "--json", now="2022-03-10")))
    taken = [
        "assignments",
        "act",
        target,
        "acknowledge",
        "--as",
        "so-noi-vu",
        "--expect-version",
        f" {shown['version']}",
    ]
    ok(dondoc(db_url, *taken, now="2022-03-10"))
    step = ["assignments", "act", target, "progress", "--as", "so-noi-vu", "--percent", "+40", "--json"]
    assert json.loads(ok(dondoc(db_url, *step, now="2022-03-11")))["progress"] == 40
    one_line_error(dondoc(db_url, "assignments", "list", "--limit", "0"), "'--limit': phải từ 1 trở lên")
