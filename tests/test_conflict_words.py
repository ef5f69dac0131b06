"""A version refused says truly why: changed since it was read (what, by whom, when: the history's
latest change), or never shown at all."""

from __future__ import annotations

from dondoc.engine.errors import Change, Conflict
from dondoc.web.errors import classify, explain_vi, refusal_line

ASKED = Change("Yêu cầu giải trình", "Tổ giúp việc (tgv)", "25/11/2022 10:05", by_other=False)


def test_a_version_read_before_a_change_names_the_change() -> None:
    conflict = Conflict(3562, 1, 2, ASKED)
    assert str(conflict) == (
        "Phần việc 3562 đã thay đổi sau phiên bản 1 đã đọc (nay là phiên bản 2): Yêu cầu giải trình, do Tổ giúp "
        "việc (tgv) lúc 25/11/2022 10:05; đọc lại phần việc để xem tình trạng hiện tại."
    )
    assert conflict.page_words() == (
        "Phần việc 3562 đã thay đổi sau khi trang được mở: Yêu cầu giải trình, do Tổ giúp việc (tgv) lúc "
        "25/11/2022 10:05; mở lại trang để xem tình trạng hiện tại."
    )
    # the bulk line: one sentence, no title before it, the part (its row names it) "phần việc này"
    assert refusal_line(conflict) == conflict.page_words().replace("Phần việc 3562", "Phần việc này")


def test_someone_else_is_said_only_of_another() -> None:
    other = Change("Xác nhận hoàn thành", "Tổ giúp việc (tgv2)", "25/11/2022 10:07", by_other=True)
    assert (
        "Phần việc 52 đã được người khác thay đổi sau khi trang được mở: Xác nhận"
        in Conflict(52, 1, 2, other).page_words()
    )
    for said in (str(Conflict(52, 1, 2, ASKED)), Conflict(52, 1, 2).page_words(), classify(Conflict(52, 1, 2))[1]):
        assert "người khác" not in said, said
    assert explain_vi(Conflict(52, 1, 2, ASKED)) == Conflict(52, 1, 2, ASKED).page_words()
    assert explain_vi(Conflict(52, 1, 2, ASKED), page=False) == str(Conflict(52, 1, 2, ASKED))


def test_several_changes_since_name_the_latest_as_such() -> None:
    assert "sau khi trang được mở; thay đổi gần nhất: Yêu cầu giải trình, do" in Conflict(7, 1, 4, ASKED).page_words()


def test_a_version_the_row_never_had_is_not_blamed_on_someone_else() -> None:
    """A bulk form sent "2738:5" of a row at version 4: the desk read "vừa được người khác thay đổi
    (đã đọc phiên bản 5, hiện là phiên bản 4)", a change nobody made. Nor version 0: a part begins at 1."""
    for never, shown in ((Conflict(2738, 5, 4), 5), (Conflict(2738, 0, 4), 0)):
        said = str(never)
        assert never.never_had and "người khác" not in said
        assert f"Phần việc 2738 chưa từng có phiên bản {shown} (hiện là phiên bản 4)" in said
        assert "tải lại" in said and never.page_words() == said


def test_a_row_gone_says_so() -> None:
    assert "đã bị xóa" in str(Conflict(7, 1, None)) and "đã bị xóa" in Conflict(7, 1, None).page_words()


def test_the_desks_words_for_a_version_never_had_blame_nobody() -> None:
    """The bulk summary and the error page put a title and a sentence before the engine's words."""
    never = Conflict(2738, 5, 4)
    assert "người khác" not in classify(never)[1] and "người khác" not in explain_vi(never)
    assert classify(Conflict(52, 1, 2)) == (409, "Phần việc đã thay đổi")
