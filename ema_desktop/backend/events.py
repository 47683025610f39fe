"""The live event stream: ema-server's Server-Sent Events (`GET /api/v1/events`), kept open and
resumed after every drop so the console misses no event and sees none twice.

One `EventStream` runs one background task that connects, reads frames and hands each event to
`on_event`. When the connection is lost (server restart, network gone, the server's `end`
frame, or silence longer than `idle_timeout`) it reconnects with exponential backoff and full
jitter, sending `Last-Event-ID` so the server replays what was missed; events it has already
delivered are dropped. A `reset` frame means the server could not replay (the id was pruned or
is unknown): `on_reset` tells the consumer to reload its data. A rejected token is refreshed
once through `access_token(True)`; `None` from it means the session is over and the stream stops.

The server's `retry:` hint is parsed but not obeyed: the backoff here (with jitter, growing
while the server stays away) decides when to reconnect.

Nothing here logs a token or event data (they may be personal): only event types and ids.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import enum
import json
import logging
import random
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)

# A connection attempt that takes longer than this is hopeless; the stream tries again.
_CONNECT_TIMEOUT = 10.0
# After its `end` frame the server closes the stream at once; this long at most is waited for that.
_DRAIN_TIMEOUT = 5.0


@dataclass(frozen=True)
class ServerEvent:
    """One event of the server's event log, as the console's data layer consumes it."""

    id: int
    type: str
    data: dict[str, Any]


class StreamState(enum.StrEnum):
    """Where the stream stands, for the status bar."""

    CONNECTING = "connecting"  # first attempt in progress
    ONLINE = "online"  # stream open (HTTP 200 received)
    RECONNECTING = "reconnecting"  # lost; retrying with backoff
    OFFLINE = "offline"  # several consecutive attempts failed; still retrying, slower
    STOPPED = "stopped"  # stop() was called or the session ended (no token)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: many consoles that lost the same server do not all
    come back in the same instant."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0

    def ceiling(self, attempt: int) -> float:
        """The longest wait before retry number `attempt` (counted from 0)."""
        try:
            return min(self.maximum, self.initial * self.factor ** max(attempt, 0))
        except OverflowError:
            return self.maximum

    def delay(self, attempt: int, rng: random.Random) -> float:
        """A wait drawn uniformly from [0, ceiling(attempt)]."""
        return rng.uniform(0.0, self.ceiling(attempt))


AccessToken = Callable[[bool], Awaitable[str | None]]


@dataclass(frozen=True)
class SseFrame:
    """One dispatched Server-Sent Events frame.

    `data` is None when the frame had no `data:` line (the spec dispatches no event then, but
    its `id:` still moves the resume position). `id` is this frame's own `id:` field, if any.
    """

    event: str
    data: str | None
    id: str | None
    retry_ms: int | None = None


@dataclass
class SseParser:
    """Incremental parser of the text/event-stream format (WHATWG HTML, "Server-sent events").

    Feed it decoded text in chunks of any size; lines end with CRLF, LF or CR (a CR at the end
    of a chunk ends its line at once, and an LF starting the next chunk completes that CRLF).
    """

    _buffer: str = ""
    _started: bool = False
    _after_cr: bool = False
    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _id: str | None = None
    _retry_ms: int | None = None

    def feed(self, text: str) -> list[SseFrame]:
        """The frames completed by `text`, in order."""
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._after_cr and text:
            # The previous chunk ended with CR: its line is done; an LF now is the rest of a CRLF.
            self._after_cr = False
            text = text.removeprefix("\n")
        buffer = self._buffer + text
        frames: list[SseFrame] = []
        start = 0
        while True:
            cr, lf = buffer.find("\r", start), buffer.find("\n", start)
            if cr < 0 and lf < 0:
                break
            if cr >= 0 and (lf < 0 or cr < lf):
                end, next_start = cr, cr + 1
                if cr + 1 == len(buffer):
                    self._after_cr = True
                elif buffer[cr + 1] == "\n":
                    next_start += 1
            else:
                end, next_start = lf, lf + 1
            frame = self._line(buffer[start:end])
            if frame is not None:
                frames.append(frame)
            start = next_start
        self._buffer = buffer[start:]
        return frames

    def _line(self, line: str) -> SseFrame | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: keep-alive
        name, colon, value = line.partition(":")
        if colon:
            value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry_ms = int(value)
        return None

    def _dispatch(self) -> SseFrame | None:
        frame = None
        if self._data or self._id is not None or self._retry_ms is not None:
            frame = SseFrame(
                event=self._event or "message",
                data="\n".join(self._data) if self._data else None,
                id=self._id,
                retry_ms=self._retry_ms,
            )
        self._event, self._data, self._id, self._retry_ms = "", [], None, None
        return frame


class _Outcome(enum.Enum):
    DROPPED = enum.auto()  # was online, then lost: resume with backoff
    TOKEN_REJECTED = enum.auto()  # 401 or `end` token_invalid: refresh the token
    FAILED = enum.auto()  # could not connect, or the server is unavailable (5xx)
    REFUSED = enum.auto()  # another 4xx: nothing will change soon, wait long


def _event_id(raw: str | None) -> int | None:
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


def _reason(data: str | None) -> str:
    """The `reason` of a control frame's JSON data ("unknown" when it has none)."""
    try:
        parsed = json.loads(data) if data is not None else None
    except ValueError:
        return "unknown"
    reason = parsed.get("reason") if isinstance(parsed, dict) else None
    return reason if isinstance(reason, str) else "unknown"


