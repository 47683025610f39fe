"""The outbox: every operator write, kept in the encrypted store until the server has it.

A write (a ticket change, a comment, a photo, a contact change, a privacy-request note) is stored
here first, with the Idempotency-Key it will always be sent with, and shown as pending. The
sender (`replay.OutboxSender`) sends the entries in order and records each answer here. Nothing
leaves the outbox silently: a write the server accepted is removed in the same transaction that
stores the server's answer as the local record (so the window never shows the old value again);
a write the server refused stays, with the server's sentence, until the operator discards it; a
write made against a version someone else has changed since (412) stays as a conflict until the
operator chooses mine, theirs or a merge.

Every function takes the store's SQLAlchemy connection and runs on the store's thread
(`await store.call(fn, ...)`); each write is one transaction, so a console killed at any moment
leaves either the old or the new state of an entry, never half of one. An entry killed between
being sent and its answer being recorded is still "sending" and is sent again with the same key:
the server answers a known key with its first answer instead of applying the write twice.

`base` (a column of the outbox) holds the values of the changed fields the operator started from.
It is what tells a real conflict from a version that moved on for another reason (the operator's
own comment touches the ticket too): a 412 whose current record still has the base values in every
field the write changes is no conflict, and the write is re-armed against the current version.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

from sqlalchemy import Connection

from ema_desktop.cache.changes import now_text

API = "/api/v1"

STATES: tuple[str, ...] = ("pending", "sending", "conflict", "failed")
"""pending: waits to be sent; sending: sent, answer not recorded yet (sent again after a crash);
conflict: the record changed on the server (412), waits for the operator's choice; failed: the
server refused it (4xx), stays visible until the operator discards it."""
UNSENT_STATES = STATES
SENDABLE_STATES = ("pending", "sending")

Choice = Literal["mine", "theirs", "merge"]
CHOICES: tuple[str, ...] = ("mine", "theirs", "merge")

TICKET_FIELDS = ("title", "description", "priority", "state", "owner_id", "customer_id", "device_id")
CONTACT_FIELDS = ("name", "role", "email", "phone")
TEXT_FIELDS = frozenset({"title", "description"})
"""Fields whose values can be merged as text; the others are one value or the other."""

_STATE_WORDS = {
    "new": "new", "open": "open", "in_progress": "in progress", "waiting_customer": "waiting for customer",
    "resolved": "resolved", "closed": "closed",
}
_FIELD_WORDS = {
    "title": "Title", "description": "Description", "priority": "Priority", "state": "State",
    "owner_id": "Owner", "customer_id": "Customer", "device_id": "Station",
    "name": "Name", "role": "Role", "email": "E-mail", "phone": "Phone",
}
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff"}


# --- what is stored ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxWrite:
    """One write as the operator made it, before it is stored: build it with the helpers below."""

    action: str
    entity: str
    entity_id: str
    method: str
    path: str
    summary: str
    body: dict[str, Any] | None = field(default=None, hash=False)
    if_match: int | None = None
    """The version the write was made against; -1 sends `If-Match: *` (see IF_MATCH_ANY)."""
    upload_name: str | None = None
    upload: bytes | None = field(default=None, repr=False)


IF_MATCH_ANY = -1
"""Stored in `if_match` for a write that applies to whatever version is current (a note)."""


@dataclass
class OutboxEntry:
    """One stored write and where it stands."""

    seq: int
    idempotency_key: str
    action: str
    entity: str
    entity_id: str
    method: str
    path: str
    body: dict[str, Any] | None
    if_match: int | None
    upload_name: str | None
    has_upload: bool
    summary: str
    created_at: str
    state: str
    attempts: int
    last_error: str | None
    conflict: dict[str, Any] | None
    """The server's current record, for an entry in conflict."""
    base: dict[str, Any] | None = None
    """The values of the changed fields the operator started from, when known."""

    @property
    def record(self) -> tuple[str, str]:
        """The record this write changes: entries of one record are sent in order."""
        return self.entity, self.entity_id

    @property
    def if_match_header(self) -> int | str | None:
        """What goes into If-Match: a version, "*" for any version, or nothing."""
        return "*" if self.if_match == IF_MATCH_ANY else self.if_match


# --- building writes --------------------------------------------------------------------------


