"""Customers API: search, the customer card with everything hanging off it, creating customers,
editing contact data, restricting or blocking accounts, and the customer's contact persons.

Every read of a customer's personal data leaves an audit record naming the customers shown, never
what was searched for (a query is often a phone number or a name).

A customer whose data is restricted (Art. 18) does not exist for callers without privacy handling
(ema_server.privacy.visibility): absent from searches, 404 everywhere else. Privacy officers see
it with `restricted_at` set, and may link a correction to the rectification request it answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from ema_server.api.context import Caller, check_if_match, etag, idempotent, requires
from ema_server.api.problems import Conflict, FieldInvalid, InvalidInput, NotFound, StaleVersion
from ema_server.api.schemas import UNSTORABLE, Input, Output
from ema_server.customers import (
    FieldErrors,
    check_customer,
    clean_contact_values,
    next_customer_number,
    record_rectification,
    rectification_request,
)
from ema_server.db.events import publish
from ema_server.db.models import (
    AccountLogin,
    Connector,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Device,
    Document,
    PrivacyRequest,
    RfidCard,
    Site,
    Ticket,
    utcnow,
)
from ema_server.domain.permissions import Permission
from ema_server.domain.text import search_terms
from ema_server.privacy.consent import MARKETING_FLAGS, record_marketing_flags
from ema_server.privacy.visibility import customer_visible_condition, sees_restricted
from ema_server.search import (
    customer_search_clause,
    customer_search_order,
    customer_search_text,
    refresh_customer_search_text,
)

router = APIRouter(prefix="/customers", tags=["customers"])

Viewer = Annotated[Caller, Depends(requires(Permission.VIEW_CUSTOMERS))]
Editor = Annotated[Caller, Depends(requires(Permission.EDIT_CUSTOMER_CONTACTS))]
Restrictor = Annotated[Caller, Depends(requires(Permission.RESTRICT_CUSTOMERS))]

CustomerKind = Literal["consumer", "business", "municipality", "institution"]
CustomerStatus = Literal["active", "restricted", "blocked", "closed"]
ContactRole = Literal["general", "billing", "technical"]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]

DETAIL_TICKETS = 50
DETAIL_LOGINS = 20
# Fields whose change alters what the customer is found by.
SEARCHED_FIELDS = frozenset({"name", "company_name", "email", "phone", "ico", "dic"})


# --- responses --------------------------------------------------------------------------------


class CustomerSummaryOut(Output):
    id: str
    customer_number: str
    kind: str
    name: str
    company_name: str | None
    ico: str | None
    email: str | None
    phone: str | None
    status: str
    region: str | None
    version: int
    restricted_at: datetime | None
    """Set while the customer's data is restricted (Art. 18): only privacy officers see such customers."""
    erased_at: datetime | None


class CustomerPage(Output):
    items: list[CustomerSummaryOut]
    total: int
    limit: int
    offset: int


class CustomerOut(Output):
    id: str
    customer_number: str
    kind: str
    name: str
    company_name: str | None
    ico: str | None
    dic: str | None
    email: str | None
    phone: str | None
    language: str
    birth_date: date | None
    billing_street: str | None
    billing_city: str | None
    billing_postal_code: str | None
    billing_country: str
    delivery_street: str | None
    delivery_city: str | None
    delivery_postal_code: str | None
    region: str | None
    status: str
    marketing_email: bool
    marketing_push: bool
    version: int
    created_at: datetime
    updated_at: datetime
    restricted_at: datetime | None
    erased_at: datetime | None


class ContactOut(Output):
    id: str
    customer_id: str
    name: str
    role: str
    email: str | None
    phone: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ContractOut(Output):
    id: str
    number: str
    service: str
    price_czk: int
    billing_period: str
    starts_on: date
    ends_on: date | None
    status: str
    version: int


class SiteOut(Output):
    id: str
    name: str
    street: str
    city: str
    postal_code: str
    district: str
    region: str
    latitude: float
    longitude: float
    version: int


class ConnectorOut(Output):
    id: str
    connector_no: int
    standard: str
    max_power_kw: float
    status: str
    error_code: str | None
    version: int


