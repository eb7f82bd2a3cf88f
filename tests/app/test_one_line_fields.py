"""Names, titles, captions and filenames are one line: control characters are refused."""

import marshmallow as ma
import pytest

from app.common.fields import Line

ONE_LINE = {"name", "title", "caption", "filename"}
MESSAGE = "Use one line of text"


@pytest.mark.parametrize(
    "bad",
    [
        "Ann\nSmith",
        "Ann\rSmith",
        "Ann\tSmith",
        "Ann\x1bSmith",
        "Ann\x85Smith",
        "Ann\u2028Smith",
        "Ann\x7fSmith",
    ],
)
def test_a_technician_name_with_a_control_character_is_refused(client, dispatcher_headers, bad):
    body = {
        "name": bad,
        "email": "ann@firstfix.example",
        "timezone": "America/Denver",
        "home": {"latitude": 39.7, "longitude": -104.9},
    }

    response = client.post("/api/v1/technicians", json=body, headers=dispatcher_headers)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert MESSAGE in response.json["errors"]["name"][0]


def test_titles_captions_and_customer_names_are_one_line_too(
    client, dispatcher_headers, create_case, create_customer
):
    customer = create_customer()
    case = create_case(customer)
    answers = {
        "customer name": client.post(
            "/api/v1/customers", json={"name": "A\nB"}, headers=dispatcher_headers
        ),
        "case title": client.patch(
            f"/api/v1/cases/{case.number}",
            json={"title": "Leak\nFIXED"},
            headers=dispatcher_headers,
        ),
        "photo filename": client.post(
            f"/api/v1/cases/{case.number}/photos",
            json={
                "filename": "a\n.jpg",
                "content_type": "image/jpeg",
                "size_bytes": 10,
                "caption": "ok",
            },
            headers=dispatcher_headers,
        ),
        "photo caption": client.post(
            f"/api/v1/cases/{case.number}/photos",
            json={
                "filename": "a.jpg",
                "content_type": "image/jpeg",
                "size_bytes": 10,
                "caption": "b\tc",
            },
            headers=dispatcher_headers,
        ),
        "skill name": client.post(
            "/api/v1/skills", json={"code": "x1", "name": "X\n1"}, headers=dispatcher_headers
        ),
    }

    for what, response in answers.items():
        assert response.status_code == 422, what
        assert MESSAGE in str(response.json["errors"]), what


def test_ordinary_text_with_accents_and_spaces_passes(client, dispatcher_headers):
    response = client.post(
        "/api/v1/customers", json={"name": "Zoë  O'Brien-Núñez"}, headers=dispatcher_headers
    )

    assert response.status_code == 201


def test_every_schema_reading_a_name_title_caption_or_filename_reads_one_line(app):
    """A new endpoint reading such a field as a plain String fails here, not in production."""
    plain = [
        f"{schema.__name__}.{name}"
        for schema in _request_schemas(app)
        for name, field in schema._declared_fields.items()
        if (field.data_key or name) in ONE_LINE
        and not field.dump_only
        and isinstance(field, ma.fields.String)
        and not isinstance(field, Line)
    ]

    assert plain == []


def _request_schemas(app):
    """Every schema an endpoint reads with @blp.arguments, and the schemas nested in them."""
    found, todo = set(), []
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        for method in ("post", "put", "patch", "get", "delete"):
            doc = getattr(getattr(view_class, method, None), "_apidoc", {})
            for parameter in doc.get("arguments", {}).get("parameters", []):
                schema = parameter["schema"]
                todo.append(schema if isinstance(schema, type) else type(schema))
    while todo:
        schema = todo.pop()
        if schema in found:
            continue
        found.add(schema)
        for field in schema._declared_fields.values():
            if field.dump_only:
                continue
            inner = getattr(field, "inner", field)
            if isinstance(inner, ma.fields.Nested) and not isinstance(inner.nested, str):
                nested = inner.nested() if callable(inner.nested) else inner.nested
                todo.append(nested if isinstance(nested, type) else type(nested))
    assert len(found) > 20
    return found
