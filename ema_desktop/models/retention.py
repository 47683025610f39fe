"""The Retention pane's model: legal holds on customers and tickets (placed and lifted with a
reason), the retention periods of the data categories (an administrator changes them), and the
retention runs (an administrator previews one as a dry run or starts a real one).

Everything goes online to the server at once (`ema_desktop.backend.retention`): a hold, a period
or a run is a decision the server takes, never queued. Holds are shown on whom they are — the
customer's name and number, the ticket's number and title — looked up once per hold; the server
records those reads and every listing of holds in the audit trail.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import CustomerSummary, TicketListItem
from ema_desktop.backend.retention import (
    RETENTION_ACTIONS,
    LegalHold,
    RetentionPolicy,
    RetentionRun,
    legal_holds,
    lift_legal_hold,
    place_legal_hold,
    retention_policies,
    retention_runs,
    set_retention_policy,
    start_retention_run,
)
from ema_desktop.data.access import HANDLE_PRIVACY, DataAccess
from ema_desktop.data.privacy_workflow import StepFailed
from ema_desktop.models.customers import local_time_text
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.table import RowsTableModel

log = logging.getLogger(__name__)

VIEW_RETENTION = HANDLE_PRIVACY
"""The permission that shows the pane: the server lists holds, periods and runs to privacy officers
and administrators (BRIEF §5)."""
ADMINISTER = "admin.manage"
"""The permission to change periods and start runs (administrators)."""
MUTED = "#5f6b7a"  # the console theme's muted text (models do not import views)
LIFTED = "#8a94a3"
DAYS_PER_YEAR = 365.2425
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

HoldRole: int = Qt.ItemDataRole.UserRole + 1
PolicyRole: int = Qt.ItemDataRole.UserRole + 2
RunRole: int = Qt.ItemDataRole.UserRole + 3

CATEGORY_LABELS = LabelTable("RetentionCategory", {
    "security_logs": QT_TRANSLATE_NOOP("RetentionCategory", "Security logs"),
    "technical_logs": QT_TRANSLATE_NOOP("RetentionCategory", "Technical logs"),
    "communications": QT_TRANSLATE_NOOP("RetentionCategory", "Tickets and communications"),
    "accounting": QT_TRANSLATE_NOOP("RetentionCategory", "Accounting documents"),
    "vat": QT_TRANSLATE_NOOP("RetentionCategory", "VAT documents (invoices)"),
    "legal_claims": QT_TRANSLATE_NOOP("RetentionCategory", "Documents for legal claims"),
    "contract": QT_TRANSLATE_NOOP("RetentionCategory", "Contract documents"),
    "service_data": QT_TRANSLATE_NOOP("RetentionCategory", "Charging sessions"),
    "marketing": QT_TRANSLATE_NOOP("RetentionCategory", "Consent history"),
})
"""The retention categories in a few words (the server's description says the rest)."""

ACTION_LABELS = LabelTable("RetentionAction", {
    "delete": QT_TRANSLATE_NOOP("RetentionAction", "Delete"),
    "anonymise": QT_TRANSLATE_NOOP("RetentionAction", "Anonymise"),
    "restrict": QT_TRANSLATE_NOOP("RetentionAction", "Restrict"),
})

TRIGGER_LABELS = LabelTable("RetentionTrigger", {
    "operator": QT_TRANSLATE_NOOP("RetentionTrigger", "Started by an administrator"),
    "schedule": QT_TRANSLATE_NOOP("RetentionTrigger", "Daily schedule"),
    "cli": QT_TRANSLATE_NOOP("RetentionTrigger", "Server (command line)"),
})


# --- texts (plain functions, tested without a window) -----------------------------------------------


def whole_years(days: int) -> int | None:
    """The number of years `days` amounts to when it is (about) a whole number of years; else None."""
    years = round(days / DAYS_PER_YEAR)
    return years if years >= 1 and abs(days - years * DAYS_PER_YEAR) <= max(1.5, years * 0.5) else None


def whole_months(days: int) -> int | None:
    """The number of months `days` amounts to when it is (about) a whole number of months; else None."""
    months = round(days / DAYS_PER_MONTH)
    return months if months >= 1 and abs(days - months * DAYS_PER_MONTH) <= max(1.5, months * 0.5) else None


class RetentionCounts(QObject):
    """Texts with a count, which lupdate reads as plural only as `self.tr(text, "", n)` in a QObject.

    Signals: none.
    """

    def days(self, n: int) -> str:
        return self.tr("%n day(s)", "", n)

    def months(self, n: int) -> str:
        return self.tr("%n month(s)", "", n)

    def years(self, n: int) -> str:
        return self.tr("%n year(s)", "", n)


_COUNTED: list[RetentionCounts] = []


def _counted() -> RetentionCounts:
    if not _COUNTED:
        _COUNTED.append(RetentionCounts())
    return _COUNTED[0]


def period_text(days: int) -> str:
    """"365 days (1 year)", "180 days (6 months)", "45 days"."""
    counted = _counted()
    years = whole_years(days)
    if years is not None:
        return f"{counted.days(days)} ({counted.years(years)})"
    months = whole_months(days)
    if months is not None:
        return f"{counted.days(days)} ({counted.months(months)})"
    return counted.days(days)


def action_totals(run: RetentionRun) -> dict[str, int]:
    """How many records each action touched (or would have), summed over the categories."""
    totals: dict[str, int] = {}
    for actions in run.counts().values():
        for action, count in actions.items():
            totals[action] = totals.get(action, 0) + count
    return {action: count for action, count in totals.items() if count}


def run_result_text(run: RetentionRun) -> str:
    """"Delete: 12 · Anonymise: 3 · Kept for legal holds: 2", or that nothing expired."""
    parts = [QCoreApplication.translate("Retention", "{action}: {n}").format(action=ACTION_LABELS.label(action),
                                                                             n=count)
             for action, count in sorted(action_totals(run).items(), key=lambda item: _action_order(item[0]))]
    if run.skipped_for_holds:
        parts.append(QCoreApplication.translate("Retention", "Kept for legal holds: {n}").format(
            n=run.skipped_for_holds))
    if run.finished_at is None:
        parts.insert(0, QCoreApplication.translate("Retention", "Not finished"))
    return " · ".join(parts) if parts else QCoreApplication.translate("Retention", "Nothing expired")


def run_categories_text(run: RetentionRun) -> str:
    """The counts per category, a line each: "Security logs: delete 12"."""
    parts = []
    for category, actions in run.counts().items():
        done = [f"{ACTION_LABELS.label(action).lower()} {count}" for action, count in
                sorted(actions.items(), key=lambda item: _action_order(item[0])) if count]
        if done:
            parts.append(f"{CATEGORY_LABELS.label(category)}: {', '.join(done)}")
    return "\n".join(parts) if parts else "—"


def _action_order(action: str) -> int:
    return RETENTION_ACTIONS.index(action) if action in RETENTION_ACTIONS else len(RETENTION_ACTIONS)


def customer_label(customer: CustomerSummary) -> str:
    return f"{customer.name} · {customer.customer_number}"


def ticket_label(number: str, title: str) -> str:
    return f"{number} · {title}"


# --- the three tables --------------------------------------------------------------------------------


class LegalHoldsModel(RowsTableModel):
    """The legal holds listed, each on whom it is (a customer's name, a ticket's number and title).

    Signals: only the standard model signals.
    """

    ON, REASON, REFERENCE, PLACED, LIFTED, LIFT_REASON = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LegalHold] = []
        self._labels: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._headers = [self.tr("On"), self.tr("Reason"), self.tr("Reference"), self.tr("Placed"),
                         self.tr("Lifted"), self.tr("Why lifted")]

    def set_holds(self, holds: list[LegalHold], labels: dict[str, str], names: dict[str, str]) -> None:
        """Show `holds`; `labels` names their customers and tickets by id, `names` the operators."""
        self.beginResetModel()
        self._rows = list(holds)
        self._labels, self._names = dict(labels), dict(names)
        self.endResetModel()

    def hold_at(self, row: int) -> LegalHold:
        return self._rows[row]

    def holds(self) -> list[LegalHold]:
        return list(self._rows)

    def row_of(self, hold_id: str) -> int | None:
        return next((row for row, hold in enumerate(self._rows) if hold.id == hold_id), None)

    def on_text(self, hold: LegalHold) -> str:
        if hold.customer_id:
            label = self._labels.get(hold.customer_id)
            return self.tr("Customer {label}").format(label=label or self.tr("(not found)"))
        label = self._labels.get(hold.ticket_id or "")
        return self.tr("Ticket {label}").format(label=label or self.tr("(not found)"))

    def _by(self, moment_text: str, operator_id: str | None) -> str:
        name = self._names.get(operator_id or "")
        return f"{moment_text}\n{name}" if name else moment_text

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hold = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.ON:
                return self.on_text(hold)
            if column == self.REASON:
                return hold.reason
            if column == self.REFERENCE:
                return hold.reference or "—"
            if column == self.PLACED:
                return self._by(local_time_text(hold.placed_at), hold.placed_by_id)
            if column == self.LIFTED:
                if hold.lifted_at is None:
                    return self.tr("Active")
                return self._by(local_time_text(hold.lifted_at), hold.lifted_by_id)
            if column == self.LIFT_REASON:
                return hold.lift_reason or ""
        if role == HoldRole:
            return hold
        if role == Qt.ItemDataRole.ForegroundRole:
            if hold.lifted_at is not None:
                return QBrush(QColor(LIFTED))
            if column == self.REFERENCE:
                return QBrush(QColor(MUTED))
        return None


