"""Erasure API (GDPR Art. 17): the plan of an erasure request, executing it once confirmed, and
the executed erasure with its report, verification and letters to the subject.

Every endpoint needs Permission.HANDLE_PRIVACY. Executing is naturally idempotent: a second
POST answers 200 with the erasure already executed and changes nothing. The rules live in
ema_server/privacy/erasure_plan.py and erasure.py.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server import privacy_requests as rules
from ema_server.api.context import Caller, requires
from ema_server.api.problems import Conflict, InvalidInput, NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import Body, UtcDateTime, plausible_id
from ema_server.db.events import publish
from ema_server.db.models import Erasure, PrivacyRequest, utcnow
from ema_server.domain.permissions import Permission
from ema_server.privacy.erasure import ErasureRefused, erasure_counts, execute_erasure
from ema_server.privacy.erasure_ledger import ErasureLedger
from ema_server.privacy.erasure_plan import build_plan

router = APIRouter(tags=["privacy"])

HandlePrivacy = Depends(requires(Permission.HANDLE_PRIVACY))


class ErasureIn(Body):
    confirm_customer: Annotated[str, Field(min_length=1, max_length=200)]
    """The customer number or the customer's full name, exactly as the plan shows it."""
    plan_hash: Annotated[str, Field(min_length=64, max_length=64)]
    """The `plan_hash` of the plan the officer read: a plan changed since is refused (409)."""


class CustomerRef(Output):
    id: str
    customer_number: str | None
    name: str | None


class BlockerOut(Output):
    code: str
    message: str


class PlanItemOut(Output):
    category: str
    label_en: str
    label_cs: str
    entity: str
    count: int
    action: Literal["delete", "anonymise", "keep"]
    basis: Literal["accounting", "vat", "legal_claims", "legal_hold", "contract", "accountability"] | None
    legal_reference: str | None
    keep_until: date | None
    """Null for a keep while a legal hold lasts or a contract has no end date."""


class ErasurePlanOut(Output):
    request_id: str
    customer: CustomerRef | None
    plan_hash: str
    blockers: list[BlockerOut]
    """Why the erasure cannot run now; empty when it can."""
    items: list[PlanItemOut]


class ReportLineOut(Output):
    category: str
    label_en: str
    label_cs: str
    count: int
    basis: str | None = None
    legal_reference: str | None = None
    keep_until: date | None = None


class RecipientLineOut(Output):
    name: str
    category: str
    action: str
    state: str


class ErasureReportOut(Output):
    erased: list[ReportLineOut]
    anonymised: list[ReportLineOut]
    kept: list[ReportLineOut]
    recipients: list[RecipientLineOut]


class CheckOut(Output):
    identifier_kind: str
    resolves: bool


class VerificationOut(Output):
    ok: bool
    checks: list[CheckOut]


class ErasureOut(Output):
    id: str
    request_id: str
    customer_id: str
    executed_at: UtcDateTime
    executed_by_id: str | None
    report: ErasureReportOut
    verification: VerificationOut
    letter_cs: str
    letter_en: str


class ErasureBlocked(Conflict):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.title = code, "The erasure cannot run"


class ConfirmationMismatch(InvalidInput):
    code, title = "confirmation_mismatch", "The confirmation does not name the customer"


async def _request_or_404(session: AsyncSession, request_id: str, *, for_update: bool = False) -> PrivacyRequest:
    request = None
    if plausible_id(request_id):
        if for_update:
            request = await rules.request_for_update(session, request_id)
        else:
            request = await session.get(PrivacyRequest, request_id)
    if request is None:
        raise NotFound("No privacy request with this id.")
    return request


def _out(erasure: Erasure) -> dict[str, Any]:
    return ErasureOut.model_validate(erasure).model_dump(mode="json")


@router.get("/privacy-requests/{request_id}/erasure-plan", response_model=ErasurePlanOut)
async def get_plan(request_id: str, caller: Caller = HandlePrivacy) -> ErasurePlanOut:
    session = caller.session
    request = await _request_or_404(session, request_id)
    plan = await build_plan(session, request, utcnow())
    out = ErasurePlanOut.model_validate(plan.as_json())
    await caller.audit("privacy_request.erasure_plan", "privacy_request", request.id,
                       {"records": len(plan.records), "blockers": [b.code for b in plan.blockers]},
                       subject_id=plan.customer_id)  # fmt: skip
    await session.commit()
    return out


@router.get("/privacy-requests/{request_id}/erasure", response_model=ErasureOut)
async def get_erasure(request_id: str, caller: Caller = HandlePrivacy) -> JSONResponse:
    session = caller.session
    request = await _request_or_404(session, request_id)
    erasure = (await session.execute(select(Erasure).where(Erasure.request_id == request.id))).scalar_one_or_none()
    if erasure is None:
        raise NotFound("This request has no executed erasure.")
    body = _out(erasure)
    await caller.audit("privacy_request.erasure_read", "erasure", erasure.id, subject_id=erasure.customer_id)
    await session.commit()
    return JSONResponse(body)


@router.post("/privacy-requests/{request_id}/erasure", status_code=201, response_model=ErasureOut,
             responses={200: {"model": ErasureOut, "description": "Executed before: the same erasure, unchanged."}})
async def execute(request_id: str, body: ErasureIn, caller: Caller = HandlePrivacy) -> JSONResponse:
    session = caller.session
    request = await _request_or_404(session, request_id, for_update=True)
    ledger = ErasureLedger()
    try:
        executed = await execute_erasure(session, request, confirm_customer=body.confirm_customer,
                                         plan_hash=body.plan_hash, operator_id=caller.operator.id, ledger=ledger)
    except ErasureRefused as exc:
        if exc.code == "confirmation_mismatch":
            raise ConfirmationMismatch(exc.message, errors=[
                {"field": "confirm_customer", "message": exc.message, "code": exc.code}]) from None
        raise ErasureBlocked(exc.code, exc.message) from None
    erasure = executed.erasure
    out = _out(erasure)
    if not executed.created:
        await caller.audit("privacy_request.erasure_read", "erasure", erasure.id, subject_id=erasure.customer_id)
        await session.commit()
        return JSONResponse(out, status_code=200)
    try:
        publish(session, "privacy_request.updated", {"id": request.id, "number": request.number,
                                                     "version": request.version, "state": request.state,
                                                     "right": request.right, "handler_id": request.handler_id},
                scope="privacy")  # fmt: skip
        await caller.audit("privacy_request.erasure", "privacy_request", request.id,
                           {"erasure_id": erasure.id, **erasure_counts(erasure),
                            "verified": bool(erasure.verification.get("ok")),
                            "ledger_seq": executed.ledger_entry["seq"] if executed.ledger_entry else None},
                           subject_id=erasure.customer_id)  # fmt: skip
        await session.commit()
    except BaseException:
        # The ledger already holds the entry (written before the commit): mark it as never applied.
        if executed.ledger_entry is not None:
            # Synchronous: this also runs when the request was cancelled, where awaiting is not possible.
            ledger.append_abort(executed.ledger_entry["seq"], "transaction not committed")
        raise
    return JSONResponse(out, status_code=201)
