"""``dondoc users|links|tokens``: accounts, links and tokens made on the command line work on the web."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from dondoc.cli import main, web_cmd
from tests.test_web_support import SECRET, WebEnv, csrf_of, web  # noqa: F401  (fixture)


def _cli() -> typer.Typer:
    """The real root callback with the web sub-apps, as engine.cli.main registers them."""
    cli = typer.Typer()
    cli.callback()(main.root)
    cli.add_typer(web_cmd.users_app, name="users")
    cli.add_typer(web_cmd.links_app, name="links")
    cli.add_typer(web_cmd.tokens_app, name="tokens")
    return cli


def run(web: WebEnv, *args: str, stdin: str | None = None) -> str:
    env = {
        "DONDOC_DATABASE_URL": web.engine.url.render_as_string(hide_password=False),
        "DONDOC_SECRET_KEY": SECRET,
        "DONDOC_BASE_URL": "http://testserver",
    }
    result = CliRunner().invoke(_cli(), ["--now", "2022-03-02T08:00", *args], input=stdin, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output.strip()


def test_users_add_then_login(web: WebEnv) -> None:
    assert "account chanh-vp ready" in run(
        web, "users", "add", "Chanh-VP", "--password-stdin", stdin="mot-mat-khau-dai\n"
    )
    page = web.client.get("/login")
    response = web.client.post(
        "/login", data={"username": "chanh-vp", "password": "mot-mat-khau-dai", "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 303 and web.client.get("/board").status_code == 200


def test_links_issue_revoke_reissue(web: WebEnv) -> None:
    url = run(web, "links", "issue", "so-noi-vu")
    assert url.startswith("http://testserver/a/")
    path = url.removeprefix("http://testserver")
    assert web.client.get(path).status_code == 200
    leader = run(web, "links", "issue", "chair").removeprefix("http://testserver")
    assert leader.startswith("/leaders/") and web.client.get(leader).status_code == 200
    run(web, "links", "revoke", "so-noi-vu")
    assert web.client.get(path).status_code == 403
    fresh = run(web, "links", "reissue", "so-noi-vu").split(": ", 1)[1].removeprefix("http://testserver")
    assert web.client.get(fresh).status_code == 200 and web.client.get(path).status_code == 403


def test_tokens_create_and_revoke(web: WebEnv) -> None:
    line = run(web, "tokens", "create", "hệ thống báo cáo", "--role", "agency", "--agency", "so-noi-vu")
    token_id, clear = line.split()[1], line.rsplit(": ", 1)[1]
    headers = {"Authorization": f"Bearer {clear}"}
    assert web.client.get("/api/v1/board", headers=headers).status_code == 200
    run(web, "tokens", "revoke", token_id)
    assert web.client.get("/api/v1/board", headers=headers).status_code == 401
