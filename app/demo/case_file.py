"""Demo customers with sites and assets, and open cases touched by several channels."""

import random
from datetime import UTC, date, datetime, timedelta

from app.auth.principal import Principal
from app.cases.interactions import record_interaction
from app.cases.models import Channel, Direction, Outcome
from app.cases.service import open_case
from app.customers.models import Customer
from app.customers.service import add_asset, create_customer

TERRITORIES = {
    "denver-north": (39.86, -104.98),
    "denver-central": (39.74, -104.99),
    "denver-south": (39.60, -104.95),
}
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Ema", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lena"]
LAST = ["Ortiz", "Nguyen", "Smith", "Kowalski", "Haddad", "Okafor", "Larsen", "Moreau", "Ito"]
STREETS = ["Elm St", "Colfax Ave", "Pearl St", "Larimer St", "Bannock St", "Race St"]
APPLIANCES = [
    ("refrigerator", "Frigico", "FC-220"),
    ("air_conditioner", "Coolwave", "CW-36K"),
    ("furnace", "Heatmaster", "HM-80"),
    ("washer", "Spinwell", "SW-9"),
    ("water_heater", "Aquaheat", "AH-50"),
]
PROBLEMS = [
    "Loud grinding noise from the fridge",
    "AC blows warm air",
    "Furnace will not ignite",
    "Washer leaks during spin",
    "No hot water",
]
FOLLOW_UPS = [
    (Channel.EMAIL, "Customer e-mailed asking for an update", Outcome.UNRESOLVED),
    (Channel.CHAT, "Chat: customer asked when the part arrives", Outcome.FOLLOW_UP),
    (Channel.PHONE, "Called back, explained next steps", Outcome.RESOLVED),
    (Channel.SMS, "Customer replied to the SMS reminder", None),
]
CUSTOMERS = 200
OPEN_CASES = 80


def load_case_file(agent: Principal) -> str:
    rng = random.Random(7)
    customers = [_customer(rng, index) for index in range(CUSTOMERS)]
    for customer in rng.sample(customers, OPEN_CASES):
        _case_with_history(rng, customer, agent)
    return f"{CUSTOMERS} customers, {OPEN_CASES} open cases"


def _customer(rng: random.Random, index: int) -> Customer:
    lat, lon = rng.choice(list(TERRITORIES.values()))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    customer = create_customer(
        name,
        phones=[f"(303) 555-{index:04d}"],
        emails=[f"{name.lower().replace(' ', '.')}.{index}@example.com"],
        sites=[
            {
                "address": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}, Denver, CO",
                "latitude": round(lat + rng.uniform(-0.06, 0.06), 5),
                "longitude": round(lon + rng.uniform(-0.08, 0.08), 5),
                "timezone": "America/Denver",
                "access_notes": rng.choice([None, "Gate code 4412", "Dog in the yard"]),
            }
        ],
    )
    kind, make, model = rng.choice(APPLIANCES)
    add_asset(
        customer.id,
        site_id=customer.sites[0].id,
        kind=kind,
        make=make,
        model=model,
        serial=f"SN{index:06d}",
        warranty_until=date.today() + timedelta(days=rng.randint(-400, 700)),
    )
    return customer


def _case_with_history(rng: random.Random, customer: Customer, agent: Principal) -> None:
    problem = rng.randrange(len(PROBLEMS))
    case = open_case(
        customer.id,
        actor=agent,
        channel=rng.choice([Channel.PHONE, Channel.CHAT, Channel.EMAIL, Channel.IVR]),
        title=PROBLEMS[problem],
        site_id=customer.sites[0].id,
        asset_id=customer.assets[0].id,
    )
    start = datetime.now(UTC) - timedelta(days=rng.randint(1, 20))
    for step, (channel, summary, outcome) in enumerate(rng.sample(FOLLOW_UPS, rng.randint(1, 3))):
        record_interaction(
            case,
            actor=agent,
            channel=channel,
            direction=Direction.INBOUND,
            summary=summary,
            outcome=outcome,
            occurred_at=start + timedelta(hours=6 * (step + 1)),
        )
