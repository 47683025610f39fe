"""Bulk writing for the demo seed: many rows per statement, with the change feed kept complete.

Rows go in through the driver directly (SQLite ``executemany``, PostgreSQL ``COPY``), in the
transaction the caller's session has open, because the ORM costs tens of microseconds a row
and the large demo has millions of them. Every value is first passed through the column type's
own bind processing, so what lands in the database is exactly what an ORM write would store.
One write is kept in flight while the caller prepares the next chunk, so the database works on
one core while Python generates rows on the other.

Bypassing the ORM also bypasses the change tracking of ``ema_server.db.tracking``; for every
published table (``__change_scope__``) the writer therefore adds the change-log rows itself,
built from the same data ``Model.to_record()`` gives for the stored row.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Date, DateTime, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Base, ChangeRecord
from ema_server.db.models.base import UTCDateTime, json_value
from ema_server.db.tracking import change_rows_for, take_ordering_lock

Processor = Callable[[Any], Any]
_MISSING = object()
# Page cache for the seeding connection: a large transaction whose pages do not fit is spilled
# to the WAL again and again, which made the large demo several times slower.
SQLITE_CACHE_KIB = 512 * 1024


@dataclass(frozen=True)
class _Shape:
    """How rows of a table are laid out for writing; depends on the schema only, not the database."""

    table: Table
    columns: tuple[Column[Any], ...]
    """Columns written, in table order (an auto-numbered primary key left to the database)."""
    getter: Callable[[dict[str, Any]], Any]
    defaults: tuple[Any, ...]
    entity: str | None
    scope: str | None
    record_keys: tuple[str, ...]
    """The published fields, as in to_record()."""
    record_getter: Callable[[list[Any]], tuple[Any, ...]]
    """Their values from a resolved row."""
    temporal_keys: tuple[str, ...]
    """The published dates and times, which JSON carries as ISO 8601 text."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """Rows of one table resolved to column order, with their change-log rows likewise."""

    table: str
    with_id: bool
    values: list[list[Any]]
    changes: list[list[Any]] | None
    """None: not made yet, the writer makes them (for a published table)."""


_MODELS: dict[str, type[Base]] = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
_SHAPES: dict[tuple[str, bool], _Shape] = {}


def _shape(model: type[Base], with_id: bool) -> _Shape:
    key = (model.__tablename__, with_id)
    if key in _SHAPES:
        return _SHAPES[key]
    table = model.__table__
    assert isinstance(table, Table)
    columns = tuple(c for c in table.columns if with_id or not (c.primary_key and c.autoincrement is True))
    defaults = []
    for column in columns:
        default = column.default
        if default is not None and default.is_scalar:
            defaults.append(default.arg)
        elif column.nullable:
            defaults.append(None)
        else:
            defaults.append(_MISSING)
    positions = {c.key: i for i, c in enumerate(columns)}
    published = [c for c in table.columns if c.key not in model.__secret_columns__ and c.key in positions]
    shape = _Shape(
        table=table,
        columns=columns,
        getter=itemgetter(*(c.key for c in columns)),
        defaults=tuple(defaults),
        entity=model.__entity__ or None,
        scope=model.__change_scope__,
        record_keys=tuple(c.key for c in published),
        record_getter=_tuple_getter([positions[c.key] for c in published]),
        temporal_keys=tuple(c.key for c in published if isinstance(c.type, (DateTime, Date, UTCDateTime))),
    )
    _SHAPES[key] = shape
    return shape


def _resolve(shape: _Shape, row: dict[str, Any]) -> list[Any]:
    try:
        return list(shape.getter(row))
    except KeyError:
        pass
    values = []
    for column, default in zip(shape.columns, shape.defaults, strict=True):
        value = row.get(column.key, default)
        if value is _MISSING:
            raise ValueError(f"{shape.table.name}.{column.key} needs a value") from None
        values.append(value)
    return values


def encode(model: type[Base], rows: list[dict[str, Any]], *, with_id: bool = True, changes: bool = True) -> Encoded:
    """Rows given as {column key: Python value} in column order; absent columns take their scalar
    default or NULL, and ``with_id=False`` leaves an integer primary key to the database.

    Rows of published tables come with their change-log rows (unless ``changes`` is false: then
    the writer makes them), built from the stored values, defaults included, exactly as
    ``to_record()`` gives them. Needs no database, so the large demo does this in its helper
    process.
    """
    shape = _shape(model, with_id)
    values = [_resolve(shape, row) for row in rows]
    return Encoded(model.__tablename__, with_id, values, _changes(shape, values) if changes else None)


def _changes(shape: _Shape, values: list[list[Any]]) -> list[list[Any]]:
    if shape.entity is None or shape.scope is None:
        return []
    records = [dict(zip(shape.record_keys, shape.record_getter(v), strict=True)) for v in values]
    for record in records:
        for key in shape.temporal_keys:
            if record[key] is not None:
                record[key] = json_value(record[key])
    change_shape = _shape(ChangeRecord, False)
    return [_resolve(change_shape, c) for c in change_rows_for(records, shape.entity, shape.scope)]


def _sqlite_utc(value: datetime) -> str:
    """UTCDateTime's stored form on SQLite, several times faster than the generic processors."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _tuple_getter(positions: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """itemgetter that returns a tuple even for a single position."""
    getter = itemgetter(*positions)
    if len(positions) == 1:
        return lambda values: (getter(values),)
    return getter


