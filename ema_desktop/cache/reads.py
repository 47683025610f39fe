"""Every pane's reads, answered from the encrypted local store instead of the server.

Each function takes the store's connection and is run on the store's thread with
`await store.call(fn, ...)` (keyword arguments through `functools.partial`). It only reads, and
commits before returning, so no transaction stays open between calls. It returns the same records
the server's API gives (ema_desktop/backend/records.py), built from the raw `/changes` records:
fields the server derives when it answers (ticket due dates and warnings, privacy deadlines) are
computed by the console's copy of its rules (cache/deadlines.py), and search follows the
server's rules (ema_server/search.py, domain/text.py, domain/identifiers.py, mirrored below).

Writes the operator made here that the server does not have yet (unsent rows of the `outbox`)
are laid over what is returned and marked `pending`, so the operator sees their own work at once
and can tell it apart from what the server confirmed.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection

from ema_desktop.backend.records import (
    Colleague,
    Connector,
    Contact,
    CustomerDetail,
    CustomerDevice,
    CustomerSummary,
    Device,
    DeviceCustomer,
    DeviceDetail,
    Page,
    PrivacyRequestItem,
    Site,
    TicketCustomer,
    TicketDetail,
    TicketDevice,
    TicketEntry,
    TicketListItem,
    TicketSummary,
)
from ema_desktop.cache import deadlines

__all__ = [
    "CHARGER_KINDS",
    "DETAIL_TICKETS",
    "YOU",
    "colleagues",
    "customer_detail",
    "device_detail",
    "privacy_requests",
    "search_customers",
    "search_devices",
    "stations",
    "ticket_detail",
    "tickets",
]

P = ParamSpec("P")
R = TypeVar("R")

CHARGER_KINDS = ("charging_station", "wallbox")
# The customer card shows the latest tickets only, as GET /customers/{id} does.
DETAIL_TICKETS = 50
# Author shown on a comment written here when the operator's id is not given.
YOU = "You"
# Ticket fields an operator's pending update may change (ema_server/tickets.py EDITABLE_FIELDS).
_TICKET_FIELDS = ("title", "description", "priority", "state", "owner_id", "customer_id", "device_id")
_CONTACT_FIELDS = ("name", "role", "email", "phone")
# Marks a ticket whose pending update changed its customer (see _ticket_values).
_LEGAL_AGAIN = "_legal_deadline_again"


def _read_only(fn: Callable[Concatenate[Connection, P], R]) -> Callable[Concatenate[Connection, P], R]:
    """Commit after the read, so the store's one connection never keeps a transaction open."""

    @functools.wraps(fn)
    def read(connection: Connection, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = fn(connection, *args, **kwargs)
        except BaseException:
            if connection.in_transaction():
                connection.rollback()
            raise
        connection.commit()
        return result

    return read


def _moment(value: Any) -> datetime | None:
    """A point in time from a record's ISO 8601 text (or one computed here already)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _required_moment(value: Any) -> datetime:
    moment = _moment(value)
    if moment is None:
        raise ValueError(f"not a point in time: {value!r}")
    return moment


# SQL below is put together from constants and `?` placeholders only (hence the S608 notes): every
# value, the operator's search text included, is bound as a parameter.


def _placeholders(count: int) -> str:
    return ", ".join("?" * count)


# --- text and phone numbers, as the server folds and matches them ------------------------------
# Mirrors ema_server/domain/text.py (fold, search_terms) and ema_server/domain/identifiers.py
# (phone numbers, IČO), so a query finds here what it finds on the server.

MAX_SEARCH_TERMS = 8
_NON_DECOMPOSING = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i", "ŀ": "l", "æ": "ae", "œ": "oe", "þ": "th"}
)
_TERM_SEPARATORS = re.compile(r"[\s,;]+")
_PHONE_SEPARATORS = frozenset(" \t\u00a0-().\u2013/")
_PHONE_CHARS = _PHONE_SEPARATORS | frozenset("+0123456789")
_ASCII_DIGITS = frozenset("0123456789")
_CZ_COUNTRY_CODE = "420"
_CZ_NATIONAL_LENGTH = 9
_INTL_MIN_DIGITS, _INTL_MAX_DIGITS = 8, 15
_MIN_PHONE_QUERY_DIGITS = 6
_ICO_WEIGHTS = (8, 7, 6, 5, 4, 3, 2)


def fold(value: str) -> str:
    """Lower-case, without diacritics, whitespace collapsed: "Dvořák" → "dvorak"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_NON_DECOMPOSING).split())


