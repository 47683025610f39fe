"""Registering a privacy request as it arrived: the right, the channel, when it was received, the
original text, who asks (the subject or someone for them), and the data subject, found with a
lookup that says why each customer matched ("matched by e-mail"); an app user of the customer
may be chosen. Objections and consent withdrawals name the purposes concerned.

Opened from the privacy pane ("New request…") or from a ticket ("Start privacy request…"):
then prefilled with the ticket's customer and text, and linked to the ticket.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.privacy_workflow import CONSENT_PURPOSES, RELATIONS, REQUEST_CHANNELS, SubjectMatch
from ema_desktop.data.privacy_workflow import PrivacyWorkflow, StepFailed
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.privacy import (
    CHANNEL_LABELS,
    PURPOSE_LABELS,
    RELATION_LABELS,
    RIGHT_LABELS,
    TicketOrigin,
)
from ema_desktop.views import theme
from ema_desktop.views.privacy_step_dialogs import StepDialog, choice_box, text_box

LOOKUP_DELAY_MS = 350
"""Typing pauses this long before the subject lookup asks the server."""
PURPOSE_RIGHTS = ("objection", "consent_withdrawal")

MATCH_LABELS = LabelTable("SubjectMatch", {
    "name": QT_TRANSLATE_NOOP("SubjectMatch", "name"),
    "email": QT_TRANSLATE_NOOP("SubjectMatch", "e-mail"),
    "phone": QT_TRANSLATE_NOOP("SubjectMatch", "phone"),
    "customer_number": QT_TRANSLATE_NOOP("SubjectMatch", "customer number"),
    "contract": QT_TRANSLATE_NOOP("SubjectMatch", "contract"),
    "id_tag": QT_TRANSLATE_NOOP("SubjectMatch", "RFID card"),
    "station": QT_TRANSLATE_NOOP("SubjectMatch", "station"),
    "account_login": QT_TRANSLATE_NOOP("SubjectMatch", "app login"),
    "ico": QT_TRANSLATE_NOOP("SubjectMatch", "company ID (IČO)"),
})


def _capitalised(label: str) -> str:
    """"app user" → "App user": the relations are written to sit inside a sentence."""
    return label[:1].upper() + label[1:]


class PrivacyIntakeDialog(StepDialog):
    """The intake form; OK registers the request (`created` holds it afterwards)."""

    def __init__(self, workflow: PrivacyWorkflow, parent: QWidget | None = None,
                 origin: TicketOrigin | None = None) -> None:
        super().__init__(self.tr("New privacy request"),
                         self.tr("Record the request as it arrived. The statutory deadline (one month) runs from "
                                 "the time it was received."), self.tr("Register"), self._register, parent)
        self.setMinimumWidth(640)
        self._workflow = workflow
        self._origin = origin
        self._lookups = 0
        self.created: Any = None
        self.subject: SubjectMatch | None = None

        self.right = choice_box({r: RIGHT_LABELS.label(r) for r in RIGHT_LABELS})
        self.right.setObjectName("intake-right")
        self.channel = choice_box({c: CHANNEL_LABELS.label(c) for c in REQUEST_CHANNELS})
        self.channel.setObjectName("intake-channel")
        self.received = QDateTimeEdit(QDateTime.currentDateTime())
        self.received.setObjectName("intake-received")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.text = text_box(self.tr("The request as received, or a faithful summary of the call"), 4)
        self.text.setObjectName("intake-text")
        self.relation = choice_box({r: _capitalised(RELATION_LABELS.label(r)) for r in RELATIONS})
        self.relation.setObjectName("intake-relation")
        self.requester = QLineEdit()
        self.requester.setObjectName("intake-requester")
        self.requester.setPlaceholderText(self.tr("Who asks for the subject"))

        # The subject: a lookup, its matches, and (once chosen) the customer's app users.
        self.lookup = QLineEdit()
        self.lookup.setObjectName("intake-lookup")
        self.lookup.setPlaceholderText(self.tr("Name, e-mail, phone, customer number, RFID card, station…"))
        self.lookup.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("intake-matches")
        self.matches.setMaximumHeight(self.matches.fontMetrics().height() * 7 + 12)
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.setAlternatingRowColors(True)
        self.lookup_status = QLabel()
        self.lookup_status.setObjectName("intake-lookup-status")
        self.lookup_status.setStyleSheet(f"color: {theme.MUTED};")
        self.lookup_status.setWordWrap(True)
        subject_box = QWidget()
        subject_layout = QVBoxLayout(subject_box)
        subject_layout.setContentsMargins(0, 0, 0, 0)
        subject_layout.setSpacing(4)
        subject_layout.addWidget(self.lookup)
        subject_layout.addWidget(self.matches)
        subject_layout.addWidget(self.lookup_status)
        self.subject_name = QLineEdit()
        self.subject_name.setObjectName("intake-subject-name")
        self.subject_name.setPlaceholderText(self.tr("The data subject's name"))
        self.account = QComboBox()
        self.account.setObjectName("intake-account")
        self.account.addItem(self.tr("The customer as a whole"), None)

        self.purposes_box = QWidget()
        purposes_layout = QHBoxLayout(self.purposes_box)
        purposes_layout.setContentsMargins(0, 0, 0, 0)
        self.purposes: dict[str, QCheckBox] = {}
        for purpose in CONSENT_PURPOSES:
            box = QCheckBox(PURPOSE_LABELS.label(purpose))
            box.setObjectName(f"intake-purpose-{purpose}")
            box.toggled.connect(self._on_field_changed)
            purposes_layout.addWidget(box)
            self.purposes[purpose] = box
        purposes_layout.addStretch(1)

        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("intake-ticket")
        self.ticket_label.setStyleSheet(f"color: {theme.MUTED};")

        form = self.form
        form.addRow(self.tr("Right"), self.right)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Received at"), self.received)
        form.addRow(self.tr("Original text"), self.text)
        form.addRow(self.tr("Requester"), self.relation)
        form.addRow(self.tr("Requester name"), self.requester)
        form.addRow(self.tr("Find the subject"), subject_box)
        form.addRow(self.tr("Subject"), self.subject_name)
        form.addRow(self.tr("App user"), self.account)
        form.addRow(self.tr("Purposes"), self.purposes_box)
        form.addRow(self.tr("Ticket"), self.ticket_label)

        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DELAY_MS)
        self._lookup_timer.timeout.connect(self._on_lookup_timer_timeout)
        self.lookup.textEdited.connect(self._on_lookup_text_edited)
        self.matches.currentRowChanged.connect(self._on_matches_current_row_changed)
        self.right.currentIndexChanged.connect(self._on_field_changed)
        self.relation.currentIndexChanged.connect(self._on_field_changed)
        self.text.textChanged.connect(self._on_field_changed)
        self.requester.textChanged.connect(self._on_field_changed)
        self.subject_name.textChanged.connect(self._on_field_changed)
        self.received.dateTimeChanged.connect(self._on_field_changed)
        self._found: list[SubjectMatch] = []
        if origin is not None:
            self._prefill(origin)
        self._update_rows()
        self.refresh()

    # --- what the dialog sends ----------------------------------------------------------------

    def _received_at(self) -> datetime:
        return datetime.fromtimestamp(self.received.dateTime().toSecsSinceEpoch(), UTC)

    def _chosen_purposes(self) -> list[str]:
        return [p for p, box in self.purposes.items() if box.isChecked()]

    def values(self) -> dict[str, Any]:
        right = self.right.currentData()
        relation = self.relation.currentData()
        body: dict[str, Any] = {
            "right": right, "channel": self.channel.currentData(),
            "received_at": self._received_at().isoformat().replace("+00:00", "Z"),
            "original_text": self.text.toPlainText().strip(), "requester_relation": relation,
            "subject_name": self.subject_name.text().strip(),
        }
        if relation != "subject":
            body["requester_name"] = self.requester.text().strip()
        if self.subject is not None:
            body["customer_id"] = self.subject.customer_id
            if self.subject.email:
                body["subject_email"] = self.subject.email
            if self.subject.phone:
                body["subject_phone"] = self.subject.phone
        elif self._origin is not None and self._origin.customer_id:
            body["customer_id"] = self._origin.customer_id
            if self._origin.customer_email:
                body["subject_email"] = self._origin.customer_email
        if self.account.currentData():
            body["subject_account_id"] = self.account.currentData()
        if right in PURPOSE_RIGHTS and self._chosen_purposes():
            body["purposes"] = self._chosen_purposes()
        if self._origin is not None:
            body["ticket_id"] = self._origin.ticket_id
        return body

    def missing(self) -> str | None:
        if not self.text.toPlainText().strip():
            return self.tr("Enter the request's original text.")
        if self.relation.currentData() != "subject" and not self.requester.text().strip():
            return self.tr("Name the requester: someone asks for the subject.")
        if not self.subject_name.text().strip():
            return self.tr("Find the subject, or type their name when they are not a customer.")
        if self._received_at() > datetime.now(UTC):
            return self.tr("The request cannot have been received in the future.")
        if self.right.currentData() == "consent_withdrawal" and not self._chosen_purposes():
            return self.tr("Choose the purposes whose consent is withdrawn.")
        return None

    async def _register(self, values: dict[str, Any]) -> None:
        self.created = await self._workflow.register(values)

    # --- the subject lookup -----------------------------------------------------------------

    def look_up(self, query: str) -> None:
        """Look subjects up now (what typing does after a pause)."""
        self.lookup.setText(query)
        self._lookup_timer.stop()
        self._start_lookup()

    def _start_lookup(self) -> None:
        query = self.lookup.text().strip()
        if len(query) < 2:
            self._show_matches([])
            self.lookup_status.setText("")
            return
        self._lookups += 1
        self.lookup_status.setText(self.tr("Searching…"))
        self._tasks.start(self._lookup(query, self._lookups))

    async def _lookup(self, query: str, generation: int) -> None:
        try:
            found = await self._workflow.find_subjects(query)
        except asyncio.CancelledError:
            raise
        except StepFailed as failure:
            if generation == self._lookups:
                self.lookup_status.setText(str(failure))
            return
        if generation != self._lookups:
            return
        self._show_matches(found)
        # From a ticket: its customer is the subject unless the officer chooses another.
        origin_id = self._origin.customer_id if self._origin is not None else None
        if self.subject is None and origin_id is not None:
            row = next((i for i, m in enumerate(found) if m.customer_id == origin_id), None)
            if row is not None:
                self.choose(row)
        self.lookup_status.setText(self.tr("No customer matches. Type the subject's name below.") if not found
                                   else self.tr("{n} found: choose the subject.").format(n=len(found)))

    def _show_matches(self, found: list[SubjectMatch]) -> None:
        self._found = found
        self.matches.clear()
        for match in found:
            flags = []
            if match.restricted:
                flags.append(self.tr("restricted"))
            if match.erased:
                flags.append(self.tr("erased"))
            why = ", ".join(MATCH_LABELS.label(m) for m in match.matched_by)
            parts = [match.name, match.customer_number or "", match.company_name or ""]
            text = "  ·  ".join(p for p in parts if p)
            if flags:
                text += "   [" + ", ".join(flags) + "]"
            # Second line: what the officer compares, and why this customer came up.
            second = [match.email or "", self.tr("matched by {what}").format(what=why) if why else ""]
            text += "\n" + "  ·  ".join(p for p in second if p)
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.matches.addItem(item)

    def choose(self, row: int) -> None:
        """Take the lookup's `row`-th match as the subject."""
        self.matches.setCurrentRow(row)

    def _on_matches_current_row_changed(self, row: int) -> None:
        self.subject = self._found[row] if 0 <= row < len(self._found) else None
        self.account.clear()
        self.account.addItem(self.tr("The customer as a whole"), None)
        if self.subject is not None:
            self.subject_name.setText(self.subject.name)
            for account in self.subject.accounts:
                label = account.display_name or account.login_email or account.id
                if account.login_email and account.display_name:
                    label = f"{account.display_name} <{account.login_email}>"
                self.account.addItem(label, account.id)
        self._update_rows()
        self.refresh()

    # --- prefill and visibility ---------------------------------------------------------------

    def _prefill(self, origin: TicketOrigin) -> None:
        self.text.setPlainText(origin.text)
        self.ticket_label.setText(self.tr("Linked to ticket {number}: it gets a history entry and stays linked.")
                                  .format(number=origin.number))
        if origin.customer_name:
            self.subject_name.setText(origin.customer_name)
        if origin.customer_number or origin.customer_name:
            self.lookup.setText(origin.customer_number or origin.customer_name or "")
            self._start_lookup()

    def _update_rows(self) -> None:
        form = self.form
        form.setRowVisible(self.requester, self.relation.currentData() != "subject")
        form.setRowVisible(self.purposes_box, self.right.currentData() in PURPOSE_RIGHTS)
        form.setRowVisible(self.account, self.account.count() > 1)
        form.setRowVisible(self.ticket_label, self._origin is not None)

    def _on_lookup_text_edited(self, _text: str) -> None:
        self._lookup_timer.start()

    def _on_lookup_timer_timeout(self) -> None:
        self._start_lookup()

    def _on_field_changed(self, *_: object) -> None:
        self._update_rows()
        self.refresh()

