"""The AUDIT pane's model: the server's audit trail as the privacy officer reads it to answer a
subject or the supervisory authority — who read or changed whose data, when, from where — with
the chain check and the export for the authority.

Newest records first, a page at a time ("Load more" adds the next page). The filters are a subject
(a customer), an operator, an action or action family ("privacy_request.*") and a date range; they
apply when the officer asks (`reload`), not at every keystroke, since every read of the trail is
itself recorded by the server.

Subjects are shown by the name the officer picked them by; the model never looks a customer up
to name a row, which would record a read of that customer's data for every record shown.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ema_desktop.backend.audit_trail import (
    AuditQuery,
    AuditRecord,
    ChainCheck,
    ExportFormat,
    audit_records,
    check_chain,
    export_audit,
)
from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import Colleague, CustomerSummary
from ema_desktop.data.access import DataAccess
from ema_desktop.models.customers import local_time_text
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.table import RowsTableModel

log = logging.getLogger(__name__)

VIEW_AUDIT = "audit.view"
"""The permission that shows the pane (BRIEF §5: privacy officer, administrator)."""
PAGE_SIZE = 100
MUTED = "#5f6b7a"  # the console theme's muted text (models do not import views)

RecordRole: int = Qt.ItemDataRole.UserRole + 1


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, as an aware time."""
    return datetime.combine(day, time()).astimezone()


def query_for(subject_id: str | None, operator_id: str | None, action: str, first_day: date | None,
              last_day: date | None) -> AuditQuery:
    """The query for what the filter row shows: the days are local and both included."""
    action = action.strip()
    return AuditQuery(
        subject_id=subject_id or None, operator_id=operator_id or None, action=action or None,
        since=day_start(first_day) if first_day is not None else None,
        until=day_start(last_day + timedelta(days=1)) if last_day is not None else None,
    )


def readable_action(action: str) -> str:
    """An action the console has no words for, made readable: "privacy_request.extension" →
    "Privacy request: extension"."""
    head, _, rest = action.partition(".")
    words = head.replace("_", " ").capitalize()
    return f"{words}: {rest.replace('_', ' ').replace('.', ' ')}" if rest else words


