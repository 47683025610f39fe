"""The CUSTOMERS pane against a real ema-server with the small demo data: finding customers as you
type, opening their card, the card keeping up with live changes, and changing a contact person
(checked first, kept in the outbox while the server is away, marked until it has it)."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ServerUnreachable
from ema_desktop.backend.records import CustomerDetail, CustomerSummary
from ema_desktop.data.access import DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.models.customers import (
    ContactsModel,
    CustomerDetailModel,
    CustomerDevicesModel,
    CustomerSearchModel,
    PendingRole,
)
from ema_desktop.models.stations import STATUS_COLOURS
from ema_desktop.views.contact_dialog import ContactDialog
from ema_desktop.views.customers_pane import SEARCH_DELAY_MS, CustomersPane
from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.db.models import ChangeRecord, Contact
from ema_server.seed.demo import DEFAULT_DEMO_PASSWORD
from tests.desktop.waiting import until
from tests.live_server import RunningServer

API = "/api/v1"


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _shown_ids(search: CustomerSearchModel) -> list[str]:
    return [search.customer_at(row).id for row in range(search.rowCount())]


@pytest.fixture
async def everyone(backend: BackendClient) -> list[CustomerSummary]:
    """All 200 demo customers, as the server lists them."""
    return (await backend.search_customers("", 500)).items


_models: dict[int, tuple[CustomerSearchModel, CustomerDetailModel]] = {}


async def _shown_pane(qtbot: QtBot, data: DataAccess) -> CustomersPane:
    search = CustomerSearchModel(data)
    detail = CustomerDetailModel(data)
    widget = CustomersPane(search, detail)
    # The models live as long as the pane, as in the console.
    search.setParent(widget)
    detail.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    await until(widget.has_data, what="the first customers")
    _models[id(widget)] = (search, detail)
    return widget


async def _settled(widget: CustomersPane) -> None:
    """No request of the pane still in flight (before the server stops). The models' state is
    read in Python, so this works after the pane was closed, too."""
    search, detail = _models.pop(id(widget))
    await until(lambda: not search.loading and not detail.loading, what="the pane to settle")


@pytest.fixture
async def pane(qtbot: QtBot, data_access: DataAccess) -> AsyncIterator[CustomersPane]:
    widget = await _shown_pane(qtbot, data_access)
    yield widget
    await _settled(widget)


def _search(pane: CustomersPane) -> CustomerSearchModel:
    model = pane.results_view.model()
    assert isinstance(model, CustomerSearchModel)
    return model


async def _type(pane: CustomersPane, text: str) -> None:
    """Type into the search field as the operator would, and wait until the list shows its answer."""
    pane.search_edit.clear()
    QTest.keyClicks(pane.search_edit, text)
    search = _search(pane)
    await until(lambda: search.query == text and not search.loading, what=f"results for {text!r}")


async def _open_customer(pane: CustomersPane, customer: CustomerSummary) -> None:
    """Find the customer by their number and click their row."""
    await _type(pane, customer.customer_number)
    search = _search(pane)
    row = _shown_ids(search).index(customer.id)
    rect = pane.results_view.visualRect(search.index(row, 1))
    QTest.mouseClick(pane.results_view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    await until(lambda: pane.card.isVisible() and pane.has_data() and pane.card.name.text() != "",
                what="the customer's card")


async def test_the_pane_starts_with_the_first_customers_by_name(pane: CustomersPane,
                                                          everyone: list[CustomerSummary]) -> None:
    search = _search(pane)
    assert search.rowCount() == min(100, len(everyone))
    assert search.customer_at(0).id == everyone[0].id
    assert "200 customers" in pane.summary.text()
    assert not pane.card.isVisible()  # nothing is open yet: the hint shows instead


async def test_typing_a_surname_narrows_the_results_after_a_pause(
    pane: CustomersPane, backend: BackendClient, everyone: list[CustomerSummary]
) -> None:
    # A surname few customers share, so the narrowing is visible; plain ASCII, as QTest types
    # nothing else (diacritics have their own test).
    surnames = [c.name.split()[-1] for c in everyone if c.kind == "consumer" and c.name.split()[-1].isascii()]
    surname = min(surnames, key=lambda s: (sum(s in c.name for c in everyone), s))
    wanted = [c for c in everyone if surname in c.name]
    search = _search(pane)
    answered: list[str] = []
    search.searched.connect(lambda query, _total: answered.append(query))

    for key in surname:  # typing at a brisk but human pace
        QTest.keyClicks(pane.search_edit, key)
        await asyncio.sleep(SEARCH_DELAY_MS / 1000 / 4)
    assert search.query == "", "nothing is searched while the operator is still typing"
    await until(lambda: search.query == surname and not search.loading, what="the narrowed list")
    await asyncio.sleep(SEARCH_DELAY_MS * 2 / 1000)

    assert answered == [surname], "one search for the whole word, not one per key"
    shown = _shown_ids(search)
    assert {c.id for c in wanted} <= set(shown)
    assert len(shown) < len(everyone)
    assert shown == [c.id for c in (await backend.search_customers(surname, 100)).items]
    assert surname in pane.summary.text()


async def test_a_phone_number_or_customer_number_finds_the_customer(
    pane: CustomersPane, everyone: list[CustomerSummary]
) -> None:
    customer = next(c for c in everyone if c.phone and c.phone.startswith("+420"))
    search = _search(pane)

    await _type(pane, customer.phone or "")
    assert search.customer_at(0).id == customer.id

    # Read out loud in groups, without the country code.
    digits = (customer.phone or "")[4:]
    await _type(pane, f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    assert customer.id in _shown_ids(search)

    await _type(pane, customer.customer_number)
    assert _shown_ids(search) == [customer.id]


async def test_a_query_without_diacritics_finds_names_with_them(
    pane: CustomersPane, everyone: list[CustomerSummary]
) -> None:
    customer = next(c for c in everyone
                    if c.kind == "consumer" and _fold(c.name.split()[-1]) != c.name.split()[-1].casefold())
    plain = _fold(customer.name.split()[-1])  # "Kolář" typed as "kolar"

    await _type(pane, plain)

    search = _search(pane)
    assert customer.id in _shown_ids(search)
    assert search.customer_at(_shown_ids(search).index(customer.id)).name == customer.name


async def test_enter_opens_the_first_hit(pane: CustomersPane, everyone: list[CustomerSummary]) -> None:
    customer = everyone[57]
    pane.focus_search()
    QTest.keyClicks(pane.search_edit, customer.customer_number)
    QTest.keyClick(pane.search_edit, Qt.Key.Key_Return)

    await until(lambda: pane.has_data() and pane.card.name.text() != "", what="the card")

    assert pane.card.name.text() == (customer.company_name or customer.name)


async def test_opening_a_customer_shows_their_contacts_devices_and_tickets(
    pane: CustomersPane, backend: BackendClient, everyone: list[CustomerSummary]
) -> None:
    details = [await backend.customer(c.id) for c in everyone[:60]]
    full = max(details, key=lambda d: (bool(d.contacts) and bool(d.devices) and bool(d.tickets), len(d.devices)))
    summary = next(c for c in everyone if c.id == full.id)

    await _open_customer(pane, summary)

    card = pane.card
    assert card.name.text() == (full.company_name or full.name)
    assert full.customer_number in card.identifiers.text()
    assert card.fields["email"].text() == (full.email or "—")
    assert card.contacts_view.model().rowCount() == len(full.contacts) > 0
    assert card.devices_view.model().rowCount() == len(full.devices) > 0
    assert card.tickets_view.model().rowCount() == len(full.tickets) > 0
    assert card.devices_title.text().endswith(str(len(full.devices)))
    shown_serials = {card.devices_view.model().index(r, CustomerDevicesModel.SERIAL).data()
                     for r in range(len(full.devices))}
    assert shown_serials == {d.serial for d in full.devices}
    shown_tickets = {card.tickets_view.model().index(r, 0).data() for r in range(len(full.tickets))}
    assert shown_tickets == {t.number for t in full.tickets}


async def test_a_blocked_customer_shows_a_red_status_chip(
    pane: CustomersPane, everyone: list[CustomerSummary]
) -> None:
    blocked = next(c for c in everyone if c.status == "blocked")
    await _open_customer(pane, blocked)
    assert pane.card.status_chip.text() == "Blocked"
    assert "#c62828" in pane.card.status_chip.styleSheet()


async def test_a_stale_search_answer_does_not_overwrite_a_newer_one(
    data_access: DataAccess, everyone: list[CustomerSummary], monkeypatch: pytest.MonkeyPatch
) -> None:
    search = CustomerSearchModel(data_access)
    first, second = everyone[0], everyone[150]
    real = data_access.search_customers

    async def slow_for_the_first(query: str, limit: int = 100) -> Any:
        if query == first.customer_number:
            await asyncio.sleep(0.5)  # the network was slow for this one
        return await real(query, limit)

    monkeypatch.setattr(data_access, "search_customers", slow_for_the_first)
    older = asyncio.ensure_future(search.search(first.customer_number))
    newer = asyncio.ensure_future(search.search(second.customer_number))
    await asyncio.gather(older, newer)

    assert _shown_ids(search) == [second.id]
    assert search.query == second.customer_number
    assert not search.loading


async def test_a_failed_search_says_why_in_the_pane(
    pane: CustomersPane, data_access: DataAccess, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(query: str, limit: int = 100) -> Any:
        raise ServerUnreachable("http://ema.example", "connection refused")

    monkeypatch.setattr(data_access, "search_customers", unreachable)
    QTest.keyClicks(pane.search_edit, "novak")
    await until(lambda: "Cannot reach the server" in pane.summary.text(), what="the error message")
    assert "Traceback" not in pane.summary.text()


def _device_row(pane: CustomersPane, device_id: str) -> int:
    model = pane.card.devices_view.model()
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) == device_id)


def _dot_colour(index: QModelIndex) -> QColor:
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    return icon.pixmap(12, 12).toImage().pixelColor(5, 5)


async def _customer_with_station(backend: BackendClient, everyone: list[CustomerSummary]) -> CustomerDetail:
    for customer in everyone:
        detail = await backend.customer(customer.id)
        if any(d.kind in ("charging_station", "wallbox") and d.status != "Faulted" for d in detail.devices):
            return detail
    raise AssertionError("no customer with a working station in the demo data")


async def test_a_station_status_change_repaints_its_dot_in_the_open_card(
    pane: CustomersPane, data_access: DataAccess, backend: BackendClient,
    everyone: list[CustomerSummary]
) -> None:
    customer = await _customer_with_station(backend, everyone)
    station = next(d for d in customer.devices if d.kind in ("charging_station", "wallbox") and d.status != "Faulted")
    await _open_customer(pane, next(c for c in everyone if c.id == customer.id))
    model = pane.card.devices_view.model()
    pane.card.devices_view.selectRow(_device_row(pane, station.id))
    status_index = model.index(_device_row(pane, station.id), CustomerDevicesModel.STATUS)
    assert _dot_colour(status_index) != QColor(STATUS_COLOURS["Faulted"])

    # What the live layer emits when the station reports a fault.
    data_access.station_status_changed.emit(station.id, "Faulted", "GroundFailure")

    status_index = model.index(_device_row(pane, station.id), CustomerDevicesModel.STATUS)
    assert status_index.data() == "Faulted · GroundFailure"
    assert _dot_colour(status_index) == QColor(STATUS_COLOURS["Faulted"])
    # The operator's selection in the device list survives the update.
    assert pane.card.devices_view.selectionModel().selectedRows()[0].row() == _device_row(pane, station.id)


async def test_activating_a_device_or_ticket_asks_to_show_it(
    pane: CustomersPane, backend: BackendClient, everyone: list[CustomerSummary]
) -> None:
    for summary in everyone:
        customer = await backend.customer(summary.id)
        if customer.devices and customer.tickets:
            break
    await _open_customer(pane, summary)
    stations: list[str] = []
    tickets: list[str] = []
    pane.station_requested.connect(stations.append)
    pane.ticket_requested.connect(tickets.append)

    devices = pane.card.devices_view
    rect = devices.visualRect(devices.model().index(0, 2))
    # A real double-click: QTest's double-click event alone lacks the press before it.
    QTest.mouseClick(devices.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(devices.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    table = pane.card.tickets_view
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Return)

    assert stations == [devices.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 1)]
    assert stations[0] in {d.id for d in customer.devices}
    assert tickets == [table.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 1)]
    assert tickets[0] in {t.id for t in customer.tickets}


async def test_a_colleagues_edit_reaches_the_open_card_live(
    pane: CustomersPane, data_access: DataAccess, backend: BackendClient,
    everyone: list[CustomerSummary]
) -> None:
    customer = everyone[3]
    await _open_customer(pane, customer)
    data_access.start_live()
    await until(lambda: data_access.connection == "online", what="the live link")

    # A colleague changes the customer's e-mail on another console.
    token = await backend.access_token()
    url = f"{API}/customers/{customer.id}"
    headers = {"Authorization": f"Bearer {token}"}
    current = await backend.http.get(url, headers=headers)
    changed = await backend.http.patch(url, json={"email": "new.address@example.cz"},
                                       headers={**headers, "If-Match": current.headers["ETag"]})
    assert changed.status_code == 200

    await until(lambda: pane.card.fields["email"].text() == "new.address@example.cz", what="the new e-mail")
    await data_access.stop_live()


async def test_show_customer_opens_the_card_and_selects_the_listed_row(
    pane: CustomersPane, everyone: list[CustomerSummary]
) -> None:
    customer = everyone[5]
    await pane.show_customer(customer.id)
    assert pane.has_data()
    assert pane.card.name.text() == (customer.company_name or customer.name)
    assert pane.results_view.currentIndex().row() == 5


async def test_opening_another_customer_while_one_loads_shows_only_the_last(
    data_access: DataAccess, everyone: list[CustomerSummary]
) -> None:
    detail = CustomerDetailModel(data_access)
    await asyncio.gather(detail.open(everyone[1].id), detail.open(everyone[2].id))
    assert detail.customer is not None and detail.customer.id == everyone[2].id
    assert not detail.loading


# --- changing a contact person ------------------------------------------------------------------


def _local(data: DataAccess) -> LocalData:
    assert data.local is not None
    return data.local


async def _a_contact(db: Database) -> Contact:
    """A contact person of a demo customer, as the server holds them."""
    async with db.sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.email.is_not(None)).order_by(Contact.id)
                                       .limit(1))
    assert contact is not None, "the demo data has contact persons"
    return contact


async def _server_contact(db: Database, contact_id: str) -> Contact:
    async with db.sessions() as session:
        contact = await session.get(Contact, contact_id)
    assert contact is not None
    return contact


async def _changes_published(db: Database, record_id: str) -> int:
    """How many times the server recorded a change of this record (once per saved write)."""
    async with db.sessions() as session:
        return int(await session.scalar(
            select(func.count()).select_from(ChangeRecord).where(ChangeRecord.entity_id == record_id)) or 0)


def _contact_row(pane: CustomersPane, contact_id: str) -> int:
    row = pane.card.contacts_view.model().index(0, 0).model()
    assert isinstance(row, ContactsModel)
    found = row.row_of(contact_id)
    assert found is not None, "the contact is on the card"
    return found


def _contact_cell(pane: CustomersPane, contact_id: str, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    model = pane.card.contacts_view.model()
    return model.index(_contact_row(pane, contact_id), column).data(role)


async def _open_contact_dialog(pane: CustomersPane, contact_id: str) -> ContactDialog:
    """Select the contact on the card and click "Edit…"."""
    assert pane.select_contact(contact_id)
    assert pane.card.edit_contact_button.isVisible() and pane.card.edit_contact_button.isEnabled()
    QTest.mouseClick(pane.card.edit_contact_button, Qt.MouseButton.LeftButton)
    dialog = pane.contact_dialog
    assert dialog is not None
    await until(dialog.isVisible, what="the contact dialog")
    return dialog


def _retype(edit: Any, text: str) -> None:
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


async def test_a_contact_changed_while_the_server_is_away_is_marked_until_the_server_has_it_once(
    qtbot: QtBot, local_access: DataAccess, console_server: RunningServer, console_db: Database
) -> None:
    contact = await _a_contact(console_db)
    pane = await _shown_pane(qtbot, local_access)
    await pane.show_customer(contact.customer_id)
    published = await _changes_published(console_db, contact.id)
    port = int(console_server.url.rsplit(":", 1)[1])
    await console_server.stop()

    dialog = await _open_contact_dialog(pane, contact.id)
    assert dialog.name_edit.text() == contact.name
    assert dialog.hint.isVisible(), "the operator is told the change waits until the server can be reached"
    _retype(dialog.email_edit, "recepce.novak@example.cz")
    _retype(dialog.phone_edit, "731 222 333")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    await until(lambda: pane.contact_dialog is None, what="the dialog to close")
    await until(lambda: _contact_cell(pane, contact.id, ContactsModel.NAME, PendingRole) == "not sent yet",
                what="the not-sent-yet marker")
    assert _contact_cell(pane, contact.id, ContactsModel.EMAIL) == "recepce.novak@example.cz"
    assert _contact_cell(pane, contact.id, ContactsModel.PHONE) == "+420 731 222 333"
    assert "Not sent yet" in _contact_cell(pane, contact.id, ContactsModel.EMAIL, Qt.ItemDataRole.ToolTipRole)
    assert pane.card.contacts_view.currentIndex().row() == _contact_row(pane, contact.id), "still selected"
    counts = await _local(local_access).outbox_counts()
    assert counts["pending"] + counts["sending"] == 1

    restarted = RunningServer(create_app(console_db, housekeeping=False), port=port)
    await restarted.start()
    try:
        await _local(local_access).send_now()
        await until(lambda: _contact_cell(pane, contact.id, ContactsModel.NAME, PendingRole) is None,
                    what="the marker to go")
        assert _contact_cell(pane, contact.id, ContactsModel.EMAIL) == "recepce.novak@example.cz"
        saved = await _server_contact(console_db, contact.id)
        assert (saved.email, saved.phone, saved.name) == ("recepce.novak@example.cz", "+420731222333", contact.name)
        assert saved.version == contact.version + 1
        assert await _changes_published(console_db, contact.id) == published + 1, "saved exactly once"
        assert await _local(local_access).outbox_counts() == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
        await until(lambda: not _local(local_access).syncing, what="the pull after sending")
        await _settled(pane)
    finally:
        await restarted.stop()


async def test_invalid_contact_details_are_refused_next_to_the_field_and_nothing_is_queued(
    qtbot: QtBot, local_access: DataAccess, console_db: Database
) -> None:
    contact = await _a_contact(console_db)
    pane = await _shown_pane(qtbot, local_access)
    await pane.show_customer(contact.customer_id)
    dialog = await _open_contact_dialog(pane, contact.id)

    _retype(dialog.name_edit, "   ")
    _retype(dialog.email_edit, "jana.novakova@@example")
    _retype(dialog.phone_edit, "601 234")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    errors = dialog.shown_errors()
    assert set(errors) == {"name", "email", "phone"}
    assert "name" in errors["name"]
    assert "e-mail" in errors["email"].lower()
    assert "9 digits" in errors["phone"]
    assert all(dialog.errors[field].isVisible() for field in errors)
    assert dialog.isVisible(), "the dialog stays open for the operator to fix it"

    # Letters in a phone number are named as such; a fixed field loses its message as it is typed.
    _retype(dialog.phone_edit, "601 234 5x7")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "digits" in dialog.shown_errors()["phone"]
    _retype(dialog.email_edit, "jana.novakova@example.cz")
    assert "email" not in dialog.shown_errors()

    assert await _local(local_access).outbox_counts() == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    assert _contact_cell(pane, contact.id, ContactsModel.NAME, PendingRole) is None
    assert _contact_cell(pane, contact.id, ContactsModel.NAME) == contact.name
    dialog.reject()
    await until(lambda: pane.contact_dialog is None, what="the dialog to close")
    await _settled(pane)


@pytest.fixture
async def sign_in_as(console_server: RunningServer) -> AsyncIterator[Callable[[str], Awaitable[DataAccess]]]:
    """The data-access layer of another demo operator (by username)."""
    clients: list[BackendClient] = []

    async def signed_in(username: str) -> DataAccess:
        client = BackendClient(console_server.url, retry_delays=(0.05, 0.1))
        clients.append(client)
        await client.sign_in(username, DEFAULT_DEMO_PASSWORD)
        return DataAccess(client)

    yield signed_in
    for client in clients:
        await client.aclose()


@pytest.mark.parametrize(("username", "may_edit"), [("demo.hotline", True), ("demo.technician", False)])
async def test_only_operators_allowed_to_edit_contact_data_see_the_edit_action(
    qtbot: QtBot, sign_in_as: Callable[[str], Awaitable[DataAccess]], console_db: Database,
    username: str, may_edit: bool
) -> None:
    # The server's role matrix (BRIEF §5): hotline and privacy officers edit contact data,
    # technicians do not.
    contact = await _a_contact(console_db)
    pane = await _shown_pane(qtbot, await sign_in_as(username))
    await pane.show_customer(contact.customer_id)

    assert pane.select_contact(contact.id)
    assert pane.card.edit_contact_button.isVisible() is may_edit
    view = pane.card.contacts_view
    rect = view.visualRect(view.model().index(_contact_row(pane, contact.id), ContactsModel.NAME))
    # A real double-click: a press, then the double-click event.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert (pane.contact_dialog is not None) is may_edit
    if pane.contact_dialog is not None:
        pane.contact_dialog.reject()
    else:
        assert pane.edit_contact(contact.id) is None
    await _settled(pane)
