"""A day to plan: ~150 unbooked visits around ~20 technicians, so POST /plans shows a real plan."""

import random
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import Principal
from app.cases.service import open_case
from app.customers.models import Customer
from app.demo.case_file import PROBLEMS, TERRITORIES
from app.demo.field import DENVER, VISIT_TYPES, next_weekday
from app.extensions import db
from app.visits.service import create_visit

PLANNED_TERRITORIES = ("denver-north", "denver-central")  # 2 x 10 technicians
VISITS = 150
WINDOWS = [(8, 17), (8, 17), (8, 12), (12, 17), (10, 14)]
MINUTES = [30, 45, 45, 60, 60, 90]


def load_plan_day(agent: Principal) -> str:
    rng = random.Random(23)
    day = next_weekday()
    customers = _customers_in(PLANNED_TERRITORIES)
    for _ in range(VISITS):
        _visit(rng, rng.choice(customers), day, agent)
    return f'{VISITS} unbooked visits to plan on {day} (POST /plans {{"date": "{day}"}})'


def _customers_in(territories: tuple[str, ...]) -> list[Customer]:
    """Customers whose site is nearest to the centre of one of `territories`."""
    customers = db.session.scalars(
        select(Customer).options(selectinload(Customer.sites)).order_by(Customer.id)
    )
    return [
        customer
        for customer in customers
        if customer.sites and _nearest_territory(customer) in territories
    ]


def _nearest_territory(customer: Customer) -> str:
    site = customer.sites[0]
    return min(
        TERRITORIES,
        key=lambda name: (
            (TERRITORIES[name][0] - site.latitude) ** 2
            + (TERRITORIES[name][1] - site.longitude) ** 2
        ),
    )


def _visit(rng: random.Random, customer: Customer, day: date, agent: Principal) -> None:
    case = open_case(
        customer.id,
        actor=agent,
        channel="phone",
        title=rng.choice(PROBLEMS),
        site_id=customer.sites[0].id,
    )
    opens, closes = rng.choice(WINDOWS)
    create_visit(
        case.number,
        actor=agent,
        type=rng.choice(VISIT_TYPES)[0],
        window_start=datetime.combine(day, time(opens), DENVER).astimezone(UTC),
        window_end=datetime.combine(day, time(closes), DENVER).astimezone(UTC),
        duration_minutes=rng.choice(MINUTES),
    )
