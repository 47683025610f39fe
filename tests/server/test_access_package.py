"""Access and portability packages through the API: what the subject receives, grouped as they
think of it, with the Art. 15 information in Czech and English; nothing of another customer who
shares their phone number and company; sealed at rest; expiring; every download on the record."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from ema_server.db.engine import Database
from ema_server.db.models import (
    AccessPackage,
    AccessPackageContent,
    AccountLogin,
    Attachment,
    AuditRecord,
    ChargingSession,
    Connector,
    Consent,
    ConsentEvent,
    Contact,
    Contract,
    Customer,
    CustomerAccount,
    DataRecipient,
    Device,
    DeviceStatusChange,
    Document,
    PrivacyRequest,
    PrivacyRequestEntry,
    RecipientDisclosure,
    Restriction,
    RfidCard,
    Site,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
)
from ema_server.privacy import sealing
from ema_server.privacy.package import expire_packages
from tests.conftest import SignedIn, SignIn

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEST_KEY = "q1yHQZ6hLgB2J6lq6Jg4s2mHkqv0dF1bXo0fR4yS6xA"  # 32 bytes, base64url, for tests only


@pytest.fixture(autouse=True)
def package_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fixed test key; no test writes a key file outside its temporary directory."""
    monkeypatch.setenv(sealing.KEY_ENV, TEST_KEY)
    monkeypatch.setenv(sealing.DATA_DIR_ENV, str(tmp_path / "server-data"))


@dataclass
class Person:
    """One seeded customer and the identifiers that must never leak into another's package."""

    customer_id: str
    name: str
    email: str
    customer_number: str
    id_tag: str
    serial: str
    login: str
    contract_number: str
    ticket_title: str

    def identifiers(self) -> list[str]:
        return [self.name, self.email, self.customer_number, self.id_tag, self.serial, self.login,
                self.contract_number, self.ticket_title]


SHARED_PHONE = "+420601234567"
SHARED_COMPANY = ("Elektro Morava s.r.o.", "27074358")
INTERNAL_NOTE = "Internal: caller also complained about Petr Dvořák's invoices."
PUBLIC_REPLY = "We replaced the RFID reader of your station; it reads cards again."


async def seed_person(db: Database, key: str, name: str, email: str) -> Person:
    async with db.sessions() as s:
        customer = Customer(customer_number=f"C-{key}-0001", kind="business", name=name, email=email,
                            phone=SHARED_PHONE, company_name=SHARED_COMPANY[0], ico=SHARED_COMPANY[1],
                            billing_street=f"{key} street 1", billing_city="Ostrava")
        s.add(customer)
        await s.flush()
        cid = customer.id
        s.add(Contact(customer_id=cid, name=f"{name} (billing)", role="billing", email=email, phone=SHARED_PHONE))
        account = CustomerAccount(customer_id=cid, login_email=f"login.{key.lower()}@example.cz",
                                  display_name=name, role="owner")
        s.add(account)
        s.add(Contract(customer_id=cid, number=f"K-{key}-1", service="station_maintenance", price_czk=990,
                       billing_period="monthly", starts_on=T0.date()))
        site = Site(customer_id=cid, name=f"{key} depot", street=f"{key} yard 5", city="Ostrava",
                    postal_code="70900", district="Ostrava-město", region="Moravskoslezský", latitude=49.8,
                    longitude=18.2)
        s.add(site)
        await s.flush()
        device = Device(customer_id=cid, site_id=site.id, kind="wallbox", vendor="Sectron", model="AC22",
                        serial=f"SN-{key}-1", ocpp_identity=f"CP-{key}-1")
        s.add(device)
        card = RfidCard(customer_id=cid, id_tag=f"{key}TAG01", label=f"{name}'s card")
        s.add(card)
        await s.flush()
        s.add(AccountLogin(account_id=account.id, at=T0, event="login", client_address="10.0.0.1",
                           user_agent=f"EMA-App/{key}"))
        s.add(Connector(device_id=device.id, connector_no=1, standard="Type2", max_power_kw=22.0))
        s.add(DeviceStatusChange(device_id=device.id, connector_no=1, status="Faulted", error_code="ReaderFailure",
                                 at=T0))
        series = TelemetrySeries(device_id=device.id, connector_no=1, measurand="power", unit="kW")
        s.add(series)
        await s.flush()
        for minute in range(5):
            s.add(TelemetrySample(series_id=series.id, ts_ms=int(T0.timestamp() * 1000) + minute * 60_000,
                                  value=7.5 + minute))
        ticket = Ticket(number=f"T-{key}-1", kind="fault", title=f"Reader dead at {key} depot", customer_id=cid,
                        device_id=device.id, first_response_due_at=T0 + timedelta(hours=4),
                        resolution_due_at=T0 + timedelta(days=2))
        s.add(ticket)
        await s.flush()
        s.add(TicketEntry(ticket_id=ticket.id, at=T0, kind="reply", body=PUBLIC_REPLY, public=True))
        s.add(TicketEntry(ticket_id=ticket.id, at=T0, kind="note", body=INTERNAL_NOTE, public=False))
        s.add(Attachment(ticket_id=ticket.id, filename=f"reader-{key}.jpg", content_type="image/jpeg", size=1234,
                         sha256="0" * 64))
        s.add(Consent(customer_id=cid, purpose="marketing_email", granted=True, granted_at=T0, source="app"))
        s.add(ConsentEvent(customer_id=cid, purpose="marketing_email", granted=True, at=T0, source="app"))
        s.add(Document(customer_id=cid, kind="invoice", number=f"F-{key}-1", title="Invoice March",
                       issued_on=T0.date(), amount_czk=1198, retention_category="vat"))
        s.add(Restriction(customer_id=cid, ground="art18_request", reason="accuracy contested", placed_at=T0,
                          subject_notified_at=T0, lifted_at=T0 + timedelta(days=3)))
        recipient = DataRecipient(name=f"Roaming partner {key}", category="roaming_partner", country="DE",
                                  purpose="roaming authorisation of charging cards")
        s.add(recipient)
        await s.flush()
        s.add(RecipientDisclosure(recipient_id=recipient.id, customer_id=cid, data_categories=["rfid_cards"]))
        await s.commit()
        return Person(cid, name, email, customer.customer_number, card.id_tag, device.serial, account.login_email,
                      f"K-{key}-1", ticket.title)


