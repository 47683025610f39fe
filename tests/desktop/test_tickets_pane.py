"""The tickets pane on a real ema-server with the small demo data: the queue by due date with its
overdue markers, scopes, the detail with its history, state changes, comments, live updates
from a colleague's edits, and an edit that lost the race against one. With the local store:
work done while the server is away is marked unsent in the queue and the detail, and arrives
once; photos for a service report are attached (offline too) and reach the server intact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from ema_desktop.backend.client import BackendClient
from ema_desktop.data.access import DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.models.tickets import (
    MAX_ATTACHMENT_BYTES,
    OVERDUE_COLOUR,
    PENDING_COLOUR,
    TRANSITIONS,
    Column,
    TicketEditor,
    TicketQueueModel,
    due_level,
    state_label,
)
from ema_desktop.views.tickets_pane import TicketsPane
from ema_server.app import create_app
from ema_server.db.engine import Database
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.samples import png
from tests.desktop.waiting import until
from tests.live_server import RunningServer

API = "/api/v1"
UNSENT_TOOLTIP = ("Your change has not reached the server yet; it is sent automatically when the connection "
                  "is back.")


@dataclass
class Console:
    queue: TicketQueueModel
    editor: TicketEditor
    pane: TicketsPane

    def idle(self) -> bool:
        return not self.queue.is_loading and not self.editor.busy

    def row_texts(self, ticket_id: str) -> list[str]:
        row = self.queue.row_of(ticket_id)
        assert row is not None, "the ticket is not in the queue"
        return [self.queue.index(row, c).data() for c in Column]

    def count_text(self) -> str:
        label = self.pane.findChild(QLabel, "tickets-count")
        assert label is not None
        document = QTextDocument()
        document.setHtml(label.text())  # the count is rich text (the overdue part is red)
        return document.toPlainText()


async def tickets_pane(data: DataAccess, qtbot: QtBot) -> AsyncIterator[Console]:
    queue = TicketQueueModel(data)
    editor = TicketEditor(data)
    pane = TicketsPane(queue, editor)
    qtbot.addWidget(pane)
    pane.resize(1400, 800)
    parts = Console(queue, editor, pane)
    await queue.reload()
    try:
        yield parts
    finally:
        await until(parts.idle, what="the pane to finish its work")
        queue.close()
        editor.close()


@pytest.fixture
async def console(data_access: DataAccess, qtbot: QtBot) -> AsyncIterator[Console]:
    async for parts in tickets_pane(data_access, qtbot):
        yield parts


@pytest.fixture
async def local(backend: BackendClient, tmp_path: Path) -> AsyncIterator[LocalData]:
    """The operator's encrypted store, open and synced with the server (as before going into the field)."""
    local = LocalData(backend, tmp_path / "data", "demo.admin")
    await local.open()
    assert await local.pull_now(), "the first sync must complete"
    try:
        yield local
    finally:
        await local.close()


@pytest.fixture
async def field_console(backend: BackendClient, local: LocalData, qtbot: QtBot) -> AsyncIterator[Console]:
    """The tickets pane reading from the local store and writing through its outbox."""
    data = DataAccess(backend, local)
    assert data.from_store
    async for parts in tickets_pane(data, qtbot):
        yield parts


class Outage:
    """The server stopped, and started again on the same port with the same database."""

    def __init__(self, server: RunningServer, database: Database) -> None:
        self.server = server
        self.database = database
        self.port = int(server.url.rsplit(":", 1)[1])
        self.restarted: RunningServer | None = None

    async def begin(self) -> None:
        await self.server.stop()

    async def end(self) -> None:
        self.restarted = RunningServer(create_app(self.database, housekeeping=False), port=self.port)
        await self.restarted.start()


@pytest.fixture
async def outage(console_server: RunningServer, console_db: Database) -> AsyncIterator[Outage]:
    outage = Outage(console_server, console_db)
    try:
        yield outage
    finally:
        if outage.restarted is not None:
            await outage.restarted.stop()


async def open_ticket(console: Console, ticket_id: str) -> None:
    console.pane.select_ticket(ticket_id)
    await until(lambda: console.editor.ticket is not None and console.editor.ticket.id == ticket_id
                and not console.editor.busy, what="the ticket to open")


