"""`ema-server seed --demo small|large [--seed N]`: a deterministic, Czech-realistic demo data set.

Every table gets rows and every kind and state the console can show is present: customers of
each kind and status with contacts, app accounts (children with a guardian's consent among
them) and login history, contracts, consents, documents under each retention category (some on
legal hold), RFID cards, sites at real Czech addresses, chargers and network devices in every
status with their history, charging sessions, a week (small) or a month (large) of minute-by-
minute meter values for a few stations, tickets of every kind, priority and state, and privacy
requests of every right and state, some overdue and some extended.

Sizes: ``small`` is about 200 customers, 400 devices, 1,000 tickets and 800,000 telemetry
samples, for tests and quick demos; ``large`` is about 100,000 customers, 150,000 devices,
200,000 tickets and exactly 5,000,000 samples, for load and benchmarks (a few minutes).

Determinism: every random choice comes from ``random.Random(seed)``, including every record id,
so the same seed gives the same customers, devices, tickets and relations between them, whenever
it is seeded. Times are not fixed: the data is laid out relative to the moment of seeding, so
deadlines, "last seen" and the telemetry window look current whenever the demo is seeded (and
the meter values and the sessions they show follow the time of day). The four demo accounts are
the exception: ``create_operator`` gives them fresh ids, so a ticket they own points at the same
account by username, not by id, from one seeding to the next.

Operators: four demo accounts, ``demo.hotline``, ``demo.technician``, ``demo.privacy`` and
``demo.admin`` with the matching role, plus ten technicians and hotline operators who own
tickets. All of them sign in with the password in the environment variable
``EMA_DEMO_PASSWORD``, or ``ema-demo-2026!`` when it is unset. That default is public: never
seed demo data into a database reachable by anyone but the demo's audience.

Stations: every charger with an OCPP identity has the password ``demo_station_password(identity,
demo password)`` (stored hashed, as for a registered station), and its customer an active RFID card
with the tag ``demo_station_id_tag(identity, demo password)``, so ``ema-sim`` connects the demo
fleet and charges with authorised cards knowing only the demo password. The station hashes are made
in a thread pool while the rows are written (argon2 releases the GIL), never on the event loop.

Rows are made by ema_server.seed.generate (for the large demo in a helper process, to use a
second core) and written in one transaction by ema_server.seed.writer (bulk inserts that keep the
change feed complete); one ``demo.seed`` record goes into the audit trail. Progress is logged
phase by phase. A database
that already has customers or demo operators is refused (`DemoDataExists`), so demo data is
never mixed into real data or seeded twice.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.audit import append_audit
from ema_server.db.engine import Database
from ema_server.db.models import (
    Attachment,
    Base,
    ChangeRecord,
    ChargingSession,
    Customer,
    Device,
    Operator,
    OperatorRole,
    PrivacyRequest,
    PrivacyRequestEntry,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
    utcnow,
)
from ema_server.domain.permissions import Role
from ema_server.operators import create_operator
from ema_server.security import demo_station_password, hash_demo_station_password, hash_password
from ema_server.seed import czech
from ema_server.seed.draws import new_uuid
from ema_server.seed.generate import CUSTOMER_TABLES, SIZES, DemoSize, Request, SampleBatch, produce
from ema_server.seed.helpdesk import Staff
from ema_server.seed.holds import seed_holds_and_restrictions
from ema_server.seed.recipients import seed_consent_history_and_recipients
from ema_server.seed.writer import BulkWriter, Encoded
from ema_server.telemetry import rebuild_rollups

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_DEMO_PASSWORD", "DEMO_PASSWORD_ENV", "SIZES", "DemoDataExists", "DemoSize", "demo_password", "seed_demo",
]  # fmt: skip

DEMO_PASSWORD_ENV: Final = "EMA_DEMO_PASSWORD"  # noqa: S105 (the variable's name, not a password)
# Public on purpose: the demo's audience signs in with it (see the module docstring).
DEFAULT_DEMO_PASSWORD: Final = "ema-demo-2026!"  # noqa: S105
DEMO_OPERATORS: Final = (
    ("demo.hotline", Role.HOTLINE, "Zákaznická linka (demo)"),
    ("demo.technician", Role.TECHNICIAN, "Servisní technik (demo)"),
    ("demo.privacy", Role.PRIVACY_OFFICER, "Ochrana osobních údajů (demo)"),
    ("demo.admin", Role.ADMIN, "Administrátor (demo)"),
)
EXTRA_TECHNICIANS: Final = 6
EXTRA_HOTLINE: Final = 4

# What the summary counts, keyed by table name.
_SUMMARY: Final[tuple[type[Base], ...]] = (
    *CUSTOMER_TABLES, ChargingSession, Ticket, TicketEntry, Attachment, PrivacyRequest, PrivacyRequestEntry,
    TelemetrySeries, TelemetrySample, ChangeRecord,
)  # fmt: skip


class DemoDataExists(ValueError):
    """The database already has customers or demo operators; nothing was written."""


def demo_password() -> str:
    """The password of the demo accounts, from which the demo stations' passwords and cards derive."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


