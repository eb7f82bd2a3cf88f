"""Rows kept per worker until PostgreSQL announces a write to them (NOTIFY on firstfix_rows)."""

import os
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, bindparam, text

from app.db import counting_statements
from app.hot_reads import HotReader
from app.watched_rows import CHANNEL, WatchedRows
from tests.conftest import eventually

TABLE = f"watched_things_{os.getpid()}"
ANNOUNCER = f"watched_announcer_{os.getpid()}"  # stands for migration 0009's trigger function
THING = text(f"SELECT id, name FROM {TABLE} WHERE id = :id").bindparams(bindparam("id"))


def _tags(row: Any) -> tuple[str, ...]:
    return (f"thing:{row['id']}",)


@pytest.fixture(autouse=True)
def things(pg_engine: Engine) -> Iterator[None]:
    with pg_engine.connect() as connection:
        connection.execute(text(f"CREATE TABLE {TABLE} (id int PRIMARY KEY, name text)"))
        connection.execute(text(f"INSERT INTO {TABLE} VALUES (1, 'before'), (2, 'other')"))
        connection.execute(text(f"CREATE FUNCTION {ANNOUNCER}() RETURNS void LANGUAGE sql AS ''"))
    yield
    with pg_engine.connect() as connection:
        connection.execute(text(f"DROP TABLE {TABLE}"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {ANNOUNCER}()"))


def _listen(engine: Engine) -> psycopg.Connection:
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


@pytest.fixture
def rows(pg_engine: Engine) -> WatchedRows:
    return WatchedRows(partial(_listen, pg_engine), HotReader(pg_engine).first, announcer=ANNOUNCER)


@pytest.fixture
def write(pg_engine: Engine) -> Callable[..., None]:
    """Another worker's write, announced as the migration's triggers announce it."""

    def rename(thing_id: int, name: str, tag: str | None = None) -> None:
        with pg_engine.connect() as connection:
            connection.execute(
                text(f"UPDATE {TABLE} SET name = :name WHERE id = :id"),
                {"name": name, "id": thing_id},
            )
            connection.execute(
                text("SELECT pg_notify(:channel, :tag)"),
                {"channel": CHANNEL, "tag": tag or f"thing:{thing_id}"},
            )

    return rename


def _name(rows: WatchedRows, thing_id: int = 1) -> str:
    row = rows.first(THING, {"id": thing_id}, tags=_tags)
    assert row is not None
    return str(row["name"])


def test_a_kept_row_costs_no_statement(rows):
    assert _name(rows) == "before"

    with counting_statements() as seen:
        assert _name(rows) == "before"

    assert seen == []


def test_another_workers_write_drops_the_row_once_its_notice_arrives(rows, write):
    _name(rows), _name(rows, 2)

    write(1, "after")

    assert eventually(lambda: _name(rows), lambda name: name == "after") == "after"
    with counting_statements() as seen:
        assert _name(rows, 2) == "other"  # a notice drops only the rows carrying its tag
    assert seen == []


def test_after_a_write_of_its_own_a_worker_sees_it_on_the_next_lookup(rows, write):
    for attempt in range(50):  # without the wait for notices, some attempts would be stale
        _name(rows)
        write(1, f"after {attempt}")
        rows.wrote()

        assert _name(rows) == f"after {attempt}"


def test_a_truncation_drops_every_row(rows, write):
    _name(rows), _name(rows, 2)

    write(2, "renamed", tag="*")
    rows.wrote()

    assert (_name(rows), _name(rows, 2)) == ("before", "renamed")


def test_a_row_read_while_a_notice_about_it_arrived_is_not_kept(pg_engine, write):
    """The read may have run before the write it announces: keeping it would keep it stale."""
    reader = HotReader(pg_engine)
    meetings = iter([lambda: (write(1, "after"), racing.wrote(), _name(racing, 2))])

    def read_then_meet_a_write(statement: Any, params: Any) -> Any:
        row = reader.first(statement, params)
        for meet in meetings:  # the first read only: another thread's lookup applies a notice
            meet()
        return row

    racing = WatchedRows(partial(_listen, pg_engine), read_then_meet_a_write, announcer=ANNOUNCER)

    assert _name(racing) == "before"
    assert _name(racing) == "after"


def test_untagged_rows_are_read_every_time(rows):
    rows.first(THING, {"id": 1}, tags=lambda _row: ())

    with counting_statements() as seen:
        rows.first(THING, {"id": 1}, tags=lambda _row: ())

    assert len(seen) == 1


def test_while_the_listening_connection_is_down_every_lookup_reads(pg_engine, write):
    opened: list[psycopg.Connection] = []

    def listen() -> psycopg.Connection:
        opened.append(_listen(pg_engine))
        return opened[-1]

    rows = WatchedRows(listen, HotReader(pg_engine).first, announcer=ANNOUNCER)
    _name(rows)
    with pg_engine.connect() as admin:
        admin.execute(
            text("SELECT pg_terminate_backend(:pid)"), {"pid": opened[0].info.backend_pid}
        )
        # a write whose notice the dropped connection never gets
        admin.execute(text(f"UPDATE {TABLE} SET name = 'unannounced' WHERE id = 1"))

    assert eventually(lambda: _name(rows), lambda name: name == "unannounced") == "unannounced"
    write(1, "announced")
    assert eventually(lambda: _name(rows), lambda name: name == "announced") == "announced"
    with counting_statements() as seen:
        _name(rows)
    assert seen == [] and len(opened) == 2  # listening again, and keeping rows again


def test_without_a_listening_connection_nothing_is_kept(pg_engine):
    def refused() -> psycopg.Connection:
        raise psycopg.OperationalError("connection refused")

    rows = WatchedRows(refused, HotReader(pg_engine).first, announcer=ANNOUNCER)
    _name(rows)

    with counting_statements() as seen:
        assert _name(rows) == "before"

    assert len(seen) == 1


def test_without_the_announcing_function_nothing_is_kept(pg_engine):
    """Code deployed before its migration would otherwise keep rows no notice ever drops."""
    with pg_engine.connect() as connection:
        connection.execute(text(f"DROP FUNCTION {ANNOUNCER}()"))
    rows = WatchedRows(partial(_listen, pg_engine), HotReader(pg_engine).first, announcer=ANNOUNCER)
    _name(rows)

    with counting_statements() as seen:
        assert _name(rows) == "before"

    assert len(seen) == 1
