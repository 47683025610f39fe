"""Password hashing (argon2id), opaque bearer tokens stored as hashes, and TOTP codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost

# Verifying against this when the username is unknown keeps both paths equally slow, so the
# answer time does not tell an attacker which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def verify_totp(secret: str, code: str) -> bool:
    # One step either side tolerates a phone clock a little off.
    return bool(pyotp.TOTP(secret).verify(code.strip(), valid_window=1))


MIN_PASSWORD_LENGTH = 12


def password_problem(password: str) -> str | None:
    """Why a new operator password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    if password.strip() != password:
        return "must not start or end with spaces"
    return None


# Station passwords (OCPP security profile 1) are machine secrets of 16 to 40 characters, not
# human choices, so guessing them is hopeless whatever the hash costs; a light argon2id keeps a
# reconnect storm of thousands of stations from costing minutes of CPU while a stolen database
# still holds no usable password.
_station_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
_DUMMY_STATION_HASH = _station_hasher.hash(secrets.token_urlsafe(16))
STATION_PASSWORD_MIN, STATION_PASSWORD_MAX = 16, 40


def hash_station_password(password: str) -> str:
    return _station_hasher.hash(password)


# Demo station passwords derive from a public default secret (see demo_station_password), so a
# costly hash would protect nothing while adding minutes to seeding the large demo's 130,000
# stations. Still argon2id: the hash carries its own cost, so verify_station_password reads it.
_demo_station_hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def hash_demo_station_password(password: str) -> str:
    """A hash for demo data only; real stations' passwords use hash_station_password."""
    return _demo_station_hasher.hash(password)


def verify_station_password(password_hash: str | None, password: str) -> bool:
    try:
        return _station_hasher.verify(password_hash or _DUMMY_STATION_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def station_password_problem(password: str) -> str | None:
    """Why a station password is not acceptable (OCPP: 16 to 40 printable ASCII characters), or None."""
    if not STATION_PASSWORD_MIN <= len(password) <= STATION_PASSWORD_MAX:
        return f"must be {STATION_PASSWORD_MIN} to {STATION_PASSWORD_MAX} characters long"
    if not all(" " < ch <= "~" for ch in password):
        return "must be printable ASCII without spaces"
    return None


def demo_station_password(identity: str, demo_secret: str) -> str:
    """The password a demo station has: derived from the demo secret (EMA_DEMO_PASSWORD) so that
    `ema-sim` can connect the demo fleet without a file of passwords. Demo data only."""
    return hmac.new(demo_secret.encode(), identity.encode(), hashlib.sha256).hexdigest()[:32]


def demo_station_id_tag(identity: str, demo_secret: str) -> str:
    """The RFID tag the demo gives each OCPP station's customer, derived like the station's password
    so that `ema-sim` starts sessions the server authorises. Demo data only."""
    digest = hmac.new(demo_secret.encode(), b"id-tag:" + identity.encode(), hashlib.sha256).hexdigest()
    return "SIM" + digest[:12].upper()
