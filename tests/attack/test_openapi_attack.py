"""The attack, kept: schemathesis over the app's own OpenAPI document, every check it has, with a
token of each role (secretariat, an agency, the chair, the standing vice-chair), on SQLite and
PostgreSQL. Positive and negative cases for every operation, a fixed seed and a bounded number of
examples, so it runs in CI in well under a minute per database. It passes only with 0 server
errors and 0 responses outside the documented contract (status, content type, headers, body).

Driven through schemathesis's Python API (``schemathesis.openapi.from_asgi``, an operation's
``as_strategy``, ``case.call_and_validate``) under Hypothesis, one database per test."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from tests.support.web import WebEnv

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())
ROLES: list[tuple[str, str | None]] = [
    ("secretariat", None),
    ("agency", "so-noi-vu"),
    ("chair", None),
    ("vice-chair", None),
]
EXAMPLES = 20  # per operation, generation mode and database; each example is sent once per role
SEED = 20221014

# Two allowances, each for one route: an action's body can be valid by the schema and still miss
# what the rule book asks of that action only ("cancel" needs a comment, "extend" a date); a list
# filter can be a well-formed word that names no agency or plan of the directory (an error naming
# it, not an empty list). Both are 422 in the error shape, declared in the route's responses.
# Every other check keeps its defaults everywhere.
CONFIG = schemathesis.Config.from_str(
    """
[[operations]]
include-path = "/api/v1/assignments/{assignment_id}/actions"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

[[operations]]
include-path = "/api/v1/assignments"
include-method = "GET"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]
"""
)


@pytest.mark.slow
def test_the_api_keeps_its_contract(web: WebEnv) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web.app, config=CONFIG)
    headers = [web.api_token(role, agency) for role, agency in ROLES]
    operations = [result.ok() for result in schema.get_all_operations()]
    sent: list[str] = []
    assert len(operations) >= 6, [op.label for op in operations]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @seed(SEED)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, who=st.sampled_from(headers))
            def attack(case, who):  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=who, checks=ALL_CHECKS)
                sent.append(case.operation.label)

            attack()
    assert {label for label in sent} == {op.label for op in operations}  # every operation was attacked
    assert len(sent) >= len(operations) * EXAMPLES  # and not by a handful of requests
