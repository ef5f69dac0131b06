"""The API refuses a query parameter it does not declare, naming it (``?agnecy=so-noi-vu`` is a
typo, not a request for every assignment): the one-line error of any invalid input, 422, nothing
read. What a route declares is what the app's own OpenAPI document lists for it, the document
clients read."""

from __future__ import annotations

from collections.abc import Callable, Collection

from fastapi import Request
from fastapi.routing import APIRoute

from dondoc.engine.errors import InvalidInput

_DECLARED: dict[tuple[str, str], frozenset[str]] = {}  # (path, method) -> its query parameters


def _declared(request: Request, route: APIRoute) -> frozenset[str]:
    key = (route.path_format, request.method.lower())
    if key not in _DECLARED:
        operation = request.app.openapi()["paths"][route.path_format][key[1]]  # built once by FastAPI
        _DECLARED[key] = frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
    return _DECLARED[key]


def refuse_query_names(
    request: Request, known: Collection[str], unknown: Callable[[str], str], twice: str | Callable[[str, int], str]
) -> None:
    """InvalidInput for the first query name of ``request`` not in ``known`` (``unknown(name)`` says
    it), or given more than once (``twice`` formatted with ``name`` and ``given``, or called with
    them): the API's routes, the pages (web.filters.reads) and the filtered lists and their exports
    (web.filters.filter_of) refuse alike, each in its words."""
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in known:
            raise InvalidInput(unknown(name))
        given = len(request.query_params.getlist(name))
        if given > 1:  # a route reads one (the last): the others would be dropped without a word
            raise InvalidInput(twice(name, given) if callable(twice) else twice.format(name=name, given=given))


def known_query(request: Request) -> None:
    """A dependency of the API's router: InvalidInput for the first query parameter the route
    does not declare (an empty name included), or given more than once."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    known = _declared(request, route)
    allowed = ", ".join(sorted(known)) if known else "không có tham số nào"
    refuse_query_names(
        request,
        known,
        lambda name: f'Tham số truy vấn "{name}" không dùng được ở {request.url.path}; dùng: {allowed}',
        'Tham số truy vấn "{name}" chỉ nhận một giá trị, nhận được {given}',
    )
