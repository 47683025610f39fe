"""The privacy request the officer works on in the pane: its detail and history, and what the
server holds as evidence for its right (packages, erasure plan and report, consents,
restrictions, notices to recipients), with the workflow steps that change them.

Each step goes to the server at once (never to the outbox: the server decides whether the law
allows it); when it succeeds the request and its evidence are loaded again and the list is told
(`privacy_request_changed`), when it fails the server's reason is the step's answer. The steps
need the server: while the console is offline `online` is False and the pane disables them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from ema_desktop.backend.privacy_workflow import (
    AccessPackage,
    Consents,
    Erasure,
    ErasurePlan,
    PrivacyRequestDetail,
    PrivacyWorkflowClient,
    RecipientNotice,
    Restriction,
    SubjectMatch,
)
from ema_desktop.backend.problems import ApiProblem, describe
from ema_desktop.data.access import HANDLE_PRIVACY, DataAccess
from ema_desktop.data.tasks import OwnedTasks

log = logging.getLogger(__name__)

T = TypeVar("T")
_OFFLINE = ("offline", "reconnecting")
PACKAGE_RIGHTS = {"access": "access", "portability": "portability"}
"""Rights answered with a package, and the package's kind."""


def reason(exc: BaseException) -> str:
    """Why a step failed, for the officer: what the server names as missing or wrong goes on its
    own lines ("• No access package was built for this request.")."""
    if isinstance(exc, ApiProblem) and exc.errors and exc.status < 500:
        head = exc.detail or exc.title or describe(exc)
        lines = [e.message for e in exc.errors if e.message and e.message not in head]
        return head + "".join(f"\n• {m}" for m in lines)
    return describe(exc)


class StepFailed(Exception):
    """A workflow step the server refused or could not take; `str()` is the reason for the officer."""


