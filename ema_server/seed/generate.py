"""The demo's rows in write order, made without a database, in this process or a helper process.

`generate` walks the phases (customers with everything they own, charging sessions, tickets,
privacy requests, telemetry) and yields their rows in batches, parents before children, so a
writer only has to insert them in the order they come. It depends on nothing but the request, so
the same request gives the same rows wherever it runs.

`produce` runs it here (the small demo: seconds) or in a helper process (the large demo): there
the rows are made on one core while this process encodes and writes them on the other, which
roughly halves the minutes the large demo takes on a two-core machine.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import random
import traceback
from collections import defaultdict
from collections.abc import AsyncGenerator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, Final

from ema_server.db.models import (
    AccountLogin,
    Attachment,
    AttachmentContent,
    Base,
    ChargingSession,
    Connector,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    DeviceStatusChange,
    Document,
    PrivacyRequest,
    PrivacyRequestEntry,
    RfidCard,
    Site,
    TelemetrySeries,
    Ticket,
    TicketEntry,
)
from ema_server.seed.charging import SERIES, station_samples
from ema_server.seed.draws import Rows
from ema_server.seed.helpdesk import LEAN_HISTORY, RICH_HISTORY, Helpdesk, HistoryDetail, Staff, batches
from ema_server.seed.plan import Planner, PlanOptions
from ema_server.seed.privacy import privacy_rows
from ema_server.seed.sessions import charging_sessions
from ema_server.seed.writer import Encoded, encode

# Parents before children; integer-keyed tables get their ids from the database.
CUSTOMER_TABLES: Final[tuple[type[Base], ...]] = (
    Customer, Contact, CustomerAccount, AccountLogin, Contract, Consent, Document, RfidCard, Site, Device, Connector,
    DeviceStatusChange,
)  # fmt: skip
AUTO_IDS: Final = frozenset({AccountLogin, DeviceStatusChange})
_TICKET_BATCH: Final = 5_000
_ROW_BATCH: Final = 20_000
_BUNDLE_ROWS: Final = 40_000
_MODELS: Final[dict[str, type[Base]]] = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


@dataclass(frozen=True)
class DemoSize:
    plan: PlanOptions
    tickets: int
    ticket_days: int
    """Tickets were created over this many days before now."""
    attachment_share: float
    privacy_requests: int
    sessions_per_charger: float
    telemetry_samples: int | None
    """Stop writing samples at this many; None writes every planned station's whole window."""
    ticket_history: HistoryDetail = RICH_HISTORY
    customer_batch: int = 2_000
    parallel: bool = False
    """Make the rows in a helper process."""


