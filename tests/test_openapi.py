"""The OpenAPI document builds, validates and documents the house rules."""

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
