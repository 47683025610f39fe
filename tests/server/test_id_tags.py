"""Authorizing RFID tags at a station: which card of which customer may charge."""

from __future__ import annotations

from datetime import UTC, datetime

from ema_server.db.engine import Database
from ema_server.db.models import Customer, Device, RfidCard
from ema_server.id_tags import authorize_id_tag

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


async def test_authorization_follows_the_card_and_its_customer(db: Database) -> None:
    async with db.sessions() as session:
        customers = {status: Customer(customer_number=f"C00040{n}", kind="consumer", name=f"Zákazník {n}",
                                      status=status)
                     for n, status in enumerate(("active", "restricted", "blocked", "closed"))}
        session.add_all(customers.values())
        await session.flush()
        session.add_all([
            RfidCard(customer_id=customers["active"].id, id_tag="ACTIVE01"),
            RfidCard(customer_id=customers["active"].id, id_tag="LOST0001", active=False),
            RfidCard(customer_id=customers["restricted"].id, id_tag="RESTRICT"),
            RfidCard(customer_id=customers["blocked"].id, id_tag="BLOCKED1"),
            RfidCard(customer_id=customers["closed"].id, id_tag="CLOSED01"),
        ])
        station = Device(customer_id=customers["active"].id, kind="wallbox", vendor="Wallbox", model="Pulsar Plus",
                         serial="WB-0400", ocpp_identity="CZ-SEC-00400")
        session.add(station)
        await session.commit()

        async def status(tag: str) -> str:
            return await authorize_id_tag(session, station, tag, NOW)

        assert await status("ACTIVE01") == "Accepted"
        assert await status("active01") == "Accepted"  # OCPP id tags ignore case
        # A restriction (e.g. of processing disputed data) does not suspend the service; blocking does.
        assert await status("RESTRICT") == "Accepted"
        assert await status("BLOCKED1") == "Blocked"
        assert await status("CLOSED01") == "Expired"
        assert await status("LOST0001") == "Blocked"
        assert await status("NOBODY01") == "Invalid"
        assert await status("") == "Invalid"
        assert await status("ACTIVE01" + "X" * 30) == "Invalid"  # longer than any card's tag
