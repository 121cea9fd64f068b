"""The schema describes the Academy API only (Wagtail's admin API is internal to the admin), and declares
the RFC 9457 problem documents every operation may answer (``problems``), so a client, and schemathesis
(``tests/api/test_schemathesis.py``), knows every answer it can get."""

from __future__ import annotations

from .problems import PROBLEM, TITLES

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "about:blank, or urn:academy:registration:<Reason>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "description": "Messages per field of an invalid request.",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
EVERY_OPERATION = (400, 401, 403, 404, 429)  # a bad parameter, token, right, id; the rate limit
WRITES = (409, 415)  # a registration refused as a duplicate; a body that is not JSON


def only_api_v1(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: a ``Problem`` component and the problem answers of each
    operation (those its view declares itself are kept)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            codes = EVERY_OPERATION + (WRITES if method in ("post", "put", "patch") else ())
            for code in codes:
                answer = {"description": TITLES[code], "content": content}
                if code == 401:
                    answer["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
                operation.setdefault("responses", {}).setdefault(str(code), answer)
    return result
