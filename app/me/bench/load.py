"""Fills a fresh PostgreSQL database with a realistic volume, by COPY (minutes, not hours).

100k cases with 10 interactions each, 500 technicians each booked for 8 visits on one day,
every visit's case carrying a current diagnosis and a warehouse reservation.
"""

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import create_engine, text

CASES, INTERACTIONS_PER_CASE, TECHNICIANS, VISITS_PER_TECHNICIAN = 100_000, 10, 500, 8
DAY = date(2031, 6, 2)
DENVER = timedelta(hours=-6)
NOW = datetime(2031, 5, 1, tzinfo=UTC)


def create_database(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def load(url: str) -> None:
    """Rows are numbered from 1 in every table, so foreign keys are plain arithmetic."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        _copy(
            conn, "skills", ("code", "name", "certified"), [("hvac", "Heating and cooling", False)]
        )
        _copy(conn, "parts", ("sku", "name", "attributes"), [("CAP-45-5", "Run capacitor", "{}")])
        _copy(
            conn,
            "stock_locations",
            ("name", "kind", "lead_time_hours"),
            [("Central", "warehouse", 0)],
        )
        _copy(
            conn,
            "stock_levels",
            ("location_id", "sku", "on_hand", "reserved"),
            [(1, "CAP-45-5", 10**6, 4000)],
        )
        _copy(
            conn,
            "customers",
            ("name", "created_at", "updated_at"),
            ((f"Customer {i}", NOW, NOW) for i in range(1, CASES + 1)),
        )
        _copy(
            conn,
            "sites",
            ("customer_id", "address", "latitude", "longitude", "timezone", "access_notes"),
            (
                (
                    i,
                    f"{i} Elm St, Denver",
                    39.5 + (i % 100) / 200,
                    -105.2 + (i % 97) / 200,
                    "America/Denver",
                    "Gate code 1234",
                )
                for i in range(1, CASES + 1)
            ),
        )
        _copy(
            conn,
            "contact_points",
            ("customer_id", "kind", "value"),
            ((i, "phone", f"+1303{i:07d}") for i in range(1, CASES + 1)),
        )
        _copy(
            conn,
            "assets",
            ("customer_id", "site_id", "kind", "make", "model", "serial"),
            ((i, i, "furnace", "Lennox", "ML180", f"SN{i}") for i in range(1, CASES + 1)),
        )
        _copy(
            conn,
            "cases",
            (
                "number",
                "customer_id",
                "site_id",
                "asset_id",
                "title",
                "status",
                "priority",
                "opened_channel",
                "opened_at",
                "updated_at",
            ),
            (
                (
                    f"FF-{i:09d}",
                    i,
                    i,
                    i,
                    "Furnace will not start",
                    "scheduled",
                    "normal",
                    "phone",
                    NOW,
                    NOW,
                )
                for i in range(1, CASES + 1)
            ),
        )
        _copy(
            conn,
            "interactions",
            ("case_id", "channel", "direction", "summary", "occurred_at", "recorded_at"),
            (
                (
                    case,
                    "phone" if n % 2 else "sms",
                    "inbound",
                    f"Contact {n}",
                    NOW + timedelta(hours=n),
                    NOW,
                )
                for case in range(1, CASES + 1)
                for n in range(INTERACTIONS_PER_CASE)
            ),
        )
        _load_technicians_and_visits(conn)
        conn.execute("ANALYZE")


def _load_technicians_and_visits(conn: psycopg.Connection[Any]) -> None:
    visits = TECHNICIANS * VISITS_PER_TECHNICIAN
    _copy(
        conn,
        "technicians",
        ("name", "email", "timezone", "home_latitude", "home_longitude", "active", "created_at"),
        (
            (f"Tech {t}", f"tech{t}@bench.example", "America/Denver", 39.7, -104.9, True, NOW)
            for t in range(1, TECHNICIANS + 1)
        ),
    )
    _copy(
        conn,
        "users",
        ("email", "password_hash", "role", "active", "created_at"),
        (
            (f"tech{t}@bench.example", "!", "technician", True, NOW)
            for t in range(1, TECHNICIANS + 1)
        ),
    )
    # Sets 1..visits belong to the visits, visits+1..2*visits to their cases' diagnoses.
    _copy(conn, "requirement_sets", ("id",), ((i,) for i in range(1, 2 * visits + 1)))
    _copy(
        conn,
        "required_skills",
        ("requirement_set_id", "skill_code", "level"),
        ((i, "hvac", 1) for i in range(1, 2 * visits + 1)),
    )
    _copy(
        conn,
        "required_parts",
        ("requirement_set_id", "sku", "quantity"),
        ((i, "CAP-45-5", 1) for i in range(1, 2 * visits + 1)),
    )
    rows = []
    for visit, (tech, slot) in enumerate(
        itertools.product(range(1, TECHNICIANS + 1), range(VISITS_PER_TECHNICIAN)), start=1
    ):
        start = datetime(DAY.year, DAY.month, DAY.day, 8 + slot, tzinfo=UTC) - DENVER
        window = datetime(DAY.year, DAY.month, DAY.day, 8, tzinfo=UTC) - DENVER
        rows.append(
            (
                visit,
                "repair",
                "scheduled",
                window,
                window + timedelta(hours=9),
                60,
                visit,
                tech,
                start,
                start + timedelta(minutes=60),
                NOW,
                NOW,
                False,
                False,
            )
        )
    _copy(
        conn,
        "visits",
        (
            "case_id",
            "kind",
            "status",
            "window_start",
            "window_end",
            "duration_minutes",
            "requirement_set_id",
            "technician_id",
            "start_at",
            "end_at",
            "created_at",
            "updated_at",
            "warranty_covered",
            "reimbursement_review",
        ),
        rows,
    )
    _copy(
        conn,
        "diagnoses",
        (
            "case_id",
            "visit_id",
            "findings",
            "estimated_minutes",
            "requirement_set_id",
            "current",
            "created_at",
        ),
        ((v, v, "Igniter cracked", 45, visits + v, True, NOW) for v in range(1, visits + 1)),
    )
    _copy(
        conn,
        "reservations",
        ("visit_id", "sku", "location_id", "quantity", "ready_at", "status", "created_at"),
        ((v, "CAP-45-5", 1, 1, NOW, "held", NOW) for v in range(1, visits + 1)),
    )


def _copy(conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...], rows: Any) -> None:
    with (
        conn.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    conn.commit()
