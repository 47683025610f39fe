"""The console's live event stream: every event the server publishes reaches the console once and
in order, through server restarts, dead connections, expired tokens and pruned logs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Iterable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from ema_desktop.backend.events import AccessToken, Backoff, EventStream, ServerEvent, SseFrame, SseParser, StreamState
from ema_server.api.events import close_event_streams
from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.db.events import prune_events, publish
from ema_server.db.models import EventRecord, utcnow
from tests.conftest import PASSWORD, SignIn
from tests.desktop.waiting import until
from tests.live_server import RunningServer, live_app  # noqa: F401

# Fast enough for tests, still exponential: waits of at most 20, 40, 80, 100, 100... ms.
FAST = Backoff(initial=0.02, factor=2.0, maximum=0.1)
LIMIT_SECONDS = 20


class Console:
    """What a console consuming the stream would have seen."""

    def __init__(self) -> None:
        self.events: list[ServerEvent] = []
        self.states: list[StreamState] = []
        self.resets: list[str] = []

    def tickets(self) -> list[str]:
        return [e.data["id"] for e in self.events if e.type == "ticket.created"]

    def stream(self, http: httpx.AsyncClient, access_token: AccessToken,
               **options: Any) -> EventStream:
        options.setdefault("backoff", FAST)
        options.setdefault("rng", random.Random(7))
        return EventStream(http, access_token, on_event=self.events.append, on_state=self.states.append,
                           on_reset=self.resets.append, **options)


def token(value: str) -> AccessToken:
    async def access_token(refresh: bool) -> str | None:
        return value

    return access_token


@contextlib.asynccontextmanager
async def running(stream: EventStream) -> AsyncIterator[EventStream]:
    """The stream started, and stopped (its task awaited) whatever the test does."""
    stream.start()
    try:
        async with asyncio.timeout(LIMIT_SECONDS):
            yield stream
    finally:
        await stream.stop()


async def publish_tickets(db: Database, *numbers: int) -> list[int]:
    """Events as a server write produces them: published in one committed transaction."""
    async with db.sessions() as session:
        records = [
            publish(session, "ticket.created", {"id": f"ticket-{n}", "version": 1, "state": "new"}) for n in numbers
        ]
        await session.commit()
    return [r.id for r in records]


def assert_in_order_without_duplicates(console: Console) -> None:
    ids = [e.id for e in console.events]
    assert ids == sorted(set(ids))


# --- against the real server ---------------------------------------------------------------------
# The server runs inside each test body, never in an async fixture: pytest-qt processes Qt events
# between setup, call and teardown, and qasync would then run the server's pending callbacks with
# no running event loop.


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int = 0) -> AsyncIterator[RunningServer]:
    server = RunningServer(app, port=port)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@contextlib.asynccontextmanager
async def live_stream(
    app: FastAPI, console: Console, access_token: AccessToken, **options: Any
) -> AsyncIterator[EventStream]:
    """A server running `app`, and the console's stream from it."""
    async with (
        serving(app) as server,
        httpx.AsyncClient(base_url=server.url) as http,
        running(console.stream(http, access_token, **options)) as stream,
    ):
        yield stream


