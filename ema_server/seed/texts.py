"""Czech wording and equipment catalogue for the demo data: ticket titles and descriptions, replies
and notes, privacy-request texts, site names, and the devices SECTRON installs.

Pure data and small formatting helpers; every random choice is made by the caller's
``random.Random`` so the same seed gives the same texts.

Czech typography uses the en dash in titles ("Faktura - březen" with a real en dash) and the
multiplication sign in breaker ratings ("3x20 A", likewise), hence the file-wide exemption from
ruff's look-alike character check.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

# --- equipment ----------------------------------------------------------------------------------

ERROR_CODES: Final = (
    "GroundFailure",
    "OverCurrentFailure",
    "HighTemperature",
    "ConnectorLockFailure",
    "PowerMeterFailure",
    "ReaderFailure",
    "EVCommunicationError",
)


@dataclass(frozen=True, slots=True)
class Model:
    """A device model: ``outlets`` are (standard, kW) per connector; a charger installs the first
    ``min_connectors``…``len(outlets)`` of them."""

    kind: str
    vendor: str
    model: str
    serial_prefix: str
    firmware: tuple[str, ...]
    outlets: tuple[tuple[str, float], ...] = ()
    min_connectors: int = 0


WALLBOXES: Final = (
    Model("wallbox", "ABB", "Terra AC W22-T-RD-M-0", "TACW", ("1.6.9", "1.7.2", "1.8.1"), (("Type2", 22.0),), 1),
    Model("wallbox", "KEBA", "KeContact P30 x-series", "2", ("1.13.0", "1.15.1"), (("Type2", 22.0),), 1),
    Model("wallbox", "Alfen", "Eve Single Pro-line", "ACE00", ("6.4.0-4210", "6.5.1-4225"), (("Type2", 11.0),), 1),
    Model("wallbox", "Wallbox", "Pulsar Plus", "PLP1", ("6.2.10", "6.4.5"), (("Type2", 11.0),), 1),
    Model("wallbox", "Etrel", "INCH Duo", "ETD", ("5.6.1", "5.7.0"), (("Type2", 22.0), ("Type2", 22.0)), 1),
    Model("wallbox", "Alfen", "Eve Double Pro-line", "ACE00", ("6.5.1-4225",), (("Type2", 22.0), ("Type2", 22.0)), 2),
)
STATIONS: Final = (
    Model("charging_station", "ABB", "Terra 54 CJG", "T54", ("1.8.22", "1.9.4"),
          (("CCS2", 50.0), ("CHAdeMO", 50.0), ("Type2", 22.0)), 2),
    Model("charging_station", "ABB", "Terra 184", "T184", ("1.9.4", "1.10.2"),
          (("CCS2", 90.0), ("CCS2", 90.0), ("Type2", 22.0)), 2),
    Model("charging_station", "Alpitronic", "hypercharger HYC300", "HYC",
          ("2.4.1", "2.5.0"), (("CCS2", 150.0), ("CCS2", 150.0), ("CHAdeMO", 50.0), ("Type2", 22.0)), 2),
    Model("charging_station", "Efacec", "QC45", "QC45", ("4.1.3",),
          (("CCS2", 50.0), ("CHAdeMO", 50.0), ("Type2", 43.0)), 2),
    Model("charging_station", "Siemens", "SICHARGE D", "SCD", ("3.2.0", "3.3.1"),
          (("CCS2", 160.0), ("CCS2", 160.0)), 2),
    Model("charging_station", "Alfen", "Twin 5 Pro-line", "ACE00", ("6.5.1-4225",),
          (("Type2", 22.0), ("Type2", 22.0)), 2),
)  # fmt: skip
ROUTERS: Final = (
    Model("router", "Teltonika", "RUT241", "11", ("RUT2M_R_00.07.06.10", "RUT2M_R_00.07.07.3")),
    Model("router", "Teltonika", "RUTX11", "11", ("RUTX_R_00.07.07.1",)),
    Model("router", "Advantech", "ICR-3241", "ACZ", ("6.4.3", "6.4.5")),
    Model("router", "MikroTik", "hAP ax²", "HG", ("7.15.3", "7.16.1")),
)
MODEMS: Final = (
    Model("modem", "Teltonika", "TRM240", "61", ("TRM2_R_00.01.09",)),
    Model("modem", "Huawei", "E3372h-320", "G4P", ("11.0.1.2",)),
    Model("modem", "Quectel", "EC25-E", "EC25", ("EC25EFAR06A11M4G",)),
)
METERS: Final = (
    Model("meter", "Iskra", "WM3M4C", "ISK", ("1.3",)),
    Model("meter", "ABB", "B23 112-100", "B23", ("1.2.0",)),
    Model("meter", "Eastron", "SDM630-Modbus V2", "SDM", ("1.7",)),
    Model("meter", "Carlo Gavazzi", "EM340", "CG", ("B",)),
)
SIM_OPERATORS: Final = (("T-Mobile Czech Republic", "M2M SIM 1 GB"), ("O2 Czech Republic", "IoT SIM"),
                        ("Vodafone Czech Republic", "M2M SIM"))  # fmt: skip


def firmware_of(rng: random.Random, model: Model) -> str:
    return rng.choice(model.firmware)


# --- documents ----------------------------------------------------------------------------------

SERVICE_CONTRACT_TITLES: Final[dict[str, str]] = {
    "ema_subscription": "Smlouva o poskytování služby EMA",
    "station_maintenance": "Servisní smlouva k nabíjecím stanicím",
    "sim_connectivity": "Smlouva o M2M konektivitě",
}


def invoice_title(month: int, year: int) -> str:
    return f"Faktura za služby EMA – {MONTHS[month - 1]} {year}"


def credit_note_title(invoice_number: str) -> str:
    return f"Dobropis k faktuře {invoice_number}"


def service_report_title(model: str, serial: str) -> str:
    return f"Servisní protokol – {model} {serial}"


# --- people and places --------------------------------------------------------------------------

MONTHS: Final = ("leden", "únor", "březen", "duben", "květen", "červen", "červenec", "srpen", "září", "říjen",
                 "listopad", "prosinec")  # fmt: skip

SITE_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "consumer": ("Rodinný dům", "Garáž u domu", "Chata", "Parkovací stání v bytovém domě"),
    "business": ("Sídlo společnosti", "Provozovna", "Sklad", "Parkoviště zaměstnanců", "Areál firmy"),
    "municipality": ("Parkoviště u radnice", "Náměstí", "Sportovní hala", "Koupaliště", "Areál technických služeb"),
    "institution": ("Areál", "Parkoviště u hlavní budovy", "Sportovní areál", "Dvůr"),
}

# Czech registration plates: a digit, the region letter, then one more character and four digits.
_PLATE_REGIONS: Final = "ASCPKULHEJBMZT"

USER_AGENTS: Final = (
    "EMA/3.8.2 (Android 14; SM-S921B)",
    "EMA/3.8.2 (iOS 17.5; iPhone15,3)",
    "EMA/3.7.0 (Android 13; Pixel 7)",
    "EMA/3.8.1 (iOS 17.4; iPhone14,5)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Safari/605.1.15",
)
# First octets of Czech mobile and fixed-line ISPs' public ranges.
_IP_PREFIXES: Final = ("46.135", "89.24", "90.176", "78.80", "37.188", "185.8", "94.112", "213.220")


def licence_plate(rng: random.Random) -> str:
    second = rng.choice("ABCEHJKLMNPRSTUVXZ0123456789")
    return f"{rng.randint(1, 9)}{rng.choice(_PLATE_REGIONS)}{second} {rng.randint(0, 9999):04d}"


def client_address(rng: random.Random) -> str:
    return f"{rng.choice(_IP_PREFIXES)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


# --- tickets ------------------------------------------------------------------------------------

_FAULT_TITLES: Final[dict[str, tuple[str, ...]]] = {
    "GroundFailure": ("Stanice {ident}: vybavuje proudový chránič", "Porucha izolace na konektoru {conn}"),
    "OverCurrentFailure": ("Nadproud na konektoru {conn}, nabíjení se přerušuje", "Stanice {ident} hlásí nadproud"),
    "HighTemperature": ("Přehřívání stanice {ident}", "Stanice omezuje výkon kvůli vysoké teplotě"),
    "ConnectorLockFailure": ("Kabel zůstal zamčený v konektoru {conn}", "Nelze zamknout konektor, nabíjení nezačne"),
    "PowerMeterFailure": ("Elektroměr ve stanici {ident} neodpovídá", "Nulová spotřeba v přehledu nabíjení"),
    "ReaderFailure": ("Stanice {ident} nereaguje na RFID kartu", "Nefunkční čtečka karet"),
    "EVCommunicationError": (
        "Vůz nekomunikuje se stanicí, nabíjení se nespustí",
        "Chyba komunikace s vozem na {ident}",
    ),
}
_FAULT_SYMPTOMS: Final[dict[str, str]] = {
    "GroundFailure": "při zahájení nabíjení vypadne proudový chránič",
    "OverCurrentFailure": "se nabíjení po několika minutách samo přeruší",
    "HighTemperature": "je stanice na dotek horká a nabíjí jen sníženým výkonem",
    "ConnectorLockFailure": "nabíjecí kabel nejde vytáhnout ani po ukončení nabíjení",
    "PowerMeterFailure": "se v aplikaci u posledních nabíjení ukazuje 0 kWh",
    "ReaderFailure": "stanice nereaguje na přiložení RFID karty",
    "EVCommunicationError": "vůz po připojení kabelu hlásí chybu nabíjení",
}
_REPORTERS: Final = (
    "Zákazník volal na linku podpory, že",
    "Zákaznice napsala e-mailem, že",
    "Hlášeno přes aplikaci EMA:",
    "Monitoring zachytil poruchu a zákazník potvrdil, že",
)
_FAULT_EXTRAS: Final = (
    "Vzdálený reset zatím nezkoušen.",
    "Zákazník žádá o výjezd technika.",
    "Problém se opakuje od včerejška.",
    "Stanice je v uzamčené garáži, přístup po telefonické domluvě.",
    "Po vzdáleném restartu se chyba vrátila do deseti minut.",
)
_GENERIC_FAULTS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "charger": (
        ("Stanice {ident} je offline", "Stanice se od rána nepřihlásila k serveru, poslední heartbeat je starý."),
        ("Wallbox nereaguje na příkazy z aplikace", "Zákazník nemůže v aplikaci spustit ani ukončit nabíjení."),
        ("Stanice se opakovaně restartuje", "Stanice posílá BootNotification několikrát za hodinu."),
    ),
    "router": (("Router {serial} ztrácí spojení", "Stanice za routerem jsou střídavě offline, slabý signál LTE."),),
    "modem": (("Modem {serial} bez připojení", "Modem se nepřihlásí do sítě, LED bliká oranžově."),),
    "sim": (("SIM karta bez datového připojení", "SIM {serial} nemá datové spojení, zkontrolovat u operátora."),),
    "meter": (("Elektroměr {serial} neposílá data", "Odečty z elektroměru chybí od {day}."),),
}
_COMPLAINTS: Final = (
    ("Reklamace wallboxu – přestal nabíjet",
     "Zákazník uplatňuje reklamaci wallboxu zakoupeného u nás. Od {day} nabíjení nezačne, stanice svítí "
     "červeně. Požaduje opravu, případně výměnu zařízení."),
    ("Reklamace vyúčtování za {month} {year}",
     "Zákazník nesouhlasí s fakturou {invoice}: účtováno {amount} Kč, podle něj má smlouvu s nižší cenou. "
     "Požaduje opravu faktury a vrácení rozdílu."),
    ("Reklamace nabíjecího kabelu – poškozená koncovka",
     "Koncovka kabelu Type 2 má prasklý kryt, kabel je půl roku starý. Zákaznice požaduje výměnu kabelu."),
    ("Reklamace servisního zásahu – závada se vrátila",
     "Po výměně čtečky RFID {day} se závada po týdnu vrátila. Zákazník požaduje bezplatnou opravu."),
    ("Reklamace RFID karty – nefunguje",
     "Nová RFID karta nefunguje na žádné stanici. Zákazník požaduje novou kartu zdarma."),
    ("Reklamace předplatného EMA",
     "Aplikace byla {day} celý den nedostupná. Zákazník požaduje přiměřenou slevu z předplatného."),
)  # fmt: skip
_SERVICE_REQUESTS: Final = (
    ("Instalace další nabíjecí stanice", "Zákazník má zájem o druhou stanici na stejném místě, prosí o nabídku."),
    ("Přesun wallboxu do nové garáže", "Zákazník se stěhuje, wallbox je třeba odpojit a nainstalovat na novou adresu."),
    ("Aktualizace firmware stanice {ident}", "Zákazník žádá aktualizaci na nejnovější verzi firmware."),
    ("Nastavení limitu nabíjecího proudu na 16 A", "Kvůli hlavnímu jističi 3×20 A je potřeba omezit proud."),
    ("Objednávka nových RFID karet", "Zákazník objednává 5 dalších RFID karet pro služební vozy."),
    ("Zapojení stanic do dynamického řízení výkonu", "Zákazník chce rozložit výkon mezi stanice podle odběru budovy."),
    ("Zřízení SIM konektivity pro novou stanici", "Nová stanice nemá pevné připojení, zřídit datovou SIM."),
    ("Změna fakturační adresy", "Zákazník se přestěhoval a žádá o změnu fakturační adresy od příštího období."),
)
_SERVICE_EVENTS: Final = (
    (
        "Pravidelná roční revize stanice {ident}",
        "Plánovaná roční prohlídka, test proudového chrániče, kontrola kabelů.",
    ),
    ("Výměna čtečky RFID – {ident}", "Výměna vadné čtečky za nový kus, test s kartou zákazníka."),
    ("Výměna nabíjecího kabelu – {ident}", "Výměna opotřebeného kabelu Type 2 včetně koncovky."),
    ("Ověření elektroměru – {ident}", "Kontrolní měření a porovnání s fakturačním elektroměrem."),
    (
        "Aktualizace firmware na místě – {ident}",
        "Vzdálená aktualizace selhala, technik aktualizuje přes servisní port.",
    ),
    ("Revize elektrické instalace (ČSN 33 1500)", "Periodická revize přívodu a jištění nabíjecích stanic."),
)
_QUESTIONS: Final = (
    ("Dotaz k faktuře {invoice}", "Zákazník se ptá, za jaké období je faktura {invoice} vystavena."),
    ("Jak přidat RFID kartu v aplikaci EMA?", "Zákaznice neví, kde v aplikaci spárovat novou kartu."),
    ("Jak sdílet stanici s dalšími členy rodiny?", "Zákazník chce, aby na stanici nabíjela i manželka se svou kartou."),
    ("Dotaz na cenu SIM konektivity", "Zákazník se ptá na cenu datové SIM pro druhou stanici."),
    ("Proč auto nabíjí jen 7 kW?", "Zákazník očekával 11 kW, vůz ale nabíjí jen jednou fází."),
    ("Lze nabíjet jen v nízkém tarifu (HDO)?", "Zákazník se ptá, jak nastavit nabíjení jen v době nízkého tarifu."),
    ("Dotaz na export historie nabíjení", "Zákazník potřebuje přehled nabíjení pro proplácení zaměstnavatelem."),
)
REPLIES: Final[dict[str, tuple[str, ...]]] = {
    "first": (
        "Dobrý den, děkujeme za nahlášení. Na požadavku pracujeme a ozveme se nejpozději do 24 hodin. "
        "S pozdravem zákaznická podpora SECTRON",
        "Dobrý den, požadavek jsme přijali pod číslem {number}. Technik se vám ozve s návrhem termínu. "
        "S pozdravem SECTRON",
        "Dobrý den, děkujeme za dotaz, odpověď připravujeme. S pozdravem zákaznická podpora SECTRON",
    ),
    "waiting": (
        "Dobrý den, pošlete nám prosím fotografii štítku stanice a popis, kdy se chyba objevuje. Děkujeme.",
        "Dobrý den, potřebujeme domluvit přístup ke stanici. Kdy vám vyhovuje návštěva technika?",
        "Dobrý den, zkuste prosím stanici na 30 sekund odpojit jističem a dejte nám vědět, zda chyba trvá.",
    ),
    "resolved": (
        "Dobrý den, závadu jsme odstranili, stanice je opět v provozu. Děkujeme za trpělivost.",
        "Dobrý den, technik provedl vzdálený restart a aktualizaci, nabíjení funguje. S pozdravem SECTRON",
        "Dobrý den, váš požadavek je vyřízen. Pokud budete cokoli potřebovat, ozvěte se nám.",
    ),
    "complaint": (
        "Dobrý den, reklamaci jsme přijali {day}. O jejím vyřízení vás budeme informovat nejpozději do 30 dnů.",
    ),
    "complaint_resolved": (
        "Dobrý den, reklamaci uznáváme. Vadný díl jsme vyměnili bezplatně, protokol najdete v aplikaci EMA.",
        "Dobrý den, reklamaci uznáváme a rozdíl vám vrátíme dobropisem do 14 dnů.",
        "Dobrý den, reklamaci bohužel nemůžeme uznat: závada vznikla mechanickým poškozením, viz protokol.",
    ),
}
NOTES: Final = (
    "Vzdálený reset (Reset Soft) proveden, stanice se znovu přihlásila.",
    "Objednán náhradní díl, dodání do pěti pracovních dnů.",
    "Zákazník nebere telefon, posláno shrnutí e-mailem.",
    "Výjezd technika naplánován na čtvrtek dopoledne.",
    "V logu stanice opakovaně StatusNotification Faulted, stažena diagnostika.",
    "Ověřeno s dodavatelem, jde o známou chybu firmware, oprava v příští verzi.",
    "Stanice je v záruce, náklady jdou za výrobcem.",
)


def fault_text(rng: random.Random, code: str, ident: str, model: str, connector: int) -> tuple[str, str]:
    title = rng.choice(_FAULT_TITLES[code]).format(ident=ident, conn=connector)
    description = (
        f"{rng.choice(_REPORTERS)} {_FAULT_SYMPTOMS[code]}. Stanice {ident} ({model}) hlásí stav Faulted "
        f"s kódem {code} na konektoru {connector}. {rng.choice(_FAULT_EXTRAS)}"
    )
    return title, description


def generic_fault_text(rng: random.Random, device_kind: str, ident: str, serial: str, day: str) -> tuple[str, str]:
    group = "charger" if device_kind in ("charging_station", "wallbox") else device_kind
    title, description = rng.choice(_GENERIC_FAULTS[group])
    return title.format(ident=ident, serial=serial), description.format(serial=serial, day=day)


def ticket_text(rng: random.Random, kind: str, **values: str) -> tuple[str, str]:
    """Title and description of a complaint, service request, service event or question."""
    table = {"complaint": _COMPLAINTS, "service_request": _SERVICE_REQUESTS,
             "service_event": _SERVICE_EVENTS, "question": _QUESTIONS}[kind]  # fmt: skip
    title, description = rng.choice(table)
    return title.format(**values), description.format(**values)


# --- privacy requests ---------------------------------------------------------------------------

PRIVACY_TEXTS: Final[dict[str, tuple[str, ...]]] = {
    "access": (
        "Dobrý den, žádám o kopii všech osobních údajů, které o mně zpracováváte, podle čl. 15 GDPR.",
        "Prosím o informaci, jaké údaje o mně a o mém nabíjení evidujete a komu je předáváte.",
    ),
    "rectification": (
        "V aplikaci mám špatně uvedené příjmení a adresu, prosím o opravu.",
        "Žádám o opravu telefonního čísla, staré číslo už nepoužívám.",
    ),
    "erasure": (
        "Ukončil jsem smlouvu a žádám o vymazání všech mých osobních údajů.",
        "Prosím o smazání účtu v aplikaci EMA i všech údajů o mně.",
    ),
    "restriction": ("Zpochybňuji přesnost údajů o mém nabíjení, do ověření prosím omezte jejich zpracování.",),
    "portability": ("Žádám o export historie nabíjení a údajů o účtu ve strojově čitelném formátu (JSON nebo CSV).",),
    "objection": (
        "Nesouhlasím se zasíláním obchodních sdělení, vznáším námitku proti přímému marketingu.",
        "Vznáším námitku proti zpracování údajů o poloze pro analytické účely.",
    ),
    "consent_withdrawal": (
        "Odvolávám souhlas se zasíláním marketingových e-mailů a notifikací.",
        "Odvolávám souhlas s analýzou používání aplikace.",
    ),
    "complaint": ("Stěžuji si, že jste na mou žádost o výmaz dosud neodpověděli. Zvažuji podnět k ÚOOÚ.",),
}
EXTENSION_REASONS: Final = (
    "Žádost je rozsáhlá: zahrnuje historii nabíjení za čtyři roky a záznamy z několika systémů. Lhůta "
    "prodloužena o dva měsíce podle čl. 12 odst. 3 GDPR, subjekt informován e-mailem.",
    "Souběžně vyřizujeme několik žádostí téhož subjektu. Lhůta prodloužena o dva měsíce, subjekt informován.",
)
OUTCOMES: Final[dict[str, str]] = {
    "access": "Kopie údajů a doplňující informace předány elektronicky (PDF a JSON).",
    "rectification": "Údaje opraveny, příjemci (platební brána, helpdesk) informováni.",
    "erasure": "Účet a marketingové údaje vymazány; faktury uchovány do konce lhůty podle zákona o DPH, "
    "zákazník informován o důvodech a datu výmazu.",
    "restriction": "Zpracování údajů o nabíjení omezeno do vyřešení sporu o jejich přesnost.",
    "portability": "Export účtu, RFID karet a historie nabíjení předán ve formátu JSON a CSV.",
    "objection": "Marketingové zpracování ukončeno, souhlasy zaznamenány jako odvolané.",
    "consent_withdrawal": "Souhlasy odvolány s účinností ode dne žádosti.",
    "complaint": "Stížnost prošetřena, žádost o výmaz vyřízena, subjekt poučen o právu obrátit se na ÚOOÚ.",
}
REFUSALS: Final = (
    "Totožnost žadatele se nepodařilo ověřit ani po výzvě k doložení.",
    "Zjevně nedůvodná žádost: stejná žádost o přístup podána potřetí během jednoho měsíce (čl. 12 odst. 5 GDPR). "
    "Subjekt poučen o právu podat stížnost u ÚOOÚ a obrátit se na soud.",
)
IDENTITY_CHECKS: Final = (
    # (the check that passed, what was compared): never a copy of a document.
    ("signed_in_app", "Žádost přišla z přihlášeného účtu v aplikaci EMA."),
    ("registered_email_reply", "Potvrzení přišlo z e-mailu evidovaného u zákazníka."),
    ("rfid_and_last_session", "Poslední 4 číslice RFID karty a datum posledního nabíjení souhlasí."),
    ("in_person_document_seen", "Občanský průkaz předložen osobně na pobočce, kopie nepořízena."),
    ("customer_details_on_call", "Zpětné volání na evidované číslo, ověřeno číslo zákazníka a smlouvy."),
)
PRIVACY_NOTES: Final = (
    "Ověřeno přes přihlášený účet v aplikaci EMA.",
    "Vyžádány podklady z fakturace a z provozu stanic.",
    "Konzultováno s právním oddělením.",
    "Data z lokální kopie konzole zkontrolována, nic dalšího neevidujeme.",
)
