"""Where the local store's key lives, and where its file does.

The key is 32 random bytes made on the first run for a (server, operator) pair and kept in the OS
keyring next to the refresh token; it never touches the disk. Without a usable keyring the key
exists in memory only, so the store cannot outlive the run: it is kept in memory too.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from ema_desktop.backend.vault import SERVICE, keyring_usable

log = logging.getLogger(__name__)

KEY_SERVICE = f"{SERVICE}-store"


@dataclass(frozen=True)
class StoreKey:
    key: str
    """64 hex digits."""
    kept: bool
    """True when it is in the OS keyring (the store can be a file); False: memory only."""
    created: bool
    """True when it was made just now (there can be no readable store for it yet)."""


def _account(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


def store_file(data_dir: Path, server_url: str, username: str) -> Path:
    """The store's file: one per server and operator, named by a hash so the name tells nothing."""
    digest = hashlib.sha256(_account(server_url, username).encode()).hexdigest()[:24]
    return data_dir / "stores" / f"{digest}.db"


async def load_or_create_key(server_url: str, username: str) -> StoreKey:
    """The store key from the keyring, made and saved there on first use."""
    account = _account(server_url, username)
    if await asyncio.to_thread(keyring_usable):
        try:
            existing = await asyncio.to_thread(keyring.get_password, KEY_SERVICE, account)
            if existing:
                return StoreKey(existing, kept=True, created=False)
            key = secrets.token_hex(32)
            await asyncio.to_thread(keyring.set_password, KEY_SERVICE, account, key)
            return StoreKey(key, kept=True, created=True)
        except KeyringError as exc:
            log.warning("the OS keyring failed (%s): the local store lives in memory for this run",
                        type(exc).__name__)
    return StoreKey(secrets.token_hex(32), kept=False, created=True)


async def replace_key(server_url: str, username: str) -> StoreKey:
    """A new key for a store being reset (the old file is deleted by the caller)."""
    await forget_key(server_url, username)
    return await load_or_create_key(server_url, username)


async def forget_key(server_url: str, username: str) -> None:
    if not await asyncio.to_thread(keyring_usable):
        return
    with contextlib.suppress(PasswordDeleteError, KeyringError):
        await asyncio.to_thread(keyring.delete_password, KEY_SERVICE, _account(server_url, username))
