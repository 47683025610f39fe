"""Consent, the marketing audience, and recipients of customers' data with their notices (issue 7).

- Consent per purpose with its history: read by every role that views customers, recorded by
  those who edit customer contacts (a hotline operator takes a withdrawal on the phone). A
  restricted customer stays invisible (404) to roles without Permission.HANDLE_PRIVACY.
- The marketing audience (Permission.ADMINISTER): the list a mailing tool may be given, from
  current consents only.
- Recipients (Art. 19) and the notices of a request (Permission.HANDLE_PRIVACY).

The rules live in ema_server/privacy/consent.py and ema_server/privacy/recipients.py; every read
or change of a customer's data is audited with the customer as subject.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import Conflict, NotFound
from ema_server.api.schemas import Output
from ema_server.api.tickets import (
    MAX_TEXT,
    Body,
    Id,
    InvalidTransition,
    Moment,
    UtcDateTime,
    field_problem,
    plausible_id,
)
from ema_server.db.events import publish
from ema_server.db.models import Customer, PrivacyRequest, utcnow
from ema_server.db.models.data_protection import (
    CONSENT_SOURCES,
    NOTICE_ACTIONS,
    DataRecipient,
    RecipientNotice,
)
from ema_server.db.models.privacy import CONSENT_PURPOSES
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.permissions import Permission
from ema_server.privacy import consent as consents
from ema_server.privacy import recipients as ledger
from ema_server.tickets import InvalidFields

router = APIRouter(tags=["privacy"])

Viewer = Depends(requires(Permission.VIEW_CUSTOMERS))
Editor = Depends(requires(Permission.EDIT_CUSTOMER_CONTACTS))
Administrator = Depends(requires(Permission.ADMINISTER))
HandlePrivacy = Depends(requires(Permission.HANDLE_PRIVACY))

Purpose = Literal["marketing_email", "marketing_push", "analytics", "location", "camera"]
Source = Literal["app", "web", "phone", "paper", "email", "privacy_request"]
NoticeAction = Literal["rectification", "erasure", "restriction"]
NoticeTarget = Literal["notified", "acknowledged", "exempted"]
assert set(get_args(Purpose)) == set(CONSENT_PURPOSES)
assert set(get_args(Source)) == set(CONSENT_SOURCES)
assert set(get_args(NoticeAction)) == set(NOTICE_ACTIONS)
MAILING_DATA = ("contact", "preferences")
"""What a marketing list hands the mailing tool about each customer."""


class CustomerErased(Conflict):
    code, title = "customer_erased", "The customer's data was erased"


class NoSubject(Conflict):
    code, title = "no_subject", "The request names no customer"


# --- bodies and answers -----------------------------------------------------------------------------


class ConsentIn(Body):
    purpose: Purpose
    granted: bool
    source: Source
    """Where the subject gave or withdrew it (a call: phone; a privacy request: privacy_request)."""
    request_id: Id | None = None
    """The consent-withdrawal or objection request this withdrawal answers."""


class ConsentStateOut(Output):
    purpose: str
    granted: bool
    since: UtcDateTime
    source: str


class ConsentEventOut(Output):
    id: str
    purpose: str
    granted: bool
    at: UtcDateTime
    source: str
    recorded_by_id: str | None
    request_id: str | None


class ConsentsOut(Output):
    current: list[ConsentStateOut]
    """One per purpose the customer was ever asked about."""
    history: list[ConsentEventOut]
    """Every grant and withdrawal, oldest first."""


class AudienceMemberOut(Output):
    customer_id: str
    customer_number: str
    name: str
    email: str | None
    """Channel email only."""
    account_ids: list[str]
    """Channel push only: the customer's active app accounts."""


class AudienceOut(Output):
    channel: str
    total: int
    limit: int
    offset: int
    items: list[AudienceMemberOut]


class RecipientOut(Output):
    id: str
    name: str
    category: str
    country: str
    purpose: str
    contact: str | None
    active: bool


class RecipientPage(Output):
    items: list[RecipientOut]


class DisclosureOut(Output):
    recipient: RecipientOut
    data_categories: list[str]
    first_at: UtcDateTime
    last_at: UtcDateTime


class DisclosurePage(Output):
    items: list[DisclosureOut]


class NoticeOut(Output):
    id: str
    request_id: str
    recipient: RecipientOut
    action: str
    state: str
    justification: str | None
    notified_at: UtcDateTime | None
    acknowledged_at: UtcDateTime | None
    updated_at: UtcDateTime
    version: int


class NoticePage(Output):
    items: list[NoticeOut]


class NoticesIn(Body):
    action: NoticeAction


