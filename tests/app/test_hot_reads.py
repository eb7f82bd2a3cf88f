"""The hot reader: one autocommit connection per thread, replaced when the server drops it."""

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, Integer, bindparam, create_engine, func, select, text

from app.hot_reads import HotReader

BACKEND_PID = select(func.pg_backend_pid().label("pid"))


@pytest.fixture
def engine() -> Iterator[Engine]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL to run it")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def test_a_thread_keeps_its_connection_and_leaves_no_transaction_open(engine):
    reader = HotReader(engine)
    in_autocommit = select((func.now() == func.statement_timestamp()).label("alone"))

    first = reader.first(BACKEND_PID, {})
    again = reader.first(in_autocommit, {})

    assert reader.first(BACKEND_PID, {}) == first
    assert again == {"alone": True}  # now() is the statement's own time: no open transaction


def test_a_connection_the_server_dropped_is_replaced_without_failing_the_read(engine):
    reader = HotReader(engine)
    dropped = reader.first(BACKEND_PID, {})["pid"]
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

    assert reader.first(BACKEND_PID, {})["pid"] != dropped


def test_a_statement_reads_with_its_parameters(engine):
    reader = HotReader(engine)
    query = select((func.abs(bindparam("n", type_=Integer)) * 2).label("twice"))

    assert reader.first(query, {"n": -21}) == {"twice": 42}