def search_terms(query: str) -> list[str]:
    """Folded words of a query, split on whitespace, commas and semicolons; at most eight."""
    return [term for term in _TERM_SEPARATORS.split(fold(query)) if term][:MAX_SEARCH_TERMS]


def _is_ascii_digits(value: str) -> bool:
    return bool(value) and all(ch in _ASCII_DIGITS for ch in value)


def is_valid_ico(value: str) -> bool:
    if len(value) != 8 or not _is_ascii_digits(value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:7], _ICO_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(value[7])


def _phone_digits(value: str) -> tuple[bool, str] | None:
    text = value.strip()
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return None
    plus_at = text.find("+")
    if plus_at != -1:
        if text.count("+") > 1 or text[:plus_at].strip(" (") != "":
            return None
        return True, "".join(ch for ch in text if ch.isdigit())
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("00"):
        return True, digits[2:]
    return False, digits


def _is_czech_national(national: str) -> bool:
    return len(national) == _CZ_NATIONAL_LENGTH and national[0] not in "01"


def normalize_phone(value: str) -> str | None:
    """E.164 form of a phone number (Czech numbers in any usual way of writing), or None."""
    parsed = _phone_digits(value)
    if parsed is None:
        return None
    international, digits = parsed
    if international:
        if digits.startswith(_CZ_COUNTRY_CODE):
            return f"+{digits}" if _is_czech_national(digits[len(_CZ_COUNTRY_CODE):]) else None
        if digits.startswith("0") or not _INTL_MIN_DIGITS <= len(digits) <= _INTL_MAX_DIGITS:
            return None
        return f"+{digits}"
    if len(digits) == _CZ_NATIONAL_LENGTH:
        return f"+{_CZ_COUNTRY_CODE}{digits}" if _is_czech_national(digits) else None
    if len(digits) == len(_CZ_COUNTRY_CODE) + _CZ_NATIONAL_LENGTH and digits.startswith(_CZ_COUNTRY_CODE):
        return f"+{digits}" if _is_czech_national(digits[len(_CZ_COUNTRY_CODE):]) else None
    return None


def _phone_search_key(value: str) -> str | None:
    normalized = normalize_phone(value)
    if normalized is None:
        return None
    digits = normalized[1:]
    if digits.startswith(_CZ_COUNTRY_CODE) and len(digits) == len(_CZ_COUNTRY_CODE) + _CZ_NATIONAL_LENGTH:
        return digits[len(_CZ_COUNTRY_CODE):]
    return digits


def looks_like_phone(query: str) -> bool:
    """A (possibly partial) phone number rather than a name: only phone signs, 6 to 17 digits."""
    text = query.strip()
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return False
    return _MIN_PHONE_QUERY_DIGITS <= sum(ch.isdigit() for ch in text) <= _INTL_MAX_DIGITS + 2


def phone_query_digits(query: str) -> str:
    """The national digits of a complete number, else the typed digits without +420 / 00420."""
    key = _phone_search_key(query)
    if key is not None:
        return key
    text = query.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    international = text.lstrip("( ").startswith("+")
    if not international and digits.startswith("00"):
        digits, international = digits[2:], True
    if international:
        digits = digits.removeprefix(_CZ_COUNTRY_CODE)
    return digits


# --- customers ----------------------------------------------------------------------------------


def _printable(query: str) -> str:
    """The query with control characters as spaces: no part of any record, and a NUL would cut
    the search expression short."""
    return "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in query).strip()


def _fts_phrase(term: str) -> str | None:
    """`term` as one quoted FTS5 phrase matching by prefix, or None when it holds no word at all.

    Quoted, whatever the operator typed ("AND", "(", "*", "-", quotes) is text to find, never FTS
    syntax; the tokenizer splits it as it split the indexed text ("CZ-SEC-0001" is a phrase of
    three words, matched where they stand together).
    """
    if not any(ch.isalnum() for ch in term):
        return None
    return '"' + term.replace('"', '""') + '"*'


