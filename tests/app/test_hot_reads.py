"""The hot reader: one autocommit connection per thread, replaced when the server drops it."""

from sqlalchemy import Integer, bindparam, func, select, text

from app.hot_reads import HotReader

BACKEND_PID = select(func.pg_backend_pid().label("pid"))


def test_a_thread_keeps_its_connection_and_leaves_no_transaction_open(pg_engine):
    reader = HotReader(pg_engine)
    in_autocommit = select((func.now() == func.statement_timestamp()).label("alone"))

    first = reader.first(BACKEND_PID, {})
    again = reader.first(in_autocommit, {})

    assert reader.first(BACKEND_PID, {}) == first
    assert again == {"alone": True}  # now() is the statement's own time: no open transaction


def test_a_connection_the_server_dropped_is_replaced_without_failing_the_read(pg_engine):
    reader = HotReader(pg_engine)
    dropped = reader.first(BACKEND_PID, {})["pid"]
    with pg_engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

    assert reader.first(BACKEND_PID, {})["pid"] != dropped


def test_a_statement_reads_with_its_parameters(pg_engine):
    reader = HotReader(pg_engine)
    query = select((func.abs(bindparam("n", type_=Integer)) * 2).label("twice"))

    assert reader.first(query, {"n": -21}) == {"twice": 42}
