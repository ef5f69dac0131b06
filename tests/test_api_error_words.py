"""The API's errors in Vietnamese throughout: a choice list's last word ("hoặc", not pydantic's "or")
and a title said once ("Không tìm thấy: Không tìm thấy phần việc 999999" had said it twice)."""

from __future__ import annotations

from tests.support.web import WebEnv


def test_a_wrong_choice_lists_the_choices_in_vietnamese(web: WebEnv) -> None:
    answer = web.client.get("/api/v1/assignments?status=foo", headers=web.api_token("secretariat"))
    message = answer.json()["message"]
    assert answer.status_code == 422 and "' hoặc '" in message and "' or '" not in message, message


def test_not_found_says_its_title_once(web: WebEnv) -> None:
    answer = web.client.get("/api/v1/assignments/999999", headers=web.api_token("secretariat"))
    message = answer.json()["message"]
    assert answer.status_code == 404 and message.count("Không tìm thấy") == 1, message
