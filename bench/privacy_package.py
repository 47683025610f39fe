"""An access package for a customer with 3 stations and a year of telemetry: time to build it
(gather, ZIP, seal, store), the ZIP and sealed sizes, against just reading the same rows.

Data, in a fresh SQLite database of its own (bench/out/privacy-package.db): one business customer
with 3 wallboxes; per station a power (kW) and an energy register (kWh) series sampled every
5 minutes for 365 days (105,120 samples per series, 630,720 in all: what a station's MeterValues
at a 300 s interval give), 3 charging sessions a day per station (3,285), an RFID card, a contract,
invoices and a ticket. The key is a throwaway one for the run (no key file is written).

`python -m bench privacy_package` once bench/__main__.py lists it.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from bench.stats import report
from ema_server.db.engine import Database
from ema_server.db.migrate import upgrade
from ema_server.db.models import (
    AccessPackageContent,
    ChargingSession,
    Contract,
    Customer,
    Device,
    Document,
    PrivacyRequest,
    RfidCard,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
    new_id,
)
from ema_server.privacy import sealing
from ema_server.privacy.package import build_package

STATIONS = 3
DAYS = 365
INTERVAL_S = 300
SESSIONS_PER_DAY = 3
END = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK = 20_000
STEPS = DAYS * 86400 // INTERVAL_S


async def _seed(db: Database) -> tuple[str, int]:
    """The customer and a verified access request; returns (request id, samples written)."""
    start = END - timedelta(days=DAYS)
    start_ms = int(start.timestamp() * 1000)
    samples = 0
    async with db.sessions() as s:
        customer = Customer(customer_number="C-BENCH-0001", kind="business", name="Bench Customer",
                            company_name="Bench Fleet s.r.o.", ico="27074358", email="fleet@example.cz",
                            phone="+420601000001")
        s.add(customer)
        await s.flush()
        s.add(RfidCard(customer_id=customer.id, id_tag="BENCHTAG01"))
        s.add(Contract(customer_id=customer.id, number="K-BENCH-1", service="station_maintenance", price_czk=990,
                       billing_period="monthly", starts_on=start.date()))
        for month in range(12):
            s.add(Document(customer_id=customer.id, kind="invoice", number=f"F-BENCH-{month + 1:02d}",
                           title=f"Invoice {month + 1}", issued_on=date(2025, month + 1, 1), amount_czk=1198,
                           retention_category="vat"))
        ticket = Ticket(number="T-BENCH-1", kind="fault", title="Reader fault", customer_id=customer.id,
                        first_response_due_at=start, resolution_due_at=start)
        s.add(ticket)
        await s.flush()
        s.add(TicketEntry(ticket_id=ticket.id, kind="reply", body="Fixed.", public=True))
        for number in range(STATIONS):
            device = Device(customer_id=customer.id, kind="wallbox", vendor="Sectron", model="AC22",
                            serial=f"SN-BENCH-{number}", ocpp_identity=f"CP-BENCH-{number}")
            s.add(device)
            await s.flush()
            s.add_all(
                ChargingSession(device_id=device.id, customer_id=customer.id, connector_no=1, id_tag="BENCHTAG01",
                                started_at=start + timedelta(hours=8 * i),
                                stopped_at=start + timedelta(hours=8 * i + 2),
                                meter_start_wh=0, meter_stop_wh=14_000, energy_kwh=14.0)
                for i in range(DAYS * SESSIONS_PER_DAY)
            )
            power = TelemetrySeries(device_id=device.id, connector_no=1, measurand="power", unit="kW")
            energy = TelemetrySeries(device_id=device.id, connector_no=1, measurand="energy", unit="kWh")
            s.add_all([power, energy])
            await s.flush()
            for series in (power, energy):
                # Generated inside SQLite: the benchmark is the package, not Python's insert loop.
                value = ("((n % 288) * 11.0 / 288) + :station" if series is power
                         else "n * 0.45 + :station")
                await s.execute(text(
                    "WITH RECURSIVE steps(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM steps WHERE n < :last) "
                    "INSERT INTO telemetry_samples (series_id, ts_ms, value) "
                    f"SELECT :series, :start + n * :step, {value} FROM steps"
                ), {"last": STEPS - 1, "series": series.id, "start": start_ms, "step": INTERVAL_S * 1000,
                    "station": number})
                samples += STEPS
        request = PrivacyRequest(id=new_id(), number="P-2026-00001", right="access", customer_id=customer.id,
                                 subject_name=customer.name, channel="email", received_at=END, due_at=END,
                                 state="in_progress", identity_check="registered_email_reply",
                                 identity_verified_at=END)
        s.add(request)
        await s.commit()
        return request.id, samples


async def _select_baseline(db: Database, customer_id: str) -> float:
    """Reading the same rows and nothing else: the customer's sessions and every sample of their series."""
    started = time.perf_counter()
    async with db.read_sessions() as s:
        await s.execute(select(ChargingSession).where(ChargingSession.customer_id == customer_id))
        series_ids = (await s.execute(select(TelemetrySeries.id).join(Device).where(
            Device.customer_id == customer_id))).scalars().all()
        for series_id in series_ids:
            last = -1
            while rows := (await s.execute(
                select(TelemetrySample.ts_ms, TelemetrySample.value)
                .where(TelemetrySample.series_id == series_id, TelemetrySample.ts_ms > last)
                .order_by(TelemetrySample.ts_ms).limit(CHUNK)
            )).all():
                last = rows[-1][0]
    return time.perf_counter() - started


async def run(out: Path) -> None:
    path = out / "privacy-package.db"
    for leftover in out.glob(path.name + "*"):
        leftover.unlink()
    previous_key = os.environ.get(sealing.KEY_ENV)
    os.environ[sealing.KEY_ENV] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db.engine)
        started = time.perf_counter()
        request_id, samples = await _seed(db)
        report("privacy package: seed", f"{time.perf_counter() - started:.1f} s",
               f"{samples:,} samples ({STATIONS} stations x 2 series x 5-min for {DAYS} days)")
        async with db.sessions() as s:
            request = await s.get(PrivacyRequest, request_id)
            assert request is not None and request.customer_id is not None
            customer_id = request.customer_id
            started = time.perf_counter()
            package = await build_package(s, request, "access", None, datetime.now(UTC))
            await s.commit()
            build_seconds = time.perf_counter() - started
            sealed = (await s.execute(select(func.length(AccessPackageContent.content)))).scalar_one()
        baseline = await _select_baseline(db, customer_id)
        report(
            "privacy package: access, 3 stations x 1 year",
            f"{build_seconds:.1f} s, ZIP {package.size / 1e6:.1f} MB, sealed {sealed / 1e6:.1f} MB, "
            f"{package.categories['telemetry_samples']:,} samples, "
            f"{package.categories['charging_sessions']:,} sessions",
            f"SELECT of the same rows {baseline:.1f} s",
            build_seconds / baseline,
        )
    finally:
        await db.dispose()
        if previous_key is None:
            os.environ.pop(sealing.KEY_ENV, None)
        else:
            os.environ[sealing.KEY_ENV] = previous_key


if __name__ == "__main__":
    asyncio.run(run(Path(__file__).parent / "out"))
