"""The words for a set of parts chosen by role, where the texts head the lead otherwise.

A part's own word is ``engine.models.assignments.role_label`` (04/KH-BCĐ's lead "Tham mưu", 117/KH-UBND
II.1.e's "Thực hiện"); but a filter or a count by role takes the role as the engine follows it: "lead"
is every body followed as the lead, whatever its heading. Said "Chủ trì" alone, the choice "Vai trò:
Chủ trì" returned the leads the text heads "Tham mưu" or "Thực hiện" without saying so, and "Thực hiện"
left out the leads headed so. Every surface that names such a set by role takes its words here: the
filter's choices (the form, the refusal of a bad value), the periodic report's mail and the leaders' page.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from dondoc.engine.models.assignments import ROLE_LABELS_VI, Role, role_label
from dondoc.engine.models.plans import LEAD_HEADING
from dondoc.engine.textfold import vi_sort_key

# The qualifier of a role whose word is also a heading the texts give some leads (117/KH-UBND's
# "Cơ quan thực hiện"): those bodies are in the lead's set, not in this role's.
_NOT_THE_LEADS = "trừ cơ quan được theo dõi như chủ trì"


def lead_words(session: Session) -> list[str]:
    """The headings the catalog's texts give an item's lead other than "chủ trì" (role_label's
    words: "Tham mưu", "Thực hiện"), read now: the catalog loaded today says them."""
    headings = session.exec(select(LEAD_HEADING).where(LEAD_HEADING.is_not(None)).distinct()).all()
    words = {role_label(Role.LEAD.value, h) for h in headings if h} - {ROLE_LABELS_VI[Role.LEAD]}
    return sorted(words, key=vi_sort_key)


def role_choices(lead_words: Sequence[str]) -> list[tuple[str, str]]:
    """The filter's choices by role, (value, label), saying what each returns: the lead's names its
    other headings ("Chủ trì, kể cả cơ quan văn bản ghi là tham mưu hoặc thực hiện"); a role whose word
    is one of them says it leaves those out ("Thực hiện, trừ cơ quan được theo dõi như chủ trì").
    The values are the roles' own, so a link kept from before still selects the same rows."""
    others = [w.lower() for w in lead_words]
    choices = []
    for role in Role:
        word = ROLE_LABELS_VI[role]
        if role is Role.LEAD and others:
            word = f"{word}, kể cả cơ quan văn bản ghi là {' hoặc '.join(others)}"
        elif role is not Role.LEAD and word.lower() in others:
            word = f"{word}, {_NOT_THE_LEADS}"
        choices.append((role.value, word))
    return choices


def roles_said(role: Role, lead_words: Sequence[str], beside: Sequence[Role] = ()) -> str:
    """A role as the mail names the bodies of it: the lead also by the texts' other headings for it
    ("chủ trì hoặc tham mưu"), since the mail counts those parts too; a heading that is the word of
    a role named ``beside`` it is said once, there (117/KH-UBND's lead headed "Cơ quan thực hiện":
    not "chủ trì hoặc thực hiện, thực hiện")."""
    word = ROLE_LABELS_VI[role].lower()
    named = {ROLE_LABELS_VI[other].lower() for other in beside if other is not role}
    others = [w.lower() for w in lead_words if w.lower() not in named]
    if role is Role.LEAD and others:
        return " hoặc ".join([word, *others])
    return word


def roles_words(roles: Sequence[str], lead_words: Sequence[str]) -> str:
    """Several roles said together, each as :func:`roles_said` says it beside the others: the
    leaders' page's "của cơ quan chủ trì hoặc tham mưu, thực hiện", as the periodic report's mail."""
    told = [Role(r) for r in roles]
    return ", ".join(roles_said(role, lead_words, told) for role in told)
