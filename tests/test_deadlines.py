"""engine.deadlines: every deadline phrase of the five seed documents, errors, properties."""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.engine.deadlines import (
    BeforeDateMeans,
    Deadline,
    DeadlineKind,
    DeadlinePhraseError,
    before_date_due,
    find_deadlines,
    parse_deadline,
)

K = DeadlineKind
D = date

# (phrase verbatim as in the seed text, kind, start, due, recurrence, done)
# Seeds: 000 = KH 117/KH-UBND (2022), 001 = CV 1834/UBND-KGVX (2022), 002 = KH 61/KH-UBND
# (2019; appendix columns "2019-2020", "2021-2025", "Ghi chú"), 003 = Thông báo kết luận
# (01/2022), 004 = KH 04/KH-BCĐ (2022).
SEED_PHRASES = [
    # 000 "Thời hạn hoàn thành"
    ("Năm 2022.", K.PERIOD, D(2022, 1, 1), D(2022, 12, 31), None, False),
    ("Tháng 06/2023.", K.PERIOD, D(2023, 6, 1), D(2023, 6, 30), None, False),
    ("Thường xuyên.", K.RECURRING, None, None, "continuous", False),
    ("Tháng 9/2022.", K.PERIOD, D(2022, 9, 1), D(2022, 9, 30), None, False),
    ("Tháng 12/2022.", K.PERIOD, D(2022, 12, 1), D(2022, 12, 31), None, False),
    ("*Thời hạn hoàn thành:* Năm 2022.", K.PERIOD, D(2022, 1, 1), D(2022, 12, 31), None, False),
    ("- + *Thời hạn hoàn thành*: Tháng 12/2022.", K.PERIOD, D(2022, 12, 1), D(2022, 12, 31), None, False),
    # 000 II.1.b split into its two milestones (the whole phrase is an error, see below)
    ("trước ngày 30/6/2022", K.DATE, None, D(2022, 6, 30), None, False),
    ("trước ngày 15/11/2022.", K.DATE, None, D(2022, 11, 15), None, False),
    ("Theo lộ trình, hướng dẫn của các cơ quan Trung ương.", K.CONDITION, None, None, None, False),
    # OCR slip "hàn thành" in the label is in the source; the label is stripped anyway
    ("Thời gian hàn thành: Theo lộ trình, hướng dẫn của các cơ quan Trung ương.", K.CONDITION, None, None, None, False),
    ("Hoàn thành trong Quý IV/2022.", K.PERIOD, D(2022, 10, 1), D(2022, 12, 31), None, False),
    (
        "Tháng 12/2022 (theo Kế hoạch của cơ quan chủ quản - Bộ Thông tin và Truyền thông).",
        K.PERIOD,
        D(2022, 12, 1),
        D(2022, 12, 31),
        None,
        False,
    ),
    ("kể từ ngày 01/6/2022", K.FROM_DATE, D(2022, 6, 1), None, None, False),
    ("kể từ ngày 01/12/2022", K.FROM_DATE, D(2022, 12, 1), None, None, False),
    ("kể từ ngày 01/6/2023", K.FROM_DATE, D(2023, 6, 1), None, None, False),
    ("từ ngày 01/7/2022", K.FROM_DATE, D(2022, 7, 1), None, None, False),
    ("đến tháng 9/2022", K.PERIOD, D(2022, 9, 1), D(2022, 9, 30), None, False),  # also 001
    ("đến hết năm 2022", K.PERIOD, D(2022, 1, 1), D(2022, 12, 31), None, False),
    ("theo kế hoạch hàng năm", K.CONDITION, None, None, None, False),
    # 001
    ("từ ngày 01/6/2022", K.FROM_DATE, D(2022, 6, 1), None, None, False),
    ("từ ngày 01/12/2022", K.FROM_DATE, D(2022, 12, 1), None, None, False),
    ("Định kỳ 6 tháng, 1 năm", K.RECURRING, None, None, "half_yearly", False),
    # 002 appendix: "Thời gian thực hiện, hoàn thành" columns and "Ghi chú"
    ("2019-2020", K.PERIOD, D(2019, 1, 1), D(2020, 12, 31), None, False),
    ("2021-2025", K.PERIOD, D(2021, 1, 1), D(2025, 12, 31), None, False),
    ("2020", K.PERIOD, D(2020, 1, 1), D(2020, 12, 31), None, False),
    ("Quý IV/2019", K.PERIOD, D(2019, 10, 1), D(2019, 12, 31), None, False),
    ("Tháng 12/2019", K.PERIOD, D(2019, 12, 1), D(2019, 12, 31), None, False),
    ("Tháng 10/2019", K.PERIOD, D(2019, 10, 1), D(2019, 10, 31), None, False),
    ("Tháng 12/2022", K.PERIOD, D(2022, 12, 1), D(2022, 12, 31), None, False),
    ("Thường xuyên", K.RECURRING, None, None, "continuous", False),
    ("Thực hiện thường xuyên", K.RECURRING, None, None, "continuous", False),
    ("Thực hiện thường xuyên hàng năm", K.RECURRING, None, None, "yearly", False),
    ("Khi có hướng dẫn của Bộ Thông tin và Truyền thông.", K.CONDITION, None, None, None, False),
    ("Sau khi Thủ tướng Chính phủ ban hành", K.CONDITION, None, None, None, False),
    # cut by a page break in the table: "Sau khi Luật" / "Chính phủ điện tử được ban hành"
    ("Sau khi Luật Chính phủ điện tử được ban hành", K.CONDITION, None, None, None, False),
    ("Sau khi Luật", K.CONDITION, None, None, None, False),
    ("Sau khi ban hành Khung Kiến trúc CPĐT VN (phiên bản 2.0)", K.CONDITION, None, None, None, False),
    ("Thực hiện theo hướng dẫn của Văn phòng Chính phủ", K.CONDITION, None, None, None, False),
    ("Theo hướng dẫn của Văn phòng Chính phủ", K.CONDITION, None, None, None, False),
    # 002 body text
    ("hoàn thành trong năm 2019", K.PERIOD, D(2019, 1, 1), D(2019, 12, 31), None, False),
    ("giai đoạn 2020 - 2025", K.PERIOD, D(2020, 1, 1), D(2025, 12, 31), None, False),
    ("giai đoạn 2019 - 2020", K.PERIOD, D(2019, 1, 1), D(2020, 12, 31), None, False),
    ("đến cuối năm 2025", K.PERIOD, D(2025, 1, 1), D(2025, 12, 31), None, False),
    ("hàng quý", K.RECURRING, None, None, "quarterly", False),
    ("định kỳ hàng quý", K.RECURRING, None, None, "quarterly", False),
    ("hằng năm", K.RECURRING, None, None, "yearly", False),
    # 003
    ("hoàn thành trong **tháng 02/2022**.", K.PERIOD, D(2022, 2, 1), D(2022, 2, 28), None, False),
    ("trước ngày **15/02/2022**.", K.DATE, None, D(2022, 2, 15), None, False),
    ("năm 2022 và các năm tiếp theo", K.RECURRING, D(2022, 1, 1), None, "yearly", False),
    ("định kỳ hàng năm", K.RECURRING, None, None, "yearly", False),
    ("định kỳ 06 tháng, hàng năm", K.RECURRING, None, None, "half_yearly", False),
    ("từ năm 2022", K.FROM_DATE, D(2022, 1, 1), None, None, False),
    # 004
    ("Tháng 02/2022 (*đã hoàn thành*).", K.DONE, D(2022, 2, 1), D(2022, 2, 28), None, True),
    ("Quý I năm 2022.", K.PERIOD, D(2022, 1, 1), D(2022, 3, 31), None, False),
    ("Theo chương trình, kế hoạch của Trung ương và các tỉnh.", K.CONDITION, None, None, None, False),
    ("Theo Thông báo của tỉnh, thành phố chủ trì tổ chức.", K.CONDITION, None, None, None, False),
    ("Nhiệm vụ thường xuyên.", K.RECURRING, None, None, "continuous", False),
    ("Tháng 4/2022.", K.PERIOD, D(2022, 4, 1), D(2022, 4, 30), None, False),
    ("Quý III năm 2022.", K.PERIOD, D(2022, 7, 1), D(2022, 9, 30), None, False),
    ("Tháng 3-4/2022.", K.PERIOD, D(2022, 3, 1), D(2022, 4, 30), None, False),
    ("*trước ngày 15/12/2022*.", K.DATE, None, D(2022, 12, 15), None, False),
    ("*trước ngày 30/11/2022*.", K.DATE, None, D(2022, 11, 30), None, False),
]

