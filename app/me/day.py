"""A technician's visits with everything needed on site, in a fixed number of queries.

Six round trips whatever the day's size (the user behind the token, the technician and van,
the visits with case, customer, site, asset and current diagnosis, the requirement rows, the
case histories, the photos); the payload is assembled in Python from those rows.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.engine import Row

from app.cases.models import Case
from app.customers.models import Asset, ContactKind, ContactPoint, Customer, Site
from app.db import utcnow
from app.extensions import db
from app.me.queries import history_rows, requirement_rows
from app.photos.models import Photo, PhotoStatus
from app.photos.service import describe
from app.technicians.models import Technician
from app.visits.etags import diagnosis_etag_data, etag_of, visit_etag_data
from app.visits.models import Diagnosis, Visit
from dispatch.travel import HaversineTravel, eta

TRAVEL = HaversineTravel()


def load_visits(technician: Technician, *, van_id: int | None, where: ColumnElement[bool]) -> list:
    """The visits matching `where`, in route order, each as the phone's self-contained card."""
    rows = db.session.execute(_skeleton().where(where).order_by(Visit.start_at, Visit.id)).all()
    if not rows:
        return []
    set_ids = {row.Visit.requirement_set_id for row in rows}
    set_ids |= {row.Diagnosis.requirement_set_id for row in rows if row.Diagnosis}
    visit_ids = [row.Visit.id for row in rows]
    needs = _requirements(requirement_rows(set_ids, visit_ids=visit_ids, van_id=van_id))
    case_ids = {row.Case.id for row in rows}
    history = _history(history_rows(case_ids, visit_ids))
    photos = _photos(case_ids)
    cards = [_card(row, needs, history, photos) for row in rows]
    _add_travel(cards, technician)
    return cards


@functools.cache  # built once: constructing the joins and subqueries took 0.5 ms a build
def _skeleton() -> Any:
    return (
        select(
            Visit,
            Case,
            Customer,
            Site,
            Asset,
            Diagnosis,
            _contact(ContactKind.PHONE),
            _contact(ContactKind.EMAIL),
        )
        .join(Case, Case.id == Visit.case_id)
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(Site, Site.id == Case.site_id)
        .outerjoin(Asset, Asset.id == Case.asset_id)
        .outerjoin(Diagnosis, and_(Diagnosis.case_id == Case.id, Diagnosis.current))
    )


def _contact(kind: ContactKind) -> Any:
    """The customer's first phone or e-mail, as a column: no extra query per customer."""
    return (
        select(ContactPoint.value)
        .where(ContactPoint.customer_id == Customer.id, ContactPoint.kind == kind)
        .order_by(ContactPoint.id)
        .limit(1)
        .scalar_subquery()
        .label(kind.value)
    )


def _card(row: Row[Any], needs: dict, history: dict, photos: dict) -> dict[str, Any]:
    visit, case, site, asset = row.Visit, row.Case, row.Site, row.Asset
    own = needs.get(visit.requirement_set_id, {})
    told = history.get(case.id, {})
    return {
        "visit": visit,
        "etag": etag_of(visit_etag_data(visit)),
        "case": case,
        "customer": {
            "id": row.Customer.id,
            "name": row.Customer.name,
            "phone": row.phone,
            "email": row.email,
        },
        "site": site,
        "asset": asset and {"asset": asset, "warranty": asset.warranty_state(utcnow().date())},
        "diagnosis": row.Diagnosis and _diagnosis(row.Diagnosis, needs),
        "required_skills": own.get("skill", []),
        "required_equipment": own.get("equipment", []),
        "parts": own.get("part", []),
        "photos": photos.get(case.id, []),
        "interactions": told.get("interaction", []),
        "previous_visits": [
            entry for entry in told.get("outcome", []) if entry["visit_id"] != visit.id
        ],
        "prerequisites": [e for e in told.get("prerequisite", []) if e["for_visit"] == visit.id],
    }


def _diagnosis(diagnosis: Diagnosis, needs: dict) -> dict[str, Any]:
    own = needs.get(diagnosis.requirement_set_id, {})
    return {
        "diagnosis": diagnosis,
        "etag": etag_of(diagnosis_etag_data(diagnosis)),
        "required_skills": own.get("skill", []),
        "required_equipment": own.get("equipment", []),
        "parts": own.get("part", []),
    }


def _requirements(rows: Iterable[Row[Any]]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    found: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        entry: dict[str, Any] = {"code": row.code, "name": row.name}
        if row.kind == "skill":
            entry["level"] = row.amount
        elif row.kind == "part":
            entry.update(quantity=row.amount, **_part_source(row))
        found[row.set_id][row.kind].append(entry)
    return found


def _part_source(row: Row[Any]) -> dict[str, Any]:
    """Van when it rides along (held on the van, or enough free on it), else warehouse pickup."""
    if row.location_kind == "van" or (row.location_kind is None and row.van_free >= row.amount):
        return {"source": "van", "location": row.location_name, "ready_at": None}
    if row.location_kind == "warehouse":
        return {"source": "warehouse", "location": row.location_name, "ready_at": row.ready_at}
    return {"source": "unavailable", "location": None, "ready_at": None}


def _history(rows: Iterable[Row[Any]]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Rows of history_rows by case and kind; `label`/`summary`/`state` mean per kind."""
    found: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.kind == "interaction":
            entry = {
                "id": row.ref_id,
                "at": row.at,
                "channel": row.label,
                "summary": row.summary,
                "outcome": row.state,
            }
        elif row.kind == "outcome":
            entry = {
                "visit_id": row.visit_id,
                "kind": row.state,
                "at": row.at,
                "outcome": row.label,
                "reason": row.summary,
            }
        else:
            entry = {
                "visit_id": row.ref_id,
                "for_visit": row.visit_id,
                "kind": row.label,
                "status": row.state,
                "window_start": row.at,
            }
        found[row.case_id][row.kind].append(entry)
    return found


def _photos(case_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for photo in db.session.scalars(
        select(Photo)
        .where(Photo.case_id.in_(case_ids), Photo.status == PhotoStatus.READY)
        .order_by(Photo.created_at.desc(), Photo.id)
    ):
        found[photo.case_id].append(describe(photo))
    return found


def _add_travel(cards: list[dict[str, Any]], technician: Technician) -> None:
    """Straight-line travel from the previous stop (home first), the dispatcher's model."""
    previous = (technician.home_latitude, technician.home_longitude)
    for card in cards:
        site = card["site"]
        here = (site.latitude, site.longitude) if site else None
        card["travel_seconds"] = round(eta(TRAVEL, previous, here)) if here and previous else None
        card["travel_from"] = "home" if card is cards[0] else "previous_visit"
        previous = here
