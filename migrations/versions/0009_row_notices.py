"""row notices: announce writes to the rows that workers keep (see app/watched_rows.py)

Revision ID: 0009_row_notices
Revises: 0008_technician_day
Create Date: 2026-11-23 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_row_notices"
down_revision: str | None = "0008_technician_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only: SQLite has no LISTEN/NOTIFY, and workers there keep nothing.
# The channel and the tags are app/watched_rows.py's CHANNEL and EVERYTHING.
FUNCTION = "firstfix_announce_row"
# table -> (tag, column naming the tagged id)
ANNOUNCED = {
    "users": ("user", "id"),
    "technicians": ("technician", "id"),
    "stock_locations": ("technician", "technician_id"),
    "technician_change_counters": ("technician", "technician_id"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            tag text := TG_ARGV[0];
            id_column text := TG_ARGV[1];
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('firstfix_rows', '*');
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') AND to_jsonb(OLD) ->> id_column IS NOT NULL THEN
                PERFORM pg_notify('firstfix_rows', tag || ':' || (to_jsonb(OLD) ->> id_column));
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND to_jsonb(NEW) ->> id_column IS NOT NULL THEN
                PERFORM pg_notify('firstfix_rows', tag || ':' || (to_jsonb(NEW) ->> id_column));
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    for table, (tag, column) in ANNOUNCED.items():
        arguments = f"'{tag}', '{column}'"
        op.execute(
            f"CREATE TRIGGER {table}_announce AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}({arguments})"
        )
        op.execute(
            f"CREATE TRIGGER {table}_announce_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({arguments})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ANNOUNCED:
        op.execute(f"DROP TRIGGER {table}_announce ON {table}")
        op.execute(f"DROP TRIGGER {table}_announce_truncate ON {table}")
    op.execute(f"DROP FUNCTION {FUNCTION}()")