# Phrases of the seeds that are NOT one deadline: the parser must refuse them.
SEED_ERRORS = [
    # 000 II.1.b (also II.1.đ, II.2.d): two milestones in one phrase
    (
        "Phân loại, xác định và phê duyệt đề xuất cấp độ hệ thống thông tin trước ngày 30/6/2022; "
        "triển khai đầy đủ phương án bảo đảm an toàn hệ thống thông tin theo cấp độ các hệ thống "
        "thông tin đang vận hành trước ngày 15/11/2022.",
        "split into milestones",
    ),
    # 002 appendix I.5: OCR slip for 2021-2025; the catalog fixes it with a comment
    ("2021-2015", "before it starts"),
    # 002 reporting rule: a day in every quarter, expanded into dated milestones by the catalog
    ("trước ngày 20 tháng cuối quý", "hằng quý"),
    ("chậm nhất vào ngày 25 tháng cuối quý", "hằng quý"),
    # 002 data cut-off window, relative to "the year before": not a deadline
    ("từ ngày 15 tháng 12 năm trước tới ngày 14 tháng 3", ""),
]


@pytest.mark.parametrize("phrase,kind,start,due,recurrence,done", SEED_PHRASES)
def test_seed_phrases(phrase, kind, start, due, recurrence, done):
    dl = parse_deadline(phrase)
    assert (dl.kind, dl.start, dl.due, dl.recurrence, dl.done) == (kind, start, due, recurrence, done)
    assert dl.phrase == phrase
    if kind is K.CONDITION:
        assert dl.condition and dl.condition in phrase.replace("*", "")


