"""Domain errors. Each builds its own clear message; the edges (CLI, web) map them."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; never a bug."""

    code = "domain_error"


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key!s} not found")
        self.what, self.key = what, key


class TransitionNotAllowed(DomainError):
    """The action is not in the transition table for the current state."""

    code = "transition_not_allowed"

    def __init__(self, assignment_id: int, state: str, action: str, allowed: list[str]) -> None:
        hint = f"; allowed in this state: {', '.join(allowed)}" if allowed else "; no action is allowed in this state"
        super().__init__(f'assignment {assignment_id} is "{state}": action "{action}" is not allowed{hint}')
        self.state, self.action = state, action


class ConditionNotMet(DomainError):
    """The table allows the action from this state, but one of its named conditions does not hold now.

    The message is for the person who tried (pages show it as it is), so it is in Vietnamese.
    """

    code = "condition_not_met"

    def __init__(self, assignment_id: int, action: str, label_vi: str, condition: str, reason_vi: str) -> None:
        super().__init__(f'Không thể "{label_vi}" đối với nhiệm vụ {assignment_id}: {reason_vi}.')
        self.action, self.condition = action, condition


class PermissionDenied(DomainError):
    code = "permission_denied"

    def __init__(self, actor: str, action: str, reason: str) -> None:
        super().__init__(f'{actor} may not "{action}": {reason}')
        self.actor, self.action = actor, action


class Conflict(DomainError):
    """Someone else changed the row since it was read; nothing was written."""

    code = "conflict"

    def __init__(self, assignment_id: int, expected: int, actual: int | None) -> None:
        now = "deleted" if actual is None else f"now at version {actual}"
        super().__init__(
            f"assignment {assignment_id} was changed by someone else (expected version {expected}, {now}); "
            "reload and try again"
        )


class InvalidInput(DomainError):
    code = "invalid_input"


class ConfigError(DomainError):
    code = "config_error"


class Backdated(DomainError):
    """An action dated before the assignment's last event: the history is never rewritten."""

    code = "backdated"

    def __init__(self, assignment_id: int, at_vi: str, last_vi: str) -> None:
        super().__init__(
            f"Không thể ghi thao tác lúc {at_vi} vào nhiệm vụ {assignment_id}: "
            f"nhật ký của nhiệm vụ đã có sự kiện lúc {last_vi}, không ghi lùi thời gian."
        )
        self.assignment_id = assignment_id


class PastNowRefused(DomainError):
    """``--now`` in the past on a command that writes, on a database that is not a replay."""

    code = "past_now_refused"
