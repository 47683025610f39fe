"""OCPP 1.6 (JSON) station messages mapped onto the version-neutral ``StationService``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from ocpp.exceptions import PropertyConstraintViolationError

from ema_server.db.models import utcnow
from ema_server.ocpp.meter_values import parse_time, samples_16
from ema_server.ocpp.station import BootInfo, StationService

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def now_text() -> str:
    """Now as OCPP writes times: UTC with milliseconds and Z."""
    now = utcnow().astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def id_tag_info(status: str) -> dict[str, Any]:
    return {"status": status}


class Handlers16:
    def __init__(self, station: StationService, heartbeat_interval: int) -> None:
        self.station = station
        self.heartbeat_interval = heartbeat_interval
        self._table: dict[str, Handler] = {
            "BootNotification": self.boot_notification,
            "Heartbeat": self.heartbeat,
            "StatusNotification": self.status_notification,
            "MeterValues": self.meter_values,
            "StartTransaction": self.start_transaction,
            "StopTransaction": self.stop_transaction,
            "Authorize": self.authorize,
            "FirmwareStatusNotification": self.firmware_status_notification,
            "DiagnosticsStatusNotification": self.diagnostics_status_notification,
            "DataTransfer": self.data_transfer,
        }

    def handler(self, action: str) -> Handler | None:
        return self._table.get(action)

    async def boot_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.boot(BootInfo(p["chargePointVendor"], p["chargePointModel"],
                                         p.get("chargePointSerialNumber") or p.get("chargeBoxSerialNumber"),
                                         p.get("firmwareVersion")))
        return {"status": "Accepted", "currentTime": now_text(), "interval": self.heartbeat_interval}

    async def heartbeat(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.heartbeat()
        return {"currentTime": now_text()}

    async def status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        at = required_time(p.get("timestamp"), "timestamp") if p.get("timestamp") else None
        info = " ".join(str(p[k]) for k in ("info", "vendorId", "vendorErrorCode") if p.get(k)) or None
        await self.station.status(p["connectorId"], p["status"], p["errorCode"], info, at)
        return {}

    async def meter_values(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.meter_values(samples_16(p["meterValue"], p["connectorId"], utcnow()))
        return {}

    async def start_transaction(self, p: dict[str, Any]) -> dict[str, Any]:
        at = required_time(p["timestamp"], "timestamp")
        started = await self.station.start_transaction(p["connectorId"], p["idTag"], p["meterStart"], at)
        return {"transactionId": started.transaction_id or 0, "idTagInfo": id_tag_info(started.authorization)}

    async def stop_transaction(self, p: dict[str, Any]) -> dict[str, Any]:
        at = required_time(p["timestamp"], "timestamp")
        # transactionData names no connector: the samples go to the station's own series.
        samples = samples_16(p.get("transactionData", []), 0, at)
        authorization = await self.station.stop_transaction(
            transaction_id=p["transactionId"], meter_stop_wh=p["meterStop"], at=at, reason=p.get("reason", "Local"),
            id_tag=p.get("idTag"), samples=samples,
        )
        return {"idTagInfo": id_tag_info(authorization)} if authorization else {}

    async def authorize(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"idTagInfo": id_tag_info(await self.station.authorize(p["idTag"]))}

    async def firmware_status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.notification("firmware", p["status"])
        return {}

    async def diagnostics_status_notification(self, p: dict[str, Any]) -> dict[str, Any]:
        await self.station.notification("diagnostics", p["status"])
        return {}

    async def data_transfer(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"status": await self.station.data_transfer(p["vendorId"], p.get("messageId"), p.get("data"))}


def required_time(value: Any, field: str) -> datetime:
    """An OCPP dateTime field the message needs; a CALLERROR when unreadable."""
    at = parse_time(value) if isinstance(value, str) else None
    if at is None:
        raise PropertyConstraintViolationError(details={"cause": f"{field} is not an RFC 3339 date-time"})
    return at

