"""Domain errors. Each builds its own clear message; the edges (CLI, web) map them."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error a user can cause; never a bug."""

    code = "domain_error"
    # why, without naming the assignment or the action, where the error gives it: what a page says
    # beside a row it offers no form on (the rule book's refusal); None: only the whole message says it
    reason: str | None = None
    # the part as the message names it (engine.services.part_words), exactly as written in it: a list
    # that names the row already (a bulk summary) says "phần việc này" in its place (web.errors.refusal_line)
    part_said: str | None = None


# How a NotFound names what was looked for (shown to users: Vietnamese).
NOT_FOUND_LABELS_VI = {
    "agency": "cơ quan",
    "assignment": "phần việc",  # one agency's part of an item (the pages' word)
    "attachment": "tệp đính kèm",
    "attachment file": "tệp đính kèm",
    "attachment of indicator value": "tệp đính kèm của số liệu chỉ tiêu",
    "indicator": "chỉ tiêu",
    "item": "mục nhiệm vụ",
    "plan": "kế hoạch",
    "account": "tài khoản",
    "API token": "mã truy cập API",
    "queue": "hàng chờ",
}


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"Không tìm thấy {NOT_FOUND_LABELS_VI.get(what, what)} {key!s}.")
        self.what, self.key = what, key


def _sentence(words: str) -> str:
    """``words`` opening a sentence: its first letter a capital ("Phần việc của …")."""
    return words[:1].upper() + words[1:]


class TransitionNotAllowed(DomainError):
    """The action is not in the transition table for the current state. ``part``: the part in words
    (engine.services.part_words), else its number; ``acknowledged_on`` (dd/mm/yyyy), of a second
    "Tiếp nhận": the day the part was acknowledged, said rather than "không thể"."""

    code = "transition_not_allowed"

    def __init__(
        self,
        assignment_id: int,
        state: str,
        action: str,
        allowed: list[str],
        state_label: str | None = None,
        action_label: str | None = None,
        *,
        part: str | None = None,
        acknowledged_on: str | None = None,
    ) -> None:
        # each quoted: a partner's "Gửi ý kiến, kết quả phối hợp" holds a comma of its own
        offered = ", ".join(f'"{a}"' for a in allowed)
        hint = f"; lúc này có thể: {offered}" if allowed else "; lúc này không còn thao tác nào"
        in_state = f'đang ở trạng thái "{state_label or state}"'
        self.reason = f"phần việc {in_state}"  # why, without which assignment or action: said beside its row
        named, label = _sentence(part or f"phần việc {assignment_id}"), action_label or action
        self.part_said = named
        if acknowledged_on is not None:
            said = f'{named} đã được tiếp nhận ngày {acknowledged_on}, không cần "{label}" lại; {in_state}'
            super().__init__(f"{said}{hint}.")
        else:
            super().__init__(f'{named} {in_state}: không thể "{label}"{hint}.')
        self.state, self.action = state, action


class ConditionNotMet(DomainError):
    """The table allows the action from this state, but one of its named conditions does not hold now.

    The message is for the person who tried (pages show it as it is), so it is in Vietnamese; ``part``:
    the part in words (engine.services.part_words), else its number.
    """

    code = "condition_not_met"

    def __init__(
        self, assignment_id: int, action: str, label_vi: str, condition: str, reason_vi: str, *, part: str | None = None
    ) -> None:
        named = self.part_said = part or f"phần việc {assignment_id}"
        super().__init__(f'Không thể "{label_vi}" đối với {named}: {reason_vi}.')
        self.action, self.condition = action, condition
        self.reason = reason_vi  # why, without which assignment or action (CONDITION_REFUSALS_VI)


class PermissionDenied(DomainError):
    code = "permission_denied"

    def __init__(self, actor: str, action: str, reason: str) -> None:
        """``actor`` named in words (an agency by its name), ``action`` what it may not do, in words
        ("thực hiện “Gia hạn”", "tải tệp 5"): the message is read by the person refused."""
        super().__init__(f"{actor[:1].upper()}{actor[1:]} không được {action}: {reason}.")  # "Hệ thống …"
        self.actor, self.action, self.reason = actor, action, reason


@dataclass(frozen=True)
class Change:
    """A part's latest change as its history names it (engine.services.assignment_writes.latest_change)."""

    what: str  # the event's action in the history's words: "Yêu cầu giải trình"
    who: str  # the actor as pages show it: "Tổ giúp việc (tgv)", "Sở Nội vụ"
    at: str  # when, dd/mm/yyyy HH:MM local: "25/11/2022 10:05"
    by_other: bool  # another account or body than the one refused ("người khác"); never the system's


class Conflict(DomainError):
    """The row changed since it was read (or the version sent is one it never had); nothing was
    written. ``change`` is its latest change, as the history says it, when known: a clerk refused
    after a step of their own (a second bulk action from the same list, a second tab) had been told
    "vừa được người khác thay đổi"."""

    code = "conflict"

    def __init__(
        self,
        assignment_id: int,
        expected: int,
        actual: int | None,
        change: Change | None = None,
        *,
        part: str | None = None,
    ) -> None:
        self.assignment_id, self.expected, self.actual, self.change = assignment_id, expected, actual, change
        # the part in words (engine.services.part_words), else its number: a sentence opens with it
        self.named = self.part_said = _sentence(part or f"phần việc {assignment_id}")
        # a version newer than the row's, or before its first (1: engine.models.assignments): no page
        # showed it, and nobody changed the row
        self.never_had = actual is not None and (expected > actual or expected < 1)
        if self.never_had:
            said = (
                f"{self.named} chưa từng có phiên bản {expected} (hiện là phiên bản {actual}); "
                "vui lòng tải lại và thực hiện lại."
            )
        else:
            now = "" if actual is None else f" (nay là phiên bản {actual})"
            said = self._said(f"sau phiên bản {expected} đã đọc{now}", "đọc lại phần việc để xem tình trạng hiện tại")
        super().__init__(said)

    def page_words(self) -> str:
        """What a page says of it (the single action's error page, a bulk summary's line): the form
        carried the version the page was opened at."""
        if self.never_had:
            return str(self)
        return self._said("sau khi trang được mở", "mở lại trang để xem tình trạng hiện tại")

    def _said(self, since: str, again: str) -> str:
        """One sentence: the part changed ``since`` it was read, by what, whom and when; ``again``."""
        if self.actual is None:
            return f"{self.named} đã bị xóa {since}."
        change = self.change
        changed = "đã được người khác thay đổi" if change is not None and change.by_other else "đã thay đổi"
        said = f"{self.named} {changed} {since}"
        if change is not None:
            latest = ": " if self.actual - self.expected == 1 else "; thay đổi gần nhất: "  # one write, or several
            said += f"{latest}{change.what}, do {change.who} lúc {change.at}"
        return f"{said}; {again}."


class InvalidInput(DomainError):
    code = "invalid_input"


class ConfigError(DomainError):
    code = "config_error"


class Backdated(DomainError):
    """An action dated before the assignment's last event: the history is never rewritten."""

    code = "backdated"

    def __init__(self, assignment_id: int, at_vi: str, last_vi: str, *, part: str | None = None) -> None:
        self.part_said = part or f"phần việc {assignment_id}"  # in words: engine.services.part_words
        super().__init__(
            f"Không thể ghi thao tác lúc {at_vi} vào {self.part_said}: "
            f"nhật ký của phần việc đã có sự kiện lúc {last_vi}, không ghi lùi thời gian."
        )
        self.assignment_id = assignment_id
        # why, without which assignment: said beside its row on a page read at an earlier instant
        self.reason = (
            f"nhật ký của phần việc đã có sự kiện lúc {last_vi}, sau thời điểm đang xem; không ghi lùi thời gian"
        )


class ShiftedNowRefused(DomainError):
    """``--now`` away from the real clock (past or future) on a command that writes, on a database
    that is not a replay."""

    code = "shifted_now_refused"
