"""The CUSTOMERS pane against a real ema-server with the small demo data: finding customers as you
type, opening their card, and the card keeping up with live changes."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ServerUnreachable
from ema_desktop.backend.records import CustomerDetail, CustomerSummary
from ema_desktop.data.access import DataAccess
from ema_desktop.models.customers import CustomerDetailModel, CustomerDevicesModel, CustomerSearchModel
from ema_desktop.models.stations import STATUS_COLOURS
from ema_desktop.views.customers_pane import SEARCH_DELAY_MS, CustomersPane
from tests.desktop.waiting import until

API = "/api/v1"


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _shown_ids(search: CustomerSearchModel) -> list[str]:
    return [search.customer_at(row).id for row in range(search.rowCount())]


@pytest.fixture
async def everyone(backend: BackendClient) -> list[CustomerSummary]:
    """All 200 demo customers, as the server lists them."""
    return (await backend.search_customers("", 500)).items


@pytest.fixture
async def pane(qtbot: QtBot, data_access: DataAccess) -> AsyncIterator[CustomersPane]:
    search = CustomerSearchModel(data_access)
    detail = CustomerDetailModel(data_access)
    widget = CustomersPane(search, detail)
    # The models live as long as the pane, as in the console.
    search.setParent(widget)
    detail.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    await until(widget.has_data, what="the first customers")
    yield widget
    # No request may still be in flight when the server stops.
    await until(lambda: not search.loading and not detail.loading, what="the pane to settle")


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
