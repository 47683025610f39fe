"""Customer write rules that do not depend on HTTP: checking and normalising contact data,
handing out customer numbers, and linking a correction to the rectification request (Art. 16)
that asked for it.

Checks collect every bad field before refusing, so an operator fixing a form sees all problems
at once; identifiers are stored in one normal form (E.164 phones, upper-case DIČ) because search
and duplicates checks compare them literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import desc, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import Customer, PrivacyRequest, PrivacyRequestEntry, new_id
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.identifiers import is_valid_dic, is_valid_email, is_valid_ico, normalize_phone

CUSTOMER_NUMBER_PREFIX = "C"
CUSTOMER_NUMBER_DIGITS = 7
_CUSTOMER_NUMBER = re.compile(rf"{CUSTOMER_NUMBER_PREFIX}(\d{{{CUSTOMER_NUMBER_DIGITS}}})")
# How many of the highest numbers to look through for one in our format: numbers imported in
# another format may sort above ours.
_NUMBER_CANDIDATES = 50


@dataclass
class FieldErrors:
    """Bad fields found so far (field, message, stable snake_case code), to refuse all at once."""

    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, name: str, message: str, code: str) -> None:
        self.errors.append({"field": name, "message": message, "code": code})

    def __bool__(self) -> bool:
        return bool(self.errors)


def clean_contact_values(values: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """`values` with e-mail, phone, IČO and DIČ checked and normalised; blanks become None.

    Only keys present in `values` are looked at, so this serves both creation and partial updates.
    """
    out = dict(values)
    if "email" in out:
        email = _blank_to_none(out["email"])
        if email is not None and not is_valid_email(email):
            errors.add("email", "not a valid e-mail address", "invalid_email")
        out["email"] = email
    if "phone" in out:
        phone = _blank_to_none(out["phone"])
        if phone is not None:
            normalized = normalize_phone(phone)
            if normalized is None:
                errors.add("phone", "not a valid phone number (Czech, or international with +)", "invalid_phone")
            phone = normalized
        out["phone"] = phone
    if "ico" in out:
        ico = _blank_to_none(out["ico"])
        if ico is not None:
            ico = "".join(ico.split())
            if not is_valid_ico(ico):
                errors.add("ico", "an IČO is 8 digits with a valid check digit", "invalid_ico")
        out["ico"] = ico
    if "dic" in out:
        dic = _blank_to_none(out["dic"])
        if dic is not None:
            dic = "".join(dic.split()).upper()
            if not is_valid_dic(dic):
                errors.add("dic", "a DIČ is CZ followed by 8 to 10 digits", "invalid_dic")
        out["dic"] = dic
    for name in (
        "company_name",
        "billing_street",
        "billing_city",
        "billing_postal_code",
        "delivery_street",
        "delivery_city",
        "delivery_postal_code",
        "region",
    ):
        if name in out:
            out[name] = _blank_to_none(out[name])
    return out


def check_customer(kind: str, ico: str | None, errors: FieldErrors) -> None:
    """Rules across fields of a whole customer record."""
    if kind == "business" and ico is None:
        errors.add("ico", "a business customer needs an IČO", "ico_required")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


async def next_customer_number(session: AsyncSession) -> str:
    """The next free customer number, ``C`` and seven digits.

    Taken under the ordering lock (PostgreSQL advisory lock; SQLite transactions are serialised
    by BEGIN IMMEDIATE), held to commit, so two concurrent creations cannot pick the same one.
    """
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))
    candidates = (
        await session.execute(
            select(Customer.customer_number)
            .where(
                Customer.customer_number.startswith(CUSTOMER_NUMBER_PREFIX),
                func.length(Customer.customer_number) == len(CUSTOMER_NUMBER_PREFIX) + CUSTOMER_NUMBER_DIGITS,
            )
            .order_by(desc(Customer.customer_number))
            .limit(_NUMBER_CANDIDATES)
        )
    ).scalars()
    highest = max((int(m.group(1)) for n in candidates if (m := _CUSTOMER_NUMBER.fullmatch(n))), default=0)
    return f"{CUSTOMER_NUMBER_PREFIX}{highest + 1:0{CUSTOMER_NUMBER_DIGITS}d}"


_CLOSED_REQUEST_STATES = ("completed", "refused")


async def rectification_request(
    session: AsyncSession, customer_id: str, request_id: str, errors: FieldErrors
) -> PrivacyRequest | None:
    """The privacy request a correction is made for: an open rectification request of this
    customer whose requester's identity was verified; otherwise each failed rule goes to `errors`
    under `privacy_request_id` and None is returned."""
    name = "privacy_request_id"
    request = await session.get(PrivacyRequest, request_id) if len(request_id) <= 36 else None
    if request is None:
        errors.add(name, "No privacy request has this id.", "unknown_request")
        return None
    before = len(errors.errors)
    if request.customer_id != customer_id:
        errors.add(name, "The privacy request is not about this customer.", "request_of_other_customer")
    if request.right != "rectification":
        errors.add(name, "The privacy request is not a request for rectification.", "not_rectification")
    if request.state in _CLOSED_REQUEST_STATES:
        errors.add(name, "The privacy request is closed.", "request_closed")
    if request.identity_verified_at is None:
        errors.add(name, "The requester's identity is not verified yet.", "identity_not_verified")
    return request if len(errors.errors) == before else None


def record_rectification(
    session: AsyncSession, request: PrivacyRequest, record: str, fields: list[str], author_id: str, at: datetime
) -> None:
    """A history entry of the request naming what was corrected (field names, never values: the
    entry is the evidence the request was carried out, the values are in the record itself)."""
    session.add(
        PrivacyRequestEntry(id=new_id(), request_id=request.id, kind="rectification", author_id=author_id, at=at,
                            field=record, body=f"Corrected {record} fields: {', '.join(fields)}.")
    )  # fmt: skip
