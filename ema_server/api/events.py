"""The live event stream: Server-Sent Events of the event log, resumable with Last-Event-ID.

Frames:

- `id: <n>` / `event: <type>` / `data: <json>` for each event the caller's roles may see (an event
  naming a customer under an Art. 18 restriction, one of its devices or tickets reaches privacy
  officers and administrators only, as the rest of that customer's data does);
- `event: reset` (with the id to resume after) when the client's Last-Event-ID is older than
  the oldest event still kept, or unknown: events were missed, resync through /changes;
- `event: end` with `{"reason": "token_invalid" | "server_shutdown"}` just before the server
  ends the stream: on `token_invalid` sign in (or refresh) again before reconnecting;
- `: keep-alive` comments while nothing else is sent, so proxies and clients see a live line.

Without Last-Event-ID a stream starts at the newest event. A stream holds no database session
while it waits: it is woken after each local commit that published events, polls the log every
second for events of other server instances, and checks its token every minute (access tokens
are short-lived, so a stream ends soon after its token expires; the client refreshes and
resumes with Last-Event-ID, missing nothing).

A stopping server must call `close_event_streams(app)` before it waits for open connections
(uvicorn waits for them before it runs the lifespan shutdown), else streams keep it up until
its graceful-shutdown timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from ema_server.api.changes import parse_cursor
from ema_server.api.context import Caller, CurrentCaller, current_caller, database
from ema_server.api.problems import InvalidToken
from ema_server.db.engine import Database
from ema_server.db.events import (
    StoredEvent,
    add_waker,
    events_after,
    latest_event_id,
    oldest_event_id,
    remove_waker,
    wake_streams,
)
from ema_server.domain.permissions import visible_scopes
from ema_server.privacy.visibility import sees_restricted, withheld_event_subject_ids

router = APIRouter(tags=["events"])
log = logging.getLogger("ema_server.api.events")

# Defaults of the settings a deployment or a test may put on `app.state`.
HEARTBEAT_SECONDS = 15.0  # app.state.sse_heartbeat_seconds
POLL_SECONDS = 1.0  # app.state.sse_poll_seconds
TOKEN_CHECK_SECONDS = 60.0  # app.state.sse_token_check_seconds
BATCH = 500
RETRY_MILLISECONDS = 3000
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_SEPARATOR_ESCAPES = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def close_event_streams(app: Starlette) -> None:
    """End every event stream of `app` now, each with an `end` frame (server shutdown)."""
    app.state.sse_closing = True
    wake_streams()


def _closing(app: Starlette) -> bool:
    return bool(getattr(app.state, "sse_closing", False))


def _setting(app: Starlette, name: str, default: float) -> float:
    value = getattr(app.state, name, None)
    return default if value is None else float(value)


def _event_frame(events: Iterable[StoredEvent]) -> bytes:
    parts: list[str] = []
    for e in events:
        # Line-oriented clients (httpx's aiter_lines among them) also break lines at U+2028 and
        # the like, which JSON text may hold raw inside strings: escaped, they mean the same.
        # Raw CR/LF can only be whitespace between JSON tokens; they start a new data line.
        text = e.data.translate(_LINE_SEPARATOR_ESCAPES)
        data = "".join(f"data: {line}\n" for line in _LINE_BREAK.split(text))
        parts.append(f"id: {e.id}\nevent: {e.type}\n{data}\n")
    return "".join(parts).encode("utf-8", "backslashreplace")


def _control_frame(kind: str, data: dict[str, object], event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events."}},
)
async def stream_events(
    request: Request,
    caller: CurrentCaller,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID", max_length=40)] = None,
    last_event_id: Annotated[
        str | None, Query(max_length=40, description="For clients that cannot send the Last-Event-ID header")
    ] = None,
) -> StreamingResponse:
    raw = last_event_id_header if last_event_id_header is not None else last_event_id
    resume_after = parse_cursor(raw, "Last-Event-ID") if raw is not None and raw.strip() else None
    session = caller.session
    newest = await latest_event_id(session)
    position, reset = newest, None
    if resume_after is not None:
        oldest = await oldest_event_id(session)
        if oldest is None:
            # Everything was pruned (or nothing ever happened): only a fresh client missed nothing.
            reset = "events_pruned" if resume_after > 0 else None
        elif resume_after > newest:
            reset = "unknown_event_id"
        elif resume_after < oldest - 1:
            reset = "events_pruned"
        else:
            position = resume_after
    # Nothing of the request's session is needed while streaming; on SQLite an open transaction
    # would even hold the write lock.
    await session.close()

    return StreamingResponse(
        _stream(request, database(request), _audience(caller), position, reset),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@dataclass(frozen=True)
class _Audience:
    scopes: list[str]
    """The event scopes the caller's roles may read."""
    sees_restricted: bool
    """Whether events about restricted customers reach them (HANDLE_PRIVACY)."""


