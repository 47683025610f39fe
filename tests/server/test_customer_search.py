"""Finding a customer by anything the caller says: name with or without diacritics, any way of
writing a phone number, customer number, IČO, DIČ, e-mail, company, station serial, OCPP id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ema_server.db.engine import Database
from ema_server.db.models import Device, RfidCard
from ema_server.search import build_search_text, phone_query_digits, refresh_customer_search_text
from tests.conftest import SignedIn
from tests.server.test_customers import VALID_DIC, VALID_ICO, if_match, new_customer


async def found(client: httpx.AsyncClient, who: SignedIn, q: str, **params: Any) -> list[str]:
    """Names of the customers a search finds, in the order shown."""
    response = await client.get("/customers", params={"q": q, **params}, headers=who.headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    "typed",
    [
        "+420 601 234 567",
        "+420601234567",
        "601234567",
        "00420601234567",
        "601 234 567",
        "601-234-567",
        "420601234567",
        "(+420) 601 234 567",
        "601 234",
        "+420 601 234",
    ],
)
async def test_phone_number_in_any_written_form_finds_the_customer(
    client: httpx.AsyncClient, admin: SignedIn, typed: str
) -> None:
    await new_customer(client, admin, name="Jan Novák", phone="+420601234567")
    await new_customer(client, admin, name="Petr Svoboda", phone="+420 602 111 222")
    assert await found(client, admin, typed) == ["Jan Novák"]


async def test_contact_persons_phone_and_email_find_the_customer(client: httpx.AsyncClient, admin: SignedIn) -> None:
    customer = await new_customer(client, admin, name="Obec Hať", kind="municipality")
    await new_customer(client, admin, name="Petr Svoboda")
    response = await client.post(
        f"/customers/{customer['id']}/contacts",
        json={"name": "Starosta", "phone": "731 222 333", "email": "starosta@hat.cz"},
        headers=admin.headers,
    )
    assert response.status_code == 201
    assert await found(client, admin, "+420731222333") == ["Obec Hať"]
    assert await found(client, admin, "starosta@hat.cz") == ["Obec Hať"]


async def test_identifiers_find_the_customer(client: httpx.AsyncClient, admin: SignedIn) -> None:
    company = await new_customer(
        client,
        admin,
        kind="business",
        name="Petra Malá",
        ico=VALID_ICO,
        dic=VALID_DIC,
        company_name="Elektro Dvořák s.r.o.",
        email="Petra.Mala@Elektro-Dvorak.cz",
    )
    await new_customer(client, admin, name="Jan Novák", email="jan.novak@seznam.cz")
    for typed in (
        company["customer_number"],
        company["customer_number"].lower(),
        VALID_ICO,
        VALID_DIC,
        "cz25596641",
        "petra.mala@elektro-dvorak.cz",
        "Elektro Dvořák",
        "elektro dvorak s.r.o.",
    ):
        assert await found(client, admin, typed) == ["Petra Malá"], typed


async def test_diacritics_and_case_do_not_matter_either_way(client: httpx.AsyncClient, admin: SignedIn) -> None:
    await new_customer(client, admin, name="Antonín Dvořák")
    await new_customer(client, admin, name="Bohumil Dvorak")
    await new_customer(client, admin, name="Jan Novák")
    assert await found(client, admin, "dvorak") == ["Antonín Dvořák", "Bohumil Dvorak"]
    assert await found(client, admin, "DVOŘÁK") == ["Antonín Dvořák", "Bohumil Dvorak"]
    assert await found(client, admin, "antonin") == ["Antonín Dvořák"]
    assert await found(client, admin, "bohumil dvořák") == ["Bohumil Dvorak"]


async def test_every_term_must_match(client: httpx.AsyncClient, admin: SignedIn) -> None:
    await new_customer(client, admin, name="Jan Novák")
    await new_customer(client, admin, name="Petr Novák")
    await new_customer(client, admin, name="Jan Svoboda")
    assert await found(client, admin, "novák jan") == ["Jan Novák"]
    assert await found(client, admin, "Novák, Petr") == ["Petr Novák"]
    assert await found(client, admin, "jan") == ["Jan Novák", "Jan Svoboda"]


async def test_station_serial_ocpp_identity_and_rfid_find_the_owner(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    owner = await new_customer(client, admin, name="Jan Novák")
    await new_customer(client, admin, name="Petr Svoboda")
    assert await found(client, admin, "SEC-2023-0001-45") == []
    async with db.sessions() as session:
        session.add(
            Device(
                customer_id=owner["id"],
                kind="charging_station",
                vendor="SECTRON",
                model="DC50",
                serial="SEC-2023-0001-45",
                ocpp_identity="OSTRAVA-CP-07",
            )
        )
        session.add(RfidCard(customer_id=owner["id"], id_tag="04A1B2C3D4"))
        await session.flush()
        await refresh_customer_search_text(session, owner["id"])
        await session.commit()
    assert await found(client, admin, "SEC-2023-0001-45") == ["Jan Novák"]
    assert await found(client, admin, "sec-2023-0001") == ["Jan Novák"]
    assert await found(client, admin, "2023-0001-45") == ["Jan Novák"]  # looks like a phone, is a serial
    assert await found(client, admin, "ostrava-cp-07") == ["Jan Novák"]
    assert await found(client, admin, "04a1b2c3d4") == ["Jan Novák"]


async def test_like_wildcards_in_the_query_are_literal(client: httpx.AsyncClient, admin: SignedIn) -> None:
    await new_customer(client, admin, name="Jan Novák", company_name="ABC_Energo")
    await new_customer(client, admin, name="Petr Svoboda", company_name="ABCxEnergo")
    await new_customer(client, admin, name="Eva Malá", company_name="Solar 100% s.r.o.")
    assert await found(client, admin, "%") == ["Eva Malá"]
    assert await found(client, admin, "_") == ["Jan Novák"]
    assert await found(client, admin, "abc_") == ["Jan Novák"]
    assert await found(client, admin, "abc%energo") == []
    assert await found(client, admin, "100%") == ["Eva Malá"]
    assert await found(client, admin, "/") == []


async def test_exact_number_or_phone_is_listed_first(client: httpx.AsyncClient, admin: SignedIn) -> None:
    owner = await new_customer(client, admin, name="Zdeněk Zelený", phone="+420601234567")
    other = await new_customer(client, admin, name="Adam Adámek")
    # Adam's contact person shares the number; the customer whose own number it is comes first.
    await client.post(
        f"/customers/{other['id']}/contacts", json={"name": "Zdeněk", "phone": "601234567"}, headers=admin.headers
    )
    assert await found(client, admin, "601 234 567") == ["Zdeněk Zelený", "Adam Adámek"]
    assert await found(client, admin, "601 234") == ["Adam Adámek", "Zdeněk Zelený"]
    assert (await found(client, admin, owner["customer_number"]))[0] == "Zdeněk Zelený"


async def test_search_pages_through_all_matches(client: httpx.AsyncClient, admin: SignedIn) -> None:
    names = [f"Novák {letter}" for letter in "ABCDEFG"]
    for name in reversed(names):
        await new_customer(client, admin, name=name)
    await new_customer(client, admin, name="Petr Svoboda")
    seen: list[str] = []
    for offset in (0, 3, 6):
        response = await client.get(
            "/customers", params={"q": "novak", "limit": 3, "offset": offset}, headers=admin.headers
        )
        page = response.json()
        assert (page["total"], page["limit"], page["offset"]) == (7, 3, offset)
        seen += [item["name"] for item in page["items"]]
    assert seen == names
    beyond = (await client.get("/customers", params={"q": "novak", "offset": 50}, headers=admin.headers)).json()
    assert beyond["items"] == [] and beyond["total"] == 7
    everyone = (await client.get("/customers", params={"limit": 2}, headers=admin.headers)).json()
    assert everyone["total"] == 8 and len(everyone["items"]) == 2
    too_many = await client.get("/customers", params={"limit": 501}, headers=admin.headers)
    assert too_many.status_code == 422


async def test_list_filters_by_kind_status_and_region(client: httpx.AsyncClient, admin: SignedIn) -> None:
    await new_customer(client, admin, name="Jan Novák", region="Zlínský kraj")
    firm = await new_customer(client, admin, name="Eva Nováková", kind="business", ico=VALID_ICO, region="Zlínský kraj")
    await client.post(
        f"/customers/{firm['id']}/status",
        json={"status": "blocked", "reason": "unpaid invoices"},
        headers=if_match(admin, firm["version"]),
    )
    assert await found(client, admin, "novak", kind="business") == ["Eva Nováková"]
    assert await found(client, admin, "", status="blocked") == ["Eva Nováková"]
    assert await found(client, admin, "", region="Zlínský kraj", status="active") == ["Jan Novák"]
    assert await found(client, admin, "", region="Kraj Vysočina") == []
    bad = await client.get("/customers", params={"status": "asleep"}, headers=admin.headers)
    assert bad.status_code == 422


async def test_list_items_carry_the_summary_fields(client: httpx.AsyncClient, admin: SignedIn) -> None:
    created = await new_customer(client, admin, name="Jan Novák", phone="601234567", email="jan@example.cz")
    [item] = (await client.get("/customers", params={"q": "novak"}, headers=admin.headers)).json()["items"]
    assert set(item) == {
        "id",
        "customer_number",
        "kind",
        "name",
        "company_name",
        "ico",
        "email",
        "restricted_at",
        "erased_at",
        "phone",
        "status",
        "region",
        "version",
    }
    assert item["id"] == created["id"] and item["phone"] == "+420601234567"


async def test_edits_keep_the_search_current(client: httpx.AsyncClient, admin: SignedIn) -> None:
    customer = await new_customer(client, admin, name="Jan Novák", phone="601234567")
    response = await client.patch(
        f"/customers/{customer['id']}",
        json={"phone": "777 000 111", "name": "Jan Nový"},
        headers=if_match(admin, customer["version"]),
    )
    assert response.status_code == 200
    assert await found(client, admin, "601234567") == []
    assert await found(client, admin, "novak") == []
    assert await found(client, admin, "777000111") == ["Jan Nový"]
    contact = (
        await client.post(
            f"/customers/{customer['id']}/contacts",
            json={"name": "Marie", "email": "marie@skocdopole.cz"},
            headers=admin.headers,
        )
    ).json()
    assert await found(client, admin, "marie@skocdopole.cz") == ["Jan Nový"]
    await client.delete(
        f"/customers/{customer['id']}/contacts/{contact['id']}", headers=if_match(admin, contact["version"])
    )
    assert await found(client, admin, "marie@skocdopole.cz") == []


async def test_odd_queries_are_answered_not_crashed(client: httpx.AsyncClient, admin: SignedIn) -> None:
    await new_customer(client, admin, name="Jan Novák")
    for typed in ("'; DROP TABLE customers; --", "+", "00", "\\", "ǅ", "%%%%", "a" * 200, ",,, ;;"):
        response = await client.get("/customers", params={"q": typed}, headers=admin.headers)
        assert response.status_code == 200, typed
    assert (await client.get("/customers", params={"q": "a" * 201}, headers=admin.headers)).status_code == 422
    assert (await client.get("/customers", params={"q": "jan\x00"}, headers=admin.headers)).status_code == 422


def test_search_text_holds_folded_identifiers_once() -> None:
    text = build_search_text(
        name="Antonín Dvořák",
        company_name=None,
        emails=["A.Dvorak@Example.cz", None],
        phones=["+420 601 234 567", "601234567", "not a phone"],
        customer_number="C0000042",
        ico=VALID_ICO,
        dic=VALID_DIC,
        serials=["SN-1"],
        ocpp_identities=["CP-Ostrava"],
        id_tags=["04A1"],
    )
    assert text == "antonin dvorak c0000042 25596641 cz25596641 a.dvorak@example.cz 601234567 sn-1 cp-ostrava 04a1"


def test_partial_international_numbers_lose_the_czech_country_code() -> None:
    assert phone_query_digits("+420 601 234") == "601234"
    assert phone_query_digits("00420 601 234") == "601234"
    assert phone_query_digits("601 234") == "601234"
    assert phone_query_digits("+421 901 234") == "421901234"
    assert phone_query_digits("00 420 601 234 567") == "601234567"