async def test_events_arrive_in_order_with_their_ids_and_types(
    db: Database, live_app: FastAPI, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    console = Console()
    async with live_stream(live_app, console, token(hotline.access_token)) as stream:
        await until(lambda: stream.state is StreamState.ONLINE)
        [ticket_id] = await publish_tickets(db, 1)
        async with db.sessions() as session:
            status = publish(session, "device.status", {"id": "device-1", "connector": 1, "status": "Faulted"})
            await session.commit()
        await until(lambda: len(console.events) == 2, what="both events")
        assert stream.last_event_id == status.id
    assert console.events == [
        ServerEvent(ticket_id, "ticket.created", {"id": "ticket-1", "version": 1, "state": "new"}),
        ServerEvent(status.id, "device.status", {"id": "device-1", "connector": 1, "status": "Faulted"}),
    ]
    assert console.states == [StreamState.CONNECTING, StreamState.ONLINE, StreamState.STOPPED]
    assert console.resets == []


async def test_no_event_is_lost_or_repeated_when_the_server_restarts_mid_stream(
    db: Database, live_app: FastAPI, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    console = Console()
    first_server = RunningServer(live_app)
    await first_server.start()
    port = int(first_server.url.rsplit(":", 1)[1])
    try:
        async with httpx.AsyncClient(base_url=first_server.url) as http:
            stream = console.stream(http, token(hotline.access_token), offline_after=2)
            async with running(stream):
                await until(lambda: stream.state is StreamState.ONLINE)
                produced = await publish_tickets(db, 1, 2, 3)
                await until(lambda: len(console.events) >= 1, what="the first event, live")
                # Committed right before the server goes down: it may or may not make it out
                # before the server's `end` frame; either way it must arrive, once.
                produced += await publish_tickets(db, 4)
                # Committed while the server is stopping: its streams end without sending them.
                close_event_streams(live_app)
                produced += await publish_tickets(db, 5, 6)
                await first_server.stop()
                await until(lambda: stream.state is StreamState.OFFLINE, what="the console to see the server gone")
                assert stream.last_event_id is not None and stream.last_event_id < produced[-2]

                # The same database and port, a fresh server process as after a restart.
                async with serving(create_app(db, housekeeping=False), port=port):
                    await until(lambda: stream.state is StreamState.ONLINE, what="the stream back online")
                    produced += await publish_tickets(db, 7, 8)
                    await until(lambda: len(console.events) >= len(produced), what="every event")
                    await stream.stop()
    finally:
        await first_server.stop()
    assert [e.id for e in console.events] == produced
    assert console.tickets() == [f"ticket-{n}" for n in range(1, 9)]
    assert console.resets == []
    states = console.states
    assert states[:3] == [StreamState.CONNECTING, StreamState.ONLINE, StreamState.RECONNECTING]
    assert StreamState.OFFLINE in states
    assert states[-2:] == [StreamState.ONLINE, StreamState.STOPPED]


async def test_rejected_token_is_refreshed_and_the_stream_goes_on(
    db: Database, live_app: FastAPI, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    asked: list[bool] = []

    async def access_token(refresh: bool) -> str | None:
        asked.append(refresh)
        return hotline.access_token if refresh else "expired-or-forged"

    console = Console()
    async with live_stream(live_app, console, access_token) as stream:
        await until(lambda: stream.state is StreamState.ONLINE)
        await publish_tickets(db, 1)
        await until(lambda: console.tickets() == ["ticket-1"])
    assert asked == [False, True]
    assert console.states == [StreamState.CONNECTING, StreamState.ONLINE, StreamState.STOPPED]


async def test_signed_out_session_signed_in_again_resumes_without_missing_events(
    db: Database, live_app: FastAPI, client: httpx.AsyncClient, sign_in: SignIn  # noqa: F811
) -> None:
    live_app.state.sse_token_check_seconds = 0.1
    hotline = await sign_in("hotline")
    tokens = [hotline.access_token]
    asked: list[bool] = []

    async def access_token(refresh: bool) -> str | None:
        asked.append(refresh)
        if refresh:
            credentials = {"username": hotline.username, "password": PASSWORD}
            tokens.append((await client.post("/auth/login", json=credentials)).json()["access_token"])
        return tokens[-1]

    console = Console()
    async with live_stream(live_app, console, access_token) as stream:
        await until(lambda: stream.state is StreamState.ONLINE)
        await publish_tickets(db, 1)
        await until(lambda: console.tickets() == ["ticket-1"])
        assert (await client.post("/auth/logout", headers=hotline.headers)).status_code == 204
        await publish_tickets(db, 2)  # while the server is noticing the ended session
        await until(lambda: len(tokens) == 2, what="signing in again")
        await until(lambda: stream.state is StreamState.ONLINE)
        await publish_tickets(db, 3)
        await until(lambda: len(console.tickets()) == 3, what="every ticket")
    assert console.tickets() == ["ticket-1", "ticket-2", "ticket-3"]
    assert_in_order_without_duplicates(console)
    assert asked == [False, True]


async def test_stream_stops_when_the_session_cannot_be_renewed(
    live_app: FastAPI, client: httpx.AsyncClient, sign_in: SignIn  # noqa: F811
) -> None:
    live_app.state.sse_token_check_seconds = 0.1
    hotline = await sign_in("hotline")
    asked: list[bool] = []

    async def access_token(refresh: bool) -> str | None:
        asked.append(refresh)
        return None if refresh else hotline.access_token

    console = Console()
    async with live_stream(live_app, console, access_token) as stream:
        await until(lambda: stream.state is StreamState.ONLINE)
        assert (await client.post("/auth/logout", headers=hotline.headers)).status_code == 204
        await until(lambda: stream.state is StreamState.STOPPED, what="the stream to stop")
    assert asked == [False, True]
    assert console.states == [
        StreamState.CONNECTING, StreamState.ONLINE, StreamState.RECONNECTING, StreamState.STOPPED
    ]


async def test_unknown_last_event_id_asks_the_console_to_reload_then_streams_on(
    db: Database, live_app: FastAPI, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    await publish_tickets(db, 1)
    console = Console()
    # An id from before the server's event log was recreated: larger than anything it has now.
    async with live_stream(live_app, console, token(hotline.access_token), last_event_id=1_000_000) as stream:
        await until(lambda: console.resets == ["unknown_event_id"], what="a reset")
        [live] = await publish_tickets(db, 2)
        await until(lambda: console.tickets() == ["ticket-2"])
        assert stream.last_event_id == live


async def test_last_event_id_of_a_pruned_event_asks_the_console_to_reload(
    db: Database, live_app: FastAPI, sign_in: SignIn  # noqa: F811
) -> None:
    hotline = await sign_in("hotline")
    first, second, kept = await publish_tickets(db, 1, 2, 3)
    async with db.sessions() as session:
        await session.execute(
            update(EventRecord).where(EventRecord.id.in_([first, second])).values(at=utcnow() - timedelta(days=3))
        )
        assert await prune_events(session) == 2
        await session.commit()
    console = Console()
    async with live_stream(live_app, console, token(hotline.access_token), last_event_id=first) as stream:
        await until(lambda: console.resets == ["events_pruned"], what="a reset")
        assert stream.last_event_id == kept
        await publish_tickets(db, 4)
        await until(lambda: console.tickets() == ["ticket-4"])
    assert console.events[0].id > kept


# --- a server that goes silent -------------------------------------------------------------------


class SilentServer:
    """Accepts, answers 200 text/event-stream with one event, then sends nothing ever again (a
    connection killed by a NAT or a sleeping laptop looks like this)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self._release = asyncio.Event()
        self._server: asyncio.Server | None = None
        self.url = ""

    async def __aenter__(self) -> SilentServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        host, port = self._server.sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            fields = (line.partition(":") for line in head[1:] if line)
            self.requests.append({name.lower(): value.strip() for name, _, value in fields})
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
            writer.write(b'retry: 3000\n\nid: 5\nevent: ticket.created\ndata: {"id": "ticket-5"}\n\n')
            await writer.drain()
            await self._release.wait()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


async def test_silent_connection_is_dropped_after_the_idle_timeout_and_resumed() -> None:
    console = Console()
    async with SilentServer() as server, httpx.AsyncClient(base_url=server.url) as http, running(
        console.stream(http, token("t"), idle_timeout=0.3)
    ) as stream:
        await until(lambda: len(server.requests) >= 2, what="a reconnection")
        await until(lambda: stream.state is StreamState.ONLINE)
    first, second = server.requests[:2]
    assert "last-event-id" not in first
    assert second["last-event-id"] == "5"
    assert second["authorization"] == "Bearer t"
    assert second["accept"] == "text/event-stream"
    assert console.events == [ServerEvent(5, "ticket.created", {"id": "ticket-5"})]  # replayed, delivered once
    assert console.states[:4] == [
        StreamState.CONNECTING, StreamState.ONLINE, StreamState.RECONNECTING, StreamState.ONLINE
    ]


# --- backoff -------------------------------------------------------------------------------------


def test_backoff_waits_a_random_time_under_a_ceiling_that_doubles_up_to_the_maximum() -> None:
    backoff = Backoff(initial=0.5, factor=2.0, maximum=30.0)
    rng = random.Random(1)
    ceilings = [min(30.0, 0.5 * 2.0**n) for n in range(12)]
    samples = [[backoff.delay(n, rng) for _ in range(300)] for n in range(12)]
    for ceiling, delays in zip(ceilings, samples, strict=True):
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > 0.9 * ceiling  # full jitter reaches up to the ceiling...
        assert min(delays) < 0.1 * ceiling  # ... and down to nearly nothing
    means = [sum(d) / len(d) for d in samples]
    assert means[:7] == sorted(means[:7])  # grows while under the maximum (0.5 ... 32 -> 30)
    assert all(m < 30.0 / 2 * 1.2 for m in means[7:])  # then stays around half the maximum
    assert backoff.delay(10_000, rng) <= 30.0  # a very long outage does not overflow


# --- frames from a scripted transport ------------------------------------------------------------


class ScriptedServer:
    """An httpx transport answering each /events request with the next scripted answer: a status
    code, or the chunks of a 200 event stream (which then stays open when `hang`)."""

    def __init__(self, *answers: int | tuple[Iterable[bytes], bool]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._answer)

    async def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else ((), True)
        if isinstance(answer, int):
            return httpx.Response(answer, json={"title": "scripted"})
        chunks, hang = answer

        async def body() -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk
            if hang:
                await asyncio.Event().wait()

        return httpx.Response(200, headers={"Content-Type": "text/event-stream; charset=utf-8"}, content=body())


def sse(*chunks: bytes, hang: bool = True) -> tuple[Iterable[bytes], bool]:
    return chunks, hang


def test_parser_reads_the_same_frames_whatever_the_line_endings_and_chunk_boundaries() -> None:
    text = (
        "\ufeff: hello\r\nretry: 1000\r\n\r\n"
        "id: 1\revent: ticket.created\rdata: {\"id\":\r"
        "data:  \"t-1\"}\r\r"
        "id: 2\nevent: device.status\ndata\ndata: x\n\n"
        "id\n\n"
        "data: no type\r\n\r\n"
        "event: end\r\ndata: {\"reason\":\"server_shutdown\"}\r\n\r\n"
        "id: 3\nevent: partial"
    )
    expected = [
        SseFrame("message", None, None, 1000),
        SseFrame("ticket.created", '{"id":\n "t-1"}', "1"),
        SseFrame("device.status", "\nx", "2"),
        SseFrame("message", None, ""),
        SseFrame("message", "no type", None),
        SseFrame("end", '{"reason":"server_shutdown"}', None),
    ]
    whole = SseParser().feed(text)
    assert whole == expected
    for size in (1, 2, 3, 7):
        parser = SseParser()
        frames = [f for i in range(0, len(text), size) for f in parser.feed(text[i : i + size])]
        assert frames == expected, size


async def test_malformed_frames_are_skipped_and_a_failing_consumer_does_not_stop_the_stream(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="ema_desktop.backend.events")
    server = ScriptedServer(sse(
        b'id: 1\r\nevent: customer.updated\r\ndata: {"id": "c-1", "name": "Jana Nov',
        "\u00e1kov\u00e1\"}\r\n\r\n".encode()[:3],  # a character split between chunks
        "\u00e1kov\u00e1\"}\r\n\r\n".encode()[3:],
        b"id: 2\nevent: ticket.created\ndata: {not json, Jana\n\n",
        b"id: 3\nevent: ticket.created\ndata: [1, 2]\n\n",
        b"event: ticket.created\ndata: {}\n\n",  # no id: cannot be resumed after, skipped
        b": keep-alive\n\nid: 4\nevent: ticket.created\ndata: {\"id\": \"t-4\"}\n\n",
        b"id: 4\nevent: ticket.created\ndata: {\"id\": \"t-4\"}\n\n",  # a duplicate
        b"id: 5\nevent: ticket.created\ndata: {\"id\": \"t-5\"}\n\n",
    ))
    delivered: list[ServerEvent] = []

    def on_event(event: ServerEvent) -> None:
        delivered.append(event)
        if event.id == 1:
            raise KeyError(event.data["name"])

    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http, running(
        EventStream(http, token("secret-token-value"), on_event=on_event, backoff=FAST)
    ) as stream:
        await until(lambda: len(delivered) == 3)
        assert stream.last_event_id == 5
    assert [(e.id, e.type) for e in delivered] == [(1, "customer.updated"), (4, "ticket.created"),
                                                    (5, "ticket.created")]
    assert delivered[0].data == {"id": "c-1", "name": "Jana Nováková"}
    assert "on_event (customer.updated) raised KeyError" in caplog.text
    assert "skipped" in caplog.text
    # Tokens and personal data never reach the log.
    assert "secret-token-value" not in caplog.text
    assert "Jana" not in caplog.text


async def test_unavailable_server_turns_the_stream_offline_until_it_answers_again() -> None:
    server = ScriptedServer(503, 503, 503, 503, sse(b"id: 9\nevent: ticket.created\ndata: {}\n\n"))
    console = Console()
    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http, running(
        console.stream(http, token("t"), offline_after=3)
    ) as stream:
        await until(lambda: len(console.events) == 1)
        assert stream.state is StreamState.ONLINE
    assert len(server.requests) == 5
    assert console.states == [StreamState.CONNECTING, StreamState.RECONNECTING, StreamState.OFFLINE,
                              StreamState.ONLINE, StreamState.STOPPED]


async def test_closed_stream_is_resumed_after_the_last_event_seen() -> None:
    server = ScriptedServer(
        sse(b"id: 1\nevent: ticket.created\ndata: {}\n\nid: 2\nevent: ticket.created\ndata: {}\n\n", hang=False),
        sse(b'event: end\ndata: {"reason":"server_shutdown"}\n\n', hang=False),
        sse(b"id: 2\nevent: ticket.created\ndata: {}\n\nid: 3\nevent: ticket.updated\ndata: {}\n\n"),
    )
    console = Console()
    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http, running(
        console.stream(http, token("t"), path="/api/v1/events")
    ):
        await until(lambda: len(console.events) == 3)
    assert [(e.id, e.type) for e in console.events] == [(1, "ticket.created"), (2, "ticket.created"),
                                                        (3, "ticket.updated")]
    assert [r.headers.get("Last-Event-ID") for r in server.requests] == [None, "2", "2"]
    assert {r.url.path for r in server.requests} == {"/api/v1/events"}


async def test_server_hanging_up_at_once_is_not_reconnected_to_in_a_tight_loop() -> None:
    hang_up = sse(b'retry: 3000\n\nevent: end\ndata: {"reason":"server_shutdown"}\n\n', hang=False)
    server = ScriptedServer(*[hang_up] * 100)
    console = Console()
    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http, running(
        console.stream(http, token("t"), backoff=Backoff(initial=0.05, factor=2.0, maximum=5.0))
    ):
        await until(lambda: len(server.requests) >= 2)
        await asyncio.sleep(0.5)  # at a fixed 0-50 ms, more than ten attempts would fit here
    assert len(server.requests) < 8


async def test_forbidden_stream_is_not_retried_in_a_tight_loop_but_reconnect_now_retries() -> None:
    server = ScriptedServer(403, sse(b"id: 1\nevent: ticket.created\ndata: {}\n\n"))
    console = Console()
    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http, running(
        console.stream(http, token("t"), backoff=Backoff(initial=0.01, maximum=60.0))
    ) as stream:
        await until(lambda: stream.state is StreamState.RECONNECTING)
        await asyncio.sleep(0.3)  # proving a negative: nothing may happen in this time
        assert len(server.requests) == 1
        stream.reconnect_now()
        await until(lambda: stream.state is StreamState.ONLINE, timeout=2)
    assert len(console.events) == 1


async def test_stopping_during_a_backoff_wait_is_clean_and_can_be_repeated() -> None:
    server = ScriptedServer(*[503] * 10)
    console = Console()
    async with httpx.AsyncClient(transport=server.transport, base_url="http://ema.test") as http:
        stream = console.stream(http, token("t"), backoff=Backoff(initial=60.0, maximum=60.0))
        stream.start()
        await until(lambda: stream.state is StreamState.RECONNECTING)
        async with asyncio.timeout(2):
            await stream.stop()
            await stream.stop()
        assert stream.state is StreamState.STOPPED
        assert console.states == [StreamState.CONNECTING, StreamState.RECONNECTING, StreamState.STOPPED]
        assert len(server.requests) == 1
        # A stopped stream can be started again.
        server.answers = [sse(b"id: 1\nevent: ticket.created\ndata: {}\n\n")]
        async with running(stream):
            await until(lambda: len(console.events) == 1)

