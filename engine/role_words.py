"""The words for a set of parts chosen by role, where the texts head the lead otherwise.

A part's own word is ``engine.models.assignments.role_label`` (04/KH-BCĐ's lead "Tham mưu", 117/KH-UBND
II.1.e's "Thực hiện"); but a filter or a count by role takes the role as the engine follows it: "lead"
is every body followed as the lead, whatever its heading. Said "Chủ trì" alone, the choice "Vai trò:
Chủ trì" returned the leads the text heads "Tham mưu" or "Thực hiện" without saying so, and "Thực hiện"
left out the leads headed so. Every surface that names such a set by role takes its words here: the
filter's choices (the form, the refusal of a bad value), the periodic report's mail and the leaders' page.

And what a body sends for its part, by its role (:func:`sent_words`, :func:`send_words`): a partner
(phối hợp) sends its input to the lead, never a report of the task; its page, the lead's copy of a
return and the partner's own mails say it alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from dondoc.engine.history_labels import EVENT_LABELS_VI
from dondoc.engine.models.assignments import ROLE_LABELS_VI, Role, role_label
from dondoc.engine.models.plans import LEAD_HEADING, PlanItem
from dondoc.engine.textfold import vi_sort_key
from dondoc.engine.workflow import ACTION_LABELS_VI, Action

# The qualifier of a role whose word is also a heading the texts give some leads (117/KH-UBND's
# "Cơ quan thực hiện"): those bodies are in the lead's set, not in this role's.
_NOT_THE_LEADS = "trừ cơ quan được theo dõi như chủ trì"


# built once: every desk page whose filter offers the roles reads it (web.filters.filter_choices)
_HEADINGS = select(LEAD_HEADING).where(LEAD_HEADING.is_not(None)).distinct()


def lead_words(session: Session, plans: Select[Any] | None = None) -> list[str]:
    """The headings the catalog's texts give an item's lead other than "chủ trì" (role_label's
    words: "Tham mưu", "Thực hiện"), read now: the catalog loaded today says them; ``plans``: those of
    these plans only (a look-back's, engine.reports.history.plans_then: the desk's role menu read at
    01/03/2022 named 117/KH-UBND's "thực hiện", issued on 27/07). Read on the session's connection:
    plain rows, no ORM result to build."""
    statement = _HEADINGS if plans is None else _HEADINGS.where(col(PlanItem.plan_id).in_(plans))
    headings = session.connection().execute(statement).scalars().all()
    words = {role_label(Role.LEAD.value, h) for h in headings if h} - {ROLE_LABELS_VI[Role.LEAD]}
    return sorted(words, key=vi_sort_key)


def role_choices(lead_words: Sequence[str]) -> list[tuple[str, str]]:
    """The filter's choices by role, (value, label), saying what each returns: the lead's names its
    other headings ("Chủ trì, kể cả cơ quan văn bản ghi là tham mưu hoặc thực hiện khi không ghi cơ quan
    chủ trì"); a role whose word
    is one of them says it leaves those out ("Thực hiện, trừ cơ quan được theo dõi như chủ trì").
    The values are the roles' own, so a link kept from before still selects the same rows."""
    others = [w.lower() for w in lead_words]
    choices = []
    for role in Role:
        word = ROLE_LABELS_VI[role]
        if role is Role.LEAD and others:
            # only an item whose text names no "cơ quan chủ trì" heads its lead otherwise
            # (tasks_catalog/README.md): 117/KH-UBND's "Cơ quan thực hiện" beside a "Cơ quan chủ trì" are
            # implementers, and "kể cả cơ quan văn bản ghi là thực hiện" alone promised them here
            word = f"{word}, {_including(others)}"
        elif role is not Role.LEAD and word.lower() in others:
            word = f"{word}, {_NOT_THE_LEADS}"
        choices.append((role.value, word))
    return choices


def roles_terms(roles: Sequence[Role], lead_words: Sequence[str]) -> list[str]:
    """The words naming the bodies of ``roles`` together, each once: the lead also by the texts' other
    headings for it ("chủ trì", "tham mưu"), since what counts the lead's parts counts those too; a
    heading that is the word of another role named is said there (117/KH-UBND's lead headed "Cơ quan
    thực hiện" beside the implementers: "thực hiện" once)."""
    terms: list[str] = []
    for role in roles:
        terms.append(ROLE_LABELS_VI[role].lower())
        if role is Role.LEAD:
            terms.extend(w.lower() for w in lead_words)
    return list(dict.fromkeys(terms))


def _including(others: Sequence[str]) -> str:
    """The lead's other headings, said as the lead's (the filter's choice, and a count of the lead
    apart from the role whose word one of them is)."""
    return f"kể cả cơ quan văn bản ghi là {' hoặc '.join(others)} khi không ghi cơ quan chủ trì"


def roles_words(roles: Sequence[str], lead_words: Sequence[str]) -> str:
    """Several roles said together, as one list, as the texts list roles ("cơ quan chủ trì, phối hợp"):
    the leaders' page's "của cơ quan chủ trì, tham mưu, thực hiện", as the periodic report's mail. It
    said "chủ trì hoặc tham mưu, thực hiện", an "or" inside a list, and "chủ trì hoặc tham mưu hoặc thực
    hiện" of a lead counted alone.

    Where a heading of the lead is the word of a role not among ``roles`` (117/KH-UBND's "Cơ quan thực
    hiện", the implementers counted apart), the list would name a role it does not count: the lead is
    said with its headings as the filter says it ("chủ trì (kể cả cơ quan văn bản ghi là tham mưu hoặc
    thực hiện khi không ghi cơ quan chủ trì)"), and that role, counted apart, without the leads
    ("thực hiện (trừ cơ quan được theo dõi như chủ trì)")."""
    told = [Role(r) for r in roles]
    others = [w.lower() for w in lead_words]
    left_out = {ROLE_LABELS_VI[r].lower() for r in Role if r is not Role.LEAD and r not in told}
    if Role.LEAD in told and left_out & set(others):
        lead = f"{ROLE_LABELS_VI[Role.LEAD].lower()} ({_including(others)})"
        return ", ".join([lead, *(ROLE_LABELS_VI[r].lower() for r in told if r is not Role.LEAD)])
    if Role.LEAD not in told:
        return ", ".join(
            f"{word} ({_NOT_THE_LEADS})" if (word := ROLE_LABELS_VI[r].lower()) in others else word for r in told
        )
    return ", ".join(roles_terms(told, lead_words))


# What a body sends for its part: a partner its input to the lead, any other body its report of the work.
PARTNER_SENDS_VI = "ý kiến, kết quả phối hợp"
REPORT_VI = "báo cáo kết quả"


def sent_words(role: str) -> str:
    """What a body in ``role`` sends for its part, as a noun: "ý kiến, kết quả phối hợp" for a
    partner, "báo cáo kết quả" for any other ("trả lại … của quý cơ quan")."""
    return PARTNER_SENDS_VI if role == Role.PARTNER.value else REPORT_VI


def send_words(role: str, lead_word: str | None = None) -> str:
    """What a body in ``role`` is asked to do with its part, or did, as a verb phrase: a partner "gửi ý
    kiến, kết quả phối hợp", and with ``lead_word`` (the lead in its text's word: "chủ trì", "tham mưu")
    "… cho cơ quan chủ trì"; any other body "báo cáo kết quả"."""
    if role != Role.PARTNER.value:
        return REPORT_VI
    return f"gửi {PARTNER_SENDS_VI}" + (f" cho cơ quan {lead_word}" if lead_word else "")


def send_words_of(roles: Iterable[str]) -> str:
    """:func:`send_words` of several parts (a mail listing them): said once when they share it, both
    ways when some are partners' and some not ("báo cáo kết quả hoặc gửi ý kiến, kết quả phối hợp")."""
    partner = {role == Role.PARTNER.value for role in roles}
    if partner == {True}:
        return send_words(Role.PARTNER.value)
    return f"{REPORT_VI} hoặc {send_words(Role.PARTNER.value)}" if True in partner else REPORT_VI


# A partner's report step is its input sent to the lead: every surface that names the step of a part
# (its page's form, the refusal of its empty input or of another step, its history on every page and in
# the command line's export) takes the name here, by the part's role. The rule book's own names
# (engine.workflow.ACTION_LABELS_VI) are a lead's: "Nội dung báo cáo", "Gửi báo cáo", "Báo cáo kết
# quả" had been said to a partner on its own page.
REPORT_NEEDS_VI = "kết quả đã thực hiện, hoặc số, ngày của văn bản báo cáo"
# no lead named: its heading ("chủ trì", "tham mưu") is the text's, not known here
PARTNER_NEEDS_VI = "ý kiến, kết quả phần việc phối hợp đã thực hiện, hoặc số, ngày của văn bản"


def _sends(role: str | None) -> str | None:
    """A partner's step of reporting in words ("Gửi ý kiến, kết quả phối hợp"), else None."""
    return send_words(Role.PARTNER.value).capitalize() if role == Role.PARTNER.value else None


def action_label(action: Action, role: str | None = None) -> str:
    """The name of ``action`` on a part in ``role``: a partner's report is "Gửi ý kiến, kết quả phối
    hợp", every other the rule book's."""
    return (_sends(role) if action is Action.REPORT else None) or ACTION_LABELS_VI[action]


def event_label(kind: str, role: str | None = None) -> str:
    """The name of a history's event ``kind`` (engine.history_labels) on a part in ``role``, as
    :func:`action_label` names the step."""
    return (_sends(role) if kind == Action.REPORT.value else None) or EVENT_LABELS_VI.get(kind, kind)


def report_form_words(role: str | None) -> tuple[str, str, str]:
    """The report form's field, button and hint for a part in ``role``: ("Nội dung ý kiến, kết quả
    phối hợp", "Gửi ý kiến, kết quả phối hợp", "Ý kiến, kết quả phần việc phối hợp …") for a partner,
    ("Nội dung báo cáo", "Gửi báo cáo", "Kết quả đã thực hiện …") else: what the empty input's refusal
    (:func:`report_needed`) asks for."""
    sends = _sends(role)
    if sends:
        return f"Nội dung {PARTNER_SENDS_VI}", sends, PARTNER_NEEDS_VI.capitalize()
    return "Nội dung báo cáo", "Gửi báo cáo", REPORT_NEEDS_VI.capitalize()


def report_needed(role: str | None) -> str:
    """The refusal of a report sent with no words, for a part in ``role``."""
    if role == Role.PARTNER.value:
        return f"{PARTNER_SENDS_VI.capitalize()} cần có nội dung: {PARTNER_NEEDS_VI}."
    return f"Báo cáo cần có nội dung: {REPORT_NEEDS_VI}."