def _audience(caller: Caller) -> _Audience:
    return _Audience(visible_scopes(caller.permissions), sees_restricted(caller))


async def _readable(session: AsyncSession, events: list[StoredEvent], audience: _Audience) -> list[StoredEvent]:
    """The events `audience` may read: without HANDLE_PRIVACY, none naming a restricted customer,
    one of its devices or tickets (one small query per batch, only while a restriction exists)."""
    if audience.sees_restricted or not events:
        return events
    withheld = set((await session.execute(withheld_event_subject_ids())).scalars())
    if not withheld:
        return events
    return [event for event in events if not _names_any(event.data, withheld)]


def _names_any(data: str, ids: set[str]) -> bool:
    try:
        value = json.loads(data)
    except ValueError:
        return False
    return isinstance(value, dict) and any(isinstance(named := value.get(key), str) and named in ids
                                           for key in _SUBJECT_KEYS)


_SUBJECT_KEYS = ("id", "customer_id", "device_id", "ticket_id")


async def _stream(
    request: Request, db: Database, audience: _Audience, position: int, reset: str | None
) -> AsyncIterator[bytes]:
    app: Starlette = request.app
    heartbeat = _setting(app, "sse_heartbeat_seconds", HEARTBEAT_SECONDS)
    poll = _setting(app, "sse_poll_seconds", POLL_SECONDS)
    token_check = _setting(app, "sse_token_check_seconds", TOKEN_CHECK_SECONDS)

    loop = asyncio.get_running_loop()
    woken = asyncio.Event()

    def waker() -> None:
        # Commits run on the event loop's thread, but a sync session elsewhere must not touch
        # the event directly.
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is loop:
            woken.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(woken.set)

    add_waker(waker)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n".encode()
        if reset is not None:
            yield _control_frame("reset", {"reason": reset, "resync": "/changes"}, position)
        last_sent = loop.time()
        next_token_check = loop.time() + token_check
        while True:
            if _closing(app):
                yield _control_frame("end", {"reason": "server_shutdown"})
                return
            if await request.is_disconnected():
                return
            woken.clear()
            try:
                while True:
                    # A short session per batch: a waiting stream holds no connection.
                    async with db.read_sessions() as session:
                        events, position = await events_after(session, position, audience.scopes, BATCH)
                        readable = await _readable(session, events, audience)
                    if readable:
                        yield _event_frame(readable)
                        last_sent = loop.time()
                    if len(events) < BATCH:
                        break
            except (SQLAlchemyError, OSError) as exc:
                # The database may be back at the next poll; the stream stays up meanwhile.
                log.warning("event stream poll failed: %s", type(exc).__name__)

            now = loop.time()
            if now >= next_token_check:
                checked = await _recheck_token(request, db, audience)
                if checked is None:
                    yield _control_frame("end", {"reason": "token_invalid"})
                    return
                audience, next_token_check = checked, now + token_check
            if now - last_sent >= heartbeat:
                yield b": keep-alive\n\n"
                last_sent = now
            wait = min(poll, heartbeat - (now - last_sent), next_token_check - now)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(wait, 0.0)):
                    await woken.wait()
    finally:
        remove_waker(waker)


async def _recheck_token(request: Request, db: Database, audience: _Audience) -> _Audience | None:
    """What the caller may read now (roles may have changed), or None when their token is no
    longer accepted."""
    try:
        async with db.sessions() as session:
            caller = await current_caller(request, session)
            return _audience(caller)
    except InvalidToken:
        return None
    except (SQLAlchemyError, OSError) as exc:
        # Not knowing is no reason to cut a stream off; the next check decides.
        log.warning("event stream token check failed: %s", type(exc).__name__)
        return audience
