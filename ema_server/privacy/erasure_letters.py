"""The letter to the subject after an erasure, in Czech and English: what was erased, what is
anonymised, what is kept until when and why (the legal basis in words), who was told, and the
right to complain to the supervisory authority (ÚOOÚ).

Built from the erasure report and the customer row *before* the row is reduced or deleted: the
letter needs the name and address it is sent to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ema_server.db.models import Customer, PrivacyRequest
from ema_server.domain.deadlines import PRAGUE

BASIS_EN = {
    "accounting": "the Accounting Act (No. 563/1991 Coll., §31) obliges us to keep accounting records for 5 years",
    "vat": "the VAT Act (No. 235/2004 Coll., §35) obliges us to keep tax documents for 10 years",
    "legal_claims": "we need them to settle or defend legal claims (your complaint) during the limitation period "
                    "(Art. 17(3)(e) GDPR)",
    "legal_hold": "they are needed for pending legal proceedings (a legal hold); they are kept until the "
                  "proceedings end",
    "contract": "they are needed to perform a contract that is still in force (Art. 6(1)(b) GDPR); the right to "
                "erasure does not reach them until the contract ends",
    "accountability": "it is our record of how we handled your requests, which we must be able to show "
                      "(Art. 5(2) GDPR)",
}  # fmt: skip
BASIS_CS = {
    "accounting": "zákon o účetnictví (č. 563/1991 Sb., §31) nám ukládá uchovávat účetní záznamy 5 let",
    "vat": "zákon o DPH (č. 235/2004 Sb., §35) nám ukládá uchovávat daňové doklady 10 let",
    "legal_claims": "potřebujeme je k vyřízení nebo obhajobě právních nároků (vaší reklamace) po dobu promlčecí "
                    "lhůty (čl. 17 odst. 3 písm. e) GDPR)",
    "legal_hold": "jsou potřebné pro probíhající řízení (blokace); uchováváme je do jeho skončení",
    "contract": "jsou potřebné k plnění smlouvy, která stále trvá (čl. 6 odst. 1 písm. b) GDPR); právo na výmaz "
                "se na ně vztahuje až po skončení smlouvy",
    "accountability": "jde o náš záznam o vyřízení vašich žádostí, který musíme umět doložit (čl. 5 odst. 2 GDPR)",
}  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
AUTHORITY_EN = ("If you believe we have not handled your personal data lawfully, you have the right to lodge a "
                "complaint with the Office for Personal Data Protection (ÚOOÚ), Pplk. Sochora 27, 170 00 Prague 7, "
                "https://www.uoou.cz, and to seek a judicial remedy.")  # fmt: skip
AUTHORITY_CS = ("Pokud se domníváte, že s vašimi osobními údaji nenakládáme v souladu se zákonem, máte právo podat "
                "stížnost u Úřadu pro ochranu osobních údajů (ÚOOÚ), Pplk. Sochora 27, 170 00 Praha 7, "
                "https://www.uoou.cz, a obrátit se na soud.")  # fmt: skip
SIGNATURE = "SECTRON s.r.o.\nsekretariat@sectron.cz, +420 556 621 012"


def _en_date(day: date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _cs_date(day: date) -> str:
    return f"{day.day}. {day.month}. {day.year}"


def _address(customer: Customer) -> list[str]:
    lines = [customer.name]
    if customer.company_name:
        lines.append(customer.company_name)
    if customer.billing_street:
        lines.append(customer.billing_street)
    city = " ".join(p for p in (customer.billing_postal_code, customer.billing_city) if p)
    if city:
        lines.append(city)
    return lines


_CATEGORY_EN = {
    "roaming_partner": "roaming partner", "payment_provider": "payment provider", "mailing_tool": "mailing service",
    "helpdesk": "helpdesk service", "hosting": "hosting provider", "authority": "public authority",
}  # fmt: skip
_CATEGORY_CS = {
    "roaming_partner": "roamingový partner", "payment_provider": "poskytovatel plateb",
    "mailing_tool": "služba pro rozesílání e-mailů", "helpdesk": "helpdesková služba",
    "hosting": "poskytovatel hostingu", "authority": "orgán veřejné moci",
}  # fmt: skip
_NOTICE_EN = {
    "pending": "we are telling them of the erasure", "notified": "told of the erasure",
    "acknowledged": "told of the erasure, and confirmed it",
    "exempted": "not told, as it is impossible or would take disproportionate effort (Article 19 GDPR)",
}  # fmt: skip
_NOTICE_CS = {
    "pending": "informujeme jej o výmazu", "notified": "informován o výmazu",
    "acknowledged": "informován o výmazu, výmaz potvrdil",
    "exempted": "neinformován, protože to není možné nebo by to vyžadovalo nepřiměřené úsilí (čl. 19 GDPR)",
}  # fmt: skip


def _recipient_en(r: dict[str, Any]) -> str:
    category = _CATEGORY_EN.get(r["category"], r["category"])
    return f"  - {r['name']} ({category}): {_NOTICE_EN.get(r['state'], r['state'])}"


def _recipient_cs(r: dict[str, Any]) -> str:
    category = _CATEGORY_CS.get(r["category"], r["category"])
    return f"  - {r['name']} ({category}): {_NOTICE_CS.get(r['state'], r['state'])}"


def _count_en(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def _count_cs(n: int) -> str:
    return f"{n} záznam" if n == 1 else (f"{n} záznamy" if 2 <= n <= 4 else f"{n} záznamů")


def build_letters(
    customer: Customer, report: dict[str, Any], request: PrivacyRequest, now: datetime
) -> tuple[str, str]:
    """(letter_cs, letter_en) for the subject of `request`."""
    today = now.astimezone(PRAGUE).date()
    received = request.received_at.astimezone(PRAGUE).date()
    return _letter_cs(customer, report, request.number, received, today), _letter_en(
        customer, report, request.number, received, today)


def _letter_en(customer: Customer, report: dict[str, Any], number: str, received: date, today: date) -> str:
    out = [*_address(customer), "", f"Ostrava, {_en_date(today)}", "",
           f"Your request {number} to erase your personal data", "", f"Dear {customer.name},", "",
           f"on {_en_date(received)} you asked us to erase your personal data (Article 17 GDPR). We verified your "
           f"identity and carried out your request on {_en_date(today)}.", ""]  # fmt: skip
    out.append("What we erased:")
    out += [f"  - {line['label_en']}: {_count_en(line['count'])}" for line in report["erased"]] or ["  - nothing"]
    if report["anonymised"]:
        out += ["", "What we anonymised (records that stay for others, no longer linked to you: for example charging "
                    "sessions at other customers' stations no longer name you or your card):"]  # fmt: skip
        out += [f"  - {line['label_en']}: {_count_en(line['count'])}" for line in report["anonymised"]]
    out += ["", "What we keep, until when and why:"]
    if not report["kept"]:
        out.append("  - nothing")
    for line in report["kept"]:
        until = f"until {_en_date(date.fromisoformat(line['keep_until']))}" if line["keep_until"] else \
            "until the reason ends (no date can be given yet)"  # fmt: skip
        out.append(f"  - {line['label_en']}: {_count_en(line['count'])}, {until}, because "
                   f"{BASIS_EN.get(line['basis'], line['basis'])} ({line['legal_reference']}).")
    if report["kept"]:
        out += ["", "What we keep is restricted: it is only stored, used for nothing else, and erased when its "
                    "period ends. Of your customer record we keep only what those records need (name, billing "
                    "address, company ID and VAT ID); your e-mail, phone, birth date, delivery address and "
                    "marketing preferences are erased."]  # fmt: skip
    out += ["", "Who received your data and is told of the erasure:"]
    if report["recipients"]:
        out += [_recipient_en(r) for r in report["recipients"]]
    else:
        out.append("  - no recipients: we did not pass your data to anyone who would need to be told.")
    out += ["", AUTHORITY_EN, "", "Yours sincerely,", SIGNATURE]
    return "\n".join(out) + "\n"


def _letter_cs(customer: Customer, report: dict[str, Any], number: str, received: date, today: date) -> str:
    out = [*_address(customer), "", f"V Ostravě dne {_cs_date(today)}", "",
           f"Vaše žádost {number} o výmaz osobních údajů", "", "Vážená paní, vážený pane,", "",
           f"dne {_cs_date(received)} jste nás požádali o výmaz svých osobních údajů (čl. 17 GDPR). Ověřili jsme vaši "
           f"totožnost a žádosti jsme vyhověli dne {_cs_date(today)}.", ""]  # fmt: skip
    out.append("Co jsme vymazali:")
    out += [f"  - {line['label_cs']}: {_count_cs(line['count'])}" for line in report["erased"]] or ["  - nic"]
    if report["anonymised"]:
        out += ["", "Co jsme anonymizovali (záznamy, které zůstávají jiným, již bez vazby na vás: např. nabíjení "
                    "na stanicích jiných zákazníků již neuvádí vás ani vaši kartu):"]  # fmt: skip
        out += [f"  - {line['label_cs']}: {_count_cs(line['count'])}" for line in report["anonymised"]]
    out += ["", "Co uchováváme, do kdy a proč:"]
    if not report["kept"]:
        out.append("  - nic")
    for line in report["kept"]:
        until = f"do {_cs_date(date.fromisoformat(line['keep_until']))}" if line["keep_until"] else \
            "do skončení důvodu (datum zatím nelze určit)"  # fmt: skip
        out.append(f"  - {line['label_cs']}: {_count_cs(line['count'])}, {until}, protože "
                   f"{BASIS_CS.get(line['basis'], line['basis'])} ({line['legal_reference']}).")
    if report["kept"]:
        out += ["", "Uchovávané údaje jsou omezeny: pouze je ukládáme, k ničemu jinému je nepoužíváme a po uplynutí "
                    "lhůty je vymažeme. Z vašeho zákaznického záznamu ponecháváme jen to, co tyto záznamy "
                    "vyžadují (jméno, fakturační adresu, IČO a DIČ); e-mail, telefon, datum narození, dodací adresa "
                    "a marketingové preference jsou vymazány."]  # fmt: skip
    out += ["", "Kdo vaše údaje obdržel a je informován o výmazu:"]
    if report["recipients"]:
        out += [_recipient_cs(r) for r in report["recipients"]]
    else:
        out.append("  - žádné příjemce: vaše údaje jsme nepředali nikomu, koho by bylo třeba informovat.")
    out += ["", AUTHORITY_CS, "", "S pozdravem", SIGNATURE]
    return "\n".join(out) + "\n"