class NoticePatch(Body):
    state: NoticeTarget
    justification: Annotated[str | None, Field(min_length=1, max_length=MAX_TEXT)] = None
    """Required for exempted: why telling this recipient is impossible or disproportionate."""
    at: Moment | None = None
    """When they were notified or acknowledged (default now; not in the future)."""


def _notice_out(notice: RecipientNotice, recipient: DataRecipient) -> NoticeOut:
    return NoticeOut(id=notice.id, request_id=notice.request_id, recipient=RecipientOut.model_validate(recipient),
                     action=notice.action, state=notice.state, justification=notice.justification,
                     notified_at=notice.notified_at, acknowledged_at=notice.acknowledged_at,
                     updated_at=notice.updated_at, version=notice.version)  # fmt: skip


def _publish_request(session: AsyncSession, request: PrivacyRequest) -> None:
    """The request's history grew a step: consoles showing it refresh (as for the workflow steps)."""
    publish(session, "privacy_request.updated", {"id": request.id, "number": request.number,
                                                 "version": request.version, "state": request.state,
                                                 "right": request.right, "handler_id": request.handler_id},
            scope="privacy")  # fmt: skip


# --- lookups ------------------------------------------------------------------------------------


async def _customer_or_404(caller: Caller, customer_id: str) -> Customer:
    """The customer if the caller may see it: a restricted one only with Permission.HANDLE_PRIVACY
    (anyone else is told it does not exist, as everywhere else)."""
    customer = await caller.session.get(Customer, customer_id) if plausible_id(customer_id) else None
    if customer is None or (customer.restricted_at is not None and not caller.can(Permission.HANDLE_PRIVACY)):
        raise NotFound("No customer with this id.")
    return customer


async def _request_or_404(caller: Caller, request_id: str) -> PrivacyRequest:
    request = await caller.session.get(PrivacyRequest, request_id) if plausible_id(request_id) else None
    if request is None:
        raise NotFound("No privacy request with this id.")
    return request


async def _consents_out(caller: Caller, customer_id: str) -> ConsentsOut:
    found = await consents.consent_history(caller.session, customer_id)
    return ConsentsOut(
        current=[ConsentStateOut.model_validate(state) for state in found.current],
        history=[ConsentEventOut.model_validate(event) for event in found.history],
    )


# --- consent ------------------------------------------------------------------------------------


@router.get("/customers/{customer_id}/consents", response_model=ConsentsOut)
async def get_consents(customer_id: str, caller: Caller = Viewer) -> ConsentsOut:
    customer = await _customer_or_404(caller, customer_id)
    out = await _consents_out(caller, customer.id)
    await caller.audit("customer.consents_read", "customer", customer.id, subject_id=customer.id)
    await caller.session.commit()
    return out


@router.post("/customers/{customer_id}/consents", response_model=ConsentsOut)
async def record_consent(customer_id: str, body: ConsentIn, caller: Caller = Editor) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        # Customer and consent rows are versioned: hold the ordering lock before reading them.
        await session.run_sync(lambda s: take_ordering_lock(s.connection()))
        customer = await _customer_or_404(caller, customer_id)
        try:
            event = await consents.record_consent(session, customer.id, body.purpose, body.granted, body.source,
                                                  caller.operator.id, body.request_id, utcnow())  # fmt: skip
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        except consents.ConsentRefused as exc:
            raise CustomerErased(str(exc)) from None
        if event is not None:
            publish(session, "customer.updated", {"id": customer.id, "version": customer.version})
        if event is not None and body.request_id is not None:
            request = await session.get(PrivacyRequest, body.request_id)
            if request is not None:
                _publish_request(session, request)
        await caller.audit("customer.consent_change", "customer", customer.id,
                           {"purpose": body.purpose, "granted": body.granted, "changed": event is not None,
                            "event_id": event.id if event else None, "request_id": body.request_id},
                           subject_id=customer.id)  # fmt: skip
        return 200, (await _consents_out(caller, customer.id)).model_dump(mode="json"), {}

    return await idempotent(caller, produce)


