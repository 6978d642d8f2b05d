"""The OpenAPI 3.1 description of the JSON API, served at ``/api/v1/openapi.json`` (and its alias
``/api/openapi.json``); web/templates/api_docs.html renders it for people at ``/api/v1/docs``.

The shapes are written once in web/openapi.json (what kb.search.serialize and web/api.py build);
its paths are the /api/v1 ones (``/api/...`` answers the same). The facet parameters of
``/api/v1/search`` are added here from the facet registry, so a new facet is described
without editing the file. tests/test_api_schema.py checks real responses against it.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from kb.facets.registry import FacetRegistry

SPEC_FILE = Path(__file__).with_name("openapi.json")


@functools.cache
def _base() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return spec


def openapi_document(facets: FacetRegistry) -> dict[str, Any]:
    """The description with one repeatable query parameter per multi-select facet."""
    spec = copy.deepcopy(_base())
    params: list[dict[str, Any]] = spec["paths"]["/api/v1/search"]["get"]["parameters"]
    for at, facet in enumerate(facets.multi, start=1):
        params.insert(
            at,
            {
                "name": facet.id,
                "in": "query",
                "description": f"Filter; repeat for several values (OR). {facet.cli_help}".strip(),
                "style": "form",
                "explode": True,
                "schema": {"type": "array", "items": {"type": "string"}},
            },
        )
    return spec
