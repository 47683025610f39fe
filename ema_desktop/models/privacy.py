"""The PRIVACY REQUESTS pane's model: data-subject requests in the order their statutory deadlines
demand (GDPR Art. 12(3): one month from receipt, extendable by two), with the deadline markers a
privacy officer acts on.

Order: overdue requests first, then by effective due date (the extended one if the request was
extended), soonest first; completed and refused requests last, newest first — or hidden while
"open only" is on (the default). Overdue rows are red and bold, requests due within seven days
amber. The server decides what is overdue or due soon (`overdue`, `warning`); the model only
shows it, with the days left counted in the operator's local calendar.

There is no single-request list endpoint, so any change event reloads the whole list (it is
small); a burst of events causes one reload.

The privacy officer adds internal notes to a request's history here (`add_note`); a note goes to
the outbox and the request shows "not sent yet" until the server has it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ema_desktop.backend.privacy_workflow import ErasurePlan, PrivacyRequestDetail, Restriction
from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import PrivacyRequestItem
from ema_desktop.data.access import HANDLE_PRIVACY, DataAccess
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import PendingRole, local_date_text, local_time_text, pending_text
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.table import RowsTableModel

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

OPEN_STATES = ("received", "identity_verification", "in_progress", "extended")
CLOSED_STATES = ("completed", "refused")
WARN_DAYS = 7
NOTE_MAX_LENGTH = 20_000
"""The longest note the server takes (ema_server/api/tickets.py MAX_TEXT)."""
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Control characters (tabs and line breaks are fine): the server refuses a text holding one."""
RELOAD_DELAY_MS = 300
"""A burst of change events (a colleague working through requests) causes one reload."""

# The console theme's colours (models do not import views).
DANGER = "#c62828"
WARNING = "#b26a00"
MUTED = "#5f6b7a"
OVERDUE_BACKGROUND = "#fdecea"

IdRole: int = Qt.ItemDataRole.UserRole + 1
RecordRole: int = Qt.ItemDataRole.UserRole + 2


def is_open(request: PrivacyRequestItem) -> bool:
    return request.state not in CLOSED_STATES


def is_due_soon(request: PrivacyRequestItem) -> bool:
    """Open, not yet overdue, and due within the warning period."""
    return is_open(request) and not request.overdue and request.warning == "due_soon"


def days_left(due: datetime, now: datetime) -> int:
    """Calendar days from today to the due date, in the operator's local time (negative: past)."""
    return (due.astimezone().date() - now.astimezone().date()).days


