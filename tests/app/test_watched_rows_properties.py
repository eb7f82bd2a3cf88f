"""Whatever the writes and reads, a lookup after the notices arrived returns what is stored.

The listening connection is a stand-in that hands over every pending notice when asked, so
these run without PostgreSQL and check the bookkeeping: rows dropped by any of their tags, by
a truncation, and nothing stale left behind by a drop.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.watched_rows import EVERYTHING, WatchedRows

THINGS = range(6)
GROUPS = 2
STATEMENT: Any = "thing by id"  # any hashable stands for a compiled statement


@dataclass
class Notice:
    payload: str


@dataclass
class Database:
    """Names and groups of things; every write queues the notice the triggers would send."""

    names: dict[int, str] = field(default_factory=lambda: {i: "new" for i in THINGS})
    pending: list[str] = field(default_factory=list)

    def rename(self, thing: int, name: str) -> None:
        self.names[thing] = name
        self.pending.append(f"thing:{thing}")

    def rename_group(self, group: int, name: str) -> None:
        for thing in THINGS:
            if thing % GROUPS == group:
                self.names[thing] = name
        self.pending.append(f"group:{group}")

    def truncate(self) -> None:
        self.names = {i: "new" for i in THINGS}
        self.pending.append(EVERYTHING)

    def read(self, _statement: Any, params: Any) -> dict[str, Any]:
        thing = params["id"]
        return {"id": thing, "group": thing % GROUPS, "name": self.names[thing]}


class Listener:
    """What WatchedRows asks of a psycopg connection, delivering the database's notices."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def execute(self, sql: str, params: tuple[str, ...] = ()) -> Any:
        if "pg_notify" in sql:
            self._database.pending.append(params[1])
        return self

    def fetchone(self) -> tuple[str]:
        return ("announcer",)

    def notifies(self, timeout: float | None = None) -> Iterator[Notice]:
        while self._database.pending:
            yield Notice(self._database.pending.pop(0))

    def close(self) -> None:
        return None


def _tags(row: Any) -> tuple[str, ...]:
    return (f"thing:{row['id']}", f"group:{row['group']}")


NAMES = st.sampled_from(["a", "b", "c"])
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.sampled_from(THINGS)),
        st.tuples(st.just("rename"), st.sampled_from(THINGS), NAMES),
        st.tuples(st.just("rename_group"), st.integers(0, GROUPS - 1), NAMES),
        st.tuples(st.just("truncate")),
        st.tuples(st.just("wrote")),
    ),
    max_size=40,
)


@given(STEPS)
def test_a_lookup_returns_what_is_stored_once_the_notices_arrived(steps):
    database = Database()
    connect = partial(Listener, database)  # stands for psycopg.connect
    rows = WatchedRows(connect, database.read, announcer="announcer")  # type: ignore[arg-type]

    for step in steps:
        match step:
            case ("read", thing):
                row = rows.first(STATEMENT, {"id": thing}, tags=_tags)
                assert row is not None and row["name"] == database.names[thing]
            case ("rename", thing, name):
                database.rename(thing, name)
            case ("rename_group", group, name):
                database.rename_group(group, name)
            case ("truncate",):
                database.truncate()
            case ("wrote",):
                rows.wrote()
