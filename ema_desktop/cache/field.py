"""Field mode: "Prepare for field" pins a set of records and downloads what the sync does not bring.

The sync already keeps every record the operator may see, so preparing for the field is two
things:

* **Pinning** the chosen set in table `pin`, so store hygiene (`cache.hygiene.purge`) never
  removes it whatever its age. The set is resolved from a `FieldSelection` by one rule: *a
  customer is pinned with everything it has* — its contacts, sites, devices, contracts and RFID
  cards, and its open tickets. A region brings the customers living there and the owners of the
  sites and devices there; "my tickets" brings my open tickets with their customers and devices;
  chosen customers bring themselves. Each prepare replaces the previous field pins (reason
  `field`): the set is what the technician takes out now, and yesterday's set ages out normally.
* **Downloading** what is not on `/changes`: 7 days of telemetry of every pinned charging
  station and wallbox (the measurands the telemetry pane draws, at nearly the stations' own
  one-minute resolution, into `telemetry_cache`), and the file of every attachment of the pinned
  tickets (into `attachment_content`, checked against the record's sha256).

Downloading is resumable and cancellable: each item is stored as soon as it arrives, and a
prepare skips telemetry fetched within the last hour and attachments already held, so a
cancelled or interrupted prepare continues where it stopped and a repeated one fetches nothing.
A failed item is reported, not fatal; once the server is unreachable or the session has ended,
the remaining items are reported as not fetched instead of each being tried.

`cached_telemetry` answers the telemetry pane offline with the shape `BackendClient.telemetry`
returns.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import BackendError, ServerUnreachable, SessionEnded, describe
from ema_desktop.cache.database import LocalStore

log = logging.getLogger(__name__)

# The kinds of device that report meter values (routers, modems, SIMs and meters do not here).
STATION_KINDS: tuple[str, ...] = ("charging_station", "wallbox")
# Tickets still being worked on; resolved and closed ones are history (see hygiene).
OPEN_TICKET_STATES: tuple[str, ...] = ("new", "open", "in_progress", "waiting_customer")
# What the telemetry pane draws (ema_desktop.models.telemetry.MEASURANDS; the store may not import
# the Qt models, a test keeps the two equal).
FIELD_MEASURANDS: tuple[str, ...] = ("power", "energy")
TELEMETRY_DAYS = 7
# The server's maximum per series: 7 days of one-minute readings come back nearly unreduced, so a
# 15-minute window of the pane offline still has its points (about 0.5 MB per station).
TELEMETRY_MAX_POINTS = 10_000
# Telemetry fetched more recently than this is not fetched again by a repeated prepare.
TELEMETRY_FRESH_FOR = timedelta(hours=1)
# Downloads at once: enough to hide the round trips, few enough not to crowd the server.
DOWNLOADS_AT_ONCE = 4
PIN_REASON = "field"

_CUSTOMER_CHILDREN = ("contact", "site", "device", "contract", "rfid_card")


@dataclass
class FieldSelection:
    """What the operator wants offline: whole regions, their own open tickets, chosen customers."""

    regions: list[str] = field(default_factory=list)
    my_tickets: bool = False
    customer_ids: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.regions or self.my_tickets or self.customer_ids)


@dataclass(frozen=True)
class PinnedSet:
    """The records a selection pins, by entity. `stations` is the part of `devices` with telemetry."""

    customers: frozenset[str] = frozenset()
    contacts: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()
    stations: frozenset[str] = frozenset()
    contracts: frozenset[str] = frozenset()
    cards: frozenset[str] = frozenset()
    tickets: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.customers or self.devices or self.tickets)

    def pins(self) -> list[tuple[str, str]]:
        """(entity, id) of every pinned record, as table `pin` holds them."""
        groups = (("customer", self.customers), ("contact", self.contacts), ("site", self.sites),
                  ("device", self.devices), ("contract", self.contracts), ("rfid_card", self.cards),
                  ("ticket", self.tickets))
        return [(entity, record_id) for entity, ids in groups for record_id in sorted(ids)]


@dataclass(frozen=True)
class FieldProgress:
    """How far the downloads of a prepare got; `label` names the item just finished."""

    done: int
    total: int
    kind: Literal["pins", "telemetry", "attachment"]
    label: str = ""


@dataclass(frozen=True)
class FieldFailure:
    """One item that could not be fetched: telemetry of a station or an attachment file."""

    kind: Literal["telemetry", "attachment", "remaining"]
    """"remaining": the items not tried once the server became unreachable or the session ended."""
    label: str
    """The station's OCPP identity (or serial), the attachment's file name, or for "remaining"
    how many items were not tried."""
    reason: str
    """A sentence for the operator."""


@dataclass
class FieldReport:
    """What a prepare left on this computer for the pinned set."""

    customers: int = 0
    devices: int = 0
    stations: int = 0
    """Pinned charging stations and wallboxes."""
    tickets: int = 0
    stations_with_telemetry: int = 0
    """Stations whose cached 7 days hold at least one series (many wallboxes report none)."""
    telemetry_series: int = 0
    telemetry_points: int = 0
    attachments: int = 0
    attachment_bytes: int = 0
    fetched_telemetry: int = 0
    """Stations whose telemetry this prepare downloaded (the rest were fresh already)."""
    fetched_attachments: int = 0
    fetched_bytes: int = 0
    """Bytes of attachment files this prepare downloaded."""
    failures: list[FieldFailure] = field(default_factory=list)
    elapsed: float = 0.0
    """Seconds the whole prepare took."""
    telemetry_days: int = TELEMETRY_DAYS


# ------------------------------------------------------------------------------------ resolving
def _ids_json(ids: Iterable[str]) -> str:
    return json.dumps(sorted(ids))


_OPEN_STATES_JSON = json.dumps(OPEN_TICKET_STATES)
_STATION_KINDS_JSON = json.dumps(STATION_KINDS)


def resolve_selection(connection: Connection, selection: FieldSelection, operator_id: str) -> PinnedSet:
    """The records a selection pins, from the store (a pure read: it commits at the end)."""
    pinned = _resolve(connection, selection, operator_id)
    connection.commit()
    return pinned


# Id lists go in as one JSON array parameter: no statement text built from input, no limit on
# the number of parameters.
_REGION_CUSTOMERS = """
    SELECT id FROM record
    WHERE entity = 'customer' AND json_extract(data, '$.region') IN (SELECT value FROM json_each(?))"""
_REGION_PLACES = """
    SELECT entity, id, parent_id FROM record
    WHERE entity IN ('site', 'device') AND json_extract(data, '$.region') IN (SELECT value FROM json_each(?))"""
_MY_TICKETS = """
    SELECT id, json_extract(data, '$.customer_id'), json_extract(data, '$.device_id') FROM record
    WHERE entity = 'ticket' AND json_extract(data, '$.owner_id') = ?
      AND json_extract(data, '$.state') IN (SELECT value FROM json_each(?))"""
_DEVICE_OWNERS = """
    SELECT parent_id FROM record
    WHERE entity = 'device' AND id IN (SELECT value FROM json_each(?)) AND parent_id IS NOT NULL"""
_EXISTING_CUSTOMERS = """
    SELECT id FROM record WHERE entity = 'customer' AND id IN (SELECT value FROM json_each(?))"""
_CHILDREN = """
    SELECT entity, id FROM record
    WHERE entity IN (SELECT value FROM json_each(?)) AND parent_id IN (SELECT value FROM json_each(?))"""
_DEVICE_KINDS = """
    SELECT id, json_extract(data, '$.kind') FROM record
    WHERE entity = 'device' AND id IN (SELECT value FROM json_each(?))"""
_OPEN_TICKETS_OF = """
    SELECT id FROM record
    WHERE entity = 'ticket' AND json_extract(data, '$.state') IN (SELECT value FROM json_each(?))
      AND (json_extract(data, '$.customer_id') IN (SELECT value FROM json_each(?))
           OR json_extract(data, '$.device_id') IN (SELECT value FROM json_each(?)))"""


def _resolve(connection: Connection, selection: FieldSelection, operator_id: str) -> PinnedSet:
    def rows(sql: str, *params: Any) -> list[Any]:
        return list(connection.exec_driver_sql(sql, params).all())

    customers: set[str] = set()
    devices: set[str] = set()
    sites: set[str] = set()
    tickets: set[str] = set()
    if selection.regions:
        regions = json.dumps(selection.regions)
        customers |= {r[0] for r in rows(_REGION_CUSTOMERS, regions)}
        for entity, record_id, owner in rows(_REGION_PLACES, regions):
            (sites if entity == "site" else devices).add(record_id)
            if owner:
                customers.add(owner)
    if selection.my_tickets:
        for ticket_id, customer_id, device_id in rows(_MY_TICKETS, operator_id, _OPEN_STATES_JSON):
            tickets.add(ticket_id)
            if customer_id:
                customers.add(customer_id)
            if device_id:
                devices.add(device_id)
    customers |= set(selection.customer_ids)
    # The owner of every device pinned on its own (a region's, a ticket's) comes with it.
    customers |= {r[0] for r in rows(_DEVICE_OWNERS, _ids_json(devices))}
    customers = {r[0] for r in rows(_EXISTING_CUSTOMERS, _ids_json(customers))}
    children: dict[str, set[str]] = {entity: set() for entity in _CUSTOMER_CHILDREN}
    for entity, record_id in rows(_CHILDREN, json.dumps(_CUSTOMER_CHILDREN), _ids_json(customers)):
        children[entity].add(record_id)
    sites |= children["site"]
    devices |= children["device"]
    stations: set[str] = set()
    existing: set[str] = set()
    for record_id, kind in rows(_DEVICE_KINDS, _ids_json(devices)):
        existing.add(record_id)
        if kind in STATION_KINDS:
            stations.add(record_id)
    tickets |= {r[0] for r in rows(_OPEN_TICKETS_OF, _OPEN_STATES_JSON, _ids_json(customers), _ids_json(existing))}
    return PinnedSet(
        customers=frozenset(customers), contacts=frozenset(children["contact"]), sites=frozenset(sites),
        devices=frozenset(existing), stations=frozenset(stations), contracts=frozenset(children["contract"]),
        cards=frozenset(children["rfid_card"]), tickets=frozenset(tickets),
    )


def known_regions(connection: Connection) -> list[str]:
    """The regions of the customers, sites and devices in the store, sorted (for the dialog)."""
    rows = connection.exec_driver_sql(
        "SELECT DISTINCT json_extract(data, '$.region') AS region FROM record "
        "WHERE entity IN ('customer', 'site', 'device') AND region IS NOT NULL"
    ).all()
    connection.commit()
    return sorted((str(r[0]) for r in rows), key=str.casefold)


def pin_selection(connection: Connection, selection: FieldSelection, operator_id: str) -> PinnedSet:
    """Resolve the selection and make it the field pins, in one transaction (earlier field pins go)."""
    with connection.begin():
        pinned = _resolve(connection, selection, operator_id)
        connection.exec_driver_sql("DELETE FROM pin WHERE reason = ?", (PIN_REASON,))
        pins = pinned.pins()
        if pins:
            connection.exec_driver_sql("INSERT OR IGNORE INTO pin (entity, id, reason) VALUES (?, ?, ?)",
                                       [(entity, record_id, PIN_REASON) for entity, record_id in pins])
    return pinned


def unpin_all(connection: Connection) -> int:
    """Remove every pin (hygiene may then purge what is old); the number removed."""
    with connection.begin():
        result = connection.exec_driver_sql("DELETE FROM pin")
    return int(result.rowcount or 0)


# ------------------------------------------------------------------------------------ downloading
@dataclass(frozen=True)
class _TelemetryItem:
    device_id: str
    label: str


@dataclass(frozen=True)
class _AttachmentItem:
    attachment_id: str
    ticket_id: str
    label: str
    sha256: str | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plan(connection: Connection, pinned: PinnedSet, fresh_since: str) -> tuple[list[_TelemetryItem],
                                                                                  list[_AttachmentItem]]:
    """What is missing or stale: telemetry of stations not fetched since `fresh_since`, files not held."""
    telemetry = [
        _TelemetryItem(str(device_id), str(label or device_id))
        for device_id, label in connection.exec_driver_sql(
            "SELECT d.id, coalesce(json_extract(d.data, '$.ocpp_identity'), json_extract(d.data, '$.serial')) "
            "FROM record d WHERE d.entity = 'device' AND d.id IN (SELECT value FROM json_each(?)) AND NOT EXISTS ("
            "  SELECT 1 FROM telemetry_cache t WHERE t.device_id = d.id "
            "  AND julianday(t.fetched_at) >= julianday(?)) "
            "ORDER BY 2",
            (_ids_json(pinned.stations), fresh_since),
        ).all()
    ]
    attachments = [
        _AttachmentItem(str(attachment_id), str(ticket_id), str(name or attachment_id), sha)
        for attachment_id, ticket_id, name, sha in connection.exec_driver_sql(
            "SELECT a.id, a.parent_id, json_extract(a.data, '$.filename'), json_extract(a.data, '$.sha256') "
            "FROM record a WHERE a.entity = 'attachment' AND a.parent_id IN (SELECT value FROM json_each(?)) "
            "AND NOT EXISTS (SELECT 1 FROM attachment_content c WHERE c.id = a.id) ORDER BY a.parent_id, a.id",
            (_ids_json(pinned.tickets),),
        ).all()
    ]
    connection.commit()
    return telemetry, attachments


def _store_telemetry(connection: Connection, device_id: str, fetched_at: str, since: str, until: str,
                     body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    with connection.begin():
        connection.exec_driver_sql(
            "INSERT INTO telemetry_cache (device_id, fetched_at, since, until, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (device_id) DO UPDATE SET fetched_at = excluded.fetched_at, since = excluded.since, "
            "until = excluded.until, data = excluded.data",
            (device_id, fetched_at, since, until, data),
        )


class _Corrupt(Exception):
    """A downloaded file does not match the checksum its record gives."""


def _store_attachment(connection: Connection, item: _AttachmentItem, content: bytes) -> None:
    if item.sha256 and hashlib.sha256(content).hexdigest() != item.sha256.lower():
        raise _Corrupt("The file arrived damaged (its checksum does not match); prepare again to retry.")
    with connection.begin():
        connection.exec_driver_sql(
            "INSERT INTO attachment_content (id, ticket_id, content) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET ticket_id = excluded.ticket_id, content = excluded.content",
            (item.attachment_id, item.ticket_id, content),
        )


def _fill_totals(connection: Connection, pinned: PinnedSet, report: FieldReport) -> None:
    """What is held now for the pinned set, downloaded by this prepare or an earlier one."""
    stations = _ids_json(pinned.stations)
    with_series, series, points = connection.exec_driver_sql(
        "SELECT count(DISTINCT t.device_id), count(s.value), coalesce(sum(json_array_length(s.value, '$.points')), 0) "
        "FROM telemetry_cache t, json_each(t.data, '$.series') s WHERE t.device_id IN (SELECT value FROM json_each(?))",
        (stations,),
    ).one()
    files, size = connection.exec_driver_sql(
        "SELECT count(*), coalesce(sum(length(c.content)), 0) FROM attachment_content c "
        "WHERE c.ticket_id IN (SELECT value FROM json_each(?))",
        (_ids_json(pinned.tickets),),
    ).one()
    connection.commit()
    report.stations_with_telemetry, report.telemetry_series, report.telemetry_points = (
        int(with_series), int(series), int(points))
    report.attachments, report.attachment_bytes = int(files), int(size)


async def prepare_for_field(
    store: LocalStore,
    client: BackendClient,
    selection: FieldSelection,
    operator_id: str,
    on_progress: Callable[[FieldProgress], None] | None = None,
    now: datetime | None = None,
    *,
    fresh_for: timedelta = TELEMETRY_FRESH_FOR,
) -> FieldReport:
    """Pin the selection, then download the telemetry and attachment files it needs; a report.

    Cancel the task to stop: what was stored stays, and the next prepare skips it. Failures of
    single items are in the report; only cancellation and store errors are raised.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    pinned = await store.call(pin_selection, selection, operator_id)
    report = FieldReport(customers=len(pinned.customers), devices=len(pinned.devices),
                         stations=len(pinned.stations), tickets=len(pinned.tickets))
    telemetry, attachments = await store.call(_plan, pinned, _iso(moment - fresh_for))
    queue: deque[_TelemetryItem | _AttachmentItem] = deque([*telemetry, *attachments])
    total = len(queue)
    done = 0
    stopped: list[BackendError] = []
    since, until = moment - timedelta(days=TELEMETRY_DAYS), moment

    def progress(kind: Literal["pins", "telemetry", "attachment"], label: str) -> None:
        if on_progress is not None:
            on_progress(FieldProgress(done, total, kind, label))

    progress("pins", "")

    async def fetch(item: _TelemetryItem | _AttachmentItem) -> None:
        if isinstance(item, _TelemetryItem):
            body = await client.telemetry(item.device_id, FIELD_MEASURANDS, since, until, TELEMETRY_MAX_POINTS)
            await store.call(_store_telemetry, item.device_id, _iso(moment), _iso(since), _iso(until), body)
            report.fetched_telemetry += 1
        else:
            content = await client.download_attachment(item.ticket_id, item.attachment_id)
            await store.call(_store_attachment, item, content)
            report.fetched_attachments += 1
            report.fetched_bytes += len(content)

    async def worker() -> None:
        nonlocal done
        while queue and not stopped:
            item = queue.popleft()
            kind: Literal["telemetry", "attachment"] = (
                "telemetry" if isinstance(item, _TelemetryItem) else "attachment")
            try:
                await fetch(item)
            except (ServerUnreachable, SessionEnded) as exc:
                # Every further item would fail the same way (and wait out the retries first).
                stopped.append(exc)
                report.failures.append(FieldFailure(kind, item.label, describe(exc)))
            except (BackendError, _Corrupt, ValueError) as exc:
                log.info("field: %s %s not fetched: %s", kind, item.label, type(exc).__name__)
                reason = str(exc) if isinstance(exc, _Corrupt) else describe(exc)
                report.failures.append(FieldFailure(kind, item.label, reason))
            done += 1
            progress(kind, item.label)

    if queue:
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(DOWNLOADS_AT_ONCE, len(queue))):
                    group.create_task(worker())
        except ExceptionGroup as failed:
            # Only what no item should survive gets here (the store failing): raise it as itself.
            raise failed.exceptions[0] from None
    if stopped and queue:
        report.failures.append(FieldFailure("remaining", str(len(queue)), describe(stopped[0])))
        queue.clear()
    await store.call(_fill_totals, pinned, report)
    report.elapsed = loop.time() - started
    log.info("field: %d customers, %d stations, %d tickets pinned; fetched %d telemetry, %d files; %d failures",
             report.customers, report.stations, report.tickets, report.fetched_telemetry,
             report.fetched_attachments, len(report.failures))
    return report


# ------------------------------------------------------------------------------------ reading offline
def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def cached_telemetry(connection: Connection, device_id: str, since: datetime,
                     until: datetime) -> dict[str, Any] | None:
    """The cached telemetry of a device in [since, until), shaped as `BackendClient.telemetry`
    returns it (plus `fetched_at`); None when nothing is cached for the device in that window."""
    row = connection.exec_driver_sql(
        "SELECT fetched_at, since, until, data FROM telemetry_cache WHERE device_id = ?", (device_id,)
    ).first()
    connection.commit()
    if row is None:
        return None
    fetched_at, cached_since, cached_until, data = row
    start, end = _ms(since), _ms(until)
    if end <= _ms(_parse(cached_since)) or start >= _ms(_parse(cached_until)):
        return None
    body: dict[str, Any] = json.loads(data)
    series: list[dict[str, Any]] = []
    for entry in body.get("series") or ():
        points = [p for p in entry.get("points") or () if start <= p[0] < end]
        series.append({**entry, "points": points})
    return {**body, "from": _iso(since), "to": _iso(until), "series": series, "fetched_at": fetched_at}


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
