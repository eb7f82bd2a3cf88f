"""Fixtures for app tests: every test runs on SQLite, and again on PostgreSQL when configured."""

import itertools
import os
import time as time_module
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import boto3
import pytest
from flask import Flask
from moto.server import ThreadedMotoServer
from sqlalchemy import Engine, create_engine, text, update

from app import create_app, extensions, migrations
from app.auth.models import Role, User
from app.auth.principal import Principal
from app.auth.service import create_user, token_for
from app.cases.models import Case
from app.cases.service import open_case
from app.catalog.service import create_equipment, create_skill
from app.customers.models import Customer
from app.customers.service import create_customer as create_customer_service
from app.db import Base
from app.parts.service import create_part, create_stock_location, set_stock
from app.technicians.models import Technician
from app.technicians.service import create_technician as create_technician_service
from app.visits.models import Visit
from app.visits.service import create_visit as create_visit_service

BACKENDS = ["sqlite", "postgresql"]
S3_BUCKET = "firstfix-photos"
S3_REGION = "eu-west-1"
_serial = itertools.count(1)
Made = TypeVar("Made")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'firstfix.db'}"
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL to run it")
    name = f"firstfix_test_{os.getpid()}"
    _postgres_admin(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    yield url.rsplit("/", 1)[0] + f"/{name}"
    _postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(url: str, *statements: str) -> None:
    """One database per test process, so parallel workers and runs never share rows."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    admin.dispose()


def committed(made: Made) -> Made:
    """Factories are the tests' edge: what they make is committed, as a request's would be."""
    extensions.db.session.commit()
    return made


def deactivate_elsewhere(user_id: int) -> None:
    """Another worker deactivates the account: its commit is not this worker's own."""
    other_worker = create_engine(extensions.db.engine.url)
    with other_worker.begin() as connection:
        connection.execute(update(User).where(User.id == user_id).values(active=False))
    other_worker.dispose()


def eventually(
    request: Callable[[], Any], done: Callable[[Any], bool], seconds: float = 5.0
) -> Any:
    """The request's last answer once `done` holds, or after `seconds`: another worker's write
    reaches a worker's kept rows with PostgreSQL's notice, moments after its commit."""
    deadline = time_module.monotonic() + seconds
    while not done(answer := request()) and time_module.monotonic() < deadline:
        time_module.sleep(0.005)
    return answer


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """The bare PostgreSQL of TEST_DATABASE_URL in autocommit, for the driver-level readers."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL to run it")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server over real HTTP, so presigned URLs are exercised as a phone would.

    One per test process: moto keeps its buckets in process-wide memory, shared by servers.
    """
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.delenv("AWS_PROFILE", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION).create_bucket(
            Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
        )
        yield endpoint
        server.stop()


@pytest.fixture(scope="session")
def migrated_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Schema built by running the migrations, as in production."""
    app = create_app(
        {
            "TESTING": True,
            "JOB_RUNNER": "thread",  # tests patch what jobs call; tests/served runs processes
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-of-at-least-thirty-two-bytes",
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
            "PUBLIC_URL": "http://localhost",
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
        }
    )
    with app.app_context():
        migrations.upgrade()
    return app


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    with migrated_app.app_context():
        yield migrated_app
        extensions.db.session.remove()
        _empty_all_tables()
        extensions.db.forget_watched_rows()
    extensions.limiter.reset()


def _empty_all_tables() -> None:
    engine = extensions.db.engine
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Principal]:
    def make(role: str = Role.DISPATCHER, email: str | None = None) -> Principal:
        user = committed(
            create_user(
                email or f"{role}{next(_serial)}@example.com", role=role, password="correct horse"
            )
        )
        return Principal(user_id=user.id, email=user.email, role=Role(user.role))

    return make


@pytest.fixture
def headers_for(app: Flask) -> Callable[[Principal], dict[str, str]]:
    def make(principal: Principal) -> dict[str, str]:
        user = extensions.db.session.get(User, principal.user_id)
        return {"Authorization": f"Bearer {token_for(user)['access_token']}"}

    return make


@pytest.fixture
def agent(make_user: Callable[..., Principal]) -> Principal:
    return make_user(Role.AGENT)


@pytest.fixture
def agent_headers(agent: Principal, headers_for: Callable[[Principal], dict[str, str]]) -> dict:
    return headers_for(agent)


@pytest.fixture
def dispatcher_headers(make_user: Callable[..., Principal], headers_for: Callable) -> dict:
    return headers_for(make_user(Role.DISPATCHER))


@pytest.fixture
def create_customer(app: Flask) -> Callable[..., Customer]:
    def make(**overrides: Any) -> Customer:
        serial = next(_serial)
        fields: dict[str, Any] = {
            "name": f"Customer {serial}",
            "phones": [f"+1 303 555 {serial % 10000:04d}"],
            "emails": [f"customer{serial}@example.com"],
            "sites": [
                {
                    "address": f"{serial} Elm St, Denver, CO",
                    "latitude": 39.74,
                    "longitude": -104.99,
                    "timezone": "America/Denver",
                }
            ],
        }
        fields.update(overrides)
        return committed(create_customer_service(fields.pop("name"), **fields))

    return make


@pytest.fixture
def create_case(
    app: Flask, agent: Principal, create_customer: Callable[..., Customer]
) -> Callable[..., Case]:
    def make(customer: Customer | None = None, **overrides: Any) -> Case:
        customer = customer or create_customer()
        fields: dict[str, Any] = {
            "channel": "phone",
            "title": "Fridge makes a grinding noise",
            "site_id": customer.sites[0].id,
        }
        fields.update(overrides)
        return committed(open_case(customer.id, actor=agent, **fields))

    return make


MONDAY = date(2031, 6, 2)  # a Monday far enough ahead for every window and certificate
DENVER_OFFSET = timedelta(hours=-6)  # MDT in June


def denver(day: date, hour: int, minute: int = 0) -> datetime:
    """A Denver wall-clock time in June, as the aware UTC datetime the API stores."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - DENVER_OFFSET


@pytest.fixture
def dispatcher(make_user: Callable[..., Principal]) -> Principal:
    return make_user(Role.DISPATCHER)


@pytest.fixture
def catalog(app: Flask) -> dict[str, Any]:
    """A small shared catalog: two skills (one certified), two equipment codes, two SKUs."""
    create_skill("hvac", name="Heating and cooling")
    create_skill("gas", name="Gas appliances", certified=True)
    create_equipment("ladder", name="Extension ladder")
    create_equipment("vacuum_pump", name="Vacuum pump")
    create_part("CAP-45-5", name="Run capacitor 45/5 uF", attributes={"uf": "45/5"})
    create_part("CAP-35-5", name="Run capacitor 35/5 uF", attributes={"uf": "35/5"})
    warehouse = create_stock_location("Central warehouse", kind="warehouse", lead_time_hours=0)
    set_stock(warehouse.id, sku="CAP-45-5", on_hand=10)
    set_stock(warehouse.id, sku="CAP-35-5", on_hand=10)
    return committed({"warehouse": warehouse})


@pytest.fixture
def create_technician(app: Flask, catalog: dict[str, Any]) -> Callable[..., Technician]:
    def make(**overrides: Any) -> Technician:
        serial = next(_serial)
        fields: dict[str, Any] = {
            "name": f"Tech {serial}",
            "email": f"tech{serial}@firstfix.example",
            "timezone": "America/Denver",
            "home": {"latitude": 39.74, "longitude": -104.99},
            "territory": "denver-central",
            "skills": [{"skill_code": "hvac", "level": 2}, {"skill_code": "gas", "level": 2}],
            "certifications": [{"skill_code": "gas", "valid_until": date(2040, 1, 1)}],
            "equipment": ["ladder", "vacuum_pump"],
            "shifts": [
                {"weekday": day, "start_time": time(8), "end_time": time(17)} for day in range(5)
            ],
        }
        fields.update(overrides)
        return committed(create_technician_service(fields.pop("name"), **fields))

    return make


@pytest.fixture
def create_visit(
    app: Flask, dispatcher: Principal, create_case: Callable[..., Case], catalog: dict[str, Any]
) -> Callable[..., Visit]:
    def make(case: Case | None = None, **overrides: Any) -> Visit:
        case = case or create_case()
        fields: dict[str, Any] = {
            "type": "repair",
            "window_start": denver(MONDAY, 8),
            "window_end": denver(MONDAY, 17),
            "required_skills": [{"skill_code": "hvac", "level": 1}],
        }
        fields.update(overrides)
        return committed(create_visit_service(case.number, actor=dispatcher, **fields))

    return make
