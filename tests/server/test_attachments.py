"""Ticket attachments: accepted by content, size-limited, stored once, returned byte for byte."""

from __future__ import annotations

import hashlib
import urllib.parse
import uuid
from typing import Any

import httpx
import pytest

from ema_server.attachments import MAX_ATTACHMENT_BYTES, sanitize_filename
from ema_server.db.engine import Database
from ema_server.db.models import Attachment, AttachmentContent, TicketEntry
from tests.conftest import SignedIn, SignIn
from tests.server.test_tickets import count, new_ticket

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


async def upload(client: httpx.AsyncClient, op: SignedIn, ticket_id: str, name: str, data: bytes,
                 declared: str = "application/octet-stream", **headers: str) -> httpx.Response:
    return await client.post(f"/tickets/{ticket_id}/attachments", files={"file": (name, data, declared)},
                             headers={**op.headers, **headers})


async def stored(db: Database) -> tuple[int, int, int]:
    return (await count(db, Attachment), await count(db, AttachmentContent),
            await count(db, TicketEntry, TicketEntry.kind == "attachment"))


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("site.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("report.pdf", PDF, "application/pdf"),
        ("log.txt", "Chyba: přehřátí konektoru\n".encode(), "text/plain; charset=utf-8"),
    ],
)
async def test_upload_and_download_return_the_same_bytes(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database, name: str, data: bytes, content_type: str
) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    response = await upload(client, tech, ticket["id"], name, data)
    assert response.status_code == 201, response.text
    meta = response.json()
    assert meta["filename"] == name and meta["content_type"] == content_type
    assert meta["size"] == len(data) and meta["sha256"] == hashlib.sha256(data).hexdigest()
    assert response.headers["Location"].endswith(f"/tickets/{ticket['id']}/attachments/{meta['id']}")

    download = await client.get(f"/tickets/{ticket['id']}/attachments/{meta['id']}", headers=tech.headers)
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == content_type
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == f"attachment; filename*=UTF-8''{name}"

    detail = (await client.get(f"/tickets/{ticket['id']}", headers=tech.headers)).json()
    assert [a["id"] for a in detail["attachments"]] == [meta["id"]]
    entry = detail["history"][-1]
    assert (entry["kind"], entry["new_value"], entry["body"]) == ("attachment", meta["id"], name)
    assert detail["version"] == ticket["version"] + 1


