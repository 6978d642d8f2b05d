"""The OpenAPI 3.1 description of the JSON API, served at ``/api/v1/openapi.json`` (and its alias
``/api/openapi.json``); web/templates/api_docs.html renders it for people at ``/api/v1/docs``.

The shapes are written once in web/openapi.json (what kb.search.serialize and web/api.py build);
its paths are the /api/v1 ones (``/api/...`` answers the same). The facet parameters of
``/api/v1/search``, ``/api/v1/suggest`` and ``/api/v1/compare`` are added here from the facet
registry, so a new facet is described without editing the file. tests/test_api_schema.py checks
real responses against it.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from kb.facets.registry import FacetRegistry

SPEC_FILE = Path(__file__).with_name("openapi.json")
# The operations whose parameters include one filter per facet.
FILTERED_PATHS = ("/api/v1/search", "/api/v1/suggest", "/api/v1/compare")
FILTER_HELP = "Filter; repeat for several values (OR)."


@functools.cache
def _base() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return spec


def openapi_document(facets: FacetRegistry) -> dict[str, Any]:
    """The description with one repeatable query parameter per multi-select facet on the
    operations that take the search's filters (search, suggest and compare)."""
    spec = copy.deepcopy(_base())
    for path in FILTERED_PATHS:
        params: list[dict[str, Any]] = spec["paths"][path]["get"]["parameters"]
        for at, facet in enumerate(facets.multi, start=1):
            params.insert(
                at,
                {
                    "name": facet.id,
                    "in": "query",
                    "description": f"{FILTER_HELP} {facet.cli_help}".strip(),
                    "style": "form",
                    "explode": True,
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
            )
    return spec