class AuditTrailModel(RowsTableModel):
    """A page-wise view of the audit trail under the officer's filters, the chain check, and exports.

    Signals:
        loading_changed(bool): a load is (or is no longer) waiting for the server.
        loaded(): the rows show a fresh answer (a new query, or one more page).
        failed(str): the latest load failed, with a message for the operator.
        chain_changed(): the chain check started or finished (`chain`, `checking_chain`).
        export_finished(str): the export was written (its path).
        export_failed(str): the export failed, with a message for the operator.
    """

    loading_changed = Signal(bool)
    loaded = Signal()
    failed = Signal(str)
    chain_changed = Signal()
    export_finished = Signal(str)
    export_failed = Signal(str)

    TIME, OPERATOR, ACTION, WHAT, SUBJECT, ADDRESS = range(6)

    def __init__(self, data: DataAccess, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._data = data
        self._page_size = page_size
        self._query = AuditQuery()
        self._rows: list[AuditRecord] = []
        self._total = 0
        self._answered = False
        self._loading = False
        self._generation = 0
        self._chain: ChainCheck | None = None
        self._chain_failure: str | None = None
        self._checking = False
        self._subject_labels: dict[str, str] = {}
        self._headers = [self.tr("Time"), self.tr("Operator"), self.tr("Action"), self.tr("What"),
                         self.tr("Subject"), self.tr("From where")]

    # --- state -----------------------------------------------------------------------------

    @property
    def query(self) -> AuditQuery:
        """The filters of the rows shown (or being loaded)."""
        return self._query

    @property
    def answered(self) -> bool:
        return self._answered

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int:
        """How many records match the filters on the server."""
        return self._total

    @property
    def has_more(self) -> bool:
        return len(self._rows) < self._total

    @property
    def chain(self) -> ChainCheck | None:
        return self._chain

    @property
    def chain_failure(self) -> str | None:
        """Why the chain could not be checked (the server unreachable...), or None."""
        return self._chain_failure

    @property
    def checking_chain(self) -> bool:
        return self._checking

    def record_at(self, row: int) -> AuditRecord:
        return self._rows[row]

    def records(self) -> list[AuditRecord]:
        return list(self._rows)

    def name_subject(self, customer_id: str, label: str) -> None:
        """How to show this customer in the Subject column (as the officer picked them)."""
        self._subject_labels[customer_id] = label

    def subject_label(self, customer_id: str) -> str | None:
        return self._subject_labels.get(customer_id)

    # --- loading ---------------------------------------------------------------------------

    async def reload(self, query: AuditQuery | None = None) -> None:
        """Show the first page of records matching `query` (default: the current filters)."""
        if query is not None:
            self._query = query
        await self._load(offset=0)

    async def load_more(self) -> None:
        """Add the next page under the current filters."""
        if self._loading or not self.has_more:
            return
        await self._load(offset=len(self._rows))

    async def _load(self, offset: int) -> None:
        self._generation += 1
        generation = self._generation
        self._set_loading(True)
        try:
            page = await audit_records(self._data.client, self._query, limit=self._page_size, offset=offset)
        except asyncio.CancelledError:
            if generation == self._generation:
                self._set_loading(False)
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            if generation == self._generation:
                log.info("loading the audit trail failed: %r", exc)
                self._set_loading(False)
                self.failed.emit(describe(exc))
            return
        if generation != self._generation:
            return
        self._total = page.total
        if offset == 0:
            self.beginResetModel()
            self._rows = list(page.items)
            self.endResetModel()
        else:
            known = {r.seq for r in self._rows}
            # Records added since the first page push older ones down: skip what is shown already.
            fresh = [r for r in page.items if r.seq not in known]
            if fresh:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(fresh) - 1)
                self._rows.extend(fresh)
                self.endInsertRows()
        self._answered = True
        self._set_loading(False)
        self.loaded.emit()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    async def check_chain(self) -> None:
        """Verify the trail's hash chain on the server (on demand: it reads every record)."""
        if self._checking:
            return
        self._checking = True
        self.chain_changed.emit()
        try:
            self._chain = await check_chain(self._data.client)
            self._chain_failure = None
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("checking the audit chain failed: %r", exc)
            self._chain, self._chain_failure = None, describe(exc)
        finally:
            self._checking = False
        self.chain_changed.emit()

    def chain_text(self) -> tuple[str, str]:
        """The banner's text and kind: "ok", "danger" or "neutral"."""
        chain = self._chain
        if self._checking:
            return self.tr("Checking the audit trail…"), "neutral"
        if chain is None:
            if self._chain_failure:
                return self.tr("The audit trail could not be checked: {reason}").format(
                    reason=self._chain_failure), "danger"
            return self.tr("The audit trail has not been checked yet."), "neutral"
        if chain.ok:
            return self.tr("Audit trail intact — {n} records verified").format(
                n=QLocale().toString(chain.checked)), "ok"
        where = chain.first_bad_seq if chain.first_bad_seq is not None else chain.checked + 1
        return self.tr("Audit trail TAMPERED at record {seq}: {problem}").format(
            seq=where, problem=chain.problem or self.tr("the chain does not verify")), "danger"

    # --- what the filters offer -----------------------------------------------------------------

    async def colleagues(self) -> list[Colleague]:
        """Operators to filter by, by name."""
        return await self._data.colleagues()

    async def find_subjects(self, text: str, limit: int = 15) -> list[CustomerSummary]:
        """Customers matching a name, number, e-mail or phone the officer types."""
        return (await self._data.search_customers(text, limit)).items

    # --- export ------------------------------------------------------------------------------

    async def export(self, path: str, export_format: ExportFormat) -> bool:
        """Write the records matching the current filters to `path` (the server's file for the
        authority); True when written. The file is written off the GUI thread."""
        try:
            content = await export_audit(self._data.client, self._query, export_format)
            await asyncio.get_running_loop().run_in_executor(None, Path(path).write_bytes, content)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("exporting the audit trail failed: %r", exc)
            self.export_failed.emit(describe(exc))
            return False
        self.export_finished.emit(path)
        return True

    # --- texts the table and the detail share ----------------------------------------------

    def action_text(self, action: str) -> str:
        return ACTION_LABELS.label(action) if action in ACTION_LABELS else readable_action(action)

    def operator_text(self, record: AuditRecord) -> str:
        if record.operator_name:
            return record.operator_name
        if record.operator_username == "cli":
            return self.tr("Server (command line)")
        if record.operator_username == "schedule":
            return self.tr("Server (scheduled)")
        return record.operator_username or self.tr("System")

    def what_text(self, record: AuditRecord) -> str:
        """"customer 3f2a…", "ticket 91c0…" or "" — the record the action was about."""
        if not record.entity:
            return ""
        entity = ENTITY_LABELS.label(record.entity)
        return f"{entity} {short_id(record.entity_id)}" if record.entity_id else entity

    def subject_text(self, record: AuditRecord) -> str:
        subject = record.subject_id
        if subject is None and record.entity == "customer":
            subject = record.entity_id
        if subject is None:
            # Under a subject filter every record concerns that subject (a search that listed them).
            subject = self._query.subject_id
        if subject is None:
            return ""
        return self._subject_labels.get(subject) or self.tr("customer {id}").format(id=short_id(subject))

    def detail_text(self, record: AuditRecord) -> str:
        """The record in full for the detail view: its fields, the JSON detail and the hashes."""
        lines = [
            self.tr("Record {seq} · {time}").format(seq=record.seq, time=local_time_text(record.at)),
            self.tr("Operator: {name} ({username})").format(name=self.operator_text(record),
                                                            username=record.operator_username or "—"),
            self.tr("Action: {words} ({action})").format(words=self.action_text(record.action),
                                                         action=record.action),
        ]
        if record.entity:
            lines.append(self.tr("Record concerned: {entity} {id}").format(entity=record.entity,
                                                                           id=record.entity_id or ""))
        if record.subject_id:
            lines.append(self.tr("Subject: {label} ({id})").format(
                label=self._subject_labels.get(record.subject_id, self.tr("customer")), id=record.subject_id))
        lines.append(self.tr("From: {address}").format(address=record.client_address or "—"))
        lines += ["", self.tr("Detail:"), json.dumps(record.detail, ensure_ascii=False, indent=2, sort_keys=True),
                  "", self.tr("Hash: {hash}").format(hash=record.hash),
                  self.tr("Previous hash: {hash}").format(hash=record.prev_hash)]
        return "\n".join(lines)

    # --- Qt model --------------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ACTION:
                return record.action
            if column == self.WHAT and record.entity_id:
                return f"{record.entity} {record.entity_id}"
            if column == self.SUBJECT:
                return record.subject_id or (record.entity_id if record.entity == "customer" else None)
            if column == self.OPERATOR:
                return record.operator_username
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.WHAT, self.ADDRESS):
            return QBrush(QColor(MUTED))
        return None

    def _text(self, record: AuditRecord, column: int) -> str:
        if column == self.TIME:
            return local_time_text(record.at)
        if column == self.OPERATOR:
            return self.operator_text(record)
        if column == self.ACTION:
            return self.action_text(record.action)
        if column == self.WHAT:
            return self.what_text(record)
        if column == self.SUBJECT:
            return self.subject_text(record)
        if column == self.ADDRESS:
            return record.client_address or ""
        return ""


