"""Opening, running and closing the encrypted local store.

SQLCipher through SQLAlchemy's `sqlite+pysqlcipher` dialect is synchronous, so the store owns one
worker thread and one connection, and every call is a function run there (`LocalStore.call`): the
event loop, and with it the console's window, never waits on the disk. One connection on one
thread also serialises the writers, so a sync page and an outbox write never interleave.

The key is a random 256-bit raw key (no passphrase derivation); the database, its WAL and its
temporary tables are all encrypted with it, and temporary data stays in memory.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import StaticPool

from ema_desktop.backend.problems import BackendError
from ema_desktop.cache.schema import SCHEMA_VERSION, STATEMENTS

log = logging.getLogger(__name__)

T = TypeVar("T")

PRAGMAS = ("journal_mode = WAL", "synchronous = NORMAL", "temp_store = MEMORY", "secure_delete = ON")


class StoreError(BackendError):
    """The local store cannot be used; the message is a sentence for the operator."""


class StoreKeyMismatch(StoreError):
    """The file exists but does not open with the key we have: wrong or lost key, or not a store."""


class LocalStore:
    """One encrypted SQLite file and the worker thread that talks to it."""

    def __init__(self, path: Path | None, key: str) -> None:
        """`path` None: an in-memory store (no keyring: nothing may outlive the run)."""
        self.path = path
        self._key = key
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ema-store")
        self._engine: Engine | None = None
        self._connection: Connection | None = None

    @property
    def persistent(self) -> bool:
        return self.path is not None

    # ------------------------------------------------------------------ running calls
    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(connection, *args)` on the store's thread; it commits or rolls back itself."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, fn, args)

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._connection is None:
            raise StoreError("The local store is closed.")
        # No cyclic garbage collection while this thread works: it would free whatever garbage
        # exists, Qt objects included, here instead of on the GUI thread, and Qt objects must die
        # on their own thread. Collection resumes (on the next allocating thread) afterwards.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result = fn(self._connection, *args)
            if self._connection.in_transaction():
                # A read left its transaction open: end it, or every later `begin()` would fail and
                # the store would be wedged until a restart. (Writes end theirs with `begin()`.)
                log.warning("local store: %s left a transaction open", getattr(fn, "__name__", "a call"))
                self._connection.rollback()
            return result
        except BaseException:
            if self._connection.in_transaction():
                self._connection.rollback()
            raise
        finally:
            if collecting:
                gc.enable()

    # ------------------------------------------------------------------ open and close
    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._open)

    def _open(self) -> None:
        database = str(self.path) if self.path is not None else ":memory:"
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        url = URL.create("sqlite+pysqlcipher", password=f"x'{self._key}'", database=database)
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
        _explicit_transactions(engine)
        try:
            try:
                connection = engine.connect()
            except DatabaseError as exc:
                raise StoreKeyMismatch(
                    "The local data on this computer cannot be opened with the key kept in the keyring."
                ) from exc
            self._migrate(connection)
        except BaseException:
            engine.dispose()
            raise
        self._engine, self._connection = engine, connection

    @staticmethod
    def _migrate(connection: Connection) -> None:
        version = int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        connection.commit()
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError("The local data was written by a newer version of the console.")
        # One transaction: a console killed while creating the tables leaves an empty file.
        with connection.begin():
            for statement in STATEMENTS:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._close)
        finally:
            self._executor.shutdown(wait=True)

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            if connection.in_transaction():
                connection.rollback()
            try:
                # Fold the WAL back into the file so a closed store is one file. Outside any
                # transaction, hence on the driver's connection (SQLAlchemy would begin one).
                raw = connection.connection.dbapi_connection
                if raw is not None:
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:
                log.warning("local store: WAL checkpoint at close failed")
            connection.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _explicit_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the driver, begin transactions, so DDL is transactional too.

    The DB-API driver would otherwise begin only before DML and commit DDL as it goes (SQLAlchemy's
    documented recipe for pysqlite, which sqlcipher3 follows). The dialect's own connect handler,
    which sends the key, runs before these.
    """

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # Reading the schema is the first use of the key: a wrong one fails here.
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
            # Settings that cannot change inside a transaction. NORMAL in WAL mode loses nothing
            # committed when the console is killed, only on a power cut.
            for pragma in PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def remove_store_files(path: Path) -> None:
    """Delete a store with its WAL and shared-memory files (the store must be closed)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        candidate.unlink(missing_ok=True)
