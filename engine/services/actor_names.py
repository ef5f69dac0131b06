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
