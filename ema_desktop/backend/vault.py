"""Where the refresh token lives: the OS keyring (Secret Service, Keychain, Credential Locker),
never a file. With no usable keyring it is kept in memory for this run only, and the console
tells the operator once that they will have to sign in again next time.

Keyring calls can block (D-Bus, an unlock prompt), so they run on a worker thread.
"""

from __future__ import annotations

import asyncio
import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "ema-desktop"


def keyring_usable() -> bool:
    """Whether the configured keyring stores anything (blocking: call on a worker thread)."""
    return _usable(keyring.get_keyring())


def _usable(backend: KeyringBackend) -> bool:
    # The fail backend and an empty chainer have priority 0 or less: they store nothing.
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


class RefreshTokenVault:
    """The refresh token per (server, operator), in the OS keyring or, failing that, in memory."""

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self._keyring_ok: bool | None = None

    @property
    def uses_keyring(self) -> bool | None:
        """True: tokens go to the OS keyring; False: memory only; None: not known yet."""
        return self._keyring_ok

    @staticmethod
    def _account(server_url: str, username: str) -> str:
        return f"{username}@{server_url.rstrip('/')}"

    async def _keyring(self) -> bool:
        if self._keyring_ok is None:
            self._keyring_ok = await asyncio.to_thread(lambda: _usable(keyring.get_keyring()))
            if not self._keyring_ok:
                log.warning("no usable OS keyring: the sign-in is kept in memory for this run only")
        return self._keyring_ok

    def _fall_back(self, exc: Exception) -> None:
        log.warning("the OS keyring failed (%s): keeping the sign-in in memory", type(exc).__name__)
        self._keyring_ok = False

    async def load(self, server_url: str, username: str) -> str | None:
        account = self._account(server_url, username)
        if await self._keyring():
            try:
                return await asyncio.to_thread(keyring.get_password, SERVICE, account)
            except KeyringError as exc:
                self._fall_back(exc)
        return self._memory.get(account)

    async def save(self, server_url: str, username: str, token: str) -> None:
        account = self._account(server_url, username)
        if await self._keyring():
            try:
                await asyncio.to_thread(keyring.set_password, SERVICE, account, token)
                return
            except KeyringError as exc:
                self._fall_back(exc)
        self._memory[account] = token

    async def forget(self, server_url: str, username: str) -> None:
        account = self._account(server_url, username)
        self._memory.pop(account, None)
        if self._keyring_ok:
            try:
                await asyncio.to_thread(keyring.delete_password, SERVICE, account)
            except PasswordDeleteError:
                pass
            except KeyringError as exc:
                self._fall_back(exc)
