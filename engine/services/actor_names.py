"""The names of the agencies that acted in a part's history (an event keeps the acting agency's
code): the part's page and ``dondoc assignments show`` say "Sở Nội vụ", not "so-noi-vu"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from dondoc.engine.history_labels import ACTOR_LABELS_VI
from dondoc.engine.models import Agency


def actor_names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """code -> name of each agency among ``actors`` (event actors, a request's asker or answerer).
    Read with the page or the command, so a renamed body shows its name of today; the roles (Tổ giúp
    việc, Hệ thống, …) are named by ACTOR_LABELS_VI."""
    codes = {a for a in actors if a} - set(ACTOR_LABELS_VI)
    if not codes:
        return {}
    return dict(session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(codes))).all())


def actor_label(actor: str, names: dict[str, str]) -> str:
    """Who acted, in words: a role by its title, an agency by its name, else as recorded."""
    return ACTOR_LABELS_VI.get(actor) or names.get(actor, actor)


def actor_words(actor: str, account: str | None, names: dict[str, str]) -> str:
    """Who acted, as a history line shows it: :func:`actor_label`, and the account that acted for
    it in brackets when recorded ("Tổ giúp việc (tgv)")."""
    return actor_label(actor, names) + (f" ({account})" if account else "")


# The history's actors that are no person: a change of theirs was made by nobody "else".
UNMANNED = frozenset({"catalog", "system"})


def by_another(actor: str, account: str | None, refused_actor: str | None, refused_account: str | None) -> bool:
    """Whether an event's actor (and account) is another than the one now refused: another body or
    role, or the same role acting through another account; not when either account is unknown, nor
    of the catalog or the system (nobody)."""
    if actor in UNMANNED or refused_actor is None:
        return False
    if actor != refused_actor:
        return True
    return account is not None and refused_account is not None and account != refused_account