def short_id(record_id: str | None) -> str:
    """The first characters of an id, enough to tell records apart in a list."""
    if not record_id:
        return ""
    return record_id if len(record_id) <= 10 else f"{record_id[:8]}…"


ACTION_LABELS = LabelTable("AuditAction", {
    "auth.login": QT_TRANSLATE_NOOP("AuditAction", "Signed in"),
    "auth.login_failed": QT_TRANSLATE_NOOP("AuditAction", "Failed sign-in"),
    "auth.logout": QT_TRANSLATE_NOOP("AuditAction", "Signed out"),
    "auth.refresh_reused": QT_TRANSLATE_NOOP("AuditAction", "Reused sign-in token (session ended)"),
    "audit.read": QT_TRANSLATE_NOOP("AuditAction", "Read the audit trail"),
    "audit.export": QT_TRANSLATE_NOOP("AuditAction", "Exported the audit trail"),
    "changes.read": QT_TRANSLATE_NOOP("AuditAction", "Synced records to a console"),
    "customer.search": QT_TRANSLATE_NOOP("AuditAction", "Searched customers"),
    "customer.read": QT_TRANSLATE_NOOP("AuditAction", "Viewed customer"),
    "customer.create": QT_TRANSLATE_NOOP("AuditAction", "Created customer"),
    "customer.update": QT_TRANSLATE_NOOP("AuditAction", "Changed customer"),
    "customer.status": QT_TRANSLATE_NOOP("AuditAction", "Changed customer status"),
    "customer.contact_create": QT_TRANSLATE_NOOP("AuditAction", "Added contact person"),
    "customer.contact_update": QT_TRANSLATE_NOOP("AuditAction", "Changed contact person"),
    "customer.contact_delete": QT_TRANSLATE_NOOP("AuditAction", "Removed contact person"),
    "device.command": QT_TRANSLATE_NOOP("AuditAction", "Sent station command"),
    "device.frames.read": QT_TRANSLATE_NOOP("AuditAction", "Read station messages"),
    "device.frames.export": QT_TRANSLATE_NOOP("AuditAction", "Exported station messages"),
    "device.register": QT_TRANSLATE_NOOP("AuditAction", "Registered station"),
    "device.ocpp_password": QT_TRANSLATE_NOOP("AuditAction", "Set station password"),
    "unknown_station.dismiss": QT_TRANSLATE_NOOP("AuditAction", "Dismissed unknown station"),
    "ticket.create": QT_TRANSLATE_NOOP("AuditAction", "Opened ticket"),
    "ticket.update": QT_TRANSLATE_NOOP("AuditAction", "Changed ticket"),
    "ticket.comment": QT_TRANSLATE_NOOP("AuditAction", "Commented ticket"),
    "ticket.attachment_add": QT_TRANSLATE_NOOP("AuditAction", "Attached file to ticket"),
    "ticket.attachment_read": QT_TRANSLATE_NOOP("AuditAction", "Opened ticket attachment"),
    "operator.create": QT_TRANSLATE_NOOP("AuditAction", "Created operator"),
    "operator.update": QT_TRANSLATE_NOOP("AuditAction", "Changed operator"),
    "operator.sessions_revoke": QT_TRANSLATE_NOOP("AuditAction", "Ended operator's sessions"),
    "privacy_request.list": QT_TRANSLATE_NOOP("AuditAction", "Listed privacy requests"),
    "privacy_request.read": QT_TRANSLATE_NOOP("AuditAction", "Viewed privacy request"),
    "privacy_request.create": QT_TRANSLATE_NOOP("AuditAction", "Recorded privacy request"),
    "privacy_request.update": QT_TRANSLATE_NOOP("AuditAction", "Changed privacy request"),
    "privacy_request.identity_request": QT_TRANSLATE_NOOP("AuditAction", "Asked for proof of identity"),
    "privacy_request.identity_verification": QT_TRANSLATE_NOOP("AuditAction", "Verified identity"),
    "privacy_request.extension": QT_TRANSLATE_NOOP("AuditAction", "Extended deadline"),
    "privacy_request.completion": QT_TRANSLATE_NOOP("AuditAction", "Completed privacy request"),
    "privacy_request.refusal": QT_TRANSLATE_NOOP("AuditAction", "Refused privacy request"),
    "privacy_request.erasure": QT_TRANSLATE_NOOP("AuditAction", "Executed erasure"),
    "privacy_package.download": QT_TRANSLATE_NOOP("AuditAction", "Downloaded data package"),
    "privacy_request.erasure_plan": QT_TRANSLATE_NOOP("AuditAction", "Viewed erasure plan"),
    "privacy_request.erasure_read": QT_TRANSLATE_NOOP("AuditAction", "Viewed erasure report"),
    "privacy_request.notices_open": QT_TRANSLATE_NOOP("AuditAction", "Opened recipient notices"),
    "privacy_request.notices_read": QT_TRANSLATE_NOOP("AuditAction", "Viewed recipient notices"),
    "privacy_subject.lookup": QT_TRANSLATE_NOOP("AuditAction", "Looked up data subject"),
    "privacy_package.create": QT_TRANSLATE_NOOP("AuditAction", "Built data package"),
    "privacy_package.list": QT_TRANSLATE_NOOP("AuditAction", "Listed data packages"),
    "customer.consent_change": QT_TRANSLATE_NOOP("AuditAction", "Changed consent"),
    "customer.consents_read": QT_TRANSLATE_NOOP("AuditAction", "Viewed consents"),
    "customer.recipients_read": QT_TRANSLATE_NOOP("AuditAction", "Viewed data recipients"),
    "recipient_notice.update": QT_TRANSLATE_NOOP("AuditAction", "Updated recipient notice"),
    "restriction.read": QT_TRANSLATE_NOOP("AuditAction", "Viewed restrictions"),
    "legal_hold.place": QT_TRANSLATE_NOOP("AuditAction", "Placed legal hold"),
    "legal_hold.lift": QT_TRANSLATE_NOOP("AuditAction", "Lifted legal hold"),
    "legal_hold.list": QT_TRANSLATE_NOOP("AuditAction", "Listed legal holds"),
    "retention.run": QT_TRANSLATE_NOOP("AuditAction", "Retention run"),
    "retention_policy.update": QT_TRANSLATE_NOOP("AuditAction", "Changed retention period"),
    "marketing.audience": QT_TRANSLATE_NOOP("AuditAction", "Read marketing audience"),
    "erasure.replay": QT_TRANSLATE_NOOP("AuditAction", "Replayed erasure ledger"),
    "demo.seed": QT_TRANSLATE_NOOP("AuditAction", "Loaded demo data"),
})
"""The actions the server records, in the words of the audit pane's Action column."""

