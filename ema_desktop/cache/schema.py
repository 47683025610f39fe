"""The local store's tables.

Records are kept as the server publishes them on `/changes` (one JSON object per record) in one
table, with expression indexes for the few lookups the panes make; the customer search index is an
FTS5 table that folds diacritics, so "novak" finds "Novák". The outbox keeps each operator write
with the Idempotency-Key it is sent with, in the same encrypted file.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE record (
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER,
        parent_id TEXT,
        data TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        PRIMARY KEY (entity, id)
    )""",
    # Children by their owner: a customer's contacts and devices, a ticket's entries, a device's
    # connectors. `parent_id` is the one reference each entity is looked up by (see PARENT_FIELD).
    "CREATE INDEX ix_record_parent ON record (entity, parent_id)",
    "CREATE INDEX ix_record_ticket_state ON record (json_extract(data, '$.state')) WHERE entity = 'ticket'",
    "CREATE INDEX ix_record_ticket_owner ON record (json_extract(data, '$.owner_id')) WHERE entity = 'ticket'",
    "CREATE INDEX ix_record_device_kind ON record (json_extract(data, '$.kind')) WHERE entity = 'device'",
    "CREATE INDEX ix_record_device_site ON record (json_extract(data, '$.site_id')) WHERE entity = 'device'",
    "CREATE INDEX ix_record_ticket_customer ON record (json_extract(data, '$.customer_id')) WHERE entity = 'ticket'",
    # Customers by name: the empty search and the order of a broad one (reads.CUSTOMER_NAME_INDEX).
    "CREATE INDEX ix_record_customer_name ON record (json_extract(data, '$.name'), id) WHERE entity = 'customer'",
    # One row per customer: its text (name, company, e-mails, phones, numbers, device identities);
    # prefix indexes of 1-3 characters keep a search for "n" or "601" from scanning every term.
    """CREATE VIRTUAL TABLE customer_search USING fts5(
        customer_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    )""",
    # Customers whose search text must be rebuilt (their record or a child's changed).
    "CREATE TABLE search_dirty (customer_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT,
        if_match INTEGER,
        upload BLOB,
        upload_name TEXT,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        conflict TEXT,
        base TEXT
    )""",
    # Field mode: what the operator pinned stays whatever its age (see hygiene).
    "CREATE TABLE pin (entity TEXT NOT NULL, id TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (entity, id))",
    """CREATE TABLE telemetry_cache (
        device_id TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        since TEXT NOT NULL,
        until TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (device_id)
    )""",
    "CREATE TABLE attachment_content (id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, content BLOB NOT NULL)",
)

# The reference each published entity is filed under in `record.parent_id`.
PARENT_FIELD: dict[str, str] = {
    "contact": "customer_id",
    "customer_account": "customer_id",
    "contract": "customer_id",
    "consent": "customer_id",
    "document": "customer_id",
    "rfid_card": "customer_id",
    "site": "customer_id",
    "device": "customer_id",
    "connector": "device_id",
    "charging_session": "device_id",
    "ticket_entry": "ticket_id",
    "attachment": "ticket_id",
    "privacy_request_entry": "request_id",
}
