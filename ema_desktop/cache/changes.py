"""Applying pages of the server's change feed to the local store.

A page and the cursor after it are written in one transaction: a console killed at any point
either has the page and its cursor or neither, so the next pull asks for exactly what is missing
and nothing is downloaded twice or lost. Pages are parsed here, on the store's thread, so a large
page never holds up the window.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from ema_desktop.cache.schema import PARENT_FIELD

# Entities whose text is part of a customer's search text (see rebuild_search).
SEARCHED_CHILDREN = ("contact", "customer_account", "device", "rfid_card", "contract")
# A change of a child counts as a change of the record it belongs to (a new ticket entry changes
# what the ticket shows).
PARENT_ENTITY: dict[str, str] = {
    "contact": "customer", "customer_account": "customer", "contract": "customer", "consent": "customer",
    "document": "customer", "rfid_card": "customer", "site": "customer", "device": "customer",
    "connector": "device", "charging_session": "device", "ticket_entry": "ticket", "attachment": "ticket",
    "privacy_request_entry": "privacy_request",
}
# At most this many changed ids are reported per entity; more means "reload what you show".
REPORTED_IDS = 500

_UPSERT = (
    "INSERT INTO record (entity, id, version, parent_id, data, changed_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, parent_id = excluded.parent_id, "
    "data = excluded.data, changed_at = excluded.changed_at "
    # The outbox stores the server's answer to a write at once; a page fetched before that write
    # must not put the older version back.
    "WHERE excluded.version IS NULL OR record.version IS NULL OR excluded.version >= record.version"
)


@dataclass
class AppliedPage:
    """What one page changed: counts, and the ids per entity (None when there were too many)."""

    cursor: str
    has_more: bool
    latest: int | None
    upserts: int = 0
    deletes: int = 0
    ids: dict[str, set[str] | None] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.upserts + self.deletes

    def note(self, entity: str, record_id: str) -> None:
        ids = self.ids.setdefault(entity, set())
        if ids is not None:
            ids.add(record_id)
            if len(ids) > REPORTED_IDS:
                self.ids[entity] = None


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def get_state(connection: Connection, key: str) -> str | None:
    row = connection.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (key,)).first()
    return None if row is None else str(row[0])


def set_state(connection: Connection, key: str, value: str) -> None:
    connection.exec_driver_sql(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def read_state(connection: Connection) -> dict[str, str]:
    rows = connection.exec_driver_sql("SELECT key, value FROM sync_state").all()
    connection.commit()
    return {str(k): str(v) for k, v in rows}


def apply_page(connection: Connection, body: bytes, expected_cursor: str) -> AppliedPage:
    """Write one `/changes` page (the raw response body) and its cursor, all or nothing.

    `expected_cursor` is the cursor the page was asked with: if the stored one moved meanwhile
    (two pulls raced), the page is not applied again.

    A page of upserts only (nearly every page) is taken apart by SQLite itself (`json_each`), which
    runs without Python's GIL: parsing a page in Python would hold the GIL for milliseconds at a
    time and make the window stutter during a long first sync. A page with tombstones goes record
    by record, because a delete may take children with it.
    """
    text = body.decode("utf-8")
    page = {"page": text}
    with connection.begin():
        header = connection.exec_driver_sql(_PAGE_HEADER, page).one()
        applied = AppliedPage(cursor=str(header[0]), has_more=bool(header[1]),
                              latest=None if header[2] is None else int(header[2]))
        if (get_state(connection, "cursor") or "0") != expected_cursor:
            applied.cursor = get_state(connection, "cursor") or "0"
            applied.has_more = True
            return applied
        if header[3]:
            _apply_one_by_one(connection, json.loads(text)["changes"], applied)
        else:
            connection.exec_driver_sql(_PAGE_UPSERT, {**page, "changed_at": now_text()})
            connection.exec_driver_sql(_PAGE_DIRTY, page)
            for entity, record_id, parent in connection.exec_driver_sql(_PAGE_IDS, page).all():
                applied.note(str(entity), str(record_id))
                if parent and entity in PARENT_ENTITY:
                    applied.note(PARENT_ENTITY[entity], str(parent))
                applied.upserts += 1
        set_state(connection, "cursor", applied.cursor)
        if applied.latest is not None:
            set_state(connection, "latest", str(applied.latest))
    return applied


def _apply_one_by_one(connection: Connection, changes: list[dict[str, Any]], applied: AppliedPage) -> None:
    changed_at = now_text()
    upserts: list[tuple[Any, ...]] = []
    dirty: set[str] = set()
    for change in changes:
        entity, record_id = str(change["entity"]), str(change["id"])
        applied.note(entity, record_id)
        if change["op"] == "delete":
            if upserts:
                connection.exec_driver_sql(_UPSERT, upserts)
                upserts = []
            _delete(connection, entity, record_id, dirty, applied.note)
            applied.deletes += 1
            continue
        data: dict[str, Any] = change["data"]
        parent_field = PARENT_FIELD.get(entity)
        parent = data.get(parent_field) if parent_field else None
        if parent and entity in PARENT_ENTITY:
            applied.note(PARENT_ENTITY[entity], str(parent))
        upserts.append((entity, record_id, change.get("version"), parent,
                        json.dumps(data, ensure_ascii=False, separators=(",", ":")), changed_at))
        if entity == "customer":
            dirty.add(record_id)
        elif entity in SEARCHED_CHILDREN and parent:
            dirty.add(str(parent))
        applied.upserts += 1
    if upserts:
        connection.exec_driver_sql(_UPSERT, upserts)
    if dirty:
        connection.exec_driver_sql("INSERT OR IGNORE INTO search_dirty (customer_id) VALUES (?)",
                                   [(c,) for c in dirty])


# The SQL that takes a page apart inside SQLite. Built from the constants above, not from input.
_PAGE_HEADER = (
    "SELECT json_extract(:page, '$.next_cursor'), json_extract(:page, '$.has_more'), "
    "json_extract(:page, '$.latest'), "
    "EXISTS (SELECT 1 FROM json_each(:page, '$.changes') WHERE json_extract(value, '$.op') = 'delete')"
)
_PARENT = "CASE json_extract(value, '$.entity') {} END".format(
    " ".join(f"WHEN '{entity}' THEN json_extract(value, '$.data.{field}')" for entity, field in PARENT_FIELD.items())
)
_PAGE_CHANGES = (
    "SELECT json_extract(value, '$.entity') AS entity, json_extract(value, '$.id') AS id, "  # noqa: S608
    f"{_PARENT} AS parent, json_extract(value, '$.version') AS version, json_extract(value, '$.data') AS data "
    "FROM json_each(:page, '$.changes')"
)
# "WHERE true": SQLite's documented way to let an INSERT … SELECT take an ON CONFLICT clause.
_PAGE_UPSERT = (
    "INSERT INTO record (entity, id, version, parent_id, data, changed_at) "  # noqa: S608
    f"SELECT entity, id, version, parent, data, :changed_at FROM ({_PAGE_CHANGES}) WHERE true "
    + _UPSERT[_UPSERT.index("ON CONFLICT"):]
)
_PAGE_DIRTY = (
    "INSERT OR IGNORE INTO search_dirty (customer_id) "  # noqa: S608
    f"SELECT CASE WHEN entity = 'customer' THEN id ELSE parent END FROM ({_PAGE_CHANGES}) "
    f"WHERE entity = 'customer' OR (entity IN ({', '.join(repr(e) for e in SEARCHED_CHILDREN)}) "
    "AND parent IS NOT NULL)"
)
_PAGE_IDS = f"SELECT entity, id, parent FROM ({_PAGE_CHANGES})"  # noqa: S608


def _delete(connection: Connection, entity: str, record_id: str, dirty: set[str],
            note: Callable[[str, str], None]) -> None:
    row = connection.exec_driver_sql(
        "SELECT rowid, parent_id FROM record WHERE entity = ? AND id = ?", (entity, record_id)
    ).first()
    if row is None:
        return
    rowid, parent = row
    if parent and entity in PARENT_ENTITY:
        note(PARENT_ENTITY[entity], str(parent))
    connection.exec_driver_sql("DELETE FROM record WHERE rowid = ?", (rowid,))
    if entity == "customer":
        connection.exec_driver_sql("DELETE FROM customer_search WHERE rowid = ?", (rowid,))
        connection.exec_driver_sql("DELETE FROM search_dirty WHERE customer_id = ?", (record_id,))
        # Whatever the server erased with the customer goes too, even if its own tombstone
        # has not arrived yet: nothing of an erased customer stays readable here.
        connection.exec_driver_sql(_DELETE_CUSTOMER_CHILDREN, (record_id, *_CUSTOMER_CHILDREN))
    elif entity == "ticket":
        connection.exec_driver_sql(
            "DELETE FROM record WHERE parent_id = ? AND entity IN ('ticket_entry', 'attachment')", (record_id,)
        )
        connection.exec_driver_sql("DELETE FROM attachment_content WHERE ticket_id = ?", (record_id,))
    elif entity == "attachment":
        connection.exec_driver_sql("DELETE FROM attachment_content WHERE id = ?", (record_id,))
    elif entity == "privacy_request":
        connection.exec_driver_sql("DELETE FROM record WHERE parent_id = ? AND entity = 'privacy_request_entry'",
                                   (record_id,))
    elif entity in SEARCHED_CHILDREN and parent:
        dirty.add(str(parent))
    connection.exec_driver_sql("DELETE FROM pin WHERE entity = ? AND id = ?", (entity, record_id))


_CUSTOMER_CHILDREN = tuple(e for e, f in PARENT_FIELD.items() if f == "customer_id")
_DELETE_CUSTOMER_CHILDREN = (
    f"DELETE FROM record WHERE parent_id = ? AND entity IN ({', '.join('?' * len(_CUSTOMER_CHILDREN))})"  # noqa: S608
)

# A customer's search text, as the server builds it (ema_server/search.py build_search_text): name,
# company, customer number, IČO, DIČ, e-mails (the customer's, its contacts' and app accounts'
# logins), phones as the server indexes them (a Czech number by its nine national digits), device
# serials and OCPP identities, RFID tags, contract numbers. The tokenizer folds case and accents;
# letters that are no accented base letter (ł, ø, æ, ß...) are folded here as the server's
# `fold` does, and the query is folded the same way (cache/reads.py).
_FOLDED_LETTERS = (("ł", "l"), ("Ł", "L"), ("ø", "o"), ("Ø", "O"), ("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D"),
                   ("ħ", "h"), ("Ħ", "H"), ("\u0131", "i"), ("ŀ", "l"), ("Ŀ", "L"), ("æ", "ae"), ("Æ", "AE"),
                   ("œ", "oe"), ("Œ", "OE"), ("þ", "th"), ("Þ", "TH"), ("ß", "ss"), ("ẞ", "SS"))
_SEARCH_BODY = (
    "replace(" * len(_FOLDED_LETTERS)  # noqa: S608 (constants only)
    + """
