"""/board/to-chuc-lai: the secretariat records a succession on a page. The entry is checked by the
code ``dondoc agencies succeed`` and ``catalog validate`` use (tasks_catalog.recorder and the loader),
refused in one Vietnamese line with nothing written, or written into the installation's catalog
folder, loaded, and (once its date has come) applied."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Notification, Succession
from dondoc.engine.services.inferred_parts import PASSED_BY_DECISION
from dondoc.engine.services.successions import apply_due_successions, pending_assignment_ids
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.tasks_catalog.recorder import record_succession
from tests.factories import load_min_catalog
from tests.support.successions import succession_catalog
from tests.support.web import ITEM, WebEnv

PAGE = "/board/to-chuc-lai"
SPLIT = {
    "old": "so-tttt",
    "kind": "split",
    "on": "2022-08-01",
    "to_1": "so-khcn",
    "functions_1": "chuyển đổi số\ncông nghệ thông tin",
    "to_2": "so-vhttdl",
    "functions_2": "báo chí",
    "source": "Nghị quyết 9/NQ-HĐND ngày 20/7/2022",
}


def _setup(web: WebEnv, tmp_path: Path, day: str) -> Path:
    catalog, local = succession_catalog(tmp_path), tmp_path / "installation-catalog"
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
    web.settings.catalog_dir, web.settings.catalog_local_dir = catalog, local
    web.clock.set(datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=LOCAL_TZ))
    web.login()
    return local


def _post(web: WebEnv, form: dict[str, str]):  # type: ignore[no-untyped-def]
    return web.client.post(PAGE, data={"csrf": web.csrf(PAGE), **form})


def _error(html: str) -> str:
    start = html.index('id="error" role="alert">') + len('id="error" role="alert">')
    return html[start : html.index("</p>", start)].replace("&#34;", '"').replace("&quot;", '"')


BAD = [  # (what the form changes, what the refusal says)
    ({"to_2": "", "functions_2": ""}, "tách theo chức năng: một cơ quan cũ và từ hai cơ quan kế nhiệm trở lên"),
    ({"functions_2": ""}, "tách theo chức năng: ghi các chức năng mỗi cơ quan kế nhiệm nhận"),
    ({"kind": "rename", "to_2": "", "to_1": "vp-ubnd-moi", "on": "2022-07-15"}, "bị hở"),
    ({"kind": "dissolve"}, "giải thể thì không có cơ quan kế nhiệm"),
    ({"to_1": "so-tttt"}, "không thể kế nhiệm chính mình"),
    ({"on": "2022-13-01"}, 'Ngày hiệu lực: "2022-13-01" không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).'),
    ({"source": " "}, "Cần ghi căn cứ pháp lý"),
    ({"old": ""}, "Cần chọn cơ quan không còn"),
    # a NUL, on PostgreSQL an error 500 after the file was written, which every later load then refused
    ({"source": "QĐ\x00 3"}, "Căn cứ pháp lý chứa ký tự điều khiển không được phép (mã 0x00)"),
    ({"on": "0001-01-01"}, 'Ngày hiệu lực: "0001-01-01" nằm ngoài khoảng ngày dùng được (năm 1900–9998).'),  # was a 500
    ({"on": "9999-12-31"}, 'Ngày hiệu lực: "9999-12-31" nằm ngoài khoảng ngày dùng được (năm 1900–9998).'),
]


def test_bad_data_is_refused_in_one_vietnamese_line_as_the_command_refuses_it(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path, "2022-07-01")
    for change, message in BAD:
        form = SPLIT | change
        response = _post(web, form)
        assert response.status_code == 422, change
        shown = _error(response.text)
        assert message in shown and "\n" not in shown, change
        assert not (local / "successions.yaml").exists(), change  # nothing written
        # the very words of the recorder the CLI calls, with the same input
        by = [form[f"to_{i}"] for i in (1, 2) if form.get(f"to_{i}")]
        functions = {form[f"to_{i}"]: form[f"functions_{i}"].split("\n") for i in (1, 2) if form.get(f"to_{i}")}
        with pytest.raises(InvalidInput) as cli:
            record_succession(
                local_dir=local,
                catalog_dir=web.settings.catalog_dir,
                old=[form["old"]],
                by=by,
                on=form["on"],
                kind=form["kind"],
                source=form["source"],
                functions={k: [f for f in v if f.strip()] for k, v in functions.items()},
            )
        assert str(cli.value) == shown, change
        if form["source"] == SPLIT["source"]:  # the form keeps what was typed
            assert 'value="Nghị quyết 9/NQ-HĐND ngày 20/7/2022"' in response.text, change


def test_a_form_without_its_token_writes_nothing(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path, "2022-07-01")
    response = web.client.post(PAGE, data=SPLIT)
    assert response.status_code == 403 and not (local / "successions.yaml").exists()


def test_a_future_split_is_recorded_as_catalog_data_and_applied_on_its_date(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path, "2022-07-01")
    page = web.client.get(PAGE)
    assert page.status_code == 200 and 'id="form-succession"' in page.text
    assert '<option value="so-tttt">Sở Thông tin và Truyền thông (so-tttt)</option>' in page.text
    done = _post(web, {**SPLIT, "on": "01/08/2022"})  # the day as every form takes it (it refused dd/mm/yyyy)
    assert done.status_code == 303 and done.headers["location"] == f"{PAGE}?done=2022-08-01-so-tttt"
    text = (local / "successions.yaml").read_text(encoding="utf-8")
    assert "kind: split" in text and "Nghị quyết 9/NQ-HĐND" in text and "công nghệ thông tin" in text
    (entry,) = load_catalog(web.settings.catalog_dir, local).successions  # what catalog validate reads
    assert [t.agency for t in entry.to] == ["so-khcn", "so-vhttdl"] and entry.confirmed
    listed = web.client.get(f"{PAGE}?done=2022-08-01-so-tttt").text
    assert 'data-key="2022-08-01-so-tttt"' in listed and "chuyển đổi số; công nghệ thông tin" in listed
    # the notice says what was recorded in words, not its key; a key typed in the URL says nothing
    said = (
        "Đã ghi nhận việc tổ chức lại: Sở Thông tin và Truyền thông (tách theo chức năng; cơ quan kế nhiệm: "
        "Sở Khoa học và Công nghệ, Sở Văn hóa, Thể thao và Du lịch), từ ngày 01/08/2022."
    )
    assert said in html.unescape(listed)
    assert 'id="recorded"' not in web.client.get(f"{PAGE}?done=khong-co").text
    with Session(web.engine) as session:
        assert session.exec(select(Succession)).one().key == "2022-08-01-so-tttt"
        assert session.exec(select(AgencyTransfer)).all() == []  # its date has not come
    again = _post(web, SPLIT)  # the same body cannot end twice
    assert again.status_code == 422 and _error(again.text) == (
        'Không ghi nhận, chưa ghi gì: lần tổ chức lại "2022-08-01-so-tttt" đã được ghi nhận '
        "(cùng cơ quan cũ, cùng ngày)."
    )
    row = web.assignment(ITEM, "so-tttt", seq=2)
    web.clock.set(datetime(2022, 8, 1, 7, 45, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:  # the daily run, on the date
        apply_due_successions(session, now=web.clock.now())
        session.commit()
        assert row in pending_assignment_ids(session)


def test_a_rename_whose_date_has_come_passes_the_work_at_once_and_mails_the_successor(
    web: WebEnv, tmp_path: Path
) -> None:
    _setup(web, tmp_path, "2022-08-02")
    form = {"old": "vp-ubnd", "kind": "rename", "on": "2022-08-01", "to_1": "vp-ubnd-moi", "source": "QĐ 1/QĐ-TEST"}
    assert _post(web, form | {"unconfirmed": "on"}).status_code == 303
    with Session(web.engine) as session:
        new = session.exec(select(Agency).where(Agency.code == "vp-ubnd-moi")).one()
        assert session.exec(select(Assignment).where(Assignment.agency_id == new.id)).all()
        assert session.exec(select(Succession)).one().confirmed is False
        (mail,) = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
        assert mail.recipient_email == "vp-moi@dondoc.example"
    assert "(chưa xác minh)" in web.client.get(PAGE).text


def test_the_page_says_which_work_a_succession_passes(web: WebEnv, tmp_path: Path) -> None:
    """The page said the work "đang thực hiện" of the body that ended passes on its date: every part
    not finished passes (given, in progress, reported and waiting to be verified), as the commands'
    help says it."""
    from dondoc.engine.models.assignments import STATE_LABELS_VI, TERMINAL_STATES

    _setup(web, tmp_path, "2022-07-01")
    page = " ".join(html.unescape(web.client.get(PAGE).text).split())
    said = page[page.index("Đến ngày hiệu lực") :][:300]
    passed = [label.lower() for state, label in STATE_LABELS_VI.items() if state not in TERMINAL_STATES]
    assert [label for label in passed if label not in said] == [], said


def _history_actors(web: WebEnv, assignment_id: int, action: str) -> list[str]:
    """Who acted, as the part's history names them, on each event ``action`` (in words)."""
    page = web.client.get(f"/board/assignments/{assignment_id}").text
    table = page.split('class="grid history stack"', 1)[1].split("</table>", 1)[0]
    return [
        html.unescape(row.split('data-label="Người thực hiện">', 1)[1].split("</td>", 1)[0])
        for row in table.split("<tr>")[2:]
        if f'data-label="Thao tác">{action}<' in row
    ]


