"""Pages of the change feed applied to the local store: all or nothing with their cursor, tombstones
delete (a customer's take its children), an older version never replaces a newer one, a page asked
for with a stale cursor is not applied twice, and search finds what a page brought."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from ema_desktop.cache.changes import apply_page, rebuild_search
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.reads import search_customers


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    opened = LocalStore(tmp_path / "store.db", secrets.token_hex(32))
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


def upsert(entity: str, record_id: str, version: int, **data: Any) -> dict[str, Any]:
    return {"seq": 0, "entity": entity, "id": record_id, "op": "upsert", "version": version,
            "data": {"id": record_id, "version": version, **data}, "at": "2026-11-26T12:00:00Z"}


def delete(entity: str, record_id: str) -> dict[str, Any]:
    return {"seq": 0, "entity": entity, "id": record_id, "op": "delete", "version": None, "data": None,
            "at": "2026-11-26T12:00:00Z"}


def page(changes: list[dict[str, Any]], cursor: int, has_more: bool = False) -> bytes:
    return json.dumps({"changes": changes, "next_cursor": str(cursor), "has_more": has_more, "latest": cursor},
                      ensure_ascii=False).encode()


async def rows(store: LocalStore, sql: str, *params: Any) -> list[Any]:
    def run(connection: Any) -> list[Any]:
        found = list(connection.exec_driver_sql(sql, params).all())
        connection.commit()
        return found

    return await store.call(run)


CUSTOMER = {"customer_number": "C1000001", "kind": "consumer", "name": "Markéta Daňková", "status": "active",
            "email": "marketa@example.cz", "phone": "+420735871329"}


async def test_a_page_and_its_cursor_are_stored_together_and_search_finds_it(store: LocalStore) -> None:
    applied = await store.call(apply_page, page([
        upsert("customer", "c1", 1, **CUSTOMER),
        upsert("contact", "k1", 1, customer_id="c1", name="Soňa Hudcová", role="technical"),
        upsert("device", "d1", 1, customer_id="c1", serial="TACW94000087", ocpp_identity="CZ-SEC-00001"),
    ], 3), "0")
    assert (applied.upserts, applied.cursor, applied.has_more, applied.latest) == (3, "3", False, 3)
    assert applied.ids["customer"] == {"c1"}  # a child's change is its customer's too
    assert await rows(store, "SELECT entity, parent_id FROM record ORDER BY entity") == [
        ("contact", "c1"), ("customer", None), ("device", "c1")]
    assert await rows(store, "SELECT value FROM sync_state WHERE key = 'cursor'") == [("3",)]
    await store.call(rebuild_search)
    for query in ("dankova", "735 871 329", "CZ-SEC-00001"):
        found = await store.call(search_customers, query, 10)
        assert [c.id for c in found.items] == ["c1"], query


async def test_a_page_asked_with_a_stale_cursor_is_not_applied_again(store: LocalStore) -> None:
    await store.call(apply_page, page([upsert("customer", "c1", 1, **CUSTOMER)], 1), "0")
    again = await store.call(apply_page, page([upsert("customer", "c1", 1, **{**CUSTOMER, "name": "X"})], 1), "0")
    assert again.cursor == "1" and again.upserts == 0
    data = await rows(store, "SELECT json_extract(data, '$.name') FROM record WHERE id = 'c1'")
    assert data == [("Markéta Daňková",)]


async def test_an_older_version_never_replaces_a_newer_one(store: LocalStore) -> None:
    await store.call(apply_page, page([upsert("ticket", "t1", 5, state="in_progress")], 1), "0")
    await store.call(apply_page, page([upsert("ticket", "t1", 4, state="open")], 2), "1")
    assert await rows(store, "SELECT version, json_extract(data, '$.state') FROM record") == [(5, "in_progress")]


async def test_a_customers_tombstone_deletes_it_with_everything_filed_under_it(store: LocalStore) -> None:
    await store.call(apply_page, page([
        upsert("customer", "c1", 1, **CUSTOMER),
        upsert("contact", "k1", 1, customer_id="c1", name="Soňa Hudcová", role="technical"),
        upsert("customer", "c2", 1, **{**CUSTOMER, "name": "Jiný Zákazník", "customer_number": "C1000002"}),
    ], 3), "0")
    await store.call(rebuild_search)
    # An upsert and a tombstone in one page: applied in order.
    applied = await store.call(apply_page, page([upsert("customer", "c1", 2, **CUSTOMER), delete("customer", "c1")],
                                                5), "3")
    assert applied.deletes == 1
    assert await rows(store, "SELECT entity, id FROM record") == [("customer", "c2")]
    assert (await store.call(search_customers, "dankova", 10)).items == []
    await store.call(rebuild_search)
    assert (await store.call(search_customers, "dankova", 10)).items == []