def customer_match(query: str) -> str | None:
    """The FTS5 MATCH expression for a customer search; None when nothing can match.

    Every term must be the start of a word of the customer's search text. A query that looks like
    a phone number is matched by its national digits whatever way it was written, or literally
    (serials such as 2023-0001-45 look like phone numbers too), as on the server.
    """
    text = _printable(query)
    if looks_like_phone(text):
        alternatives = [phone_query_digits(text)]
        literal = fold(text)
        if literal != alternatives[0] and " " not in literal:
            alternatives.append(literal)
        phrases = [p for p in (_fts_phrase(a) for a in alternatives) if p]
        return " OR ".join(phrases) or None
    # A term without a single letter or digit ("-", "*", a lone quote) is part of no word: left out.
    words = [p for p in (_fts_phrase(term) for term in search_terms(text)) if p]
    return " AND ".join(words) or None


_SHORTEST_EXACT = 6


def _exact_hits(connection: Connection, query: str, match: str) -> list[tuple[int, str]]:
    """(rowid, record) of the customers the query names exactly: customer number, DIČ, IČO or phone.

    The server lists these first. They are found through the search index by the whole word
    (few rows), then compared field by field.
    """
    compact = "".join(query.split()).upper()
    if len(compact) < _SHORTEST_EXACT or not any(ch in _ASCII_DIGITS for ch in compact):
        # Customer numbers, IČO, DIČ and phones all hold digits; a word like "seznam" names no one
        # exactly, and looking for it as a whole word would read every customer it occurs with.
        return []
    words = [compact]
    conditions = ["c.data ->> '$.customer_number' = ?", "c.data ->> '$.dic' = ?"]
    params: list[Any] = [compact, compact]
    if is_valid_ico(compact):
        conditions.append("c.data ->> '$.ico' = ?")
        params.append(compact)
    phone = normalize_phone(query)
    if phone is not None:
        words.append(phone)
        conditions.append("c.data ->> '$.phone' = ?")
        params.append(phone)
    phrases = [p.removesuffix("*") for p in (_fts_phrase(w) for w in words) if p]
    if not phrases:
        return []
    rows = connection.exec_driver_sql(
        "SELECT c.rowid, c.data FROM customer_search JOIN record c ON c.rowid = customer_search.rowid "  # noqa: S608
        f"WHERE customer_search MATCH ? AND ({' OR '.join(conditions)}) ORDER BY c.data ->> '$.name', c.id",
        (f"({' OR '.join(phrases)}) AND ({match})", *params),
    ).all()
    return [(int(rowid), str(data)) for rowid, data in rows]


# An index of customers by name, used when the schema has it:
#   CREATE INDEX ix_record_customer_name ON record (json_extract(data, '$.name'), id) WHERE entity = 'customer'
# The first customers by name are then read from it instead of sorting every match, which is what
# keeps an empty or one-letter search fast on 100,000 customers (see search_customers).
CUSTOMER_NAME_INDEX = "ix_record_customer_name"
# Up to this many matches are read and sorted by name; more are picked from the name index.
_SORTED_MATCHES = 1000


def _has_name_index(connection: Connection) -> bool:
    return connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?", (CUSTOMER_NAME_INDEX,)
    ).first() is not None


def _summaries(rows: Iterable[str]) -> list[CustomerSummary]:
    return [CustomerSummary.model_validate_json(row) for row in rows]


