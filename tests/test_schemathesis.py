"""Schemathesis over the whole published spec, as a dispatcher, against the in-process app.

Every answer must be what the spec says: no 5xx, a documented status, the documented content
type and a body matching the documented schema. Examples are bounded per operation so the
~70 operations take a couple of minutes of CI on two cores.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]
EXAMPLES_PER_OPERATION = 10
# Raw mail as a provider's inbound hook posts it: any bytes, which must never be a 500.
schemathesis.openapi.media_type("message/rfc822", st.binary(max_size=4096))


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
def test_every_operation_answers_as_the_spec_says(case, app, dispatcher_headers):
    case.call_and_validate(app=app, headers=dispatcher_headers, checks=CHECKS)
