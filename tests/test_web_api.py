"""The JSON API: roles, optimistic concurrency, and domain errors as JSON (never a 500)."""

from __future__ import annotations

from datetime import datetime

from dondoc.engine.clock import LOCAL_TZ
from tests.support.web import ITEM, WebEnv


def test_agency_works_through_the_api_with_versions(web: WebEnv) -> None:
    headers = web.api_token("agency", "so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    shown = web.client.get(f"/api/v1/assignments/{target}", headers=headers)
    assert shown.status_code == 200 and shown.json()["state"] == "assigned"
    version = shown.json()["version"]
    done = web.client.post(
        f"/api/v1/assignments/{target}/actions",
        json={"action": "acknowledge"},
        headers={**headers, "If-Match": f'"{version}"'},
    )
    assert done.status_code == 200 and done.json()["state"] == "in_progress" and done.json()["version"] == version + 1
    stale = web.client.post(
        f"/api/v1/assignments/{target}/actions",
        json={"action": "progress", "percent": 50, "expected_version": version},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    assert web.client.get(f"/api/v1/assignments/{target}", headers=headers).json()["progress"] == 0
    ok = web.client.post(
        f"/api/v1/assignments/{target}/actions",
        json={"action": "progress", "percent": 50, "expected_version": version + 1},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json()["history"][-1]["data"] == {"percent": 50}


def test_domain_errors_map_to_json_statuses(web: WebEnv) -> None:
    secretariat = web.api_token("secretariat")
    target = web.assignment(ITEM, "so-noi-vu")
    cases = [
        ("/api/v1/assignments/999999/actions", {"action": "verify"}, 404, "not_found"),
        (f"/api/v1/assignments/{target}/actions", {"action": "verify"}, 409, "transition_not_allowed"),
        (f"/api/v1/assignments/{target}/actions", {"action": "cancel"}, 422, "invalid_input"),
        (f"/api/v1/assignments/{target}/actions", {"action": "fly"}, 422, "invalid_input"),
        (f"/api/v1/assignments/{target}/actions", {"action": "acknowledge"}, 403, "permission_denied"),
    ]
    for url, body, status, code in cases:
        response = web.client.post(url, json=body, headers=secretariat)
        assert (response.status_code, response.json()["error"]) == (status, code), body
        assert response.json()["message"]
    invalid = web.client.post(
        f"/api/v1/assignments/{target}/actions", json={"action": "progress", "percent": 500}, headers=secretariat
    )
    assert invalid.status_code == 422
    assert web.client.get("/api/v1/assignments?status=nonsense", headers=secretariat).status_code == 422
    assert web.client.get("/api/v1/board", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_query_parameter_the_api_does_not_declare_is_refused_by_name(web: WebEnv) -> None:
    """A typo is not a request for everything: 422 naming the parameter and those the route takes
    (an empty name too); the declared ones still work."""
    secretariat = web.api_token("secretariat")
    typo = web.client.get("/api/v1/assignments?agnecy=so-noi-vu", headers=secretariat)
    assert typo.status_code == 422
    message = typo.json()["message"]
    assert 'Tham số truy vấn "agnecy"' in message and "agency, limit, plan, status" in message
    assert web.client.get("/api/v1/assignments?agency=so-noi-vu&=null", headers=secretariat).status_code == 422
    none_taken = web.client.get("/api/v1/board?x=1", headers=secretariat)
    assert none_taken.status_code == 422 and "không có tham số nào" in none_taken.json()["message"]
    listed = web.client.get("/api/v1/assignments?agency=so-noi-vu&limit=5", headers=secretariat)
    assert listed.status_code == 200 and {a["agency_code"] for a in listed.json()} == {"so-noi-vu"}


def test_a_query_parameter_given_twice_is_refused_by_name(web: WebEnv) -> None:
    """?status=reported&status=verified listed the verified ones alone (the last value), as if the
    first had not been asked: 422 naming the parameter, as the desk's lists refuse it."""
    secretariat = web.api_token("secretariat")
    for query in ("status=reported&status=verified", "agency=so-noi-vu&agency=vp-ubnd", "limit=1&limit=5"):
        twice = web.client.get(f"/api/v1/assignments?{query}", headers=secretariat)
        name = query.split("=", 1)[0]
        assert twice.status_code == 422, query
        assert f'Tham số truy vấn "{name}" chỉ nhận một giá trị, nhận được 2' in twice.json()["message"], query
    assert web.client.get("/api/v1/assignments?status=reported&limit=5", headers=secretariat).status_code == 200


def test_a_body_field_the_action_does_not_declare_is_refused_by_name(web: WebEnv) -> None:
    """A misspelt "expected_verison" was dropped without a word and the step taken with no version
    check: a decision on a part read long ago went through. A field the body does not declare is
    refused (422 naming it), nothing written, as a query parameter the route does not declare."""
    headers = web.api_token("agency", "so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    url = f"/api/v1/assignments/{target}/actions"
    before = web.client.get(f"/api/v1/assignments/{target}", headers=headers).json()
    for body in (
        {"action": "acknowledge", "expected_verison": 999},
        {"action": "acknowledge", "coment": "đã nhận"},
    ):
        refused = web.client.post(url, json=body, headers=headers)
        assert refused.status_code == 422, (body, refused.status_code)
        (extra,) = set(body) - {"action"}
        assert refused.json()["message"] == f"Dữ liệu không hợp lệ ở body.{extra}: trường này không được phép"
    assert web.client.get(f"/api/v1/assignments/{target}", headers=headers).json() == before
    done = web.client.post(url, json={"action": "acknowledge", "comment": "đã nhận"}, headers=headers)
    assert done.status_code == 200 and done.json()["state"] == "in_progress"


def test_leaders_read_everything_and_may_only_ask_for_explanations(web: WebEnv) -> None:
    chair = web.api_token("vice-chair")
    listed = web.client.get("/api/v1/assignments", headers=chair).json()
    assert len({a["agency_code"] for a in listed}) == 5
    target = web.assignment(ITEM, "so-noi-vu")
    verify = web.client.post(
        f"/api/v1/assignments/{target}/actions", json={"action": "cancel", "comment": "x"}, headers=chair
    )
    assert verify.status_code == 403 and "chỉ xem" in verify.json()["message"]
    ask = {"action": "request_explanation", "comment": "Báo cáo tiến độ"}
    early = web.client.post(f"/api/v1/assignments/{target}/actions", json=ask, headers=chair)
    assert early.status_code == 409 and early.json()["error"] == "condition_not_met"  # not overdue yet
    web.clock.set(datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))
    asked = web.client.post(f"/api/v1/assignments/{target}/actions", json=ask, headers=chair)
    assert asked.status_code == 200 and asked.json()["history"][-1]["actor"] == "vice-chair"


def test_board_counts_calendar_and_openapi(web: WebEnv) -> None:
    secretariat = web.api_token("secretariat")
    board = web.client.get("/api/v1/board", headers=secretariat).json()
    assert board["total"] == sum(board["totals"].values()) and len(board["agencies"]) == 5
    calendar = web.client.get("/api/v1/calendar.ics?agency=ubnd-ly-son", headers=secretariat)
    assert calendar.status_code == 200 and calendar.text.count("BEGIN:VEVENT") == 2
    assert web.client.get("/api/v1/calendar.ics", headers=secretariat).status_code == 422
    schema = web.client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/assignments", "/api/v1/assignments/{assignment_id}/actions", "/api/v1/board"} <= set(
        schema["paths"]
    )
    assert not any(path.startswith(("/board", "/a/", "/leaders")) for path in schema["paths"])
