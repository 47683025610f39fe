"""The tickets pane on a real ema-server with the small demo data: the queue by due date with its
overdue markers, scopes, the detail with its history, state changes, comments, live updates
from a colleague's edits, and an edit that lost the race against one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from ema_desktop.models.tickets import (
    OVERDUE_COLOUR,
    TRANSITIONS,
    Column,
    TicketEditor,
    TicketQueueModel,
    due_level,
    state_label,
)
from ema_desktop.views.tickets_pane import TicketsPane
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.waiting import until
from tests.live_server import RunningServer

API = "/api/v1"


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


@pytest.fixture
async def console(data_access: DataAccess, qtbot: QtBot) -> AsyncIterator[Console]:
    queue = TicketQueueModel(data_access)
    editor = TicketEditor(data_access)
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
