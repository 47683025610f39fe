"""The "Work" side of a privacy request's detail: the step bar, the deadline warning, the buttons of
the steps the officer may take now (disabled ones say why in their tooltip), a line for the last
step's result or the server's reason for refusing it, and what the server holds for the request's
right: access packages, the erasure plan, the restriction, the subject's consents, rectification
entries and the notices to recipients. Shows and forwards: the pane runs the steps.
"""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.privacy_workflow import AccessPackage, RecipientNotice
from ema_desktop.data.privacy_workflow import PrivacyWorkflow
from ema_desktop.models.customers import local_date_text, local_time_text
from ema_desktop.models.labels import date_text
from ema_desktop.models.privacy import (
    BASIS_LABELS,
    ERASURE_ACTION_LABELS,
    NOTICE_STATE_LABELS,
    PURPOSE_LABELS,
    RECIPIENT_RIGHTS,
    RIGHT_LABELS,
    Action,
    Step,
    actions,
    deadline_warning,
    size_text,
)
from ema_desktop.views import theme

BUTTONS_PER_ROW = 4


def _table(headers: list[str], object_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # The first column (what it is) takes the room left; the others fit their contents.
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    table.setStyleSheet(f"QTableWidget {{ border: 1px solid {theme.BORDER}; }}"
                        f"QHeaderView::section {{ background: {theme.WINDOW}; color: {theme.MUTED}; border: none;"
                        f" border-bottom: 1px solid {theme.BORDER}; padding: 3px 6px; font-weight: 600; }}")
    return table


def _fill(table: QTableWidget, rows: list[list[str]], tooltips: list[str] | None = None) -> None:
    """Rows of texts; a row's tooltip (e.g. the legal reference) on every cell, else the cell's text."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tooltips[row] if tooltips and tooltips[row] else text)
            table.setItem(row, column, item)
    if rows:
        table.selectRow(0)


class StepBar(QWidget):
    """Received → Identity → In progress → (Extended) → Completed/Refused, the current step marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacy-steps")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.steps: list[Step] = []

    def show_steps(self, steps: list[Step]) -> None:
        self.steps = steps
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for index, step in enumerate(steps):
            if index:
                arrow = QLabel("→")
                arrow.setStyleSheet(f"color: {theme.MUTED};")
                self._layout.addWidget(arrow)
                arrow.show()  # at once, not when the layout's queued show runs
            label = QLabel(("✓ " if step.status == "done" else "") + step.label)
            colour, background, weight = {
                "done": (theme.OK, "#e8f3ea", 500), "current": ("#ffffff", theme.ACCENT, 700),
                "ahead": (theme.MUTED, "#eef1f4", 400), "skipped": (theme.MUTED, "#eef1f4", 400),
            }[step.status]
            label.setStyleSheet(f"color: {colour}; background: {background}; border-radius: 9px;"
                                f" padding: 2px 10px; font-weight: {weight};")
            label.setToolTip({"done": self.tr("Done"), "current": self.tr("The request is here"),
                              "ahead": self.tr("Still ahead"), "skipped": self.tr("Skipped")}[step.status])
            self._layout.addWidget(label)
            label.show()
        self._layout.addStretch(1)
        self._layout.activate()

    def text(self) -> str:
        """The bar as one line, the current step in brackets: "Received → [Identity] → …"."""
        return " → ".join(f"[{s.label}]" if s.status == "current" else s.label for s in self.steps)


class RequestWork(QWidget):
    """The steps and evidence of the request the workflow holds.

    Signals:
        action_requested(str): a step's button was clicked (the action's key).
        package_save_requested(str): "Save…" for a package (its id).
        withdrawal_requested(str): "Withdraw" for a consent purpose.
        notice_step_requested(str, str): a notice's step (the notice's id; notified | acknowledged | exempted).
    """

    action_requested = Signal(str)
    package_save_requested = Signal(str)
    withdrawal_requested = Signal(str)
    notice_step_requested = Signal(str, str)

    def __init__(self, workflow: PrivacyWorkflow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workflow = workflow
        self.buttons: dict[str, QPushButton] = {}
        self.shown_actions: list[Action] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.warning = QLabel()
        self.warning.setObjectName("privacy-deadline-warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        layout.addWidget(self.warning)
        self.status = QLabel()
        self.status.setObjectName("privacy-action-status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        self._button_grid = QGridLayout()
        self._button_grid.setHorizontalSpacing(6)
        self._button_grid.setVerticalSpacing(6)
        layout.addLayout(self._button_grid)

        self.evidence_title = QLabel()
        title_font = self.evidence_title.font()
        title_font.setWeight(QFont.Weight.DemiBold)
        self.evidence_title.setFont(title_font)
        layout.addWidget(self.evidence_title)
        self.evidence = QStackedWidget()
        self.evidence.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.evidence, 1)

        # Packages (access, portability)
        self.packages = _table([self.tr("Package"), self.tr("Built"), self.tr("Size"), self.tr("Expires"),
                                self.tr("Downloads")], "privacy-packages")
        self.save_package_button = QPushButton(self.tr("Save…"))
        self.save_package_button.setObjectName("privacy-save-package")
        self.save_package_button.setToolTip(self.tr("Save the selected package (a ZIP) to a file"))
        self.save_package_button.clicked.connect(self._on_save_package_button_clicked)
        self._package_page = self._page(self.packages, [self.save_package_button])
        # Erasure plan
        self.plan = _table([self.tr("Record class"), self.tr("Count"), self.tr("Action"), self.tr("Basis"),
                            self.tr("Until")], "privacy-erasure-plan")
        self.plan_note = QLabel()
        self.plan_note.setObjectName("privacy-erasure-blockers")
        self.plan_note.setWordWrap(True)
        self._plan_page = self._page(self.plan, [], note=self.plan_note)
        # Consents (objection, withdrawal)
        self._consent_page = QWidget()
        self._consent_layout = QGridLayout(self._consent_page)
        self._consent_layout.setContentsMargins(0, 0, 0, 0)
        self.consent_buttons: dict[str, QPushButton] = {}
        self.consent_labels: dict[str, QLabel] = {}
        # Restriction, rectification: a text
        self.summary = QLabel()
        self.summary.setObjectName("privacy-evidence-summary")
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Notices to recipients
        self.notices = _table([self.tr("Recipient"), self.tr("Action"), self.tr("State"), self.tr("Justification")],
                              "privacy-notices")
        self.notice_buttons: dict[str, QPushButton] = {}
        notice_buttons = []
        for state, label in (("notified", self.tr("Notified")), ("acknowledged", self.tr("Acknowledged")),
                             ("exempted", self.tr("Exempted…"))):
            button = QPushButton(label)
            button.setObjectName(f"privacy-notice-{state}")
            button.clicked.connect(lambda _checked=False, s=state: self._on_notice_button_clicked(s))
            self.notice_buttons[state] = button
            notice_buttons.append(button)
        self.notices.itemSelectionChanged.connect(self._on_notices_selection_changed)
        self.notices_box = self._page(self.notices, notice_buttons)
        self._empty = QLabel()
        for page in (self._package_page, self._plan_page, self._consent_page, self.summary, self._empty):
            self.evidence.addWidget(page)
        notices_title = QLabel(self.tr("Notices to recipients (Art. 19)"))
        notices_title.setFont(title_font)
        self.notices_title = notices_title
        layout.addWidget(notices_title)
        layout.addWidget(self.notices_box, 1)

    def _page(self, table: QTableWidget, buttons: list[QPushButton], note: QLabel | None = None) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        if note is not None:
            box.addWidget(note)
        box.addWidget(table, 1)
        if buttons:
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            box.addLayout(row)
        return page

    # --- showing -------------------------------------------------------------------------------

    def show_status(self, text: str, kind: str = "ok") -> None:
        """The last step's result ("ok"), the server's reason ("danger"), or "busy"; empty hides it."""
        colours = {"ok": (theme.OK, "#e8f3ea"), "danger": (theme.DANGER, "#fdecea"), "busy": (theme.MUTED, "#eef1f4")}
        colour, background = colours[kind]
        self.status.setStyleSheet(f"color: {colour}; background: {background}; border: 1px solid {colour};"
                                  " border-radius: 3px; padding: 5px 8px;")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_workflow(self, now: datetime) -> None:
        workflow = self._workflow
        request = workflow.request
        if request is None:
            self._show_buttons([])
            self.warning.hide()
            self.evidence_title.setText("")
            self.evidence.setCurrentWidget(self._empty)
            self.notices_title.hide()
            self.notices_box.hide()
            return
        warning = deadline_warning(request, now)
        self.warning.setVisible(warning is not None)
        if warning is not None:
            kind, text = warning
            loud = kind == "danger"
            colour, background = (theme.DANGER, "#fdecea") if loud else (theme.WARNING, "#fff4e0")
            self.warning.setText(text)
            self.warning.setStyleSheet(f"color: {colour}; background: {background}; border: 1px solid {colour};"
                                       f" border-radius: 3px; padding: 5px 8px; font-weight: {700 if loud else 600};")
        self.shown_actions = actions(request, now=now, online=workflow.online,
                                     restriction=workflow.restriction, erasure_plan=workflow.plan,
                                     erasure_done=workflow.erasure is not None)
        self._show_buttons(self.shown_actions)
        self._show_evidence()

    def _show_buttons(self, shown: list[Action]) -> None:
        for button in self.buttons.values():
            self._button_grid.removeWidget(button)
            button.hide()  # gone now, not once the deletion is processed: it would cover its successor
            button.deleteLater()
        self.buttons = {}
        busy = self._workflow.busy
        for index, action in enumerate(shown):
            button = QPushButton(action.label)
            button.setObjectName(f"privacy-action-{action.key}")
            button.setEnabled(action.enabled and not busy)
            button.setToolTip(action.reason or "")
            if action.key in ("complete",):
                button.setDefault(True)
            button.clicked.connect(lambda _checked=False, key=action.key: self.action_requested.emit(key))
            self._button_grid.addWidget(button, index // BUTTONS_PER_ROW, index % BUTTONS_PER_ROW)
            button.show()  # at once, not when the layout's queued show runs
            self.buttons[action.key] = button
        self._button_grid.activate()

    def set_busy(self, busy: bool) -> None:
        for action in self.shown_actions:
            button = self.buttons.get(action.key)
            if button is not None:
                button.setEnabled(action.enabled and not busy)
        online = self._workflow.online
        self.save_package_button.setEnabled(not busy and online and bool(self._workflow.packages))
        for button in self.consent_buttons.values():
            button.setEnabled(not busy and online and bool(button.property("available")))
        self._on_notices_selection_changed()

    def _show_evidence(self) -> None:
        workflow = self._workflow
        request = workflow.request
        assert request is not None
        right = request.right
        offline_tip = "" if workflow.online else self.tr("Needs the server: the console is offline.")
        if right in ("access", "portability"):
            self.evidence_title.setText(self.tr("Packages"))
            _fill(self.packages, [self._package_row(p) for p in workflow.packages])
            self.save_package_button.setEnabled(bool(workflow.packages) and workflow.online and not workflow.busy)
            self.save_package_button.setToolTip(offline_tip or self.tr("Save the selected package (a ZIP) to a file"))
            self.evidence.setCurrentWidget(self._package_page)
        elif right == "erasure":
            self._show_plan()
        elif right in ("consent_withdrawal", "objection"):
            self._show_consents(offline_tip)
        elif right == "restriction":
            self._show_restriction()
        elif right == "rectification":
            self.evidence_title.setText(self.tr("Rectifications"))
            entries = [e for e in request.history if e.kind == "rectification"]
            self.summary.setText("\n".join(
                f"{local_time_text(e.at)} · {e.author_name or ''} · {e.body or e.field or ''}" for e in entries)
                or self.tr("No rectification recorded yet. “Correct the data…” changes the customer's record "
                           "under this request; each correction appears here."))
            self.evidence.setCurrentWidget(self.summary)
        else:
            self.evidence_title.setText("")
            self.evidence.setCurrentWidget(self._empty)
        shows_notices = right in RECIPIENT_RIGHTS
        self.notices_title.setVisible(shows_notices)
        self.notices_box.setVisible(shows_notices)
        if shows_notices:
            _fill(self.notices, [[n.recipient.name, RIGHT_LABELS.label(n.action), NOTICE_STATE_LABELS.label(n.state),
                                  n.justification or ""] for n in workflow.notices])
            self._on_notices_selection_changed()

    def _package_row(self, package: AccessPackage) -> list[str]:
        kind = self.tr("Portability") if package.kind == "portability" else self.tr("Access")
        expires = self.tr("expired") if package.expired else local_time_text(package.expires_at)
        return [kind, local_time_text(package.created_at), size_text(package.size), expires, str(package.downloads)]

    def _show_plan(self) -> None:
        workflow = self._workflow
        if workflow.erasure is not None:
            self.evidence_title.setText(self.tr("Erasure executed"))
            erasure = workflow.erasure
            self.summary.setText(self.tr("Executed {time}. Kept: {kept}. Open the erasure report for the letters.")
                                 .format(time=local_time_text(erasure.executed_at),
                                         kept=", ".join(f"{k.label_en} ({k.count})" for k in erasure.report.kept)
                                         or "—"))
            self.evidence.setCurrentWidget(self.summary)
            return
        self.evidence_title.setText(self.tr("Erasure plan"))
        plan = workflow.plan
        if plan is None:
            self.plan_note.setText(self.tr("The plan could not be loaded."))
            _fill(self.plan, [])
        else:
            blockers = " ".join(b.message for b in plan.blockers)
            self.plan_note.setText(blockers)
            self.plan_note.setStyleSheet(f"color: {theme.WARNING}; font-weight: 600;")
            self.plan_note.setVisible(bool(blockers))
            _fill(self.plan, [[item.label_en, str(item.count), ERASURE_ACTION_LABELS.label(item.action),
                               BASIS_LABELS.label(item.basis) if item.basis else "",
                               date_text(datetime.combine(item.keep_until, time()))
                               if item.keep_until else ""] for item in plan.items],
                  [item.legal_reference or "" for item in plan.items])
        self.evidence.setCurrentWidget(self._plan_page)

    def _show_consents(self, offline_tip: str) -> None:
        workflow = self._workflow
        request = workflow.request
        assert request is not None
        self.evidence_title.setText(self.tr("Consents"))
        while self._consent_layout.count():
            item = self._consent_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.consent_buttons, self.consent_labels = {}, {}
        consents = workflow.consents
        withdrawn = consents.withdrawn_for(request.id) if consents is not None else set()
        purposes = request.purposes or []
        for row, purpose in enumerate(purposes):
            granted = consents.granted(purpose) if consents is not None else None
            current = next((c for c in consents.current if c.purpose == purpose), None) if consents else None
            if purpose in withdrawn:
                state = self.tr("withdrawn under this request")
            elif granted is None:
                state = self.tr("never given")
            else:
                since = f" · {local_date_text(current.since)}" if current is not None and current.since else ""
                state = (self.tr("granted") if granted else self.tr("not granted")) + since
            label = QLabel(f"{PURPOSE_LABELS.label(purpose)} — {state}")
            label.setObjectName(f"privacy-consent-{purpose}")
            button = QPushButton(self.tr("Withdrawn ✓") if purpose in withdrawn else self.tr("Withdraw"))
            button.setObjectName(f"privacy-withdraw-{purpose}")
            available = purpose not in withdrawn and not request.closed and request.identity_verified
            button.setProperty("available", available)
            button.setEnabled(available and workflow.online and not workflow.busy)
            button.setToolTip(offline_tip if not workflow.online else
                              "" if request.identity_verified else self.tr("Verify the subject's identity first."))
            button.clicked.connect(lambda _checked=False, p=purpose: self.withdrawal_requested.emit(p))
            self._consent_layout.addWidget(label, row, 0)
            label.show()
            self._consent_layout.addWidget(button, row, 1)
            button.show()
            self.consent_buttons[purpose] = button
            self.consent_labels[purpose] = label
        if not purposes:
            note = QLabel(self.tr("The request names no purposes."))
            note.setStyleSheet(f"color: {theme.MUTED};")
            self._consent_layout.addWidget(note, 0, 0)
            note.show()
        self._consent_layout.setColumnStretch(0, 1)
        self._consent_layout.setRowStretch(len(purposes) + 1, 1)
        self.evidence.setCurrentWidget(self._consent_page)

    def _show_restriction(self) -> None:
        self.evidence_title.setText(self.tr("Restriction"))
        restriction = self._workflow.restriction
        if restriction is None:
            text = self.tr("No restriction placed for this request yet.")
        elif restriction.active:
            text = self.tr("Restricted since {time}: only stored, processed for nothing else.").format(
                time=local_time_text(restriction.placed_at))
            text += "\n" + (self.tr("Subject told of the lift on {time}.").format(
                time=local_time_text(restriction.subject_notified_at)) if restriction.subject_notified_at
                else self.tr("The subject has not been told of a lift yet (Art. 18(3))."))
        else:
            text = self.tr("Lifted on {time}: {reason}").format(
                time=local_time_text(restriction.lifted_at) if restriction.lifted_at else "",
                reason=restriction.lift_reason or "")
        self.summary.setText(text)
        self.evidence.setCurrentWidget(self.summary)

    # --- what the buttons forward -------------------------------------------------------------

    def selected_package(self) -> AccessPackage | None:
        rows = self.packages.selectionModel().selectedRows()
        packages = self._workflow.packages
        row = rows[0].row() if rows else 0
        return packages[row] if 0 <= row < len(packages) else None

    def selected_notice(self) -> RecipientNotice | None:
        rows = self.notices.selectionModel().selectedRows()
        notices = self._workflow.notices
        return notices[rows[0].row()] if rows and rows[0].row() < len(notices) else None

    def _on_save_package_button_clicked(self) -> None:
        package = self.selected_package()
        if package is not None:
            self.package_save_requested.emit(package.id)

    def _on_notices_selection_changed(self) -> None:
        notice = self.selected_notice()
        usable = notice is not None and self._workflow.online and not self._workflow.busy
        next_states = {"pending": ("notified", "exempted"), "notified": ("acknowledged", "exempted")}
        allowed = next_states.get(notice.state, ()) if notice is not None else ()
        for state, button in self.notice_buttons.items():
            button.setEnabled(usable and state in allowed)

    def _on_notice_button_clicked(self, state: str) -> None:
        notice = self.selected_notice()
        if notice is not None:
            self.notice_step_requested.emit(notice.id, state)
