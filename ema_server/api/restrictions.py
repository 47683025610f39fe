"""Art. 18 restriction of a customer's data: placing it, recording that the subject was told it
will be lifted, lifting it, and its history (issue 7). Privacy officers and administrators only.

The rules live in ema_server.privacy.restriction; every step is audited against the customer
(`subject_id`), with ids and codes only: the reasons are free text and stay in the rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import Field

from ema_server.api.context import Caller, idempotent, requires
from ema_server.api.problems import Conflict, NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import MAX_TEXT, Body, Id, Moment, UtcDateTime, field_problem, plausible_id
from ema_server.db.events import publish
from ema_server.db.models import Customer, utcnow
from ema_server.db.models.data_protection import Restriction
from ema_server.domain.permissions import Permission
from ema_server.privacy import restriction as rules
from ema_server.tickets import InvalidFields

router = APIRouter(tags=["privacy"])

HandlePrivacy = Annotated[Caller, Depends(requires(Permission.HANDLE_PRIVACY))]
NoticeChannel = Literal["email", "letter", "in_app", "phone"]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class RestrictionOut(Output):
    id: str
    customer_id: str
    ground: str
    request_id: str | None
    reason: str
    placed_at: UtcDateTime
    placed_by_id: str | None
    subject_notified_at: UtcDateTime | None
    lifted_at: UtcDateTime | None
    lifted_by_id: str | None
    lift_reason: str | None


class RestrictionPage(Output):
    items: list[RestrictionOut]


class RestrictionIn(Body):
    reason: Reason
    request_id: Id | None = None


class NoticeIn(Body):
    channel: NoticeChannel
    notified_at: Moment | None = None
    """When the subject was told; default now."""


class LiftIn(Body):
    reason: Reason


class RestrictionConflict(Conflict):
    """A 409 whose code is the rule's (already_restricted, subject_not_told, not_restricted ...)."""

    def __init__(self, refused: rules.RestrictionRefused) -> None:
        super().__init__(str(refused))
        self.code = refused.code


def _json(restriction: Restriction) -> dict[str, Any]:
    return RestrictionOut.model_validate(restriction).model_dump(mode="json")


async def _customer(caller: Caller, customer_id: str) -> Customer:
    customer = await caller.session.get(Customer, customer_id) if plausible_id(customer_id) else None
    if customer is None:
        raise NotFound("No customer with this id.")
    return customer


async def _step(caller: Caller, customer_id: str, action: str, status: int,
                work: Callable[[Customer], Awaitable[Restriction]]) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer(caller, customer_id)
        try:
            restriction = await work(customer)
        except rules.RestrictionRefused as refused:
            raise RestrictionConflict(refused) from None
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        await caller.audit(action, "customer", customer.id,
                           {"restriction_id": restriction.id, "ground": restriction.ground,
                            "request_id": restriction.request_id}, subject_id=customer.id)  # fmt: skip
        # Scope "privacy": that the customer changed now concerns privacy officers only.
        publish(caller.session, "customer.updated", {"id": customer.id, "version": customer.version}, scope="privacy")
        return status, _json(restriction), {}

    return await idempotent(caller, produce)


@router.post("/customers/{customer_id}/restriction", status_code=201, response_model=RestrictionOut,
             summary="Restrict a customer's data (Art. 18)")  # fmt: skip
async def place(customer_id: str, body: RestrictionIn, caller: HandlePrivacy) -> Response:
    """From now on the customer and everything of it is hidden from every role without privacy
    handling; 409 `already_restricted`. With `request_id` (an open request of this customer) the
    request gets a history entry and counts as the restriction asked for."""

    async def work(customer: Customer) -> Restriction:
        return await rules.place_restriction(caller.session, customer, reason=body.reason, request_id=body.request_id,
                                             by_id=caller.operator.id, now=utcnow())  # fmt: skip

    return await _step(caller, customer_id, "restriction.place", 201, work)


@router.post("/customers/{customer_id}/restriction/notice", response_model=RestrictionOut,
             summary="Record that the subject was told of the lifting (Art. 18(3))")  # fmt: skip
async def notice(customer_id: str, body: NoticeIn, caller: HandlePrivacy) -> Response:
    async def work(customer: Customer) -> Restriction:
        now = utcnow()
        return await rules.record_lift_notice(caller.session, customer, notified_at=body.notified_at or now,
                                              channel=body.channel, by_id=caller.operator.id, now=now)  # fmt: skip

    return await _step(caller, customer_id, "restriction.notice", 200, work)


@router.post("/customers/{customer_id}/restriction/lift", response_model=RestrictionOut,
             summary="Lift a customer's restriction")  # fmt: skip
async def lift(customer_id: str, body: LiftIn, caller: HandlePrivacy) -> Response:
    """409 `subject_not_told` until the notice is recorded; 409 `not_restricted`, `kept_by_erasure`."""

    async def work(customer: Customer) -> Restriction:
        return await rules.lift_restriction(caller.session, customer, reason=body.reason, by_id=caller.operator.id,
                                            now=utcnow())  # fmt: skip

    return await _step(caller, customer_id, "restriction.lift", 200, work)


@router.get("/customers/{customer_id}/restrictions", response_model=RestrictionPage,
            summary="Restrictions of a customer, newest first")  # fmt: skip
async def history(customer_id: str, caller: HandlePrivacy) -> RestrictionPage:
    customer = await _customer(caller, customer_id)
    items = await rules.restriction_history(caller.session, customer.id)
    await caller.audit("restriction.read", "customer", customer.id, {"count": len(items)}, subject_id=customer.id)
    await caller.session.commit()
    return RestrictionPage(items=[RestrictionOut.model_validate(r) for r in items])
