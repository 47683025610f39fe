"""Field mode and store hygiene: "Prepare for field" pins a set and downloads its telemetry and
attachments; purge forgets old unpinned history; a revoked session wipes the store.

Against a real server with the small demo data, pulled into a real encrypted store first. What
the selection should pin is worked out here straight from the server's tables, not with the
console's own queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import secrets
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Connection, text

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import CustomerSummary
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.field import (
    FIELD_MEASURANDS,
    FieldProgress,
    FieldReport,
    FieldSelection,
    PinnedSet,
    cached_telemetry,
    known_regions,
    prepare_for_field,
    resolve_selection,
    unpin_all,
)
from ema_desktop.cache.hygiene import purge, wipe_contents
from ema_desktop.cache.sync import Synchroniser
from ema_desktop.models.telemetry import MEASURANDS
from ema_desktop.views.field_dialog import PrepareForFieldDialog
from ema_server.db.engine import Database
from tests.desktop.waiting import signal, until

pytestmark = pytest.mark.slow

OPEN = ("new", "open", "in_progress", "waiting_customer")
STATIONS = ("charging_station", "wallbox")


# --- fixtures and helpers ------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def synced_store(client: BackendClient, path: Path, key: str) -> AsyncIterator[LocalStore]:
    local = LocalStore(path, key)
    await local.open()
    try:
        await Synchroniser(local, client).pull()
        yield local
    finally:
        await local.close()


# The first test pulls the demo data into a store; later tests start from a copy of that file
# (every test's server is a copy of the same seeded database, so the copy is exactly up to date).
_PULLED: dict[Path, tuple[Path, str]] = {}


@pytest.fixture
async def store(backend: BackendClient, demo_database: Path, tmp_path: Path,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LocalStore]:
    """An encrypted store file holding everything the demo administrator may see."""
    if demo_database not in _PULLED:
        path, key = tmp_path_factory.mktemp("field-store") / "console.db", secrets.token_hex(32)
        async with synced_store(backend, path, key):
            pass
        _PULLED[demo_database] = (path, key)
    template, key = _PULLED[demo_database]
    path = tmp_path / "store" / "console.db"
    path.parent.mkdir(parents=True)
    shutil.copy(template, path)
    local = LocalStore(path, key)
    await local.open()
    try:
        yield local
    finally:
        await local.close()


def me(client: BackendClient) -> str:
    assert client.operator is not None
    return client.operator.id


async def rows(store: LocalStore, sql: str, *params: Any) -> list[Any]:
    def read(connection: Connection) -> list[Any]:
        found = list(connection.exec_driver_sql(sql, params).all())
        connection.commit()
        return found

    return await store.call(read)


async def execute(store: LocalStore, sql: str, *params: Any) -> None:
    def write(connection: Connection) -> None:
        with connection.begin():
            connection.exec_driver_sql(sql, params)

    await store.call(write)


async def server_rows(db: Database, sql: str, **params: Any) -> list[Any]:
    async with db.engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def field_region(db: Database) -> str:
    """A region with a station that has telemetry and an open ticket with an attachment."""
    found = await server_rows(db, """
        SELECT c.region FROM attachments a JOIN tickets t ON t.id = a.ticket_id
        JOIN customers c ON c.id = t.customer_id
        WHERE t.state IN ('new', 'open', 'in_progress', 'waiting_customer')
          AND c.region IN (SELECT d.region FROM telemetry_series s JOIN devices d ON d.id = s.device_id)
        ORDER BY c.region LIMIT 1""")
    assert found, "the demo data has no region with both telemetry and an attachment on an open ticket"
    return str(found[0][0])


async def expected_for_region(db: Database, region: str) -> PinnedSet:
    """What a region pins, from the server's own tables: its customers and the owners of its sites
    and devices, everything those customers have, and the open tickets of them or their devices."""
    customers = {r.id for r in await server_rows(db, "SELECT id FROM customers WHERE region = :r", r=region)}
    sites = await server_rows(db, "SELECT id, customer_id, region FROM sites")
    devices = await server_rows(db, "SELECT id, customer_id, region, kind FROM devices")
    customers |= {r.customer_id for r in [*sites, *devices] if r.region == region and r.customer_id}
    pinned_devices = {r.id: r.kind for r in devices if r.region == region or r.customer_id in customers}
    tickets = {r.id for r in await server_rows(db, "SELECT id, state, customer_id, device_id FROM tickets")
               if r.state in OPEN and (r.customer_id in customers or r.device_id in pinned_devices)}
    return PinnedSet(
        customers=frozenset(customers),
        sites=frozenset(r.id for r in sites if r.region == region or r.customer_id in customers),
        devices=frozenset(pinned_devices),
        stations=frozenset(d for d, kind in pinned_devices.items() if kind in STATIONS),
        tickets=frozenset(tickets),
    )


async def prepare(store: LocalStore, client: BackendClient, selection: FieldSelection,
                  **kwargs: Any) -> FieldReport:
    return await prepare_for_field(store, client, selection, me(client), **kwargs)


# --- pinning -------------------------------------------------------------------------------------

async def test_a_region_pins_its_customers_stations_and_open_tickets(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    region = await field_region(console_db)
    expected = await expected_for_region(console_db, region)
    assert expected.customers and expected.stations and expected.tickets

    report = await prepare(store, backend, FieldSelection(regions=[region]))

    pins = await rows(store, "SELECT entity, id, reason FROM pin")
    pinned = {(entity, record_id) for entity, record_id, _reason in pins}
    assert {r for e, r in pinned if e == "customer"} == expected.customers
    assert {r for e, r in pinned if e == "device"} == expected.devices
    assert {r for e, r in pinned if e == "site"} == expected.sites
    assert {r for e, r in pinned if e == "ticket"} == expected.tickets
    # The customers' contacts, contracts and cards come with them.
    contacts = await rows(store, "SELECT parent_id FROM record r JOIN pin p ON p.entity = r.entity AND p.id = r.id "
                                 "WHERE r.entity IN ('contact', 'contract', 'rfid_card')")
    assert contacts and {c[0] for c in contacts} <= expected.customers
    assert (report.customers, report.devices, report.stations, report.tickets) == (
        len(expected.customers), len(expected.devices), len(expected.stations), len(expected.tickets))
    assert report.failures == []


async def test_my_tickets_pins_my_open_tickets_with_their_customers_and_stations(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    technician = (await server_rows(console_db, "SELECT id FROM operators WHERE username = 'demo.technician'"))[0].id
    mine = await server_rows(console_db, "SELECT id, customer_id, device_id FROM tickets "
                                         "WHERE owner_id = :me AND state IN ('new', 'open', 'in_progress', "
                                         "'waiting_customer')", me=technician)
    assert mine, "the demo technician owns open tickets"

    pinned = await store.call(resolve_selection, FieldSelection(my_tickets=True), technician)

    assert {t.id for t in mine} <= pinned.tickets
    assert {t.customer_id for t in mine if t.customer_id} <= pinned.customers
    assert {t.device_id for t in mine if t.device_id} <= pinned.devices
    # Nobody else's closed work sneaks in: every pinned ticket is open.
    states = await rows(store, "SELECT json_extract(data, '$.state') FROM record WHERE entity = 'ticket' "
                               "AND id IN (SELECT value FROM json_each(?))", _json(pinned.tickets))
    assert {s[0] for s in states} <= set(OPEN)


async def test_chosen_customers_pin_their_records_and_open_tickets(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    customer = (await server_rows(console_db, """
        SELECT customer_id FROM tickets WHERE state IN ('new', 'open', 'in_progress', 'waiting_customer')
        AND customer_id IS NOT NULL ORDER BY customer_id LIMIT 1"""))[0].customer_id
    devices = {r.id for r in await server_rows(console_db, "SELECT id FROM devices WHERE customer_id = :c", c=customer)}

    pinned = await store.call(resolve_selection, FieldSelection(customer_ids=[customer]), me(backend))

    assert pinned.customers == {customer}
    assert pinned.devices == devices
    assert pinned.tickets
    regions = await server_rows(console_db, "SELECT region FROM customers UNION SELECT region FROM sites "
                                            "UNION SELECT region FROM devices")
    assert await store.call(known_regions) == sorted({r.region for r in regions if r.region}, key=str.casefold)


# --- downloading ---------------------------------------------------------------------------------

async def test_prepared_stations_have_seven_days_of_telemetry_offline(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    assert FIELD_MEASURANDS == MEASURANDS  # what the telemetry pane draws is what is cached
    region = await field_region(console_db)
    now = datetime.now(UTC)
    report = await prepare(store, backend, FieldSelection(regions=[region]), now=now)
    with_data = await rows(store, "SELECT device_id FROM telemetry_cache WHERE json_array_length(data, '$.series') > 0")
    assert with_data and report.stations_with_telemetry == len(with_data)
    assert report.telemetry_points > 1000
    assert report.fetched_telemetry == report.stations

    station = str(with_data[0][0])
    week = await store.call(cached_telemetry, station, now - timedelta(days=7), now)
    assert week is not None
    assert {s["measurand"] for s in week["series"]} <= set(MEASURANDS)
    assert sum(len(s["points"]) for s in week["series"]) > 1000
    # The shape the telemetry pane reads online, with the stations' own samples: all of them where
    # the week fitted unreduced, else each two-minute bucket's lowest and highest.
    since, until_ = now - timedelta(days=2), now - timedelta(days=1, hours=18)
    online = await backend.telemetry(station, MEASURANDS, since, until_, 10_000)
    offline = await store.call(cached_telemetry, station, since, until_)
    assert offline is not None and set(online) <= set(offline)
    online_points, offline_points = _points(online), _points(offline)
    assert offline_points.keys() == online_points.keys() and any(offline_points.values())
    for key, points in offline_points.items():
        assert all(point in online_points[key] for point in points)
        assert len(points) >= len(online_points[key]) // 3
    # Nothing cached for a device that was not pinned, nor before the cached week.
    other = await rows(store, "SELECT id FROM record WHERE entity = 'device' AND id NOT IN "
                              "(SELECT device_id FROM telemetry_cache) LIMIT 1")
    assert await store.call(cached_telemetry, str(other[0][0]), since, until_) is None
    assert await store.call(cached_telemetry, station, now - timedelta(days=30), now - timedelta(days=20)) is None


async def test_attachments_of_pinned_tickets_are_downloaded_intact(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    region = await field_region(console_db)
    report = await prepare(store, backend, FieldSelection(regions=[region]))

    held = await rows(store, "SELECT c.id, c.content, json_extract(a.data, '$.sha256') FROM attachment_content c "
                             "JOIN record a ON a.entity = 'attachment' AND a.id = c.id")
    assert held and report.attachments == len(held) == report.fetched_attachments
    for attachment_id, content, sha256 in held:
        assert hashlib.sha256(content).hexdigest() == sha256
        server = await server_rows(console_db, "SELECT content FROM attachment_contents WHERE attachment_id = :a",
                                   a=attachment_id)
        assert server[0].content == content
    assert report.attachment_bytes == sum(len(c) for _i, c, _s in held)


async def test_a_second_prepare_downloads_nothing_new(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    selection = FieldSelection(regions=[await field_region(console_db)])
    first = await prepare(store, backend, selection)
    assert first.fetched_telemetry and first.fetched_attachments

    progress: list[FieldProgress] = []
    second = await prepare(store, backend, selection, on_progress=progress.append)

    assert (second.fetched_telemetry, second.fetched_attachments, second.fetched_bytes) == (0, 0, 0)
    assert (second.telemetry_points, second.attachments, second.customers) == (
        first.telemetry_points, first.attachments, first.customers)
    assert [p.total for p in progress] == [0]


async def test_a_cancelled_prepare_continues_where_it_stopped(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    selection = FieldSelection(regions=[await field_region(console_db)])
    seen: list[FieldProgress] = []
    task = asyncio.ensure_future(prepare(store, backend, selection, on_progress=seen.append))
    await until(lambda: any(p.done >= 3 for p in seen), what="three items downloaded")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    kept = len(await rows(store, "SELECT device_id FROM telemetry_cache"))
    assert kept >= 3

    report = await prepare(store, backend, selection)

    assert report.fetched_telemetry == report.stations - kept
    assert report.failures == []


async def test_an_item_that_cannot_be_fetched_is_reported_and_the_rest_still_arrives(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    region = await field_region(console_db)
    pinned = await store.call(resolve_selection, FieldSelection(regions=[region]), me(backend))
    broken = await rows(store, "SELECT id, json_extract(data, '$.filename') FROM record WHERE entity = 'attachment' "
                               "AND parent_id IN (SELECT value FROM json_each(?)) LIMIT 1", _json(pinned.tickets))
    # The record promises a different file than the server holds.
    await execute(store, "UPDATE record SET data = json_set(data, '$.sha256', ?) "
                         "WHERE entity = 'attachment' AND id = ?", "0" * 64, broken[0][0])

    report = await prepare(store, backend, FieldSelection(regions=[region]))

    assert [(f.kind, f.label) for f in report.failures] == [("attachment", broken[0][1])]
    assert "checksum" in report.failures[0].reason
    assert not await rows(store, "SELECT 1 FROM attachment_content WHERE id = ?", broken[0][0])
    assert report.fetched_telemetry == report.stations


async def test_without_a_session_the_prepare_stops_and_says_what_was_not_fetched(
        store: LocalStore, console_db: Database, backend: BackendClient) -> None:
    region = await field_region(console_db)
    signed_out = BackendClient(backend.server_url, retry_delays=(0.05,))
    try:
        report = await prepare_for_field(store, signed_out, FieldSelection(regions=[region]), me(backend))
    finally:
        await signed_out.aclose()

    files = await rows(store, "SELECT count(*) FROM record WHERE entity = 'attachment' AND parent_id IN "
                              "(SELECT id FROM pin WHERE entity = 'ticket')")
    assert report.customers and report.fetched_telemetry == 0
    # One item tried and refused; the rest not tried at all (no waiting out retries per item).
    assert len(report.failures) == 2
    assert report.failures[0].reason.startswith("Your session has ended")
    assert report.failures[1].kind == "remaining"
    assert int(report.failures[1].label) == report.stations + files[0][0] - 1
    # The pins are there all the same: hygiene keeps the set, a later prepare fetches it.
    assert await rows(store, "SELECT count(*) FROM pin") != [(0,)]


# --- hygiene -------------------------------------------------------------------------------------

async def test_purge_forgets_old_closed_tickets_but_keeps_pinned_work_and_every_customer(
        store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    region = await field_region(console_db)
    await prepare(store, backend, FieldSelection(regions=[region]))
    now = datetime.now(UTC)
    cutoff = (now - timedelta(days=30)).isoformat()
    old_closed = """SELECT id, json_extract(data, '$.customer_id'), json_extract(data, '$.device_id') FROM record
        WHERE entity = 'ticket' AND json_extract(data, '$.state') IN ('resolved', 'closed')
        AND julianday(json_extract(data, '$.updated_at')) < julianday(?)"""
    before = await rows(store, old_closed, cutoff)
    pinned = {(r[0], r[1]) for r in await rows(store, "SELECT entity, id FROM pin")}
    kept_by_pin = {t for t, c, d in before if ("customer", c) in pinned or ("device", d) in pinned}
    unpinned = sorted({t for t, _c, _d in before} - kept_by_pin)
    assert kept_by_pin and len(unpinned) > 10
    # A closed ticket the operator has a change waiting for stays until the change is sent.
    waiting = unpinned[0]
    await execute(store, "INSERT INTO outbox (idempotency_key, action, entity, entity_id, method, path, summary, "
                         "created_at) VALUES (?, 'comment', 'ticket', ?, 'POST', '/x', 'a note', ?)",
                  secrets.token_hex(8), waiting, now.isoformat())
    customers = await rows(store, "SELECT count(*) FROM record WHERE entity = 'customer'")
    open_tickets = await rows(store, "SELECT count(*) FROM record WHERE entity = 'ticket' "
                                     "AND json_extract(data, '$.state') NOT IN ('resolved', 'closed')")

    report = await store.call(purge, now)

    after = {t for t, _c, _d in await rows(store, old_closed, cutoff)}
    assert after == kept_by_pin | {waiting}
    assert report.tickets == len(unpinned) - 1
    assert report.ticket_entries > report.tickets
    assert not await rows(store, "SELECT 1 FROM record WHERE entity IN ('ticket_entry', 'attachment') "
                                 "AND parent_id NOT IN (SELECT id FROM record WHERE entity = 'ticket')")
    assert await rows(store, "SELECT count(*) FROM record WHERE entity = 'customer'") == customers
    assert await rows(store, "SELECT count(*) FROM record WHERE entity = 'ticket' "
                             "AND json_extract(data, '$.state') NOT IN ('resolved', 'closed')") == open_tickets
    assert await rows(store, "SELECT count(*) FROM outbox") == [(1,)]
    assert (await store.call(purge, now)).total == 0  # nothing left to forget

    # Unpinned, the region's old history goes too; its customers and stations stay.
    assert await store.call(unpin_all) > 0
    await execute(store, "DELETE FROM outbox")
    again = await store.call(purge, now)
    assert again.tickets == len(kept_by_pin) + 1
    assert again.telemetry == 0  # fetched just now: not old
    assert await rows(store, "SELECT count(*) FROM record WHERE entity = 'customer'") == customers
    later = await store.call(purge, now + timedelta(days=31))
    assert later.telemetry > 0 and not await rows(store, "SELECT 1 FROM telemetry_cache")


async def test_wipe_leaves_empty_tables_and_a_store_that_still_opens(
        backend: BackendClient, console_db: Database, tmp_path: Path) -> None:
    path, key = tmp_path / "store" / "console.db", secrets.token_hex(32)
    async with synced_store(backend, path, key) as store:
        await prepare(store, backend, FieldSelection(regions=[await field_region(console_db)]))
        size_before = path.stat().st_size

        deleted = await store.call(wipe_contents)

        assert deleted > 10_000
        assert await _row_counts(store) == {}
        assert path.stat().st_size < size_before / 4
    # Closed and opened again with the same key (the keyring entry stays valid): empty, and a new
    # sign-in syncs it from the start.
    async with synced_store(backend, path, key) as reopened:
        counts = await _row_counts(reopened)
        assert counts["record"] > 10_000 and "pin" not in counts and "telemetry_cache" not in counts


async def _row_counts(store: LocalStore) -> dict[str, int]:
    """Rows per table (tables with any), FTS5 shadow tables left to their FTS table."""
    names = [str(r[0]) for r in await rows(
        store, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'customer_search_%'")]
    counts = {name: (await rows(store, f'SELECT count(*) FROM "{name}"'))[0][0] for name in names}
    return {name: count for name, count in counts.items() if count}


def _points(body: dict[str, Any]) -> dict[tuple[str, int, str], list[list[float]]]:
    return {(s["measurand"], s["connector_no"], s["phase"]): [list(p) for p in s["points"]] for s in body["series"]}


def _json(ids: Any) -> str:
    return json.dumps(sorted(ids))


# --- the dialog ----------------------------------------------------------------------------------

async def test_dialog_shows_what_a_region_keeps_and_reports_the_download(
        qtbot: QtBot, store: LocalStore, backend: BackendClient, console_db: Database) -> None:
    region = await field_region(console_db)
    expected = await expected_for_region(console_db, region)

    async def search(query: str) -> list[CustomerSummary]:
        return (await backend.search_customers(query, 20)).items

    async def preview(selection: FieldSelection) -> PinnedSet:
        return await store.call(resolve_selection, selection, me(backend))

    dialog = PrepareForFieldDialog(await store.call(known_regions), search, preview)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.prepare_button.isEnabled()
    assert "Choose regions" in dialog.summary.text()

    dialog.set_region_checked(region, True)
    await until(lambda: f"{len(expected.customers)} customers" in dialog.summary.text(), what="the counts")
    assert f"{len(expected.stations)} charging stations" in dialog.summary.text()
    assert f"{len(expected.tickets)} open tickets" in dialog.summary.text()

    requested = asyncio.ensure_future(signal(dialog.prepare_requested))
    await asyncio.sleep(0)
    QTest.mouseClick(dialog.prepare_button, _left())
    (selection,) = await requested
    assert selection == FieldSelection(regions=[region])
    assert dialog.progress.isVisible() and not dialog.regions_list.isEnabled()

    report = await prepare(store, backend, selection, on_progress=dialog.show_progress)
    assert dialog.progress.maximum() == report.fetched_telemetry + report.fetched_attachments
    dialog.show_report(report)

    text = dialog.report.text()
    assert dialog.report.isVisible() and not dialog.progress.isVisible()
    points = QLocale().toString(report.telemetry_points)
    assert text.startswith(f"Ready for the field: {len(expected.customers)} customers, "
                           f"{len(expected.stations)} charging stations (7 days of telemetry for "
                           f"{report.stations_with_telemetry} of them, {points} points)")
    assert f"{report.tickets} open tickets" in text and "Downloaded now:" in text
    assert "could not be fetched" not in text
    assert dialog.cancel_button.text() == "Close"
    QTest.mouseClick(dialog.cancel_button, _left())
    assert not dialog.isVisible()


async def test_dialog_finds_and_adds_customers_and_cancel_asks_to_stop(qtbot: QtBot) -> None:
    customers = [CustomerSummary(id=f"c{i}", customer_number=f"C10000{i}", kind="consumer", name=name,
                                 status="active", region="Zlínský kraj", version=1)
                 for i, name in enumerate(("Jana Nováková", "Petr Novák"))]
    previews: list[FieldSelection] = []

    async def search(query: str) -> list[CustomerSummary]:
        return [c for c in customers if query.casefold() in c.name.casefold()]

    async def preview(selection: FieldSelection) -> PinnedSet:
        previews.append(selection)
        return PinnedSet(customers=frozenset(selection.customer_ids), stations=frozenset({"s1"}),
                         devices=frozenset({"s1"}))

    dialog = PrepareForFieldDialog(["Zlínský kraj"], search, preview)
    qtbot.addWidget(dialog)
    dialog.open()
    QTest.keyClicks(dialog.customer_search, "Nov")  # QTest types ASCII only
    await until(lambda: dialog.search_results.count() == 2, what="search results")
    QTest.mouseClick(dialog.add_button, _left())
    await until(lambda: "1 customer," in dialog.summary.text(), what="the preview")
    assert "1 charging station" in dialog.summary.text() and "0 open tickets" in dialog.summary.text()
    assert len(previews) == 1  # one preview for the change, not one per keystroke
    assert [c.name for c in dialog.chosen_customers()] == ["Jana Nováková"]

    stops = asyncio.ensure_future(signal(dialog.cancel_requested))
    await asyncio.sleep(0)
    QTest.mouseClick(dialog.prepare_button, _left())
    dialog.show_progress(FieldProgress(1, 4, "telemetry", "CZ-SEC-00042"))
    assert "CZ-SEC-00042" in dialog.progress_text.text()
    dialog.reject()  # Escape while downloading: ask to stop, do not vanish
    await stops
    assert dialog.isVisible()
    dialog.show_stopped()
    assert "Stopped" in dialog.report.text() and dialog.prepare_button.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()


def _left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton
