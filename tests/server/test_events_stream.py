"""The live event stream /events, read as a console does: over a real socket, frame by frame."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, update

from ema_server.db import events as db_events
from ema_server.db.engine import Database
from ema_server.db.events import prune_events, publish
from ema_server.db.models import Customer, Device, EventRecord, utcnow
from ema_server.privacy.restriction import place_restriction
from tests.conftest import SignIn
from tests.live_server import RunningServer, live_app, live_server, running_server  # noqa: F401

LIMIT_SECONDS = 20


@dataclass
class Frame:
    """One Server-Sent Events frame, or a comment line."""

    event: str | None = None
    id: str | None = None
    data: list[str] = field(default_factory=list)
    comment: str | None = None

    @property
    def json(self) -> Any:
        return json.loads("\n".join(self.data))


class EventReader:
    """Parses the frames of an open /events response."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def frame(self) -> Frame | None:
        """The next frame or comment; None when the server ended the stream."""
        current = Frame()
        async for line in self._lines:
            if line == "":
                if current.event or current.data or current.id is not None:
                    return current
                current = Frame()  # a frame of only `retry:`
                continue
            if line.startswith(":"):
                return Frame(comment=line[1:].strip())
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                current.event = value
            elif name == "id":
                current.id = value
            elif name == "data":
                current.data.append(value)
        return None

    async def event(self) -> Frame:
        """The next frame that is not a comment."""
        while True:
            frame = await self.frame()
            assert frame is not None, "the stream ended"
            if frame.comment is None:
                return frame


@contextlib.asynccontextmanager
async def open_stream(base_url: str, headers: dict[str, str], **params: str) -> AsyncIterator[EventReader]:
    async with (
        httpx.AsyncClient(base_url=f"{base_url}/api/v1", timeout=10) as http,
        http.stream("GET", "/events", headers=headers, params=params) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventReader(response)


async def publish_now(db: Database, *events: tuple[str, dict[str, Any], str]) -> list[int]:
    """Publish events in one committed transaction, as a write of any request does."""
    async with db.sessions() as session:
        records = [publish(session, type_, data, scope) for type_, data, scope in events]
        await session.commit()
    return [r.id for r in records]


def ticket_created(n: int) -> tuple[str, dict[str, Any], str]:
    return "ticket.created", {"id": f"ticket-{n}", "version": 1, "state": "new"}, "general"


async def test_operator_receives_events_published_after_connecting_at_once(
    db: Database, live_app: FastAPI, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    # Far beyond the test's time limit: only the wake-up after the commit can deliver in time.
    live_app.state.sse_poll_seconds = 600
    technician = await sign_in("technician")
    await publish_now(db, ticket_created(0))  # before connecting: not part of "now on"
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(live_server, technician.headers) as stream:
        [ticket_id] = await publish_now(db, ticket_created(1))
        [status_id] = await publish_now(
            db, ("device.status", {"id": "device-1", "connector": 1, "status": "Faulted"}, "general")
        )
        first, second = await stream.event(), await stream.event()
    assert (first.id, first.event, first.json) == (
        str(ticket_id), "ticket.created", {"id": "ticket-1", "version": 1, "state": "new"}
    )
    assert (second.id, second.event, second.json["status"]) == (str(status_id), "device.status", "Faulted")


@pytest.mark.parametrize("via", ["header", "query"])
async def test_reconnecting_with_last_event_id_delivers_exactly_the_missed_events_in_order(
    db: Database, live_server: str, sign_in: SignIn, via: str  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    async with asyncio.timeout(LIMIT_SECONDS):
        async with open_stream(live_server, hotline.headers) as stream:
            await publish_now(db, ticket_created(1))
            last_seen = (await stream.event()).id
        assert last_seen is not None
        missed = await publish_now(db, ticket_created(2), ticket_created(3))
        missed += await publish_now(db, ticket_created(4))

        headers, params = dict(hotline.headers), {}
        if via == "header":
            headers["Last-Event-ID"] = last_seen
        else:
            params["last_event_id"] = last_seen
        async with open_stream(live_server, headers, **params) as stream:
            replayed = [await stream.event() for _ in missed]
            [live] = await publish_now(db, ticket_created(5))
            after = await stream.event()
    assert [(f.id, f.json["id"]) for f in replayed] == [
        (str(n), f"ticket-{i}") for n, i in zip(missed, (2, 3, 4), strict=True)
    ]
    assert (after.id, after.json["id"]) == (str(live), "ticket-5")


async def test_idle_stream_sends_keep_alive_comments(
    live_app: FastAPI, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    live_app.state.sse_heartbeat_seconds = 0.2
    hotline = await sign_in("hotline")
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(live_server, hotline.headers) as stream:
        comments: list[str] = []
        while len(comments) < 2:
            frame = await stream.frame()
            assert frame is not None and frame.comment is not None
            comments.append(frame.comment)
    assert comments == ["keep-alive", "keep-alive"]


async def test_hotline_does_not_receive_privacy_events_but_the_privacy_officer_does(
    db: Database, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    officer = await sign_in("privacy_officer")
    async with (
        asyncio.timeout(LIMIT_SECONDS),
        open_stream(live_server, hotline.headers) as hotline_stream,
        open_stream(live_server, officer.headers) as officer_stream,
    ):
        await publish_now(db, ("privacy_request.created", {"id": "pr-1", "state": "received"}, "privacy"))
        await publish_now(db, ticket_created(1))
        hotline_first = await hotline_stream.event()
        officer_first, officer_second = await officer_stream.event(), await officer_stream.event()
    assert hotline_first.event == "ticket.created"
    assert [officer_first.event, officer_second.event] == ["privacy_request.created", "ticket.created"]


async def test_events_naming_a_restricted_customer_its_station_or_ticket_reach_only_the_privacy_officer(
    db: Database, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    officer = await sign_in("privacy_officer")
    async with db.sessions() as session:
        restricted = Customer(customer_number="C000401", kind="private", name="Eva Omezená")
        other = Customer(customer_number="C000402", kind="private", name="Jan Volný")
        session.add_all([restricted, other])
        await session.flush()
        station = Device(customer_id=restricted.id, kind="wallbox", vendor="ABB", model="Terra", serial="SN-41",
                         ocpp_identity="OMEZENA-01", ocpp_version="1.6")  # fmt: skip
        session.add(station)
        await session.flush()
        await place_restriction(session, restricted, reason="Accuracy of the meter readings contested",
                                request_id=None, by_id=officer.operator_id, now=utcnow())  # fmt: skip
        await session.commit()
        restricted_id, other_id, station_id = restricted.id, other.id, station.id
    about_restricted = [
        ("device.status", {"id": station_id, "connector": 1, "status": "Charging"}, "general"),
        ("telemetry", {"device_id": station_id, "series": {"power_kw": [[1, 7.4]]}}, "general"),
        ("customer.updated", {"id": restricted_id, "version": 2}, "general"),
        ("ticket.created", {"id": "ticket-9", "version": 1, "state": "new", "customer_id": restricted_id}, "general"),
    ]
    async with (
        asyncio.timeout(LIMIT_SECONDS),
        open_stream(live_server, hotline.headers) as hotline_stream,
        open_stream(live_server, officer.headers) as officer_stream,
    ):
        await publish_now(db, *about_restricted, ("customer.updated", {"id": other_id, "version": 2}, "general"))
        hotline_first = await hotline_stream.event()
        officer_events = [await officer_stream.event() for _ in range(5)]
    # The hotline's stream skips the four (their ids included) and goes on with the next event.
    assert (hotline_first.event, hotline_first.json) == ("customer.updated", {"id": other_id, "version": 2})
    assert [e.event for e in officer_events] == [t for t, _, _ in about_restricted] + ["customer.updated"]
    assert officer_events[1].json["device_id"] == station_id


async def test_signing_out_ends_the_open_stream(
    live_app: FastAPI, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    live_app.state.sse_token_check_seconds = 0.2
    hotline = await sign_in("hotline")
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(live_server, hotline.headers) as stream:
        async with httpx.AsyncClient(base_url=f"{live_server}/api/v1") as http:
            assert (await http.post("/auth/logout", headers=hotline.headers)).status_code == 204
        last = await stream.event()
        assert (last.event, last.json) == ("end", {"reason": "token_invalid"})
        assert await stream.frame() is None
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1") as http:
        assert (await http.get("/events", headers=hotline.headers)).status_code == 401


async def test_last_event_id_older_than_the_kept_events_gets_a_reset_then_live_events(
    db: Database, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    first, second, kept = await publish_now(db, ticket_created(1), ticket_created(2), ticket_created(3))
    async with db.sessions() as session:
        await session.execute(
            update(EventRecord).where(EventRecord.id.in_([first, second])).values(at=utcnow() - timedelta(days=3))
        )
        assert await prune_events(session) == 2
        await session.commit()

    async with asyncio.timeout(LIMIT_SECONDS):
        # The event right after `second` is still kept: nothing was missed.
        async with open_stream(live_server, {**hotline.headers, "Last-Event-ID": str(second)}) as stream:
            assert (await stream.event()).id == str(kept)
        # After `first`, the pruned `second` is gone for good.
        async with open_stream(live_server, {**hotline.headers, "Last-Event-ID": str(first)}) as stream:
            reset = await stream.event()
            [live] = await publish_now(db, ticket_created(4))
            after = await stream.event()
    assert reset.event == "reset"
    assert reset.json["resync"] == "/changes"
    assert reset.id == str(kept)  # resuming after the reset starts at the stream's position
    assert (after.id, after.json["id"]) == (str(live), "ticket-4")


async def test_event_written_by_another_server_instance_arrives_by_polling(
    db: Database, live_app: FastAPI, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    live_app.state.sse_poll_seconds = 0.1
    technician = await sign_in("technician")
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(live_server, technician.headers) as stream:
        # A plain insert wakes no stream of this process, like a commit in another process.
        async with db.sessions() as session:
            await session.execute(
                insert(EventRecord).values(type="device.updated", scope="general", data='{"id":"device-7"}',
                                           at=utcnow())
            )
            await session.commit()
        frame = await stream.event()
    assert (frame.event, frame.json) == ("device.updated", {"id": "device-7"})


async def test_stopping_the_server_ends_open_streams(
    running_server: RunningServer, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(running_server.url, hotline.headers) as stream:
        stopping = asyncio.create_task(running_server.stop())
        last = await stream.event()
        assert (last.event, last.json) == ("end", {"reason": "server_shutdown"})
        assert await stream.frame() is None
        await stopping


async def test_stream_needs_a_valid_token(live_server: str) -> None:  # noqa: F811
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1") as http:
        response = await http.get("/events", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("value", ["abc", "-5", "1e3"])
async def test_malformed_last_event_id_is_refused(
    client: httpx.AsyncClient, sign_in: SignIn, value: str
) -> None:
    hotline = await sign_in("hotline")
    response = await client.get("/events", headers={**hotline.headers, "Last-Event-ID": value})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"


async def test_event_data_with_line_separators_in_text_arrives_intact(
    db: Database, live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    data = {"id": "ticket-9", "title": "Line one\nline two\u2028three\u2029four\x85five\rsix"}
    async with asyncio.timeout(LIMIT_SECONDS), open_stream(live_server, hotline.headers) as stream:
        await publish_now(db, ("ticket.updated", data, "general"))
        frame = await stream.event()
    assert frame.json == data


async def _until(condition: Callable[[], bool]) -> None:
    """Wait, within the test's time limit, until the server side reaches a state."""
    while True:
        if condition():
            return
        await asyncio.sleep(0.01)


async def test_closing_the_stream_leaves_nothing_running_on_the_server(
    live_server: str, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    async with asyncio.timeout(LIMIT_SECONDS):
        async with open_stream(live_server, hotline.headers), open_stream(live_server, hotline.headers):
            await _until(lambda: len(db_events._wakers) == 2)  # both streams are being served
        await _until(lambda: not db_events._wakers)  # ... and both end once their clients are gone
