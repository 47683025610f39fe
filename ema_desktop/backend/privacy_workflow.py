"""The privacy officer's workflow calls to ema-server, typed: one request with its history, finding
the data subject, the workflow steps (identity, extension, completion, refusal), access packages,
erasure, restriction, consents and the notices to recipients.

Every call goes online through `BackendClient.call` (these steps are decisions the server must
take at once, never queued in the outbox); errors come back as the client's `BackendError`s.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem
from ema_desktop.backend.records import HistoryEntry, PrivacyRequestItem, Record

IDENTITY_CHECKS = ("signed_in_app", "registered_email_reply", "rfid_and_last_session", "customer_details_on_call",
                   "in_person_document_seen", "guardian_authority", "representative_mandate")
"""How a subject's identity may be checked (the server's IDENTITY_CHECKS)."""
CONSENT_PURPOSES = ("marketing_email", "marketing_push", "analytics", "location", "camera")
MARKETING_PURPOSES = ("marketing_email", "marketing_push")
ANSWER_CHANNELS = ("email", "letter", "in_app", "phone")
REQUEST_CHANNELS = ("email", "letter", "phone", "in_app", "in_person")
RELATIONS = ("subject", "app_user", "guardian", "representative")
NOTICE_ACTIONS = ("rectification", "erasure", "restriction")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class PrivacyRequestDetail(PrivacyRequestItem):
    """One request as the server answers it, with everything the workflow steps decide on: the list
    item's fields and the rest of the record."""

    subject_phone: str | None = None
    extension_reason: str | None = None
    identity_check_detail: str | None = None
    identity_requested_at: datetime | None = None
    identity_verified_by_id: str | None = None
    subject_account_id: str | None = None
    purposes: list[str] | None = None
    ticket_id: str | None = None
    handler_id: str | None = None
    closed_at: datetime | None = None
    overdue: bool = False
    notice_warning: str | None = None
    waiting_for_identity: bool = False
    original_text: str = ""
    outcome: str | None = None
    refusal_reason: str | None = None
    authority_notice: bool = False
    answer_sent_at: datetime | None = None
    answer_channel: str | None = None
    history: list[HistoryEntry] = Field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.state in ("completed", "refused")

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class SubjectAccount(Record):
    id: str
    display_name: str | None = None
    login_email: str | None = None
    role: str | None = None


class SubjectMatch(Record):
    """A customer the lookup found, and by what (name, e-mail, card…)."""

    customer_id: str
    customer_number: str | None = None
    name: str
    company_name: str | None = None
    email: str | None = None
    phone: str | None = None
    status: str | None = None
    restricted: bool = False
    erased: bool = False
    matched_by: list[str] = Field(default_factory=list)
    accounts: list[SubjectAccount] = Field(default_factory=list)


class AccessPackage(Record):
    id: str
    request_id: str
    kind: str
    created_at: datetime
    created_by_id: str | None = None
    expires_at: datetime
    size: int
    sha256: str | None = None
    categories: dict[str, int] = Field(default_factory=dict)
    downloads: int = 0
    expired: bool = False


class ErasureBlocker(Record):
    code: str
    message: str


class ErasurePlanItem(Record):
    category: str
    label_en: str
    label_cs: str | None = None
    entity: str | None = None
    count: int
    action: str
    basis: str | None = None
    legal_reference: str | None = None
    keep_until: date | None = None


class ErasureCustomer(Record):
    id: str
    customer_number: str | None = None
    name: str


class ErasurePlan(Record):
    request_id: str
    customer: ErasureCustomer | None = None
    plan_hash: str
    blockers: list[ErasureBlocker] = Field(default_factory=list)
    items: list[ErasurePlanItem] = Field(default_factory=list)


class KeptRecords(Record):
    label_en: str
    label_cs: str | None = None
    count: int
    basis: str | None = None
    legal_reference: str | None = None
    keep_until: date | None = None


class ErasureReport(Record):
    erased: list[Any] = Field(default_factory=list)
    anonymised: list[Any] = Field(default_factory=list)
    kept: list[KeptRecords] = Field(default_factory=list)
    recipients: list[Any] = Field(default_factory=list)


class IdentifierCheck(Record):
    identifier_kind: str
    resolves: bool


class ErasureVerification(Record):
    ok: bool
    checks: list[IdentifierCheck] = Field(default_factory=list)