async def seed_demo(db: Database, size: str, seed: int) -> dict[str, int]:
    """Fill an empty database with the ``size`` demo for ``seed``; returns rows written per table
    (``operators``, ``customers``, …, ``telemetry_samples``, ``change_log``).

    Raises DemoDataExists when the database already has customers or demo operators, and
    ValueError for an unknown size or a demo password the password rules refuse.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: choose one of {', '.join(SIZES)}")
    # Millions of long-lived rows and summaries make the cyclic collector rescan them over and
    # over (a fifth of the large seed's time), and nothing the seed builds forms cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return await _seed(db, size, seed)
    finally:
        if collecting:
            gc.enable()


async def _seed(db: Database, size: str, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    # One stream per phase, so a change to how tickets are drafted leaves the customers alone.
    operators_seed, customers_seed, sessions_seed, tickets_seed, privacy_seed = (rng.getrandbits(64) for _ in range(5))
    recipients_seed, holds_seed = rng.getrandbits(64), rng.getrandbits(64)
    now = utcnow().replace(microsecond=0)
    password = demo_password()
    async with db.sessions() as session:
        await _refuse_existing(session)
        staff, operator_count = await _create_operators(session, random.Random(operators_seed), password)
        writer = BulkWriter(session)
        await writer.start()
        request = Request(size, (customers_seed, sessions_seed, tickets_seed, privacy_seed), now, staff,
                          first_series_id=await writer.next_id(TelemetrySeries), demo_secret=password)  # fmt: skip
        progress = _Progress(size)
        station_passwords = _StationPasswords(password)
        try:
            async with aclosing(produce(request)) as items:
                async for item in items:
                    if isinstance(item, Encoded):
                        if item.table == Device.__tablename__:
                            await station_passwords.fill(item)
                        await writer.write(item)
                    elif isinstance(item, SampleBatch):
                        await writer.insert_plain(TelemetrySample, ("series_id", "ts_ms", "value"), item.rows)
                    else:
                        progress.step(item.name)
            await writer.sync_sequence(TelemetrySeries)
            await seed_consent_history_and_recipients(session, writer, random.Random(recipients_seed), now)
            progress.step("consent history and recipients")
            await writer.finish()
            # Charts read minute rollups; bulk-written samples have none until they are built.
            await rebuild_rollups(session)
            progress.step("telemetry rollups")
            privacy_changes = await seed_holds_and_restrictions(session, staff, random.Random(holds_seed), now)
            progress.step("legal holds and restrictions")
        except BaseException:
            await writer.abandon()
            raise
        finally:
            station_passwords.close()

        summary = {"operators": operator_count, "privacy_changes": privacy_changes}
        summary.update((model.__tablename__, writer.counts[model.__tablename__]) for model in _SUMMARY)
        await append_audit(session, action="demo.seed", operator_username="cli",
                           detail={"size": size, "seed": seed, "customers": summary["customers"],
                                   "devices": summary["devices"], "tickets": summary["tickets"],
                                   "telemetry_samples": summary["telemetry_samples"]})  # fmt: skip
        await session.commit()
        progress.step("commit")
    return summary


def _hash_all(passwords: list[str]) -> list[str]:
    return [hash_demo_station_password(p) for p in passwords]


class _StationPasswords:
    """Fills in the password hash of every station in batches of device rows on their way to the
    database, hashing in a thread pool on every core (a light demo-only hash, see
    security.hash_demo_station_password), while the event
    loop keeps the previous batch's write going."""

    _CHUNK: Final = 64

    def __init__(self, secret: str) -> None:
        self._secret = secret
        keys = [column.key for column in Device.__table__.columns]
        self._width = len(keys)
        self._identity = keys.index("ocpp_identity")
        self._hash = keys.index("ocpp_password_hash")
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="ema-demo-hash")

    async def fill(self, encoded: Encoded) -> None:
        # Encoded rows list every column in table order (a device's id is given, not generated).
        assert encoded.with_id and all(len(values) == self._width for values in encoded.values)
        stations = [values for values in encoded.values if values[self._identity] is not None]
        loop = asyncio.get_running_loop()
        chunks = [stations[i : i + self._CHUNK] for i in range(0, len(stations), self._CHUNK)]
        hashed = await asyncio.gather(*(
            loop.run_in_executor(self._pool, _hash_all,
                                 [demo_station_password(values[self._identity], self._secret) for values in chunk])
            for chunk in chunks
        ))  # fmt: skip
        for chunk, hashes in zip(chunks, hashed, strict=True):
            for values, password_hash in zip(chunk, hashes, strict=True):
                values[self._hash] = password_hash

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _Progress:
    """Logs each phase: the large demo takes minutes, and a silent terminal looks hung."""

    def __init__(self, size: str) -> None:
        self._size = size
        self._start = self._last = time.monotonic()

    def step(self, what: str) -> None:
        now = time.monotonic()
        log.info("demo %s: %s written in %.1f s (%.1f s in all)", self._size, what, now - self._last, now - self._start)
        self._last = now


