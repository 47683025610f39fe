"""What a ticket attachment may be: its type is decided by its content (magic bytes), never by the
file name or the type the client declares, and its name is cleaned before it is stored or sent back.

Accepted: JPEG and PNG photos, PDF documents and plain UTF-8 text, up to 10 MiB. Everything else
(executables, archives, office documents, scripts disguised as images…) is refused, so a file a
technician downloads from a ticket is one of four harmless kinds whatever its name claims.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""ema_server/api/limits.py sizes the request body limit of upload paths for this."""

MAX_FILENAME_LENGTH = 255
DEFAULT_FILENAME = "attachment"

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
TEXT = "text/plain; charset=utf-8"
ALLOWED_TYPES = (JPEG, PNG, PDF, TEXT)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)

# Control and formatting characters (including right-to-left overrides that make "gpj.exe" look
# like "exe.jpg"), surrogates, private-use and unassigned code points, and line separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Characters Windows refuses in file names; replaced so a download saves under the shown name.
_RESERVED = re.compile(r'[<>:"|?*]')
_PATH_SEPARATORS = re.compile(r"[\\/]")
# Longest extension kept when a long name is shortened.
_MAX_EXTENSION = 16


class AttachmentRefused(Exception):
    """The upload is not stored; the message says why, without the file's content."""


class AttachmentTooLarge(AttachmentRefused):
    pass


class UnsupportedAttachmentType(AttachmentRefused):
    pass


class EmptyAttachment(AttachmentRefused):
    pass


@dataclass(frozen=True)
class CheckedAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str


def sniff_content_type(data: bytes) -> str | None:
    """The accepted type ``data`` really is, or None."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TEXT


def sanitize_filename(raw: str | None) -> str:
    """A file name safe to store and send back: no directories, no control or direction-override
    characters, no characters Windows refuses, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = _PATH_SEPARATORS.split(name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = _RESERVED.sub("_", name)
    # Leading dots would hide the file on Unix; trailing dots and spaces are dropped by Windows.
    name = name.strip().strip(".").strip()
    if not name:
        return DEFAULT_FILENAME
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= _MAX_EXTENSION:
            name = stem[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name


def check_attachment(data: bytes, filename: str | None) -> CheckedAttachment:
    """Accept ``data`` as an attachment or raise AttachmentRefused."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(f"An attachment may have at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB.")
    if not data:
        raise EmptyAttachment("The file is empty.")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise UnsupportedAttachmentType("Only JPEG, PNG, PDF and plain UTF-8 text files are accepted.")
    return CheckedAttachment(
        filename=sanitize_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def content_disposition(filename: str) -> str:
    """``Content-Disposition`` that makes clients save the file under its (Unicode) name (RFC 6266)."""
    return "attachment; filename*=UTF-8''" + quote(filename, safe="!#$&+^`|")
