"""The erasure ledger file: entries chain by hash, survive as written, and any change by hand —
an edited, removed or reordered line — is detected before a replay trusts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ema_server.privacy.erasure_ledger import (
    DATA_DIR_ENV,
    GENESIS,
    LEDGER_ENV,
    ErasureLedger,
    LedgerTampered,
    effective_entries,
    ledger_path,
)


def _append(ledger: ErasureLedger, customer: str) -> dict[str, object]:
    return ledger.append_erasure(kind="erasure", erasure_id=f"e-{customer}", request_id=f"r-{customer}",
                                 customer_id=customer, executed_at="2026-11-26T10:00:00Z",
                                 actions=[["contact", f"c-{customer}", "delete", None, None],
                                          ["document", f"d-{customer}", "keep", "accounting", "2029-03-01"]])


def test_entries_chain_from_genesis_and_read_back_verified(tmp_path: Path) -> None:
    ledger = ErasureLedger(tmp_path / "deep" / "ledger.jsonl")
    first, second = _append(ledger, "a"), _append(ledger, "b")
    assert (first["seq"], first["prev_hash"]) == (1, GENESIS)
    assert (second["seq"], second["prev_hash"]) == (2, first["hash"])
    check = ledger.read()
    assert check.ok and [e["customer_id"] for e in check.entries] == ["a", "b"]
    assert ledger.verified_entries()[1]["actions"][1] == ["document", "d-b", "keep", "accounting", "2029-03-01"]


@pytest.mark.parametrize("tamper", ["edit", "remove_first", "swap", "garbage"])
def test_a_ledger_changed_by_hand_is_refused(tmp_path: Path, tamper: str) -> None:
    ledger = ErasureLedger(tmp_path / "ledger.jsonl")
    for customer in ("a", "b", "c"):
        _append(ledger, customer)
    lines = ledger.path.read_text().splitlines()
    if tamper == "edit":
        entry = json.loads(lines[1])
        entry["actions"] = []  # someone hides what was erased
        lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    elif tamper == "remove_first":
        lines = lines[1:]
    elif tamper == "swap":
        lines[0], lines[1] = lines[1], lines[0]
    else:
        lines[2] = "{not json"
    ledger.path.write_text("\n".join(lines) + "\n")
    check = ledger.read()
    assert not check.ok and check.line in (1, 2, 3)
    with pytest.raises(LedgerTampered):
        ledger.verified_entries()


def test_an_aborted_entry_is_not_replayed(tmp_path: Path) -> None:
    ledger = ErasureLedger(tmp_path / "ledger.jsonl")
    first = _append(ledger, "a")
    _append(ledger, "b")
    ledger.append_abort(int(str(first["seq"])), "transaction not committed")
    entries = ledger.verified_entries()
    assert [e["customer_id"] for e in effective_entries(entries)] == ["b"]


def test_a_missing_ledger_is_an_empty_one(tmp_path: Path) -> None:
    check = ErasureLedger(tmp_path / "none.jsonl").read()
    assert check.ok and check.entries == []


def test_ledger_location_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LEDGER_ENV, raising=False)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    assert ledger_path() == tmp_path / "data" / "erasure-ledger.jsonl"
    monkeypatch.setenv(LEDGER_ENV, str(tmp_path / "explicit.jsonl"))
    assert ledger_path() == tmp_path / "explicit.jsonl"