def ticket_update(ticket_id: str, version: int, changes: Mapping[str, Any], *,
                  owner_name: str | None = None) -> OutboxWrite:
    """A change of a ticket's fields (state, owner, priority, title...), made against `version`."""
    unknown = sorted(set(changes) - set(TICKET_FIELDS))
    if unknown or not changes:
        raise ValueError(f"not ticket fields: {unknown}" if unknown else "no change")
    return OutboxWrite(
        action="ticket_update", entity="ticket", entity_id=ticket_id, method="PATCH",
        path=f"{API}/tickets/{ticket_id}", body=dict(changes), if_match=version,
        summary=_changes_summary(changes, owner_name),
    )


def ticket_comment(ticket_id: str, body: str, public: bool) -> OutboxWrite:
    """A public reply (the customer sees it) or an internal note on a ticket."""
    if not body.strip():
        raise ValueError("empty comment")
    return OutboxWrite(
        action="ticket_comment", entity="ticket", entity_id=ticket_id, method="POST",
        path=f"{API}/tickets/{ticket_id}/comments", body={"body": body, "public": public},
        summary="Public reply" if public else "Internal note",
    )


def ticket_attachment(ticket_id: str, filename: str, content: bytes) -> OutboxWrite:
    """A file (typically a service-report photo) attached to a ticket."""
    name = PurePath(filename).name
    if not name or not content:
        raise ValueError("an attachment needs a file name and content")
    noun = "Photo" if PurePath(name).suffix.lower() in _IMAGE_SUFFIXES else "File"
    return OutboxWrite(
        action="ticket_attachment", entity="ticket", entity_id=ticket_id, method="POST",
        path=f"{API}/tickets/{ticket_id}/attachments", upload_name=name, upload=bytes(content),
        summary=f"{noun} {name}",
    )


def contact_update(customer_id: str, contact_id: str, version: int, changes: Mapping[str, Any]) -> OutboxWrite:
    """A change of a customer contact's name, role, e-mail or phone, made against `version`."""
    unknown = sorted(set(changes) - set(CONTACT_FIELDS))
    if unknown or not changes:
        raise ValueError(f"not contact fields: {unknown}" if unknown else "no change")
    return OutboxWrite(
        action="contact_update", entity="contact", entity_id=contact_id, method="PATCH",
        path=f"{API}/customers/{customer_id}/contacts/{contact_id}", body=dict(changes), if_match=version,
        summary="Contact: " + _changes_summary(changes, None),
    )


def privacy_request_note(request_id: str, note: str) -> OutboxWrite:
    """An internal note on a privacy request; it applies whatever the request's version (If-Match: *)."""
    if not note.strip():
        raise ValueError("empty note")
    return OutboxWrite(
        action="privacy_request_note", entity="privacy_request", entity_id=request_id, method="PATCH",
        path=f"{API}/privacy-requests/{request_id}", body={"note": note}, if_match=IF_MATCH_ANY,
        summary="Internal note",
    )