@pytest.mark.parametrize("phrase,hint", SEED_ERRORS)
def test_seed_phrases_refused(phrase, hint):
    with pytest.raises(DeadlinePhraseError) as ei:
        parse_deadline(phrase)
    assert ei.value.phrase == phrase
    assert f'"{phrase}"' in str(ei.value)
    assert hint in str(ei.value)


def test_period_note_is_kept_as_condition():
    dl = parse_deadline("Tháng 12/2022 (theo Kế hoạch của cơ quan chủ quản - Bộ Thông tin và Truyền thông).")
    assert dl.condition == "theo Kế hoạch của cơ quan chủ quản - Bộ Thông tin và Truyền thông"


def test_condition_is_the_phrase():
    dl = parse_deadline("Theo lộ trình, hướng dẫn của các cơ quan Trung ương.")
    assert dl.condition == "Theo lộ trình, hướng dẫn của các cơ quan Trung ương"
    assert dl.due is None and dl.start is None


@pytest.mark.parametrize(
    "phrase,start,due",
    [
        ("QUÝ IV/2022", D(2022, 10, 1), D(2022, 12, 31)),
        ("quý 2 năm 2022", D(2022, 4, 1), D(2022, 6, 30)),
        ("Quý III-IV/2022", D(2022, 7, 1), D(2022, 12, 31)),
        ("tháng 9-2022", D(2022, 9, 1), D(2022, 9, 30)),
        ("Tháng 02 năm 2024", D(2024, 2, 1), D(2024, 2, 29)),
        ("  tháng   3 - 4 / 2022 ;", D(2022, 3, 1), D(2022, 4, 30)),
        ("6 tháng đầu năm 2022", D(2022, 1, 1), D(2022, 6, 30)),
        ("6 tháng cuối năm 2022", D(2022, 7, 1), D(2022, 12, 31)),
        ("Năm 2021 – 2025", D(2021, 1, 1), D(2025, 12, 31)),
        ("từ ngày 01/6/2022 đến ngày 30/6/2022", D(2022, 6, 1), D(2022, 6, 30)),
    ],
)
def test_period_forms(phrase, start, due):
    dl = parse_deadline(phrase)
    assert (dl.kind, dl.start, dl.due) == (K.PERIOD, start, due)


