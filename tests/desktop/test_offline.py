"""The console cut off from the server, as a field technician lives it: it keeps showing and
editing from its encrypted local data, says it is offline and since when, and once the server is
back every edit arrives exactly once; an edit that collides with a colleague's is settled in the
conflict dialog; a console started without the server opens from its local data; a session ended
on the server takes the local data with it, but never unsent work silently."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from ema_desktop.backend.client import BackendClient
from ema_desktop.cache.keys import KEY_SERVICE
from ema_desktop.workspace import Workspace
from ema_server.app import create_app
from ema_server.db.engine import Database
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.console_driver import RunningConsole, answer, sign_in_dialog
from tests.desktop.memory_keyring import MemoryKeyring
from tests.desktop.waiting import until
from tests.live_server import RunningServer

pytestmark = pytest.mark.slow


class Server:
    """The test's ema-server, which can be stopped and started again on the same port."""

    def __init__(self, db: Database, running: RunningServer) -> None:
        self.db = db
        self.running = running
        self.url = running.url
        self.port = int(running.url.rsplit(":", 1)[1])

    async def stop(self) -> None:
        await self.running.stop()

    async def start(self) -> None:
        app = create_app(self.db, housekeeping=False)
        app.state.sse_heartbeat_seconds = 2.0
        self.running = RunningServer(app, port=self.port)
        await self.running.start()

    @contextlib.asynccontextmanager
    async def elsewhere(self) -> AsyncIterator[str]:
        """The same server (same database) on another port: colleagues at work while this console
        cannot reach its own address."""
        other = RunningServer(create_app(self.db, housekeeping=False))
        await other.start()
        try:
            yield other.url
        finally:
            await other.stop()


@pytest.fixture
async def server(console_db: Database, console_server: RunningServer) -> AsyncIterator[Server]:
    server = Server(console_db, console_server)
    try:
        yield server
    finally:
        await server.running.stop()


@pytest.fixture
async def console(server: Server) -> AsyncIterator[RunningConsole]:
    running = RunningConsole(server.url)
    try:
        yield running
    finally:
        if not running.task.done():
            await running.quit()


async def synced(workspace: Workspace) -> Workspace:
    """Wait until the first sync is in the store and the panes read from it."""
    await until(lambda: workspace.data.from_store, timeout=60, what="the first sync")
    return workspace


async def go_offline(server: Server, workspace: Workspace) -> None:
    await server.stop()
    workspace.window.sync_requested.emit()  # F5: the pull fails, and the console says so at once
    await until(lambda: workspace.window.connection.text().startswith("Offline — data as of"),
                timeout=20, what="the offline notice")


@contextlib.asynccontextmanager
async def other_operator(url: str, username: str = "demo.hotline") -> AsyncIterator[httpx.AsyncClient]:
    """A colleague signed in at `url` through the plain API."""
    async with httpx.AsyncClient(base_url=url + "/api/v1") as http:
        token = (await http.post("/auth/login", json={"username": username, "password": DEMO_PASSWORD})).json()
        http.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield http


async def open_ticket(workspace: Workspace) -> str:
    queue = workspace.ticket_queue
    await until(lambda: queue.rowCount() > 0, what="the ticket queue")
    return next(queue.ticket_at(r).id for r in range(queue.rowCount()) if queue.ticket_at(r).state == "open")


async def show_ticket(workspace: Workspace, ticket_id: str) -> None:
    assert workspace.tickets_pane is not None
    workspace.tickets_pane.select_ticket(ticket_id)
    editor = workspace.ticket_editor
    await until(lambda: editor.ticket is not None and editor.ticket.id == ticket_id, what="the ticket's detail")


def history(ticket: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in ticket["history"] if e["kind"] == kind]