def _changes_summary(changes: Mapping[str, Any], owner_name: str | None) -> str:
    parts = []
    for name, value in changes.items():
        label = _FIELD_WORDS.get(name, name)
        if name in TEXT_FIELDS:
            parts.append(f"{label} changed")
        elif name == "state":
            parts.append(f"{label} → {_STATE_WORDS.get(str(value), str(value))}")
        elif name == "owner_id":
            parts.append(f"{label} → {owner_name}" if owner_name else ("Owner removed" if value is None else
                                                                     "Owner changed"))
        elif name.endswith("_id"):
            parts.append(f"{label} changed")
        else:
            parts.append(f"{label} → {value if value not in (None, '') else '(none)'}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


# --- storing and reading ----------------------------------------------------------------------

_COLUMNS = ("seq, idempotency_key, action, entity, entity_id, method, path, body, if_match, upload_name, "
            "upload IS NOT NULL, summary, created_at, state, attempts, last_error, conflict, base")


def _entry(row: Any) -> OutboxEntry:
    (seq, key, action, entity, entity_id, method, path, body, if_match, upload_name, has_upload, summary,
     created_at, state, attempts, last_error, conflict, base) = row
    return OutboxEntry(
        seq=int(seq), idempotency_key=str(key), action=str(action), entity=str(entity), entity_id=str(entity_id),
        method=str(method), path=str(path), body=json.loads(body) if body is not None else None,
        if_match=None if if_match is None else int(if_match), upload_name=upload_name,
        has_upload=bool(has_upload), summary=str(summary), created_at=str(created_at), state=str(state),
        attempts=int(attempts), last_error=last_error, conflict=json.loads(conflict) if conflict else None,
        base=json.loads(base) if base else None,
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _get(connection: Connection, seq: int) -> OutboxEntry | None:
    row = connection.exec_driver_sql(f"SELECT {_COLUMNS} FROM outbox WHERE seq = ?", (seq,)).first()  # noqa: S608
    return None if row is None else _entry(row)


def _record_data(connection: Connection, entity: str, record_id: str) -> tuple[int | None, dict[str, Any]] | None:
    row = connection.exec_driver_sql(
        "SELECT version, data FROM record WHERE entity = ? AND id = ?", (entity, record_id)
    ).first()
    if row is None:
        return None
    return (None if row[0] is None else int(row[0])), json.loads(row[1])


def enqueue(connection: Connection, write: OutboxWrite) -> OutboxEntry:
    """Store a write with a new Idempotency-Key; it is sent after every write stored before it."""
    with connection.begin():
        base = _base(connection, write)
        cursor = connection.exec_driver_sql(
            "INSERT INTO outbox (idempotency_key, action, entity, entity_id, method, path, body, if_match, upload, "
            "upload_name, summary, created_at, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), write.action, write.entity, write.entity_id, write.method, write.path,
             None if write.body is None else _dumps(write.body), write.if_match, write.upload, write.upload_name,
             write.summary, now_text(), None if base is None else _dumps(base)),
        )
        entry = _get(connection, int(cursor.lastrowid or 0))
    assert entry is not None
    return entry


def _base(connection: Connection, write: OutboxWrite) -> dict[str, Any] | None:
    """What the changed fields held when the operator changed them: the local record, at the version
    the write was made against, with the operator's earlier unsent changes of it on top."""
    if write.method != "PATCH" or write.body is None or write.if_match in (None, IF_MATCH_ANY):
        return None
    stored = _record_data(connection, write.entity, write.entity_id)
    if stored is None or stored[0] != write.if_match:
        return None
    data = stored[1]
    base = {name: data.get(name) for name in write.body}
    for earlier in _unsent_updates(connection, write.entity, write.entity_id):
        for name in base:
            if earlier.body is not None and name in earlier.body:
                base[name] = earlier.body[name]
    return base


def _unsent_updates(connection: Connection, entity: str, entity_id: str) -> list[OutboxEntry]:
    rows = connection.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM outbox WHERE entity = ? AND entity_id = ? AND method = 'PATCH' "  # noqa: S608
        "AND state IN ('pending', 'sending', 'conflict') ORDER BY seq", (entity, entity_id)
    ).all()
    return [_entry(r) for r in rows]


def entries(connection: Connection, states: Iterable[str] | None = None, *, entity: str | None = None,
            entity_id: str | None = None) -> list[OutboxEntry]:
    """Stored entries in the order they are sent; all unsent ones unless `states` says which.

    `entity`/`entity_id` narrow them to one record's (a ticket's changes, comments and photos).
    """
    wanted = tuple(states) if states is not None else STATES
    sql = f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({', '.join('?' * len(wanted))})"  # noqa: S608
    params: list[Any] = list(wanted)
    if entity is not None:
        sql += " AND entity = ?"
        params.append(entity)
    if entity_id is not None:
        sql += " AND entity_id = ?"
        params.append(entity_id)
    rows = connection.exec_driver_sql(sql + " ORDER BY seq", tuple(params)).all()
    connection.commit()
    return [_entry(r) for r in rows]


def get_entry(connection: Connection, seq: int) -> OutboxEntry | None:
    entry = _get(connection, seq)
    connection.commit()
    return entry


def counts(connection: Connection) -> dict[str, int]:
    """How many entries are in each state (every state listed, 0 when none)."""
    rows = connection.exec_driver_sql("SELECT state, count(*) FROM outbox GROUP BY state").all()
    connection.commit()
    found = {str(state): int(n) for state, n in rows}
    return {state: found.get(state, 0) for state in STATES}


def pending_changes(connection: Connection, entity: str, entity_id: str) -> dict[str, Any]:
    """The field values the operator set on a record that the server does not have yet (oldest
    first, later ones win): what a pane shows over the stored record, marked as pending."""
    changes: dict[str, Any] = {}
    for entry in _unsent_updates(connection, entity, entity_id):
        if entry.action in ("ticket_update", "contact_update") and entry.body:
            changes.update(entry.body)
    connection.commit()
    return changes