class RetentionPoliciesModel(RowsTableModel):
    """The retention categories with their periods and actions.

    Signals: only the standard model signals.
    """

    CATEGORY, PERIOD, ACTION, DESCRIPTION = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RetentionPolicy] = []
        self._headers = [self.tr("Category"), self.tr("Kept for"), self.tr("Then"), self.tr("What it covers")]

    def set_policies(self, policies: list[RetentionPolicy]) -> None:
        self.beginResetModel()
        self._rows = list(policies)
        self.endResetModel()

    def policy_at(self, row: int) -> RetentionPolicy:
        return self._rows[row]

    def policies(self) -> list[RetentionPolicy]:
        return list(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        policy = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CATEGORY:
                return CATEGORY_LABELS.label(policy.category)
            if column == self.PERIOD:
                return period_text(policy.period_days)
            if column == self.ACTION:
                return ACTION_LABELS.label(policy.action)
            if column == self.DESCRIPTION:
                return policy.description
        if role == Qt.ItemDataRole.ToolTipRole:
            return policy.description
        if role == PolicyRole:
            return policy
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DESCRIPTION:
            return QBrush(QColor(MUTED))
        return None


class RetentionRunsModel(RowsTableModel):
    """The recent retention runs, newest first.

    Signals: only the standard model signals.
    """

    STARTED, FINISHED, KIND, TRIGGER, RESULT, CATEGORIES = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RetentionRun] = []
        self._headers = [self.tr("Started"), self.tr("Finished"), self.tr("Kind"), self.tr("Started by"),
                         self.tr("Result"), self.tr("Per category")]

    def set_runs(self, runs: list[RetentionRun]) -> None:
        self.beginResetModel()
        self._rows = list(runs)
        self.endResetModel()

    def run_at(self, row: int) -> RetentionRun:
        return self._rows[row]

    def runs(self) -> list[RetentionRun]:
        return list(self._rows)

    def kind_text(self, run: RetentionRun) -> str:
        return self.tr("Dry run (nothing changed)") if run.dry_run else self.tr("Real run")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        run = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.STARTED:
                return local_time_text(run.started_at)
            if column == self.FINISHED:
                return local_time_text(run.finished_at) if run.finished_at else self.tr("Running…")
            if column == self.KIND:
                return self.kind_text(run)
            if column == self.TRIGGER:
                return TRIGGER_LABELS.label(run.trigger)
            if column == self.RESULT:
                return run_result_text(run)
            if column == self.CATEGORIES:
                return run_categories_text(run)
        if role == RunRole:
            return run
        if role == Qt.ItemDataRole.ForegroundRole and run.dry_run and column == self.KIND:
            return QBrush(QColor(MUTED))
        return None


