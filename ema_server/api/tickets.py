"""Tickets API: the queue with deadlines, one ticket with its history, creating and changing
tickets, comments (public replies and internal notes) and attachments.

Every endpoint needs Permission.WORK_TICKETS, which every role holds. The rules themselves
(numbering, deadlines, states, history) live in ema_server/tickets.py; the deadline and warning
policy is described there. The privacy-requests API shares the body and time types defined here.

Tickets about a customer whose data is restricted (Art. 18), or about a device of one, do not
exist for callers without privacy handling (ema_server.privacy.visibility): left out of the
queue, 404 otherwise, and such a customer or device cannot be put on a ticket by them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar, get_args

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator, AwareDatetime, Field, PlainSerializer, WithJsonSchema
from sqlalchemy import ColumnElement, func, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute
from starlette.datastructures import UploadFile

from ema_server import tickets as rules
from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import Conflict, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from ema_server.api.schemas import Input, Output
from ema_server.attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentTooLarge,
    EmptyAttachment,
    UnsupportedAttachmentType,
    check_attachment,
    content_disposition,
)
from ema_server.db.events import publish
from ema_server.db.models import Attachment, AttachmentContent, Customer, Device, Operator, Ticket, TicketEntry, utcnow
from ema_server.db.models.base import json_value
from ema_server.db.models.tickets import TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATES
from ema_server.domain.deadlines import WarningLevel
from ema_server.domain.permissions import Permission
from ema_server.domain.text import MAX_SEARCH_TERMS
from ema_server.privacy.visibility import customer_hidden, ticket_hidden, ticket_visible_condition

router = APIRouter(tags=["tickets"])

WorkTickets = Depends(requires(Permission.WORK_TICKETS))

TicketKind = Literal["fault", "complaint", "service_request", "service_event", "question"]
TicketPriority = Literal["low", "normal", "high", "critical"]
TicketState = Literal["new", "open", "in_progress", "waiting_customer", "resolved", "closed"]
assert set(get_args(TicketKind)) == set(TICKET_KINDS)
assert set(get_args(TicketPriority)) == set(TICKET_PRIORITIES)
assert set(get_args(TicketState)) == set(TICKET_STATES)

MAX_TEXT = 20_000
MAX_OFFSET = 1_000_000_000
Id = Annotated[str, Field(min_length=1, max_length=36)]
# PostgreSQL text cannot hold NUL characters; refused up front instead of failing in the driver.
NO_NUL = r"^[^\x00]*$"
IdQuery = Annotated[str | None, Query(max_length=36, pattern=NO_NUL)]
MIN_YEAR, MAX_YEAR = 2000, 2100


def _plausible_moment(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range") from None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
    return utc


Moment = Annotated[AwareDatetime, AfterValidator(_plausible_moment)]
"""A point in time with its offset, within years a deadline can sensibly be counted in."""

UtcDateTime = Annotated[
    datetime,
    PlainSerializer(json_value, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""Always sent as ISO 8601 UTC with `Z`, whatever zone the value was computed in."""


# --- problems -----------------------------------------------------------------------------------


class InvalidTransition(Conflict):
    code, title = "invalid_transition", "This state change is not allowed"


class AttachmentTooLargeProblem(PayloadTooLarge):
    code, title = "attachment_too_large", "The attachment is too large"


class UnsupportedAttachmentProblem(UnsupportedMediaType):
    code, title = "unsupported_attachment_type", "This type of file cannot be attached"


def field_problem(errors: list[rules.FieldError]) -> InvalidInput:
    """422 listing every failed field, each with its code; the problem's code is theirs when they share one."""
    problem = InvalidInput(
        "; ".join(f"{e.field}: {e.message}" for e in errors),
        errors=[{"field": e.field, "message": e.message, "code": e.code} for e in errors],
    )
    if len({e.code for e in errors}) == 1:
        problem.code = errors[0].code
    return problem


# --- bodies -------------------------------------------------------------------------------------


class Body(Input):
    """A request body of the tickets and privacy-requests APIs (texts checked by `Input`)."""


