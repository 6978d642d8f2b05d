"""Schemathesis against the live app: generated requests to every /api/v1 operation in its
OpenAPI description (/api/v1/openapi.json) get no server error and no answer outside the
description (status code, content type, headers and body schema).

The app is the web test corpus's real index, called in-process as WSGI (no socket). Examples are
bounded per operation so the module runs in seconds; the checks are the ones that say "the
server kept to its description", not "rejected every input the schema does not list" (the search
clamps an oversized page_size on purpose, as the pages do).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Every operation of the description; test_every_operation_is_tested keeps this list complete.
OPERATIONS = (
    "/api/v1/search",
    "/api/v1/suggest",
    "/api/v1/documents/{id}",
    "/api/v1/taxonomy",
    "/api/v1/facets",
    "/api/v1/compare",
    "/api/v1/health",
    "/api/v1/openapi.json",
    "/api/v1/docs",
)


@pytest.fixture(scope="module")
def api_schema(app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_is_tested(api_schema: Any) -> None:
    assert set(api_schema.raw_schema["paths"]) == set(OPERATIONS)


@pytest.mark.parametrize("path", OPERATIONS)
def test_api_keeps_to_its_description(api_schema: Any, path: str) -> None:
    operation = api_schema[path]["GET"]

    @given(operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    call()
