"""The whole console against a real ema-server on loopback, driven as an operator would: sign in,
find a customer with Ctrl+K, watch a station turn red when it faults, move a ticket on, sign out,
and keep every live event across a server restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import keyring
import keyring.backends.fail
import pyotp
import pytest
from ocpp.v16 import call
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from ema_desktop.backend.client import BackendClient
from ema_desktop.models.stations import status_colour
from ema_desktop.views.status import OperatorBadge
from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.operators import create_operator
from ema_server.search import refresh_customer_search_text
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.console_driver import RunningConsole, answer, sign_in_dialog
from tests.desktop.memory_keyring import MemoryKeyring
from tests.desktop.waiting import until
from tests.live_server import RunningServer
from tests.ocpp.harness import Registered, register, station

pytestmark = pytest.mark.slow


@pytest.fixture
async def running_console(console_server: RunningServer) -> AsyncIterator[RunningConsole]:
    console = RunningConsole(console_server.url)
    try:
        yield console
    finally:
        if not console.task.done():
            await console.quit()


@pytest.fixture
async def faulty_station(console_db: Database) -> Registered:
    """A station registered as an administrator would, its customer findable as after any edit."""
    registered = await register(console_db, "CZ-TEST-00001")
    async with console_db.sessions() as session:
        await refresh_customer_search_text(session, registered.customer_id)
        await session.commit()
    return registered


async def test_an_operator_signs_in_finds_a_customer_and_sees_their_station_fault(
    console_server: RunningServer, running_console: RunningConsole, faulty_station: Registered
) -> None:
    workspace = await running_console.sign_in("demo.technician")
    window = workspace.window
    assert window.connection.state in ("connecting", "online")
    await until(lambda: window.connection.state == "online", what="the live link")
    assert "Technician" in window.statusBar().findChildren(OperatorBadge)[0].text()
    # A technician has no privacy pane; the others are there.
    assert set(window.docks) == {"customers", "tickets", "device-map", "telemetry"}
    assert workspace.map_view is not None
    await until(workspace.map_view.has_data, what="stations on the map")

    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    await until(window.palette_box.isVisible, what="the search palette")
    QTest.keyClicks(window.palette_box.input, "hrabova")  # as typed in a hurry: no diacritics
    await until(lambda: any(h.id == faulty_station.customer_id for h in workspace.global_search.hits()),
                what="the customer among the results")
    QTest.keyClick(window.palette_box.input, Qt.Key.Key_Return)
    await until(lambda: workspace.customer_detail.customer is not None
                and workspace.customer_detail.customer.id == faulty_station.customer_id, what="the customer's detail")
    assert not window.palette_box.isVisible()

    async with station(console_server.url, faulty_station) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        await s.cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status="Available"))
        await until(lambda: workspace.map_view.colour_of(faulty_station.device_id) == status_colour("Available"),
                    what="the station shown available")
        await s.cp.call(call.StatusNotification(connector_id=1, error_code="GroundFailure", status="Faulted"))
        await until(lambda: workspace.map_view.colour_of(faulty_station.device_id) == status_colour("Faulted"),
                    what="the station turning red")

    assert await running_console.quit() == 0


async def test_ticket_state_change_reaches_the_server_and_the_queue(
    running_console: RunningConsole, backend: BackendClient
) -> None:
    workspace = await running_console.sign_in("demo.admin")
    assert "privacy" in workspace.window.docks
    queue = workspace.ticket_queue
    await until(lambda: queue.rowCount() > 0, what="the ticket queue")
    ticket = next(queue.ticket_at(r) for r in range(queue.rowCount()) if queue.ticket_at(r).state == "open")
    assert workspace.tickets_pane is not None
    workspace.tickets_pane.select_ticket(ticket.id)
    editor = workspace.ticket_editor
    await until(lambda: editor.ticket is not None and editor.ticket.id == ticket.id, what="the ticket's detail")
    assert "in_progress" in editor.allowed_states()
    assert await editor.change_state("in_progress")
    assert (await backend.ticket(ticket.id)).state == "in_progress"
    await until(lambda: (row := queue.row_of(ticket.id)) is not None and queue.ticket_at(row).state == "in_progress",
                what="the queue row updated")


async def test_live_events_keep_arriving_after_a_server_restart_with_none_lost(
    console_db: Database, console_server: RunningServer, running_console: RunningConsole
) -> None:
    workspace = await running_console.sign_in("demo.admin")
    window = workspace.window
    await until(lambda: window.connection.state == "online", what="the live link")
    seen: list[str] = []
    workspace.data.ticket_changed.connect(seen.append)

    async with httpx.AsyncClient(base_url=console_server.url + "/api/v1") as other:
        token = (await other.post("/auth/login", json={"username": "demo.hotline", "password": DEMO_PASSWORD}))
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        tickets = (await other.get("/tickets", params={"state": "open", "limit": 6}, headers=headers)).json()["items"]

        async def comment(ticket: dict[str, object], text: str) -> None:
            answer = await other.post(f"/tickets/{ticket['id']}/comments", json={"body": text, "public": False},
                                      headers=headers)
            assert answer.status_code == 201, answer.text

        for t in tickets[:3]:
            await comment(t, "before the restart")
        await until(lambda: len(seen) >= 3, what="events before the restart")

        port = int(console_server.url.rsplit(":", 1)[1])
        await console_server.stop()
        await until(lambda: window.connection.state in ("reconnecting", "offline"), what="the link reported lost")
        restarted = RunningServer(create_app(console_db, housekeeping=False), port=port)
        await restarted.start()
        try:
            # These happen before the console has reconnected: resuming with Last-Event-ID must bring them.
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            for t in tickets[3:6]:
                await comment(t, "after the restart")
            await until(lambda: window.connection.state == "online", timeout=30, what="the link back online")
            await until(lambda: len(seen) >= 6, what="every event")
            assert sorted(seen) == sorted(t["id"] for t in tickets[:6])  # each exactly once
        finally:
            await running_console.quit()
            await restarted.stop()


async def test_sign_out_revokes_the_session_forgets_the_token_and_asks_again(
    console_server: RunningServer, running_console: RunningConsole, memory_keyring: MemoryKeyring
) -> None:
    workspace = await running_console.sign_in("demo.hotline")
    assert memory_keyring.secrets, "the refresh token is kept in the keyring"
    assert set(workspace.window.docks) == {"customers", "tickets", "device-map", "telemetry"}
    refresh = next(v for (service, _), v in memory_keyring.secrets.items() if service == "ema-desktop")
    assert workspace.local is not None and workspace.local.path.exists()
    store_path = workspace.local.path
    workspace.window.sign_out_requested.emit()
    assert "Keep the local data" in await answer("Delete local data")
    await until(lambda: sign_in_dialog() is not None, what="the sign-in dialog again")
    assert memory_keyring.secrets == {}  # the refresh token and the store's key
    assert not store_path.exists()
    async with httpx.AsyncClient(base_url=console_server.url) as raw:
        assert (await raw.post("/api/v1/auth/refresh", json={"refresh_token": refresh})).status_code == 401
    dialog = sign_in_dialog()
    assert dialog is not None and dialog.username.text() == "demo.hotline"  # remembered, password not
    assert dialog.password.text() == ""
    assert await running_console.quit() == 0


async def test_a_restarted_console_opens_without_asking_and_with_the_layout_left(
    console_server: RunningServer, isolated_settings: Path
) -> None:
    first = RunningConsole(console_server.url)
    workspace = await first.sign_in("demo.admin")
    workspace.window.docks["privacy"].toggleViewAction().trigger()
    assert not workspace.window.docks["privacy"].toggleViewAction().isChecked()
    assert await first.quit() == 0
    assert QSettings().value("sign_in/username") == "demo.admin"

    second = RunningConsole(console_server.url)
    try:
        workspace = await second.opened()  # no dialog: the keyring's refresh token signed in
        assert sign_in_dialog() is None
        docks = workspace.window.docks
        assert not docks["privacy"].toggleViewAction().isChecked()  # as the operator left it
        assert docks["tickets"].toggleViewAction().isChecked()
    finally:
        assert await second.quit() == 0


async def test_an_unreachable_server_is_a_message_in_the_dialog_not_a_traceback(unused_tcp_port: int) -> None:
    console = RunningConsole(f"http://127.0.0.1:{unused_tcp_port}")
    try:
        await until(lambda: sign_in_dialog() is not None, what="the sign-in dialog")
        dialog = sign_in_dialog()
        assert dialog is not None
        dialog.username.setText("demo.admin")
        dialog.password.setText(DEMO_PASSWORD)
        dialog.buttons.accepted.emit()
        await until(lambda: "Cannot reach the server" in dialog.message.text(), timeout=20, what="the message")
        assert "Traceback" not in dialog.message.text()
    finally:
        assert await console.quit() == 0


async def test_an_operator_with_two_factor_sign_in_is_asked_for_the_code(
    console_db: Database, console_server: RunningServer, running_console: RunningConsole
) -> None:
    async with console_db.sessions() as session:
        _, secret = await create_operator(session, username="jana.dvorakova", roles=["technician"],
                                          password=DEMO_PASSWORD, display_name="Jana Dvořáková", with_totp=True)
        await session.commit()
    assert secret is not None
    await until(lambda: sign_in_dialog() is not None, what="the sign-in dialog")
    dialog = sign_in_dialog()
    assert dialog is not None
    assert not dialog.code.isVisibleTo(dialog)  # nobody is asked for a code they may not have
    dialog.username.setText("jana.dvorakova")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.buttons.accepted.emit()
    await until(lambda: dialog.code.isVisibleTo(dialog), what="the one-time code field")
    assert "six-digit code" in dialog.message.text()
    dialog.code.setText(pyotp.TOTP(secret).now())
    dialog.buttons.accepted.emit()
    workspace = await running_console.opened()
    assert workspace.data.operator.username == "jana.dvorakova"


async def test_without_a_usable_keyring_the_console_says_so_once_and_still_works(
    console_server: RunningServer, running_console: RunningConsole
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # what a desktop without Secret Service has
    workspace = await running_console.sign_in("demo.hotline")
    await until(lambda: "No OS keyring" in workspace.window.message(), what="the notice")
    assert workspace.customers_pane is not None
    await until(workspace.customers_pane.has_data, what="customers listed")


async def test_every_post_carries_an_idempotency_key_so_a_retry_never_duplicates(
    console_server: RunningServer, backend: BackendClient
) -> None:
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    backend.http.event_hooks["request"].append(record)
    ticket = (await backend.tickets(state=["open"], limit=1)).items[0]
    await backend.add_ticket_comment(ticket.id, "Volal jsem zákazníkovi, stanice už nabíjí.", public=False)
    posts = [r for r in sent if r.method == "POST"]
    assert len(posts) == 1 and posts[0].headers.get("Idempotency-Key")
    # The same request sent again with its key (as the client's retry does) adds nothing.
    async with httpx.AsyncClient(base_url=console_server.url) as raw:
        again = await raw.post(posts[0].url.path, content=posts[0].content, headers=dict(posts[0].headers))
        assert again.status_code == 201
    comments = [e for e in (await backend.ticket(ticket.id)).history if e.kind == "note"
                and e.body == "Volal jsem zákazníkovi, stanice už nabíjí."]
    assert len(comments) == 1