def upload_content(connection: Connection, seq: int) -> bytes | None:
    """The file of an attachment entry (kept out of `OutboxEntry` so lists stay small)."""
    row = connection.exec_driver_sql("SELECT upload FROM outbox WHERE seq = ?", (seq,)).first()
    connection.commit()
    return None if row is None or row[0] is None else bytes(row[0])


def upload_type(filename: str | None) -> str:
    """The content type an upload is sent with (the server checks the content itself)."""
    return (mimetypes.guess_type(filename or "")[0]) or "application/octet-stream"


def next_sendable(connection: Connection) -> OutboxEntry | None:
    """The first entry that may be sent now: pending (or sending, when a console stopped before
    recording the answer), and not behind a conflict of the same record."""
    row = connection.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM outbox o WHERE o.state IN ('pending', 'sending') "  # noqa: S608
        "AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.entity = o.entity AND c.entity_id = o.entity_id "
        "AND c.state = 'conflict' AND c.seq < o.seq) ORDER BY o.seq LIMIT 1"
    ).first()
    connection.commit()
    return None if row is None else _entry(row)


def held(connection: Connection) -> list[OutboxEntry]:
    """Unsent entries waiting behind a conflict of the same record."""
    rows = connection.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM outbox o WHERE o.state IN ('pending', 'sending') "  # noqa: S608
        "AND EXISTS (SELECT 1 FROM outbox c WHERE c.entity = o.entity AND c.entity_id = o.entity_id "
        "AND c.state = 'conflict' AND c.seq < o.seq) ORDER BY o.seq"
    ).all()
    connection.commit()
    return [_entry(r) for r in rows]


# --- recording what happened ------------------------------------------------------------------


def mark_sending(connection: Connection, seq: int) -> None:
    """About to send: counted as an attempt; a console killed now sends it again with the same key."""
    with connection.begin():
        connection.exec_driver_sql(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE seq = ? AND state IN "
            "('pending', 'sending')", (seq,)
        )


def mark_pending(connection: Connection, seq: int, message: str) -> None:
    """Not delivered (no network, session over, server failing): it waits for the next replay."""
    with connection.begin():
        connection.exec_driver_sql(
            "UPDATE outbox SET state = 'pending', last_error = ? WHERE seq = ? AND state = 'sending'", (message, seq)
        )


def mark_sent(connection: Connection, seq: int, answer: Any) -> None:
    """The server has the write: store its answer as the local record and remove the entry, together."""
    with connection.begin():
        entry = _get(connection, seq)
        if entry is None:
            return
        if isinstance(answer, dict):
            _record_answer(connection, entry, answer)
        connection.exec_driver_sql("DELETE FROM outbox WHERE seq = ?", (seq,))


def mark_conflict(connection: Connection, seq: int, current: Mapping[str, Any]) -> None:
    """The record changed on the server since the operator's edit: keep both for the operator to choose.

    The server's current record also becomes the local one, so the panes show what is true now.
    """
    with connection.begin():
        entry = _get(connection, seq)
        if entry is None:
            return
        _store_record(connection, entry.entity, entry.entity_id, dict(current))
        connection.exec_driver_sql(
            "UPDATE outbox SET state = 'conflict', conflict = ?, last_error = NULL WHERE seq = ?",
            (_dumps(dict(current)), seq),
        )


def mark_failed(connection: Connection, seq: int, message: str) -> None:
    """The server refused the write (4xx other than 412): it stays, with why, until the operator discards it."""
    with connection.begin():
        connection.exec_driver_sql("UPDATE outbox SET state = 'failed', last_error = ? WHERE seq = ?",
                                   (message, seq))


Stale = Literal["conflict", "rearmed", "already_applied"]