@_read_only
def search_customers(connection: Connection, query: str, limit: int = 100) -> Page[CustomerSummary]:
    """Customers found by anything an operator is told: name (without diacritics too), company,
    e-mail, phone in any Czech format, customer number, IČO, DIČ, serial, OCPP identity, RFID tag,
    contract number. Exact hits on number, IČO, DIČ or phone first, then by name; an empty query
    gives the first customers by name. `total` counts every match."""
    text = _printable(query)
    if not search_terms(text):
        indexed = f"INDEXED BY {CUSTOMER_NAME_INDEX} " if _has_name_index(connection) else ""
        rows = connection.exec_driver_sql(
            f"SELECT data FROM record {indexed}WHERE entity = 'customer' "  # noqa: S608
            "ORDER BY json_extract(data, '$.name'), id LIMIT ?", (limit,)
        ).scalars()
        total = connection.exec_driver_sql("SELECT count(*) FROM record WHERE entity = 'customer'").scalar()
        return Page[CustomerSummary](items=_summaries(rows), total=int(total or 0), limit=limit, offset=0)
    match = customer_match(text)
    if match is None:
        return Page[CustomerSummary](items=[], total=0, limit=limit, offset=0)
    total = int(connection.exec_driver_sql(
        "SELECT count(*) FROM customer_search WHERE customer_search MATCH ?", (match,)
    ).scalar() or 0)
    exact = _exact_hits(connection, text, match)[:limit]
    found = [data for _, data in exact]
    wanted = min(limit, total) - len(exact)
    if wanted > 0:
        skip = [rowid for rowid, _ in exact]
        skipped = f" AND c.rowid NOT IN ({_placeholders(len(skip))})" if skip else ""
        if total <= _SORTED_MATCHES or not _has_name_index(connection):
            # Few matches: read them and sort by name.
            sql = ("SELECT c.data FROM customer_search JOIN record c ON c.rowid = customer_search.rowid "  # noqa: S608
                   f"WHERE customer_search MATCH ?{skipped} ORDER BY json_extract(c.data, '$.name'), c.id LIMIT ?")
        else:
            # Many (a single letter finds a fifth of all customers): walk the customers in name order
            # and keep those the search index names, which stops after `limit` of them.
            sql = (f"SELECT c.data FROM record c INDEXED BY {CUSTOMER_NAME_INDEX} WHERE c.entity = 'customer' "  # noqa: S608
                   "AND c.rowid IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?)"
                   f"{skipped} ORDER BY json_extract(c.data, '$.name'), c.id LIMIT ?")
        found += connection.exec_driver_sql(sql, (match, *skip, wanted)).scalars().all()
    return Page[CustomerSummary](items=_summaries(found), total=total, limit=limit, offset=0)


def _by_parent(connection: Connection, entity: str, parent_ids: Sequence[str]) -> list[dict[str, Any]]:
    if not parent_ids:
        return []
    rows = connection.exec_driver_sql(
        f"SELECT data FROM record WHERE entity = ? AND parent_id IN ({_placeholders(len(parent_ids))})",  # noqa: S608
        (entity, *parent_ids),
    ).scalars()
    return [json.loads(row) for row in rows]


def _one(connection: Connection, entity: str, record_id: str | None) -> dict[str, Any] | None:
    if not record_id:
        return None
    row = connection.exec_driver_sql(
        "SELECT data FROM record WHERE entity = ? AND id = ?", (entity, record_id)
    ).scalar()
    return json.loads(row) if row is not None else None


def _connectors_of(connection: Connection, device_ids: Sequence[str]) -> dict[str, list[Connector]]:
    connectors: dict[str, list[dict[str, Any]]] = {}
    for data in _by_parent(connection, "connector", device_ids):
        connectors.setdefault(str(data["device_id"]), []).append(data)
    return {device_id: [Connector.model_validate(c) for c in sorted(rows, key=lambda c: int(c["connector_no"]))]
            for device_id, rows in connectors.items()}