concat_ws(' ',
  json_extract(c.data, '$.name'), json_extract(c.data, '$.company_name'),
  json_extract(c.data, '$.customer_number'), json_extract(c.data, '$.ico'), json_extract(c.data, '$.dic'),
  json_extract(c.data, '$.email'),
  CASE WHEN c.data ->> '$.phone' LIKE '+420_________' THEN substr(c.data ->> '$.phone', 5)
       ELSE replace(c.data ->> '$.phone', '+', '') END,
  (SELECT group_concat(concat_ws(' ',
      json_extract(x.data, '$.email'), json_extract(x.data, '$.login_email'),
      CASE WHEN x.data ->> '$.phone' LIKE '+420_________' THEN substr(x.data ->> '$.phone', 5)
           ELSE replace(x.data ->> '$.phone', '+', '') END,
      json_extract(x.data, '$.serial'), json_extract(x.data, '$.ocpp_identity'), json_extract(x.data, '$.id_tag'),
      json_extract(x.data, '$.number')), ' ')
   FROM record x
   WHERE x.entity IN ('contact', 'customer_account', 'device', 'rfid_card', 'contract') AND x.parent_id = c.id))
"""
    + "".join(f", '{letter}', '{folded}')" for letter, folded in _FOLDED_LETTERS)
)

# A constant built from constants above, not from input.
_INSERT_SEARCH_ROWS = (
    f"INSERT INTO customer_search (rowid, customer_id, body) SELECT c.rowid, c.id, {_SEARCH_BODY} "  # noqa: S608
    "FROM search_dirty d JOIN record c ON c.entity = 'customer' AND c.id = d.customer_id"
)


def rebuild_search(connection: Connection) -> int:
    """Refresh the search text of every customer marked dirty; returns how many."""
    with connection.begin():
        count = int(connection.exec_driver_sql("SELECT count(*) FROM search_dirty").scalar() or 0)
        if not count:
            return 0
        connection.exec_driver_sql(
            "DELETE FROM customer_search WHERE rowid IN (SELECT c.rowid FROM search_dirty d "
            "JOIN record c ON c.entity = 'customer' AND c.id = d.customer_id)"
        )
        connection.exec_driver_sql(
            _INSERT_SEARCH_ROWS
        )
        connection.exec_driver_sql("DELETE FROM search_dirty")
    return count