def handle_stale(connection: Connection, seq: int, current: Mapping[str, Any]) -> Stale:
    """Record a 412 for an entry, as a conflict only when it is one.

    - Every changed field already holds the operator's value: the write is there (an answer lost
      before it was recorded, or a colleague made the same change); it counts as sent.
    - Every changed field still holds the value the operator started from (the version moved for
      other fields, or the operator's own comment or photo): nobody else touched what this write
      changes, so it is re-armed against the current version with a new key.
    - Otherwise someone else changed a field this write changes: a conflict for the operator.
    """
    entry = _get(connection, seq)
    connection.commit()
    if entry is None:
        return "conflict"
    body = entry.body or {}
    fields = [name for name in body if name in TICKET_FIELDS or name in CONTACT_FIELDS]
    if fields and all(name in current and current[name] == body[name] for name in fields):
        mark_sent(connection, seq, dict(current))
        return "already_applied"
    base = entry.base
    version = current.get("version")
    if (fields and base is not None and isinstance(version, int) and version != entry.if_match
            and all(name in current and current[name] in (base.get(name), body[name]) for name in fields)):
        with connection.begin():
            _store_record(connection, entry.entity, entry.entity_id, dict(current))
            connection.exec_driver_sql(
                "UPDATE outbox SET state = 'pending', if_match = ?, idempotency_key = ?, last_error = NULL "
                "WHERE seq = ?", (version, str(uuid.uuid4()), seq)
            )
        return "rearmed"
    mark_conflict(connection, seq, current)
    return "conflict"


def discard(connection: Connection, seq: int) -> bool:
    """The operator gives up a write; returns whether there was one.

    Only ever on the operator's word, and through `OutboxSender.discard`, which waits until no write
    is in flight. A write left "sending" by a stopped console may have reached the server already.
    """
    with connection.begin():
        cursor = connection.exec_driver_sql("DELETE FROM outbox WHERE seq = ?", (seq,))
    return bool(cursor.rowcount)


def resolve_conflict(connection: Connection, seq: int, choice: str,
                     merged: Mapping[str, Any] | None = None) -> OutboxEntry | None:
    """The operator's answer to a conflict.

    mine: send the operator's values over the current version; theirs: drop the write, the
    server's values stay; merge: send `merged` (the text fields as the operator merged them,
    the other changed fields as the operator set them) over the current version. A re-armed write
    is a new request, so it gets a new Idempotency-Key. Returns the re-armed entry (None for theirs).
    """
    if choice not in CHOICES:
        raise ValueError(f"unknown choice {choice!r}")
    with connection.begin():
        entry = _get(connection, seq)
        if entry is None or entry.state != "conflict" or entry.conflict is None:
            raise ValueError("this write is not in conflict")
        if choice == "theirs":
            connection.exec_driver_sql("DELETE FROM outbox WHERE seq = ?", (seq,))
            return None
        body = dict(entry.body or {})
        if choice == "merge":
            if not merged:
                raise ValueError("a merge needs the merged texts")
            unknown = sorted(set(merged) - (set(body) & TEXT_FIELDS))
            if unknown:
                raise ValueError(f"cannot merge {unknown}")
            body.update(merged)
        current = entry.conflict
        version = current.get("version")
        base = {name: current.get(name) for name in body}
        connection.exec_driver_sql(
            "UPDATE outbox SET state = 'pending', body = ?, if_match = ?, idempotency_key = ?, conflict = NULL, "
            "last_error = NULL, base = ? WHERE seq = ?",
            (_dumps(body), version if isinstance(version, int) else entry.if_match, str(uuid.uuid4()),
             _dumps(base), seq),
        )
        rearmed = _get(connection, seq)
    return rearmed


def export(connection: Connection) -> dict[str, Any]:
    """Every unsent entry, JSON-ready (files as base64): the operator's work saved before a store is wiped."""
    rows = connection.exec_driver_sql(f"SELECT {_COLUMNS}, upload FROM outbox ORDER BY seq").all()  # noqa: S608
    connection.commit()
    exported = []
    for row in rows:
        entry = _entry(row[:-1])
        upload = row[-1]
        exported.append({
            "seq": entry.seq, "idempotency_key": entry.idempotency_key, "action": entry.action,
            "entity": entry.entity, "entity_id": entry.entity_id, "method": entry.method, "path": entry.path,
            "if_match": entry.if_match_header, "body": entry.body, "summary": entry.summary,
            "created_at": entry.created_at, "state": entry.state, "attempts": entry.attempts,
            "last_error": entry.last_error, "conflict": entry.conflict, "upload_name": entry.upload_name,
            "upload_base64": base64.b64encode(bytes(upload)).decode("ascii") if upload is not None else None,
        })
    return {"format": "ema-outbox", "version": 1, "exported_at": now_text(), "entries": exported}


# --- the server's answers as local records ----------------------------------------------------

_UPSERT = (
    "INSERT INTO record (entity, id, version, parent_id, data, changed_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, parent_id = excluded.parent_id, "
    "data = excluded.data, changed_at = excluded.changed_at"
)


