"""Use cases for customers: who they are, how to reach them, their sites and assets."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.common.contact import InvalidContact, normalise_email, normalise_phone
from app.common.paging import Page, paginate
from app.common.search import contains
from app.customers.models import Asset, ContactKind, ContactPoint, Customer, Site
from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db


def create_customer(
    name: str,
    *,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    sites: Iterable[Mapping[str, Any]] = (),
) -> Customer:
    customer = Customer(name=name)
    customer.contacts = _contact_points(phones=phones, emails=emails, owner=None)
    customer.sites = [Site(**site) for site in sites]
    db.session.add(customer)
    db.session.flush()
    return customer


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id, options=_full())
    if customer is None:
        raise NotFound(f"Customer {customer_id} does not exist.")
    return customer


def list_customers(*, q: str | None = None, page: int, page_size: int) -> Page:
    query: Select[Any] = select(Customer).options(*_full()).order_by(Customer.id)
    if q:
        query = query.where(_matches(q))
    return paginate(query, page=page, page_size=page_size)


def update_customer(customer_id: int, **changes: Any) -> Customer:
    customer = get_customer(customer_id)
    if "name" in changes:
        customer.name = changes["name"]
    if "phones" in changes or "emails" in changes:
        customer.contacts = _contact_points(
            phones=changes.get("phones", customer.phones),
            emails=changes.get("emails", customer.emails),
            owner=customer,
        )
    for site in changes.get("sites", []):
        _upsert_site(customer, dict(site))
    db.session.flush()
    return customer


def add_asset(customer_id: int, **fields: Any) -> Asset:
    customer = get_customer(customer_id)
    if not any(site.id == fields["site_id"] for site in customer.sites):
        raise RuleViolation(
            f"Site {fields['site_id']} is not one of customer {customer_id}'s sites.",
            errors={"site_id": [f"Known sites: {[site.id for site in customer.sites]}."]},
        )
    asset = Asset(customer=customer, **fields)
    db.session.add(asset)
    db.session.flush()
    return asset


def find_customers(*, phone: str | None = None, email: str | None = None) -> list[Customer]:
    """Customers owning this phone or e-mail, whatever way it was typed; [] when unparseable."""
    wanted = []
    try:
        if phone:
            wanted.append((ContactKind.PHONE, normalise_phone(phone, region=_region())))
        if email:
            wanted.append((ContactKind.EMAIL, normalise_email(email)))
    except InvalidContact:
        return []
    if not wanted:
        return []
    conditions = [
        (ContactPoint.kind == kind) & (ContactPoint.value == value) for kind, value in wanted
    ]
    query = (
        select(Customer)
        .join(ContactPoint)
        .where(or_(*conditions))
        .options(*_full())
        .distinct()
        .order_by(Customer.id)
    )
    return list(db.session.scalars(query))


def _contact_points(
    *, phones: Iterable[str], emails: Iterable[str], owner: Customer | None
) -> list[ContactPoint]:
    values, errors = _normalised(phones=phones, emails=emails)
    if errors:
        raise RuleViolation("Some phone numbers or e-mail addresses are not valid.", errors=errors)
    kept = {(c.kind, c.value): c for c in owner.contacts} if owner else {}
    _refuse_taken(values, owner)
    return [
        kept.get((kind, value)) or ContactPoint(kind=kind, value=value) for kind, value in values
    ]


def _normalised(
    *, phones: Iterable[str], emails: Iterable[str]
) -> tuple[list[tuple[str, str]], dict[str, dict[int, list[str]]]]:
    values: list[tuple[str, str]] = []
    errors: dict[str, dict[int, list[str]]] = {}
    inputs = (
        ("phones", ContactKind.PHONE, phones, lambda raw: normalise_phone(raw, region=_region())),
        ("emails", ContactKind.EMAIL, emails, normalise_email),
    )
    for field, kind, raws, normalise in inputs:
        for index, raw in enumerate(raws):
            try:
                value = normalise(raw)
            except InvalidContact as error:
                errors.setdefault(field, {})[index] = [str(error)]
                continue
            if (kind, value) not in values:
                values.append((kind, value))
    return values, errors


def _refuse_taken(values: list[tuple[str, str]], owner: Customer | None) -> None:
    if not values:
        return
    conditions = [
        (ContactPoint.kind == kind) & (ContactPoint.value == value) for kind, value in values
    ]
    taken = db.session.scalars(select(ContactPoint).where(or_(*conditions))).all()
    others = [c for c in taken if owner is None or c.customer_id != owner.id]
    if others:
        listed = ", ".join(f"{c.value} (customer {c.customer_id})" for c in others)
        raise Conflict(
            f"Already on another customer's file: {listed}. Add the case to that customer instead.",
            customer_ids=sorted({c.customer_id for c in others}),
        )


def _upsert_site(customer: Customer, fields: dict[str, Any]) -> None:
    site_id = fields.pop("id", None)
    if site_id is None:
        customer.sites.append(Site(**fields))
        return
    site = next((s for s in customer.sites if s.id == site_id), None)
    if site is None:
        raise NotFound(f"Site {site_id} is not one of customer {customer.id}'s sites.")
    for key, value in fields.items():
        setattr(site, key, value)


def _matches(q: str) -> Any:
    found = [customer.id for customer in find_customers(phone=q)] + [
        customer.id for customer in find_customers(email=q) if "@" in q
    ]
    return or_(contains(Customer.name, q), Customer.id.in_(found))


def _full() -> list[Any]:
    return [
        selectinload(Customer.contacts),
        selectinload(Customer.sites),
        selectinload(Customer.assets),
    ]


def _region() -> str:
    return current_app.config["PHONE_REGION"]
