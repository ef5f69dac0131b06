"""Who is asking: an agency (by its link or API token), a leader, or a logged-in secretariat user.

Every page and API call resolves a Principal first; what it may see is decided here, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlmodel import Session

from dondoc.engine.actors import LEADERS, RECIPIENT_LABELS_VI, SECRETARIAT, Actor, ActorKind, Leader
from dondoc.engine.errors import DomainError, PermissionDenied
from dondoc.engine.links import LinkInvalid, verify_token
from dondoc.engine.services.accounts import session_current, token_holder
from dondoc.engine.services.part_words import part_said
from dondoc.engine.services.successions import refuse_if_succeeded
from dondoc.engine.services.web_queries import agency_by_code
from dondoc.engine.views import AssignmentView
from dondoc.web.context import WebContext, ctx

# The link pages, by the path their routers are under: the link is an agency's, or a leader's.
AGENCY_PAGES = "/a/{token}"
LEADER_PAGES = "/leaders/{token}"


class LoginRequired(DomainError):
    """A secretariat page was asked for without a logged-in session."""

    code = "login_required"

    def __init__(self) -> None:
        super().__init__("please log in")


class Unauthorized(DomainError):
    """An API call without a valid bearer token."""

    code = "unauthorized"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)


@dataclass(frozen=True)
class Principal:
    actor: Actor
    name: str
    agency_id: int | None = None
    username: str | None = None

    @property
    def is_agency(self) -> bool:
        return self.actor.kind is ActorKind.AGENCY

    @property
    def is_leader(self) -> bool:
        return self.actor.kind in LEADERS

    @property
    def is_secretariat(self) -> bool:
        return self.actor.kind is ActorKind.SECRETARIAT

    def check_can_see(self, view: AssignmentView) -> None:
        """An agency sees only its own assignments; leaders and the secretariat see all."""
        if self.is_agency and view.agency_code != self.actor.agency_code:
            part = part_said(view.item_code, view.milestone_label, view.agency_name)
            raise PermissionDenied(self.name, f"xem {part}", "phần việc này thuộc cơ quan khác")


def agency_principal(session: Session, context: WebContext, token: str) -> Principal:
    """The agency a link stands for; LinkInvalid for forged, expired, revoked or non-agency links."""
    subject = verify_token(session, token, now=context.clock.now(), secret=context.secret)
    if not subject.startswith("agency:"):
        raise LinkInvalid("not_agency")
    agency = agency_by_code(session, subject.removeprefix("agency:"))
    # a body a succession ended: a clear page naming its successor, not its old work
    refuse_if_succeeded(session, agency, context.clock.now(), context.clock)
    return Principal(Actor.agency(agency.code), agency.name, agency.id)


def leader_principal(session: Session, context: WebContext, token: str) -> Principal:
    """The chair or standing vice-chair a link stands for."""
    subject = verify_token(session, token, now=context.clock.now(), secret=context.secret)
    leader = Leader.from_subject(subject)
    if leader is None:
        raise LinkInvalid("not_leader")
    return Principal(Actor(ActorKind(leader.value)), RECIPIENT_LABELS_VI[leader])


@contextmanager
def secretariat_db(request: Request, context: WebContext) -> Iterator[tuple[Principal, Session]]:
    """The logged-in secretariat user and the transaction of the request (context.db), which
    checks the user first; LoginRequired otherwise, before anything else is read.

    Checked against the account on every request: a deactivated account, or a cookie from before a
    logout or a password change (an older session generation), is no longer logged in. A page that
    reads the database opens its transaction here: one transaction (one connection of the pool)
    for the check and the page."""
    with context.db() as session:
        username = request.session.get("user")
        if not username:
            raise LoginRequired()
        if not session_current(session, str(username), request.session.get("gen")):
            request.session.clear()
            raise LoginRequired()
        yield Principal(SECRETARIAT, str(request.session.get("name") or username), username=str(username)), session


def secretariat_principal(request: Request, context: Annotated[WebContext, Depends(ctx)]) -> Principal:
    """The logged-in secretariat user (a FastAPI dependency): :func:`secretariat_db`, in a
    transaction of its own."""
    with secretariat_db(request, context) as (principal, _):
        return principal


def _calls(dependant: Dependant) -> Iterator[object]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def let_in_first(request: Request, context: WebContext) -> None:
    """Checks the visitor as the page asked for checks them, for a page about to say what is wrong
    with the request before its own check has run (a query name it does not read, web.filters.reads):
    LoginRequired on a secretariat page (one that depends on :func:`secretariat_principal`), LinkInvalid
    for a link that is not the agency's or the leader's a link page is for; nothing on a page open to
    all (/login). A visitor not logged in had been answered with the page's parameters, not sent to log in."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    if secretariat_principal in _calls(route.dependant):
        secretariat_principal(request, context)
    elif route.path_format.startswith((AGENCY_PAGES, LEADER_PAGES)):
        read = leader_principal if route.path_format.startswith(LEADER_PAGES) else agency_principal
        with context.db() as session:
            read(session, context, str(request.path_params["token"]))


def api_principal(session: Session, authorization: str | None) -> Principal:
    """The principal of an ``Authorization: Bearer <token>`` header."""
    scheme, _, clear = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not clear.strip():
        raise Unauthorized("cần mã truy cập API: Authorization: Bearer <mã>")
    holder = token_holder(session, clear.strip())
    if holder is None:
        raise Unauthorized("mã truy cập API không đúng hoặc đã bị thu hồi")
    actor, name = holder  # the token's name is the account its actions are recorded under
    if actor.kind is ActorKind.AGENCY:
        agency = agency_by_code(session, actor.agency_code or "")
        return Principal(actor, agency.name, agency.id, username=name)
    return Principal(actor, RECIPIENT_LABELS_VI.get(actor.kind, RECIPIENT_LABELS_VI["secretariat"]), username=name)
