"""The typed async client of ema-server's REST API: sign-in with silently refreshed tokens,
timeouts, retries with backoff, an Idempotency-Key on every POST, problems as BackendError.

One refresh at a time: the server rotates refresh tokens and treats a reused one as theft (it
ends the session), so concurrent requests that all see an expired access token must share one
refresh, never race to use the same refresh token twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import ssl
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from ema_desktop import __version__
from ema_desktop.backend.problems import ApiProblem, ServerUnreachable, SessionEnded
from ema_desktop.backend.records import (
    Colleague,
    CustomerDetail,
    CustomerSummary,
    Device,
    DeviceDetail,
    Directory,
    Operator,
    Page,
    PrivacyRequestItem,
    TicketDetail,
    TicketEntry,
    TicketListItem,
    Tokens,
)
from ema_desktop.backend.vault import RefreshTokenVault

log = logging.getLogger(__name__)

API = "/api/v1"
R = TypeVar("R", bound=BaseModel)
# Statuses worth another try: the server or a proxy in front of it was briefly unavailable.
_TRANSIENT = {502, 503, 504}
# Refresh this long before the access token expires, so a request never goes out with a dying token.
_REFRESH_MARGIN = 60.0


def _iso(moment: datetime) -> str:
    return moment.isoformat()


class BackendClient:
    """One server, one operator's session.

    `on_session_ended` is called (once) when the server no longer accepts the session: the
    console then asks the operator to sign in again.
    """

    def __init__(
        self,
        server_url: str,
        *,
        vault: RefreshTokenVault | None = None,
        timeout: float = 15.0,
        retry_delays: Sequence[float] = (0.25, 1.0, 3.0),
        on_session_ended: Callable[[], None] = lambda: None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.vault = vault or RefreshTokenVault()
        self.http = httpx.AsyncClient(
            base_url=self.server_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": f"ema-desktop/{__version__}", "Accept": "application/json"},
            transport=transport,
        )
        self._retry_delays = tuple(retry_delays)
        self._on_session_ended = on_session_ended
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires_at = 0.0
        self._refresh_lock = asyncio.Lock()
        # When the last refresh found the server unreachable (loop time), and what it said.
        self._refresh_unreachable: tuple[float, ServerUnreachable] | None = None
        self.operator: Operator | None = None
        self.session_revoked = False
        """True once the server said the session was ended there (see SessionRevoked on the server)."""
        self._rng = random.Random()

    # ------------------------------------------------------------------ session
    @property
    def signed_in(self) -> bool:
        return self._access is not None

    async def sign_in(self, username: str, password: str, totp: str | None = None) -> Operator:
        """Sign in; raises ApiProblem with code `totp_required` when a one-time code is needed."""
        body: dict[str, Any] = {"username": username, "password": password}
        if totp:
            body["totp"] = totp.strip()
        response = await self._send("POST", f"{API}/auth/login", json=body, authenticated=False, retry=False)
        await self._take_tokens(Tokens.model_validate(response.json()), username)
        return await self._load_operator()

    async def resume(self, username: str) -> Operator | None:
        """Sign in again with the refresh token kept for this server and operator, if it still works."""
        token = await self.vault.load(self.server_url, username)
        if not token:
            return None
        self._refresh = token
        try:
            await self._refresh_tokens(None, username=username)
        except SessionEnded:
            return None
        return await self._load_operator()

    async def resume_offline(self, username: str, operator: Operator) -> bool:
        """Start without the server, as `operator` (remembered from the last sign-in), if a refresh
        token is kept: the first request once the server is reachable signs in with it."""
        token = await self.vault.load(self.server_url, username)
        if not token:
            return False
        self._refresh = token
        # No access token yet: an empty one that is already "expiring", so the next request refreshes.
        self._access = ""
        self._expires_at = 0.0
        self.operator = operator
        return True

    async def sign_out(self) -> None:
        """Revoke the session on the server and forget its tokens here, even if the server is unreachable."""
        username = self.operator.username if self.operator else None
        try:
            if self._access:
                await self._send("POST", f"{API}/auth/logout", retry=False)
        finally:
            self._forget_tokens()
            if username:
                await self.vault.forget(self.server_url, username)
            self.operator = None

    async def access_token(self, refresh: bool = False) -> str | None:
        """A valid access token (refreshed first if asked or about to expire); None once the session ended."""
        if self._access is None:
            return None
        try:
            if refresh or self._expiring():
                await self._refresh_tokens(self._access)
        except SessionEnded:
            return None
        except ServerUnreachable:
            if not self._access:
                raise  # started offline: without any token no request can succeed
            # otherwise the caller's own request will report the network
        return self._access

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _load_operator(self) -> Operator:
        self.operator = await self._get(Operator, f"{API}/auth/me")
        return self.operator

    def _expiring(self) -> bool:
        return asyncio.get_running_loop().time() >= self._expires_at - _REFRESH_MARGIN

    async def _take_tokens(self, tokens: Tokens, username: str) -> None:
        self._access, self._refresh = tokens.access_token, tokens.refresh_token
        self._expires_at = asyncio.get_running_loop().time() + tokens.expires_in
        await self.vault.save(self.server_url, username, tokens.refresh_token)

    def _forget_tokens(self) -> None:
        self._access = self._refresh = None
        self._expires_at = 0.0

    async def _refresh_tokens(self, rejected: str | None, *, username: str | None = None) -> None:
        asked_at = asyncio.get_running_loop().time()
        async with self._refresh_lock:
            if rejected is not None and self._access != rejected:
                return  # another request refreshed while this one waited
            if self._refresh is None:
                raise SessionEnded()
            if self._refresh_unreachable is not None and self._refresh_unreachable[0] >= asked_at:
                # A refresh that ended while this one waited found no server: its answer holds
                # for every waiter, instead of each retrying in turn (a console started offline
                # queues a request per pane and would say "Offline" only after all of them).
                failure = self._refresh_unreachable[1]
                raise ServerUnreachable(failure.server_url, failure.reason)
            try:
                response = await self._send(
                    "POST", f"{API}/auth/refresh", json={"refresh_token": self._refresh}, authenticated=False
                )
            except ServerUnreachable as exc:
                self._refresh_unreachable = (asyncio.get_running_loop().time(), exc)
                raise
            except ApiProblem as exc:
                if exc.status in (400, 401, 422):
                    # Ended on the server (not merely expired): the console must not keep its data.
                    self.session_revoked = exc.code == "session_revoked"
                    await self._end_session(username)
                    raise SessionEnded() from exc
                raise
            name = username or (self.operator.username if self.operator else None)
            tokens = Tokens.model_validate(response.json())
            if name is None:
                self._access, self._refresh = tokens.access_token, tokens.refresh_token
                self._expires_at = asyncio.get_running_loop().time() + tokens.expires_in
            else:
                await self._take_tokens(tokens, name)

    async def _end_session(self, username: str | None) -> None:
        was_signed_in = self._access is not None
        name = username or (self.operator.username if self.operator else None)
        self._forget_tokens()
        if name:
            await self.vault.forget(self.server_url, name)
        if was_signed_in:
            self._on_session_ended()

    # ------------------------------------------------------------------ transport
    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        retry: bool | None = None,
    ) -> httpx.Response:
        """Send with auth, retries and problem handling; returns a 2xx response or raises BackendError.

        GET and POST (made safe by its Idempotency-Key) are retried on network failures and
        502/503/504; PATCH is not (its If-Match makes a retry fail with 412 anyway).
        """
        all_headers = dict(headers or {})
        if method == "POST":
            all_headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        may_retry = retry if retry is not None else method in ("GET", "POST")
        attempts = 1 + (len(self._retry_delays) if may_retry else 0)
        refreshed = False
        attempt = 0
        while True:
            token = None
            if authenticated:
                token = await self.access_token()
                if token is None:
                    raise SessionEnded()
                all_headers["Authorization"] = f"Bearer {token}"
            try:
                response = await self.http.request(method, path, params=params, json=json, files=files,
                                                   headers=all_headers)
            except (httpx.TransportError, httpx.InvalidURL) as exc:
                attempt += 1
                if attempt >= attempts or isinstance(exc, httpx.InvalidURL):
                    raise ServerUnreachable(self.server_url, _network_reason(exc)) from exc
                await self._pause(attempt)
                continue
            if response.status_code < 400:
                return response
            if response.status_code == 401 and authenticated and not refreshed:
                refreshed = True
                await self._refresh_tokens(token)
                continue
            if response.status_code == 401 and authenticated:
                await self._end_session(None)
                raise SessionEnded()
            if response.status_code in _TRANSIENT and attempt + 1 < attempts:
                attempt += 1
                await self._pause(attempt)
                continue
            raise ApiProblem.from_response(response)

    async def _pause(self, attempt: int) -> None:
        delay = self._retry_delays[min(attempt, len(self._retry_delays)) - 1]
        await asyncio.sleep(delay * (0.5 + self._rng.random()))

    async def _get(self, model: type[R], path: str, params: Any = None) -> R:
        response = await self._send("GET", path, params=params)
        return model.model_validate(response.json())

    async def call(self, method: str, path: str, *, params: Any = None, json: Any = None,
                   if_match: int | None = None) -> Any:
        """One API call under /api/v1 (`path` starts with "/"); returns the JSON answer, or None for an
        empty one. For the resource modules beside this one (privacy workflow, audit trail)."""
        headers = {"If-Match": f'"{if_match}"'} if if_match is not None else None
        response = await self._send(method, f"{API}{path}", params=params, json=json, headers=headers)
        return response.json() if response.content else None

    async def download(self, path: str, params: Any = None) -> bytes:
        """The raw body of a GET under /api/v1 (a package, an export)."""
        response = await self._send("GET", f"{API}{path}", params=params, headers={"Accept": "*/*"})
        return response.content

    # ------------------------------------------------------------------ resources
    async def colleagues(self) -> list[Colleague]:
        """Active operators (id, name, roles): ticket owners and whom a ticket can be assigned to."""
        return (await self._get(Directory, f"{API}/operators/directory")).items

    async def search_customers(self, query: str, limit: int = 50) -> Page[CustomerSummary]:
        params = {"limit": limit, **({"q": query} if query.strip() else {})}
        return await self._get(Page[CustomerSummary], f"{API}/customers", params)

    async def customer(self, customer_id: str) -> CustomerDetail:
        return await self._get(CustomerDetail, f"{API}/customers/{customer_id}")

    async def devices(self, *, query: str | None = None, customer_id: str | None = None, kind: str | None = None,
                      limit: int = 500, offset: int = 0) -> Page[Device]:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if query:
            params["q"] = query
        if customer_id:
            params["customer_id"] = customer_id
        if kind:
            params["kind"] = kind
        return await self._get(Page[Device], f"{API}/devices", params)

    async def all_devices(self, kind: str | None = None) -> list[Device]:
        """Every device the operator may see, page by page."""
        devices: list[Device] = []
        while True:
            page = await self.devices(kind=kind, offset=len(devices))
            devices.extend(page.items)
            if not page.items or len(devices) >= page.total:
                return devices

    async def device(self, device_id: str) -> DeviceDetail:
        return await self._get(DeviceDetail, f"{API}/devices/{device_id}")

    async def telemetry(self, device_id: str, measurands: Sequence[str], since: datetime, until: datetime,
                        max_points: int = 1000) -> dict[str, Any]:
        params: list[tuple[str, Any]] = [("measurand", m) for m in measurands]
        params += [("from", _iso(since)), ("to", _iso(until)), ("max_points", max_points)]
        response = await self._send("GET", f"{API}/devices/{device_id}/telemetry", params=params)
        body: dict[str, Any] = response.json()
        return body

    async def tickets(self, *, state: Sequence[str] = (), kind: str | None = None, priority: str | None = None,
                      owner_id: str | None = None, customer_id: str | None = None, overdue: bool | None = None,
                      query: str | None = None, sort: str | None = None, limit: int = 500,
                      offset: int = 0) -> Page[TicketListItem]:
        params: list[tuple[str, Any]] = [("state", s) for s in state]
        for name, value in (("kind", kind), ("priority", priority), ("owner_id", owner_id),
                            ("customer_id", customer_id), ("q", query), ("sort", sort)):
            if value:
                params.append((name, value))
        if overdue is not None:
            params.append(("overdue", "true" if overdue else "false"))
        params += [("limit", limit), ("offset", offset)]
        return await self._get(Page[TicketListItem], f"{API}/tickets", params)

    async def ticket(self, ticket_id: str) -> TicketDetail:
        return await self._get(TicketDetail, f"{API}/tickets/{ticket_id}")

    async def update_ticket(self, ticket_id: str, version: int, changes: Mapping[str, Any]) -> TicketListItem:
        response = await self._send("PATCH", f"{API}/tickets/{ticket_id}", json=dict(changes),
                                    headers={"If-Match": f'"{version}"'})
        return TicketListItem.model_validate(response.json())

    async def add_ticket_comment(self, ticket_id: str, body: str, public: bool) -> TicketEntry:
        response = await self._send("POST", f"{API}/tickets/{ticket_id}/comments",
                                    json={"body": body, "public": public})
        return TicketEntry.model_validate(response.json())

    async def download_attachment(self, ticket_id: str, attachment_id: str) -> bytes:
        """The stored file of one attachment of a ticket (its bytes, exactly as uploaded)."""
        response = await self._send("GET", f"{API}/tickets/{ticket_id}/attachments/{attachment_id}",
                                    headers={"Accept": "*/*"})
        return response.content

    async def changes_page(self, since: str, limit: int) -> bytes:
        """One page of `/changes` after cursor `since`, as the raw JSON body.

        Raw, so the local store parses it on its own thread: a page of thousands of records would
        otherwise be parsed on the event loop, under the window.
        """
        response = await self._send("GET", f"{API}/changes", params={"since": since, "limit": limit})
        return response.content

    async def send_write(self, method: str, path: str, *, idempotency_key: str, json: Any = None,
                         if_match: int | str | None = None, upload: tuple[str, bytes, str] | None = None) -> Any:
        """Send one stored write of the outbox, with the key it was stored with; returns the JSON answer.

        The key makes a resend of a write the server already has a replay of the first answer, so
        a console killed between sending and recording the answer never applies a write twice.
        """
        headers = {"Idempotency-Key": idempotency_key}
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        response = await self._send(method, path, json=json, headers=headers, retry=True,
                                    files={"file": upload} if upload is not None else None)
        return response.json() if response.content else None

    async def privacy_requests(self, *, state: Sequence[str] = (), overdue: bool | None = None, limit: int = 500,
                               offset: int = 0) -> Page[PrivacyRequestItem]:
        params: list[tuple[str, Any]] = [("state", s) for s in state]
        if overdue is not None:
            params.append(("overdue", "true" if overdue else "false"))
        params += [("limit", limit), ("offset", offset)]
        return await self._get(Page[PrivacyRequestItem], f"{API}/privacy-requests", params)


def _network_reason(exc: Exception) -> str:
    if isinstance(exc, httpx.InvalidURL):
        return "not a valid address"
    if isinstance(exc, httpx.ConnectTimeout | httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout):
        return "no answer in time"
    causes: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(causes) < 10:
        causes.append(seen)
        seen = seen.__cause__ or seen.__context__
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in str(exc).lower():
        return "connection refused"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "unknown host name"
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return "secure connection failed"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    return "connection lost"