async def test_a_console_cut_off_keeps_showing_and_editing_and_the_server_gets_every_edit_once(
    server: Server, console: RunningConsole, backend: BackendClient
) -> None:
    workspace = await synced(await console.sign_in("demo.admin"))
    ticket_id = await open_ticket(workspace)
    await go_offline(server, workspace)

    # Everything can still be viewed: a customer found without diacritics, a ticket's detail.
    assert workspace.customers_pane is not None
    await workspace.customer_search.search("novak")
    assert workspace.customer_search.rowCount() > 0
    assert any("Novák" in workspace.customer_search.customer_at(r).name
               for r in range(workspace.customer_search.rowCount()))
    await show_ticket(workspace, ticket_id)

    # ... and edited: the writes wait in the outbox, shown as pending.
    editor = workspace.ticket_editor
    assert await editor.change_state("in_progress")
    assert await editor.add_comment("Technik na místě, vyměněn kabel.", public=False)
    assert editor.ticket is not None and editor.ticket.state == "in_progress" and editor.ticket.pending
    queue = workspace.ticket_queue
    await until(lambda: (row := queue.row_of(ticket_id)) is not None and queue.ticket_at(row).pending,
                what="the queue row marked pending")
    await until(lambda: "2 changes waiting to be sent" in workspace.window.sync_status.outbox_text(),
                what="the unsent work in the status bar")

    await server.start()
    await until(lambda: workspace.window.sync_status.outbox_text() == "", timeout=40, what="the outbox sent")
    await until(lambda: workspace.window.connection.state == "online", timeout=40, what="back online")
    async with httpx.AsyncClient(base_url=server.url + "/api/v1",
                                 headers={"Authorization": f"Bearer {await backend.access_token()}"}) as http:
        saved = (await http.get(f"/tickets/{ticket_id}")).json()
    assert saved["state"] == "in_progress"
    assert len([e for e in history(saved, "change") if e["field"] == "state" and e["new_value"] == "in_progress"]) == 1
    assert [e["body"] for e in saved["history"] if e["body"] == "Technik na místě, vyměněn kabel."] == [
        "Technik na místě, vyměněn kabel."]  # exactly once
    await until(lambda: (row := queue.row_of(ticket_id)) is not None and not queue.ticket_at(row).pending,
                what="the pending marker gone")


@pytest.mark.parametrize("choice", ["mine", "theirs", "merge"])
async def test_an_offline_edit_that_collides_with_a_colleagues_opens_the_conflict_dialog(
    server: Server, console: RunningConsole, backend: BackendClient, choice: str
) -> None:
    workspace = await synced(await console.sign_in("demo.admin"))
    ticket_id = await open_ticket(workspace)
    await show_ticket(workspace, ticket_id)
    editor = workspace.ticket_editor
    assert editor.ticket is not None
    version = editor.ticket.version
    await go_offline(server, workspace)
    await workspace.data.change_ticket(ticket_id, version, {"description": "Moje verze: vyměněn konektor."})

    # A colleague changes the same text meanwhile (this console cannot reach the server).
    async with server.elsewhere() as elsewhere, other_operator(elsewhere) as colleague:
        current = await colleague.get(f"/tickets/{ticket_id}")
        changed = await colleague.patch(f"/tickets/{ticket_id}", json={"description": "Jejich verze: čeká na díl."},
                                        headers={"If-Match": current.headers["ETag"]})
        assert changed.status_code == 200, changed.text
    await server.start()
    async with other_operator(server.url) as colleague:
        workspace.window.sync_requested.emit()
        assert workspace.local_work is not None
        await until(lambda: workspace.local_work is not None and workspace.local_work.conflict_dialog is not None,
                    timeout=40, what="the conflict dialog")
        dialog = workspace.local_work.conflict_dialog
        assert dialog is not None
        assert "Moje verze" in dialog.view.fields[0].mine and "Jejich verze" in dialog.view.fields[0].theirs
        if choice == "mine":
            dialog.mine_button.click()
            expected = "Moje verze: vyměněn konektor."
        elif choice == "theirs":
            dialog.theirs_button.click()
            expected = "Jejich verze: čeká na díl."
        else:
            merged = dialog.merged_texts()["description"]
            assert "Moje verze" in merged and "Jejich verze" in merged  # both, to be edited
            dialog.merge_button.click()
            expected = merged
        await until(lambda: workspace.window.sync_status.outbox_text() == "", timeout=30, what="the outbox settled")
        final = (await colleague.get(f"/tickets/{ticket_id}")).json()
        assert final["description"] == expected
        if choice == "theirs":
            assert final["version"] == changed.json()["version"]  # nothing more was sent


