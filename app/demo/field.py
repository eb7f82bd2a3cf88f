"""Demo field force: catalog, ~30 technicians with vans and accounts, and visits in every state."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.principal import Principal
from app.auth.service import create_user
from app.cases.models import OPEN_STATUSES, Case
from app.catalog.service import create_equipment, create_skill, create_visit_type
from app.demo.case_file import FIRST, LAST, TERRITORIES
from app.errors import DomainError
from app.extensions import db
from app.parts.service import create_part, create_stock_location, set_stock
from app.technicians.service import create_technician
from app.visits.assignment import assign_technician, list_candidates
from app.visits.events import record_event
from app.visits.service import create_visit

DENVER = ZoneInfo("America/Denver")
TECHNICIAN_PASSWORD = "tech-demo-1"
SKILLS = [
    ("hvac", "Heating and cooling", False),
    ("gas", "Gas appliances", True),
    ("refrigeration", "Refrigeration", False),
    ("electrical", "Electrical", True),
    ("plumbing", "Plumbing", False),
]
EQUIPMENT = [
    ("ladder", "Extension ladder"),
    ("vacuum_pump", "Vacuum pump"),
    ("gas_detector", "Gas leak detector"),
    ("pipe_press", "Pipe press tool"),
]
PARTS = [
    ("CAP-45-5", "Run capacitor 45/5 uF", {"uf": "45/5"}),
    ("CAP-35-5", "Run capacitor 35/5 uF", {"uf": "35/5"}),
    ("IGN-HM80", "Igniter for Heatmaster HM-80", {"fits": "HM-80"}),
    ("FLT-16x25", "Air filter 16x25x1", {"size": "16x25x1"}),
    ("FLT-20x25", "Air filter 20x25x1", {"size": "20x25x1"}),
    ("VLV-AH50", "Thermostat valve for Aquaheat AH-50", {"fits": "AH-50"}),
]
VISIT_TYPES = [
    ("ac_repair", "AC repair", "repair", 90, [("hvac", 2)], ["vacuum_pump"]),
    ("furnace_service", "Furnace service", "maintenance", 60, [("gas", 1)], ["gas_detector"]),
    ("fridge_repair", "Refrigerator repair", "repair", 75, [("refrigeration", 2)], []),
    ("water_heater_install", "Water heater install", "installation", 180, [("plumbing", 2)], []),
]
# Target state -> the field events that reach it after booking (None: leave unassigned).
STATE_PATHS: list[tuple[str, list[str] | None]] = [
    ("unassigned", None),
    ("scheduled", []),
    ("en_route", ["en_route"]),
    ("on_site", ["en_route", "on_site"]),
    ("completed", ["en_route", "on_site", "completed"]),
    ("incomplete", ["on_site", "incomplete"]),
    ("no_access", ["en_route", "no_access"]),
    ("cancelled", ["cancelled"]),
]
PER_TERRITORY = 10
VISITS_PER_STATE = 3


def load_field() -> str:
    rng = random.Random(11)
    _catalog()
    technicians = [
        _technician(rng, territory, home, index)
        for territory, home in TERRITORIES.items()
        for index in range(PER_TERRITORY)
    ]
    visits = _visits_in_every_state(_dispatcher())
    return f"{len(technicians)} technicians with vans, {visits} visits"


def _catalog() -> None:
    for code, name, certified in SKILLS:
        create_skill(code, name=name, certified=certified)
    for code, name in EQUIPMENT:
        create_equipment(code, name=name)
    warehouse = create_stock_location("Denver warehouse", kind="warehouse", lead_time_hours=18)
    for sku, name, attributes in PARTS:
        create_part(sku, name=name, attributes=attributes)
        set_stock(warehouse.id, sku=sku, on_hand=40)
    for code, name, kind, minutes, skills, equipment in VISIT_TYPES:
        create_visit_type(
            code,
            name=name,
            kind=kind,
            default_duration_minutes=minutes,
            required_skills=[{"skill_code": skill, "level": level} for skill, level in skills],
            required_equipment=equipment,
        )


def _technician(rng: random.Random, territory: str, home: tuple[float, float], index: int) -> int:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    email = f"tech.{territory}.{index}@firstfix.example"
    skills = rng.sample(SKILLS, rng.randint(2, 4))
    technician = create_technician(
        name,
        email=email,
        timezone="America/Denver",
        home={
            "latitude": home[0] + rng.uniform(-0.05, 0.05),
            "longitude": home[1] + rng.uniform(-0.05, 0.05),
        },
        territory=territory,
        skills=[{"skill_code": code, "level": rng.randint(1, 3)} for code, _, _ in skills],
        certifications=[
            {
                "skill_code": code,
                "valid_until": date.today() + timedelta(days=rng.randint(-30, 700)),
            }
            for code, _, certified in skills
            if certified
        ],
        equipment=[code for code, _ in rng.sample(EQUIPMENT, rng.randint(1, len(EQUIPMENT)))],
        shifts=[{"weekday": day, "start_time": time(8), "end_time": time(17)} for day in range(5)],
    )
    create_user(email, role=Role.TECHNICIAN, password=TECHNICIAN_PASSWORD)
    van = create_stock_location(
        f"Van {index + 1} {territory}", kind="van", technician_id=technician.id
    )
    for sku, _, _ in rng.sample(PARTS, 3):
        set_stock(van.id, sku=sku, on_hand=rng.randint(1, 4))
    return technician.id


def _visits_in_every_state(dispatcher: Principal) -> int:
    cases = iter(
        db.session.scalars(select(Case).where(Case.status.in_(OPEN_STATUSES)).order_by(Case.id))
    )
    day = next_weekday()
    count = 0
    for hour, (_state, path) in enumerate(STATE_PATHS):
        for _ in range(VISITS_PER_STATE):
            case = next(cases, None)
            if case is None:
                return count
            visit = create_visit(
                case.number,
                actor=dispatcher,
                type="repair",
                window_start=datetime.combine(day, time(8), DENVER).astimezone(UTC),
                window_end=datetime.combine(day, time(17), DENVER).astimezone(UTC),
                required_skills=[{"skill_code": "hvac", "level": 1}],
            )
            count += 1
            start = datetime.combine(day, time(8 + hour), DENVER).astimezone(UTC)
            if path is not None and _book(visit.id, start, dispatcher):
                for event in path:
                    record_event(visit.id, actor=dispatcher, type=event)
    return count


def _book(visit_id: int, start: datetime, dispatcher: Principal) -> bool:
    """Try the eligible candidates in order until the guard accepts one."""
    for candidate in list_candidates(visit_id, actor=dispatcher):
        if not candidate["eligible"]:
            return False
        try:
            with db.session.begin_nested():
                assign_technician(
                    visit_id,
                    technician_id=candidate["technician_id"],
                    start=start,
                    actor=dispatcher,
                )
        except DomainError:
            continue
        return True
    return False


def _dispatcher() -> Principal:
    user = db.session.scalar(select(User).where(User.role == Role.DISPATCHER).order_by(User.id))
    assert user is not None, "load_users runs first"
    return Principal(user_id=user.id, email=user.email, role=Role.DISPATCHER)


def next_weekday() -> date:
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