class Erasure(Record):
    id: str
    request_id: str
    customer_id: str | None = None
    executed_at: datetime
    executed_by_id: str | None = None
    report: ErasureReport
    verification: ErasureVerification
    letter_cs: str
    letter_en: str


class Consent(Record):
    purpose: str
    granted: bool
    since: datetime | None = None
    source: str | None = None


class ConsentEvent(Record):
    id: str
    purpose: str
    granted: bool
    at: datetime
    source: str | None = None
    request_id: str | None = None


class Consents(Record):
    current: list[Consent] = Field(default_factory=list)
    history: list[ConsentEvent] = Field(default_factory=list)

    def withdrawn_for(self, request_id: str) -> set[str]:
        """The purposes withdrawn under this request."""
        return {e.purpose for e in self.history if e.request_id == request_id and not e.granted}

    def granted(self, purpose: str) -> bool | None:
        """Whether the subject consents to `purpose` now; None when they never said."""
        return next((c.granted for c in self.current if c.purpose == purpose), None)


class Restriction(Record):
    id: str
    customer_id: str
    ground: str
    request_id: str | None = None
    reason: str | None = None
    placed_at: datetime
    subject_notified_at: datetime | None = None
    lifted_at: datetime | None = None
    lift_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Recipient(Record):
    id: str
    name: str
    category: str | None = None
    country: str | None = None


class RecipientNotice(Record):
    id: str
    request_id: str
    recipient: Recipient
    action: str
    state: str
    justification: str | None = None
    notified_at: datetime | None = None
    acknowledged_at: datetime | None = None
    version: int


