"""Migrations reach head on an empty database and describe exactly what the models say."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import extensions
from app.db import Base


def test_migrated_schema_matches_the_models(app):
    with extensions.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []
