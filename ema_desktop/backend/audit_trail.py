"""The server's audit trail as the console's audit viewer asks for it: typed records of
`/audit`, `/audit/verify` and `/audit/export`, and the calls that fetch them.

The server records every read and export of the trail itself; nothing here needs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import Page, Record

ExportFormat = Literal["csv", "json"]


class AuditRecord(Record):
    """One entry of the trail: who did or saw what, when, from where."""

    seq: int
    at: datetime
    operator_id: str | None = None
    operator_username: str | None = None
    operator_name: str | None = None
    action: str
    entity: str | None = None
    entity_id: str | None = None
    subject_id: str | None = None
    client_address: str | None = None
    detail: dict[str, Any] = {}
    prev_hash: str = ""
    hash: str


class ChainCheck(Record):
    """The result of verifying the trail's hash chain."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True)
class AuditQuery:
    """Which records the officer asks for; None means any."""

    subject_id: str | None = None
    operator_id: str | None = None
    action: str | None = None
    """An action ("customer.read") or a prefix ending in "*" ("privacy_request.*")."""
    since: datetime | None = None
    until: datetime | None = None
    """Exclusive."""

    def params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for name, value in (("subject_id", self.subject_id), ("operator_id", self.operator_id),
                            ("action", self.action)):
            if value:
                params[name] = value
        for name, moment in (("from", self.since), ("to", self.until)):
            if moment is not None:
                params[name] = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return params


async def audit_records(client: BackendClient, query: AuditQuery, *, limit: int = 100,
                        offset: int = 0) -> Page[AuditRecord]:
    """A page of matching records, newest first."""
    body = await client.call("GET", "/audit", params={**query.params(), "limit": limit, "offset": offset})
    return Page[AuditRecord].model_validate(body)


async def check_chain(client: BackendClient) -> ChainCheck:
    return ChainCheck.model_validate(await client.call("GET", "/audit/verify"))


async def export_audit(client: BackendClient, query: AuditQuery, export_format: ExportFormat) -> bytes:
    """The matching records as the file the server makes for the authority (CSV, or JSON with the chain check)."""
    return await client.download("/audit/export", params={**query.params(), "format": export_format})
