"""Property-based tests of the API against its own OpenAPI description (schemathesis).

Bounded for CI: a few examples per operation, no deadline; checks that no request gets a 5xx and
that every response conforms to the declared status codes, content types and schemas.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from hegui.api import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(max_body_bytes=200_000))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case):
    case.call_and_validate(checks=CHECKS)