async def _refuse_existing(session: AsyncSession) -> None:
    usernames = [name for name, _role, _display in DEMO_OPERATORS]
    demo_operator = (
        await session.execute(select(Operator.id).where(Operator.username.in_(usernames)).limit(1))
    ).first()
    any_customer = (await session.execute(select(Customer.id).limit(1))).first()
    if demo_operator is not None or any_customer is not None:
        raise DemoDataExists(
            "the database already has demo data or customers; seed demo data only into an empty database "
            "(with SQLite, add --fresh to start from a new file)"
        )


async def _create_operators(session: AsyncSession, rng: random.Random, password: str) -> tuple[Staff, int]:
    """The demo accounts through create_operator (audited each), then the ticket owners.

    The owners share one password hash: argon2 takes the better part of a second per hash by
    design, and ten more would double the time of a small seed for accounts nobody needs to
    tell apart by password. Their ids come from the seed like every other demo record.
    """
    ids: dict[str, list[str]] = defaultdict(list)
    for username, role, display_name in DEMO_OPERATORS:
        operator, _ = await create_operator(session, username=username, roles=[role.value], password=password,
                                            display_name=display_name, email=f"{username}@sectron.cz")  # fmt: skip
        ids[role.value].append(operator.id)
    taken = {name for name, _role, _display in DEMO_OPERATORS}
    roles = [Role.TECHNICIAN] * EXTRA_TECHNICIANS + [Role.HOTLINE] * EXTRA_HOTLINE
    shared_hash = hash_password(password)
    for role in roles:
        person = czech.person(rng)
        username = f"{czech.fold_ascii(person.first_name)}.{czech.fold_ascii(person.last_name)}"
        while username in taken:
            username += str(rng.randint(0, 9))
        taken.add(username)
        operator_id = new_uuid(rng)
        session.add(Operator(id=operator_id, username=username, display_name=person.full_name,
                             email=f"{username}@sectron.cz", password_hash=shared_hash,
                             roles=[OperatorRole(role=role.value)]))  # fmt: skip
        ids[role.value].append(operator_id)
    await session.flush()
    staff = Staff(hotline=ids[Role.HOTLINE.value], technicians=ids[Role.TECHNICIAN.value],
                  privacy=ids[Role.PRIVACY_OFFICER.value], admin=ids[Role.ADMIN.value][0])  # fmt: skip
    return staff, len(DEMO_OPERATORS) + len(roles)