class PrivacyRequestModel(RowsTableModel):
    """Every privacy request the operator may handle, deadline first.

    A request with a note the server does not have yet carries the "not sent yet" marker
    (PendingRole, in the Subject column) until it does.

    Signals:
        loading_changed(bool): a reload is (or is no longer) waiting for the server.
        failed(str): the latest reload failed, with a message for the operator.
        loaded(): the rows and counts show a fresh answer (also after `set_open_only`).
        note_added(str): a note was kept for the request (its id): in the outbox, or on the server.
        note_failed(str, str): a note was refused or could not be kept (the request's id, a message
            for the operator); the note is not kept.
    """

    loading_changed = Signal(bool)
    failed = Signal(str)
    loaded = Signal()
    note_added = Signal(str)
    note_failed = Signal(str, str)

    NUMBER, RIGHT, SUBJECT, REQUESTER, CHANNEL, RECEIVED, DUE, STATE = range(8)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._all: list[PrivacyRequestItem] = []
        self._rows: list[PrivacyRequestItem] = []
        self._open_only = True
        self._answered = False
        self._loading = False
        self._generation = 0
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self._tasks = OwnedTasks(self)
        self._headers = [self.tr("Number"), self.tr("Right"), self.tr("Subject"), self.tr("Requester"),
                         self.tr("Channel"), self.tr("Received"), self.tr("Due"), self.tr("State")]
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        data.privacy_request_changed.connect(self._on_data_privacy_request_changed)
        data.resync_needed.connect(self._on_data_resync_needed)

    # --- state -----------------------------------------------------------------------------

    @property
    def answered(self) -> bool:
        """Whether the list has been loaded at least once."""
        return self._answered

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def open_only(self) -> bool:
        return self._open_only

    def set_open_only(self, open_only: bool) -> None:
        """Hide (True) or show completed and refused requests."""
        if open_only == self._open_only:
            return
        self._open_only = open_only
        self._apply()
        self.loaded.emit()

    def request_at(self, row: int) -> PrivacyRequestItem:
        return self._rows[row]

    def row_of(self, request_id: str) -> int | None:
        for row, request in enumerate(self._rows):
            if request.id == request_id:
                return row
        return None

    def requests(self) -> list[PrivacyRequestItem]:
        """Every request loaded, shown or not, in display order."""
        return list(self._all)

    def total_count(self) -> int:
        return len(self._all)

    def open_count(self) -> int:
        return sum(1 for r in self._all if is_open(r))

    def overdue_count(self) -> int:
        return sum(1 for r in self._all if is_open(r) and r.overdue)

    def due_soon_count(self) -> int:
        return sum(1 for r in self._all if is_due_soon(r))

    def pending_count(self) -> int:
        """Requests with a note the server does not have yet."""
        return sum(1 for r in self._all if r.pending)

    def request(self, request_id: str) -> PrivacyRequestItem | None:
        """A loaded request, shown or not."""
        return next((r for r in self._all if r.id == request_id), None)

    # --- notes -----------------------------------------------------------------------------

    @property
    def data_access(self) -> DataAccess:
        """The data-access layer the list reads from (the pane's workflow uses it too)."""
        return self._data

    @property
    def may_add_notes(self) -> bool:
        return self._data.may(HANDLE_PRIVACY)

    @property
    def keeps_writes(self) -> bool:
        """Whether a note goes to the outbox first (sent when the server can be reached)."""
        return self._data.keeps_writes

    def check_note(self, note: str) -> str | None:
        """Why the server would refuse this note, or None."""
        if not note.strip():
            return self.tr("Write the note first: an empty note is not added.")
        if len(note.strip()) > NOTE_MAX_LENGTH:
            return self.tr("The note is too long: at most {n} characters.").format(n=NOTE_MAX_LENGTH)
        if _UNSTORABLE.search(note):
            return self.tr("The note contains characters that cannot be saved (control characters).")
        return None

    async def add_note(self, request_id: str, note: str) -> bool:
        """Add an internal note to a request's history; True when it is kept (the outbox sends it
        when the server can be reached). A refused note emits `note_failed` and is not kept."""
        problem = self.check_note(note)
        if problem is not None:
            self.note_failed.emit(request_id, problem)
            return False
        try:
            await self._data.note_privacy_request(request_id, note.strip())
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("adding a note to privacy request %s failed: %r", request_id, exc)
            self.note_failed.emit(request_id, describe(exc))
            return False
        self.note_added.emit(request_id)
        self._reload_timer.start()  # the marker shows without waiting for the store's signal
        return True

    def pending_tooltip(self) -> str:
        return self.tr("Not sent yet: a note you added is kept on this computer and sent to the server as soon "
                       "as it can be reached.")

    # --- loading ---------------------------------------------------------------------------

    async def reload(self) -> None:
        """Load every request again; an answer overtaken by a newer reload is dropped."""
        self._generation += 1
        generation = self._generation
        self._set_loading(True)
        try:
            items = await self._data.privacy_requests()
        except asyncio.CancelledError:
            if generation == self._generation:
                self._set_loading(False)
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            if generation == self._generation:
                log.info("loading privacy requests failed: %r", exc)
                self._set_loading(False)
                self.failed.emit(describe(exc))
            return
        if generation != self._generation:
            return
        open_ = sorted((r for r in items if is_open(r)),
                       key=lambda r: (not r.overdue, r.effective_due_at, r.number))
        closed = sorted((r for r in items if not is_open(r)), key=lambda r: (r.effective_due_at, r.number),
                        reverse=True)
        self._all = open_ + closed
        self._answered = True
        self._apply()
        self._set_loading(False)
        self.loaded.emit()

    def _apply(self) -> None:
        self.beginResetModel()
        self._rows = [r for r in self._all if is_open(r)] if self._open_only else list(self._all)
        self.endResetModel()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _on_data_privacy_request_changed(self, request_id: str) -> None:
        self._reload_timer.start()

    def _on_data_resync_needed(self) -> None:
        self._reload_timer.start()

    def _on_reload_timer_timeout(self) -> None:
        self._tasks.start(self.reload())

    # --- texts the table and the detail share ----------------------------------------------

    def right_label(self, right: str) -> str:
        return RIGHT_LABELS.label(right)

    def state_label(self, state: str) -> str:
        return STATE_LABELS.label(state)

    def channel_label(self, channel: str) -> str:
        return CHANNEL_LABELS.label(channel)

    def identity_check_label(self, check: str) -> str:
        """How the subject's identity was checked; one the console does not know as the server
        spells it, made readable ("signed_in_app_account" → "Signed in app account")."""
        return IDENTITY_CHECK_LABELS.label(check) if check in IDENTITY_CHECK_LABELS \
            else check.replace("_", " ").capitalize()

    def requester_text(self, request: PrivacyRequestItem) -> str:
        """"Jana Nová (guardian)" for a third party; "the subject" when the subject asks."""
        if request.requester_relation == "subject" or not request.requester_name:
            return self.tr("the subject")
        relation = RELATION_LABELS.label(request.requester_relation)
        return f"{request.requester_name} ({relation})"

    def relative_due(self, request: PrivacyRequestItem) -> str:
        """"in 5 d", "today", "overdue 2 d"; empty for closed requests."""
        if not is_open(request):
            return ""
        days = days_left(request.effective_due_at, self._now())
        if request.overdue:
            return self.tr("overdue {days} d").format(days=-days) if days < 0 else self.tr("overdue")
        if days <= 0:
            return self.tr("today")
        if days == 1:
            return self.tr("tomorrow")
        return self.tr("in {days} d").format(days=days)

    def due_text(self, request: PrivacyRequestItem) -> str:
        relative = self.relative_due(request)
        date = local_date_text(request.effective_due_at)
        return f"{date} · {relative}" if relative else date

    def due_tooltip(self, request: PrivacyRequestItem) -> str:
        lines = [self.tr("Due {time}").format(time=local_time_text(request.effective_due_at))]
        if request.effective_due_at != request.due_at:
            lines.append(self.tr("Extended; originally due {time}").format(time=local_time_text(request.due_at)))
        elif is_open(request):
            lines.append(self.tr("Extension must be notified by {time}").format(
                time=local_time_text(request.extension_notice_due_at)))
        return "\n".join(lines)

    # --- Qt model --------------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        request = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(request, column)
        if role == IdRole:
            return request.id
        if role == RecordRole:
            return request
        if role == PendingRole and column == self.SUBJECT:
            return pending_text() if request.pending else None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SUBJECT and request.pending:
            return f"{request.subject_name}\n{self.pending_tooltip()}"
        overdue = is_open(request) and request.overdue
        if role == Qt.ItemDataRole.ForegroundRole:
            if not is_open(request):
                return QBrush(QColor(MUTED))
            if column == self.DUE and overdue:
                return QBrush(QColor(DANGER))
            if column == self.DUE and is_due_soon(request):
                return QBrush(QColor(WARNING))
            if column == self.REQUESTER and request.requester_relation == "subject":
                return QBrush(QColor(MUTED))
            return None
        if role == Qt.ItemDataRole.FontRole and column in (self.NUMBER, self.DUE) and overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.FontRole and column == self.DUE and is_due_soon(request):
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(QColor(OVERDUE_BACKGROUND))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE:
            return self.due_tooltip(request)
        return None

    def _text(self, request: PrivacyRequestItem, column: int) -> str:
        if column == self.NUMBER:
            return request.number
        if column == self.RIGHT:
            return self.right_label(request.right)
        if column == self.SUBJECT:
            return request.subject_name
        if column == self.REQUESTER:
            return self.requester_text(request)
        if column == self.CHANNEL:
            return self.channel_label(request.channel)
        if column == self.RECEIVED:
            return local_time_text(request.received_at)
        if column == self.DUE:
            return self.due_text(request)
        if column == self.STATE:
            return self.state_label(request.state)
        return ""


RIGHT_LABELS = LabelTable("PrivacyRight", {
    "access": QT_TRANSLATE_NOOP("PrivacyRight", "Access"),
    "rectification": QT_TRANSLATE_NOOP("PrivacyRight", "Rectification"),
    "erasure": QT_TRANSLATE_NOOP("PrivacyRight", "Erasure"),
    "restriction": QT_TRANSLATE_NOOP("PrivacyRight", "Restriction"),
    "portability": QT_TRANSLATE_NOOP("PrivacyRight", "Portability"),
    "objection": QT_TRANSLATE_NOOP("PrivacyRight", "Objection"),
    "consent_withdrawal": QT_TRANSLATE_NOOP("PrivacyRight", "Consent withdrawal"),
    "complaint": QT_TRANSLATE_NOOP("PrivacyRight", "Complaint"),
})
"""The rights of the policy's section 24, as the privacy officer names them."""
STATE_LABELS = LabelTable("PrivacyState", {
    "received": QT_TRANSLATE_NOOP("PrivacyState", "Received"),
    "identity_verification": QT_TRANSLATE_NOOP("PrivacyState", "Verifying identity"),
    "in_progress": QT_TRANSLATE_NOOP("PrivacyState", "In progress"),
    "extended": QT_TRANSLATE_NOOP("PrivacyState", "Extended"),
    "completed": QT_TRANSLATE_NOOP("PrivacyState", "Completed"),
    "refused": QT_TRANSLATE_NOOP("PrivacyState", "Refused"),
})
ENTRY_KIND_LABELS = LabelTable("PrivacyEntry", {
    "created": QT_TRANSLATE_NOOP("PrivacyEntry", "registered"),
    "change": QT_TRANSLATE_NOOP("PrivacyEntry", "change"),
    "note": QT_TRANSLATE_NOOP("PrivacyEntry", "note"),
    "step": QT_TRANSLATE_NOOP("PrivacyEntry", "step"),
    "rectification": QT_TRANSLATE_NOOP("PrivacyEntry", "rectification"),
    "erasure": QT_TRANSLATE_NOOP("PrivacyEntry", "erasure"),
    "package": QT_TRANSLATE_NOOP("PrivacyEntry", "package"),
})
ENTRY_FIELD_LABELS = LabelTable("PrivacyEntry", {
    "state": QT_TRANSLATE_NOOP("PrivacyEntry", "State"),
    "handler_id": QT_TRANSLATE_NOOP("PrivacyEntry", "Handler changed"),
    "ticket_id": QT_TRANSLATE_NOOP("PrivacyEntry", "Linked ticket changed"),
})
"""History lines by field; ids (handler, ticket) are not shown, only that they changed."""
CHANNEL_LABELS = LabelTable("PrivacyChannel", {
    "email": QT_TRANSLATE_NOOP("PrivacyChannel", "E-mail"),
    "letter": QT_TRANSLATE_NOOP("PrivacyChannel", "Letter"),
    "phone": QT_TRANSLATE_NOOP("PrivacyChannel", "Phone"),
    "in_app": QT_TRANSLATE_NOOP("PrivacyChannel", "In the app"),
    "in_person": QT_TRANSLATE_NOOP("PrivacyChannel", "In person"),
})
RELATION_LABELS = LabelTable("PrivacyRelation", {
    "subject": QT_TRANSLATE_NOOP("PrivacyRelation", "subject"),
    "app_user": QT_TRANSLATE_NOOP("PrivacyRelation", "app user"),
    "guardian": QT_TRANSLATE_NOOP("PrivacyRelation", "guardian"),
    "representative": QT_TRANSLATE_NOOP("PrivacyRelation", "representative"),
})
IDENTITY_CHECK_LABELS = LabelTable("IdentityCheck", {
    "signed_in_app": QT_TRANSLATE_NOOP("IdentityCheck", "Signed-in app account"),
    "registered_email_reply": QT_TRANSLATE_NOOP("IdentityCheck", "Reply from the registered e-mail"),
    "rfid_and_last_session": QT_TRANSLATE_NOOP("IdentityCheck", "RFID card and last charging session"),
    "customer_details_on_call": QT_TRANSLATE_NOOP("IdentityCheck", "Customer details confirmed on a call back"),
    "in_person_document_seen": QT_TRANSLATE_NOOP("IdentityCheck", "Identity document seen in person"),
    "guardian_authority": QT_TRANSLATE_NOOP("IdentityCheck", "Guardian's authority checked"),
    "representative_mandate": QT_TRANSLATE_NOOP("IdentityCheck", "Representative's signed mandate"),
})
"""The ways of checking a subject's identity the server records (never a copy of a document); a
check the console does not know is shown as the server spells it, made readable."""
PURPOSE_LABELS = LabelTable("ConsentPurpose", {
    "marketing_email": QT_TRANSLATE_NOOP("ConsentPurpose", "Marketing by e-mail"),
    "marketing_push": QT_TRANSLATE_NOOP("ConsentPurpose", "Marketing by push notification"),
    "analytics": QT_TRANSLATE_NOOP("ConsentPurpose", "Usage analytics"),
    "location": QT_TRANSLATE_NOOP("ConsentPurpose", "Location"),
    "camera": QT_TRANSLATE_NOOP("ConsentPurpose", "Camera"),
})
ANSWER_CHANNEL_LABELS = LabelTable("AnswerChannel", {
    "email": QT_TRANSLATE_NOOP("AnswerChannel", "E-mail"),
    "letter": QT_TRANSLATE_NOOP("AnswerChannel", "Letter"),
    "in_app": QT_TRANSLATE_NOOP("AnswerChannel", "In the app"),
    "phone": QT_TRANSLATE_NOOP("AnswerChannel", "Phone"),
})
ERASURE_ACTION_LABELS = LabelTable("ErasureAction", {
    "delete": QT_TRANSLATE_NOOP("ErasureAction", "Delete"),
    "anonymise": QT_TRANSLATE_NOOP("ErasureAction", "Anonymise"),
    "keep": QT_TRANSLATE_NOOP("ErasureAction", "Keep"),
})
BASIS_LABELS = LabelTable("KeepBasis", {
    "accounting": QT_TRANSLATE_NOOP("KeepBasis", "Accounting act"),
    "vat": QT_TRANSLATE_NOOP("KeepBasis", "VAT act"),
    "legal_claims": QT_TRANSLATE_NOOP("KeepBasis", "Legal claims"),
    "legal_hold": QT_TRANSLATE_NOOP("KeepBasis", "Legal hold"),
    "contract": QT_TRANSLATE_NOOP("KeepBasis", "Contract"),
    "accountability": QT_TRANSLATE_NOOP("KeepBasis", "Accountability"),
})
NOTICE_STATE_LABELS = LabelTable("NoticeState", {
    "pending": QT_TRANSLATE_NOOP("NoticeState", "To notify"),
    "notified": QT_TRANSLATE_NOOP("NoticeState", "Notified"),
    "acknowledged": QT_TRANSLATE_NOOP("NoticeState", "Acknowledged"),
    "exempted": QT_TRANSLATE_NOOP("NoticeState", "Exempted"),
})


# --- the workflow of one request: where it stands, what the officer may do next -------------------

STEPS = ("received", "identity_verification", "in_progress", "extended", "closed")
"""The step bar: Received → Identity → In progress → (Extended) → Completed/Refused."""
RECIPIENT_RIGHTS = {"rectification": "rectification", "erasure": "erasure", "restriction": "restriction"}
"""Rights whose outcome the recipients of the subject's data must hear of (Art. 19), and the notice's action."""




@dataclass(frozen=True)
class TicketOrigin:
    """A ticket the request starts from: its customer and text prefill the dialog."""

    ticket_id: str
    number: str
    text: str
    customer_id: str | None = None
    customer_number: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None


@dataclass(frozen=True)
class Step:
    """One segment of the step bar: its label and whether it is done, the current one, or ahead."""

    key: str
    label: str
    status: str  # done | current | ahead | skipped


def step_bar(request: PrivacyRequestDetail) -> list[Step]:
    """Where the request stands; "Extended" only when it was extended, the last step names the end."""
    order = ["received", "identity_verification", "in_progress"]
    if request.extended_due_at is not None or request.state == "extended":
        order.append("extended")
    order.append("closed")
    labels = {"received": translate("PrivacyAction", "Received"),
              "identity_verification": translate("PrivacyAction", "Identity"),
              "in_progress": translate("PrivacyAction", "In progress"),
              "extended": translate("PrivacyAction", "Extended"),
              "closed": translate("PrivacyAction", "Refused") if request.state == "refused"
              else translate("PrivacyAction", "Completed")}
    current = "closed" if request.state in CLOSED_STATES else request.state
    if current == "received" and request.identity_verified_at is not None:
        current = "in_progress"
    position = order.index(current) if current in order else 0
    steps = []
    for index, key in enumerate(order):
        status = "done" if index < position else "current" if index == position else "ahead"
        if key == "identity_verification" and status == "done" and request.identity_verified_at is None:
            status = "skipped"
        steps.append(Step(key, labels[key], status))
    return steps