@_read_only
def customer_detail(connection: Connection, customer_id: str) -> CustomerDetail | None:
    """The customer card as GET /customers/{id} gives it: contacts, sites, devices with their
    connectors, the latest 50 tickets; pending contact edits laid over and marked."""
    customer = _one(connection, "customer", customer_id)
    if customer is None:
        return None
    outbox = _Outbox.load(connection, ("contact", "ticket"))
    contacts = sorted(_by_parent(connection, "contact", [customer_id]),
                      key=lambda c: _required_moment(c["created_at"]))
    sites = sorted(_by_parent(connection, "site", [customer_id]), key=lambda s: (s["name"], s["id"]))
    devices = sorted(_by_parent(connection, "device", [customer_id]), key=lambda d: d["serial"])
    connectors = _connectors_of(connection, [d["id"] for d in devices])
    ticket_rows = connection.exec_driver_sql(
        "SELECT data FROM record INDEXED BY ix_record_ticket_customer "
        "WHERE entity = 'ticket' AND json_extract(data, '$.customer_id') = ?", (customer_id,)
    ).scalars()
    # Newest first, ties by id ascending (two sorts, the second stable).
    ticket_data = sorted((json.loads(row) for row in ticket_rows), key=lambda t: t["id"])
    ticket_data.sort(key=lambda t: _required_moment(t["created_at"]), reverse=True)
    tickets = [_ticket_values(connection, outbox.overlay_ticket(t)) for t in ticket_data[:DETAIL_TICKETS]]
    return CustomerDetail.model_validate({
        **customer,
        "contacts": [Contact.model_validate(outbox.overlay_contact(c)) for c in contacts],
        "sites": [Site.model_validate(s) for s in sites],
        "devices": [CustomerDevice.model_validate({**d, "connectors": connectors.get(d["id"], [])}) for d in devices],
        "tickets": [TicketSummary.model_validate(t) for t in tickets],
    })


# --- devices ------------------------------------------------------------------------------------

# The fields of a device in the fleet list (records.Device): the device's own, and its site's
# coordinates, as GET /devices gives them.
_DEVICE_FIELDS = ("id", "customer_id", "site_id", "kind", "vendor", "model", "serial", "ocpp_identity", "status",
                  "error_code", "region", "last_seen_at", "version")
_DEVICE_COLUMNS = (", ".join(f"d.data ->> '$.{name}'" for name in _DEVICE_FIELDS)
                   + ", s.data ->> '$.latitude', s.data ->> '$.longitude'")
_DEVICE_NAMES = (*_DEVICE_FIELDS, "latitude", "longitude")


def _devices(rows: Iterable[Sequence[Any]]) -> list[Device]:
    return [Device.model_validate(dict(zip(_DEVICE_NAMES, row, strict=True))) for row in rows]