class EventStream:
    """The server's live events, delivered exactly once and in order through `on_event`.

    `http` has the server's base URL; the stream adds the Authorization, Accept and
    Last-Event-ID headers to its own requests. `start()` and `stop()` run on the event loop.
    Callbacks are plain functions called on the loop; an exception in one is logged and the
    stream goes on.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        access_token: AccessToken,
        *,
        on_event: Callable[[ServerEvent], None],
        on_state: Callable[[StreamState], None] = lambda s: None,
        on_reset: Callable[[str], None] = lambda reason: None,
        path: str = "/api/v1/events",
        last_event_id: int | None = None,
        backoff: Backoff = Backoff(),  # frozen, so one shared default is safe
        offline_after: int = 3,
        idle_timeout: float = 45.0,
        rng: random.Random | None = None,
    ) -> None:
        self._http = http
        self._access_token = access_token
        self._on_event = on_event
        self._on_state = on_state
        self._on_reset = on_reset
        self._path = path
        self._last_event_id = last_event_id
        self._backoff = backoff
        self._offline_after = max(offline_after, 1)
        self._idle_timeout = idle_timeout
        self._rng = rng or random.Random()  # jitter, not secrecy
        self._state = StreamState.STOPPED
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._failures = 0  # consecutive failed connection attempts
        self._delivered = False  # the current connection has delivered an event

    @property
    def state(self) -> StreamState:
        return self._state

    @property
    def last_event_id(self) -> int | None:
        """The id of the last event seen: where the next connection resumes."""
        return self._last_event_id

    def start(self) -> None:
        """Start connecting in a background task on the running loop."""
        if self._task is not None and not self._task.done():
            raise RuntimeError("the event stream is already running")
        self._failures = 0
        self._delivered = False
        self._wake.clear()
        self._set_state(StreamState.CONNECTING)
        self._task = asyncio.get_running_loop().create_task(self._run(), name="ema-event-stream")
        self._task.add_done_callback(self._on_task_done)

    async def stop(self) -> None:
        """Close the stream and wait until its task has finished. Safe to call more than once."""
        task = self._task
        if task is not None:
            # A second cancel would interrupt the first one's cleanup (closing the response).
            if not task.done() and not task.cancelling():
                task.cancel()
            await asyncio.wait([task])
            if self._task is task:
                self._task = None
        self._set_state(StreamState.STOPPED)

    def reconnect_now(self) -> None:
        """Skip the current backoff wait (e.g. the network just came back)."""
        self._wake.set()

    # --- the task ------------------------------------------------------------------------------

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            _log_error("the task", exc)
        if self._task is task:
            self._set_state(StreamState.STOPPED)

    async def _run(self) -> None:
        refresh = False
        rejected_in_a_row = 0
        # Connections that ended without delivering anything: a server (or a proxy) that accepts
        # and hangs up at once must not be reconnected to in a tight loop.
        quiet_drops = 0
        while True:
            self._wake.clear()
            try:
                token = await self._access_token(refresh)
            except Exception as exc:  # the refresh itself may fail while the network is down
                log.warning("event stream: no access token (%s)", type(exc).__name__)
                await self._failed()
                continue
            if token is None:
                log.info("event stream: the session has ended")
                self._set_state(StreamState.STOPPED)
                return
            refresh = False
            try:
                outcome = await self._connect(token)
            except Exception as exc:
                # A bug must not end the live stream for the rest of the session.
                _log_error("the connection", exc)
                outcome = _Outcome.FAILED
            if outcome is _Outcome.TOKEN_REJECTED:
                refresh = True
                rejected_in_a_row += 1
                if self._state is not StreamState.CONNECTING:
                    self._set_state(StreamState.RECONNECTING)
                if rejected_in_a_row > 1:
                    # Even a fresh token was refused: don't hammer the server with refreshes.
                    await self._wait(self._backoff.delay(rejected_in_a_row - 1, self._rng))
                continue
            rejected_in_a_row = 0
            if outcome is _Outcome.DROPPED:
                quiet_drops = 0 if self._delivered else quiet_drops + 1
                self._set_state(StreamState.RECONNECTING)
                await self._wait(self._backoff.delay(quiet_drops, self._rng))
            elif outcome is _Outcome.REFUSED:
                if self._state is not StreamState.OFFLINE:
                    self._set_state(StreamState.RECONNECTING)
                await self._wait(self._backoff.maximum)
            else:
                await self._failed()

    async def _failed(self) -> None:
        self._failures += 1
        offline = self._failures >= self._offline_after
        self._set_state(StreamState.OFFLINE if offline else StreamState.RECONNECTING)
        await self._wait(self._backoff.delay(self._failures, self._rng))

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def _connect(self, token: str) -> _Outcome:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self._last_event_id is not None:
            headers["Last-Event-ID"] = str(self._last_event_id)
        timeout = httpx.Timeout(self._idle_timeout, connect=min(self._idle_timeout, _CONNECT_TIMEOUT))
        request = self._http.build_request("GET", self._path, headers=headers, timeout=timeout)
        log.debug("event stream: connecting (after event %s)", self._last_event_id)
        try:
            async with asyncio.timeout(self._idle_timeout):
                response = await self._http.send(request, stream=True)
        except (httpx.HTTPError, httpx.StreamError, OSError, TimeoutError) as exc:
            log.info("event stream: cannot connect (%s)", type(exc).__name__)
            return _Outcome.FAILED
        try:
            return await self._read(response)
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response) -> _Outcome:
        status = response.status_code
        if status == 401:
            log.info("event stream: the server rejected the access token")
            return _Outcome.TOKEN_REJECTED
        if status >= 500:
            log.info("event stream: server unavailable (HTTP %d)", status)
            return _Outcome.FAILED
        if status != 200:
            log.warning("event stream: refused (HTTP %d); trying again later", status)
            return _Outcome.REFUSED
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("text/event-stream"):
            # Something in between (a captive portal, a proxy) answered instead of the server.
            log.warning("event stream: unexpected content type %r", content_type.split(";")[0])
            return _Outcome.FAILED

        self._failures = 0
        self._delivered = False
        self._wake.clear()  # a reconnect_now() from before this connection must not skip a later wait
        self._set_state(StreamState.ONLINE)
        log.info("event stream: open (after event %s)", self._last_event_id)
        parser = SseParser()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # The byte iterator is a chain of async generators down to httpcore. It must end inside
        # this task (at EOF, or by an exception raised in its read): one left suspended is
        # finalised later by the garbage collector, outside any task, which httpcore's anyio
        # locks do not survive (qasync installs no async-generator hooks). So after an `end`
        # frame the stream is read on until the server closes it, which it does at once.
        chunks = response.aiter_bytes()
        ending: _Outcome | None = None
        try:
            while True:
                limit = self._idle_timeout if ending is None else min(self._idle_timeout, _DRAIN_TIMEOUT)
                try:
                    async with asyncio.timeout(limit):
                        chunk = await anext(chunks, None)
                except TimeoutError:
                    if ending is None:
                        log.info("event stream: nothing received for %.1f s; reconnecting", self._idle_timeout)
                    return ending or _Outcome.DROPPED
                except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
                    if ending is None:
                        log.info("event stream: connection lost (%s)", type(exc).__name__)
                    return ending or _Outcome.DROPPED
                if chunk is None:
                    if ending is None:
                        log.info("event stream: the server closed the stream")
                    return ending or _Outcome.DROPPED
                if ending is not None:
                    continue  # after `end` nothing counts
                for frame in parser.feed(decoder.decode(chunk)):
                    ending = self._handle(frame)
                    if ending is not None:
                        break
        finally:
            # Only reached with the iterator suspended if something here failed unexpectedly.
            close: Callable[[], Awaitable[object]] | None = getattr(chunks, "aclose", None)
            if close is not None:
                await close()

    def _handle(self, frame: SseFrame) -> _Outcome | None:
        """Deliver one frame; an outcome when it ends the connection."""
        if frame.event == "reset":
            reason = _reason(frame.data)
            # The server's position, even when lower than ours (an unknown id after the server's
            # log was recreated): events from there on are new.
            self._last_event_id = _event_id(frame.id)
            log.warning("event stream: reset (%s), resuming after event %s", reason, self._last_event_id)
            self._delivered = True
            self._call(self._on_reset, reason, what="on_reset")
            return None
        if frame.event == "end":
            reason = _reason(frame.data)
            log.info("event stream: ended by the server (%s)", reason)
            return _Outcome.TOKEN_REJECTED if reason == "token_invalid" else _Outcome.DROPPED

        event_id = _event_id(frame.id)
        if event_id is None:
            if frame.data is not None:
                log.warning("event stream: %s event without a numeric id skipped", frame.event)
            return None
        if self._last_event_id is not None and event_id <= self._last_event_id:
            log.debug("event stream: duplicate event %d skipped", event_id)
            return None
        # Moving past a broken event too: replaying it would not mend it.
        self._last_event_id = event_id
        if frame.data is None:
            return None  # an id-only frame moves the resume position, as the spec says
        try:
            data = json.loads(frame.data)
        except ValueError:
            log.warning("event stream: %s event %d skipped: its data is not JSON", frame.event, event_id)
            return None
        if not isinstance(data, dict):
            log.warning("event stream: %s event %d skipped: its data is not an object", frame.event, event_id)
            return None
        log.debug("event stream: %s event %d", frame.event, event_id)
        self._delivered = True
        self._call(self._on_event, ServerEvent(event_id, frame.event, data), what=f"on_event ({frame.event})")
        return None

    def _set_state(self, state: StreamState) -> None:
        if state is self._state:
            return
        self._state = state
        log.debug("event stream: %s", state)
        self._call(self._on_state, state, what="on_state")

    @staticmethod
    def _call(callback: Callable[[Any], None], argument: Any, *, what: str) -> None:
        try:
            callback(argument)
        except Exception as exc:
            _log_error(what, exc)


def _log_error(what: str, exc: BaseException) -> None:
    """Log where `exc` came from, without its message: that may quote event data."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    log.error("event stream: %s raised %s\n%s", what, type(exc).__name__, stack.rstrip())
