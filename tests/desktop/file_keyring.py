"""A keyring backend keeping secrets in a JSON file: the OS keyring of a console started as a child
process in a test, which the test reads and writes too (the refresh token it signs in with, the
store key the console made).

Select it in the child with `PYTHON_KEYRING_BACKEND=tests.desktop.file_keyring.FileKeyring` and name
the file in `EMA_TEST_KEYRING_FILE`. Every change replaces the whole file at once (a new file
renamed over the old one), so a process killed while it writes leaves the old or the new
secrets, as an OS keyring does, never a torn file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "EMA_TEST_KEYRING_FILE"


def _key(service: str, username: str) -> str:
    return f"{service}\n{username}"


def read_secrets(path: Path) -> dict[tuple[str, str], str]:
    """Every (service, account) and its secret in a keyring file; empty when there is none."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    found: dict[tuple[str, str], str] = {}
    for key, secret in raw.items():
        service, _, username = str(key).partition("\n")
        found[(service, username)] = str(secret)
    return found


def write_secrets(path: Path, secrets: dict[tuple[str, str], str]) -> None:
    """Replace the keyring file's secrets at once."""
    raw = {_key(service, username): secret for (service, username), secret in sorted(secrets.items())}
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    partial.chmod(0o600)
    os.replace(partial, path)


class FileKeyring(KeyringBackend):
    """Secrets in the JSON file named by $EMA_TEST_KEYRING_FILE (one process writes at a time)."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable where no file is named: a process that merely imports this module never
        # picks it as its default keyring.
        if not os.environ.get(FILE_ENV):
            raise RuntimeError(f"{FILE_ENV} names no keyring file")
        return 5.0

    @property
    def path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def get_password(self, service: str, username: str) -> str | None:
        return read_secrets(self.path).get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = read_secrets(self.path)
        secrets[(service, username)] = password
        write_secrets(self.path, secrets)

    def delete_password(self, service: str, username: str) -> None:
        secrets = read_secrets(self.path)
        if secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
        write_secrets(self.path, secrets)
