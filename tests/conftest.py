"""Test fixtures shared by every suite: a migrated database on SQLite and on PostgreSQL, the API
app over it, and signed-in operators of every role."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.domain.permissions import Role
from ema_server.operators import create_operator

PASSWORD = "correct horse battery staple"
POSTGRES_ENABLED = bool(os.environ.get("EMA_TEST_POSTGRES"))
POSTGRES_REQUIRED = bool(os.environ.get("EMA_REQUIRE_POSTGRES"))


def _pg_url(database: str) -> str:
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    return f"postgresql+asyncpg://{user}:{password}@{host}:{port}/{database}"


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(
        host=os.environ.get("PGHOST", "localhost"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        password=os.environ.get("PGPASSWORD", ""),
        database=os.environ.get("PGDATABASE", "postgres"),
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db.engine)
    finally:
        await db.dispose()


@pytest.fixture(scope="session", autouse=True)
def server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The server's data directory (access-package key, erasure ledger) for every test and every
    server a test starts, never the real one of the user running the tests."""
    path = tmp_path_factory.mktemp("server-data")
    saved = os.environ.get("EMA_SERVER_DATA_DIR")
    os.environ["EMA_SERVER_DATA_DIR"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("EMA_SERVER_DATA_DIR", None)
    else:
        os.environ["EMA_SERVER_DATA_DIR"] = saved


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES_ENABLED:
        if POSTGRES_REQUIRED:
            pytest.fail("EMA_REQUIRE_POSTGRES is set but no PostgreSQL cluster was started (run under pg_virtualenv)")
        pytest.skip("PostgreSQL not available: run `make test` where PostgreSQL's server is installed")
    name = f"ema_template_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    asyncio.run(_migrate(_pg_url(name)))
    yield name
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database of each kind, for one test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "ema.db"
        shutil.copy(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"ema_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield _pg_url(name)
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """An SQLite database only, for tests of SQLite-specific behaviour."""
    path = tmp_path / "ema.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the API app, in process (no SSE or WebSocket: see `live_server`)."""
    app = create_app(db, housekeeping=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
        yield http


@dataclass
class SignedIn:
    """An operator signed in through the API, with headers for their requests."""

    operator_id: str
    username: str
    role: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


SignIn = Callable[..., Awaitable[SignedIn]]


@pytest.fixture
async def sign_in(db: Database, client: httpx.AsyncClient) -> SignIn:
    """`await sign_in(role)` creates an operator with that role and signs them in."""
    counter = 0

    async def _sign_in(role: str | Role, username: str | None = None, with_totp: bool = False) -> SignedIn:
        nonlocal counter
        counter += 1
        name = username or f"{Role(role).value}{counter}"
        async with db.sessions() as session:
            operator, _ = await create_operator(
                session, username=name, roles=[Role(role).value], password=PASSWORD,
                display_name=f"Test {name}", with_totp=with_totp,
            )
            await session.commit()
        response = await client.post("/auth/login", json={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        tokens = response.json()
        return SignedIn(operator.id, name, Role(role).value, tokens["access_token"], tokens["refresh_token"])

    return _sign_in


@pytest.fixture
async def admin(sign_in: SignIn) -> SignedIn:
    return await sign_in(Role.ADMIN)