SIZES: Final[dict[str, DemoSize]] = {
    "small": DemoSize(
        PlanOptions(customers=200, richness=0.7, invoices=(1, 6), telemetry_stations=8, telemetry_days=7),
        tickets=1_000, ticket_days=180, attachment_share=0.02, privacy_requests=60, sessions_per_charger=6,
        telemetry_samples=None,
    ),
    "large": DemoSize(
        PlanOptions(customers=100_000, richness=0.05, invoices=(0, 2), telemetry_stations=16, telemetry_days=30,
                    history_steps=(0, 1), logins=(0, 1), consents=(1, 3), fleet_cards=(1, 3)),
        tickets=200_000, ticket_days=730, attachment_share=0.005, privacy_requests=2_400, sessions_per_charger=1.2,
        telemetry_samples=5_000_000, ticket_history=LEAN_HISTORY, parallel=True,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Request:
    size: str
    streams: tuple[int, int, int, int]
    """Seeds of the customer, session, ticket and privacy-request random streams."""
    now: datetime
    staff: Staff
    first_series_id: int
    """The telemetry series get consecutive ids from here, so their samples can refer to them."""
    demo_secret: str
    """The demo password, from which each OCPP station's RFID card is derived (see `Equipment`)."""


@dataclass(frozen=True, slots=True)
class RowBatch:
    table: str
    rows: list[dict[str, Any]]
    with_id: bool = True


@dataclass(frozen=True, slots=True)
class SampleBatch:
    """(series id, Unix ms, value) telemetry samples."""

    rows: list[tuple[int, int, float]]


@dataclass(frozen=True, slots=True)
class PhaseDone:
    name: str


Item = RowBatch | SampleBatch | PhaseDone
Ready = Encoded | SampleBatch | PhaseDone
"""What the writer receives: rows already encoded for writing."""


def _chunks(model: type[Base], rows: Iterator[dict[str, Any]]) -> Iterator[RowBatch]:
    while chunk := list(islice(rows, _ROW_BATCH)):
        yield RowBatch(model.__tablename__, chunk)


def generate(request: Request) -> Iterator[Item]:
    options = SIZES[request.size]
    customers_seed, sessions_seed, tickets_seed, privacy_seed = request.streams
    now, staff = request.now, request.staff

    planner = Planner(random.Random(customers_seed), now, options.plan, request.demo_secret)
    total = options.plan.customers
    for start in range(0, total, options.customer_batch):
        rows: Rows = defaultdict(list)
        for index in range(start, min(total, start + options.customer_batch)):
            for model, items in planner.customer(index).items():
                rows[model].extend(items)
        for model in CUSTOMER_TABLES:
            yield RowBatch(model.__tablename__, rows.get(model, []), with_id=model not in AUTO_IDS)
    yield PhaseDone(f"{total} customers with {len(planner.devices)} devices")

    sessions = charging_sessions(random.Random(sessions_seed), planner, now, options.sessions_per_charger)
    yield from _chunks(ChargingSession, sessions)
    yield PhaseDone("charging sessions")

    helpdesk = Helpdesk(random.Random(tickets_seed), planner, staff, now, total=options.tickets,
                        days=options.ticket_days, attachment_share=options.attachment_share,
                        history=options.ticket_history)  # fmt: skip
    for drafts in batches(helpdesk.drafts(), _TICKET_BATCH):
        rows = helpdesk.rows(drafts)
        for model in (Ticket, TicketEntry, Attachment, AttachmentContent):
            yield RowBatch(model.__tablename__, rows[model])
    yield PhaseDone("tickets")

    rows = privacy_rows(random.Random(privacy_seed), planner, staff, now, options.privacy_requests)
    for model in (PrivacyRequest, PrivacyRequestEntry):
        yield RowBatch(model.__tablename__, rows[model])
    yield PhaseDone("privacy requests")

    yield from _telemetry(planner, request.first_series_id, options.telemetry_samples)
    yield PhaseDone("telemetry")


def _telemetry(planner: Planner, next_id: int, cap: int | None) -> Iterator[Item]:
    written = 0
    for device in planner.telemetry:
        plan = device.telemetry
        if plan is None or (cap is not None and written >= cap):
            break
        ids = list(range(next_id, next_id + len(SERIES)))
        next_id += len(SERIES)
        series = [
            {"id": series_id, "device_id": device.id, "connector_no": connector, "measurand": measurand,
             "phase": phase, "unit": unit}
            for series_id, (measurand, connector, phase, unit) in zip(ids, SERIES, strict=True)
        ]  # fmt: skip
        yield RowBatch(TelemetrySeries.__tablename__, series)
        samples = station_samples(plan, ids)
        if cap is not None:
            samples = islice(samples, cap - written)
        while chunk := list(islice(samples, _ROW_BATCH)):
            written += len(chunk)
            yield SampleBatch(chunk)


# --- running it -----------------------------------------------------------------------------------

_ENCODE_CHUNK: Final = 10_000


def _encoded(items: Iterator[Item]) -> Iterator[Ready]:
    for item in items:
        if isinstance(item, RowBatch):
            model = _MODELS[item.table]
            for start in range(0, len(item.rows), _ENCODE_CHUNK):
                # Who writes the change log's JSON balances the two processes: making customers is
                # the heavier half already, so the writer does theirs; tickets and sessions are
                # quick to make, so their JSON comes ready.
                rows = item.rows[start : start + _ENCODE_CHUNK]
                yield encode(model, rows, with_id=item.with_id, changes=model not in CUSTOMER_TABLES)
        else:
            yield item


@dataclass(frozen=True)
class _Failure:
    traceback: str


def _produce(request: Request, connection: Connection) -> None:
    """The helper process: send the items in bundles, then None (or the failure).

    A send waits until the writer takes the bundle, so bundles hold a whole block of customers or
    tickets: while the writer works through one, this process makes the next.
    """
    gc.disable()  # see seed_demo: nothing here forms cycles, and there are millions of objects
    try:
        bundle: list[Ready] = []
        size = 0
        for item in _encoded(generate(request)):
            bundle.append(item)
            if isinstance(item, Encoded):
                size += len(item.values) + len(item.changes or ())
            else:
                size += len(item.rows) if isinstance(item, SampleBatch) else _BUNDLE_ROWS
            if size >= _BUNDLE_ROWS:
                connection.send(bundle)
                bundle, size = [], 0
        connection.send(bundle)
        connection.send(None)
    except BaseException:
        with suppress(OSError):  # the writer may have gone away already
            connection.send(_Failure(traceback.format_exc()))
    finally:
        connection.close()


async def produce(request: Request) -> AsyncGenerator[Ready, None]:
    """The items of `generate`, encoded for writing, made in a helper process when the size says so."""
    if not SIZES[request.size].parallel:
        for item in _encoded(generate(request)):
            yield item
        return
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_produce, args=(request, sender), name="ema-demo-rows", daemon=True)
    process.start()
    sender.close()
    try:
        while True:
            try:
                message = await asyncio.to_thread(receiver.recv)
            except EOFError:
                raise RuntimeError("the demo data generator stopped unexpectedly") from None
            if message is None:
                break
            if isinstance(message, _Failure):
                raise RuntimeError(f"the demo data generator failed:\n{message.traceback}")
            for item in message:
                yield item
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        await asyncio.to_thread(process.join)
