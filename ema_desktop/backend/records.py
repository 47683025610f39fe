"""What the server sends, as typed records: the subset of each API resource the console uses.

Unknown fields are ignored, so a newer server does not break an older console.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Page(Record, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Operator(Record):
    """The signed-in operator (`/auth/me`)."""

    id: str
    username: str
    display_name: str
    email: str | None = None
    roles: list[str]
    permissions: list[str]
    totp_enabled: bool = False

    def may(self, permission: str) -> bool:
        return permission in self.permissions


class Colleague(Record):
    """An active operator as the ticket queue shows owners."""

    id: str
    display_name: str
    roles: list[str]


class Directory(Record):
    items: list[Colleague]


class Tokens(Record):
    access_token: str
    refresh_token: str
    expires_in: int


class CustomerSummary(Record):
    id: str
    customer_number: str
    kind: str
    name: str
    company_name: str | None = None
    ico: str | None = None
    email: str | None = None
    phone: str | None = None
    status: str
    region: str | None = None
    version: int
    restricted_at: datetime | None = None
    """Art. 18: only privacy officers and administrators ever receive a restricted customer."""
    erased_at: datetime | None = None
    """An erasure left only what the law obliges keeping."""


class Contact(Record):
    id: str
    name: str
    role: str
    email: str | None = None
    phone: str | None = None
    version: int | None = None
    """What an edit sends as If-Match (the server's contacts carry it)."""
    pending: bool = False
    """A change the operator made here that the server does not have yet (the outbox)."""


class Site(Record):
    id: str
    name: str
    street: str
    city: str
    postal_code: str
    district: str
    region: str
    latitude: float
    longitude: float


class Connector(Record):
    id: str
    connector_no: int
    standard: str
    max_power_kw: float
    status: str
    error_code: str | None = None


class CustomerDevice(Record):
    id: str
    site_id: str | None = None
    kind: str
    vendor: str
    model: str
    serial: str
    firmware: str | None = None
    ocpp_identity: str | None = None
    status: str
    error_code: str | None = None
    last_seen_at: datetime | None = None
    connectors: list[Connector] = Field(default_factory=list)


class TicketSummary(Record):
    id: str
    number: str
    kind: str
    title: str
    state: str
    priority: str
    due_at: datetime


class CustomerDetail(CustomerSummary):
    dic: str | None = None
    language: str = "cs"
    billing_street: str | None = None
    billing_city: str | None = None
    billing_postal_code: str | None = None
    created_at: datetime
    contacts: list[Contact] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    devices: list[CustomerDevice] = Field(default_factory=list)
    tickets: list[TicketSummary] = Field(default_factory=list)


class Device(Record):
    """A device as the fleet list gives it (map pins)."""

    id: str
    customer_id: str
    site_id: str | None = None
    kind: str
    vendor: str
    model: str
    serial: str
    ocpp_identity: str | None = None
    status: str
    error_code: str | None = None
    region: str | None = None
    last_seen_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    version: int

    @property
    def label(self) -> str:
        return self.ocpp_identity or self.serial


class DeviceCustomer(Record):
    id: str
    customer_number: str
    name: str


class DeviceDetail(Device):
    firmware: str | None = None
    ocpp_version: str | None = None
    connectors: list[Connector] = Field(default_factory=list)
    site: Site | None = None
    customer: DeviceCustomer | None = None


class TicketListItem(Record):
    id: str
    number: str
    kind: str
    title: str
    customer_id: str | None = None
    device_id: str | None = None
    connector_no: int | None = None
    error_code: str | None = None
    priority: str
    state: str
    owner_id: str | None = None
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    first_response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    legal_due_at: datetime | None = None
    overdue: bool
    warning: str | None = None
    version: int
    pending: bool = False
    """A change or comment the operator made here that the server does not have yet (the outbox)."""


class HistoryEntry(Record):
    """One line of a ticket's or a privacy request's history."""

    id: str
    at: datetime
    author_id: str | None = None
    author_name: str | None = None
    kind: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    body: str | None = None


class TicketEntry(HistoryEntry):
    public: bool = False
    pending: bool = False
    """Written here and waiting in the outbox for the server."""


class TicketCustomer(Record):
    id: str
    customer_number: str
    name: str
    phone: str | None = None
    email: str | None = None


class TicketDevice(Record):
    id: str
    kind: str
    vendor: str
    model: str
    serial: str
    ocpp_identity: str | None = None
    status: str


class TicketDetail(TicketListItem):
    description: str
    history: list[TicketEntry] = Field(default_factory=list)
    customer: TicketCustomer | None = None
    device: TicketDevice | None = None


class PrivacyRequestItem(Record):
    id: str
    number: str
    right: str
    customer_id: str | None = None
    subject_name: str
    requester_name: str | None = None
    requester_relation: str
    channel: str
    received_at: datetime
    due_at: datetime
    effective_due_at: datetime
    extension_notice_due_at: datetime
    extended_due_at: datetime | None = None
    extension_notified_at: datetime | None = None
    subject_email: str | None = None
    identity_check: str | None = None
    identity_verified_at: datetime | None = None
    state: str
    overdue: bool
    warning: str | None = None
    version: int
    pending: bool = False
    """A note the operator added here that the server does not have yet (the outbox)."""