@pytest.mark.parametrize(
    "phrase,due",
    [
        ("trước ngày 30/06/2022", D(2022, 6, 30)),
        ("Trước ngày 30-6-2022.", D(2022, 6, 30)),
        ("trước ngày 30.6.2022", D(2022, 6, 30)),
        ("ngày 15/02/2022", D(2022, 2, 15)),
        ("chậm nhất ngày 25/12/2022", D(2022, 12, 25)),
        ("chậm nhất vào ngày 25/12/2022", D(2022, 12, 25)),
        ("ngày 15 tháng 12 năm 2022", D(2022, 12, 15)),
        ("30/6/2022", D(2022, 6, 30)),
        ("đến ngày 29/2/2024", D(2024, 2, 29)),
    ],
)
def test_date_forms(phrase, due):
    dl = parse_deadline(phrase)
    assert (dl.kind, dl.due, dl.start) == (K.DATE, due, None)


def test_default_year_fills_missing_year():
    assert parse_deadline("Tháng 9", default_year=2022).due == D(2022, 9, 30)
    assert parse_deadline("trước ngày 20/3", default_year=2023).due == D(2023, 3, 20)
    assert parse_deadline("Quý I", default_year=2022).due == D(2022, 3, 31)
    with pytest.raises(DeadlinePhraseError, match="default_year"):
        parse_deadline("Tháng 9")
    with pytest.raises(DeadlinePhraseError):  # a bare day/month is never taken for a date
        parse_deadline("3/4", default_year=2022)


def test_recurring_with_span():
    dl = parse_deadline("Thường xuyên, giai đoạn 2021-2025")
    assert (dl.kind, dl.recurrence, dl.start, dl.due) == (K.RECURRING, "continuous", D(2021, 1, 1), D(2025, 12, 31))
    dl = parse_deadline("2019-2020, hằng năm")
    assert (dl.recurrence, dl.start, dl.due) == ("yearly", D(2019, 1, 1), D(2020, 12, 31))
    assert parse_deadline("định kỳ 6 tháng").recurrence == "half_yearly"
    with pytest.raises(DeadlinePhraseError):
        parse_deadline("thường xuyên, trước ngày 30/6/2022")


def test_done_alone():
    dl = parse_deadline("(đã hoàn thành)")
    assert (dl.kind, dl.due, dl.done) == (K.DONE, None, True)


def test_to_dict_is_json_ready():
    d = parse_deadline("Tháng 02/2022 (*đã hoàn thành*).").to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d == {
        "phrase": "Tháng 02/2022 (*đã hoàn thành*).",
        "kind": "done",
        "due": "2022-02-28",
        "start": "2022-02-01",
        "recurrence": None,
        "condition": None,
        "done": True,
    }


