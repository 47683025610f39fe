"""Every table of the EMA backend; importing this package registers them all on `Base.metadata`."""

from ema_server.db.models.base import Base, new_id, utcnow
from ema_server.db.models.customers import (
    AccountLogin,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Document,
    RfidCard,
)
from ema_server.db.models.data_protection import (
    AccessPackage,
    AccessPackageContent,
    ConsentEvent,
    DataRecipient,
    Erasure,
    KeptRecord,
    LegalHold,
    RecipientDisclosure,
    RecipientNotice,
    Restriction,
    RetentionPolicy,
    RetentionRun,
)
from ema_server.db.models.devices import (
    ChargingSession,
    Connector,
    Device,
    DeviceStatusChange,
    Site,
    TelemetrySample,
    TelemetrySeries,
)
from ema_server.db.models.logs import AuditRecord, ChangeRecord, EventRecord
from ema_server.db.models.ocpp import OcppFrame, RemoteCommand, UnknownStation
from ema_server.db.models.operators import (
    AuthSession,
    AuthToken,
    IdempotencyRecord,
    LoginAttempt,
    Operator,
    OperatorRole,
)
from ema_server.db.models.privacy import PrivacyRequest, PrivacyRequestEntry
from ema_server.db.models.tickets import Attachment, AttachmentContent, Ticket, TicketEntry

__all__ = [
    "AccessPackage", "AccessPackageContent", "AccountLogin", "Attachment", "AttachmentContent", "AuditRecord",
    "AuthSession", "AuthToken", "Base", "ChangeRecord", "ChargingSession", "Connector", "Consent",
    "ConsentEvent", "Contact", "Contract", "Customer", "CustomerAccount", "DataRecipient", "Device",
    "DeviceStatusChange", "Document", "Erasure", "EventRecord", "IdempotencyRecord", "KeptRecord",
    "LegalHold", "LoginAttempt", "OcppFrame", "Operator", "OperatorRole", "PrivacyRequest",
    "PrivacyRequestEntry", "RecipientDisclosure", "RecipientNotice", "RemoteCommand", "Restriction",
    "RetentionPolicy", "RetentionRun", "RfidCard", "Site", "TelemetrySample", "TelemetrySeries", "Ticket",
    "TicketEntry", "UnknownStation", "new_id", "utcnow",
]  # fmt: skip
