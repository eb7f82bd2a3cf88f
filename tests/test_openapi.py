"""The OpenAPI document builds, validates and documents the house rules."""

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    validate(response.json)


def test_docs_page_is_served_without_a_token(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


def test_every_operation_requires_a_bearer_token_unless_public(client):
    spec = client.get("/api/v1/openapi.json").json

    assert spec["security"] == [{"bearerAuth": []}]
    token = spec["paths"]["/api/v1/auth/token"]["post"]
    assert token["security"] == []


# Served on purpose outside the spec: the spec itself, its viewer and the viewer's files, Flask's
# static files, and the office's pages (HTML for people; their data is the documented API's).
NOT_IN_SPEC = {
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/static/{filename}",
    "/docs-assets/swagger-ui/{filename}",
    "/board",
    "/board/view",
    "/board/static/{filename}",
    "/insights",
    "/insights/view",
    "/insights/static/{filename}",
}
# Documented with a body other than problem+json: the customer's page answers a phone in HTML.
NOT_PROBLEMS = {
    ("/c/{token}", "get", "404"),
    ("/c/{token}/confirm", "post", "404"),
    ("/c/{token}/notes", "post", "404"),
}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
METHODS = {"get", "put", "post", "patch", "delete"}


def _served(app):
    """(OpenAPI path, method) of every rule Flask routes, HEAD and OPTIONS left to Flask."""
    served = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return served


def _documented(spec):
    return {
        (path, method)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in METHODS
    }


def test_every_route_flask_serves_is_in_the_spec_or_left_out_on_purpose(app, client):
    spec = client.get("/api/v1/openapi.json").json
    served, documented = _served(app), _documented(spec)

    assert {path for path, _ in served - documented} == NOT_IN_SPEC
    assert documented - served == set()


def test_the_customer_page_and_the_probes_are_documented_without_a_token(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    for path, method in [
        ("/c/{token}", "get"),
        ("/c/{token}/confirm", "post"),
        ("/c/{token}/notes", "post"),
        ("/livez", "get"),
        ("/readyz", "get"),
    ]:
        assert paths[path][method]["security"] == []
    assert "text/html" in paths["/c/{token}"]["get"]["responses"]["200"]["content"]
    form = paths["/c/{token}/confirm"]["post"]["requestBody"]["content"]
    assert list(form) == ["application/x-www-form-urlencoded"]
    assert paths["/readyz"]["get"]["responses"]["503"]["content"] == PROBLEM


def test_every_error_response_is_documented_as_problem_json(client):
    spec = client.get("/api/v1/openapi.json").json
    components = spec["components"]["responses"]
    seen = 0

    for path, operations in spec["paths"].items():
        for method in METHODS & set(operations):
            for status, response in operations[method]["responses"].items():
                if status != "default" and int(status) < 400:
                    continue
                if "$ref" in response:
                    response = components[response["$ref"].rsplit("/", 1)[1]]
                if (path, method, status) not in NOT_PROBLEMS:
                    assert response.get("content") == PROBLEM, (path, method, status)
                    seen += 1
    assert seen >= len(_documented(spec))  # a default error at least, on every operation


def test_the_calendar_feed_is_documented_with_its_token_in_the_query(client):
    spec = client.get("/api/v1/openapi.json").json
    feed = spec["paths"]["/api/v1/me/calendar.ics"]["get"]

    (requirement,) = feed["security"]
    scheme = spec["components"]["securitySchemes"][next(iter(requirement))]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "query", "token")
    assert list(feed["responses"]["200"]["content"]) == ["text/calendar"]
