"""Declarative base and the engine/session owner shared by every slice."""

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import URL, DateTime, Engine, Executable, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

from app.hot_reads import HotReader
from app.watched_rows import Tags, WatchedRows

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always gives aware UTC back, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sql_in(column: str, values: type[StrEnum] | Iterable[StrEnum]) -> str:
    """A CHECK expression that keeps a string column inside an enum's values."""
    listed = ", ".join(f"'{member.value}'" for member in values)
    return f"{column} IN ({listed})"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Database:
    """Owns the engine and a thread-scoped session shared by CLI, workers and requests."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._reader: HotReader | None = None
        self._watched: WatchedRows | None = None
        self._autocommit: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app: Flask) -> None:
        url, pre_ping = app.config["DATABASE_URL"], app.config["DATABASE_PRE_PING"]
        self.engine = make_engine(url, pre_ping=pre_ping)
        if not self.is_sqlite:
            autocommit = make_engine(url, pre_ping=pre_ping, isolation_level="AUTOCOMMIT")
            self._autocommit = autocommit
            self._reader = HotReader(autocommit)
            if app.config["LISTEN_FOR_CHANGES"]:
                listen = partial(_listening_connection, make_url(url))
                self._watched = WatchedRows(listen, self._reader.first, announcer=ANNOUNCER)
                _wait_for_own_notices(self.engine, self._watched)
        self.session.configure(bind=self.engine)
        app.extensions["firstfix_db"] = self
        app.teardown_appcontext(lambda _exc: self.session.remove())

    @property
    def is_sqlite(self) -> bool:
        return self.engine is not None and self.engine.dialect.name == "sqlite"

    def begin(self, *, writes: bool) -> Session:
        """Start the unit of work of a request, job or command; its edge ends it with end().

        On SQLite a writer takes the write lock before its first read (BEGIN IMMEDIATE) and
        waits for it up to the busy timeout: a transaction that read first could not wait,
        and would fail at once with "database is locked" when another writer got in between.
        PostgreSQL relies on row versions and constraints instead. Work the caller left open
        (a test, a command that calls use cases itself) is its own unit and is committed first.
        """
        session = self.session()
        if session.in_transaction():
            session.commit()
        if writes and self.is_sqlite:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        return session

    def end(self, *, commit: bool) -> None:
        """Commit the unit of work, or roll it back so that nothing of it is written.

        What was asked to happen after the commit (queueing a job that reads what the unit
        wrote) happens once it is committed, and not at all when it is rolled back.
        """
        session = self.session()
        after = session.info.pop(_AFTER_COMMIT, [])
        if not commit:
            session.rollback()
            return
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
        for callback in after:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the current unit of work has committed."""
        self.session().info.setdefault(_AFTER_COMMIT, []).append(callback)

    @contextmanager
    def unit_of_work(self, *, writes: bool = True) -> Iterator[Session]:
        """One transaction owned by a job or a command: committed at the end, or rolled back."""
        session = self.begin(writes=writes)
        try:
            yield session
        except BaseException:
            self.end(commit=False)
            raise
        self.end(commit=True)

    def first_row(
        self, statement: Executable, params: Mapping[str, Any]
    ) -> Mapping[str, Any] | None:
        """The first row of a hot path's single read, outside any transaction.

        On PostgreSQL through the hot reader (see hot_reads.py): autocommit, so no BEGIN and
        ROLLBACK round trips around the statement. SQLite is in-process and reads in the unit
        of work: a second connection could wait for the pool while this one holds the write
        lock that the pool's other connections wait for.
        """
        assert self.engine is not None, "init_app first"
        if self._reader is not None:
            return self._reader.first(statement, params)
        row = self.session().execute(statement, params).first()
        return None if row is None else row._mapping

    @contextmanager
    def autocommit_reads(self) -> Iterator[None]:
        """Inside, db.session reads outside any transaction (PostgreSQL; SQLite as usual).

        psycopg deallocates every prepared statement on ROLLBACK, and every read-only request
        ends with one, so each request planned the day's joins afresh: 2.2 ms of planning for
        0.4 ms of execution of the visits query. In autocommit nothing is rolled back: the
        driver prepares a statement on its fifth run and PostgreSQL reuses its plan, and there
        are no BEGIN and ROLLBACK round trips. Each statement sees what was committed when it
        started, as it does under READ COMMITTED. For reads only: a flush here commits at once.
        """
        if self._autocommit is None:
            yield
            return
        outer = self.session.registry() if self.session.registry.has() else None
        reads = Session(bind=self._autocommit, expire_on_commit=False)
        self.session.registry.set(reads)
        try:
            yield
        finally:
            reads.close()
            if outer is None:
                self.session.registry.clear()
            else:
                self.session.registry.set(outer)

    def watched_row(
        self, statement: Executable, params: Mapping[str, Any], *, tags: Tags
    ) -> Mapping[str, Any] | None:
        """first_row, kept by this worker until a write to a row of `tags(row)` is announced.

        PostgreSQL only (see watched_rows.py); elsewhere, or with LISTEN_FOR_CHANGES off, a
        plain first_row every time.
        """
        if self._watched is None:
            return self.first_row(statement, params)
        return self._watched.first(statement, params, tags=tags)

    def forget_watched_rows(self) -> None:
        """Tests: ids handed out again after a truncation must not find an earlier row."""
        if self._watched is not None:
            self._watched.forget()


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """The statements this thread sends while the block runs, through any engine or the hot
    reader: the query budgets that tests and benchmarks check. SQLite's explicit BEGIN is not
    a query and is left out."""
    caller = threading.get_ident()
    seen: list[str] = []

    def count(statement: str) -> None:
        if threading.get_ident() == caller and not statement.startswith("BEGIN"):
            seen.append(statement)

    def count_cursor(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        count(statement)

    event.listen(Engine, "before_cursor_execute", count_cursor)
    HotReader.listeners.append(count)
    try:
        yield seen
    finally:
        HotReader.listeners.remove(count)
        event.remove(Engine, "before_cursor_execute", count_cursor)


def _wait_for_own_notices(engine: Engine, watched: WatchedRows) -> None:
    """Once a connection that committed is back in the pool, the next lookup of watched rows
    waits for the notices of its writes. Not at the commit event: SQLAlchemy fires it before
    the COMMIT is sent, and another thread's lookup in between would wait for nothing."""

    @event.listens_for(engine, "commit")
    def _committing(connection: Any) -> None:
        connection.info[_COMMITTED] = True

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_COMMITTED, False):
            watched.wrote()


_COMMITTED = "firstfix_committed"
_AFTER_COMMIT = "firstfix_after_commit"
ANNOUNCER = "firstfix_announce_row"  # the triggers' function, created by migration 0009


def _listening_connection(url: URL) -> psycopg.Connection:
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def make_engine(url: str, *, pre_ping: bool, isolation_level: str | None = None) -> Engine:
    """PostgreSQL connections are pooled and recycled hourly; SQLite gets explicit BEGINs.

    Without the pre-ping, a connection the server closed fails the request that finds it, and
    SQLAlchemy then drops every pooled connection, so the next requests reconnect.
    """
    if not url.startswith("sqlite"):
        options = {"isolation_level": isolation_level} if isolation_level else {}
        return create_engine(url, pool_pre_ping=pre_ping, pool_recycle=3600, **options)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    _use_explicit_sqlite_transactions(engine)
    return engine


def _use_explicit_sqlite_transactions(engine: Engine) -> None:
    """pysqlite's implicit BEGIN cannot take a write lock up front; emit BEGIN ourselves."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())