@pytest.mark.parametrize(
    "phrase,hint",
    [
        ("31/2/2022", "no such date"),
        ("trước ngày 31/2/2022", "no such date"),
        ("Tháng 13/2022", "no such date"),
        ("", "empty"),
        ("   .  ", "empty"),
        ("garbage", "no rule matches"),
        ("asap!!", "no rule matches"),
        ("30/6/2022 và 15/11/2022", "split into milestones"),
        ("Tháng 6/2022 và tháng 12/2022", "split into milestones"),
        ("Theo hướng dẫn, trước ngày 30/6/2022", "precondition"),
        ("hoàn thành", "no rule matches"),
        ("Tháng 12-1/2022", "before it starts"),
    ],
)
def test_errors(phrase, hint):
    with pytest.raises(DeadlinePhraseError) as ei:
        parse_deadline(phrase)
    assert ei.value.phrase == phrase and f'"{phrase}"' in str(ei.value)
    assert hint in str(ei.value)


# ---- properties --------------------------------------------------------------------------

_WORDS = [
    "trước",
    "ngày",
    "tháng",
    "quý",
    "năm",
    "thường xuyên",
    "hằng",
    "hàng",
    "định kỳ",
    "theo",
    "khi",
    "sau khi",
    "từ",
    "kể từ",
    "đến",
    "hết",
    "và",
    "các",
    "năm tiếp theo",
    "đã hoàn thành",
    "(",
    ")",
    "/",
    "-",
    ".",
    ",",
    "IV",
    "III",
    "6",
    "2022",
    "30",
    "12",
    "lorem",
    "ipsum",
    "Sở",
    "ban hành",
    "*",
    "  ",
]
vi_text = st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join)
any_text = st.one_of(st.text(max_size=60), vi_text)

_KEYWORDS = [
    "thường xuyên",
    "liên tục",
    "hằng",
    "hàng",
    "mỗi",
    "định kỳ",
    "theo",
    "khi",
    "căn cứ",
    "chờ",
    "tùy",
    "tuỳ",
    "hoàn thành",
    "năm",
    "tháng",
    "quý",
    "qúy",
    "quí",
    "ngày",
]


@settings(max_examples=400)
@given(any_text)
def test_only_deadline_phrase_error_escapes(text):
    try:
        dl = parse_deadline(text)
    except DeadlinePhraseError as e:
        assert e.phrase == text
    else:
        assert isinstance(dl, Deadline) and dl.phrase == text


def _has_keyword(text: str) -> bool:
    t = unicodedata.normalize("NFC", text).casefold()
    return any(k in t for k in _KEYWORDS)


@settings(max_examples=400)
@given(any_text.filter(lambda t: not re.search(r"\d", t)))
def test_no_digit_no_date(text):
    try:
        dl = parse_deadline(text)
    except DeadlinePhraseError:
        return
    assert dl.due is None and dl.start is None
    assert _has_keyword(text)  # something was recognised: it must hold a keyword


@settings(max_examples=300)
@given(any_text.filter(lambda t: not re.search(r"\d", t) and not _has_keyword(t)))
def test_no_digit_no_keyword_is_refused(text):
    with pytest.raises(DeadlinePhraseError):
        parse_deadline(text)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))  # the years a plan's dates are read in
def test_round_trip_date(d):
    assert parse_deadline(f"trước ngày {d.day}/{d.month}/{d.year}").due == d
    assert parse_deadline(f"trước ngày {d.day:02d}/{d.month:02d}/{d.year}").due == d


@given(st.integers(1, 12), st.integers(1900, 2100))
def test_month_due_is_last_day(m, y):
    dl = parse_deadline(f"Tháng {m}/{y}")
    assert dl.kind is K.PERIOD
    assert dl.start == D(y, m, 1)
    assert dl.due == D(y, m, calendar.monthrange(y, m)[1])


@pytest.mark.parametrize(
    "text",
    ["thường xuyên " * 2000, "hằng năm, " * 1000 + "2022", "từ năm " * 1000 + "2022", "1/" * 3000, "a" * 100_000],
)
def test_long_inputs_are_refused(text):
    with pytest.raises(DeadlinePhraseError):
        parse_deadline(text)