ACTION_CHOICES = (
    "customer.*", "customer.read", "customer.search", "customer.update", "privacy_request.*", "privacy_package.*",
    "privacy_subject.*", "restriction.*", "legal_hold.*", "retention.*", "recipient_notice.*",
    "audit.*", "auth.*", "ticket.*", "device.*", "operator.*",
)
"""What the Action filter offers (the officer may type any action or prefix)."""

ENTITY_LABELS = LabelTable("AuditEntity", {
    "customer": QT_TRANSLATE_NOOP("AuditEntity", "customer"),
    "ticket": QT_TRANSLATE_NOOP("AuditEntity", "ticket"),
    "device": QT_TRANSLATE_NOOP("AuditEntity", "device"),
    "operator": QT_TRANSLATE_NOOP("AuditEntity", "operator"),
    "privacy_request": QT_TRANSLATE_NOOP("AuditEntity", "privacy request"),
    "unknown_station": QT_TRANSLATE_NOOP("AuditEntity", "unknown station"),
    "privacy_package": QT_TRANSLATE_NOOP("AuditEntity", "data package"),
    "restriction": QT_TRANSLATE_NOOP("AuditEntity", "restriction"),
    "legal_hold": QT_TRANSLATE_NOOP("AuditEntity", "legal hold"),
    "retention_run": QT_TRANSLATE_NOOP("AuditEntity", "retention run"),
    "retention_policy": QT_TRANSLATE_NOOP("AuditEntity", "retention period"),
    "recipient_notice": QT_TRANSLATE_NOOP("AuditEntity", "recipient notice"),
    "erasure": QT_TRANSLATE_NOOP("AuditEntity", "erasure"),
})


def choice_tooltip(choice: str) -> str:
    """What an action filter choice finds, in words."""
    if choice.endswith(".*"):
        family = readable_action(choice[:-2])
        return QCoreApplication.translate("AuditTrailModel", "Every action of: {family}").format(family=family)
    return ACTION_LABELS.label(choice) if choice in ACTION_LABELS else readable_action(choice)

