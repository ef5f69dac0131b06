"""The installed ``dondoc`` script, one smoke test per command group: it starts in a fresh
interpreter, does its work, and reports a failure as one line on stderr with a non-zero exit code.

Everything else about the commands is tested in-process through the same entry point function
(tests/support/cli.py). The smoke test of ``simulate`` is the replayed year on SQLite (tests/test_replayed_year.py);
``serve`` and ``scheduler`` run until stopped and have none.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, dondoc_process, ok, one_line_error

SECRET = {"DONDOC_SECRET_KEY": "a-test-secret-of-enough-length", "DONDOC_BASE_URL": "http://testserver"}


@dataclass(frozen=True)
class Smoke:
    runs: list[tuple[list[str], str]]  # each command must succeed and print this
    fails: list[str]  # this one must fail with one line on stderr …
    says: str  # … holding this
    env: dict[str, str] = field(default_factory=dict)  # DONDOC_* for every command of the group
    fail_env: dict[str, str] = field(default_factory=dict)  # … and these for ``fails``
    loaded: bool = True  # a migrated database with tests/fixtures/catalog_min loaded (in-process) first


SMOKES = {
    "db": Smoke(
        runs=[(["db", "upgrade"], "Cơ sở dữ liệu ở phiên bản")],
        fails=["--database-url", "mysql://nobody@example/x", "db", "current"],
        says="địa chỉ cơ sở dữ liệu",
        loaded=False,
    ),
    "catalog": Smoke(
        runs=[(["catalog", "validate", "--dir", str(MIN_CATALOG)], "99/KH-TEST")],
        fails=["catalog", "export", "--format", "xml"],
        says='không có định dạng "xml"',
        loaded=False,
    ),
    "assignments": Smoke(
        runs=[(["--now", "2022-07-01", "assignments", "list", "--agency", "so-noi-vu"], "3 phần việc")],
        fails=["assignments", "show", "4242"],
        says="Không tìm thấy phần việc 4242",
    ),
    "status": Smoke(
        runs=[(["--now", "2022-07-01", "status"], "Đang thực hiện quá hạn")],
        fails=["status", "--by", "district"],
        says="không phải agency, plan hay item",
    ),
    "policy": Smoke(
        runs=[(["policy", "validate"], "Chính sách 2022.1@")],
        fails=["policy", "validate", "--file", "no-such-policy.yaml"],
        says="no-such-policy.yaml bị từ chối",
        loaded=False,
    ),
    "jobs": Smoke(
        runs=[
            (["--now", "2022-07-12T08:00", "sweep", "--json"], '"decisions": '),
            (["--now", "2022-07-12T09:00", "digest", "--json"], '"to": "chair"'),
            (["--now", "2022-07-12T09:05", "deliver", "--json"], '"sent": '),
        ],
        fails=["--now", "2022-07-12T10:00", "deliver"],
        says="thiết lập không hợp lệ smtp_security",
        env=SECRET,
        fail_env={"DONDOC_SMTP_HOST": "127.0.0.1", "DONDOC_SMTP_SECURITY": "ssl"},
    ),
    "report": Smoke(
        runs=[(["--now", "2022-04-10", "report", "--period", "2022-Q1", "--format", "md"], "Quý I/2022")],
        fails=["report", "--period", "2022-Q7"],
        says='kỳ báo cáo "2022-Q7"',
    ),
    "indicators": Smoke(
        runs=[(["--now", "2022-03-02", "indicators", "list", "--agency", "ubnd-binh-son"], "1 chỉ tiêu")],
        fails=["indicators", "list", "--agency", "so-y-te"],
        says="Không tìm thấy cơ quan so-y-te",
    ),
    "outbox": Smoke(
        runs=[(["outbox", "failed"], "0 thư gửi lỗi")],
        fails=["outbox", "resend", "4242"],
        says="không có thư số 4242",
    ),
    "users, links, tokens": Smoke(
        runs=[(["--now", "2022-03-02", "links", "issue", "so-noi-vu"], "http://testserver/a/")],
        fails=["links", "issue", "nobody"],
        says="Không tìm thấy cơ quan nobody",
        env=SECRET,
    ),
}


@pytest.mark.slow  # a process per command group through the installed script: about 35 s of CPU in all
@pytest.mark.parametrize("group", list(SMOKES))
def test_the_installed_command(group: str, tmp_path: Path, sqlite_template: Path) -> None:
    smoke = SMOKES[group]
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    if smoke.loaded:
        shutil.copy(sqlite_template, tmp_path / "dondoc.db")  # migrated
        ok(dondoc(url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    env = {"DONDOC_MAILDROP_DIR": str(tmp_path / "maildrop"), **smoke.env}
    for args, shown in smoke.runs:
        assert shown in ok(dondoc_process(url, *args, env=env, cwd=tmp_path)), args
    one_line_error(dondoc_process(url, *smoke.fails, env=env | smoke.fail_env, cwd=tmp_path), smoke.says)
