"""Parts: SKUs, stock locations and stock counts."""

from app import extensions
from app.catalog.models import RequiredPart


def test_a_part_is_added_and_a_taken_sku_refused(client, dispatcher_headers):
    body = {"sku": "FLT-16x25", "name": "Filter 16x25", "attributes": {"size": "16x25"}}

    created = client.post("/api/v1/parts", json=body, headers=dispatcher_headers)
    again = client.post("/api/v1/parts", json=body, headers=dispatcher_headers)

    assert created.status_code == 201
    assert created.json["attributes"] == {"size": "16x25"}
    assert again.status_code == 409


def test_stock_is_set_and_listed_with_what_is_reserved(client, dispatcher_headers, catalog):
    location = client.post(
        "/api/v1/stock-locations",
        json={"name": "North", "kind": "warehouse"},
        headers=dispatcher_headers,
    ).json

    put = client.put(
        f"/api/v1/stock-locations/{location['id']}/stock",
        json={"sku": "CAP-45-5", "quantity": 4},
        headers=dispatcher_headers,
    )
    listed = client.get(
        f"/api/v1/stock-locations/{location['id']}/stock", headers=dispatcher_headers
    )

    assert put.status_code == 200
    assert listed.json == [{"sku": "CAP-45-5", "quantity": 4, "reserved": 0}]


def test_stock_of_an_unknown_sku_is_refused(client, dispatcher_headers, catalog):
    response = client.put(
        f"/api/v1/stock-locations/{catalog['warehouse'].id}/stock",
        json={"sku": "NOPE", "quantity": 1},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422


def test_a_van_belongs_to_one_technician_and_a_warehouse_to_none(
    client, dispatcher_headers, create_technician
):
    technician = create_technician()
    body = {"name": "Van 1", "kind": "van", "technician_id": technician.id}

    van = client.post("/api/v1/stock-locations", json=body, headers=dispatcher_headers)
    second_van = client.post("/api/v1/stock-locations", json=body, headers=dispatcher_headers)
    warehouse = client.post(
        "/api/v1/stock-locations", json={**body, "kind": "warehouse"}, headers=dispatcher_headers
    )

    assert van.status_code == 201
    assert second_van.status_code == 409
    assert warehouse.status_code == 422


def test_van_stock_counts_as_having_the_part(
    client, dispatcher_headers, create_technician, create_visit, catalog
):
    with_van = create_technician(name="Van")
    create_technician(name="No van")
    van = client.post(
        "/api/v1/stock-locations",
        json={"name": "Van", "kind": "van", "technician_id": with_van.id},
        headers=dispatcher_headers,
    ).json
    client.put(
        f"/api/v1/stock-locations/{van['id']}/stock",
        json={"sku": "CAP-35-5", "quantity": 1},
        headers=dispatcher_headers,
    )
    client.put(
        f"/api/v1/stock-locations/{catalog['warehouse'].id}/stock",
        json={"sku": "CAP-35-5", "quantity": 0},
        headers=dispatcher_headers,
    )
    visit = create_visit()  # no warehouse stock: only a van can bring the part
    visit.requirements.parts.append(RequiredPart(sku="CAP-35-5", quantity=1))
    extensions.db.session.commit()

    rows = client.get(f"/api/v1/visits/{visit.id}/candidates", headers=dispatcher_headers).json

    assert {row["name"]: row["eligible"] for row in rows} == {"Van": True, "No van": False}