class DeviceOut(Output):
    id: str
    site_id: str | None
    kind: str
    vendor: str
    model: str
    serial: str
    firmware: str | None
    ocpp_identity: str | None
    ocpp_version: str | None
    iccid: str | None
    region: str | None
    status: str
    error_code: str | None
    last_seen_at: datetime | None
    version: int
    connectors: list[ConnectorOut] = []


class TicketSummaryOut(Output):
    id: str
    number: str
    kind: str
    title: str
    state: str
    priority: str
    due_at: datetime


class DocumentOut(Output):
    id: str
    kind: str
    number: str
    title: str
    issued_on: date
    amount_czk: int | None
    retention_category: str
    retain_until: date | None
    legal_hold: bool
    version: int


class ConsentOut(Output):
    id: str
    purpose: str
    granted: bool
    granted_at: datetime | None
    withdrawn_at: datetime | None
    source: str
    version: int


class RfidCardOut(Output):
    id: str
    id_tag: str
    label: str | None
    active: bool
    version: int


class LoginOut(Output):
    id: int
    at: datetime
    event: str
    client_address: str | None
    user_agent: str | None


class AccountOut(Output):
    id: str
    login_email: str
    display_name: str
    role: str
    permissions: list[str]
    birth_date: date | None
    guardian_consent_at: datetime | None
    active: bool
    last_login_at: datetime | None
    version: int
    logins: list[LoginOut] = []


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]
    contracts: list[ContractOut]
    sites: list[SiteOut]
    devices: list[DeviceOut]
    tickets: list[TicketSummaryOut]
    """The latest 50."""
    documents: list[DocumentOut]
    consents: list[ConsentOut]
    rfid_cards: list[RfidCardOut]
    accounts: list[AccountOut]
    """Each with its latest 20 login-history rows."""


# --- requests ---------------------------------------------------------------------------------