def _record_answer(connection: Connection, entry: OutboxEntry, answer: dict[str, Any]) -> None:
    """Store what the server answered, shaped like the change feed's record, inside the caller's transaction."""
    if entry.action in ("ticket_update", "contact_update", "privacy_request_note"):
        _store_record(connection, entry.entity, entry.entity_id, answer)
        version = answer.get("version")
        if entry.if_match is not None and entry.if_match != IF_MATCH_ANY and isinstance(version, int):
            # Later writes of this record were made against the version this write replaced: the
            # server's new version is only this write, so they now stand on it.
            _rebase(connection, entry, entry.if_match, version)
    elif entry.action == "ticket_comment":
        data = {name: answer.get(name) for name in ("id", "at", "author_id", "kind", "field", "old_value",
                                                      "new_value", "body", "public")}
        data["ticket_id"] = entry.entity_id
        _insert(connection, "ticket_entry", str(answer["id"]), None, entry.entity_id, data)
        _touch_ticket(connection, entry, answer)
    elif entry.action == "ticket_attachment":
        data = {name: answer.get(name) for name in ("id", "ticket_id", "filename", "content_type", "size",
                                                      "sha256", "uploaded_by_id", "uploaded_at")}
        data["ticket_id"] = entry.entity_id
        _insert(connection, "attachment", str(answer["id"]), None, entry.entity_id, data)
        content = connection.exec_driver_sql("SELECT upload FROM outbox WHERE seq = ?", (entry.seq,)).scalar()
        if content is not None:
            connection.exec_driver_sql(
                "INSERT OR REPLACE INTO attachment_content (id, ticket_id, content) VALUES (?, ?, ?)",
                (str(answer["id"]), entry.entity_id, content),
            )


def _store_record(connection: Connection, entity: str, record_id: str, answer: dict[str, Any]) -> None:
    """Replace a stored record with a newer one from the server, keeping the feed's shape (the API
    adds computed fields such as `overdue` that the feed does not carry). A record not stored here
    is left to the next sync; an older answer never replaces a newer record."""
    stored = _record_data(connection, entity, record_id)
    if stored is None:
        return
    version, data = stored
    new_version = answer.get("version")
    if isinstance(new_version, int) and version is not None and new_version < version:
        return
    updated = {name: answer.get(name, value) for name, value in data.items()}
    connection.exec_driver_sql(
        "UPDATE record SET version = ?, data = ?, changed_at = ? WHERE entity = ? AND id = ?",
        (new_version if isinstance(new_version, int) else version, _dumps(updated), now_text(), entity, record_id),
    )
    if entity == "contact" and data.get("customer_id"):
        # A contact's e-mail and phone are part of its customer's search text.
        connection.exec_driver_sql("INSERT OR IGNORE INTO search_dirty (customer_id) VALUES (?)",
                                   (str(data["customer_id"]),))


def _insert(connection: Connection, entity: str, record_id: str, version: int | None, parent_id: str,
            data: dict[str, Any]) -> None:
    connection.exec_driver_sql(_UPSERT, (entity, record_id, version, parent_id, _dumps(data), now_text()))


def _touch_ticket(connection: Connection, entry: OutboxEntry, answer: dict[str, Any]) -> None:
    """A comment gives its ticket a new version. When the stored ticket is the version just before
    it, nobody else changed the ticket in between: the stored ticket moves to the new version, and
    the operator's later changes of the ticket, made against the old one, stand on the new one."""
    new_version = answer.get("ticket_version")
    stored = _record_data(connection, "ticket", entry.entity_id)
    if stored is None or not isinstance(new_version, int) or stored[0] != new_version - 1:
        return
    data = stored[1]
    data["version"] = new_version
    if answer.get("at"):
        data["updated_at"] = answer["at"]
        if answer.get("public") and not data.get("first_responded_at"):
            data["first_responded_at"] = answer["at"]
    connection.exec_driver_sql(
        "UPDATE record SET version = ?, data = ?, changed_at = ? WHERE entity = 'ticket' AND id = ?",
        (new_version, _dumps(data), now_text(), entry.entity_id),
    )
    _rebase(connection, entry, new_version - 1, new_version)


def _rebase(connection: Connection, entry: OutboxEntry, old: int, new: int) -> None:
    connection.exec_driver_sql(
        "UPDATE outbox SET if_match = ? WHERE entity = ? AND entity_id = ? AND seq > ? AND if_match = ? "
        "AND state = 'pending'", (new, entry.entity, entry.entity_id, entry.seq, old),
    )
