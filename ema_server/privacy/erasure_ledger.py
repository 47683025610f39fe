"""The erasure ledger: an append-only, hash-chained JSON-lines file of every erasure applied, so
`ema-server erasure replay` can apply them again after a database is restored from a backup.

It lives outside the database on purpose: a restore brings back the erased rows *and* the
database's own record of the erasure is gone with it. Each line holds ids only — entity names,
record ids, actions, legal bases and dates — never personal data, so the file may be kept and
backed up apart from the database.

An entry is written and fsynced *before* the transaction that applies it commits: the ledger is an
intent log. An entry whose transaction then failed is followed by an `abort` entry when the
server can still say so; after a crash between the two, replay applies the intended erasure,
which the officer had confirmed.

Path: $EMA_ERASURE_LEDGER, else `erasure-ledger.jsonl` in $EMA_SERVER_DATA_DIR, else in the
server's platform data directory (next to the default SQLite database). Several server
instances sharing one PostgreSQL database must share this file too (a network file system) or
each keeps the erasures it executed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

LEDGER_ENV = "EMA_ERASURE_LEDGER"
DATA_DIR_ENV = "EMA_SERVER_DATA_DIR"
LEDGER_NAME = "erasure-ledger.jsonl"
GENESIS = "0" * 64

LedgerAction = list[Any]
"""[entity, id, action, basis | None, keep_until (ISO date) | None]; action is delete, anonymise,
keep or reduce (the customer row cut down to what kept records need)."""


def ledger_path() -> Path:
    explicit = os.environ.get(LEDGER_ENV)
    if explicit:
        return Path(explicit)
    data_dir = os.environ.get(DATA_DIR_ENV)
    base = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir("ema-server", "SECTRON"))
    return base / LEDGER_NAME


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: list[dict[str, Any]]
    problem: str | None = None
    line: int | None = None


class LedgerTampered(Exception):
    """The hash chain does not hold: a line was changed, removed or reordered."""

    def __init__(self, check: ChainCheck) -> None:
        super().__init__(f"line {check.line}: {check.problem}")
        self.check = check


class ErasureLedger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or ledger_path()

    def read(self) -> ChainCheck:
        """Every entry, with whether the chain holds (the first bad line otherwise)."""
        if not self.path.exists():
            return ChainCheck(True, [])
        entries: list[dict[str, Any]] = []
        prev = GENESIS
        with self.path.open("r", encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    entry = json.loads(raw)
                except json.JSONDecodeError:
                    return ChainCheck(False, entries, "not a JSON line", number)
                if not isinstance(entry, dict):
                    return ChainCheck(False, entries, "not a ledger entry", number)
                if entry.get("seq") != len(entries) + 1:
                    return ChainCheck(False, entries, "sequence number out of order (a line removed?)", number)
                if entry.get("prev_hash") != prev:
                    return ChainCheck(False, entries, "does not follow the line before it", number)
                if entry.get("hash") != entry_hash(entry):
                    return ChainCheck(False, entries, "content does not match its hash (changed)", number)
                entries.append(entry)
                prev = entry["hash"]
        return ChainCheck(True, entries)

    def verified_entries(self) -> list[dict[str, Any]]:
        check = self.read()
        if not check.ok:
            raise LedgerTampered(check)
        return check.entries

    def append(self, body: dict[str, Any]) -> dict[str, Any]:
        """Chain `body` after the last entry and make it durable (file and directory fsynced).

        Holds an exclusive lock on the file while reading its tail and writing, so two writers on
        one machine never fork the chain."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new_file = not self.path.exists()
        with self.path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                handle.seek(0)
                last: dict[str, Any] | None = None
                for raw in handle:
                    if raw.strip():
                        last = json.loads(raw)
                entry = {**body, "seq": (last["seq"] + 1) if last else 1,
                         "prev_hash": last["hash"] if last else GENESIS}  # fmt: skip
                entry["hash"] = entry_hash(entry)
                handle.seek(0, os.SEEK_END)
                handle.write(json.dumps(entry, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        if new_file:
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        return entry

    def append_erasure(self, *, kind: str, erasure_id: str | None, request_id: str | None, customer_id: str,
                       executed_at: str, actions: Sequence[LedgerAction]) -> dict[str, Any]:
        return self.append({"kind": kind, "erasure_id": erasure_id, "request_id": request_id,
                            "customer_id": customer_id, "executed_at": executed_at,
                            "actions": [list(a) for a in actions]})  # fmt: skip

    def append_abort(self, of_seq: int, reason: str) -> dict[str, Any]:
        """The entry `of_seq` was never committed: replay skips it."""
        return self.append({"kind": "abort", "of_seq": of_seq, "reason": reason})


def effective_entries(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries to apply on replay: erasures (and scheduled erasures) not followed by an abort."""
    aborted = {e.get("of_seq") for e in entries if e.get("kind") == "abort"}
    return [e for e in entries if e.get("kind") != "abort" and e["seq"] not in aborted]