# -- issue 12, class 1: a start is not a deadline ------------------------------------------------
@pytest.mark.parametrize(
    "phrase, start",
    [
        ("kể từ ngày 01/6/2022", D(2022, 6, 1)),
        ("từ ngày 01/7/2022", D(2022, 7, 1)),
        ("Kể từ ngày 01/6/2023.", D(2023, 6, 1)),
        ("từ năm 2022", D(2022, 1, 1)),
        ("từ tháng 9/2022", D(2022, 9, 1)),
        ("kể từ Quý III/2022", D(2022, 7, 1)),
        ("Bắt đầu từ ngày 15/10/2023", D(2023, 10, 15)),  # a table's "Thời gian hoàn thành" cell
        ("bắt đầu từ tháng 7/2023", D(2023, 7, 1)),
    ],
)
def test_a_start_opens_a_standing_duty_with_no_due_date(phrase: str, start: date) -> None:
    d = parse_deadline(phrase)
    assert (d.kind, d.start, d.due) == (K.FROM_DATE, start, None)


def test_a_window_is_due_at_its_end_never_at_its_start() -> None:
    d = parse_deadline("từ ngày 01/6/2022 đến ngày 30/9/2022")
    assert (d.kind, d.start, d.due) == (K.PERIOD, D(2022, 6, 1), D(2022, 9, 30))
    assert d.due != d.start
    d = parse_deadline("Bắt đầu từ ngày 01/9/2023 đến ngày 31/12/2023")
    assert (d.kind, d.start, d.due) == (K.PERIOD, D(2023, 9, 1), D(2023, 12, 31))


def test_a_day_of_every_quarter_says_so_with_or_without_cua() -> None:
    """ "trước ngày 20 của tháng cuối quý" is the quarterly report's day, not an unknown phrase: the
    refusal says to make it a quarterly duty, as for "trước ngày 20 tháng cuối quý"."""
    with pytest.raises(DeadlinePhraseError, match="a day in every quarter"):
        parse_deadline("Hằng quý, trước ngày 20 của tháng cuối quý", default_year=2023)


# -- issue 12, class 8: "trước ngày X" is one setting --------------------------------------------
def test_before_date_means_end_of_day_by_default() -> None:
    assert parse_deadline("trước ngày 30/6/2022").due == D(2022, 6, 30)
    assert parse_deadline("trước ngày 30/6/2022", before_date_means=BeforeDateMeans.END_OF_DAY).due == D(2022, 6, 30)


@pytest.mark.parametrize(
    "phrase, due",
    [
        ("trước ngày 30/6/2022", D(2022, 6, 29)),
        ("Hoàn thành trước ngày 01/3/2022", D(2022, 2, 28)),
        ("trước ngày **15/02/2022**.", D(2022, 2, 14)),
        ("trước 01/01/2023", D(2022, 12, 31)),
    ],
)
def test_before_date_means_previous_day(phrase: str, due: date) -> None:
    d = parse_deadline(phrase, before_date_means=BeforeDateMeans.PREVIOUS_DAY)
    assert (d.kind, d.due, d.phrase) == (K.DATE, due, phrase)  # the phrase stays as written


@pytest.mark.parametrize(
    "phrase, due",
    [
        ("ngày 15/02/2022", D(2022, 2, 15)),
        ("chậm nhất ngày 25/12/2022", D(2022, 12, 25)),
        ("hạn chót 25/12/2022", D(2022, 12, 25)),
        ("Tháng 9/2022", D(2022, 9, 30)),
    ],
)
def test_previous_day_reading_touches_only_truoc(phrase: str, due: date) -> None:
    assert parse_deadline(phrase, before_date_means=BeforeDateMeans.PREVIOUS_DAY).due == due