@pytest.fixture
async def technician(console_server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    """A second operator working on the same server through its HTTP API."""
    async with httpx.AsyncClient(base_url=console_server.url) as http:
        response = await http.post(f"{API}/auth/login", json={"username": "demo.technician",
                                                               "password": DEMO_PASSWORD})
        response.raise_for_status()
        http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield http


async def patch_as(http: httpx.AsyncClient, ticket_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    current = (await http.get(f"{API}/tickets/{ticket_id}")).json()
    response = await http.patch(f"{API}/tickets/{ticket_id}", json=changes,
                                headers={"If-Match": f'"{current["version"]}"'})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def first_with_transition(console: Console, wanted: str) -> str:
    for item in console.queue.items():
        if wanted in TRANSITIONS[item.state]:
            return item.id
    raise AssertionError(f"no open ticket may move to {wanted}")


# --- the queue ----------------------------------------------------------------------------------


async def test_queue_shows_open_work_by_due_date_with_overdue_tickets_in_red(console: Console) -> None:
    queue, pane = console.queue, console.pane
    assert pane.has_data()
    items = queue.items()
    assert {item.state for item in items} <= {"new", "open", "in_progress", "waiting_customer"}
    proxy = pane.proxy
    shown = [proxy.ticket_at(row) for row in range(proxy.rowCount())]
    assert [t.due_at for t in shown] == sorted(t.due_at for t in shown), "not sorted by due date"

    overdue = [t for t in shown if due_level(t) == "overdue"]
    assert overdue, "the demo data has overdue tickets"
    red = QColor(OVERDUE_COLOUR)
    for ticket in overdue[:5]:
        due = queue.index(queue.row_of(ticket.id) or 0, Column.DUE)
        foreground = due.data(Qt.ItemDataRole.ForegroundRole)
        assert isinstance(foreground, QBrush) and foreground.color() == red
        assert due.data().startswith("overdue ")
    on_time = [t for t in shown if due_level(t) is None]
    if on_time:
        due = queue.index(queue.row_of(on_time[0].id) or 0, Column.DUE)
        assert due.data(Qt.ItemDataRole.ForegroundRole) is None
        assert due.data().startswith("in ")

    assert console.count_text() == f"{len(shown)} tickets · {len(overdue)} overdue"


async def test_filters_narrow_the_queue_and_the_count_says_so(console: Console) -> None:
    pane, queue = console.pane, console.queue
    total = queue.rowCount()
    wanted = queue.items()[3]
    search = pane.findChild(QLineEdit, "tickets-search")
    priority = pane.findChild(QComboBox, "tickets-priority")
    assert search is not None and priority is not None
    assert search.placeholderText() == "Filter by number or title"
    search.setText(wanted.number)
    assert pane.proxy.rowCount() == 1 and pane.proxy.ticket_at(0).id == wanted.id
    assert console.count_text().startswith(f"1 of {total} tickets")
    search.clear()
    priority.setCurrentIndex(priority.findData("critical"))
    assert pane.proxy.rowCount() > 0
    assert {pane.proxy.ticket_at(r).priority for r in range(pane.proxy.rowCount())} == {"critical"}


async def test_mine_shows_only_the_operators_own_tickets(console: Console, backend: BackendClient) -> None:
    me = backend.operator
    assert me is not None
    ticket = console.queue.items()[0]
    await backend.update_ticket(ticket.id, ticket.version, {"owner_id": me.id})

    button = console.pane.findChild(QToolButton, "tickets-scope-mine")
    assert button is not None
    button.click()
    await until(lambda: console.queue.scope == "mine" and console.queue.is_loaded and console.idle(),
                what="the mine scope to load")

    mine = console.queue.items()
    assert [t.id for t in mine if t.id == ticket.id] == [ticket.id]
    assert all(t.owner_id == me.id for t in mine)
    assert console.row_texts(ticket.id)[Column.OWNER] == "Me"


# --- the detail ---------------------------------------------------------------------------------


async def test_opening_a_ticket_shows_its_history(console: Console) -> None:
    ticket_id = console.queue.items()[0].id
    await open_ticket(console, ticket_id)
    ticket = console.editor.ticket
    assert ticket is not None
    title = console.pane.findChild(QLabel, "ticket-title")
    assert title is not None and title.text() == ticket.title
    history = console.pane.history_text()
    assert "Opened the ticket" in history
    table = console.pane.findChild(QTableView, "tickets-table")
    assert table is not None
    assert console.pane.proxy.row_of(ticket_id) == table.currentIndex().row(), "the opened ticket's row is selected"


async def test_changing_state_saves_it_and_shows_it_in_history_and_queue(
    console: Console, backend: BackendClient
) -> None:
    ticket_id = first_with_transition(console, "in_progress")
    await open_ticket(console, ticket_id)
    offered = console.editor.allowed_states()
    buttons = [b.text() for b in console.pane.findChildren(QPushButton) if b.objectName().startswith("ticket-move-")]
    assert buttons == [state_label(s) for s in offered]
    before = console.editor.ticket
    assert before is not None

    button = console.pane.findChild(QPushButton, "ticket-move-in_progress")
    assert button is not None
    button.click()
    await until(lambda: console.editor.ticket is not None and console.editor.ticket.state == "in_progress"
                and console.idle(), what="the state change to be saved")

    assert (await backend.ticket(ticket_id)).state == "in_progress"
    assert f"State: {state_label(before.state)} → In progress" in console.pane.history_text()
    assert console.row_texts(ticket_id)[Column.STATE] == "In progress"
    assert console.pane.message() == ""


async def test_resolving_drops_the_ticket_from_open_work_but_keeps_it_in_the_detail(
    console: Console, backend: BackendClient
) -> None:
    ticket_id = first_with_transition(console, "resolved")
    await open_ticket(console, ticket_id)
    assert await console.editor.change_state("resolved")
    await until(lambda: console.queue.row_of(ticket_id) is None, what="the resolved ticket to leave the queue")
    assert console.editor.ticket is not None and console.editor.ticket.state == "resolved"
    assert (await backend.ticket(ticket_id)).state == "resolved"


async def test_a_public_comment_appears_in_the_history(console: Console, backend: BackendClient) -> None:
    ticket_id = console.queue.items()[1].id
    await open_ticket(console, ticket_id)
    box = console.pane.findChild(QPlainTextEdit, "ticket-comment")
    public = console.pane.findChild(QCheckBox, "ticket-public")
    send = console.pane.findChild(QPushButton, "ticket-send")
    assert box is not None and public is not None and send is not None
    assert not send.isEnabled(), "Send must wait for some text"

    public.setChecked(True)
    box.setPlainText("We are sending a technician tomorrow morning.")
    assert send.isEnabled()
    send.click()
    await until(lambda: "We are sending a technician tomorrow morning." in console.pane.history_text()
                and console.idle(), what="the reply in the history")

    assert "Public reply" in console.pane.history_text()
    assert box.toPlainText() == "", "a sent comment leaves the box empty"
    replies = [e for e in (await backend.ticket(ticket_id)).history if e.kind == "reply"]
    assert replies[-1].body == "We are sending a technician tomorrow morning." and replies[-1].public


async def test_an_empty_comment_is_refused_and_nothing_is_sent(console: Console, backend: BackendClient) -> None:
    ticket_id = console.queue.items()[1].id
    await open_ticket(console, ticket_id)
    before = len((await backend.ticket(ticket_id)).history)

    assert not await console.editor.add_comment("   \n ", public=True)

    assert "empty comment" in console.pane.message()
    assert len((await backend.ticket(ticket_id)).history) == before


# --- someone else at work ------------------------------------------------------------------------


async def test_a_ticket_changed_by_a_colleague_updates_its_row_and_detail_live(
    console: Console, data_access: DataAccess, technician: httpx.AsyncClient
) -> None:
    data_access.start_live()
    await until(lambda: data_access.connection == "online", what="the event stream to connect")
    ticket_id = first_with_transition(console, "waiting_customer")
    await open_ticket(console, ticket_id)
    assert console.editor.ticket is not None
    was = state_label(console.editor.ticket.state)
    box = console.pane.findChild(QPlainTextEdit, "ticket-comment")
    assert box is not None
    box.setPlainText("Half-written reply")

    await patch_as(technician, ticket_id, {"state": "waiting_customer", "priority": "critical"})

    await until(lambda: console.row_texts(ticket_id)[Column.STATE] == "Waiting for customer",
                what="the row to show the colleague's change")
    assert console.row_texts(ticket_id)[Column.PRIORITY] == "Critical"
    await until(lambda: console.editor.ticket is not None and console.editor.ticket.state == "waiting_customer",
                what="the detail to show the colleague's change")
    assert f"State: {was} → Waiting for customer" in console.pane.history_text()
    assert box.toPlainText() == "Half-written reply", "a live update must keep what the operator is typing"


async def test_a_stale_edit_says_someone_else_changed_it_and_reloads(
    console: Console, technician: httpx.AsyncClient, backend: BackendClient
) -> None:
    ticket_id = first_with_transition(console, "in_progress")
    await open_ticket(console, ticket_id)
    stale = console.editor.ticket
    assert stale is not None
    changed = await patch_as(technician, ticket_id, {"priority": "low" if stale.priority != "low" else "high"})

    failures: list[str] = []
    console.editor.failed.connect(failures.append)
    saved = await console.editor.change_state("in_progress")

    assert not saved
    (message,) = failures
    assert "Someone else changed" in message and "reloaded" in message
    assert console.pane.message() == message
    assert console.editor.ticket is not None and console.editor.ticket.version == changed["version"]
    assert console.editor.ticket.priority == changed["priority"]
    assert (await backend.ticket(ticket_id)).state == stale.state, "the stale change must not be saved"


async def test_customer_and_station_links_ask_the_console_to_show_them(console: Console) -> None:
    ticket = next(t for t in console.queue.items() if t.customer_id and t.device_id)
    await open_ticket(console, ticket.id)
    customers: list[str] = []
    stations: list[str] = []
    console.pane.customer_requested.connect(customers.append)
    console.pane.station_requested.connect(stations.append)
    customer = console.pane.findChild(QLabel, "ticket-customer")
    station = console.pane.findChild(QLabel, "ticket-station")
    assert customer is not None and station is not None
    detail = console.editor.ticket
    assert detail is not None and detail.customer is not None and detail.device is not None
    assert detail.customer.name in customer.text()
    assert (detail.device.ocpp_identity or detail.device.serial) in station.text()
    # What a click on each link does (QLabel reports the link's href).
    customer.linkActivated.emit(f"customer:{ticket.customer_id}")
    station.linkActivated.emit(f"station:{ticket.device_id}")
    assert customers == [ticket.customer_id] and stations == [ticket.device_id]


# --- work that has not reached the server yet (the local store's outbox) ---------------------------


def unsent_in_history(console: Console) -> int:
    return console.pane.history_text().count("not sent yet")


async def test_a_state_change_and_a_comment_made_offline_show_as_unsent_until_the_server_has_them(
    field_console: Console, outage: Outage, backend: BackendClient, local: LocalData
) -> None:
    console = field_console
    console.pane.show()  # laid out as the operator sees it, for the picture below
    ticket_id = first_with_transition(console, "in_progress")
    await open_ticket(console, ticket_id)
    before = console.editor.ticket
    assert before is not None and not before.pending
    assert console.pane.pending_notice() == "" and unsent_in_history(console) == 0
    history_before = (await backend.ticket(ticket_id)).history
    assert console.row_texts(ticket_id)[Column.STATE] == state_label(before.state)

    await outage.begin()
    button = console.pane.findChild(QPushButton, "ticket-move-in_progress")
    assert button is not None
    button.click()
    await until(lambda: console.editor.ticket is not None and console.editor.ticket.state == "in_progress"
                and console.idle(), what="the offline state change to show")
    box = console.pane.findChild(QPlainTextEdit, "ticket-comment")
    send = console.pane.findChild(QPushButton, "ticket-send")
    assert box is not None and send is not None
    box.setPlainText("Cable replaced on site, station restarted.")
    send.click()
    await until(lambda: "Cable replaced on site" in console.pane.history_text() and console.idle(),
                what="the offline comment in the history")

    # Nothing went wrong for the operator: no message, the pane is not left busy.
    assert console.pane.message() == ""
    assert box.toPlainText() == "", "a comment kept for sending leaves the box empty"
    assert send.text() == "Add note" and not console.editor.busy
    # The queue row says it plainly, in its state cell, with a tooltip saying what happens next.
    row = console.queue.row_of(ticket_id)
    assert row is not None
    assert console.row_texts(ticket_id)[Column.STATE] == "In progress · unsent"
    state_cell = console.queue.index(row, Column.STATE)
    assert state_cell.data(TicketQueueModel.PendingRole) is True
    assert UNSENT_TOOLTIP in state_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert UNSENT_TOOLTIP in console.queue.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    foreground = state_cell.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QBrush) and foreground.color() == QColor(PENDING_COLOUR)
    font = console.queue.index(row, Column.TITLE).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    # The detail: the header and each unsent entry (the state change and the note).
    assert console.pane.pending_notice() == "Changes not sent yet"
    history = console.pane.history_text()
    assert f"State: {state_label(before.state)} → In progress" in history
    assert "Internal note" in history and unsent_in_history(console) == 2
    counts = await local.outbox_counts()
    assert counts.get("pending", 0) + counts.get("sending", 0) == 2, "both wait in the outbox"

    console.pane.grab().save("/tmp/h1_tickets_pane_unsent.png")

    await outage.end()
    await local.send_now()
    await until(lambda: console.pane.pending_notice() == "" and unsent_in_history(console) == 0
                and "Cable replaced on site" in console.pane.history_text()
                and f"State: {state_label(before.state)} → In progress" in console.pane.history_text()
                and console.row_texts(ticket_id)[Column.STATE] == "In progress" and console.idle(),
                what="the markers to go once the server has the work")
    row = console.queue.row_of(ticket_id)
    assert row is not None and console.queue.index(row, Column.STATE).data(TicketQueueModel.PendingRole) is False
    assert console.queue.index(row, Column.TITLE).data(Qt.ItemDataRole.FontRole) is None

    on_server = await backend.ticket(ticket_id)
    assert on_server.state == "in_progress"
    new = [e for e in on_server.history if e.id not in {old.id for old in history_before}]
    assert [(e.kind, e.field, e.new_value) for e in new if e.kind == "change"] == [("change", "state", "in_progress")]
    assert [e.body for e in new if e.kind in ("reply", "note")] == ["Cable replaced on site, station restarted."]
    assert console.pane.message() == ""


async def test_a_photo_attached_offline_shows_unsent_then_reaches_the_server_intact(
    field_console: Console, outage: Outage, backend: BackendClient, local: LocalData, tmp_path: Path
) -> None:
    console = field_console
    ticket_id = console.queue.items()[2].id
    await open_ticket(console, ticket_id)
    photo = tmp_path / "burnt-connector.png"
    photo.write_bytes(png())

    await outage.begin()
    assert await console.editor.attach_file(photo)
    await until(lambda: "Attached burnt-connector.png" in console.pane.history_text() and console.idle(),
                what="the photo in the history")
    assert unsent_in_history(console) == 1
    assert console.pane.pending_notice() == "Changes not sent yet"
    assert console.row_texts(ticket_id)[Column.STATE].endswith(" · unsent")
    assert console.pane.message() == ""

    await outage.end()
    await local.send_now()
    await until(lambda: console.pane.pending_notice() == "" and unsent_in_history(console) == 0
                and "Attached burnt-connector.png" in console.pane.history_text() and console.idle(),
                what="the photo on the server")
    (entry,) = [e for e in (await backend.ticket(ticket_id)).history
                if e.kind == "attachment" and e.body == "burnt-connector.png"]
    assert entry.new_value is not None
    assert await backend.download_attachment(ticket_id, entry.new_value) == photo.read_bytes()


async def test_attach_photo_opens_a_file_dialog_and_attaches_what_is_picked(
    console: Console, backend: BackendClient, tmp_path: Path
) -> None:
    ticket_id = console.queue.items()[0].id
    await open_ticket(console, ticket_id)
    photo = tmp_path / "meter-cabinet.png"
    photo.write_bytes(png(4, 4))
    attach = console.pane.findChild(QPushButton, "ticket-attach")
    assert attach is not None and attach.isEnabled() and attach.text() == "Attach photo…"

    attach.click()
    dialog = console.pane.findChild(QFileDialog, "ticket-attach-dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal, "opened with open(), never exec()"
    assert "*.png" in " ".join(dialog.nameFilters()) and "*.pdf" in " ".join(dialog.nameFilters())
    dialog.selectFile(str(photo))
    dialog.accept()

    await until(lambda: "Attached meter-cabinet.png" in console.pane.history_text() and console.idle(),
                what="the picked photo in the history")
    (entry,) = [e for e in (await backend.ticket(ticket_id)).history if e.body == "meter-cabinet.png"]
    assert entry.new_value is not None
    assert await backend.download_attachment(ticket_id, entry.new_value) == photo.read_bytes()
    assert console.pane.message() == ""


async def test_a_file_too_large_or_not_a_photo_is_refused_before_it_is_sent(
    console: Console, backend: BackendClient, tmp_path: Path
) -> None:
    ticket_id = console.queue.items()[0].id
    await open_ticket(console, ticket_id)
    before = len((await backend.ticket(ticket_id)).history)

    huge = tmp_path / "panorama.jpg"
    with huge.open("wb") as file:  # sparse: the size is what matters, not the bytes
        file.write(b"\xff\xd8\xff")
        file.truncate(MAX_ATTACHMENT_BYTES + 1)
    assert not await console.editor.attach_file(huge)
    assert console.pane.message() == "panorama.jpg is 10.1 MB; a ticket attachment may be at most 10 MB."

    disguised = tmp_path / "invoice.jpg"
    disguised.write_bytes(b"MZ\x90\x00 not a photo at all")
    assert not await console.editor.attach_file(disguised)
    assert "invoice.jpg is not a JPEG or PNG photo or a PDF document" in console.pane.message()

    assert len((await backend.ticket(ticket_id)).history) == before, "nothing was sent"
    assert "not sent yet" not in console.pane.history_text()
