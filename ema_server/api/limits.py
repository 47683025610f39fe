"""Refuses oversized request bodies before a handler reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ema_server.api.problems import PROBLEM_JSON, PayloadTooLarge

JSON_BODY_LIMIT = 1024 * 1024
ATTACHMENT_LIMIT = 10 * 1024 * 1024
# Multipart framing around an attachment of the largest accepted size.
UPLOAD_BODY_LIMIT = ATTACHMENT_LIMIT + 64 * 1024


class BodySizeLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].endswith("/attachments")
        limit = UPLOAD_BODY_LIMIT if upload else JSON_BODY_LIMIT
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit, upload)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(send, limit, upload)

    @staticmethod
    async def _refuse(send: Send, limit: int, upload: bool) -> None:
        if upload:
            problem = PayloadTooLarge(f"Attachments may be at most {ATTACHMENT_LIMIT // (1024 * 1024)} MiB.")
            problem.code = "attachment_too_large"
        else:
            problem = PayloadTooLarge(f"The body is larger than the limit of {limit // 1024} KiB.")
        body = json.dumps(problem.body()).encode()
        await send(
            {
                "type": "http.response.start",
                "status": problem.status,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
