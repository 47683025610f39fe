"""Retention and legal holds as the console's Retention pane asks for them: typed records of
`/retention/policies`, `/retention/runs` and `/legal-holds`, and the calls that read and change them.

Every call goes online through `BackendClient.call` (a hold, a period or a run is a decision the
server takes at once, never queued in the outbox); errors come back as the client's `BackendError`s.
The server records the changes and every listing of holds in the audit trail itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import Record

RETENTION_ACTIONS = ("delete", "anonymise", "restrict")
MAX_PERIOD_DAYS = 36_500
"""The longest period the server accepts (its retention rules' limit)."""


class RetentionPolicy(Record):
    """One retention category: how long its records are kept and what happens to them then."""

    category: str
    period_days: int
    action: str
    actions: list[str]
    """The actions this category's records can undergo (the administrator chooses among them)."""
    description: str
    updated_at: datetime
    updated_by_id: str | None = None


class RetentionRun(Record):
    """One run of the retention job: what expired (or, in a dry run, would have)."""

    id: str
    started_at: datetime
    finished_at: datetime | None = None
    dry_run: bool
    trigger: str
    summary: dict[str, Any] = {}
    """{category: {action: count}, "skipped_legal_hold": n, "details": {...}}"""

    def counts(self) -> dict[str, dict[str, int]]:
        """The counts per category and action, without the totals and details."""
        return {category: {action: int(n) for action, n in actions.items() if isinstance(n, int)}
                for category, actions in self.summary.items() if isinstance(actions, dict) and category != "details"}

    @property
    def skipped_for_holds(self) -> int:
        skipped = self.summary.get("skipped_legal_hold", 0)
        return skipped if isinstance(skipped, int) else 0


class LegalHold(Record):
    """A legal hold on a customer or a ticket: its records are kept for the whole proceedings."""

    id: str
    customer_id: str | None = None
    ticket_id: str | None = None
    reason: str
    reference: str | None = None
    placed_at: datetime
    placed_by_id: str | None = None
    lifted_at: datetime | None = None
    lifted_by_id: str | None = None
    lift_reason: str | None = None
    version: int

    @property
    def active(self) -> bool:
        return self.lifted_at is None


async def retention_policies(client: BackendClient) -> list[RetentionPolicy]:
    answer = await client.call("GET", "/retention/policies")
    return [RetentionPolicy.model_validate(item) for item in answer["items"]]


async def set_retention_policy(client: BackendClient, category: str, period_days: int,
                               action: str) -> RetentionPolicy:
    answer = await client.call("PUT", f"/retention/policies/{category}",
                               json={"period_days": period_days, "action": action})
    return RetentionPolicy.model_validate(answer)


async def retention_runs(client: BackendClient, limit: int = 50) -> list[RetentionRun]:
    """The recent runs, newest first."""
    answer = await client.call("GET", "/retention/runs", params={"limit": limit})
    return [RetentionRun.model_validate(item) for item in answer["items"]]


async def start_retention_run(client: BackendClient, dry_run: bool) -> RetentionRun:
    """Run the retention job now and wait for it to finish (a dry run only counts)."""
    return RetentionRun.model_validate(await client.call("POST", "/retention/runs", json={"dry_run": dry_run}))


async def legal_holds(client: BackendClient, *, active: bool | None = None, customer_id: str | None = None,
                      ticket_id: str | None = None) -> list[LegalHold]:
    params: dict[str, str] = {}
    if active is not None:
        params["active"] = "true" if active else "false"
    for name, value in (("customer_id", customer_id), ("ticket_id", ticket_id)):
        if value:
            params[name] = value
    answer = await client.call("GET", "/legal-holds", params=params)
    return [LegalHold.model_validate(item) for item in answer["items"]]


async def place_legal_hold(client: BackendClient, *, customer_id: str | None = None, ticket_id: str | None = None,
                           reason: str, reference: str | None = None) -> LegalHold:
    """A hold on exactly one of a customer and a ticket."""
    body: dict[str, Any] = {"reason": reason}
    if customer_id:
        body["customer_id"] = customer_id
    if ticket_id:
        body["ticket_id"] = ticket_id
    if reference:
        body["reference"] = reference
    return LegalHold.model_validate(await client.call("POST", "/legal-holds", json=body))


async def lift_legal_hold(client: BackendClient, hold_id: str, reason: str) -> LegalHold:
    answer = await client.call("POST", f"/legal-holds/{hold_id}/lift", json={"reason": reason})
    return LegalHold.model_validate(answer)
