"""``dondoc users|links|tokens``: accounts, links and tokens made on the command line work on the web."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from dondoc.engine.models import Agency
from tests.support.cli import dondoc, ok, one_line_error
from tests.support.web import SECRET, WebEnv, csrf_of


def run(web: WebEnv, *args: str, stdin: str | None = None) -> str:
    """``dondoc --now 2022-03-02T08:00 ARGS`` (in-process) on the web app's database."""
    url = web.engine.url.render_as_string(hide_password=False)
    env = {"DONDOC_SECRET_KEY": SECRET, "DONDOC_BASE_URL": "http://testserver"}
    return ok(dondoc(url, *args, now="2022-03-02T08:00", env=env, stdin=stdin)).strip()


def test_users_add_then_login(web: WebEnv) -> None:
    assert "Tài khoản chanh-vp đã sẵn sàng" in run(
        web, "users", "add", "Chanh-VP", "--password-stdin", stdin="mot-mat-khau-dai\n"
    )
    page = web.client.get("/login")
    response = web.client.post(
        "/login", data={"username": "chanh-vp", "password": "mot-mat-khau-dai", "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 303 and web.client.get("/board").status_code == 200


def test_users_add_over_an_existing_account_says_its_password_changed(web: WebEnv) -> None:
    """It printed "đã sẵn sàng" as for a new account while the password was replaced and every
    session ended (docs/web.md: ``users add`` over an existing account is how one re-activates it)."""
    run(web, "users", "add", "thuky", "--password-stdin", stdin="mat-khau-cu-dai-du\n")
    again = run(web, "users", "add", "ThuKy", "--password-stdin", stdin="mat-khau-moi-dai-du\n")
    assert again == "Tài khoản thuky đã có: đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc"
    run(web, "users", "deactivate", "thuky")
    reopened = run(web, "users", "add", "thuky", "--password-stdin", stdin="mat-khau-thu-ba-dai\n")
    assert reopened == "Tài khoản thuky đã có: đã mở khóa, đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc"


def test_passwd_of_an_unknown_account_says_so_before_asking_for_a_password(web: WebEnv) -> None:
    """It asked for the password twice, then said the account did not exist."""
    result = dondoc(str(web.engine.url), "users", "passwd", "nobody", stdin="mot-mat-khau-dai\nmot-mat-khau-dai\n")
    one_line_error(result, "Không tìm thấy tài khoản nobody.")


def test_links_issue_revoke_reissue(web: WebEnv) -> None:
    url = run(web, "links", "issue", "so-noi-vu")
    assert url.startswith("http://testserver/a/")
    path = url.removeprefix("http://testserver")
    assert web.client.get(path).status_code == 200
    leader = run(web, "links", "issue", "chair").removeprefix("http://testserver")
    assert leader.startswith("/leaders/") and web.client.get(leader).status_code == 200
    # whom, in words: "Đã thu hồi mọi đường liên kết của agency:so-noi-vu" had printed the link's subject
    assert run(web, "links", "revoke", "so-noi-vu") == "Đã thu hồi mọi đường liên kết của Sở Nội vụ [so-noi-vu]"
    assert run(web, "links", "revoke", "vice-chair") == "Đã thu hồi mọi đường liên kết của Phó Trưởng ban Thường trực"
    assert web.client.get(path).status_code == 403
    fresh = run(web, "links", "reissue", "so-noi-vu").split(": ", 1)[1].removeprefix("http://testserver")
    assert web.client.get(fresh).status_code == 200 and web.client.get(path).status_code == 403


def test_tokens_create_and_revoke(web: WebEnv) -> None:
    line = run(web, "tokens", "create", "hệ thống báo cáo", "--role", "agency", "--agency", "so-noi-vu")
    token_id, clear = line.removeprefix("Mã truy cập ").split()[0], line.rsplit(": ", 1)[1]
    # whose, in words, as `links revoke` says it: it printed "(agency so-noi-vu; chỉ hiện một lần)"
    assert line == f"Mã truy cập {token_id} (Sở Nội vụ [so-noi-vu]; chỉ hiện một lần): {clear}"
    chair = run(web, "tokens", "create", "bảng của Lãnh đạo", "--role", "chair")
    assert chair.startswith(f"Mã truy cập {int(token_id) + 1} (Trưởng Ban Chỉ đạo; chỉ hiện một lần): ddk_"), chair
    headers = {"Authorization": f"Bearer {clear}"}
    assert web.client.get("/api/v1/board", headers=headers).status_code == 200
    run(web, "tokens", "revoke", token_id)
    assert web.client.get("/api/v1/board", headers=headers).status_code == 401


def test_the_password_prompt_speaks_vietnamese_and_asks_again_on_a_mismatch(web: WebEnv) -> None:
    """ "Password:", "Repeat for confirmation:" and "Error: The two entered values do not match." were click's."""
    stdin = "mot-mat-khau-dai\nmot-mat-khau-khac\nmot-mat-khau-dai\nmot-mat-khau-dai\n"
    result = dondoc(str(web.engine.url), "users", "add", "Chanh-VP", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Mật khẩu" in result.stdout and "Nhập lại mật khẩu" in result.stdout and "Password" not in result.stdout
    assert "Hai lần nhập không khớp; nhập lại." in result.stderr


def test_a_body_ended_by_its_own_validity_gets_no_link_and_its_old_link_says_so(web: WebEnv) -> None:
    """UBND Tây Trà (merged in 2020, recorded as a validity only) got a working link while every mail
    to it went to the secretariat: two rules of "ended"."""
    old = run(web, "links", "issue", "so-noi-vu").removeprefix("http://testserver")
    with Session(web.engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        agency.valid_to = date(2022, 1, 31)
        session.add(agency)
        session.commit()
    url = web.engine.url.render_as_string(hide_password=False)
    env = {"DONDOC_SECRET_KEY": SECRET, "DONDOC_BASE_URL": "http://testserver"}
    refused = dondoc(url, "links", "issue", "so-noi-vu", now="2022-03-02T08:00", env=env)
    said = (
        "Sở Nội vụ không còn từ ngày 01/02/2022 (theo danh mục cơ quan, chưa ghi nhận cơ quan kế nhiệm): "
        "nhiệm vụ chưa hoàn thành do Tổ giúp việc phân công lại. "
        "Căn cứ: danh mục cơ quan (hoạt động đến hết ngày 31/01/2022)."
    )
    assert refused.returncode == 1 and said in refused.stderr, refused.stderr
    page = web.client.get(old)
    assert page.status_code == 410 and said in page.text