class BulkWriter:
    """Writes rows of ORM tables in chunks inside the session's open transaction."""

    def __init__(self, session: AsyncSession, *, chunk_size: int = 10_000) -> None:
        self._session = session
        self._chunk_size = chunk_size
        self._statements: dict[tuple[str, bool], tuple[tuple[tuple[int, Processor], ...], str]] = {}
        self._raw: Any = None
        self._dialect: Any = None
        self._pending: asyncio.Task[None] | None = None
        self._sqlite_cache: int | None = None
        self.counts: Counter[str] = Counter()
        """Rows written per table name (change-log rows included)."""

    async def start(self) -> None:
        """Open the transaction in the driver too and take the change-feed ordering lock."""
        connection = await self._session.connection()
        self._dialect = connection.dialect
        # The driver begins its transaction lazily on the first statement; a COPY sent straight to
        # asyncpg before any statement would otherwise commit on its own.
        await self._session.execute(text("SELECT 1"))
        await self._session.run_sync(lambda s: take_ordering_lock(s.connection()))
        self._raw = (await connection.get_raw_connection()).driver_connection
        if self.dialect_name == "sqlite":
            self._sqlite_cache = int((await self._session.execute(text("PRAGMA cache_size"))).scalar_one())
            await self._session.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))

    async def finish(self) -> None:
        """Wait for the last write and give the connection its usual cache back."""
        await self.flush()
        if self._sqlite_cache is not None:
            await self._session.execute(text(f"PRAGMA cache_size = {int(self._sqlite_cache)}"))
            self._sqlite_cache = None

    async def abandon(self) -> None:
        """After a failure: wait for the write in flight, whatever its outcome (the transaction
        is rolled back anyway), so no task is left behind."""
        pending, self._pending = self._pending, None
        if pending is not None:
            with suppress(Exception):
                await pending

    async def flush(self) -> None:
        """Wait for the write in flight; needed before the session runs statements of its own."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    @property
    def dialect_name(self) -> str:
        return str(self._dialect.name)

    # --- planning --------------------------------------------------------------------------------

    def _processor(self, column: Column[Any]) -> Processor | None:
        processor: Processor | None = column.type.dialect_impl(self._dialect).bind_processor(self._dialect)
        if self.dialect_name == "sqlite" and isinstance(column.type, UTCDateTime) and processor is not None:
            # Use the fast form only where it is provably the same as SQLAlchemy's own.
            samples = (datetime(2026, 3, 29, 1, 30, 5, 120, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
            if all(_sqlite_utc(s) == processor(s) for s in samples):
                return _sqlite_utc
        return processor

    def _statement(self, shape: _Shape, with_id: bool) -> tuple[tuple[tuple[int, Processor], ...], str]:
        """The bind processors (by column position) and INSERT statement of a table on this database."""
        key = (shape.table.name, with_id)
        if key not in self._statements:
            processors = tuple(
                (index, processor)
                for index, column in enumerate(shape.columns)
                if (processor := self._processor(column)) is not None
            )
            self._statements[key] = (processors, self._insert_sql(shape.table, shape.columns))
        return self._statements[key]

    def _insert_sql(self, table: Table, columns: Sequence[Column[Any]]) -> str:
        """The driver's INSERT statement with positional parameters (used on SQLite)."""
        keys = [c.key for c in columns]
        statement = insert(table).compile(dialect=self._dialect, column_keys=keys)
        # The compiler adds columns that have defaults; every such column must be among ours.
        if statement.positiontup != keys:
            raise ValueError(f"{table.name}: give values for {statement.positiontup}, not {keys}")
        return str(statement)

    # --- writing ---------------------------------------------------------------------------------

    async def insert(self, model: type[Base], rows: Iterable[dict[str, Any]], *, with_id: bool = True) -> int:
        """Encode and write rows in chunks (see `encode`); returns how many."""
        written = 0
        iterator = iter(rows)
        while chunk := list(islice(iterator, self._chunk_size)):
            await self.write(encode(model, chunk, with_id=with_id))
            written += len(chunk)
        return written

    async def write(self, encoded: Encoded) -> None:
        """Write encoded rows, then their change-log rows."""
        model = _MODELS[encoded.table]
        shape = _shape(model, encoded.with_id)
        processors, sql = self._statement(shape, encoded.with_id)
        changes = _changes(shape, encoded.values) if encoded.changes is None else encoded.changes
        self._process(processors, encoded.values)
        await self._write(shape.table.name, shape.columns, sql, [tuple(v) for v in encoded.values])
        self.counts[shape.table.name] += len(encoded.values)
        if changes:
            await self.write(Encoded(ChangeRecord.__tablename__, False, changes, []))

    async def insert_plain(self, model: type[Base], names: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert tuples of values that need no type processing (integers, floats), for telemetry."""
        table = model.__table__
        assert isinstance(table, Table)
        assert model.__change_scope__ is None, "published rows go through insert()"
        columns = tuple(table.c[name] for name in names)
        sql = self._insert_sql(table, columns)
        written = 0
        iterator = iter(rows)
        while chunk := list(islice(iterator, self._chunk_size * 2)):
            await self._write(table.name, columns, sql, chunk)
            written += len(chunk)
        self.counts[table.name] += written
        return written

    @staticmethod
    def _process(processors: tuple[tuple[int, Processor], ...], resolved: list[list[Any]]) -> None:
        for index, processor in processors:
            # Consecutive rows often share a value (the change log's timestamp, a version);
            # converting it once is enough.
            last_in: Any = _MISSING
            last_out: Any = None
            for values in resolved:
                value = values[index]
                if value is None:
                    continue
                if value is not last_in:
                    last_in, last_out = value, processor(value)
                values[index] = last_out

    async def _write(self, table: str, columns: Sequence[Column[Any]], sql: str, values: list[tuple[Any, ...]]) -> None:
        await self.flush()
        if self.dialect_name == "postgresql":
            names = [c.name for c in columns]
            self._pending = asyncio.ensure_future(self._raw.copy_records_to_table(table, records=values, columns=names))
        else:
            self._pending = asyncio.ensure_future(self._sqlite_write(sql, values))

    async def _sqlite_write(self, sql: str, values: list[tuple[Any, ...]]) -> None:
        cursor = await self._raw.executemany(sql, values)
        await cursor.close()

    # --- ids -------------------------------------------------------------------------------------

    async def next_id(self, model: type[Base]) -> int:
        """The first free integer id of a table, for rows other rows must refer to before writing."""
        await self.flush()
        table = model.__table__
        assert isinstance(table, Table)
        return int((await self._session.execute(select(func.coalesce(func.max(table.c.id), 0)))).scalar_one()) + 1

    async def sync_sequence(self, model: type[Base]) -> None:
        """Move PostgreSQL's id sequence past ids the writer gave explicitly."""
        await self.flush()
        if self.dialect_name != "postgresql":
            return
        table = model.__table__
        assert isinstance(table, Table)
        highest = select(func.max(table.c.id)).scalar_subquery()
        await self._session.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest)))
