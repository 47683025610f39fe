"""The console's backend client against a real ema-server on loopback: sign-in, silent refresh,
the keyring, sign-out, retries and the messages an operator reads when something fails."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem, ServerUnreachable, SessionEnded, describe
from ema_desktop.backend.records import Operator
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.memory_keyring import MemoryKeyring
from tests.live_server import RunningServer


async def test_sign_in_gives_the_operator_and_keeps_the_refresh_token_only_in_the_keyring(
    console_server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    client = BackendClient(console_server.url)
    try:
        operator = await client.sign_in("demo.hotline", DEMO_PASSWORD)
        assert operator.username == "demo.hotline"
        assert operator.roles == ["hotline"]
        assert "privacy.handle" not in operator.permissions
        stored = list(memory_keyring.secrets.values())
        assert len(stored) == 1 and stored[0] == client._refresh
    finally:
        await client.aclose()


async def test_a_restarted_console_signs_in_again_silently_with_the_kept_refresh_token(
    console_server: RunningServer,
) -> None:
    first = BackendClient(console_server.url)
    await first.sign_in("demo.technician", DEMO_PASSWORD)
    await first.aclose()

    second = BackendClient(console_server.url)
    try:
        operator = await second.resume("demo.technician")
        assert operator is not None and operator.username == "demo.technician"
        page = await second.search_customers("", limit=5)
        assert len(page.items) == 5
        assert await BackendClient(console_server.url).resume("demo.hotline") is None  # nothing kept for them
    finally:
        await second.aclose()


async def test_wrong_password_reads_as_a_sentence(console_server: RunningServer) -> None:
    client = BackendClient(console_server.url)
    try:
        with pytest.raises(ApiProblem) as caught:
            await client.sign_in("demo.admin", "not the password")
        assert caught.value.code == "invalid_credentials"
        assert describe(caught.value) == "Wrong username, password or one-time code."
    finally:
        await client.aclose()


async def test_concurrent_requests_with_an_expired_token_share_one_refresh(backend: BackendClient) -> None:
    backend._expires_at = 0.0  # the access token is about to expire: every request wants a refresh
    pages = await asyncio.gather(*(backend.search_customers("", limit=1) for _ in range(8)))
    assert all(len(p.items) == 1 for p in pages)
    # A second refresh with a used refresh token would have ended the session on the server.
    assert (await backend.search_customers("", limit=1)).total > 1


async def test_a_rejected_access_token_is_refreshed_without_the_operator_noticing(backend: BackendClient) -> None:
    backend._access = "expired-or-revoked"
    page = await backend.search_customers("", limit=3)
    assert len(page.items) == 3


async def test_sign_out_revokes_the_session_on_the_server(
    console_server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    ended: list[bool] = []
    client = BackendClient(console_server.url, on_session_ended=lambda: ended.append(True))
    try:
        await client.sign_in("demo.admin", DEMO_PASSWORD)
        access, refresh = client._access, client._refresh
        await client.sign_out()
        assert memory_keyring.secrets == {}
        async with httpx.AsyncClient(base_url=console_server.url) as raw:
            me = await raw.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"})
            assert me.status_code == 401
            again = await raw.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
            assert again.status_code == 401
        with pytest.raises(SessionEnded):
            await client.search_customers("")
    finally:
        await client.aclose()


async def test_an_unreachable_server_is_reported_plainly_after_retries(unused_tcp_port: int) -> None:
    client = BackendClient(f"http://127.0.0.1:{unused_tcp_port}", retry_delays=(0.01, 0.01))
    try:
        with pytest.raises(ServerUnreachable) as caught:
            await client.sign_in("demo.admin", DEMO_PASSWORD)
        assert "connection refused" in str(caught.value)
        assert f"127.0.0.1:{unused_tcp_port}" in str(caught.value)
    finally:
        await client.aclose()


async def test_requests_queued_behind_a_refresh_that_found_no_server_fail_with_it_instead_of_each_retrying() -> None:
    """A console started offline: every pane asks at once, each request needs the first refresh.
    One refresh tries (three connections); the others learn from it instead of each trying again,
    so the console says "Offline" after one round of retries, not one per pane."""
    connections = 0

    def refuse(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.close()  # accepted and closed unanswered: the server is not there

    down = await asyncio.start_server(refuse, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{down.sockets[0].getsockname()[1]}"
    client = BackendClient(url, retry_delays=(0.01, 0.01))
    try:
        await client.vault.save(url, "demo.admin", "kept-refresh-token")
        operator = Operator(id="op-1", username="demo.admin", display_name="Admin", roles=["admin"], permissions=[])
        assert await client.resume_offline("demo.admin", operator)
        answers = await asyncio.gather(*(client.search_customers("") for _ in range(6)), return_exceptions=True)
        assert all(isinstance(a, ServerUnreachable) for a in answers)
        assert connections == 3  # one refresh: the first try and two retries
        with pytest.raises(ServerUnreachable):  # a later request tries again: the server may be back
            await client.search_customers("")
        assert connections == 6
    finally:
        await client.aclose()
        down.close()
        await down.wait_closed()


async def test_a_stale_ticket_edit_says_someone_else_changed_it(backend: BackendClient) -> None:
    ticket = (await backend.tickets(state=["open"], limit=1)).items[0]
    await backend.update_ticket(ticket.id, ticket.version, {"priority": "high" if ticket.priority != "high" else "low"})
    with pytest.raises(ApiProblem) as caught:
        await backend.update_ticket(ticket.id, ticket.version, {"state": "in_progress"})
    assert caught.value.status == 412
    assert "Someone else changed this record" in str(caught.value)
    assert caught.value.current is not None


async def test_invalid_input_names_the_field(backend: BackendClient) -> None:
    ticket = (await backend.tickets(state=["open"], limit=1)).items[0]
    with pytest.raises(ApiProblem) as caught:
        await backend.update_ticket(ticket.id, ticket.version, {"priority": "whenever"})
    assert caught.value.status == 422
    assert "priority" in str(caught.value)
