"""The privacy officer corrects a subject's customer record under a rectification request (Art. 16):
the record's own fields, prefilled as the server holds them; only what was changed is sent, through
the normal edit path, naming the request so its history and the audit trail record the correction."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from ema_desktop.views.privacy_step_dialogs import StepDialog, Submit

FIELDS = ("name", "email", "phone", "billing_street", "billing_city", "billing_postal_code")
"""What a subject usually asks to have corrected; the server validates each (e-mail, phone)."""


class RectificationDialog(StepDialog):
    """The customer's correctable fields; OK once at least one differs from the record."""

    def __init__(self, record: dict[str, Any], submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Correct the subject's data"),
                         self.tr("Change what the subject asked to have corrected. The correction is recorded in "
                                 "the request's history and the audit trail; recipients of the data are told "
                                 "through “Notify recipients”."), self.tr("Correct"), submit, parent)
        self._record = record
        captions = {"name": self.tr("Name"), "email": self.tr("E-mail"), "phone": self.tr("Phone"),
                    "billing_street": self.tr("Billing street"), "billing_city": self.tr("Billing city"),
                    "billing_postal_code": self.tr("Postal code")}
        self.edits: dict[str, QLineEdit] = {}
        for field in FIELDS:
            edit = QLineEdit(str(record.get(field) or ""))
            edit.setObjectName(f"rectify-{field}")
            edit.textChanged.connect(self._on_edit_text_changed)
            self.edits[field] = edit
            self.form.addRow(captions[field], edit)
        self.refresh()

    def changes(self) -> dict[str, Any]:
        """The fields the officer changed, as the server takes them (an emptied field becomes null)."""
        found: dict[str, Any] = {}
        for field, edit in self.edits.items():
            text = edit.text().strip()
            if text != str(self._record.get(field) or ""):
                found[field] = text or None
        return found

    def values(self) -> dict[str, Any]:
        return {"changes": self.changes(), "version": self._record["version"]}

    def missing(self) -> str | None:
        changes = self.changes()
        if not changes:
            return self.tr("Change at least one field.")
        if changes.get("name", "") is None:
            return self.tr("The name cannot be empty.")
        return None

    def _on_edit_text_changed(self, _text: str) -> None:
        self.refresh()
