"""What is said of a part's date beside it, in plain words, on every surface that shows the date: the
lists and the part's page (web.assignment_rows.deadline_words), the board's workbook (web.exports)
and the CLI's ``assignments show``."""

from __future__ import annotations

from datetime import date, datetime

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.status import before_day_kept, before_kept_words, day_off_words, extension_note, moved_off_day


def date_notes(
    deadline_phrase: str | None, due_at: datetime | None, original_due_at: datetime | None, written: date | None
) -> tuple[str | None, str | None]:
    """What is said of a date beside it, as plain text: that it was extended, and the first date
    (engine.status.extension_note, as the digests say it), or else that a day off moved it from the
    text's date ``written`` (engine.status.moved_off_day), or that "trước ngày X" is counted through X
    (engine.status.before_day_kept, as the mails say it); (extended, the other), each None when not
    so. The lists' HTML (web.assignment_rows.deadline_words) and the board's workbook say them alike."""
    extended = extension_note(deadline_phrase, due_at, original_due_at, DEFAULT_DAYS.tz)
    if extended is not None:
        return extended, None
    kept = before_day_kept(deadline_phrase, written.year if written else None, due_at, DEFAULT_DAYS.tz)
    counted = before_kept_words(kept) if kept is not None else None
    moved = moved_off_day(written, original_due_at, due_at, DEFAULT_DAYS.tz)
    if moved is not None:  # "trước ngày X", X a day off: the reading, then the rule's move (both said)
        return None, f"{counted}; {day_off_words(moved)}" if counted else day_off_words(moved)
    return None, counted


def date_note(
    deadline_phrase: str | None, due_at: datetime | None, original_due_at: datetime | None, written: date | None
) -> str | None:
    """The one note a cell beside a date holds (:func:`date_notes`): that it was extended, else the
    other; None when neither is so. The board's workbook and the periodic report say it alike."""
    extended, note = date_notes(deadline_phrase, due_at, original_due_at, written)
    return extended or note
