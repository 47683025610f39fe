"""Store hygiene: old local data the operator no longer works with is purged; a revoked session wipes all.

**What `purge` removes** — history whose last change is older than the age (30 days unless the
settings say otherwise) and that nothing keeps:

* resolved and closed tickets, with their entries, attachment records and attachment files;
* completed and refused privacy requests, with their entries;
* finished charging sessions;
* cached telemetry (by when it was fetched);
* attachment files of tickets that stay (by when the file was uploaded): the record stays, the
  file can be downloaded again.

*Last change* is the record's own time — `updated_at` (else `closed_at`/`resolved_at`,
`stopped_at`, `uploaded_at`) — and, for a record that has none, `changed_at`, when it reached
this store. The record's own time is what makes a ticket closed in spring "old": the store's
arrival time would keep everything for 30 days after every first sync.

**What keeps a record** whatever its age: a pin (field mode), on the record itself or on the
customer or device it belongs to (a pinned customer keeps its closed tickets, charging sessions
and privacy requests; a pinned device its sessions, telemetry and tickets), and a write of the
operator still in the outbox naming it. The outbox itself is never touched.

**What is never purged**: master data — customers, contacts, sites, devices, connectors,
contracts, cards, consents, documents, accounts, operators — so search and every pane keep
working offline, and open tickets and open privacy requests.

Orphans go at any age: telemetry of a device and files of an attachment that the store no
longer has.

A purged record comes back only when the server changes it again (it then arrives on
`/changes` like any change) or the store is synced from scratch; until then the console reads it
from the server when online. That is the intent: the store keeps what field work needs.

`wipe_contents` empties the store for a revoked session: every row of every table, then VACUUM,
so the freed pages hold no old data (the file is encrypted as well).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE_DAYS = 30


@dataclass
class PurgeReport:
    """What one purge removed."""

    cutoff: datetime
    """Data last changed before this moment was old."""
    tickets: int = 0
    ticket_entries: int = 0
    attachments: int = 0
    """Attachment records (of purged tickets)."""
    attachment_files: int = 0
    """Attachment files, of purged tickets or old ones of kept tickets."""
    attachment_bytes: int = 0
    privacy_requests: int = 0
    privacy_request_entries: int = 0
    charging_sessions: int = 0
    telemetry: int = 0
    """Devices whose cached telemetry was removed."""

    @property
    def total(self) -> int:
        """Rows removed in all."""
        return (self.tickets + self.ticket_entries + self.attachments + self.attachment_files
                + self.privacy_requests + self.privacy_request_entries + self.charging_sessions + self.telemetry)


# Statements are constants; ids and times go in as parameters (id lists as one JSON array).
_OLD_TICKETS = """
    SELECT t.id FROM record t
    WHERE t.entity = 'ticket' AND json_extract(t.data, '$.state') IN ('resolved', 'closed')
      AND julianday(coalesce(json_extract(t.data, '$.updated_at'), json_extract(t.data, '$.closed_at'),
                             json_extract(t.data, '$.resolved_at'), t.changed_at)) < julianday(:cutoff)
      AND NOT EXISTS (SELECT 1 FROM pin p WHERE (p.entity = 'ticket' AND p.id = t.id)
                      OR (p.entity = 'customer' AND p.id = json_extract(t.data, '$.customer_id'))
                      OR (p.entity = 'device' AND p.id = json_extract(t.data, '$.device_id')))
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = t.id)"""

_OLD_PRIVACY_REQUESTS = """
    SELECT r.id FROM record r
    WHERE r.entity = 'privacy_request' AND json_extract(r.data, '$.state') IN ('completed', 'refused')
      AND julianday(coalesce(json_extract(r.data, '$.updated_at'), json_extract(r.data, '$.closed_at'),
                             r.changed_at)) < julianday(:cutoff)
      AND NOT EXISTS (SELECT 1 FROM pin p WHERE (p.entity = 'privacy_request' AND p.id = r.id)
                      OR (p.entity = 'customer' AND p.id = json_extract(r.data, '$.customer_id')))
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = r.id)"""

_OLD_CHARGING_SESSIONS = """
    SELECT s.rowid FROM record s
    WHERE s.entity = 'charging_session' AND json_extract(s.data, '$.stopped_at') IS NOT NULL
      AND julianday(coalesce(json_extract(s.data, '$.updated_at'), json_extract(s.data, '$.stopped_at'),
                             s.changed_at)) < julianday(:cutoff)
      AND NOT EXISTS (SELECT 1 FROM pin p WHERE (p.entity = 'charging_session' AND p.id = s.id)
                      OR (p.entity = 'device' AND p.id = s.parent_id)
                      OR (p.entity = 'customer' AND p.id = json_extract(s.data, '$.customer_id')))"""

_OLD_TELEMETRY = """
    SELECT c.device_id FROM telemetry_cache c LEFT JOIN record d ON d.entity = 'device' AND d.id = c.device_id
    WHERE d.id IS NULL
       OR (julianday(c.fetched_at) < julianday(:cutoff)
           AND NOT EXISTS (SELECT 1 FROM pin p WHERE (p.entity = 'device' AND p.id = d.id)
                           OR (p.entity = 'customer' AND p.id = d.parent_id)))"""

# Files of tickets that stay: old uploads of tickets nothing keeps, and files whose attachment or
# ticket record is gone.
_OLD_FILES = """
    SELECT c.id, length(c.content) FROM attachment_content c
    LEFT JOIN record a ON a.entity = 'attachment' AND a.id = c.id
    LEFT JOIN record t ON t.entity = 'ticket' AND t.id = c.ticket_id
    WHERE a.id IS NULL OR t.id IS NULL
       OR (julianday(coalesce(json_extract(a.data, '$.uploaded_at'), a.changed_at)) < julianday(:cutoff)
           AND NOT EXISTS (SELECT 1 FROM pin p WHERE (p.entity = 'ticket' AND p.id = t.id)
                           OR (p.entity = 'customer' AND p.id = json_extract(t.data, '$.customer_id'))
                           OR (p.entity = 'device' AND p.id = json_extract(t.data, '$.device_id')))
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = t.id))"""

_FILES_OF_TICKETS = """
    SELECT count(*), coalesce(sum(length(content)), 0) FROM attachment_content
    WHERE ticket_id IN (SELECT value FROM json_each(:ids))"""
_DELETE_FILES_OF_TICKETS = "DELETE FROM attachment_content WHERE ticket_id IN (SELECT value FROM json_each(:ids))"
_DELETE_FILES = "DELETE FROM attachment_content WHERE id IN (SELECT value FROM json_each(:ids))"
_DELETE_TICKET_ENTRIES = """
    DELETE FROM record WHERE entity = 'ticket_entry' AND parent_id IN (SELECT value FROM json_each(:ids))"""
_DELETE_ATTACHMENTS = """
    DELETE FROM record WHERE entity = 'attachment' AND parent_id IN (SELECT value FROM json_each(:ids))"""
_DELETE_TICKETS = "DELETE FROM record WHERE entity = 'ticket' AND id IN (SELECT value FROM json_each(:ids))"
_DELETE_REQUEST_ENTRIES = """
    DELETE FROM record WHERE entity = 'privacy_request_entry' AND parent_id IN (SELECT value FROM json_each(:ids))"""
_DELETE_REQUESTS = "DELETE FROM record WHERE entity = 'privacy_request' AND id IN (SELECT value FROM json_each(:ids))"
_DELETE_ROWS = "DELETE FROM record WHERE rowid IN (SELECT value FROM json_each(:ids))"
_DELETE_TELEMETRY = "DELETE FROM telemetry_cache WHERE device_id IN (SELECT value FROM json_each(:ids))"


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def purge(connection: Connection, now: datetime, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> PurgeReport:
    """Delete unpinned history last changed more than `max_age_days` before `now`, in one transaction."""
    if max_age_days < 0:
        raise ValueError("max_age_days must not be negative")
    cutoff = now - timedelta(days=max_age_days)
    report = PurgeReport(cutoff=cutoff)
    when = {"cutoff": _text(cutoff)}

    def column(sql: str, params: dict[str, Any]) -> list[Any]:
        return [row[0] for row in connection.exec_driver_sql(sql, params).all()]

    def delete(sql: str, ids: list[Any]) -> int:
        return int(connection.exec_driver_sql(sql, {"ids": json.dumps(ids)}).rowcount or 0)

    with connection.begin():
        tickets = column(_OLD_TICKETS, when)
        if tickets:
            files, size = connection.exec_driver_sql(_FILES_OF_TICKETS, {"ids": json.dumps(tickets)}).one()
            report.attachment_files += int(files)
            report.attachment_bytes += int(size)
            delete(_DELETE_FILES_OF_TICKETS, tickets)
            report.ticket_entries = delete(_DELETE_TICKET_ENTRIES, tickets)
            report.attachments = delete(_DELETE_ATTACHMENTS, tickets)
            report.tickets = delete(_DELETE_TICKETS, tickets)
        old_files = connection.exec_driver_sql(_OLD_FILES, when).all()
        if old_files:
            report.attachment_files += delete(_DELETE_FILES, [row[0] for row in old_files])
            report.attachment_bytes += sum(int(row[1] or 0) for row in old_files)
        requests = column(_OLD_PRIVACY_REQUESTS, when)
        if requests:
            report.privacy_request_entries = delete(_DELETE_REQUEST_ENTRIES, requests)
            report.privacy_requests = delete(_DELETE_REQUESTS, requests)
        sessions = column(_OLD_CHARGING_SESSIONS, when)
        if sessions:
            report.charging_sessions = delete(_DELETE_ROWS, sessions)
        telemetry = column(_OLD_TELEMETRY, when)
        if telemetry:
            report.telemetry = delete(_DELETE_TELEMETRY, telemetry)
    if report.total:
        log.info("store hygiene: purged %d rows older than %s (%d tickets, %d files)", report.total,
                 report.cutoff.date().isoformat(), report.tickets, report.attachment_files)
    return report


def wipe_contents(connection: Connection) -> int:
    """Delete every row of every table, keeping the schema, then VACUUM; the number of rows deleted.

    For a session the server revoked: nothing of the operator's data may stay readable, yet the
    store still opens with its key (and a new sign-in syncs it again from the start).
    """
    with connection.begin():
        tables = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all()
        virtual = [str(name) for name, sql in tables if str(sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        deleted = 0
        for name, _sql in tables:
            table = str(name)
            # A virtual table's shadow tables (FTS5's _data, _idx, _config...) are emptied through
            # it; deleting their rows directly would corrupt the index.
            if any(table.startswith(f"{v}_") for v in virtual):
                continue
            deleted += int(connection.exec_driver_sql(f'DELETE FROM "{table}"').rowcount or 0)  # noqa: S608
        if connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).first():
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")
    # VACUUM rewrites the file without the freed pages, and cannot run inside a transaction: it
    # goes to the driver's connection, which runs each statement on its own.
    raw = connection.connection.dbapi_connection
    if raw is not None:
        cursor = raw.cursor()
        try:
            cursor.execute("VACUUM")
            # The WAL still holds page images written before the wipe: fold it in and truncate it.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()
        finally:
            cursor.close()
    log.info("store wiped: %d rows deleted", deleted)
    return deleted