class TicketIn(Body):
    kind: TicketKind
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    customer_id: Id | None = None
    device_id: Id | None = None
    connector_no: Annotated[int | None, Field(ge=1, le=99)] = None
    priority: TicketPriority = "normal"
    owner_id: Id | None = None
    complaint_filed_at: Moment | None = None
    """Complaints: when the customer made it (default: now); the legal deadline counts from it."""
    agreed_days: int | None = None
    """Complaints: a longer settlement period agreed with the consumer (30 to 365 days)."""


class TicketPatch(Body):
    title: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    description: Annotated[str | None, Field(max_length=MAX_TEXT)] = None
    priority: TicketPriority | None = None
    state: TicketState | None = None
    owner_id: Id | None = None
    customer_id: Id | None = None
    device_id: Id | None = None


class CommentIn(Body):
    body: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    public: bool = False
    """True for a reply the customer sees; internal note otherwise."""


class TicketListItemOut(Output):
    id: str
    number: str
    kind: str
    title: str
    customer_id: str | None
    device_id: str | None
    connector_no: int | None
    error_code: str | None
    priority: str
    state: str
    owner_id: str | None
    created_by_id: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    first_response_due_at: UtcDateTime
    resolution_due_at: UtcDateTime
    legal_due_at: UtcDateTime | None
    complaint_filed_at: UtcDateTime | None
    complaint_agreed_days: int | None
    first_responded_at: UtcDateTime | None
    resolved_at: UtcDateTime | None
    closed_at: UtcDateTime | None
    version: int
    due_at: UtcDateTime
    """The earliest running deadline (see ema_server/tickets.py)."""
    overdue: bool
    warning: WarningLevel | None
    """Null once resolved or closed."""


class TicketOut(TicketListItemOut):
    description: str


class EntryOut(Output):
    id: str
    at: UtcDateTime
    author_id: str | None
    author_name: str | None
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    body: str | None
    public: bool


class CommentOut(EntryOut):
    ticket_version: int
    """The ticket's version after the comment, for the next If-Match."""


class AttachmentOut(Output):
    id: str
    ticket_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: str | None
    uploaded_at: UtcDateTime


class CustomerSummaryOut(Output):
    id: str
    customer_number: str
    kind: str
    name: str
    company_name: str | None
    email: str | None
    phone: str | None
    status: str


class DeviceSummaryOut(Output):
    id: str
    kind: str
    vendor: str
    model: str
    serial: str
    ocpp_identity: str | None
    status: str


class TicketDetailOut(TicketOut):
    history: list[EntryOut]
    """Oldest first."""
    attachments: list[AttachmentOut]
    customer: CustomerSummaryOut | None
    device: DeviceSummaryOut | None


class TicketPage(Output):
    items: list[TicketListItemOut]
    total: int
    limit: int
    offset: int


# --- helpers ------------------------------------------------------------------------------------


_T = TypeVar("_T", bound=TicketListItemOut)


def _out(model: type[_T], ticket: Ticket, now: datetime, **extra: Any) -> _T:
    values = {name: getattr(ticket, name) for name in model.model_fields if hasattr(ticket, name)}
    values.update(overdue=rules.is_overdue(ticket, now), warning=rules.warning(ticket, now), **extra)
    return model.model_validate(values)


def _ticket_json(ticket: Ticket, now: datetime) -> dict[str, Any]:
    return _out(TicketOut, ticket, now).model_dump(mode="json")


def plausible_id(value: str) -> bool:
    """False for path ids no record can have (and the database could not even compare)."""
    return len(value) <= 36 and "\x00" not in value


async def _ticket_or_404(caller: Caller, ticket_id: str, *, for_update: bool = False) -> Ticket:
    session = caller.session
    ticket = None
    if plausible_id(ticket_id):
        if for_update:
            ticket = await rules.ticket_for_update(session, ticket_id)
        else:
            ticket = await session.get(Ticket, ticket_id)
    if ticket is None or await ticket_hidden(session, caller, ticket):
        raise NotFound("No ticket with this id.")
    return ticket


async def _refuse_hidden_references(caller: Caller, customer_id: str | None, device_id: str | None) -> None:
    """A restricted customer, or a device of one, is "not found" for a caller who may not see it,
    exactly as one that does not exist."""
    session = caller.session
    errors: list[rules.FieldError] = []
    if await customer_hidden(session, caller, customer_id):
        errors.append(rules.FieldError("customer_id", "No customer with this id.", "customer_not_found"))
    if device_id and plausible_id(device_id):
        owner = (await session.execute(select(Device.customer_id).where(Device.id == device_id))).scalar()
        if await customer_hidden(session, caller, owner):
            errors.append(rules.FieldError("device_id", "No device with this id.", "device_not_found"))
    if errors:
        raise field_problem(errors)


