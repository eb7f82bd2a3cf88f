"""Schemathesis over the whole published spec, as a dispatcher, against the in-process app.

Every answer must be what the spec says: no 5xx, a documented status, the documented content
type and a body matching the documented schema. Examples are bounded per operation so the
~70 operations take a couple of minutes of CI on two cores.
"""

import re
from typing import Any

import schemathesis
from hypothesis import HealthCheck, reject, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app, extensions

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]
EXAMPLES_PER_OPERATION = 10

# Known 500s whose fixes are on other branches; each filter goes once its fix is merged.
# Branch `sec` (point 5): an integer the database cannot hold, in a path, query or body, gives
# 500: beyond PostgreSQL's 32-bit INTEGER columns, or on SQLite beyond 64 bits (including a
# page offset, page x page_size).
INTEGER_BOUND = {"postgresql": 2**31, "sqlite": 2**63 // 1000}


def _published_spec() -> dict:
    """The spec as the app serves it; built at collection, so each operation is its own test
    and xdist spreads them. A database is not needed to describe the API."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    return app.test_client().get("/api/v1/openapi.json").json


PUBLISHED = _published_spec()
spec = schemathesis.openapi.from_dict(PUBLISHED)


def test_the_fuzzed_spec_is_the_one_the_tested_app_serves(client):
    assert client.get("/api/v1/openapi.json").json == PUBLISHED


@spec.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_the_spec_says(case, app, dispatcher_headers, monkeypatch):
    backend = extensions.db.engine.dialect.name
    if _holds_an_integer_beyond([case.path_parameters, case.query, case.body], backend):
        reject()  # branch `sec`
    if backend == "sqlite":
        # The lead's transaction rule: on SQLite a plan job's writes make the next request's
        # write fail with "database is locked". The runs are not what this test checks.
        monkeypatch.setattr("app.plans.service.submit", lambda *args, **kwargs: None)
    case.call_and_validate(app=app, headers=dispatcher_headers, checks=CHECKS)


def _holds_an_integer_beyond(value: Any, backend: str) -> bool:
    if isinstance(value, dict):
        return _holds_an_integer_beyond(list(value.values()), backend)
    if isinstance(value, list):
        return any(_holds_an_integer_beyond(item, backend) for item in value)
    bound = INTEGER_BOUND[backend]
    if isinstance(value, str) and re.fullmatch("-?[0-9]+", value):
        value = int(value) if len(value) < 30 else bound
    return type(value) is int and abs(value) >= bound
