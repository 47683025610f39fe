"""Retention and legal-holds API: the retention categories with their periods (an administrator
changes them), retention runs (started by an administrator, listed for the privacy officer), and
legal holds on a customer or a ticket, placed and lifted with a reason.

The rules are in ema_server/privacy/retention.py (the table of categories) and
ema_server/privacy/holds.py. Changes are recorded in the audit trail; a retention run records
itself there (counts only).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy import select

from ema_server.api.context import Caller, check_if_match, database, etag, idempotent, requires
from ema_server.api.problems import Conflict, NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import Body, Id, IdQuery, UtcDateTime, field_problem, plausible_id
from ema_server.db.models import LegalHold, RetentionRun, utcnow
from ema_server.domain.permissions import Permission
from ema_server.privacy import holds
from ema_server.privacy import retention as rules
from ema_server.tickets import InvalidFields

router = APIRouter(tags=["privacy"])

HandlePrivacy = Depends(requires(Permission.HANDLE_PRIVACY))
Administer = Depends(requires(Permission.ADMINISTER))

Action = Literal["delete", "anonymise", "restrict"]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


# --- retention policies -------------------------------------------------------------------------


class RetentionPolicyIn(Body):
    period_days: Annotated[int, Field(ge=1, le=rules.MAX_PERIOD_DAYS)]
    action: Action
    """One of the category's `actions`."""


class RetentionPolicyOut(Output):
    category: str
    period_days: int
    action: str
    actions: list[str]
    """The actions this category's records can undergo."""
    description: str
    updated_at: UtcDateTime
    updated_by_id: str | None


class RetentionPolicyList(Output):
    items: list[RetentionPolicyOut]


def _policy_out(policy: Any) -> RetentionPolicyOut:
    return RetentionPolicyOut(category=policy.category, period_days=policy.period_days, action=policy.action,
                              actions=list(rules.allowed_actions(policy.category)), description=policy.description,
                              updated_at=policy.updated_at, updated_by_id=policy.updated_by_id)  # fmt: skip


@router.get("/retention/policies", response_model=RetentionPolicyList)
async def list_policies(caller: Caller = HandlePrivacy) -> RetentionPolicyList:
    policies = await rules.ensure_policies(caller.session)
    await caller.session.commit()
    return RetentionPolicyList(items=[_policy_out(p) for p in policies])


@router.put("/retention/policies/{category}", response_model=RetentionPolicyOut)
async def set_policy(category: str, body: RetentionPolicyIn, caller: Caller = Administer) -> RetentionPolicyOut:
    try:
        policy, changed = await rules.set_policy(caller.session, category, period_days=body.period_days,
                                                 action=body.action, operator_id=caller.operator.id, now=utcnow())
    except rules.UnknownCategory:
        raise NotFound(f"No retention category '{category}'.") from None
    except InvalidFields as exc:
        raise field_problem(exc.errors) from None
    if changed:
        await caller.audit("retention_policy.update", "retention_policy", category,
                           {"category": category, "fields": changed, "period_days": policy.period_days,
                            "action": policy.action})  # fmt: skip
    out = _policy_out(policy)
    await caller.session.commit()
    return out


# --- retention runs -----------------------------------------------------------------------------


class RetentionRunIn(Body):
    dry_run: bool
    """True: count what would expire, change nothing (but record the run)."""


class RetentionRunOut(Output):
    id: str
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    dry_run: bool
    trigger: str
    summary: dict[str, Any]
    """{category: {action: count}, skipped_legal_hold: n, details: {records, skipped_legal_hold_by_category,
    kept_records, packages_expired}}"""


class RetentionRunList(Output):
    items: list[RetentionRunOut]


@router.post("/retention/runs", status_code=201, response_model=RetentionRunOut)
async def start_run(body: RetentionRunIn, caller: Caller = Administer) -> RetentionRunOut:
    operator_id, username = caller.operator.id, caller.operator.username
    # The run works in short transactions of its own; on SQLite this request's transaction holds
    # the write lock since the sign-in check, so it ends first.
    await caller.session.commit()
    try:
        run = await rules.run_retention(database(caller.request), dry_run=body.dry_run, trigger="operator",
                                        operator_id=operator_id, operator_username=username,
                                        client_address=caller.client_address)  # fmt: skip
    except rules.RetentionRunning as exc:
        raise RetentionRunningProblem(f"Run {exc.run_id} has not finished yet; try again when it has.") from None
    return RetentionRunOut.model_validate(run)