def _event(ticket: Ticket) -> dict[str, Any]:
    # Ids, versions and states only: titles and texts can hold personal data.
    return {"id": ticket.id, "number": ticket.number, "version": ticket.version, "state": ticket.state,
            "priority": ticket.priority, "owner_id": ticket.owner_id, "customer_id": ticket.customer_id}


def _entry_out(entry: TicketEntry, author_name: str | None) -> dict[str, Any]:
    return {
        "id": entry.id, "at": entry.at, "author_id": entry.author_id, "author_name": author_name,
        "kind": entry.kind, "field": entry.field, "old_value": entry.old_value, "new_value": entry.new_value,
        "body": entry.body, "public": entry.public,
    }


def _location(caller: Caller, name: str, **params: str) -> str:
    return str(caller.request.url_for(name, **params))


# --- the queue ----------------------------------------------------------------------------------


@router.get("/tickets", response_model=TicketPage)
async def list_tickets(
    caller: Caller = WorkTickets,
    state: Annotated[list[TicketState] | None, Query()] = None,
    kind: Annotated[list[TicketKind] | None, Query()] = None,
    priority: Annotated[list[TicketPriority] | None, Query()] = None,
    owner_id: Annotated[
        str | None, Query(max_length=36, pattern=NO_NUL, description="An operator id, or `me`.")
    ] = None,
    customer_id: IdQuery = None,
    device_id: IdQuery = None,
    overdue: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Words of the number, title or description.")
    ] = None,
    sort: Literal["due_at", "-created_at", "priority"] = "due_at",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> TicketPage:
    now = utcnow()
    conditions: list[ColumnElement[bool]] = [ticket_visible_condition(caller)]
    if state:
        conditions.append(Ticket.state.in_(state))
    if kind:
        conditions.append(Ticket.kind.in_(kind))
    if priority:
        conditions.append(Ticket.priority.in_(priority))
    if owner_id:
        conditions.append(Ticket.owner_id == (caller.operator.id if owner_id == "me" else owner_id))
    if customer_id:
        conditions.append(Ticket.customer_id == customer_id)
    if device_id:
        conditions.append(Ticket.device_id == device_id)
    if overdue is not None:
        condition = rules.overdue_condition(now)
        conditions.append(condition if overdue else not_(condition))
    for term in (q or "").split()[:MAX_SEARCH_TERMS]:
        conditions.append(
            or_(
                Ticket.number.icontains(term, autoescape=True),
                Ticket.title.icontains(term, autoescape=True),
                Ticket.description.icontains(term, autoescape=True),
            )
        )
    session = caller.session
    total = (await session.execute(select(func.count()).select_from(Ticket).where(*conditions))).scalar_one()
    due = rules.due_at_column()
    order: list[ColumnElement[Any] | InstrumentedAttribute[Any]]
    if sort == "-created_at":
        order = [Ticket.created_at.desc(), Ticket.number.desc()]
    elif sort == "priority":
        order = [rules.priority_rank_column(), due, Ticket.number]
    else:
        order = [due, Ticket.number]
    rows = (
        await session.execute(select(Ticket).where(*conditions).order_by(*order).limit(limit).offset(offset))
    ).scalars().all()
    return TicketPage(
        items=[_out(TicketListItemOut, t, now) for t in rows], total=int(total), limit=limit, offset=offset
    )


# --- one ticket ---------------------------------------------------------------------------------