class PrivacyWorkflow(QObject):
    """The selected request and its evidence; every workflow step of the privacy officer.

    Signals:
        changed(): the request or its evidence was (re)loaded; read the attributes.
        busy_changed(bool): a load or a step started (True) or all finished (False).
        failed(str): loading failed; a message for the officer.
        online_changed(bool): the steps became available (True) or not (offline).
    """

    changed = Signal()
    busy_changed = Signal(bool)
    failed = Signal(str)
    online_changed = Signal(bool)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.api = PrivacyWorkflowClient(data.client)
        self._tasks = OwnedTasks(self)
        self._busy = 0
        self._generation = 0
        self._announcing = False
        self.request_id: str | None = None
        self.request: PrivacyRequestDetail | None = None
        self.packages: list[AccessPackage] = []
        self.plan: ErasurePlan | None = None
        self.erasure: Erasure | None = None
        self.consents: Consents | None = None
        self.restrictions: list[Restriction] = []
        self.notices: list[RecipientNotice] = []
        data.connection_changed.connect(self._on_data_connection_changed)
        data.privacy_request_changed.connect(self._on_data_privacy_request_changed)

    # --- state ---------------------------------------------------------------------------------

    @property
    def may_handle(self) -> bool:
        return self._data.may(HANDLE_PRIVACY)

    @property
    def online(self) -> bool:
        return self._data.connection not in _OFFLINE

    @property
    def busy(self) -> bool:
        return self._busy > 0

    @property
    def restriction(self) -> Restriction | None:
        """The subject's restriction placed for this request (active first), if any."""
        mine = [r for r in self.restrictions if r.request_id == self.request_id]
        return next((r for r in mine if r.active), mine[0] if mine else None)

    def _set_busy(self, delta: int) -> None:
        if not shiboken6.isValid(self):  # a step cancelled because its pane was closed
            return
        was = self.busy
        self._busy += delta
        if was != self.busy:
            self.busy_changed.emit(self.busy)

    # --- loading -------------------------------------------------------------------------------

    def show_request(self, request_id: str | None) -> None:
        """Load another request (None: none) and its evidence; `changed` tells when it is there."""
        if request_id == self.request_id and self.request is not None:
            return
        self.request_id = request_id
        self.request = None
        self._clear_evidence()
        self.changed.emit()
        if request_id is not None:
            self._tasks.start(self.reload())

    def _clear_evidence(self) -> None:
        self.packages, self.plan, self.erasure, self.consents = [], None, None, None
        self.restrictions, self.notices = [], []

    async def reload(self) -> None:
        """Load the request and its evidence again; an answer overtaken by a newer load is dropped."""
        request_id = self.request_id
        if request_id is None:
            return
        self._generation += 1
        generation = self._generation
        self._set_busy(1)
        try:
            request = await self.api.request(request_id)
            evidence = await self._evidence(request)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("loading privacy request %s failed: %r", request_id, exc)
            if generation == self._generation:
                self.failed.emit(describe(exc))
            return
        finally:
            self._set_busy(-1)
        if generation != self._generation or request_id != self.request_id:
            return
        self.request = request
        self._clear_evidence()
        for name, value in evidence.items():
            setattr(self, name, value)
        self.changed.emit()

    async def _evidence(self, request: PrivacyRequestDetail) -> dict[str, Any]:
        """What the server holds for this request's right; a part the server cannot give yet
        (an endpoint missing, a customer gone) stays empty rather than hiding the request."""
        parts: dict[str, Callable[[], Awaitable[Any]]] = {"notices": lambda: self.api.recipient_notices(request.id)}
        if request.right in PACKAGE_RIGHTS:
            parts["packages"] = lambda: self.api.packages(request.id)
        if request.right == "erasure":
            parts["erasure"] = lambda: self.api.erasure(request.id)
            if not request.closed:
                parts["plan"] = lambda: self.api.erasure_plan(request.id)
        customer_id = request.customer_id
        if customer_id is not None and request.right in ("consent_withdrawal", "objection"):
            parts["consents"] = lambda: self.api.consents(customer_id)
        if customer_id is not None and request.right == "restriction":
            parts["restrictions"] = lambda: self.api.restrictions(customer_id)
        names = list(parts)
        answers = await asyncio.gather(*(parts[n]() for n in names), return_exceptions=True)
        found: dict[str, Any] = {}
        for name, answer in zip(names, answers, strict=True):
            if isinstance(answer, asyncio.CancelledError):
                raise answer
            if isinstance(answer, BaseException):
                log.info("loading %s of privacy request %s failed: %r", name, request.id, answer)
                continue
            found[name] = answer
        return found

    # --- steps ---------------------------------------------------------------------------------

    async def _step(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run one step: busy meanwhile; on success the request reloads and the list hears of it.
        Raises StepFailed with the reason for the officer."""
        request_id = self.request_id
        self._set_busy(1)
        try:
            result = await work()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the server's refusal or an outage: a sentence, never a traceback
            log.info("a privacy workflow step failed: %r", exc)
            raise StepFailed(reason(exc)) from exc
        finally:
            self._set_busy(-1)
        if request_id is not None:
            if request_id == self.request_id:
                await self.reload()
            self._announce(request_id)
        return result

    def _announce(self, request_id: str) -> None:
        """Tell the list (and other views) the request changed; this object has it already."""
        self._announcing = True
        try:
            self._data.privacy_request_changed.emit(request_id)
        finally:
            self._announcing = False

    def _current(self) -> PrivacyRequestDetail:
        if self.request is None:
            raise StepFailed(self.tr("No request is selected."))
        return self.request

    async def ask_for_identity(self, how: str) -> None:
        r = self._current()
        await self._step(lambda: self.api.ask_for_identity(r.id, r.version, how))

    async def verify_identity(self, check: str, detail: str) -> None:
        r = self._current()
        await self._step(lambda: self.api.verify_identity(r.id, r.version, check, detail))

    async def extend(self, reason: str, months: int, notified_at: Any) -> None:
        r = self._current()
        await self._step(lambda: self.api.extend(r.id, r.version, reason, months, notified_at))

    async def complete(self, outcome: str, answer_channel: str) -> None:
        r = self._current()
        await self._step(lambda: self.api.complete(r.id, r.version, outcome, answer_channel))

    async def refuse(self, reason: str, authority_notice: bool, answer_channel: str) -> None:
        r = self._current()
        await self._step(lambda: self.api.refuse(r.id, r.version, reason, authority_notice, answer_channel))

    async def build_package(self) -> AccessPackage:
        r = self._current()
        return await self._step(lambda: self.api.build_package(r.id, PACKAGE_RIGHTS.get(r.right, "access")))

    async def save_package(self, package_id: str, path: str) -> None:
        """Download a package and write it to `path` (off the GUI thread); counted as a download."""
        content = await self._step(lambda: self.api.package_content(package_id))
        try:
            await asyncio.get_running_loop().run_in_executor(None, Path(path).write_bytes, content)
        except OSError as exc:
            raise StepFailed(describe(exc)) from exc

    async def execute_erasure(self, confirm_customer: str) -> Erasure:
        r = self._current()
        if self.plan is None:
            raise StepFailed(self.tr("The erasure plan is not loaded yet."))
        plan_hash = self.plan.plan_hash
        return await self._step(lambda: self.api.execute_erasure(r.id, confirm_customer, plan_hash))

    async def withdraw_consent(self, purpose: str) -> None:
        r = self._current()
        customer_id = r.customer_id
        if customer_id is None:
            raise StepFailed(self.tr("The request names no customer."))
        await self._step(lambda: self.api.withdraw_consent(customer_id, purpose, r.id))

    def _customer_id(self) -> str:
        customer_id = self._current().customer_id
        if customer_id is None:
            raise StepFailed(self.tr("The request names no customer."))
        return customer_id

    async def customer_record(self) -> dict[str, Any]:
        """The subject's customer record now, to correct it (rectification)."""
        customer_id = self._customer_id()
        return await self._step(lambda: self.api.customer_record(customer_id))

    async def rectify(self, version: int, changes: dict[str, Any]) -> None:
        """Correct the subject's record under the selected request; the request's history records it."""
        customer_id, request_id = self._customer_id(), self._current().id
        await self._step(lambda: self.api.rectify_customer(customer_id, version, changes, request_id))

    async def place_restriction(self, reason: str) -> None:
        customer_id, request_id = self._customer_id(), self._current().id
        await self._step(lambda: self.api.place_restriction(customer_id, reason, request_id))

    async def record_restriction_notice(self, channel: str) -> None:
        customer_id = self._customer_id()
        await self._step(lambda: self.api.record_restriction_notice(customer_id, channel))

    async def lift_restriction(self, reason: str) -> None:
        customer_id = self._customer_id()
        await self._step(lambda: self.api.lift_restriction(customer_id, reason))

    async def notify_recipients(self, action: str) -> None:
        r = self._current()
        await self._step(lambda: self.api.notify_recipients(r.id, action))

    async def update_notice(self, notice: RecipientNotice, state: str, justification: str | None = None) -> None:
        await self._step(lambda: self.api.update_notice(notice.id, notice.version, state, justification))

    async def register(self, body: dict[str, Any]) -> PrivacyRequestDetail:
        """Register a new request; the list hears of it."""
        self._set_busy(1)
        try:
            created = await self.api.register(body)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the server's refusal or an outage: a sentence, never a traceback
            log.info("registering a privacy request failed: %r", exc)
            raise StepFailed(reason(exc)) from exc
        finally:
            self._set_busy(-1)
        self._announce(created.id)
        return created

    async def find_subjects(self, query: str) -> list[SubjectMatch]:
        try:
            return await self.api.find_subjects(query)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a sentence, never a traceback
            log.info("looking up data subjects failed: %r", exc)
            raise StepFailed(describe(exc)) from exc

    # --- slots -----------------------------------------------------------------------------------

    def _on_data_connection_changed(self, _state: str) -> None:
        self.online_changed.emit(self.online)

    def _on_data_privacy_request_changed(self, request_id: str) -> None:
        # A colleague's step on the request shown (ours reload in `_step`).
        if request_id == self.request_id and not self._announcing and not self.busy and self.request is not None:
            self._tasks.start(self.reload())