# --- the pane's model ---------------------------------------------------------------------------


class RetentionModel(QObject):
    """Legal holds, retention periods and runs, and what the officer or administrator does with them.

    Signals:
        loading_changed(bool): a load is (or is no longer) waiting for the server.
        loaded(): the holds, periods and runs show a fresh answer.
        failed(str): a load or a run failed, with a message for the operator.
        done(str): an action succeeded; what happened, in a sentence for the status line.
    """

    loading_changed = Signal(bool)
    loaded = Signal()
    failed = Signal(str)
    done = Signal(str)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.holds = LegalHoldsModel(self)
        self.policies = RetentionPoliciesModel(self)
        self.runs = RetentionRunsModel(self)
        self._active_only = True
        self._loading = 0
        self._answered: set[str] = set()
        self._labels: dict[str, str] = {}
        self._names: dict[str, str] | None = None
        self._holds_generation = 0
        self._running = False

    # --- state -----------------------------------------------------------------------------

    @property
    def may_administer(self) -> bool:
        """Whether the operator may change periods and start runs."""
        return self._data.may(ADMINISTER)

    @property
    def answered(self) -> bool:
        """Whether holds, periods and runs have each been loaded once."""
        return self._answered >= {"holds", "policies", "runs"}

    @property
    def loading(self) -> bool:
        return self._loading > 0

    @property
    def running(self) -> bool:
        """Whether a retention run started here is under way."""
        return self._running

    @property
    def active_only(self) -> bool:
        return self._active_only

    # --- loading ---------------------------------------------------------------------------

    async def reload(self) -> None:
        """Load the holds, the periods and the runs at once."""
        await asyncio.gather(self.reload_holds(), self.reload_policies(), self.reload_runs())

    async def show_active_only(self, active_only: bool) -> None:
        self._active_only = active_only
        await self.reload_holds()

    async def reload_holds(self) -> None:
        self._holds_generation += 1
        generation = self._holds_generation
        found = await self._load("holds", self.tr("Could not load the legal holds: {message}"), self._fetch_holds)
        if found is not None and generation == self._holds_generation:
            holds, names = found
            self.holds.set_holds(holds, self._labels, names)
            self._answered.add("holds")
            self.loaded.emit()

    async def reload_policies(self) -> None:
        found = await self._load("policies", self.tr("Could not load the retention periods: {message}"),
                                 lambda: retention_policies(self._data.client))
        if found is not None:
            self.policies.set_policies(found)
            self._answered.add("policies")
            self.loaded.emit()

    async def reload_runs(self) -> None:
        found = await self._load("runs", self.tr("Could not load the retention runs: {message}"),
                                 lambda: retention_runs(self._data.client))
        if found is not None:
            self.runs.set_runs(found)
            self._answered.add("runs")
            self.loaded.emit()

    async def _load(self, what: str, failure: str, fetch: Any) -> Any:
        self._loading += 1
        if self._loading == 1:
            self.loading_changed.emit(True)
        try:
            return await fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("loading the retention %s failed: %r", what, exc)
            self.failed.emit(failure.format(message=describe(exc)))
            return None
        finally:
            self._loading -= 1
            if self._loading == 0:
                self.loading_changed.emit(False)

    async def _fetch_holds(self) -> tuple[list[LegalHold], dict[str, str]]:
        holds = await legal_holds(self._data.client, active=True if self._active_only else None)
        holds.sort(key=lambda h: (h.lifted_at is not None, -h.placed_at.timestamp()))
        unnamed = {h.customer_id or h.ticket_id or "": h for h in holds}
        unnamed = {key: h for key, h in unnamed.items() if key and key not in self._labels}
        labels = await asyncio.gather(*(self._label_of(h) for h in unnamed.values()))
        for key, label in zip(unnamed, labels, strict=True):
            if label is not None:
                self._labels[key] = label
        return holds, await self._operator_names()

    async def _label_of(self, hold: LegalHold) -> str | None:
        try:
            if hold.customer_id:
                return customer_label(await self._data.customer(hold.customer_id))
            ticket = await self._data.ticket(hold.ticket_id or "")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown as "(not found)"; the hold itself still lists
            log.info("naming the subject of hold %s failed: %r", hold.id, exc)
            return None
        label = ticket_label(ticket.number, ticket.title)
        return f"{label} ({ticket.customer.name})" if ticket.customer is not None else label

    async def _operator_names(self) -> dict[str, str]:
        if self._names is None:
            try:
                self._names = {c.id: c.display_name for c in await self._data.colleagues()}
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the times still show, without who
                log.info("loading the operators failed: %r", exc)
                return {}
        return self._names

    # --- what the dialogs find -------------------------------------------------------------------

    async def find_customers(self, text: str, limit: int = 15) -> list[CustomerSummary]:
        """Customers matching a name, number, e-mail or phone."""
        return (await self._data.search_customers(text, limit)).items

    async def find_tickets(self, text: str, limit: int = 15) -> list[TicketListItem]:
        """Tickets (open or closed) whose number or title matches."""
        return (await self._data.client.tickets(query=text, limit=limit)).items

    # --- actions -----------------------------------------------------------------------------

    async def place_hold(self, *, customer_id: str | None, ticket_id: str | None, label: str, reason: str,
                         reference: str | None) -> LegalHold:
        """Place a hold (raises StepFailed with the server's reason); the list reloads."""
        try:
            hold = await place_legal_hold(self._data.client, customer_id=customer_id, ticket_id=ticket_id,
                                          reason=reason, reference=reference)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown in the dialog, which stays open
            raise StepFailed(describe(exc)) from exc
        self._labels[customer_id or ticket_id or ""] = label
        await self.reload_holds()
        self.done.emit(self.tr("Legal hold placed on {label}.").format(label=label))
        return hold

    async def lift_hold(self, hold: LegalHold, reason: str) -> LegalHold:
        """Lift a hold with the reason (raises StepFailed with the server's reason); the list reloads."""
        try:
            lifted = await lift_legal_hold(self._data.client, hold.id, reason)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown in the dialog, which stays open
            await self.reload_holds()  # someone may have lifted it meanwhile: the list shows what is so
            raise StepFailed(describe(exc)) from exc
        await self.reload_holds()
        self.done.emit(self.tr("Legal hold lifted: {on}.").format(on=self.holds.on_text(hold)))
        return lifted

    async def set_policy(self, category: str, period_days: int, action: str) -> RetentionPolicy:
        """Change a category's period and action (administrators; raises StepFailed when refused)."""
        try:
            policy = await set_retention_policy(self._data.client, category, period_days, action)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown in the dialog, which stays open
            raise StepFailed(describe(exc)) from exc
        await self.reload_policies()
        self.done.emit(self.tr("{category}: kept for {period}, then {action}.").format(
            category=CATEGORY_LABELS.label(category), period=period_text(policy.period_days),
            action=ACTION_LABELS.label(policy.action).lower()))
        return policy

    async def start_run(self, dry_run: bool) -> RetentionRun | None:
        """Run the retention job now (administrators); the run list reloads. None when it failed
        (`failed` says why)."""
        if self._running:
            return None
        self._running = True
        self.loading_changed.emit(True)
        try:
            run = await start_retention_run(self._data.client, dry_run)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("the retention run failed: %r", exc)
            self.failed.emit(self.tr("The retention run failed: {message}").format(message=describe(exc)))
            return None
        finally:
            self._running = False
            self.loading_changed.emit(self.loading)
        await self.reload_runs()
        if dry_run:
            self.done.emit(self.tr("Dry run finished, nothing changed: {result}").format(result=run_result_text(run)))
        else:
            self.done.emit(self.tr("Retention run finished: {result}").format(result=run_result_text(run)))
        return run