def test_a_succession_applied_at_once_is_in_the_history_as_the_clerks_step(web: WebEnv, tmp_path: Path) -> None:
    """A reorganisation recorded on the page and applied at once was in the parts' history as done by
    "Danh mục văn bản" (the catalog's actor): the history says who did it, the clerk, as every other
    step of the secretariat; the succession's own passing (not a body the secretariat chose) is still
    said so, and the catalog's load keeps its own name."""
    _setup(web, tmp_path, "2022-08-02")
    renamed = web.assignment(ITEM, "vp-ubnd")
    form = {"old": "vp-ubnd", "kind": "rename", "on": "2022-08-01", "to_1": "vp-ubnd-moi", "source": "QĐ 1/QĐ-TEST"}
    assert _post(web, form).status_code == 303
    assert _history_actors(web, renamed, "Chuyển cho cơ quan kế nhiệm") == ["Tổ giúp việc (tgv)"]
    assert _history_actors(web, renamed, "Giao nhiệm vụ") == ["Danh mục văn bản"]
    split = SPLIT | {"on": "2022-08-01"}  # its work waits for the secretariat's choice of a body
    assert _post(web, split).status_code == 303
    waiting = web.assignment(ITEM, "so-tttt")
    assert _history_actors(web, waiting, "Chờ phân công lại (cơ quan được giao đã không còn)") == ["Tổ giúp việc (tgv)"]
    with Session(web.engine) as session:
        (transfer,) = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == renamed)).all()
        assert transfer.decided_by == "catalog"  # passed by the succession itself, not a body chosen
        decided = session.exec(select(PASSED_BY_DECISION).where(Assignment.id == renamed)).one()
        assert not decided