async def add_session(db: Database, device_serial: str, customer_id: str | None, id_tag: str | None,
                      started: datetime) -> None:
    async with db.sessions() as s:
        device_id = (await s.execute(select(Device.id).where(Device.serial == device_serial))).scalar_one()
        s.add(ChargingSession(device_id=device_id, customer_id=customer_id, connector_no=1, id_tag=id_tag,
                              started_at=started, stopped_at=started + timedelta(hours=1), meter_start_wh=0,
                              meter_stop_wh=11000, energy_kwh=11.0))
        await s.commit()


@dataclass
class World:
    jana: Person
    petr: Person
    officer: SignedIn


@pytest.fixture
async def world(db: Database, sign_in: SignIn, client: httpx.AsyncClient) -> World:
    """Two business customers of the same company (same IČO) sharing one phone number, each with
    the full set of records; they charged at each other's stations."""
    jana = await seed_person(db, "JANA", "Jana Nováková", "jana.novakova@example.cz")
    petr = await seed_person(db, "PETR", "Petr Dvořák", "petr.dvorak@example.cz")
    await add_session(db, jana.serial, jana.customer_id, jana.id_tag, T0)  # Jana at home
    await add_session(db, jana.serial, petr.customer_id, petr.id_tag, T0 + timedelta(hours=2))  # Petr at Jana's
    await add_session(db, petr.serial, jana.customer_id, jana.id_tag, T0 + timedelta(hours=4))  # Jana at Petr's
    await add_session(db, petr.serial, petr.customer_id, petr.id_tag, T0 + timedelta(hours=6))  # Petr at home
    hotline = await sign_in("hotline")
    for person in (jana, petr):  # a hotline operator looks at both customers: the reads are audited
        assert (await client.get(f"/customers/{person.customer_id}", headers=hotline.headers)).status_code == 200
    return World(jana, petr, await sign_in("privacy_officer"))


async def new_request(client: httpx.AsyncClient, officer: SignedIn, person: Person | None, right: str = "access",
                      ) -> str:
    body = {"right": right, "subject_name": person.name if person else "Unknown caller", "channel": "email",
            "original_text": "Send me everything you hold about me.",
            **({"customer_id": person.customer_id} if person else {})}
    response = await client.post("/privacy-requests", json=body, headers=officer.headers)
    assert response.status_code == 201, response.text
    request_id: str = response.json()["id"]
    return request_id