@_read_only
def stations(connection: Connection) -> list[Device]:
    """Every charging station and wallbox whose site has coordinates: the map's pins, by serial.

    One query; the fields come out of the JSON in SQLite, so Python only builds the records.
    The devices are read through the index by kind, which visits them in storage order (the index
    by owner would jump across the file, a page decrypted per device).
    """
    rows = connection.exec_driver_sql(
        f"SELECT {_DEVICE_COLUMNS} FROM record d INDEXED BY ix_record_device_kind "  # noqa: S608
        "JOIN record s ON s.entity = 'site' AND s.id = d.data ->> '$.site_id' "
        f"WHERE d.entity = 'device' AND json_extract(d.data, '$.kind') IN {CHARGER_KINDS!r} "
        "AND s.data ->> '$.latitude' IS NOT NULL AND s.data ->> '$.longitude' IS NOT NULL "
        "ORDER BY d.data ->> '$.serial', d.id"
    )
    return _devices(rows)


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@_read_only
def search_devices(connection: Connection, query: str, limit: int = 20) -> list[Device]:
    """Devices whose serial, OCPP identity or model holds every word of the query (any case), by
    serial, as GET /devices?q= finds them."""
    conditions: list[str] = []
    params: list[Any] = []
    for term in search_terms(query):
        if '"' not in term and "\\" not in term and term.isprintable():
            # A cheap look at the raw text first spares most records the JSON parsing below
            # (LIKE ignores ASCII case, as lower() does).
            conditions.append("d.data LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(term))
        conditions.append(
            "(instr(lower(d.data ->> '$.serial'), ?) > 0 OR instr(lower(d.data ->> '$.ocpp_identity'), ?) > 0 "
            "OR instr(lower(d.data ->> '$.model'), ?) > 0)"
        )
        params += [term, term, term]
    where = "".join(f" AND {c}" for c in conditions)
    rows = connection.exec_driver_sql(
        f"SELECT {_DEVICE_COLUMNS} FROM record d "  # noqa: S608
        "LEFT JOIN record s ON s.entity = 'site' AND s.id = d.data ->> '$.site_id' "
        f"WHERE d.rowid IN (SELECT rowid FROM record WHERE entity = 'device'){where} "
        "ORDER BY d.data ->> '$.serial', d.id LIMIT ?",
        (*params, limit),
    )
    return _devices(rows)


@_read_only
def device_detail(connection: Connection, device_id: str) -> DeviceDetail | None:
    """One device with its connectors, site and customer, as GET /devices/{id} gives it."""
    device = _one(connection, "device", device_id)
    if device is None:
        return None
    site = _one(connection, "site", device.get("site_id"))
    customer = _one(connection, "customer", device.get("customer_id"))
    return DeviceDetail.model_validate({
        **device,
        "latitude": site.get("latitude") if site else None,
        "longitude": site.get("longitude") if site else None,
        "connectors": _connectors_of(connection, [device_id]).get(device_id, []),
        "site": site,
        "customer": DeviceCustomer.model_validate(customer) if customer else None,
    })


# --- operators ----------------------------------------------------------------------------------


@_read_only
def colleagues(connection: Connection) -> list[Colleague]:
    """Active operators by name: ticket owners and whom a ticket can be assigned to."""
    rows = [json.loads(row) for row in connection.exec_driver_sql(
        "SELECT data FROM record WHERE entity = 'operator' AND json_extract(data, '$.active')"
    ).scalars()]
    rows.sort(key=lambda o: (o["display_name"], o["id"]))
    return [Colleague.model_validate(o) for o in rows]


def _operator_names(connection: Connection, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = connection.exec_driver_sql(
        "SELECT id, data ->> '$.display_name' FROM record WHERE entity = 'operator' "  # noqa: S608
        f"AND id IN ({_placeholders(len(wanted))})", tuple(wanted)
    ).all()
    return {str(i): str(name) for i, name in rows}


# --- the outbox: the operator's writes the server does not have yet ----------------------------


@dataclass
class _Outbox:
    """Unsent writes, by the record they change, in the order they were made."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    by_record: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: Connection, entities: Sequence[str]) -> _Outbox:
        result = connection.exec_driver_sql(
            "SELECT seq, action, entity, entity_id, body, upload_name, created_at FROM outbox "  # noqa: S608
            f"WHERE state != 'sent' AND entity IN ({_placeholders(len(entities))}) ORDER BY seq",
            tuple(entities),
        )
        outbox = cls()
        for seq, action, entity, entity_id, body, upload_name, created_at in result:
            try:
                values = json.loads(body) if body else {}
            except ValueError:
                values = {}
            # "ticket.update" and "ticket_update" alike: one spelling of the action everywhere below.
            row = {"seq": seq, "action": str(action).replace(".", "_"), "entity": entity, "entity_id": entity_id,
                   "body": values if isinstance(values, dict) else {}, "upload_name": upload_name,
                   "created_at": created_at}
            outbox.rows.append(row)
            outbox.by_record.setdefault((str(entity), str(entity_id)), []).append(row)
        return outbox

    def ids(self, entity: str) -> list[str]:
        return sorted({record_id for kind, record_id in self.by_record if kind == entity})

    def overlay_ticket(self, data: dict[str, Any]) -> dict[str, Any]:
        """The ticket's record with its pending updates applied; `pending` when any write waits."""
        writes = self.by_record.get(("ticket", str(data["id"])))
        if not writes:
            return data
        ticket = dict(data, pending=True)
        for write in writes:
            if write["action"] != "ticket_update":
                continue
            changes = {f: write["body"][f] for f in _TICKET_FIELDS if f in write["body"]}
            if "customer_id" in changes and changes["customer_id"] != ticket.get("customer_id"):
                ticket[_LEGAL_AGAIN] = True  # the legal deadline depends on the customer
            if "device_id" in changes and changes["device_id"] != ticket.get("device_id"):
                ticket["connector_no"] = None  # the connector belonged to the previous device
            if "priority" in changes and changes["priority"] in deadlines.SLA_HOURS:
                # The server counts the SLA anew from creation for the new priority.
                response, resolution = deadlines.sla_due_at(changes["priority"],
                                                            _required_moment(ticket["created_at"]))
                ticket["first_response_due_at"], ticket["resolution_due_at"] = response, resolution
            ticket.update(changes)
            ticket["updated_at"] = write["created_at"] or ticket["updated_at"]
        return ticket

    def ticket_entries(self, ticket_id: str, author_id: str | None, author_name: str | None) -> list[TicketEntry]:
        entries: list[TicketEntry] = []
        for write in self.by_record.get(("ticket", ticket_id), []):
            values: dict[str, Any] = {"id": f"outbox-{write['seq']}", "at": write["created_at"], "pending": True,
                                      "author_id": author_id, "author_name": author_name}
            if write["action"] == "ticket_comment":
                public = bool(write["body"].get("public", False))
                # The kind the server will give it: a reply the customer sees, or an internal note.
                values.update(kind="reply" if public else "note", body=write["body"].get("body"), public=public)
            elif write["action"] == "ticket_attachment":
                values.update(kind="attachment", body=write["upload_name"])
            else:
                continue
            entries.append(TicketEntry.model_validate(values))
        return entries

    def overlay_contact(self, data: dict[str, Any]) -> dict[str, Any]:
        writes = self.by_record.get(("contact", str(data["id"])))
        if not writes:
            return data
        contact = dict(data, pending=True)
        for write in writes:
            if write["action"] == "contact_update":
                contact.update({f: write["body"][f] for f in _CONTACT_FIELDS if f in write["body"]})
        return contact

    def pending(self, entity: str, record_id: str) -> bool:
        return (entity, record_id) in self.by_record


# --- tickets ------------------------------------------------------------------------------------


def _ticket_values(connection: Connection, data: dict[str, Any]) -> dict[str, Any]:
    """A ticket record with its `due_at` as the server derives it (overdue and warning depend on
    the moment: `_with_state`). A pending change of customer recomputes the legal deadline."""
    values = dict(data)
    first_response = _required_moment(values["first_response_due_at"])
    resolution = _required_moment(values["resolution_due_at"])
    legal = _moment(values.get("legal_due_at"))
    if values.pop(_LEGAL_AGAIN, False) and values.get("kind") == "complaint":
        legal = _legal_deadline(connection, values)
        values["legal_due_at"] = legal
    values["due_at"] = deadlines.ticket_due_at(first_response, resolution, legal,
                                               _moment(values.get("first_responded_at")))
    return values


def _legal_deadline(connection: Connection, ticket: dict[str, Any]) -> datetime | None:
    """The statutory deadline of a consumer's complaint (ema_server/tickets.py legal_deadline)."""
    customer = _one(connection, "customer", ticket.get("customer_id"))
    filed_at = _moment(ticket.get("complaint_filed_at"))
    if customer is None or customer.get("kind") != "consumer" or filed_at is None:
        return None
    return deadlines.complaint_due_at(filed_at, ticket.get("complaint_agreed_days"))


def _with_state(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    state = str(values["state"])
    due_at: datetime = values["due_at"]
    values["overdue"] = deadlines.ticket_overdue(state, due_at, now)
    values["warning"] = deadlines.ticket_warning(
        state, _required_moment(values["created_at"]), _required_moment(values["first_response_due_at"]),
        _required_moment(values["resolution_due_at"]), _moment(values.get("legal_due_at")),
        _moment(values.get("first_responded_at")), now,
    )
    return values


@_read_only
def tickets(connection: Connection, *, states: Sequence[str], owner_id: str | None, overdue: bool | None,
            now: datetime) -> list[TicketListItem]:
    """The ticket queue as GET /tickets?sort=due_at gives it (all pages): in one of `states`
    (all when empty), of one owner, overdue or not at `now`; by due date, then number. Pending
    updates count: a ticket closed here leaves the open queue at once."""
    outbox = _Outbox.load(connection, ("ticket",))
    conditions, params = ["entity = 'ticket'"], []
    # The planner would rather walk every ticket by the (entity, owner) index and look at each one's
    # state: named here, the index by owner or state finds the few wanted without that.
    index = ""
    if owner_id:
        conditions.append("json_extract(data, '$.owner_id') = ?")
        params.append(owner_id)
        index = "INDEXED BY ix_record_ticket_owner "
    if states:
        conditions.append(f"json_extract(data, '$.state') IN ({_placeholders(len(states))})")
        params += list(states)
        index = index or "INDEXED BY ix_record_ticket_state "
    rows = {
        str(d["id"]): d for d in (json.loads(row) for row in connection.exec_driver_sql(
            f"SELECT data FROM record {index}WHERE {' AND '.join(conditions)}", tuple(params)  # noqa: S608
        ).scalars())
    }
    # Tickets a pending update may move into the queue, whatever their stored state or owner.
    extra = [i for i in outbox.ids("ticket") if i not in rows]
    if extra:
        for row in connection.exec_driver_sql(
            f"SELECT data FROM record WHERE entity = 'ticket' AND id IN ({_placeholders(len(extra))})",  # noqa: S608
            tuple(extra),
        ).scalars():
            data = json.loads(row)
            rows[str(data["id"])] = data
    items: list[dict[str, Any]] = []
    for data in rows.values():
        values = _with_state(_ticket_values(connection, outbox.overlay_ticket(data)), now)
        if states and values["state"] not in states:
            continue
        if owner_id and values.get("owner_id") != owner_id:
            continue
        if overdue is not None and values["overdue"] != overdue:
            continue
        items.append(values)
    items.sort(key=lambda t: (t["due_at"], t["number"]))
    return [TicketListItem.model_validate(t) for t in items]


def _entry_key(entry: TicketEntry) -> tuple[Any, ...]:
    # The server's order: time, kind, field (none first, as SQL sorts NULL), id.
    return entry.at, entry.kind, entry.field is not None, entry.field or "", entry.id


@_read_only
def ticket_detail(connection: Connection, ticket_id: str, now: datetime,
                  author_id: str | None = None) -> TicketDetail | None:
    """One ticket with its history (oldest first, author names from the operators), customer and
    device, as GET /tickets/{id} gives it, with the operator's pending writes: changed fields,
    and comments and attachments not yet sent as history entries marked `pending`.

    `author_id` is the signed-in operator, the author of those pending entries.
    """
    data = _one(connection, "ticket", ticket_id)
    if data is None:
        return None
    outbox = _Outbox.load(connection, ("ticket",))
    values = _with_state(_ticket_values(connection, outbox.overlay_ticket(data)), now)
    entries = _by_parent(connection, "ticket_entry", [ticket_id])
    names = _operator_names(connection, [e.get("author_id") for e in entries] + [author_id])
    history = [TicketEntry.model_validate({**e, "author_name": names.get(e.get("author_id") or "")})
               for e in entries]
    history += outbox.ticket_entries(ticket_id, author_id, names.get(author_id or "") or YOU)
    history.sort(key=_entry_key)
    customer = _one(connection, "customer", values.get("customer_id"))
    device = _one(connection, "device", values.get("device_id"))
    return TicketDetail.model_validate({
        **values,
        "history": history,
        "customer": TicketCustomer.model_validate(customer) if customer else None,
        "device": TicketDevice.model_validate(device) if device else None,
    })


# --- privacy requests ---------------------------------------------------------------------------


@_read_only
def privacy_requests(connection: Connection, now: datetime) -> list[PrivacyRequestItem]:
    """Every privacy request as GET /privacy-requests lists them: overdue first, then by effective
    due date, then number; a request with a pending note is marked `pending`."""
    outbox = _Outbox.load(connection, ("privacy_request",))
    items: list[dict[str, Any]] = []
    for row in connection.exec_driver_sql("SELECT data FROM record WHERE entity = 'privacy_request'").scalars():
        values = json.loads(row)
        state = str(values["state"])
        effective = deadlines.privacy_effective_due_at(_required_moment(values["due_at"]),
                                                       _moment(values.get("extended_due_at")))
        values.update(
            effective_due_at=effective,
            extension_notice_due_at=deadlines.privacy_extension_notice_due_at(
                _required_moment(values["received_at"])),
            overdue=deadlines.privacy_overdue(state, effective, now),
            warning=deadlines.privacy_warning(state, effective, now),
            pending=outbox.pending("privacy_request", str(values["id"])),
        )
        items.append(values)
    items.sort(key=lambda r: (not r["overdue"], r["effective_due_at"], r["number"]))
    return [PrivacyRequestItem.model_validate(r) for r in items]
