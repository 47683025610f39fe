"""`ema-server add-station` as an administrator runs it: the password from standard input, the
device id on success, a message and exit status 1 on every refusal, and nothing written then."""

from __future__ import annotations

import asyncio
import json
import sys

from sqlalchemy import func, select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Connector, Customer, Device
from ema_server.security import verify_station_password

CLI = [sys.executable, "-m", "ema_server"]
PASSWORD = "Cli-Station-Secret-0001"


async def _run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(60):
        out, err = await proc.communicate(stdin.encode())
    return proc.returncode or 0, out.decode(), err.decode()


async def _customer(db: Database) -> str:
    async with db.sessions() as session:
        session.add(Customer(customer_number="C000401", kind="business", name="Eva Svobodová",
                             company_name="Svoboda a syn s.r.o."))  # fmt: skip
        await session.commit()
    return "C000401"


async def test_add_station_registers_it_and_prints_the_device_id(db: Database, db_url: str) -> None:
    number = await _customer(db)
    code, out, err = await _run(
        "--db", db_url, "add-station", "--identity", "SVOBODA-01", "--customer", number, "--password-stdin",
        "--vendor", "Alfen", "--model", "Eve Double", "--serial", "ACE-77", "--kind", "wallbox", "--connectors", "2",
        "--max-power-kw", "11", "--ocpp-version", "2.0.1", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    device_id = out.strip()
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        connectors = (await session.execute(select(Connector).where(Connector.device_id == device_id)
                                            .order_by(Connector.connector_no))).scalars().all()  # fmt: skip
        (record,) = (await session.execute(select(AuditRecord).where(AuditRecord.action == "device.register")))\
            .scalars().all()  # fmt: skip
    assert (device.ocpp_identity, device.vendor, device.model, device.serial, device.kind, device.ocpp_version) == (
        "SVOBODA-01", "Alfen", "Eve Double", "ACE-77", "wallbox", "2.0.1")  # fmt: skip
    assert [(c.connector_no, c.standard, c.max_power_kw) for c in connectors] == [(1, "Type2", 11.0),
                                                                                 (2, "Type2", 11.0)]  # fmt: skip
    assert verify_station_password(device.ocpp_password_hash, PASSWORD)
    assert record.operator_username == "cli" and record.entity_id == device_id
    assert json.loads(record.detail)["via"] == "cli"
    assert PASSWORD not in out + err and PASSWORD not in record.detail


async def test_add_station_refusals_name_the_option_and_exit_1(db: Database, db_url: str) -> None:
    number = await _customer(db)
    base = ("--db", db_url, "add-station", "--customer", number, "--password-stdin")
    assert (await _run(*base, "--identity", "SVOBODA-02", stdin=PASSWORD + "\n"))[0] == 0

    refusals = [
        (("--identity", "SVOBODA-02", "--serial", "OTHER"), PASSWORD, "--identity", "identity_taken"),
        (("--identity", "SVOBODA-03", "--serial", "SVOBODA-02"), PASSWORD, "--serial", "serial_taken"),
        (("--identity", "SVOBODA 03",), PASSWORD, "--identity", "invalid_identity"),
        (("--identity", "SVOBODA-03",), "too-short", "password", "invalid_station_password"),
        (("--identity", "SVOBODA-03", "--connectors", "0"), PASSWORD, "--connectors", "invalid_connectors"),
    ]  # fmt: skip
    for extra, password, option, reason in refusals:
        code, out, err = await _run(*base, *extra, stdin=password + "\n")
        assert (code, out) == (1, ""), extra
        message = err.strip().splitlines()[-1]  # after the migration's log lines
        assert message.startswith(f"{option}: ") and message.endswith(f"({reason})"), err
        assert password not in err
    code, out, err = await _run("--db", db_url, "add-station", "--customer", "C999999", "--identity", "SVOBODA-03",
                                "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 1 and err.strip().splitlines()[-1].startswith("--customer: ") and "(unknown_customer)" in err
    # Without --password-stdin it asks on the terminal, and there is none here.
    code, out, err = await _run(*base[:-1], "--identity", "SVOBODA-03")
    assert code == 1 and "--password-stdin" in err

    async with db.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Device))).scalar_one() == 1