async def verify_identity(db: Database, request_id: str, officer: SignedIn) -> None:
    # The identity step has its own endpoint (tests/server/test_privacy_requests.py); here it is a given.
    async with db.sessions() as s:
        await s.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id).values(
            state="in_progress", identity_check="registered_email_reply", identity_verified_at=datetime.now(UTC),
            identity_verified_by_id=officer.operator_id))
        await s.commit()


async def verified_request(client: httpx.AsyncClient, db: Database, officer: SignedIn, person: Person,
                           right: str = "access") -> str:
    request_id = await new_request(client, officer, person, right)
    await verify_identity(db, request_id, officer)
    return request_id


async def build(client: httpx.AsyncClient, officer: SignedIn, request_id: str, kind: str = "access") -> httpx.Response:
    return await client.post(f"/privacy-requests/{request_id}/packages", json={"kind": kind}, headers=officer.headers)


async def download(client: httpx.AsyncClient, officer: SignedIn, package_id: str) -> httpx.Response:
    return await client.get(f"/privacy-packages/{package_id}/content", headers=officer.headers)


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files: dict[str, bytes], path: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(files[path])
    return loaded


async def package_files(client: httpx.AsyncClient, world: World, db: Database, kind: str = "access"
                        ) -> tuple[dict[str, Any], dict[str, bytes]]:
    request_id = await verified_request(client, db, world.officer, world.jana,
                                        "access" if kind == "access" else "portability")
    built = await build(client, world.officer, request_id, kind)
    assert built.status_code == 201, built.text
    response = await download(client, world.officer, built.json()["id"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    return built.json(), unzip(response.content)


# --- what the subject receives ----------------------------------------------------------------------


async def test_access_package_holds_every_category_grouped_as_the_subject_thinks(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    package, files = await package_files(client, world, db)
    expected = {
        "01_your_account": ["customer", "contacts", "app_accounts", "login_history"],
        "02_your_contracts": ["contracts"],
        "03_your_charging_sessions": ["charging_sessions"],
        "04_your_cards": ["rfid_cards"],
        "05_your_stations_and_telemetry": ["sites", "devices", "connectors", "status_history", "telemetry_series"],
        "06_your_invoices_and_documents": ["documents"],
        "07_your_requests_and_tickets": ["tickets", "ticket_replies", "ticket_attachments", "privacy_requests",
                                         "restrictions"],
        "08_your_consents": ["consents", "consent_history"],
        "09_who_received_your_data": ["recipients"],
        "10_who_accessed_your_data": ["access_log"],
    }
    for folder, names in expected.items():
        for name in names:
            records = rows(files, f"{folder}/{name}.json")
            table = list(csv.DictReader(io.StringIO(files[f"{folder}/{name}.csv"].decode("utf-8-sig"))))
            assert len(table) == len(records) == package["categories"][name], f"{folder}/{name}"
            assert records, f"{folder}/{name} is empty but the subject has such data"
    assert rows(files, "01_your_account/customer.json")[0]["name"] == "Jana Nováková"
    assert rows(files, "04_your_cards/rfid_cards.json")[0]["id_tag"] == "JANATAG01"
    assert rows(files, "06_your_invoices_and_documents/documents.json")[0]["number"] == "F-JANA-1"
    assert [r["name"] for r in rows(files, "09_who_received_your_data/recipients.json")] == ["Roaming partner JANA"]
    telemetry = files["05_your_stations_and_telemetry/telemetry/SN-JANA-1/power_connector1.csv"].decode()
    assert telemetry.splitlines() == ["time_utc,value", "2026-03-02T08:00:00.000Z,7.5", "2026-03-02T08:01:00.000Z,8.5",
                                      "2026-03-02T08:02:00.000Z,9.5", "2026-03-02T08:03:00.000Z,10.5",
                                      "2026-03-02T08:04:00.000Z,11.5"]
    assert package["categories"]["telemetry_samples"] == 5
    series = rows(files, "05_your_stations_and_telemetry/telemetry_series.json")
    assert [(r["measurand"], r["unit"], r["samples"], r["file"]) for r in series] == [
        ("power", "kW", 5, "telemetry/SN-JANA-1/power_connector1.csv")]

    manifest = json.loads(files["manifest.json"])
    assert manifest["request_number"].startswith("P-") and manifest["kind"] == "access"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    assert all(hashlib.sha256(files[p]).hexdigest() == f["sha256"] for p, f in listed.items())
    downloaded = (await download(client, world.officer, package["id"])).content
    assert package["sha256"] == hashlib.sha256(downloaded).hexdigest()


async def test_sessions_show_where_the_subject_charged_and_who_charged_at_their_station_without_their_card(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    _, files = await package_files(client, world, db)
    sessions = rows(files, "03_your_charging_sessions/charging_sessions.json")
    seen = [(s["station_serial"], s["at_your_station"], s["charged_with"], s["id_tag"]) for s in sessions]
    assert seen == [
        ("SN-JANA-1", True, "your card", "JANATAG01"),
        ("SN-JANA-1", True, "another customer's card", None),
        (None, False, "your card", "JANATAG01"),  # at Petr's station: not named
    ]


async def test_only_public_replies_of_tickets_are_included_never_internal_notes(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    _, files = await package_files(client, world, db)
    replies = rows(files, "07_your_requests_and_tickets/ticket_replies.json")
    assert [r["text"] for r in replies] == [PUBLIC_REPLY]
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    assert "Internal: caller" not in everything
    attachments = rows(files, "07_your_requests_and_tickets/ticket_attachments.json")
    assert [a["filename"] for a in attachments] == ["reader-JANA.jpg"]


async def test_summary_gives_the_article_15_information_in_czech_and_english(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    _, files = await package_files(client, world, db)
    english = files["SUMMARY-en.txt"].decode()
    czech = files["SUMMARY-cs.txt"].decode()
    for text, headings in ((english, ["(a) Purposes", "(b) Categories", "(c) Recipients", "(d) How long",
                                      "(e) Your rights", "(f) Right to lodge a complaint", "(g) Where the data",
                                      "(h) Automated decision-making"]),
                           (czech, ["(a) Účely", "(b) Kategorie", "(c) Příjemci", "(d) Doba uložení", "(e) Vaše práva",
                                    "(f) Právo podat stížnost", "(g) Zdroj údajů", "(h) Automatizované rozhodování"])):
        positions = [text.index(h) for h in headings]
        assert positions == sorted(positions)
        assert "Pplk. Sochora 27, 170 00 Praha 7, www.uoou.cz" in text
        assert "Roaming partner JANA" in text  # the actual recipient, not only categories
        assert "Jana Nováková" in text and "JANA" in text
    assert "as held when the package was generated" in english
    assert "ve stavu ke chvíli vytvoření" in czech
    assert "10 years for VAT documents" in english and "rectification" in english and "withdraw" in english
    assert "Úřad pro ochranu osobních údajů" in czech


async def test_access_log_shows_when_and_by_which_role_not_the_staff_members_name(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    _, files = await package_files(client, world, db)
    log = rows(files, "10_who_accessed_your_data/access_log.json")
    reads = [e for e in log if e["action"] == "customer.read"]
    assert len(reads) == 1 and reads[0]["by"] == "SECTRON staff: hotline"
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    assert "hotline1" not in everything and "Test hotline" not in everything


# --- nothing of anyone else -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["access", "portability"])
async def test_package_holds_nothing_of_another_customer_with_the_same_phone_and_company(
    client: httpx.AsyncClient, db: Database, world: World, kind: str
) -> None:
    _, files = await package_files(client, world, db, kind)
    for path, data in files.items():
        text = data.decode("utf-8-sig")
        for identifier in [*world.petr.identifiers(), "PETR", world.petr.customer_id]:
            assert identifier.casefold() not in text.casefold(), f"{identifier!r} of the other customer in {path}"
    # ... and the subject's own data is there, so the search above looked at real content.
    assert world.jana.email in files["01_your_account/customer.json"].decode()


# --- portability ------------------------------------------------------------------------------------


async def test_portability_package_holds_only_what_the_subject_provided_or_was_observed(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    package, files = await package_files(client, world, db, "portability")
    folders = {path.split("/")[0] for path in files if "/" in path}
    assert folders == {"01_your_account", "03_your_charging_sessions", "04_your_cards",
                       "05_your_stations_and_telemetry", "08_your_consents"}
    assert set(package["categories"]) == {"customer", "contacts", "app_accounts", "login_history",
                                          "charging_sessions", "rfid_cards", "devices", "telemetry_series",
                                          "consents", "consent_history", "telemetry_samples"}
    assert "Art. 20" in files["SUMMARY-en.txt"].decode() and "čl. 20" in files["SUMMARY-cs.txt"].decode()


# --- refusals ----------------------------------------------------------------------------------------


async def test_no_package_before_identity_is_verified_or_without_a_subject_or_once_closed(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    officer = world.officer
    unverified = await new_request(client, officer, world.jana)
    response = await build(client, officer, unverified)
    assert response.status_code == 409 and response.json()["code"] == "identity_not_verified"

    anonymous = await new_request(client, officer, None)
    await verify_identity(db, anonymous, officer)
    response = await build(client, officer, anonymous)
    assert response.status_code == 409 and response.json()["code"] == "no_subject"

    closed = await verified_request(client, db, officer, world.jana)
    async with db.sessions() as s:
        await s.execute(update(PrivacyRequest).where(PrivacyRequest.id == closed).values(state="completed"))
        await s.commit()
    response = await build(client, officer, closed)
    assert response.status_code == 409 and response.json()["code"] == "request_closed"

    bad_kind = await client.post(f"/privacy-requests/{closed}/packages", json={"kind": "everything"},
                                 headers=officer.headers)
    assert bad_kind.status_code == 422
    missing = await build(client, officer, "00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    # Only access and portability requests get packages; a portability request only the portable one.
    erasure = await verified_request(client, db, officer, world.jana, "erasure")
    response = await build(client, officer, erasure)
    assert response.status_code == 409 and response.json()["code"] == "wrong_right"
    portability = await verified_request(client, db, officer, world.jana, "portability")
    response = await build(client, officer, portability, "access")
    assert response.status_code == 409 and response.json()["code"] == "wrong_right"
    async with db.sessions() as s:
        assert (await s.execute(select(AccessPackage.id))).first() is None
        assert (await s.execute(select(PrivacyRequestEntry.id).where(PrivacyRequestEntry.kind == "package"))
                ).first() is None


async def test_hotline_and_technician_cannot_build_list_or_download(
    client: httpx.AsyncClient, db: Database, world: World, sign_in: SignIn
) -> None:
    request_id = await verified_request(client, db, world.officer, world.jana)
    package = (await build(client, world.officer, request_id)).json()
    for role in ("hotline", "technician"):
        other = await sign_in(role)
        assert (await build(client, other, request_id)).status_code == 403
        assert (await client.get(f"/privacy-requests/{request_id}/packages", headers=other.headers)).status_code == 403
        assert (await download(client, other, package["id"])).status_code == 403


# --- storage, listing, downloads, expiry --------------------------------------------------------------


async def test_package_is_listed_newest_first_noted_in_the_request_history_and_audited(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    officer = world.officer
    request_id = await verified_request(client, db, officer, world.jana)
    first = (await build(client, officer, request_id)).json()
    second = (await build(client, officer, request_id, "portability")).json()
    assert first["expires_at"] > first["created_at"] and first["downloads"] == 0 and first["expired"] is False
    listed = (await client.get(f"/privacy-requests/{request_id}/packages", headers=officer.headers)).json()
    assert [p["id"] for p in listed["items"]] == [second["id"], first["id"]]

    for _ in range(2):
        assert (await download(client, officer, first["id"])).status_code == 200
    listed = (await client.get(f"/privacy-requests/{request_id}/packages", headers=officer.headers)).json()
    assert {p["id"]: p["downloads"] for p in listed["items"]} == {first["id"]: 2, second["id"]: 0}

    history = (await client.get(f"/privacy-requests/{request_id}", headers=officer.headers)).json()["history"]
    assert [e["new_value"] for e in history if e["kind"] == "package"] == [first["id"], second["id"]]
    async with db.sessions() as s:
        audit = (await s.execute(select(AuditRecord).where(AuditRecord.action.like("privacy_package.%"))
                                 .order_by(AuditRecord.seq))).scalars().all()
    downloads = [a for a in audit if a.action == "privacy_package.download"]
    assert len(downloads) == 2 and {a.subject_id for a in downloads} == {world.jana.customer_id}
    assert all(a.operator_id == officer.operator_id and a.entity_id == first["id"] for a in downloads)
    assert [a.action for a in audit if a.action == "privacy_package.create"] == ["privacy_package.create"] * 2
    # The trail names records and counts, never the subject's data.
    assert all("Nováková" not in a.detail and "JANATAG01" not in a.detail for a in audit)


async def test_stored_package_is_sealed_and_opens_only_with_the_servers_key(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    request_id = await verified_request(client, db, world.officer, world.jana)
    package = (await build(client, world.officer, request_id)).json()
    async with db.sessions() as s:
        stored = await s.get(AccessPackageContent, package["id"])
        assert stored is not None
        sealed, key_id = stored.content, stored.key_id
    # A ZIP keeps file names in clear text; the sealed bytes show neither them nor any ZIP structure.
    assert b"01_your_account" not in sealed and b"PK\x03\x04" not in sealed and b"JANATAG01" not in sealed
    opened = sealing.unseal(sealed, key_id, package["id"])
    assert b"01_your_account/customer.json" in opened
    with pytest.raises(sealing.WrongKey):
        sealing.unseal(sealed, key_id, package["id"], sealing.PackageKey(os.urandom(32)))
    with pytest.raises(sealing.PackageDamaged):  # moved onto another package's row
        sealing.unseal(sealed, key_id, "another-package-id")


async def test_download_with_another_key_is_refused_clearly(
    client: httpx.AsyncClient, db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_id = await verified_request(client, db, world.officer, world.jana)
    package = (await build(client, world.officer, request_id)).json()
    monkeypatch.setenv(sealing.KEY_ENV, "A" * 43)
    response = await download(client, world.officer, package["id"])
    assert response.status_code == 409 and response.json()["code"] == "package_unreadable"


async def test_expired_package_content_is_deleted_and_download_answers_410(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    request_id = await verified_request(client, db, world.officer, world.jana)
    package = (await build(client, world.officer, request_id)).json()
    fresh = (await build(client, world.officer, request_id)).json()
    expires_at = datetime.fromisoformat(package["expires_at"])
    assert expires_at - datetime.fromisoformat(package["created_at"]) == timedelta(days=30)
    async with db.sessions() as s:
        await s.execute(update(AccessPackage).where(AccessPackage.id == package["id"])
                        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        await s.commit()
    # Past its expiry it is refused at once, before housekeeping has deleted anything.
    response = await download(client, world.officer, package["id"])
    assert response.status_code == 410 and response.json()["code"] == "package_expired"
    async with db.sessions() as s:
        assert await expire_packages(s, datetime.now(UTC)) == 1
        await s.commit()
        assert await expire_packages(s, datetime.now(UTC)) == 0
        assert await s.get(AccessPackageContent, package["id"]) is None
        assert await s.get(AccessPackageContent, fresh["id"]) is not None
    listed = (await client.get(f"/privacy-requests/{request_id}/packages", headers=world.officer.headers)).json()
    state = {p["id"]: (p["expired"], p["expired_at"] is not None) for p in listed["items"]}
    assert state == {package["id"]: (True, True), fresh["id"]: (False, False)}
    assert (await download(client, world.officer, package["id"])).status_code == 410
    assert (await download(client, world.officer, fresh["id"])).status_code == 200


async def test_idempotent_retry_builds_one_package(client: httpx.AsyncClient, db: Database, world: World) -> None:
    request_id = await verified_request(client, db, world.officer, world.jana)
    headers = {**world.officer.headers, "Idempotency-Key": "package-once"}
    first = await client.post(f"/privacy-requests/{request_id}/packages", json={"kind": "access"}, headers=headers)
    again = await client.post(f"/privacy-requests/{request_id}/packages", json={"kind": "access"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json()["id"] == first.json()["id"]
    async with db.sessions() as s:
        assert len((await s.execute(select(AccessPackage.id))).all()) == 1


# --- the key --------------------------------------------------------------------------------------


def test_key_file_is_created_once_readable_only_by_the_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(sealing.KEY_ENV)
    monkeypatch.setenv(sealing.DATA_DIR_ENV, str(tmp_path / "data"))
    key = sealing.load_key()
    path = tmp_path / "data" / sealing.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sealing.load_key() == key  # the same key on the next start
    key_id, sealed = sealing.seal(b"hello", "p1")
    assert sealing.unseal(sealed, key_id, "p1") == b"hello"


def test_malformed_configured_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sealing.KEY_ENV, "c2hvcnQ")
    with pytest.raises(sealing.SealingError, match="32 bytes"):
        sealing.load_key()