@router.get("/tickets/{ticket_id}", response_model=TicketDetailOut, name="get_ticket")
async def get_ticket(ticket_id: str, response: Response, caller: Caller = WorkTickets) -> TicketDetailOut:
    session = caller.session
    ticket = await _ticket_or_404(caller, ticket_id)
    history = (
        await session.execute(
            select(TicketEntry, Operator.display_name)
            .outerjoin(Operator, Operator.id == TicketEntry.author_id)
            .where(TicketEntry.ticket_id == ticket.id)
            # Entries of one change share their time; the rest keeps the order stable.
            .order_by(TicketEntry.at, TicketEntry.kind, TicketEntry.field, TicketEntry.id)
        )
    ).all()
    attachments = (
        await session.execute(
            select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.uploaded_at, Attachment.id)
        )
    ).scalars().all()
    customer = await session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    device = await session.get(Device, ticket.device_id) if ticket.device_id else None
    out = _out(
        TicketDetailOut,
        ticket,
        utcnow(),
        history=[_entry_out(entry, name) for entry, name in history],
        attachments=[AttachmentOut.model_validate(a) for a in attachments],
        customer=CustomerSummaryOut.model_validate(customer) if customer else None,
        device=DeviceSummaryOut.model_validate(device) if device else None,
    )
    if customer is not None:
        await caller.audit("customer.read", "customer", customer.id, {"via": "ticket", "ticket_id": ticket.id},
                           subject_id=customer.id)
        await session.commit()
    response.headers["ETag"] = etag(out.version)
    return out


@router.post("/tickets", status_code=201, response_model=TicketOut)
async def create_ticket(body: TicketIn, caller: Caller = WorkTickets) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        now = utcnow()
        await _refuse_hidden_references(caller, body.customer_id, body.device_id)
        data = rules.NewTicket(
            kind=body.kind, title=body.title, description=body.description, priority=body.priority,
            customer_id=body.customer_id, device_id=body.device_id, connector_no=body.connector_no,
            owner_id=body.owner_id, complaint_filed_at=body.complaint_filed_at, agreed_days=body.agreed_days,
        )
        try:
            ticket = await rules.create_ticket(caller.session, data, caller.operator.id, now)
        except rules.InvalidFields as exc:
            raise field_problem(exc.errors) from None
        publish(caller.session, "ticket.created", _event(ticket))
        await caller.audit("ticket.create", "ticket", ticket.id, {"kind": ticket.kind, "priority": ticket.priority,
                                                                  "customer_id": ticket.customer_id},
                           subject_id=ticket.customer_id)  # fmt: skip
        headers = {"Location": _location(caller, "get_ticket", ticket_id=ticket.id), "ETag": etag(ticket.version)}
        return 201, _ticket_json(ticket, now), headers

    return await idempotent(caller, produce)


_NOT_NULL = ("title", "description", "priority", "state")


@router.patch("/tickets/{ticket_id}", response_model=TicketOut)
async def update_ticket(ticket_id: str, body: TicketPatch, caller: Caller = WorkTickets) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        now = utcnow()
        ticket = await _ticket_or_404(caller, ticket_id, for_update=True)
        # Checked here, after a replay had its chance: a resent change carries the old version.
        check_if_match(caller.request, ticket.version, _ticket_json(ticket, now))
        changes = {name: getattr(body, name) for name in body.model_fields_set}
        await _refuse_hidden_references(caller, changes.get("customer_id"), changes.get("device_id"))
        nulls = [rules.FieldError(f, "Cannot be null.", "required")
                 for f in _NOT_NULL if f in changes and changes[f] is None]
        if nulls:
            raise field_problem(nulls)
        try:
            changed = await rules.update_ticket(session, ticket, changes, caller.operator.id, now)
        except rules.InvalidTransition as exc:
            allowed = ", ".join(exc.allowed) or "none"
            raise InvalidTransition(
                f"{exc} From '{exc.current}' it may move to: {allowed}.",
                extra={"current_state": exc.current, "allowed": list(exc.allowed)},
            ) from None
        except rules.InvalidFields as exc:
            raise field_problem(exc.errors) from None
        if changed:
            publish(session, "ticket.updated", _event(ticket))
            await caller.audit("ticket.update", "ticket", ticket.id, {"fields": changed}, subject_id=ticket.customer_id)
        return 200, _ticket_json(ticket, now), {"ETag": etag(ticket.version)}

    return await idempotent(caller, produce)


