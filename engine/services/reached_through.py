"""A role the text names that leaves no part of its own: a group the catalog reaches through a body
that already holds another role on the item.

61/KH-UBND PL.II.25 names "Các Trung tâm Y tế, Bệnh viện liên quan" as partners; the catalog reads
it as the group "Các cơ sở y tế", whose one member is Sở Y tế (health facilities are reached through
it), and Sở Y tế leads the item: no partner's part is made. The item's page quoted the text's
partners above a list with no partner in it and did not say why.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

from dondoc.engine.models import Agency, AgencyGroup, AgencyGroupMember


def reached_through(session: Session, phrase: str, holders: Mapping[str, str]) -> str | None:
    """Why the role ``phrase`` names has no part: the group the catalog reads it as (by its name or
    an alias, case aside), when every body it reaches holds another role on the item (``holders``:
    agency code → that role's word), in words ("«Các cơ sở y tế (…)» liên hệ qua Sở Y tế, cơ quan
    chủ trì"); None when the phrase is no such group."""
    wanted = phrase.strip().casefold()
    for group in session.exec(select(AgencyGroup).order_by(col(AgencyGroup.code))):
        if wanted not in {group.name.casefold(), *(alias.casefold() for alias in group.aliases)}:
            continue
        members = session.exec(
            select(col(Agency.code), col(Agency.name))
            .join(AgencyGroupMember, col(AgencyGroupMember.agency_id) == col(Agency.id))
            .where(col(AgencyGroupMember.group_id) == group.id)
            .order_by(col(Agency.name), col(Agency.id))
        ).all()
        if members and all(code in holders for code, _ in members):
            through = ", ".join(f"{name}, cơ quan {holders[code]}" for code, name in members)
            return f"«{group.name}» liên hệ qua {through}"
    return None