class CustomerCreate(Input):
    kind: CustomerKind
    name: Annotated[str, Field(min_length=1, max_length=200)]
    company_name: Annotated[str | None, Field(max_length=200)] = None
    ico: Annotated[str | None, Field(max_length=20)] = None
    dic: Annotated[str | None, Field(max_length=20)] = None
    email: Annotated[str | None, Field(max_length=254)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    language: Language = "cs"
    billing_street: Annotated[str | None, Field(max_length=200)] = None
    billing_city: Annotated[str | None, Field(max_length=100)] = None
    billing_postal_code: Annotated[str | None, Field(max_length=10)] = None
    billing_country: Country = "CZ"
    delivery_street: Annotated[str | None, Field(max_length=200)] = None
    delivery_city: Annotated[str | None, Field(max_length=100)] = None
    delivery_postal_code: Annotated[str | None, Field(max_length=10)] = None
    region: Annotated[str | None, Field(max_length=64)] = None


class CustomerPatch(Input):
    """Contact data; send only what changes, null clears an optional field."""

    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    company_name: Annotated[str | None, Field(max_length=200)] = None
    email: Annotated[str | None, Field(max_length=254)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    language: Language | None = None
    billing_street: Annotated[str | None, Field(max_length=200)] = None
    billing_city: Annotated[str | None, Field(max_length=100)] = None
    billing_postal_code: Annotated[str | None, Field(max_length=10)] = None
    billing_country: Country | None = None
    delivery_street: Annotated[str | None, Field(max_length=200)] = None
    delivery_city: Annotated[str | None, Field(max_length=100)] = None
    delivery_postal_code: Annotated[str | None, Field(max_length=10)] = None
    marketing_email: bool | None = None
    marketing_push: bool | None = None
    privacy_request_id: Annotated[str | None, Field(min_length=1, max_length=36)] = None
    """The rectification request (Art. 16) this correction carries out; privacy officers only."""


class StatusChange(Input):
    status: CustomerStatus
    reason: Annotated[str, Field(min_length=3, max_length=500)]
    """The officer's justification, kept in the audit trail: no personal data in it."""


class ContactCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: ContactRole = "general"
    email: Annotated[str | None, Field(max_length=254)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None


class ContactPatch(Input):
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    role: ContactRole | None = None
    email: Annotated[str | None, Field(max_length=254)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    privacy_request_id: Annotated[str | None, Field(min_length=1, max_length=36)] = None
    """The rectification request (Art. 16) this correction carries out; privacy officers only."""


# --- helpers ----------------------------------------------------------------------------------


def _raise_field_errors(errors: FieldErrors) -> None:
    if not errors:
        return
    if len(errors.errors) == 1:
        only = errors.errors[0]
        problem = FieldInvalid(only["field"], only["message"], only["code"])
        problem.errors = errors.errors
        raise problem
    fields = ", ".join(e["field"] for e in errors.errors)
    raise InvalidInput(f"Invalid fields: {fields}", errors=errors.errors)


def _refuse_nulls(sent: dict[str, Any], required: Sequence[str]) -> None:
    errors = FieldErrors()
    for name in required:
        if name in sent and sent[name] is None:
            errors.add(name, "may not be empty", "required")
    _raise_field_errors(errors)


def _customer_json(customer: Customer) -> dict[str, Any]:
    return CustomerOut.model_validate(customer).model_dump(mode="json")


def _contact_json(contact: Contact) -> dict[str, Any]:
    return ContactOut.model_validate(contact).model_dump(mode="json")


def _customer_location(request: Request, customer_id: str) -> str:
    return str(request.url_for("get_customer", customer_id=customer_id))


async def _customer_or_404(caller: Caller, customer_id: str) -> Customer:
    """The customer, if the caller may see it: a restricted one is not found without privacy handling."""
    customer = await caller.session.get(Customer, customer_id)
    if customer is None or (customer.restricted_at is not None and not sees_restricted(caller)):
        raise NotFound("No customer with this id.")
    return customer


async def _rectification(caller: Caller, customer_id: str, request_id: str | None) -> PrivacyRequest | None:
    """The rectification request a correction is linked to (checked before anything is written)."""
    if request_id is None:
        return None
    caller.require(Permission.HANDLE_PRIVACY)
    errors = FieldErrors()
    request = await rectification_request(caller.session, customer_id, request_id, errors)
    _raise_field_errors(errors)
    return request


async def _contact_or_404(session: AsyncSession, customer_id: str, contact_id: str) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.customer_id != customer_id:
        raise NotFound("The customer has no contact with this id.")
    return contact


async def flush_or_problem(session: AsyncSession, edited: Customer | Contact | None = None) -> None:
    """Flush, turning database refusals into problems the client can act on.

    `edited` is the versioned record being changed: when someone else committed a new version of
    it between our read and our write (possible on PostgreSQL; SQLite serialises transactions),
    the answer is a 412 with their version, exactly as for a stale If-Match.
    """
    # Read before flushing: after the rollback the object is expired and cannot lazy-load.
    record_id = edited.id if edited is not None else None
    try:
        await session.flush()
    except StaleDataError:
        await session.rollback()
        current: dict[str, Any] | None = None
        version = 0
        if isinstance(edited, Customer):
            customer = await session.get(Customer, record_id, populate_existing=True)
            if customer is not None:
                current, version = _customer_json(customer), customer.version
        elif isinstance(edited, Contact):
            contact = await session.get(Contact, record_id, populate_existing=True)
            if contact is not None:
                current, version = _contact_json(contact), contact.version
        if current is None:
            raise NotFound("The record was deleted meanwhile.") from None
        raise StaleVersion(
            f"Someone else saved version {version} first.", headers={"ETag": etag(version)}, extra={"current": current}
        ) from None
    except IntegrityError:
        await session.rollback()
        raise Conflict("The change collides with another record saved at the same time; try again.") from None


def _publish_customer(caller: Caller, customer: Customer) -> None:
    publish(caller.session, "customer.updated", {"id": customer.id, "version": customer.version})


# --- search and read --------------------------------------------------------------------------


@router.get("", response_model=CustomerPage)
async def list_customers(
    caller: Viewer,
    q: Annotated[str | None, Query(max_length=200, description="Name, phone, e-mail, number, IČO, serial…")] = None,
    kind: CustomerKind | None = None,
    status: CustomerStatus | None = None,
    region: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> CustomerPage:
    query = q or ""
    for name, value in (("q", query), ("region", region or "")):
        if UNSTORABLE.search(value):
            raise FieldInvalid(name, "contains control characters")
    session = caller.session
    filters: list[ColumnElement[bool]] = [customer_search_clause(query), customer_visible_condition(caller)]
    if kind is not None:
        filters.append(Customer.kind == kind)
    if status is not None:
        filters.append(Customer.status == status)
    if region:
        filters.append(Customer.region == region)
    columns = [getattr(Customer, name) for name in CustomerSummaryOut.model_fields]
    page = select(*columns).where(*filters).order_by(*customer_search_order(query)).limit(limit).offset(offset)
    count = select(func.count()).select_from(Customer).where(*filters)
    total: int | None = None
    if search_terms(query):
        # One scan of the search text gives both the page and how many matched.
        rows = (await session.execute(page.add_columns(func.count().over().label("total")))).all()
        if rows:
            total = int(rows[0].total)
    else:
        rows = (await session.execute(page)).all()
    if total is None:
        # An empty first page of a search already says there are no matches.
        no_matches = bool(search_terms(query)) and offset == 0
        total = 0 if no_matches else int((await session.execute(count)).scalar_one())
    items = [CustomerSummaryOut.model_validate(row._mapping) for row in rows]
    ids = [item.id for item in items]
    await caller.audit("customer.search", "customer", None, {"count": len(ids), "total": total, "customer_ids": ids})
    await session.commit()
    return CustomerPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{customer_id}", response_model=CustomerDetailOut, name="get_customer")
async def get_customer(customer_id: str, caller: Viewer, response: Response) -> CustomerDetailOut:
    session = caller.session
    customer = await _customer_or_404(caller, customer_id)

    async def rows(statement: Select[Any]) -> list[Any]:
        return list((await session.execute(statement)).scalars())

    devices = await rows(select(Device).where(Device.customer_id == customer_id).order_by(Device.serial))
    connectors: dict[str, list[ConnectorOut]] = {}
    if devices:
        for connector in await rows(
            select(Connector)
            .where(Connector.device_id.in_([d.id for d in devices]))
            .order_by(Connector.device_id, Connector.connector_no)
        ):
            connectors.setdefault(connector.device_id, []).append(ConnectorOut.model_validate(connector))
    accounts = await rows(
        select(CustomerAccount).where(CustomerAccount.customer_id == customer_id).order_by(CustomerAccount.created_at)
    )
    logins: dict[str, list[LoginOut]] = {}
    if accounts:
        ranked = (
            select(
                AccountLogin,
                func.row_number()
                .over(partition_by=AccountLogin.account_id, order_by=(AccountLogin.at.desc(), AccountLogin.id.desc()))
                .label("rank"),
            )
            .where(AccountLogin.account_id.in_([a.id for a in accounts]))
            .subquery()
        )
        latest = (
            select(ranked)
            .where(ranked.c.rank <= DETAIL_LOGINS)
            .order_by(ranked.c.account_id, ranked.c.at.desc(), ranked.c.id.desc())
        )
        for login in (await session.execute(latest)).mappings():
            logins.setdefault(login["account_id"], []).append(LoginOut.model_validate(dict(login)))

    contacts = await rows(select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.created_at))
    contracts = await rows(
        select(Contract).where(Contract.customer_id == customer_id).order_by(Contract.starts_on.desc())
    )
    sites = await rows(select(Site).where(Site.customer_id == customer_id).order_by(Site.name, Site.id))
    tickets = await rows(
        select(Ticket)
        .where(Ticket.customer_id == customer_id)
        .order_by(Ticket.created_at.desc(), Ticket.id)
        .limit(DETAIL_TICKETS)
    )
    documents = await rows(
        select(Document).where(Document.customer_id == customer_id).order_by(Document.issued_on.desc(), Document.id)
    )
    consents = await rows(select(Consent).where(Consent.customer_id == customer_id).order_by(Consent.purpose))
    cards = await rows(select(RfidCard).where(RfidCard.customer_id == customer_id).order_by(RfidCard.id_tag))
    detail = CustomerDetailOut(
        **CustomerOut.model_validate(customer).model_dump(),
        contacts=[ContactOut.model_validate(c) for c in contacts],
        contracts=[ContractOut.model_validate(c) for c in contracts],
        sites=[SiteOut.model_validate(s) for s in sites],
        devices=[
            DeviceOut.model_validate(d).model_copy(update={"connectors": connectors.get(d.id, [])}) for d in devices
        ],
        tickets=[TicketSummaryOut.model_validate(t) for t in tickets],
        documents=[DocumentOut.model_validate(d) for d in documents],
        consents=[ConsentOut.model_validate(c) for c in consents],
        rfid_cards=[RfidCardOut.model_validate(r) for r in cards],
        accounts=[AccountOut.model_validate(a).model_copy(update={"logins": logins.get(a.id, [])}) for a in accounts],
    )
    await caller.audit("customer.read", "customer", customer_id, subject_id=customer_id)
    await session.commit()
    response.headers["ETag"] = etag(customer.version)
    return detail


# --- customer writes --------------------------------------------------------------------------


@router.post("", status_code=201, response_model=CustomerOut)
async def create_customer(body: CustomerCreate, caller: Editor) -> Response:
    errors = FieldErrors()
    values = clean_contact_values(body.model_dump(), errors)
    check_customer(values["kind"], values["ico"], errors)
    _raise_field_errors(errors)
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = Customer(customer_number=await next_customer_number(session), status="active", **values)
        customer.search_text = customer_search_text(customer)
        session.add(customer)
        await flush_or_problem(session)
        await caller.audit(
            "customer.create",
            "customer",
            customer.id,
            {"kind": customer.kind, "fields": sorted(k for k, v in values.items() if v is not None)},
        )
        _publish_customer(caller, customer)
        headers = {"Location": _customer_location(caller.request, customer.id), "ETag": etag(customer.version)}
        return 201, _customer_json(customer), headers

    return await idempotent(caller, produce)


@router.patch("/{customer_id}", response_model=CustomerOut)
async def update_customer(customer_id: str, body: CustomerPatch, caller: Editor) -> Response:
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer_or_404(caller, customer_id)
        # Checked here, after a replay had its chance: a resent change carries the old version.
        check_if_match(caller.request, customer.version, _customer_json(customer))
        sent = body.model_dump(exclude_unset=True)
        request_id = sent.pop("privacy_request_id", None)
        _refuse_nulls(sent, ("name", "language", "billing_country", "marketing_email", "marketing_push"))
        errors = FieldErrors()
        values = clean_contact_values(sent, errors)
        _raise_field_errors(errors)
        request = await _rectification(caller, customer.id, request_id)
        # Marketing flags are consents: set through the consent record, so the history has them.
        marketing = {name: values.pop(name) for name in MARKETING_FLAGS if name in values}
        changed = sorted(name for name, value in values.items() if getattr(customer, name) != value)
        for name in changed:
            setattr(customer, name, values[name])
        if marketing:
            changed = sorted(changed + await record_marketing_flags(
                session, customer.id, marketing, "phone", caller.operator.id))
        if changed:
            await flush_or_problem(session, customer)
            if SEARCHED_FIELDS.intersection(changed):
                await refresh_customer_search_text(session, customer.id)
            detail: dict[str, Any] = {"fields": changed}
            if request is not None:
                record_rectification(session, request, "customer", changed, caller.operator.id, utcnow())
                detail["privacy_request_id"] = request.id
            await caller.audit("customer.update", "customer", customer.id, detail, subject_id=customer.id)
            _publish_customer(caller, customer)
        return 200, _customer_json(customer), {"ETag": etag(customer.version)}

    return await idempotent(caller, produce)


@router.post("/{customer_id}/status", response_model=CustomerOut)
async def change_customer_status(customer_id: str, body: StatusChange, caller: Restrictor) -> Response:
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer_or_404(caller, customer_id)
        # Checked here, after a replay had its chance: a retried request carries the old version.
        check_if_match(caller.request, customer.version, _customer_json(customer))
        if customer.status != body.status:
            previous = customer.status
            customer.status = body.status
            await flush_or_problem(session, customer)
            await caller.audit(
                "customer.status", "customer", customer.id,
                {"from": previous, "to": body.status, "reason": body.reason}, subject_id=customer.id,
            )
            _publish_customer(caller, customer)
        return 200, _customer_json(customer), {"ETag": etag(customer.version)}

    return await idempotent(caller, produce)


# --- contacts ---------------------------------------------------------------------------------


@router.post("/{customer_id}/contacts", status_code=201, response_model=ContactOut)
async def create_contact(customer_id: str, body: ContactCreate, caller: Editor) -> Response:
    errors = FieldErrors()
    values = clean_contact_values(body.model_dump(), errors)
    _raise_field_errors(errors)
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer_or_404(caller, customer_id)
        contact = Contact(customer_id=customer.id, **values)
        session.add(contact)
        await flush_or_problem(session)
        await refresh_customer_search_text(session, customer.id)
        await caller.audit(
            "customer.contact_create",
            "customer",
            customer.id,
            {"contact_id": contact.id, "fields": sorted(k for k, v in values.items() if v is not None)},
            subject_id=customer.id,
        )
        _publish_customer(caller, customer)
        location = f"{_customer_location(caller.request, customer.id)}/contacts/{contact.id}"
        return 201, _contact_json(contact), {"Location": location, "ETag": etag(contact.version)}

    return await idempotent(caller, produce)


@router.patch("/{customer_id}/contacts/{contact_id}", response_model=ContactOut)
async def update_contact(customer_id: str, contact_id: str, body: ContactPatch, caller: Editor) -> Response:
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer_or_404(caller, customer_id)
        contact = await _contact_or_404(session, customer_id, contact_id)
        # Checked here, after a replay had its chance: a resent change carries the old version.
        check_if_match(caller.request, contact.version, _contact_json(contact))
        sent = body.model_dump(exclude_unset=True)
        request_id = sent.pop("privacy_request_id", None)
        _refuse_nulls(sent, ("name", "role"))
        errors = FieldErrors()
        values = clean_contact_values(sent, errors)
        _raise_field_errors(errors)
        request = await _rectification(caller, customer.id, request_id)
        changed = sorted(name for name, value in values.items() if getattr(contact, name) != value)
        if changed:
            for name in changed:
                setattr(contact, name, values[name])
            await flush_or_problem(session, contact)
            await refresh_customer_search_text(session, customer.id)
            detail: dict[str, Any] = {"contact_id": contact.id, "fields": changed}
            if request is not None:
                record_rectification(session, request, "contact", changed, caller.operator.id, utcnow())
                detail["privacy_request_id"] = request.id
            await caller.audit("customer.contact_update", "customer", customer.id, detail, subject_id=customer.id)
            _publish_customer(caller, customer)
        return 200, _contact_json(contact), {"ETag": etag(contact.version)}

    return await idempotent(caller, produce)


@router.delete("/{customer_id}/contacts/{contact_id}", status_code=204)
async def delete_contact(customer_id: str, contact_id: str, caller: Editor) -> Response:
    session = caller.session

    async def produce() -> tuple[int, Any, dict[str, str]]:
        customer = await _customer_or_404(caller, customer_id)
        contact = await _contact_or_404(session, customer_id, contact_id)
        # Checked here, after a replay had its chance: a resent delete finds the contact gone.
        check_if_match(caller.request, contact.version, _contact_json(contact))
        await session.delete(contact)
        await flush_or_problem(session, contact)
        await refresh_customer_search_text(session, customer.id)
        await caller.audit(
            "customer.contact_delete", "customer", customer.id, {"contact_id": contact_id}, subject_id=customer.id
        )
        _publish_customer(caller, customer)
        return 204, None, {}

    return await idempotent(caller, produce)
