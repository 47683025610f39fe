"""Finding the data subject of a privacy request by what they know about themselves.

A subject writes "I am Jana Nováková, my card is 04A1B2C3" or gives a phone number, a contract
or a station's serial. The privacy officer types that into one box and gets every customer it
could mean, each with what matched (`matched_by`), so a shared phone number or company shows as
two candidates instead of silently picking one. Restricted and erased customers are found too:
their data is still there to be accounted for.

Candidates come from the customers' folded search text (ema_server/search.py: name without
diacritics, e-mails, phone digits, numbers, serials, tags) and, since an erasure may have emptied
that text, from exact matches on the identifier columns themselves. What matched is then worked
out per candidate from the records, term by term.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ema_server.db.models import Contact, Contract, Customer, CustomerAccount, Device, RfidCard
from ema_server.domain.identifiers import is_valid_ico, looks_like_phone, normalize_phone, phone_search_key
from ema_server.domain.text import fold, search_terms
from ema_server.search import customer_search_clause, phone_query_digits

MATCH_KINDS = ("name", "email", "phone", "customer_number", "ico", "contract", "id_tag", "station", "account_login")
MAX_RESULTS = 50


@dataclass
class SubjectAccount:
    id: str
    display_name: str
    login_email: str
    role: str


@dataclass
class SubjectMatch:
    customer: Customer
    matched_by: list[str]
    accounts: list[SubjectAccount] = field(default_factory=list)


@dataclass
class _Holdings:
    """What hangs off one customer that a subject may name."""

    contacts: list[Contact] = field(default_factory=list)
    accounts: list[CustomerAccount] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    cards: list[RfidCard] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)


def _contains(term: str, values: Iterable[str | None]) -> bool:
    return any(value and term in fold(value) for value in values)


def _phone_matches(digits: str, phones: Iterable[str | None]) -> bool:
    return any(phone and digits in (phone_search_key(phone) or "") for phone in phones)


def _kinds_for_term(term: str, customer: Customer, held: _Holdings) -> set[str]:
    kinds: set[str] = set()
    if _contains(term, [customer.name, customer.company_name, *(c.name for c in held.contacts)]):
        kinds.add("name")
    if _contains(term, [customer.email, *(c.email for c in held.contacts)]):
        kinds.add("email")
    if _contains(term, [customer.customer_number]):
        kinds.add("customer_number")
    if customer.ico and term == customer.ico:
        kinds.add("ico")
    if _contains(term, [c.number for c in held.contracts]):
        kinds.add("contract")
    if _contains(term, [c.id_tag for c in held.cards]):
        kinds.add("id_tag")
    if _contains(term, [v for d in held.devices for v in (d.serial, d.ocpp_identity)]):
        kinds.add("station")
    if _contains(term, [a.login_email for a in held.accounts]):
        kinds.add("account_login")
    return kinds


def matched_by(query: str, customer: Customer, held: _Holdings) -> list[str]:
    """What of the customer's records the query names, in MATCH_KINDS order; empty when some term
    matches nothing (the customer is then not what the officer looks for)."""
    text = query.strip()
    kinds: set[str] = set()
    if looks_like_phone(text):
        # A number is one term however it is spaced; it may also be a serial, contract or tag.
        if _phone_matches(phone_query_digits(text), [customer.phone, *(c.phone for c in held.contacts)]):
            kinds.add("phone")
        compact = fold("".join(text.split()))
        kinds |= _kinds_for_term(compact, customer, held) - {"name", "email"}
    else:
        for term in search_terms(text):
            found = _kinds_for_term(term, customer, held)
            if not found:
                return []
            kinds |= found
    return [kind for kind in MATCH_KINDS if kind in kinds]


def _exact_candidates(query: str) -> list[Select[Any]]:
    """Customer ids whose identifier columns equal the query, whatever their search text says."""
    text = query.strip()
    compact = "".join(text.split())
    upper, lower = compact.upper(), compact.lower()
    queries: list[Select[Any]] = [
        select(Customer.id).where(Customer.customer_number == upper),
        select(Customer.id).where(func.lower(Customer.email) == lower),
        select(Contact.customer_id).where(func.lower(Contact.email) == lower),
        select(CustomerAccount.customer_id).where(func.lower(CustomerAccount.login_email) == lower),
        select(Contract.customer_id).where(func.upper(Contract.number) == upper),
        select(RfidCard.customer_id).where(func.upper(RfidCard.id_tag) == upper),
        select(Device.customer_id).where(or_(func.upper(Device.serial) == upper,
                                             func.upper(Device.ocpp_identity) == upper)),
    ]
    if is_valid_ico(compact):
        queries.append(select(Customer.id).where(Customer.ico == compact))
    phone = normalize_phone(text)
    if phone is not None:
        queries.append(select(Customer.id).where(Customer.phone == phone))
        queries.append(select(Contact.customer_id).where(Contact.phone == phone))
    return queries


async def _holdings(session: AsyncSession, ids: Sequence[str]) -> dict[str, _Holdings]:
    held: dict[str, _Holdings] = defaultdict(_Holdings)

    async def rows(model: Any, column: InstrumentedAttribute[str]) -> Any:
        return (await session.execute(select(model).where(column.in_(ids)))).scalars()

    for contact in await rows(Contact, Contact.customer_id):
        held[contact.customer_id].contacts.append(contact)
    for account in await rows(CustomerAccount, CustomerAccount.customer_id):
        held[account.customer_id].accounts.append(account)
    for contract in await rows(Contract, Contract.customer_id):
        held[contract.customer_id].contracts.append(contract)
    for card in await rows(RfidCard, RfidCard.customer_id):
        held[card.customer_id].cards.append(card)
    for device in await rows(Device, Device.customer_id):
        held[device.customer_id].devices.append(device)
    return held


async def find_subjects(session: AsyncSession, query: str, limit: int = MAX_RESULTS) -> list[SubjectMatch]:
    """Every customer (restricted and erased ones included) the query could mean, by name."""
    ids: set[str] = set()
    for candidates in _exact_candidates(query):
        ids.update((await session.execute(candidates.limit(limit))).scalars())
    searched = select(Customer.id).where(customer_search_clause(query)).order_by(Customer.name, Customer.id)
    ids.update((await session.execute(searched.limit(limit * 2))).scalars())
    if not ids:
        return []
    ordered = list(ids)
    customers = (await session.execute(
        select(Customer).where(Customer.id.in_(ordered)).order_by(Customer.name, Customer.customer_number)
    )).scalars().all()
    held = await _holdings(session, ordered)
    matches: list[SubjectMatch] = []
    for customer in customers:
        holdings = held[customer.id]
        kinds = matched_by(query, customer, holdings)
        if not kinds:
            continue
        accounts = [SubjectAccount(a.id, a.display_name, a.login_email, a.role)
                    for a in sorted(holdings.accounts, key=lambda a: (a.display_name, a.id))]
        matches.append(SubjectMatch(customer, kinds, accounts))
    return matches[:limit]
