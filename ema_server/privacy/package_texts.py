"""The human-readable summary of an access or portability package, in Czech and English: the
supplementary information of GDPR Art. 15(1)(a)-(h) and 15(2) as SECTRON's privacy policy
(sections 15-26 of the EMA terms) states it, plus what this particular package holds.

The facts are copied from the policy text so the server never reads the policy at run time; when
the policy changes, change them here. Retention periods follow the product's retention table
(BRIEF section 4), which implements policy section 18.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["cs", "en"]

CONTROLLER = {
    "en": "SECTRON s.r.o., Company ID 64617939, Josefa Šavla 1271/12, Mariánské Hory, 709 00 Ostrava, Czech Republic",
    "cs": "SECTRON s.r.o., IČO 64617939, Josefa Šavla 1271/12, Mariánské Hory, 709 00 Ostrava",
}
CONTROLLER_CONTACT = "sekretariat@sectron.cz, +420 556 621 012"
AUTHORITY = {
    "en": "Office for Personal Data Protection (ÚOOÚ), Pplk. Sochora 27, 170 00 Praha 7, www.uoou.cz",
    "cs": "Úřad pro ochranu osobních údajů (ÚOOÚ), Pplk. Sochora 27, 170 00 Praha 7, www.uoou.cz",
}

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    # name: (English, Czech)
    "customer": (
        "your customer record (identification and contact data)",
        "váš zákaznický záznam (identifikační a kontaktní údaje)",
    ),
    "contacts": ("contact persons and their contact data", "kontaktní osoby a jejich kontaktní údaje"),
    "app_accounts": (
        "app accounts (login, role, permissions)",
        "účty v aplikaci (přihlašovací jméno, role, oprávnění)",
    ),
    "login_history": (
        "login history and security log of the app accounts",
        "historie přihlášení a bezpečnostní záznamy účtů",
    ),
    "contracts": ("contracts and services", "smlouvy a služby"),
    "charging_sessions": ("charging sessions", "nabíjecí relace"),
    "rfid_cards": ("RFID cards", "RFID karty"),
    "sites": ("sites (addresses and coordinates)", "místa instalace (adresy a souřadnice)"),
    "devices": ("stations and other devices", "stanice a další zařízení"),
    "connectors": ("connectors of the stations", "konektory stanic"),
    "status_history": ("status history of the devices", "historie stavů zařízení"),
    "telemetry_series": (
        "measured quantities (telemetry); samples in telemetry/",
        "měřené veličiny (telemetrie); vzorky ve složce telemetry/",
    ),
    "telemetry_samples": ("telemetry samples", "vzorky telemetrie"),
    "documents": ("invoices, contracts and other documents (list)", "faktury, smlouvy a další doklady (seznam)"),
    "tickets": (
        "tickets: faults, complaints, service requests, questions",
        "požadavky: poruchy, reklamace, servisní požadavky, dotazy",
    ),
    "ticket_replies": ("our replies in the tickets", "naše odpovědi v požadavcích"),
    "ticket_attachments": ("attachments of the tickets (list)", "přílohy požadavků (seznam)"),
    "privacy_requests": ("your data-protection requests", "vaše žádosti týkající se ochrany osobních údajů"),
    "restrictions": ("restrictions of processing", "omezení zpracování"),
    "consents": ("consents as they are now", "současný stav souhlasů"),
    "consent_history": ("history of granted and withdrawn consents", "historie udělení a odvolání souhlasů"),
    "recipients": ("recipients who received your data", "příjemci, kterým byly vaše údaje předány"),
    "access_log": (
        "who at SECTRON accessed or changed your data, and when",
        "kdo ve SECTRONu a kdy nahlížel do vašich údajů nebo je měnil",
    ),
}

RECIPIENT_CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "roaming_partner": ("roaming partner", "roamingový partner"),
    "payment_provider": ("payment provider", "poskytovatel plateb"),
    "mailing_tool": ("e-mail and communication service", "e-mailová a komunikační služba"),
    "helpdesk": ("customer support provider", "poskytovatel zákaznické podpory"),
    "hosting": ("IT infrastructure and hosting", "IT infrastruktura a hosting"),
    "authority": ("public authority", "orgán veřejné moci"),
}


@dataclass(frozen=True)
class Recipient:
    name: str
    category: str
    country: str
    purpose: str


@dataclass
class SummaryFacts:
    """What one summary states about its own package."""

    kind: str
    """access | portability"""
    request_number: str
    customer_number: str
    subject_name: str
    generated_at: str
    """UTC, as a person reads it: 2026-03-02 08:00:00."""
    counts: dict[str, int]
    """Records per category name (CATEGORY_LABELS keys) in this package."""
    recipients: Sequence[Recipient] = field(default_factory=list)


_EN = {
    "title_access": "Copy of your personal data (GDPR Art. 15)",
    "title_portability": "Your data for transfer (GDPR Art. 20)",
    "intro": (
        "Controller: {controller}. Data-protection contact: {contact}.\n"
        "Request {request}, customer number {customer}, for {name}.\n\n"
        "This package holds the personal data SECTRON keeps about you as held when the package was "
        "generated ({generated} UTC). Data as it stood on the day your request arrived cannot be "
        "reconstructed; anything changed since then is shown in its current form."
    ),
    "portability_scope": (
        "As GDPR Art. 20 provides, it holds the data you gave us and the data observed from your use of "
        "our services (account, contacts, RFID cards, charging sessions, stations and their telemetry, "
        "consents), in machine-readable JSON and CSV, for you to keep or hand to another provider. A full "
        "copy with the information about processing is what an access request (Art. 15) gives you."
    ),
    "contents": "What is in this package (records per category)",
    "layout": (
        "Each category is a JSON file and a CSV file of the same name in a folder grouped by topic. "
        "Telemetry samples are CSV files in 05_your_stations_and_telemetry/telemetry/, one per measured "
        "quantity. manifest.json lists every file with its SHA-256 checksum."
    ),
    "left_out": (
        "Left out: internal notes of our staff in tickets (they may concern other people; everything about "
        "you that was acted on appears in the replies and records), other customers' card numbers where they "
        "charged at your station, and the names of individual staff members in the access log (it shows "
        "their role; the Court of Justice of the EU held in C-579/21 that the identity of employees acting "
        "on the controller's instructions need not be given)."
    ),
    "a": "(a) Purposes and legal bases",
    "a_text": (
        "- Performance of a contract: creating and managing your account, the application's features, showing "
        "data about your services and devices, handling requests, support, orders and contractual "
        "obligations.\n"
        "- Legal obligations: accounting, taxation, consumer complaints, contract records, cybersecurity, "
        "cooperation with public authorities.\n"
        "- Legitimate interests: protecting the application, accounts, devices, network and data from misuse; "
        "preventing fraud and security incidents; evidencing legal acts and asserting or defending legal "
        "claims; internal records, audit, reporting and quality management; improving the application and "
        "support; commercial communications about our own similar products unless you opted out.\n"
        "- Consent: marketing communications where legitimate interests do not cover them, optional analytics, "
        "access to location, camera, files or contacts of your device, marketing push notifications."
    ),
    "b": "(b) Categories of personal data",
    "b_text": (
        "Identification data, contact data, account data (login, settings, role, permissions, login history, "
        "security logs), contractual and customer data (services, orders, contracts, complaints, service "
        "requests, communications), payment and billing data, technical and operational data (devices, SIM, "
        "charging points, status, operational events, telemetry), application usage data, communication data, "
        "data you submitted (photos, documents, fault descriptions), preferences and consents. We do not ask "
        "for special categories of data."
    ),
    "c": "(c) Recipients",
    "c_text": (
        "Categories: providers of IT infrastructure, hosting, cloud, backup and security tools; developers, "
        "administrators and service partners of EMA; customer support, e-mail, SMS, push and communication "
        "services; analytics and diagnostic tools; payment institutions, banks and payment gateways; "
        "accounting, tax, legal and audit advisors; service, installation, logistics and technical partners; "
        "business partners involved in a specific service; public authorities, courts and law enforcement "
        "where the law requires it. Processors are bound by data processing agreements. We do not sell "
        "personal data. We process data in the EU/EEA; a transfer outside it would rely on an adequacy "
        "decision, standard contractual clauses or another GDPR instrument."
    ),
    "c_actual": "Recipients who actually received your data (also in 09_who_received_your_data/):",
    "c_none": "Our records show no recipient outside SECTRON that received your data.",
    "d": "(d) How long we keep the data",
    "d_text": (
        "- account data and data needed to provide the application: while the account or contract lasts;\n"
        "- orders, contracts, payments and invoices: as the law requires, 5 years for accounting records "
        "(Act 563/1991 Coll.) and 10 years for VAT documents (Act 235/2004 Coll.);\n"
        "- complaints, service requests and communications: while they are handled, then for legal claims, "
        "generally 3 years, longer while proceedings last;\n"
        "- security and technical logs: at most 12 months unless an incident needs longer;\n"
        "- analytics: aggregated or pseudonymised;\n"
        "- marketing data: until you withdraw consent or decline marketing.\n"
        "When a period ends we delete, anonymise or restrict the data unless the law requires keeping it."
    ),
    "e": "(e) Your rights",
    "e_text": (
        "You may ask for rectification of inaccurate or incomplete data, erasure where the statutory "
        "conditions are met, restriction of processing, and portability of data processed by contract or "
        "consent; object to processing based on legitimate interests; opt out of direct marketing at any "
        "time (we then stop at once); and withdraw a consent at any time without affecting processing before "
        "the withdrawal. Write to sekretariat@sectron.cz, call +420 556 621 012 or write to our registered "
        "office; we may ask you to confirm your identity."
    ),
    "f": "(f) Right to lodge a complaint",
    "f_text": "You may complain to the supervisory authority: {authority}.",
    "g": "(g) Where the data comes from",
    "g_text": (
        "From you (registration, the application, calls, e-mails, tickets and attachments); from your "
        "stations and devices (status, charging sessions and telemetry they report); from the customer "
        "whose account you use, when that customer created your app account; and from our own records "
        "(contracts, invoices, customer and ticket numbers). We obtain no data about you from other sources."
    ),
    "h": "(h) Automated decision-making",
    "h_text": (
        "EMA does not make decisions based solely on automated processing that have legal effects on you or "
        "similarly significantly affect you, and does no profiling of that kind. Should that change, we will "
        "tell you in advance."
    ),
}

_CS = {
    "title_access": "Kopie vašich osobních údajů (čl. 15 GDPR)",
    "title_portability": "Vaše údaje k přenesení (čl. 20 GDPR)",
    "intro": (
        "Správce: {controller}. Kontakt pro ochranu osobních údajů: {contact}.\n"
        "Žádost {request}, zákaznické číslo {customer}, pro: {name}.\n\n"
        "Tento balíček obsahuje osobní údaje, které o vás SECTRON vede, ve stavu ke chvíli vytvoření "
        "balíčku ({generated} UTC). Stav ke dni doručení vaší žádosti nelze zpětně zjistit; co se od té "
        "doby změnilo, je uvedeno v aktuální podobě."
    ),
    "portability_scope": (
        "Podle čl. 20 GDPR obsahuje údaje, které jste nám poskytli, a údaje zjištěné z vašeho používání "
        "našich služeb (účet, kontakty, RFID karty, nabíjecí relace, stanice a jejich telemetrie, souhlasy), "
        "ve strojově čitelných formátech JSON a CSV, abyste si je mohli uložit nebo předat jinému "
        "poskytovateli. Úplnou kopii s informacemi o zpracování poskytuje žádost o přístup (čl. 15)."
    ),
    "contents": "Obsah balíčku (počet záznamů v kategorii)",
    "layout": (
        "Každá kategorie je soubor JSON a soubor CSV stejného jména ve složce podle tématu. Vzorky "
        "telemetrie jsou soubory CSV ve složce 05_your_stations_and_telemetry/telemetry/, jeden pro každou "
        "měřenou veličinu. Soubor manifest.json uvádí každý soubor s kontrolním součtem SHA-256."
    ),
    "left_out": (
        "Nezahrnuto: interní poznámky našich pracovníků v požadavcích (mohou se týkat jiných osob; vše, co se "
        "vás týká a podle čeho jsme jednali, je v odpovědích a záznamech), čísla karet jiných zákazníků, kteří "
        "nabíjeli na vaší stanici, a jména jednotlivých pracovníků v záznamu přístupů (uvádíme jejich roli; "
        "Soudní dvůr EU v rozsudku C-579/21 rozhodl, že totožnost zaměstnanců jednajících podle pokynů "
        "správce se sdělovat nemusí)."
    ),
    "a": "(a) Účely a právní základy zpracování",
    "a_text": (
        "- Plnění smlouvy: založení a správa účtu, funkce aplikace, zobrazení údajů o službách a zařízeních, "
        "vyřizování požadavků, podpora, objednávky a smluvní povinnosti.\n"
        "- Právní povinnosti: účetnictví, daně, reklamace spotřebitelů, evidence smluv, kybernetická "
        "bezpečnost, součinnost s orgány veřejné moci.\n"
        "- Oprávněné zájmy: ochrana aplikace, účtů, zařízení, sítě a dat před zneužitím; prevence podvodů a "
        "bezpečnostních incidentů; prokazování právních jednání a uplatňování či obhajoba právních nároků; "
        "interní evidence, audit, reporting a řízení kvality; zlepšování aplikace a podpory; obchodní sdělení "
        "o našich obdobných produktech, pokud jste je neodmítli.\n"
        "- Souhlas: marketingová sdělení, která nelze zasílat na základě oprávněného zájmu, volitelná "
        "analytika, přístup k poloze, fotoaparátu, souborům nebo kontaktům zařízení, marketingová push oznámení."
    ),
    "b": "(b) Kategorie osobních údajů",
    "b_text": (
        "Identifikační údaje, kontaktní údaje, údaje o účtu (přihlašovací jméno, nastavení, role, oprávnění, "
        "historie přihlášení, bezpečnostní záznamy), smluvní a zákaznické údaje (služby, objednávky, smlouvy, "
        "reklamace, servisní požadavky, komunikace), platební a fakturační údaje, technické a provozní údaje "
        "(zařízení, SIM, nabíjecí body, stavy, provozní události, telemetrie), údaje o používání aplikace, "
        "komunikační údaje, vámi poskytnuté údaje (fotografie, dokumenty, popisy poruch), preference a "
        "souhlasy. Zvláštní kategorie údajů nevyžadujeme."
    ),
    "c": "(c) Příjemci",
    "c_text": (
        "Kategorie: poskytovatelé IT infrastruktury, hostingu, cloudu, záloh a bezpečnostních nástrojů; "
        "vývojáři, správci a servisní partneři aplikace EMA; poskytovatelé zákaznické podpory, e-mailových, "
        "SMS, push a komunikačních služeb; analytické a diagnostické nástroje; platební instituce, banky a "
        "platební brány; účetní, daňoví, právní a auditní poradci; servisní, instalační, logističtí a "
        "techničtí partneři; obchodní partneři podílející se na konkrétní službě; orgány veřejné moci, soudy "
        "a orgány činné v trestním řízení, vyžaduje-li to zákon. Se zpracovateli máme smlouvy o zpracování. "
        "Osobní údaje neprodáváme. Údaje zpracováváme v EU/EHP; předání mimo ně by se opíralo o rozhodnutí "
        "Komise o odpovídající ochraně, standardní smluvní doložky nebo jiný nástroj podle GDPR."
    ),
    "c_actual": "Příjemci, kterým byly vaše údaje skutečně předány (také ve složce 09_who_received_your_data/):",
    "c_none": "Podle našich záznamů vaše údaje nezískal žádný příjemce mimo SECTRON.",
    "d": "(d) Doba uložení",
    "d_text": (
        "- údaje o účtu a údaje potřebné k poskytování aplikace: po dobu trvání účtu nebo smluvního vztahu;\n"
        "- objednávky, smlouvy, platby a faktury: po dobu stanovenou zákonem, účetní záznamy 5 let (zákon "
        "č. 563/1991 Sb.), daňové doklady DPH 10 let (zákon č. 235/2004 Sb.);\n"
        "- reklamace, servisní požadavky a komunikace: po dobu vyřizování a poté pro ochranu právních nároků, "
        "zpravidla 3 roky, po dobu řízení i déle;\n"
        "- bezpečnostní a technické záznamy: nejvýše 12 měsíců, nevyžaduje-li incident déle;\n"
        "- analytické údaje: v agregované nebo pseudonymizované podobě;\n"
        "- marketingové údaje: do odvolání souhlasu nebo odmítnutí marketingu.\n"
        "Po uplynutí doby údaje vymažeme, anonymizujeme nebo omezíme jejich zpracování, nevyžaduje-li zákon "
        "jejich další uchování."
    ),
    "e": "(e) Vaše práva",
    "e_text": (
        "Můžete žádat opravu nepřesných nebo doplnění neúplných údajů, výmaz, jsou-li splněny zákonné "
        "podmínky, omezení zpracování a přenositelnost údajů zpracovávaných na základě smlouvy nebo souhlasu; "
        "vznést námitku proti zpracování na základě oprávněného zájmu; kdykoli odmítnout přímý marketing "
        "(zpracování pro něj ihned ukončíme); a kdykoli odvolat souhlas, aniž by tím bylo dotčeno zpracování "
        "před odvoláním. Pište na sekretariat@sectron.cz, volejte +420 556 621 012 nebo pište na adresu "
        "sídla; můžeme vás požádat o ověření totožnosti."
    ),
    "f": "(f) Právo podat stížnost",
    "f_text": "Stížnost můžete podat u dozorového úřadu: {authority}.",
    "g": "(g) Zdroj údajů",
    "g_text": (
        "Od vás (registrace, aplikace, telefonáty, e-maily, požadavky a přílohy); od vašich stanic a zařízení "
        "(stavy, nabíjecí relace a telemetrie, které hlásí); od zákazníka, jehož účet používáte, pokud vám "
        "účet v aplikaci založil; a z našich vlastních záznamů (smlouvy, faktury, zákaznická čísla a čísla "
        "požadavků). Z jiných zdrojů údaje o vás nezískáváme."
    ),
    "h": "(h) Automatizované rozhodování",
    "h_text": (
        "Aplikace EMA nečiní rozhodnutí založená výhradně na automatizovaném zpracování, která by pro vás "
        "měla právní účinky nebo se vás obdobně významně dotýkala, ani takové profilování neprovádí. Pokud by "
        "se to změnilo, předem vás budeme informovat."
    ),
}


def _recipient_line(recipient: Recipient, language: Language) -> str:
    en, cs = RECIPIENT_CATEGORY_LABELS.get(recipient.category, (recipient.category, recipient.category))
    category = cs if language == "cs" else en
    return f"- {recipient.name} ({category}, {recipient.country}): {recipient.purpose}"


def summary_text(language: Language, facts: SummaryFacts) -> str:
    """The summary file's text: what the package holds, then the Art. 15(1)(a)-(h) information."""
    t = _CS if language == "cs" else _EN
    lines = [
        t["title_portability"] if facts.kind == "portability" else t["title_access"],
        "=" * 72,
        "",
        t["intro"].format(controller=CONTROLLER[language], contact=CONTROLLER_CONTACT, request=facts.request_number,
                          customer=facts.customer_number, name=facts.subject_name, generated=facts.generated_at),
        "",
    ]
    if facts.kind == "portability":
        lines += [t["portability_scope"], ""]
    lines += [t["contents"], "-" * 72]
    for name, count in facts.counts.items():
        en, cs = CATEGORY_LABELS.get(name, (name, name))
        lines.append(f"- {cs if language == 'cs' else en} [{name}]: {count}")
    lines += ["", t["layout"], "", t["left_out"], ""]
    for part in "abcdefgh":
        lines += [t[part], "-" * 72]
        text = t[f"{part}_text"]
        lines.append(text.format(authority=AUTHORITY[language]) if part == "f" else text)
        if part == "c":
            lines += ["", t["c_actual"] if facts.recipients else t["c_none"]]
            lines += [_recipient_line(r, language) for r in facts.recipients]
        lines.append("")
    return "\n".join(lines)
