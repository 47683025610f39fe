"""The Alembic migrations build exactly the schema the code expects, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import ema_server.db.audit  # noqa: F401 - registers the audit head table
from ema_server.db.engine import Database
from ema_server.db.models import Base


async def test_migrated_schema_matches_the_models(db: Database) -> None:
    def _diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    assert diff == []


async def test_sqlite_database_runs_in_wal_mode(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        async with db.engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
    finally:
        await db.dispose()
    assert mode == "wal"