@dataclass(frozen=True)
class Action:
    """A button of the detail: `reason` says why it is disabled (None: it may be used)."""

    key: str
    label: str
    reason: str | None = None

    @property
    def enabled(self) -> bool:
        return self.reason is None


def deadline_warning(request: PrivacyRequestDetail, now: datetime) -> tuple[str, str] | None:
    """The loudest deadline warning as (kind, text): "danger" when overdue, "warning" seven days
    ahead of the due date or of the extension-notice date; None when nothing is close."""
    if request.state in CLOSED_STATES:
        return None
    if request.overdue:
        return "danger", translate("PrivacyAction", "OVERDUE since {date}: answer the subject now.").format(
            date=local_date_text(request.effective_due_at))
    if request.warning in ("due_soon", "overdue"):
        return "warning", translate("PrivacyAction", "Due {date}, in {days} days.").format(
            date=local_date_text(request.effective_due_at), days=max(days_left(request.effective_due_at, now), 0))
    if request.notice_warning == "due_soon" and request.extended_due_at is None:
        return "warning", translate("PrivacyAction", "An extension must be notified to the subject by {date}.").format(
            date=local_date_text(request.extension_notice_due_at))
    return None


def actions(request: PrivacyRequestDetail, *, now: datetime, online: bool,
            restriction: Restriction | None = None, erasure_plan: ErasurePlan | None = None,
            erasure_done: bool = False) -> list[Action]:
    """The steps the officer may take on this request now, each enabled or with the reason why not."""
    if request.state in CLOSED_STATES:
        return []
    offline = translate("PrivacyAction", "Needs the server: the console is offline.") if not online else None
    verified = request.identity_verified_at is not None
    unverified = None if verified else translate("PrivacyAction", "Verify the subject's identity first.")
    found: list[Action] = []
    if not verified:
        found.append(Action("ask_identity", translate("PrivacyAction", "Ask for proof of identity…"), offline))
        found.append(Action("verify_identity", translate("PrivacyAction", "Identity verified…"), offline))
    if request.extended_due_at is None:
        too_late = None
        if now > request.extension_notice_due_at:
            too_late = translate(
                "PrivacyAction",
                "Too late to extend: the subject had to be told by {date} (within the first month).").format(
                date=local_date_text(request.extension_notice_due_at))
        found.append(Action("extend", translate("PrivacyAction", "Extend…"), offline or too_late))
    right = request.right
    no_subject = None if request.customer_id else translate("PrivacyAction", "The request names no customer.")
    if right in ("access", "portability"):
        found.append(Action("build_package", translate("PrivacyAction", "Build package"),
                            offline or no_subject or unverified))
    if right == "erasure" and not erasure_done:
        blocked = None
        if erasure_plan is None:
            blocked = translate("PrivacyAction", "The erasure plan is not loaded.")
        elif erasure_plan.blockers:
            blocked = " ".join(b.message for b in erasure_plan.blockers)
        found.append(Action("execute_erasure", translate("PrivacyAction", "Execute erasure…"),
                            offline or no_subject or unverified or blocked))
    if right == "erasure" and erasure_done:
        found.append(Action("erasure_report", translate("PrivacyAction", "Erasure report…")))
    if right == "restriction":
        if restriction is None or not restriction.active:
            if restriction is None:
                found.append(Action("place_restriction", translate("PrivacyAction", "Place restriction…"),
                                    offline or no_subject or unverified))
        else:
            found.append(Action("restriction_notice", translate("PrivacyAction", "Record notice to the subject…"),
                                offline or (translate("PrivacyAction", "The notice is recorded already.")
                                            if restriction.subject_notified_at is not None else None)))
            found.append(Action("lift_restriction", translate("PrivacyAction", "Lift restriction…"),
                                offline or (None if restriction.subject_notified_at is not None
                                            else translate("PrivacyAction",
                                                           "Record that the subject was told first (Art. 18(3))."))))
    if right == "rectification":
        found.append(Action("rectify", translate("PrivacyAction", "Correct the data…"),
                            offline or no_subject or unverified))
        found.append(Action("open_customer", translate("PrivacyAction", "Open customer"), no_subject))
    if right in RECIPIENT_RIGHTS:
        found.append(Action("notify_recipients", translate("PrivacyAction", "Notify recipients"),
                            offline or no_subject))
    found.append(Action("complete", translate("PrivacyAction", "Complete…"), offline or unverified))
    found.append(Action("refuse", translate("PrivacyAction", "Refuse…"), offline))
    return found


def size_text(size: int) -> str:
    """A file size as the officer reads it: "812 B", "4.2 kB", "1.3 MB"."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"