class PrivacyWorkflowClient:
    """The workflow endpoints of one server, over the console's signed-in client."""

    def __init__(self, client: BackendClient) -> None:
        self._client = client

    async def _items(self, path: str) -> list[Any]:
        answer = await self._client.call("GET", path)
        items: list[Any] = answer["items"]
        return items

    async def _step(self, request_id: str, step: str, version: int | None,
                    body: dict[str, Any]) -> PrivacyRequestDetail:
        answer = await self._client.call("POST", f"/privacy-requests/{request_id}/{step}", json=body,
                                         if_match=version)
        return PrivacyRequestDetail.model_validate(answer)

    # --- requests ----------------------------------------------------------------------------

    async def request(self, request_id: str) -> PrivacyRequestDetail:
        return PrivacyRequestDetail.model_validate(await self._client.call("GET", f"/privacy-requests/{request_id}"))

    async def register(self, body: dict[str, Any]) -> PrivacyRequestDetail:
        """A new request (the intake dialog's fields, as POST /privacy-requests takes them)."""
        return PrivacyRequestDetail.model_validate(await self._client.call("POST", "/privacy-requests", json=body))

    async def find_subjects(self, query: str) -> list[SubjectMatch]:
        answer = await self._client.call("GET", "/privacy/subjects", params={"q": query})
        return [SubjectMatch.model_validate(item) for item in answer["items"]]

    async def ask_for_identity(self, request_id: str, version: int | None, how: str) -> PrivacyRequestDetail:
        return await self._step(request_id, "identity-request", version, {"how": how})

    async def verify_identity(self, request_id: str, version: int | None, check: str,
                              detail: str) -> PrivacyRequestDetail:
        return await self._step(request_id, "identity-verification", version, {"check": check, "detail": detail})

    async def extend(self, request_id: str, version: int | None, reason: str, months: int,
                     notified_at: datetime | None) -> PrivacyRequestDetail:
        body: dict[str, Any] = {"reason": reason, "months": months}
        if notified_at is not None:
            body["notified_at"] = _iso(notified_at)
        return await self._step(request_id, "extension", version, body)

    async def complete(self, request_id: str, version: int | None, outcome: str,
                       answer_channel: str) -> PrivacyRequestDetail:
        return await self._step(request_id, "completion", version,
                                {"outcome": outcome, "answer_channel": answer_channel})

    async def refuse(self, request_id: str, version: int | None, reason: str, authority_notice: bool,
                     answer_channel: str) -> PrivacyRequestDetail:
        return await self._step(request_id, "refusal", version, {
            "reason": reason, "authority_notice": authority_notice, "answer_channel": answer_channel})

    # --- access and portability ----------------------------------------------------------------

    async def build_package(self, request_id: str, kind: str) -> AccessPackage:
        answer = await self._client.call("POST", f"/privacy-requests/{request_id}/packages", json={"kind": kind})
        return AccessPackage.model_validate(answer)

    async def packages(self, request_id: str) -> list[AccessPackage]:
        return [AccessPackage.model_validate(p) for p in await self._items(f"/privacy-requests/{request_id}/packages")]

    async def package_content(self, package_id: str) -> bytes:
        return await self._client.download(f"/privacy-packages/{package_id}/content")

    # --- erasure --------------------------------------------------------------------------------

    async def erasure_plan(self, request_id: str) -> ErasurePlan:
        answer = await self._client.call("GET", f"/privacy-requests/{request_id}/erasure-plan")
        return ErasurePlan.model_validate(answer)

    async def execute_erasure(self, request_id: str, confirm_customer: str, plan_hash: str) -> Erasure:
        answer = await self._client.call("POST", f"/privacy-requests/{request_id}/erasure",
                                         json={"confirm_customer": confirm_customer, "plan_hash": plan_hash})
        return Erasure.model_validate(answer)

    async def erasure(self, request_id: str) -> Erasure | None:
        """The executed erasure of a request; None before it is executed."""
        try:
            answer = await self._client.call("GET", f"/privacy-requests/{request_id}/erasure")
        except ApiProblem as problem:
            if problem.status == 404:
                return None
            raise
        return Erasure.model_validate(answer)

    # --- consents --------------------------------------------------------------------------------

    async def consents(self, customer_id: str) -> Consents:
        return Consents.model_validate(await self._client.call("GET", f"/customers/{customer_id}/consents"))

    async def withdraw_consent(self, customer_id: str, purpose: str, request_id: str) -> Consents:
        answer = await self._client.call("POST", f"/customers/{customer_id}/consents", json={
            "purpose": purpose, "granted": False, "source": "privacy_request", "request_id": request_id})
        return Consents.model_validate(answer)

    # --- rectification --------------------------------------------------------------------------

    async def customer_record(self, customer_id: str) -> dict[str, Any]:
        """The customer's record as the server holds it now (its fields and version)."""
        answer: dict[str, Any] = await self._client.call("GET", f"/customers/{customer_id}")
        return answer

    async def rectify_customer(self, customer_id: str, version: int, changes: dict[str, Any],
                               request_id: str) -> dict[str, Any]:
        """Correct the customer's record through the normal edit path, naming the request (Art. 16)."""
        answer: dict[str, Any] = await self._client.call(
            "PATCH", f"/customers/{customer_id}", json={**changes, "privacy_request_id": request_id},
            if_match=version)
        return answer

    # --- restriction ----------------------------------------------------------------------------

    async def restrictions(self, customer_id: str) -> list[Restriction]:
        return [Restriction.model_validate(r) for r in await self._items(f"/customers/{customer_id}/restrictions")]

    async def place_restriction(self, customer_id: str, reason: str, request_id: str) -> Restriction:
        answer = await self._client.call("POST", f"/customers/{customer_id}/restriction",
                                         json={"reason": reason, "request_id": request_id})
        return Restriction.model_validate(answer)

    async def record_restriction_notice(self, customer_id: str, channel: str) -> Restriction:
        answer = await self._client.call("POST", f"/customers/{customer_id}/restriction/notice",
                                         json={"channel": channel})
        return Restriction.model_validate(answer)

    async def lift_restriction(self, customer_id: str, reason: str) -> Restriction:
        answer = await self._client.call("POST", f"/customers/{customer_id}/restriction/lift", json={"reason": reason})
        return Restriction.model_validate(answer)

    # --- recipients ------------------------------------------------------------------------------

    async def notify_recipients(self, request_id: str, action: str) -> list[RecipientNotice]:
        answer = await self._client.call("POST", f"/privacy-requests/{request_id}/recipient-notices",
                                         json={"action": action})
        return [RecipientNotice.model_validate(n) for n in answer["items"]]

    async def recipient_notices(self, request_id: str) -> list[RecipientNotice]:
        return [RecipientNotice.model_validate(n)
                for n in await self._items(f"/privacy-requests/{request_id}/recipient-notices")]

    async def update_notice(self, notice_id: str, version: int, state: str,
                            justification: str | None = None) -> RecipientNotice:
        body: dict[str, Any] = {"state": state}
        if justification:
            body["justification"] = justification
        answer = await self._client.call("PATCH", f"/recipient-notices/{notice_id}", json=body, if_match=version)
        return RecipientNotice.model_validate(answer)