@router.post("/tickets/{ticket_id}/comments", status_code=201, response_model=CommentOut)
async def add_comment(ticket_id: str, body: CommentIn, caller: Caller = WorkTickets) -> Response:
    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        ticket = await _ticket_or_404(caller, ticket_id, for_update=True)
        entry = await rules.add_comment(session, ticket, body.body, body.public, caller.operator.id)
        publish(session, "ticket.updated", _event(ticket))
        await caller.audit("ticket.comment", "ticket", ticket.id, {"entry_id": entry.id, "public": body.public},
                           subject_id=ticket.customer_id)
        out = CommentOut.model_validate(
            {**_entry_out(entry, caller.operator.display_name), "ticket_version": ticket.version}
        )
        return 201, out.model_dump(mode="json"), {"ETag": etag(ticket.version)}

    return await idempotent(caller, produce)


# --- attachments --------------------------------------------------------------------------------

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


async def _read_upload(caller: Caller) -> tuple[bytes, str | None]:
    """The one file sent as form field `file`, read to at most one byte past the limit."""
    form = await caller.request.form(max_files=1, max_fields=8)
    try:
        unknown = sorted(set(form.keys()) - {"file"})
        if unknown:
            raise field_problem([rules.FieldError(k, "unknown field", "unknown_field") for k in unknown])
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise field_problem([rules.FieldError("file", "Send the file as multipart field 'file'.", "required")])
        return await upload.read(MAX_ATTACHMENT_BYTES + 1), upload.filename
    finally:
        await form.close()


@router.post(
    "/tickets/{ticket_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    openapi_extra=_UPLOAD_BODY,
    responses={413: {"description": "attachment_too_large"}, 415: {"description": "unsupported_attachment_type"}},
)
async def upload_attachment(ticket_id: str, caller: Caller = WorkTickets) -> Response:
    data, filename = await _read_upload(caller)

    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        try:
            checked = check_attachment(data, filename)
        except AttachmentTooLarge as exc:
            raise AttachmentTooLargeProblem(str(exc)) from None
        except UnsupportedAttachmentType as exc:
            raise UnsupportedAttachmentProblem(str(exc)) from None
        except EmptyAttachment as exc:
            raise field_problem([rules.FieldError("file", str(exc), "empty_attachment")]) from None
        # The file is checked before the ticket is locked, so the lock is not held while parsing.
        ticket = await _ticket_or_404(caller, ticket_id, for_update=True)
        attachment = await rules.add_attachment(session, ticket, checked, data, caller.operator.id)
        publish(session, "ticket.updated", _event(ticket))
        await caller.audit("ticket.attachment_add", "ticket", ticket.id,
                           {"attachment_id": attachment.id, "content_type": checked.content_type,
                            "size": checked.size}, subject_id=ticket.customer_id)
        location = _location(caller, "download_attachment", ticket_id=ticket.id, attachment_id=attachment.id)
        return 201, AttachmentOut.model_validate(attachment).model_dump(mode="json"), {"Location": location}

    # The same file under the same name is the same upload, whatever multipart boundary carried it.
    return await idempotent(caller, produce, content=(filename or "").encode() + b"\0" + data)


@router.get(
    "/tickets/{ticket_id}/attachments/{attachment_id}",
    name="download_attachment",
    response_class=Response,
    responses={200: {"description": "The file, with its stored content type.",
                     "content": {t: {} for t in ("image/jpeg", "image/png", "application/pdf", "text/plain")}}},
)
async def download_attachment(ticket_id: str, attachment_id: str, caller: Caller = WorkTickets) -> Response:
    if not (plausible_id(ticket_id) and plausible_id(attachment_id)):
        raise NotFound("No such attachment on this ticket.")
    row = (
        await caller.session.execute(
            select(Attachment, AttachmentContent.content)
            .join(AttachmentContent, AttachmentContent.attachment_id == Attachment.id)
            .where(Attachment.id == attachment_id, Attachment.ticket_id == ticket_id)
        )
    ).first()
    ticket = await caller.session.get(Ticket, ticket_id) if row is not None else None
    if row is None or ticket is None or await ticket_hidden(caller.session, caller, ticket):
        raise NotFound("No such attachment on this ticket.")
    attachment, content = row
    # Photos and documents of a customer's ticket can show personal data: record who fetched them.
    await caller.audit("ticket.attachment_read", "ticket", ticket_id, {"attachment_id": attachment.id},
                       subject_id=ticket.customer_id)
    await caller.session.commit()
    return Response(
        content,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "ETag": f'"{attachment.sha256}"',
        },
    )

