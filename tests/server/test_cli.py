"""The `ema-server` command line as an administrator uses it: create an operator, serve, sign in
with plain HTTP, stop with SIGTERM; and `audit verify` catching a tampered trail."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import httpx
import pytest

from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.operators import create_operator
from tests.conftest import PASSWORD

CLI = [sys.executable, "-m", "ema_server"]


async def _run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    async with asyncio.timeout(60):
        out, _ = await proc.communicate(stdin.encode())
    return proc.returncode or 0, out.decode()


async def test_admin_creates_operator_serves_and_signs_in_with_plain_http(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    code, out = await _run("--db", url, "create-operator", "--username", "Jana.Novak", "--role", "hotline",
                           "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, out
    assert "created operator jana.novak (hotline)" in out

    proc = await asyncio.create_subprocess_exec(
        *CLI, "serve", "--port", "0", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "EMA_DB_URL": url},
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            line = (await proc.stdout.readline()).decode()
        assert line.startswith("EMA server listening on http://127.0.0.1:"), line
        base = line.rsplit(" ", 1)[1].strip()
        async with httpx.AsyncClient(base_url=base + "/api/v1", timeout=10) as http:
            login = await http.post("/auth/login", json={"username": "jana.novak", "password": PASSWORD})
            assert login.status_code == 200
            me = await http.get("/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
            assert me.json()["username"] == "jana.novak"
            spec = await http.get("/openapi.json")
            assert spec.status_code == 200 and "/api/v1/auth/login" in spec.json()["paths"]
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            rest = await proc.communicate()
    assert proc.returncode == 0
    assert b"EMA server stopped" in rest[0]


async def test_weak_password_and_duplicate_operator_are_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    code, out = await _run("--db", url, "create-operator", "--username", "petr", "--role", "admin",
                           "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 12 characters" in out
    assert (await _run("--db", url, "create-operator", "--username", "petr", "--role", "admin",
                       "--password-stdin", stdin=PASSWORD + "\n"))[0] == 0
    code, out = await _run("--db", url, "create-operator", "--username", "petr", "--role", "hotline",
                           "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "already exists" in out


@pytest.fixture
async def trail(tmp_path: Path) -> Path:
    """An SQLite database whose audit trail has a few records."""
    path = tmp_path / "audit.db"
    url = f"sqlite+aiosqlite:///{path}"
    db = Database(url)
    try:
        await upgrade(db.engine)
        async with db.sessions() as session:
            for name in ("alice", "bob", "carol"):
                await create_operator(session, username=name, roles=["admin"], password=PASSWORD)
            await session.commit()
    finally:
        await db.dispose()
    code, out = await _run("--db", url, "audit", "verify")
    assert code == 0 and "3 records verified" in out, out
    return path


def _tamper(path: Path, *statements: str) -> None:
    # An attacker with file access can drop the append-only triggers; the chain still tells.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        for statement in statements:
            conn.execute(statement)


async def test_audit_verify_names_a_changed_record(trail: Path) -> None:
    _tamper(trail, "UPDATE audit_log SET detail = '{\"roles\":[\"hotline\"]}' WHERE seq = 2")
    code, out = await _run("--db", f"sqlite+aiosqlite:///{trail}", "audit", "verify")
    assert code == 1
    assert "record 2" in out and "does not match" in out


async def test_audit_verify_names_a_deleted_record(trail: Path) -> None:
    _tamper(trail, "DELETE FROM audit_log WHERE seq = 2")
    code, out = await _run("--db", f"sqlite+aiosqlite:///{trail}", "audit", "verify")
    assert code == 1 and "record 2" in out and "missing" in out


async def test_audit_verify_notices_the_newest_records_removed(trail: Path) -> None:
    _tamper(trail, "DELETE FROM audit_log WHERE seq = 3")
    code, out = await _run("--db", f"sqlite+aiosqlite:///{trail}", "audit", "verify")
    assert code == 1 and "record 3" in out


def test_the_trail_refuses_updates_and_deletes_in_the_database(trail: Path) -> None:
    with sqlite3.connect(trail) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 1")


async def test_sigterm_with_an_open_event_stream_stops_promptly_and_says_so(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    try:
        await upgrade(db.engine)
        async with db.sessions() as session:
            await create_operator(session, username="eva", roles=["technician"], password=PASSWORD)
            await session.commit()
    finally:
        await db.dispose()
    proc = await asyncio.create_subprocess_exec(
        *CLI, "serve", "--port", "0", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "EMA_DB_URL": url},
    )
    assert proc.stdout is not None
    async with asyncio.timeout(30):
        base = (await proc.stdout.readline()).decode().rsplit(" ", 1)[1].strip()
    async with httpx.AsyncClient(base_url=base + "/api/v1", timeout=10) as http:
        token = (await http.post("/auth/login", json={"username": "eva", "password": PASSWORD})).json()["access_token"]
        async with http.stream("GET", "/events", headers={"Authorization": f"Bearer {token}"}) as stream:
            assert stream.status_code == 200
            proc.send_signal(signal.SIGTERM)
            lines = []
            async with asyncio.timeout(10):
                async for line in stream.aiter_lines():
                    lines.append(line)
    assert "event: end" in lines
    async with asyncio.timeout(10):
        await proc.wait()
    assert proc.returncode == 0
