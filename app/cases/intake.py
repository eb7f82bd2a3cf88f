"""Intake without a case number: find the customer by phone or e-mail, then their one case."""

from typing import Any

from app.auth.principal import Principal
from app.cases.interactions import already_recorded, record_interaction
from app.cases.models import Case, Interaction
from app.cases.service import get_case, new_case, open_cases_of
from app.customers.models import Customer
from app.customers.service import find_customers
from app.errors import Conflict, NotFound


def take_in_interaction(
    *,
    actor: Principal,
    phone: str | None = None,
    email: str | None = None,
    case_number: str | None = None,
    title: str | None = None,
    **fields: Any,
) -> tuple[Interaction, bool]:
    """Attach to the customer's single open case, open one if they have none, never guess."""
    earlier = already_recorded(fields["channel"], fields.get("external_ref"))
    if earlier is not None:
        return record_interaction(earlier.case, actor=actor, **fields)
    if case_number:
        case = get_case(case_number)
    else:
        case = _case_of(find_customers(phone=phone, email=email), fields, title, phone, email)
    return record_interaction(case, actor=actor, **fields)


def lookup(
    *, phone: str | None = None, email: str | None = None, case: str | None = None
) -> list[dict[str, Any]]:
    """Customers matching any of the keys, each with their open cases."""
    customers = {c.id: c for c in find_customers(phone=phone, email=email)}
    if case:
        found = get_case(case).customer
        customers.setdefault(found.id, found)
    open_by_customer: dict[int, list[Case]] = {}
    for open_case in open_cases_of(list(customers)):
        open_by_customer.setdefault(open_case.customer_id, []).append(open_case)
    return [
        {"customer": customer, "open_cases": open_by_customer.get(customer.id, [])}
        for customer in customers.values()
    ]


def _case_of(
    customers: list[Customer],
    fields: dict[str, Any],
    title: str | None,
    phone: str | None,
    email: str | None,
) -> Case:
    if not customers:
        keys = " or ".join(f"'{key}'" for key in (phone, email) if key)
        raise NotFound(
            f"No customer has {keys}. Create the customer with POST /api/v1/customers, "
            "then post the interaction again."
        )
    if len(customers) > 1:
        raise Conflict(
            "The phone and e-mail belong to different customers; send case_number.",
            customer_ids=[customer.id for customer in customers],
        )
    (customer,) = customers
    return case_of_customer(customer, channel=fields["channel"], title=title or fields["summary"])


def case_of_customer(customer: Customer, *, channel: str, title: str) -> Case:
    """Flush: the customer's single open case, a new one if none; 409 with candidates if several."""
    open_cases = open_cases_of([customer.id])
    if len(open_cases) > 1:
        raise Conflict(
            f"{customer.name} has {len(open_cases)} open cases; send case_number to choose one.",
            candidates=[
                {"number": c.number, "title": c.title, "status": c.status} for c in open_cases
            ],
        )
    if open_cases:
        return open_cases[0]
    only_site = customer.sites[0].id if len(customer.sites) == 1 else None
    return new_case(customer.id, channel=channel, title=title, site_id=only_site)
