"""Sealing access packages at rest: AES-256-GCM with a server key, so a copy of the database (a
backup, a dump handed to a contractor) does not carry readable copies of whole customer files.

The key comes from the environment (`EMA_PACKAGE_KEY`, 32 bytes in base64url) when set, else from
a key file `package.key` (mode 0600) in the server's data directory (`EMA_SERVER_DATA_DIR`, else the
platform's user data directory), created on first use. Every server instance sharing one database
must hold the same key: set `EMA_PACKAGE_KEY` there. A sealed blob is the 12-byte nonce followed by
ciphertext and tag; the package id is bound in as associated data, so one package's content moved
onto another's row does not open. `key_id` names the key (a hash prefix, never the key itself), so
a server holding another key says so instead of failing obscurely.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_ENV = "EMA_PACKAGE_KEY"
DATA_DIR_ENV = "EMA_SERVER_DATA_DIR"
KEY_FILE = "package.key"
KEY_BYTES = 32
NONCE_BYTES = 12


class SealingError(Exception):
    """The package key is missing, malformed, or not the one a package was sealed with."""


class WrongKey(SealingError):
    def __init__(self, key_id: str, held: str) -> None:
        super().__init__(f"The package was sealed with key {key_id}; this server holds key {held}.")
        self.key_id, self.held = key_id, held


class PackageDamaged(SealingError):
    """The key is right but the bytes do not authenticate: altered or cut short."""


@dataclass(frozen=True)
class PackageKey:
    key: bytes

    @property
    def key_id(self) -> str:
        """16 hex digits of the key's hash: tells keys apart without revealing them."""
        return hashlib.sha256(b"ema-package-key\n" + self.key).hexdigest()[:16]


def data_dir() -> Path:
    explicit = os.environ.get(DATA_DIR_ENV)
    return Path(explicit) if explicit else Path(platformdirs.user_data_dir("ema-server", "SECTRON"))


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raise SealingError(f"{where} is not base64url.") from None
    if len(key) != KEY_BYTES:
        raise SealingError(f"{where} must hold {KEY_BYTES} bytes, not {len(key)}.")
    return key


def _key_from_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two server processes starting together must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decode(path.read_text(encoding="ascii"), f"The key file {path}")
    key = os.urandom(KEY_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode("ascii") + "\n")
    return key


def load_key() -> PackageKey:
    """The server's package key (see the module docstring for where it comes from)."""
    configured = os.environ.get(KEY_ENV)
    if configured:
        return PackageKey(_decode(configured, KEY_ENV))
    return PackageKey(_key_from_file(data_dir() / KEY_FILE))


def seal(plaintext: bytes, package_id: str, key: PackageKey | None = None) -> tuple[str, bytes]:
    """(key_id, nonce + ciphertext) of `plaintext`, bound to `package_id`."""
    key = key or load_key()
    nonce = os.urandom(NONCE_BYTES)
    return key.key_id, nonce + AESGCM(key.key).encrypt(nonce, plaintext, package_id.encode())


def unseal(sealed: bytes, key_id: str, package_id: str, key: PackageKey | None = None) -> bytes:
    """The plaintext of a sealed package; WrongKey when this server holds another key,
    PackageDamaged when the bytes were altered."""
    key = key or load_key()
    if key.key_id != key_id:
        raise WrongKey(key_id, key.key_id)
    try:
        return AESGCM(key.key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], package_id.encode())
    except InvalidTag:
        raise PackageDamaged("The sealed package does not authenticate: it was altered or cut short.") from None
