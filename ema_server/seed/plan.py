"""The customers of the demo and everything that hangs off them, one customer at a time.

`Planner.customer` turns the next random draws into the rows of one customer: the customer,
contacts, app accounts with their login history, contracts, consents, documents, RFID cards,
and (through ema_server.seed.equipment) sites and devices. It keeps a compact summary of each
customer and device (`CustomerInfo`, `DeviceInfo`) for the later phases (sessions, tickets,
privacy requests, telemetry), so the rows themselves can be written and forgotten batch by batch.

The first customers are steered through every kind and status, the first contracts through
every billing period and state, so even the small demo shows each of them; after that the draws
follow realistic proportions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ema_server.db.models import (
    AccountLogin,
    Consent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    Document,
    RfidCard,
)
from ema_server.db.models.customers import CUSTOMER_KINDS, CUSTOMER_STATUSES
from ema_server.search import build_search_text
from ema_server.seed import czech, texts
from ema_server.seed.czech import Person
from ema_server.seed.draws import Draws, Rows, new_uuid
from ema_server.seed.equipment import DeviceInfo, Equipment

_KIND_WEIGHTS = (74, 19, 3, 4)
_STATUS_WEIGHTS = (93, 2, 2, 3)
PERMISSIONS = {
    "owner": ["devices.view", "devices.control", "charging.start", "billing.view", "users.manage"],
    "manager": ["devices.view", "devices.control", "charging.start", "billing.view"],
    "driver": ["devices.view", "charging.start"],
    "viewer": ["devices.view"],
}
BILLING_PERIODS = ("monthly", "quarterly", "yearly")
CONTRACT_STATES = ("active", "ended", "terminated")
CONSENT_PURPOSES = ("marketing_email", "marketing_push", "analytics", "location", "camera")
CONSENT_SOURCES = ("app", "web", "phone", "paper", "email")


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(slots=True)
class CustomerInfo:
    id: str
    number: str
    kind: str
    status: str
    name: str
    email: str | None
    phone: str | None
    created_at: datetime
    devices: list[int] = field(default_factory=list)
    id_tags: list[str] = field(default_factory=list)
    invoice: tuple[str, int, date] | None = None
    child_name: str | None = None


@dataclass(frozen=True)
class PlanOptions:
    customers: int
    richness: float
    """0…1: how many optional devices (meters, SIMs, extra stations) customers have."""
    invoices: tuple[int, int]
    telemetry_stations: int
    telemetry_days: int
    history_steps: tuple[int, int] = (2, 5)
    """Earlier status changes per device besides its boot and its current status."""
    logins: tuple[int, int] = (0, 4)
    """Login-history events per account besides the last sign-in."""
    consents: tuple[int, int] = (2, 4)
    """Consent records of a consumer (organisations have at most one)."""
    fleet_cards: tuple[int, int] = (1, 6)
    """RFID cards of an organisation."""


class Planner(Draws):
    def __init__(self, rng: random.Random, now: datetime, options: PlanOptions, demo_secret: str) -> None:
        super().__init__(rng, now)
        self.options = options
        # Devices are drawn from the same stream, interleaved with the customer's other records.
        self.equipment = Equipment(rng, now, options, demo_secret)
        self.customers: list[CustomerInfo] = []
        self.cards: list[tuple[str, str]] = []
        """(id tag, customer id) of every active card, for sessions at public stations."""
        self._emails: set[str] = set()
        self._tags: set[str] = set()
        self._icos: set[str] = set()
        self._towns: set[str] = set()
        self._contract_no = 0
        self._document_no: dict[tuple[str, int], int] = defaultdict(int)
        self._legal_holds = 0
        self._heavy = list(czech.DIACRITICS_HEAVY)
        self._children = 0

    @property
    def devices(self) -> list[DeviceInfo]:
        return self.equipment.devices

    @property
    def telemetry(self) -> list[DeviceInfo]:
        """Chargers with minute-by-minute meter values."""
        return self.equipment.telemetry

    # --- helpers ---------------------------------------------------------------------------------

    def _unique_email(self, email: str) -> str:
        local, domain = email.split("@")
        candidate, n = email, 1
        while candidate in self._emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self._emails.add(candidate)
        return candidate

    def _id_tag(self) -> str:
        while True:
            tag = f"{self.rng.getrandbits(56 if self.rng.random() < 0.4 else 32):X}"
            tag = tag.zfill(14 if len(tag) > 8 else 8)
            if tag not in self._tags:
                self._tags.add(tag)
                return tag

    @staticmethod
    def _work_email(person: Person, domain: str) -> str:
        return f"{czech.fold_ascii(person.first_name)}.{czech.fold_ascii(person.last_name)}@{domain}".replace(" ", "")

    # --- the customer ----------------------------------------------------------------------------

    def _kind_and_status(self, index: int) -> tuple[str, str]:
        if index < len(CUSTOMER_KINDS):
            return CUSTOMER_KINDS[index], "active"
        if index < len(CUSTOMER_KINDS) + len(CUSTOMER_STATUSES) - 1:
            return "consumer", CUSTOMER_STATUSES[index - len(CUSTOMER_KINDS) + 1]
        kind = self.rng.choices(CUSTOMER_KINDS, weights=_KIND_WEIGHTS)[0]
        return kind, self.rng.choices(CUSTOMER_STATUSES, weights=_STATUS_WEIGHTS)[0]

    def _company(self, kind: str) -> czech.Company | None:
        for _ in range(8):
            company = czech.company(self.rng, kind)  # type: ignore[arg-type]
            if company.ico in self._icos or (kind == "municipality" and company.address.town in self._towns):
                continue
            self._icos.add(company.ico)
            if kind == "municipality":
                self._towns.add(company.address.town)
            return company
        return None

    def customer(self, index: int) -> Rows:
        """All rows of the ``index``-th customer, parents before children in each table."""
        rng = self.rng
        rows: Rows = defaultdict(list)
        kind, status = self._kind_and_status(index)
        company = None
        if kind != "consumer":
            company = self._company(kind)
            if company is None:  # every town's municipality is taken already
                kind, company = "business", self._company("business")
        if kind == "consumer" and self._heavy and index >= 8 and (index % 7 == 0 or index >= 60):
            first, last = self._heavy.pop(0)
            person = czech.named_person(rng, first, last)
        else:
            person = czech.person(rng)
        # Customer numbers follow the order customers joined: the newest have the highest.
        span = 6 * 365 * 86400
        created = self.now - timedelta(seconds=int(span * (1 - (index + rng.random()) / self.options.customers)))
        created = min(created, self.now - timedelta(hours=2))
        customer_id = new_uuid(rng)
        if company is None:
            address = czech.street_address(rng, czech.pick_town(rng))
            email = self._unique_email(person.email)
            phone = person.phone
            domain = email.split("@")[1]
        else:
            address = company.address
            email, phone = company.email, company.phone
            domain = company.email.split("@")[1]
        info = CustomerInfo(customer_id, f"C{1_000_000 + index + 1:07d}", kind, status, person.full_name, email,
                            phone, created)  # fmt: skip
        contacts = self._contacts(rows, info, person, company, domain)
        accounts = self._accounts(rows, info, person, company, domain)
        contracts = self._contracts(rows, info)
        marketing = self._consents(rows, info)
        cards = self._cards(rows, info, company is None)
        self.equipment.sites_and_devices(rows, info, index, address, company)
        self._documents(rows, info, contracts)
        delivery = czech.street_address(rng, czech.pick_town(rng)) if company is None and rng.random() < 0.08 else None
        devices = [self.devices[i] for i in info.devices]
        search_text = build_search_text(
            name=info.name,
            company_name=company.name if company else None,
            emails=[email, *(c["email"] for c in contacts), *(a["login_email"] for a in accounts)],
            phones=[phone, *(c["phone"] for c in contacts)],
            customer_number=info.number,
            ico=company.ico if company else None,
            dic=company.dic if company else None,
            serials=[d.serial for d in devices],
            ocpp_identities=[d.ocpp_identity for d in devices],
            id_tags=cards,
            contract_numbers=[c["number"] for c in contracts],
        )
        rows[Customer].append({
            "id": customer_id, "customer_number": info.number, "kind": kind, "name": info.name,
            "company_name": company.name if company else None, "ico": company.ico if company else None,
            "dic": company.dic if company else None, "email": email, "phone": phone,
            "language": "en" if rng.random() < 0.02 else "cs",
            "birth_date": person.birth_date if company is None else None,
            "billing_street": f"{address.street} {address.house_number}", "billing_city": address.town,
            "billing_postal_code": address.postal_code, "billing_country": "CZ",
            "delivery_street": f"{delivery.street} {delivery.house_number}" if delivery else None,
            "delivery_city": delivery.town if delivery else None,
            "delivery_postal_code": delivery.postal_code if delivery else None,
            "region": address.region, "status": status,
            "marketing_email": marketing["marketing_email"], "marketing_push": marketing["marketing_push"],
            "search_text": search_text, "version": 1, "created_at": created,
            "updated_at": self._between(created, self.now),
        })  # fmt: skip
        self.customers.append(info)
        return rows

    def _contacts(
        self, rows: Rows, info: CustomerInfo, person: Person, company: czech.Company | None, domain: str
    ) -> list[dict[str, Any]]:
        rng = self.rng
        people: list[tuple[str, Person, str | None]] = []
        if company is None:
            if rng.random() < 0.2:
                partner = czech.person(rng)
                people.append(("general", partner, partner.email))
        else:
            people.append(("technical", person, self._work_email(person, domain)))
            if rng.random() < 0.5:
                clerk = czech.person(rng)
                people.append(("billing", clerk, self._work_email(clerk, domain)))
        out = []
        for role, who, email in people:
            when = self._between(info.created_at, self.now)
            row = {"id": new_uuid(rng), "customer_id": info.id, "name": who.full_name, "role": role, "email": email,
                   "phone": who.phone, "version": 1, "created_at": when, "updated_at": when}  # fmt: skip
            rows[Contact].append(row)
            out.append(row)
        return out

    def _accounts(
        self, rows: Rows, info: CustomerInfo, person: Person, company: czech.Company | None, domain: str
    ) -> list[dict[str, Any]]:
        rng = self.rng
        members: list[tuple[Person, str, str, datetime | None]] = []
        if company is None:
            members.append((person, info.email or person.email, "owner", None))
            if rng.random() < 0.3:
                partner = czech.person(rng)
                members.append((partner, partner.email, "driver", None))
            if rng.random() < 0.08 or self._children == 0:
                self._children += 1
                kid = czech.child(rng, person)
                consent = self._between(info.created_at, self.now)
                members.append((kid, kid.email, "viewer", consent))
                info.child_name = kid.full_name
        else:
            members.append((person, self._work_email(person, domain), "owner" if company.kind == "business"
                            else "manager", None))  # fmt: skip
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                driver = czech.person(rng)
                members.append((driver, self._work_email(driver, domain), rng.choice(("driver", "driver", "viewer")),
                                None))  # fmt: skip
        active = info.status in ("active", "restricted")
        out = []
        for who, email, role, guardian_consent in members:
            created = self._between(info.created_at, min(self.now, info.created_at + timedelta(days=30)))
            if guardian_consent is not None:
                created = guardian_consent
            last_login = self._ago(0, 60) if active and rng.random() < 0.9 else None
            if last_login is not None and last_login < created:
                last_login = self._between(created, self.now)
            row = {
                "id": new_uuid(rng), "customer_id": info.id, "login_email": self._unique_email(email),
                "display_name": who.full_name, "role": role, "permissions": PERMISSIONS[role],
                "birth_date": who.birth_date if company is None else None, "guardian_consent_at": guardian_consent,
                "active": active, "last_login_at": last_login, "version": 1, "created_at": created,
                "updated_at": last_login or created,
            }  # fmt: skip
            rows[CustomerAccount].append(row)
            out.append(row)
            self._logins(rows, str(row["id"]), created, last_login)
        return out

    def _logins(self, rows: Rows, account_id: str, created: datetime, last_login: datetime | None) -> None:
        if last_login is None:
            return
        rng = self.rng
        earliest = max(created, self.now - timedelta(days=365))
        moments = sorted(self._between(earliest, last_login) for _ in range(rng.randint(*self.options.logins)))
        for at in [*moments, last_login]:
            roll = rng.random()
            event = "failed_login" if roll < 0.12 else "password_changed" if roll < 0.15 else (
                "mfa_enabled" if roll < 0.17 else "login")  # fmt: skip
            if at == last_login:
                event = "login"
            rows[AccountLogin].append({"account_id": account_id, "at": at, "event": event,
                                       "client_address": texts.client_address(rng),
                                       "user_agent": rng.choice(texts.USER_AGENTS)})  # fmt: skip

    def _contracts(self, rows: Rows, info: CustomerInfo) -> list[dict[str, Any]]:
        rng = self.rng
        services = ["ema_subscription"] if info.kind == "consumer" else ["station_maintenance"]
        if rng.random() < 0.45:
            services.append("station_maintenance" if info.kind == "consumer" else "ema_subscription")
        if rng.random() < 0.25 or len(self.customers) < 3:
            services.append("sim_connectivity")
        out = []
        for service in services:
            period = rng.choices(BILLING_PERIODS, weights=(5, 2, 3))[0]
            monthly = {"ema_subscription": 149 if info.kind == "consumer" else 249,
                       "station_maintenance": rng.choice((390, 590, 890, 1290, 1890)),
                       "sim_connectivity": rng.choice((149, 199, 299))}[service]  # fmt: skip
            price = monthly * {"monthly": 1, "quarterly": 3, "yearly": 11}[period]
            starts = (info.created_at + timedelta(days=rng.randint(0, 20))).date()
            starts = min(starts, self.today)
            if info.status == "closed":
                state = rng.choice(("ended", "terminated"))
            else:
                state = rng.choices(CONTRACT_STATES, weights=(88, 8, 4))[0]
            if self._contract_no < len(CONTRACT_STATES):
                # The first contracts show every billing period and state.
                period, state = BILLING_PERIODS[self._contract_no], CONTRACT_STATES[self._contract_no]
            ends: date | None = None
            if state == "active":
                if rng.random() < 0.3:
                    ends = _years_later(starts, rng.choice((2, 3, 4)))
                    if ends <= self.today:
                        ends = None
            else:
                latest = max(starts + timedelta(days=1), self.today - timedelta(days=1))
                ends = starts + timedelta(days=1 + int(rng.random() * max(1, (latest - starts).days)))
            self._contract_no += 1
            created = datetime.combine(starts, datetime.min.time(), UTC) + timedelta(hours=rng.randint(7, 16))
            created = min(created, self.now)
            row = {"id": new_uuid(rng), "customer_id": info.id,
                   "number": f"SML-{starts.year}-{self._contract_no:06d}", "service": service, "price_czk": price,
                   "billing_period": period, "starts_on": starts, "ends_on": ends, "status": state, "version": 1,
                   "created_at": created, "updated_at": self._between(created, self.now)}  # fmt: skip
            rows[Contract].append(row)
            out.append(row)
        return out

    def _consents(self, rows: Rows, info: CustomerInfo) -> dict[str, bool]:
        rng = self.rng
        purposes = list(CONSENT_PURPOSES) if info.kind == "consumer" else ["marketing_email"]
        count = rng.randint(*self.options.consents) if info.kind == "consumer" else int(rng.random() < 0.5)
        if len(self.customers) < 2:
            count = len(purposes)
        chosen = purposes[:count] if len(self.customers) < 2 else rng.sample(purposes, count)
        granted_now = {"marketing_email": False, "marketing_push": False}
        for purpose in chosen:
            first = self._between(info.created_at, self.now)
            roll = rng.random()
            if roll < 0.65 or (len(self.customers) == 0 and purpose == chosen[0]):
                granted, granted_at, withdrawn = True, first, None
            elif roll < 0.9 or len(self.customers) == 0:
                granted, granted_at, withdrawn = False, first, self._between(first, self.now)
            else:
                granted, granted_at, withdrawn = False, None, None  # asked and declined
            if purpose in granted_now:
                granted_now[purpose] = granted
            rows[Consent].append({"id": new_uuid(rng), "customer_id": info.id, "purpose": purpose,
                                  "granted": granted, "granted_at": granted_at, "withdrawn_at": withdrawn,
                                  "source": rng.choice(CONSENT_SOURCES), "version": 1, "created_at": first,
                                  "updated_at": withdrawn or first})  # fmt: skip
        return granted_now

    def _cards(self, rows: Rows, info: CustomerInfo, consumer: bool) -> list[str]:
        rng = self.rng
        count = rng.choices((0, 1, 2), weights=(5, 80, 15))[0] if consumer else rng.randint(*self.options.fleet_cards)
        for _ in range(max(count, 1 if len(self.customers) < 4 else 0)):
            tag = self._id_tag()
            active = info.status in ("active", "restricted") and rng.random() < 0.93
            first_name = info.name.split()[0]
            label = (rng.choice((f"Karta {first_name}", "Klíčenka", None)) if consumer
                     else f"Služební vůz {texts.licence_plate(rng)}")  # fmt: skip
            when = self._between(info.created_at, self.now)
            rows[RfidCard].append({"id": new_uuid(rng), "customer_id": info.id, "id_tag": tag, "label": label,
                                   "active": active, "version": 1, "created_at": when, "updated_at": when})  # fmt: skip
            info.id_tags.append(tag)
            if active:
                self.cards.append((tag, info.id))
        return info.id_tags

    def _documents(self, rows: Rows, info: CustomerInfo, contracts: list[dict[str, Any]]) -> None:
        rng = self.rng

        def add(
            kind: str, number: str, title: str, issued: date, amount: int | None, category: str, retain: date | None
        ) -> None:
            hold = rng.random() < 0.01 or self._legal_holds == 0
            self._legal_holds += hold
            when = min(datetime.combine(issued, datetime.min.time(), UTC) + timedelta(hours=9), self.now)
            rows[Document].append({"id": new_uuid(rng), "customer_id": info.id, "kind": kind, "number": number,
                                   "title": title, "issued_on": issued, "amount_czk": amount,
                                   "retention_category": category, "retain_until": retain, "legal_hold": hold,
                                   "version": 1, "created_at": when, "updated_at": when})  # fmt: skip

        def number(prefix: str, year: int) -> str:
            self._document_no[(prefix, year)] += 1
            return f"{prefix}{year}{self._document_no[(prefix, year)]:06d}"

        for contract in contracts:
            ends = contract["ends_on"]
            title = texts.SERVICE_CONTRACT_TITLES[contract["service"]]
            add("contract", contract["number"], title, contract["starts_on"], None,
                "contract", _years_later(ends, 3) if ends and contract["status"] != "active" else None)  # fmt: skip
        low, high = self.options.invoices
        since = info.created_at.date()
        for _ in range(rng.randint(low, high)):
            issued = since + timedelta(days=int(rng.random() * ((self.today - since).days + 1)))
            amount = rng.choice((149, 249, 599, 890, 1290, 2490, 4990)) * rng.randint(1, 3)
            invoice_no = number("FV", issued.year)
            add(
                "invoice",
                invoice_no,
                texts.invoice_title(issued.month, issued.year),
                issued,
                amount,
                "vat",
                date(issued.year + 10, 12, 31),
            )
            if info.invoice is None or issued > info.invoice[2]:
                info.invoice = (invoice_no, amount, issued)
            if rng.random() < 0.05:
                credit = min(self.today, issued + timedelta(days=rng.randint(5, 40)))
                add(
                    "credit_note",
                    number("DB", credit.year),
                    texts.credit_note_title(invoice_no),
                    credit,
                    amount // 2,
                    "accounting",
                    date(credit.year + 5, 12, 31),
                )
        if info.devices and rng.random() < 0.3:
            issued = self._between(info.created_at, self.now).date()
            device = self.devices[info.devices[0]]
            add(
                "service_report",
                number("SL", issued.year),
                texts.service_report_title(device.model, device.serial),
                issued,
                None,
                "legal_claims",
                _years_later(issued, 3),
            )
