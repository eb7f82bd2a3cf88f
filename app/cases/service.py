"""Use cases for cases: open one, find it, move it through its lifecycle."""

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.auth.principal import Principal
from app.cases import lifecycle
from app.cases.interactions import add_interaction
from app.cases.models import OPEN_STATUSES, Case, Channel, Direction, Interaction
from app.cases.numbers import canonical_case_number, new_case_number
from app.cases.timeline import counts_by_kind
from app.common.paging import Page, paginate
from app.common.search import contains
from app.customers.models import Asset, Customer, Site
from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db

NUMBER_ATTEMPTS = 5


def open_case(customer_id: int, *, actor: Principal, channel: str, **fields: Any) -> Case:
    """A new case and its first interaction, on the channel the customer came in through."""
    case = new_case(customer_id, channel=channel, **fields)
    add_interaction(
        case,
        actor=actor,
        channel=channel,
        direction=Direction.INBOUND,
        summary=case.title,
        body=case.description,
    )
    db.session.flush()
    return case


def new_case(
    customer_id: int,
    *,
    channel: str,
    title: str,
    site_id: int | None = None,
    asset_id: int | None = None,
    description: str | None = None,
    priority: str | None = None,
) -> Case:
    """Flush a case with a fresh number; the caller owns the transaction."""
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} does not exist; create it with POST /customers.")
    _check_belongs(customer_id, Site, site_id, "site_id")
    _check_belongs(customer_id, Asset, asset_id, "asset_id")
    case = Case(
        customer=customer,
        site_id=site_id,
        asset_id=asset_id,
        title=title,
        description=description,
        opened_channel=Channel(channel),
    )
    if priority:
        case.priority = priority
    _insert_with_unique_number(case)
    return case


def get_case(number: str) -> Case:
    canonical = canonical_case_number(number)
    case = canonical and db.session.scalar(
        select(Case)
        .where(Case.number == canonical)
        .options(joinedload(Case.customer), joinedload(Case.site), joinedload(Case.asset))
    )
    if not case:
        raise NotFound(f"No case numbered '{number}'. Case numbers look like FF-4K7P-2QXM.")
    return case


def case_details(number: str) -> dict[str, Any]:
    """The case with what every screen shows first: channels used and how much is on it."""
    case = get_case(number)
    channels = db.session.scalars(
        select(Interaction.channel)
        .where(Interaction.case_id == case.id)
        .group_by(Interaction.channel)
        .order_by(func.min(Interaction.occurred_at))
    ).all()
    return {"case": case, "channels": list(channels), "counts": counts_by_kind(case.id)}


def list_cases(
    *,
    page: int,
    page_size: int,
    customer_id: int | None = None,
    status: str | None = None,
    q: str | None = None,
) -> Page:
    query: Select[Any] = (
        select(Case).options(joinedload(Case.customer)).order_by(Case.opened_at.desc(), Case.id)
    )
    if customer_id is not None:
        query = query.where(Case.customer_id == customer_id)
    if status:
        query = query.where(Case.status == status)
    if q:
        query = query.join(Customer).where(_matches(q))
    return paginate(query, page=page, page_size=page_size)


def update_case(number: str, **changes: Any) -> Case:
    case = get_case(number)
    if "status" in changes:
        change_status(case, changes.pop("status"))
    _check_belongs(case.customer_id, Site, changes.get("site_id"), "site_id")
    _check_belongs(case.customer_id, Asset, changes.get("asset_id"), "asset_id")
    for key, value in changes.items():
        setattr(case, key, value)
    db.session.flush()
    return case


def change_status(case: Case, status: str) -> None:
    """Validated move; other slices (visits) call this inside their own transaction."""
    if status == case.status:
        return
    if not lifecycle.can_move(case.status, status):
        raise Conflict(
            f"A case that is {case.status} cannot become {status}.",
            allowed=lifecycle.next_statuses(case.status),
        )
    case.status = status


def open_cases_of(customer_ids: list[int]) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.customer_id.in_(customer_ids), Case.status.in_(OPEN_STATUSES))
            .order_by(Case.opened_at, Case.id)
        )
    )


def _insert_with_unique_number(case: Case) -> None:
    """Random numbers rarely collide; when they do, the unique index tells us and we redraw."""
    for _ in range(NUMBER_ATTEMPTS):
        case.number = new_case_number()
        try:
            with db.session.begin_nested():
                db.session.add(case)
                db.session.flush()
        except IntegrityError:
            continue
        return
    raise Conflict("Could not allocate a case number; try again.")


def _check_belongs(
    customer_id: int, model: type[Site] | type[Asset], key: int | None, field: str
) -> None:
    if key is None:
        return
    owner = db.session.scalar(select(model.customer_id).where(model.id == key))
    if owner != customer_id:
        noun = field.removesuffix("_id")
        raise RuleViolation(
            f"The {noun} {key} does not belong to customer {customer_id}.",
            errors={field: [f"Not one of customer {customer_id}'s {noun}s."]},
        )


def _matches(q: str) -> Any:
    canonical = canonical_case_number(q)
    return or_(
        Case.number == canonical if canonical else contains(Case.number, q),
        contains(Case.title, q),
        contains(Customer.name, q),
    )
