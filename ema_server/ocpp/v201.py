"""OCPP 2.0.1 station messages mapped onto the version-neutral ``StationService``.

2.0.1 differs from 1.6 in shape more than in meaning: transactions are one TransactionEvent
message (Started, Updated, Ended) with the station's own string id; connectors belong to EVSEs
(an EVSE is what EMA calls a connector: its number is the EVSE id); a connector is Occupied rather
than Charging (the charging state comes with the transaction); and a fault's code arrives as the
techCode of a NotifyEvent about the Problem variable rather than in the status notification.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ema_server.db.models import utcnow
from ema_server.ocpp.meter_values import energy_wh, samples_201
from ema_server.ocpp.station import BootInfo, StationService
from ema_server.ocpp.v16 import now_text, required_time

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]

CONNECTOR_STATUS = {"Available": "Available", "Occupied": "Preparing", "Reserved": "Reserved",
                    "Unavailable": "Unavailable", "Faulted": "Faulted"}  # fmt: skip
CHARGING_STATE = {"Charging": "Charging", "SuspendedEV": "SuspendedEV", "SuspendedEVSE": "SuspendedEVSE",
                  "EVConnected": "Preparing"}  # fmt: skip
UNKNOWN_FAULT = "OtherError"


class Handlers201:
    def __init__(self, station: StationService, heartbeat_interval: int) -> None:
        self.station = station
        self.heartbeat_interval = heartbeat_interval
        self._tech_codes: dict[int, str] = {}
        """EVSE id → the techCode of its latest reported problem, for the Faulted status that follows."""
        self._transaction_evse: dict[str, int] = {}
        self._table: dict[str, Handler] = {
            "BootNotification": self.boot_notification,
            "Heartbeat": self.heartbeat,
            "StatusNotification": self.status_notification,
            "MeterValues": self.meter_values,
            "TransactionEvent": self.transaction_event,
            "Authorize": self.authorize,
            "FirmwareStatusNotification": self.firmware_status_notification,
            "LogStatusNotification": self.log_status_notification,
            "SecurityEventNotification": self.security_event_notification,
            "NotifyEvent": self.notify_event,
            "DataTransfer": self.data_transfer,
        }

    def handler(self, action: str) -> Handler | None:
        return self._table.get(action)

    async def boot_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        cs = p["chargingStation"]
        await self.station.boot(BootInfo(cs["vendorName"], cs["model"], cs.get("serialNumber"),
                                         cs.get("firmwareVersion")))
        self._transaction_evse.clear()
        return {"status": "Accepted", "currentTime": now_text(), "interval": self.heartbeat_interval}

    async def heartbeat(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.heartbeat()
        return {"currentTime": now_text()}

    async def status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        status = CONNECTOR_STATUS[p["connectorStatus"]]
        evse = p["evseId"]
        error = self._tech_codes.get(evse, UNKNOWN_FAULT) if status == "Faulted" else None
        await self.station.status(evse, status, error, None, required_time(p["timestamp"], "timestamp"))
        return {}

    async def notify_event(self, p: dict[str, Any]) -> dict[str, Any]:
        for event in p["eventData"]:
            if event["variable"]["name"] != "Problem":
                continue
            evse = (event["component"].get("evse") or {}).get("id", 0)
            if str(event["actualValue"]).lower() == "true":
                self._tech_codes[evse] = str(event.get("techCode") or UNKNOWN_FAULT)[:32]
            else:
                self._tech_codes.pop(evse, None)
        return {}

    async def meter_values(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.meter_values(samples_201(p["meterValue"], p["evseId"], utcnow()))
        return {}

    async def transaction_event(self, p: dict[str, Any]) -> dict[str, Any]:
        at = required_time(p["timestamp"], "timestamp")
        info = p["transactionInfo"]
        ref = info["transactionId"]
        evse = (p.get("evse") or {}).get("id") or self._transaction_evse.get(ref, 0)
        samples = samples_201(p.get("meterValue", []), evse, at)
        id_token = (p.get("idToken") or {}).get("idToken") or None
        authorization: str | None = None
        if p["eventType"] == "Started":
            self._transaction_evse[ref] = evse
            meter_start = energy_wh(samples) or 0.0
            started = await self.station.start_transaction(evse, id_token, meter_start, at, transaction_ref=ref,
                                                           samples=samples)
            authorization = started.authorization if id_token else None
        elif p["eventType"] == "Ended":
            self._transaction_evse.pop(ref, None)
            authorization = await self.station.stop_transaction(
                transaction_ref=ref, meter_stop_wh=energy_wh(samples), at=at,
                reason=info.get("stoppedReason", "Local"), id_tag=id_token, samples=samples,
            )
        else:
            if samples:
                await self.station.meter_values(samples)
            if id_token:
                authorization = await self.station.authorize(id_token)
        state = CHARGING_STATE.get(info.get("chargingState", ""))
        if state and evse and p["eventType"] != "Ended":
            await self.station.status(evse, state, None, None, at)
        return {"idTokenInfo": {"status": authorization}} if authorization else {}

    async def authorize(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"idTokenInfo": {"status": await self.station.authorize(p["idToken"]["idToken"])}}

    async def firmware_status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.notification("firmware", p["status"])
        return {}

    async def log_status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.notification("diagnostics", p["status"])
        return {}

    async def security_event_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.notification("security", str(p["type"])[:50])
        return {}

    async def data_transfer(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"status": await self.station.data_transfer(p["vendorId"], p.get("messageId"), p.get("data"))}
