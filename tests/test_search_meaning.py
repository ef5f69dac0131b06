"""The search box finds what a Vietnamese reader means (issue 16): a word typed in full is that
whole word ("chu ky so", digital signature, had listed "chuyển đổi số", digital transformation, as
every word was matched from a word's start); typed with diacritics, the words are meant as written
(the tone wherever it was placed: "thuỷ" is "thủy"); typed without, every accent form; the last
word, still being typed, from a word's start. On both databases (the ``web`` fixture's engine)."""

from __future__ import annotations

import unicodedata

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.models import Assignment, Milestone, PlanItem
from tests.support.desk import list_rows
from tests.support.web import DONE, ITEM, WAITING, WebEnv

SIGNATURE = "Triển khai chữ ký số cho cán bộ, công chức"  # digital signature
TRANSFORMATION = "Chuyển đổi số trong ngành thủy lợi, nâng cao kỹ năng số"  # digital transformation
LEDGER = "Chủ trì ký sổ bàn giao hồ sơ"  # folds to the same words as the signature: chu, ky, so


@pytest.fixture
def titled(web: WebEnv) -> dict[str, list[str]]:
    """The minimal catalog's three items retitled through the ORM (their search text follows), and
    each item's rows on the list."""
    web.login()
    rows: dict[str, list[str]] = {}
    with Session(web.engine) as session:
        for code, title in ((ITEM, SIGNATURE), (WAITING, TRANSFORMATION), (DONE, LEDGER)):
            item = session.exec(select(PlanItem).where(PlanItem.code == code)).one()
            item.title = title
            session.add(item)
            ids = select(Assignment.id).join(Milestone, col(Milestone.id) == Assignment.milestone_id)
            rows[code] = sorted(str(i) for i in session.exec(ids.where(Milestone.item_id == item.id)))
        session.commit()
    assert all(rows.values())
    return rows


def _found(web: WebEnv, q: str) -> list[str]:
    return sorted(list_rows(web.client, "q=" + q.replace(" ", "+")))


def test_a_word_typed_in_full_is_that_whole_word(web: WebEnv, titled: dict[str, list[str]]) -> None:
    """ "chu ky so" listed "Chuyển đổi số …, kỹ năng số": "chu" was found as the start of "chuyển"."""
    every_accent = sorted(titled[ITEM] + titled[DONE])
    assert _found(web, "chu ky so") == every_accent  # chữ ký số and chủ … ký sổ, not chuyển đổi số
    assert _found(web, "chu") == every_accent  # "chu" is chữ, chủ, chú, chu; not chuyển
    assert _found(web, "chuyen doi so") == titled[WAITING]
    assert _found(web, "ky nang") == titled[WAITING] and _found(web, "ky") == sorted(every_accent + titled[WAITING])


def test_typed_with_diacritics_the_words_are_meant_as_written(web: WebEnv, titled: dict[str, list[str]]) -> None:
    assert _found(web, "chữ ký số") == titled[ITEM]  # not "chủ trì ký sổ"
    assert _found(web, "Chữ Ký Số") == titled[ITEM]  # in any case
    assert _found(web, "chủ") == titled[DONE] and _found(web, "sổ") == titled[DONE]
    # a word without marks in a search typed with them is meant without: "ban" is not "bàn"
    assert _found(web, "ký sổ bàn") == titled[DONE] and _found(web, "ký sổ ban") == []
    # the tone where either spelling rule puts it: "thuỷ" (old) is "thủy" (new), "thùy" another word
    assert _found(web, "thuỷ lợi") == _found(web, "thủy lợi") == _found(web, "thuy loi") == titled[WAITING]
    assert _found(web, "thùy") == []
    assert _found(web, unicodedata.normalize("NFD", "chữ ký số")) == titled[ITEM]  # as some keyboards send it


def test_the_last_word_still_being_typed_is_found_from_a_words_start(web: WebEnv, titled: dict[str, list[str]]) -> None:
    """A last word that is no Vietnamese syllable yet ("s", "chuye", "ngh") with nothing after it is a
    word being typed; a space after it, or a whole syllable, and it is meant whole."""
    every_accent = sorted(titled[ITEM] + titled[DONE])
    assert _found(web, "chu ky s") == every_accent  # số, sổ
    assert _found(web, "chữ ký s") == titled[ITEM]  # written so far: "chữ ký", then s…
    assert _found(web, "chuye") == titled[WAITING]  # chuyển
    assert _found(web, "chu ky s ") == []  # a space after it: the word "s", which no title holds
    assert _found(web, "chuye doi so") == []  # only the last word may be unfinished


def test_the_search_patterns_and_the_syllables() -> None:
    from dondoc.engine.textfold import is_syllable, search_patterns

    assert search_patterns("an toan he thong") == ["% an %", "% toan %", "% he %", "% thong %"]
    assert search_patterns("Bảo đảm an") == ["%|bao\u0309|%", "%|đam\u0309|%", "%|an|%"]
    assert search_patterns("II.2 117/KH") == ["% ii 2%", "% 117 kh%"]  # codes as before, from a word's start
    # a code's đ is meant as written, and says nothing of how the words beside it were typed
    assert search_patterns("II.1.đ an toan") == ["%|ii|1|đ%", "% an %", "% toan %"]
    assert search_patterns("II.1.d an toàn") == ["% ii 1 d%", "%|an|%", "%|toan\u0300|%"]
    assert search_patterns("trien khai 12") == ["% trien %", "% khai %", "% 12%"]
    assert search_patterns("phan loai he th") == ["% phan %", "% loai %", "% he %", "% th%"]
    assert search_patterns("th th th") == ["% th %", "% th%"]  # each word once
    for word in (
        "a",
        "y",
        "chu",
        "ky",
        "so",
        "quynh",
        "nghieng",
        "khuya",
        "giuong",
        "thuo",
        "oai",
        "uyen",
        "xoong",
        "chuy",
        "quach",
    ):
        assert is_syllable(word), word
    for word in ("s", "th", "ngh", "chuye", "qu", "snv", "ubnd", "nghie"):
        assert not is_syllable(word), word