async def test_a_console_started_without_the_server_opens_from_its_local_data(
    server: Server, backend: BackendClient
) -> None:
    first = RunningConsole(server.url)
    await synced(await first.sign_in("demo.admin"))
    assert await first.quit() == 0

    await server.stop()
    second = RunningConsole(server.url)
    try:
        workspace = await second.opened()  # no dialog: the local data and the kept sign-in
        assert sign_in_dialog() is None
        assert workspace.data.from_store
        await until(lambda: workspace.window.connection.text().startswith("Offline — data as of"),
                    timeout=20, what="the offline notice")
        await until(lambda: workspace.ticket_queue.rowCount() > 0, what="tickets from the local data")
        ticket_id = await open_ticket(workspace)
        await show_ticket(workspace, ticket_id)
        assert await workspace.ticket_editor.add_comment("Zapsáno bez signálu.", public=False)

        await server.start()  # the kept refresh token signs in; the outbox goes out
        await until(lambda: workspace.window.sync_status.outbox_text() == "", timeout=40, what="the outbox sent")
        saved = await backend.ticket(ticket_id)
        assert [e.body for e in saved.history if e.body == "Zapsáno bez signálu."] == ["Zapsáno bez signálu."]
    finally:
        await second.quit()


async def test_a_session_revoked_on_the_server_wipes_the_local_data(
    server: Server, console: RunningConsole, memory_keyring: MemoryKeyring
) -> None:
    workspace = await synced(await console.sign_in("demo.technician"))
    assert workspace.local is not None
    path = workspace.local.path
    assert path.exists() and any(service == KEY_SERVICE for service, _ in memory_keyring.secrets)
    me = workspace.data.operator.id
    async with other_operator(server.url, "demo.admin") as admin:
        revoked = await admin.post(f"/operators/{me}/sessions/revoke")
        assert revoked.json()["revoked"] >= 1
    workspace.window.sync_requested.emit()  # the next sync finds out
    await until(lambda: sign_in_dialog() is not None, timeout=60, what="the sign-in dialog")
    assert not path.exists()
    assert not any(service == KEY_SERVICE for service, _ in memory_keyring.secrets)


async def test_a_revoked_session_with_unsent_work_keeps_it_until_it_is_sent(
    server: Server, console: RunningConsole
) -> None:
    workspace = await synced(await console.sign_in("demo.admin"))
    ticket_id = await open_ticket(workspace)
    await show_ticket(workspace, ticket_id)
    assert workspace.local is not None
    path = workspace.local.path
    await go_offline(server, workspace)
    assert await workspace.ticket_editor.add_comment("Poslat po novém přihlášení.", public=True)
    me = workspace.data.operator.id
    async with server.elsewhere() as elsewhere, other_operator(elsewhere, "demo.admin") as admin:
        # The administrator ends this operator's sessions (a laptop reported lost).
        assert (await admin.post(f"/operators/{me}/sessions/revoke")).status_code == 200
    await server.start()
    workspace.window.sync_requested.emit()
    question = await answer("Keep them to send after I sign in again")
    assert "1 change made here" in question
    await until(lambda: sign_in_dialog() is not None, timeout=30, what="the sign-in dialog")
    assert path.exists()  # kept: it holds unsent work

    workspace = await console.sign_in("demo.admin")
    # Sent first, then the local data starts afresh.
    async with httpx.AsyncClient(base_url=server.url + "/api/v1") as http:
        token = (await http.post("/auth/login", json={"username": "demo.admin", "password": DEMO_PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        saved = (await http.get(f"/tickets/{ticket_id}", headers=headers)).json()
    assert [e["body"] for e in saved["history"] if e["body"] == "Poslat po novém přihlášení."] == [
        "Poslat po novém přihlášení."]
    assert workspace.local is not None
    counts = await workspace.local.outbox_counts()
    assert sum(counts.values()) == 0


async def test_local_data_that_no_longer_opens_is_set_aside_after_asking_and_pulled_afresh(
    server: Server, memory_keyring: MemoryKeyring
) -> None:
    first = RunningConsole(server.url)
    workspace = await synced(await first.sign_in("demo.hotline"))
    assert workspace.local is not None
    path = workspace.local.path
    assert await first.quit() == 0
    # The keyring entry was replaced (a reinstalled keyring, a restored profile): the file is unreadable.
    key = next(k for k in memory_keyring.secrets if k[0] == KEY_SERVICE)
    memory_keyring.secrets[key] = "00" * 32

    second = RunningConsole(server.url)
    try:
        question = await answer("Start with fresh local data")
        assert "cannot be opened" in question
        workspace = await second.opened()
        set_aside = [p for p in path.parent.iterdir() if ".unreadable-" in p.name and p.suffix == ".db"]
        assert len(set_aside) == 1  # kept, not deleted: it may hold unsent work
        await synced(workspace)
        assert path.exists()
    finally:
        await second.quit()