@router.get("/retention/runs", response_model=RetentionRunList)
async def list_runs(
    caller: Caller = HandlePrivacy, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> RetentionRunList:
    rows = await caller.session.execute(
        select(RetentionRun).order_by(RetentionRun.started_at.desc(), RetentionRun.id).limit(limit)
    )
    return RetentionRunList(items=[RetentionRunOut.model_validate(r) for r in rows.scalars()])


# --- legal holds --------------------------------------------------------------------------------


class LegalHoldIn(Body):
    customer_id: Id | None = None
    ticket_id: Id | None = None
    """Exactly one of customer_id and ticket_id."""
    reason: Reason
    reference: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    """The proceedings: case number, authority, court."""


class LegalHoldLiftIn(Body):
    reason: Reason


class LegalHoldOut(Output):
    id: str
    customer_id: str | None
    ticket_id: str | None
    reason: str
    reference: str | None
    placed_at: UtcDateTime
    placed_by_id: str | None
    lifted_at: UtcDateTime | None
    lifted_by_id: str | None
    lift_reason: str | None
    version: int


class LegalHoldList(Output):
    items: list[LegalHoldOut]


class RetentionRunningProblem(Conflict):
    code, title = "retention_run_in_progress", "A retention run is already under way"


class HoldAlreadyLiftedProblem(Conflict):
    code, title = "hold_already_lifted", "This legal hold was already lifted"


@router.get("/legal-holds", response_model=LegalHoldList)
async def list_legal_holds(
    caller: Caller = HandlePrivacy, customer_id: IdQuery = None, ticket_id: IdQuery = None, active: bool | None = None
) -> LegalHoldList:
    found = await holds.list_holds(caller.session, customer_id=customer_id, ticket_id=ticket_id, active=active)
    # A hold says a customer is in proceedings: who looked at which holds is recorded.
    await caller.audit("legal_hold.list", "legal_hold", None,
                       {"ids": [h.id for h in found], "filters": [name for name, value in (
                           ("customer_id", customer_id), ("ticket_id", ticket_id), ("active", active))
                           if value is not None]},
                       subject_id=customer_id)  # fmt: skip
    await caller.session.commit()
    return LegalHoldList(items=[LegalHoldOut.model_validate(h) for h in found])


@router.post("/legal-holds", status_code=201, response_model=LegalHoldOut)
async def place_legal_hold(body: LegalHoldIn, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        try:
            hold = await holds.place_hold(caller.session, customer_id=body.customer_id, ticket_id=body.ticket_id,
                                          reason=body.reason, reference=body.reference,
                                          operator_id=caller.operator.id, now=utcnow())  # fmt: skip
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        await caller.audit("legal_hold.place", "legal_hold", hold.id,
                           {"customer_id": hold.customer_id, "ticket_id": hold.ticket_id,
                            "reference_given": hold.reference is not None},
                           subject_id=await holds.subject_of(caller.session, hold))  # fmt: skip
        return 201, LegalHoldOut.model_validate(hold).model_dump(mode="json"), {"ETag": etag(hold.version)}

    return await idempotent(caller, produce)


@router.post("/legal-holds/{hold_id}/lift", response_model=LegalHoldOut)
async def lift_legal_hold(hold_id: str, body: LegalHoldLiftIn, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        hold = await caller.session.get(LegalHold, hold_id) if plausible_id(hold_id) else None
        if hold is None:
            raise NotFound("No legal hold with this id.")
        if "if-match" in caller.request.headers:
            check_if_match(caller.request, hold.version, LegalHoldOut.model_validate(hold).model_dump(mode="json"))
        try:
            await holds.lift_hold(caller.session, hold, reason=body.reason, operator_id=caller.operator.id,
                                  now=utcnow())  # fmt: skip
        except holds.HoldAlreadyLifted:
            raise HoldAlreadyLiftedProblem(f"The hold was lifted on {hold.lifted_at:%Y-%m-%d}.") from None
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        await caller.audit("legal_hold.lift", "legal_hold", hold.id, {"customer_id": hold.customer_id,
                                                                       "ticket_id": hold.ticket_id},
                           subject_id=await holds.subject_of(caller.session, hold))  # fmt: skip
        return 200, LegalHoldOut.model_validate(hold).model_dump(mode="json"), {"ETag": etag(hold.version)}

    return await idempotent(caller, produce)