@router.get("/marketing/audience", response_model=AudienceOut)
async def marketing_audience(
    channel: Literal["email", "push"],
    caller: Caller = Administrator,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> AudienceOut:
    session = caller.session
    # The list goes to the mailing tool: the disclosure ledger is written in the same transaction.
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    total, members = await consents.marketing_audience(session, channel, limit, offset)
    await ledger.note_disclosures(session, "mailing_tool", [m.customer_id for m in members], MAILING_DATA, utcnow())
    out = AudienceOut(channel=channel, total=total, limit=limit, offset=offset,
                      items=[AudienceMemberOut.model_validate(m) for m in members])  # fmt: skip
    # Hands contact data of many customers out: which ones is recorded, not their data.
    shown = [m.customer_id for m in members]
    await caller.audit("marketing.audience", None, None,
                       {"channel": channel, "total": total, "offset": offset, "customer_ids": shown})
    await session.commit()
    return out


# --- recipients ---------------------------------------------------------------------------------


@router.get("/recipients", response_model=RecipientPage)
async def list_recipients(caller: Caller = HandlePrivacy) -> RecipientPage:
    recipients = await ledger.ensure_default_recipients(caller.session)
    await caller.session.commit()
    return RecipientPage(items=[RecipientOut.model_validate(r) for r in recipients])


@router.get("/customers/{customer_id}/recipients", response_model=DisclosurePage)
async def customer_recipients(customer_id: str, caller: Caller = HandlePrivacy) -> DisclosurePage:
    customer = await _customer_or_404(caller, customer_id)
    found = await ledger.customer_disclosures(caller.session, customer.id)
    page = DisclosurePage(items=[
        DisclosureOut(recipient=RecipientOut.model_validate(recipient), data_categories=disclosure.data_categories,
                      first_at=disclosure.first_at, last_at=disclosure.last_at)
        for disclosure, recipient in found
    ])  # fmt: skip
    await caller.audit("customer.recipients_read", "customer", customer.id, {"count": len(found)},
                       subject_id=customer.id)  # fmt: skip
    await caller.session.commit()
    return page


@router.get("/privacy-requests/{request_id}/recipient-notices", response_model=NoticePage)
async def list_notices(request_id: str, caller: Caller = HandlePrivacy) -> NoticePage:
    request = await _request_or_404(caller, request_id)
    found = await ledger.request_notices(caller.session, request.id)
    await caller.audit("privacy_request.notices_read", "privacy_request", request.id, {"count": len(found)},
                       subject_id=request.customer_id)  # fmt: skip
    await caller.session.commit()
    return NoticePage(items=[_notice_out(n, r) for n, r in found])


@router.post("/privacy-requests/{request_id}/recipient-notices", response_model=NoticePage)
async def open_notices(request_id: str, body: NoticesIn, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        await session.run_sync(lambda s: take_ordering_lock(s.connection()))
        request = await _request_or_404(caller, request_id)
        try:
            found = await ledger.open_notices(session, request, body.action, caller.operator.id, utcnow())
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        except ledger.NoticeRefused as exc:
            raise NoSubject(str(exc)) from None
        _publish_request(session, request)
        await caller.audit("privacy_request.notices_open", "privacy_request", request.id,
                           {"action": body.action, "notice_ids": [n.id for n, _r in found]},
                           subject_id=request.customer_id)  # fmt: skip
        return 200, NoticePage(items=[_notice_out(n, r) for n, r in found]).model_dump(mode="json"), {}

    return await idempotent(caller, produce)


@router.patch("/recipient-notices/{notice_id}", response_model=NoticeOut)
async def change_notice(notice_id: str, body: NoticePatch, caller: Caller = HandlePrivacy) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        await session.run_sync(lambda s: take_ordering_lock(s.connection()))
        notice = None
        if plausible_id(notice_id):
            notice = await session.get(RecipientNotice, notice_id, populate_existing=True)
        if notice is None:
            raise NotFound("No recipient notice with this id.")
        recipient = await session.get(DataRecipient, notice.recipient_id)
        request = await session.get(PrivacyRequest, notice.request_id)
        assert recipient is not None and request is not None  # both are required foreign keys
        # Checked here, after a replay had its chance: a resent change carries the old version.
        check_if_match(caller.request, notice.version, _notice_out(notice, recipient).model_dump(mode="json"))
        previous = notice.state
        try:
            changed = await ledger.change_notice(session, notice, body.state, body.justification, caller.operator.id,
                                                 body.at, utcnow())  # fmt: skip
        except InvalidFields as exc:
            raise field_problem(exc.errors) from None
        except ledger.NoticeRefused as exc:
            raise InvalidTransition(str(exc), extra={"current_state": previous, "allowed": list(exc.allowed)}) from None
        if changed:
            await caller.audit("recipient_notice.update", "recipient_notice", notice.id,
                               {"request_id": notice.request_id, "recipient_id": notice.recipient_id,
                                "from": previous, "to": notice.state}, subject_id=request.customer_id)  # fmt: skip
        return 200, _notice_out(notice, recipient).model_dump(mode="json"), {"ETag": etag(notice.version)}

    return await idempotent(caller, produce)