async def test_type_is_decided_by_content_not_by_name_or_declared_type(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    hotline = await sign_in("hotline")
    ticket = await new_ticket(client, hotline)
    disguised = await upload(client, hotline, ticket["id"], "photo.png", EXE, declared="image/png")
    assert disguised.status_code == 415
    assert disguised.json()["code"] == "unsupported_attachment_type"
    binary_text = await upload(client, hotline, ticket["id"], "notes.txt", b"looks like text\x00but is not",
                               declared="text/plain")
    assert binary_text.status_code == 415
    latin2 = await upload(client, hotline, ticket["id"], "notes.txt", "přehřátí".encode("iso-8859-2"))
    assert latin2.status_code == 415
    # A real PNG sent as "something.pdf" is stored as what it is.
    renamed = await upload(client, hotline, ticket["id"], "something.pdf", PNG, declared="application/pdf")
    assert renamed.status_code == 201 and renamed.json()["content_type"] == "image/png"
    assert await stored(db) == (1, 1, 1)


async def test_too_large_uploads_are_413_and_store_nothing(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    eleven_mib = await upload(client, tech, ticket["id"], "big.pdf", b"%PDF-1.7\n" + bytes(11 * 1024 * 1024))
    assert eleven_mib.status_code == 413 and eleven_mib.json()["code"] == "attachment_too_large"
    just_over = await upload(client, tech, ticket["id"], "big.txt", b"a" * (MAX_ATTACHMENT_BYTES + 1))
    assert just_over.status_code == 413
    assert just_over.json()["code"] == "attachment_too_large"
    assert await stored(db) == (0, 0, 0)
    detail = (await client.get(f"/tickets/{ticket['id']}", headers=tech.headers)).json()
    assert detail["version"] == ticket["version"] and detail["attachments"] == []
    exactly = await upload(client, tech, ticket["id"], "max.txt", b"a" * MAX_ATTACHMENT_BYTES)
    assert exactly.status_code == 201
    assert await stored(db) == (1, 1, 1)


async def test_empty_missing_or_extra_fields_are_refused(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    url = f"/tickets/{ticket['id']}/attachments"
    empty = await upload(client, tech, ticket["id"], "empty.txt", b"")
    assert empty.status_code == 422 and empty.json()["code"] == "empty_attachment"
    no_file = await client.post(url, data={"note": "x"}, headers=tech.headers)
    assert no_file.status_code == 422
    json_body = await client.post(url, json={"file": "aGVsbG8="}, headers=tech.headers)
    assert json_body.status_code == 422
    extra = await client.post(url, files={"file": ("a.txt", b"hello")}, data={"comment": "x"}, headers=tech.headers)
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"] == "comment"
    other_ticket = await upload(client, tech, str(uuid.uuid4()), "a.txt", b"hello")
    assert other_ticket.status_code == 404
    assert await stored(db) == (0, 0, 0)


async def test_retrying_an_upload_with_its_key_stores_it_once(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    request = client.build_request(
        "POST", f"/tickets/{ticket['id']}/attachments", files={"file": ("site.png", PNG, "image/png")},
        headers={**tech.headers, "Idempotency-Key": "upload-1"},
    )
    request.read()
    first = await client.send(request)
    retry = await client.send(request)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.headers["Idempotent-Replayed"] == "true"
    assert await stored(db) == (1, 1, 1)


async def test_dangerous_file_names_are_cleaned(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    sent = "../../etc/\u202egnp.exe fotka nabíječky.png"
    response = await upload(client, tech, ticket["id"], sent, PNG)
    assert response.status_code == 201
    name = response.json()["filename"]
    assert name == "gnp.exe fotka nabíječky.png"
    download = await client.get(f"/tickets/{ticket['id']}/attachments/{response.json()['id']}", headers=tech.headers)
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert urllib.parse.unquote(disposition.split("''", 1)[1]) == name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\jan\\Desktop\\zpráva.pdf", "zpráva.pdf"),
        (".bashrc", "bashrc"),
        ("a\x00b\x1fc\u202e\u2028.txt", "abc.txt"),
        ("   ", "attachment"),
        (None, "attachment"),
        ('a<b>c:"d"|e?f*.txt', "a_b_c__d__e_f_.txt"),
        ("x" * 300 + ".jpeg", "x" * 250 + ".jpeg"),
        ("y" * 300, "y" * 255),
    ],
)
def test_file_name_cleaning(raw: str | None, clean: str) -> None:
    assert sanitize_filename(raw) == clean


async def test_attachment_of_another_ticket_is_not_found(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    tech = await sign_in("technician")
    first = await new_ticket(client, tech)
    second = await new_ticket(client, tech)
    meta: dict[str, Any] = (await upload(client, tech, first["id"], "a.txt", b"hello")).json()
    wrong = await client.get(f"/tickets/{second['id']}/attachments/{meta['id']}", headers=tech.headers)
    assert wrong.status_code == 404
    assert (await client.get(f"/tickets/{first['id']}/attachments/{meta['id']}")).status_code == 401


async def test_retried_upload_is_stored_once_even_with_a_new_multipart_boundary(
    client: httpx.AsyncClient, sign_in: SignIn, db: Database
) -> None:
    tech = await sign_in("technician")
    ticket = await new_ticket(client, tech)
    first = await upload(client, tech, ticket["id"], "site.png", PNG, **{"Idempotency-Key": "photo-1"})
    # httpx picks a fresh random boundary for every request, as any client library does.
    retry = await upload(client, tech, ticket["id"], "site.png", PNG, **{"Idempotency-Key": "photo-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert await stored(db) == (1, 1, 1)
    other = await upload(client, tech, ticket["id"], "other.png", PNG, **{"Idempotency-Key": "photo-1"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