def test_before_date_due() -> None:
    assert before_date_due(D(2022, 3, 1), BeforeDateMeans.PREVIOUS_DAY) == D(2022, 2, 28)
    assert before_date_due(D(2022, 3, 1), BeforeDateMeans.END_OF_DAY) == D(2022, 3, 1)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("đẩy nhanh tiến độ, phấn đấu đến ngày 30/6/2023 đạt 70% dân số", ["đến ngày 30/6/2023"]),
        ("bảo đảm 100% cơ sở thực hiện trong tháng 5/2023.", ["trong tháng 5/2023"]),
        ("tổ chức 02 hội nghị tập huấn trong quý II/2023.", ["trong quý II/2023"]),
        ("phấn đấu đến hết năm 2023 đạt ít nhất 30% số giao dịch", ["đến hết năm 2023"]),
        ("Bảo đảm an toàn thông tin; thời gian thực hiện: thường xuyên.", ["thường xuyên"]),
        ("thực hiện ngay từ ngày 01/6/2023.", ["từ ngày 01/6/2023"]),
        ("bố trí kinh phí; hoàn thành trước ngày 15/11/2022.", ["hoàn thành trước ngày 15/11/2022"]),
        (
            "rà soát trước ngày 30/6/2023, báo cáo chậm nhất ngày 15/7/2023",
            ["trước ngày 30/6/2023", "chậm nhất ngày 15/7/2023"],
        ),
        ("tỷ lệ trong 4 tháng đầu năm 2023 còn thấp; Quyết định số 06/QĐ-TTg ngày 06/01/2022", []),
        ("thời gian thực hiện: khi có hướng dẫn của Bộ", ["khi có hướng dẫn của Bộ"]),
        # 117/KH-UBND II.4.c, II.1.đ: a time limit written "đến tháng …", "vào tháng …"
        ("đảm bảo đến tháng 9/2023 có ít nhất 50% số xã áp dụng", ["đến tháng 9/2023"]),
        ("100% công chức vào tháng 6/2023; 100% vào quý IV/2023", ["tháng 6/2023", "quý IV/2023"]),
        ("đạt tối thiểu 50% trong tổng số hồ sơ trong năm 2023.", ["trong năm 2023"]),
        # a year that says when a task is a priority, not by when it is done
        ("những nhiệm vụ cần ưu tiên làm trước trong năm 2023 và các năm tiếp theo", []),
        # a start is no deadline, whatever word follows "bắt đầu"
        ("bắt đầu trong tháng 10/2023, hoàn thành trước ngày 30/12/2023", ["hoàn thành trước ngày 30/12/2023"]),
    ],
)
def test_deadlines_found_inside_a_sentence(text: str, found: list[str]) -> None:
    assert find_deadlines(text, default_year=2023) == found
    for phrase in found:
        parse_deadline(phrase, default_year=2023)  # each one is a phrase the parser reads


@pytest.mark.parametrize("text", ["trước ngày 31/12/9999", "Tháng 1/2101", "Năm 1899"])
def test_a_year_past_the_plans_is_refused(text):
    """ "31/12/9999" (a slip) was read, and the sweep's day arithmetic then overflowed for every body."""
    with pytest.raises(DeadlinePhraseError, match="outside 1900–2100"):
        parse_deadline(text)


@pytest.mark.parametrize(
    ("condition", "phrase", "said"),
    [
        ("Theo kế hoạch hàng năm", "Theo kế hoạch hàng năm", None),  # a CONDITION phrase is its condition
        ("theo Kế hoạch của Bộ", "Tháng 12/2022 (theo Kế hoạch của Bộ)", None),  # a period's "(theo …)" note
        ("Khi có hướng dẫn", None, "Khi có hướng dẫn"),  # no phrase shown: said apart
        ("Khi có hướng dẫn", "Quý IV/2022", "Khi có hướng dẫn"),  # a precondition the phrase does not say
        (None, "Quý IV/2022", None),
    ],
)
def test_a_condition_is_said_apart_only_when_the_phrase_does_not_say_it(
    condition: str | None, phrase: str | None, said: str | None
) -> None:
    from dondoc.engine.deadlines import unsaid_condition

    assert unsaid_condition(condition, phrase) == said
