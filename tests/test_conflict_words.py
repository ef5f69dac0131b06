"""A version refused says truly why: changed by someone since it was read, or never shown at all."""

from __future__ import annotations

from dondoc.engine.errors import Conflict
from dondoc.web.errors import classify, explain_vi


def test_a_version_read_before_a_change_says_someone_changed_it() -> None:
    said = str(Conflict(52, 0, 1))
    assert "Phần việc 52 vừa được người khác thay đổi (đã đọc phiên bản 0, hiện là phiên bản 1)" in said


def test_a_version_the_row_never_had_is_not_blamed_on_someone_else() -> None:
    """A bulk form sent "2738:5" of a row at version 4: the desk read "vừa được người khác thay đổi
    (đã đọc phiên bản 5, hiện là phiên bản 4)", a change nobody made."""
    said = str(Conflict(2738, 5, 4))
    assert "người khác" not in said
    assert "Phần việc 2738 chưa từng có phiên bản 5 (hiện là phiên bản 4)" in said
    assert "tải lại" in said


def test_a_row_gone_says_so() -> None:
    assert "đã bị xóa" in str(Conflict(7, 1, None))


def test_the_desks_words_for_a_version_never_had_blame_nobody() -> None:
    """The bulk summary and the error page put a title and a sentence before the engine's words."""
    never = Conflict(2738, 5, 4)
    assert "người khác" not in classify(never)[1] and "người khác" not in explain_vi(never)
    assert classify(Conflict(52, 0, 1)) == (409, "Dữ liệu đã được người khác thay đổi")
