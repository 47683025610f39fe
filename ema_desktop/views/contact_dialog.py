"""The "Edit contact person" dialog: name, role, e-mail and phone of one of the open customer's
contact persons.

What the operator types is checked by the `ContactEditor` (the server's rules) when a field is
left and on Save; a refused field says why right under it and nothing is queued. Save keeps only
the changed fields (in the outbox, sent when the server can be reached) and closes the dialog.
The dialog is opened with `open()`, never `exec()`: the console's event loop keeps running.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import (
    CONTACT_ROLE_LABELS,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    ContactEditor,
    customer_title,
)
from ema_desktop.views import theme

_INVALID_STYLE = (f"QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"] {{ border: 1px solid {theme.DANGER};"
                  " border-radius: 2px; padding: 2px 3px; }")


class ContactDialog(QDialog):
    """Edits one contact person through a `ContactEditor`; closes (accepted) once the change is kept.

    Signals: only QDialog's (`finished`, `accepted`, `rejected`).
    """

    def __init__(self, editor: ContactEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        editor.setParent(self)  # the edit lives as long as its dialog
        self._tasks = OwnedTasks(self)
        self.setWindowTitle(self.tr("Edit contact person — EMA Console"))
        self.setObjectName("contact-dialog")
        self.setStyleSheet(_INVALID_STYLE)

        layout = QVBoxLayout(self)
        # As tall as what it shows: a reason under a field makes room for itself.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(6)
        title = QLabel(self.tr("Edit contact person"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        customer = editor.customer
        self.about = QLabel(self.tr("{contact}, contact person of {customer} · {number}").format(
            contact=editor.contact.name, customer=customer_title(customer), number=customer.customer_number))
        self.about.setObjectName("contact-dialog-about")
        self.about.setStyleSheet(f"color: {theme.MUTED};")
        self.about.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.about)
        layout.addSpacing(8)

        # Caption and field side by side; a refused field's reason right under it.
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(NAME_MAX_LENGTH)
        self.role_box = QComboBox()
        for role in CONTACT_ROLE_LABELS:
            self.role_box.addItem(CONTACT_ROLE_LABELS.label(role), role)
        self.email_edit = QLineEdit()
        self.email_edit.setMaxLength(EMAIL_MAX_LENGTH)
        self.email_edit.setPlaceholderText(self.tr("name@example.cz (empty: none)"))
        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(PHONE_MAX_LENGTH)
        self.phone_edit.setPlaceholderText(self.tr("601 234 567, or +421 … for another country (empty: none)"))
        self.inputs: dict[str, QLineEdit | QComboBox] = {
            "name": self.name_edit, "role": self.role_box, "email": self.email_edit, "phone": self.phone_edit}
        captions = {"name": self.tr("Name"), "role": self.tr("Role"), "email": self.tr("E-mail"),
                    "phone": self.tr("Phone")}
        self.errors: dict[str, QLabel] = {}
        for position, (field, widget) in enumerate(self.inputs.items()):
            widget.setObjectName(f"contact-{field}")
            widget.setProperty("invalid", False)
            widget.setMinimumWidth(400)  # room for an address; the dialog's width follows
            caption = QLabel(captions[field])
            caption.setBuddy(widget)
            error = QLabel()
            error.setObjectName(f"contact-{field}-error")
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {theme.DANGER};")
            error.hide()
            self.errors[field] = error
            grid.addWidget(caption, position * 2, 0)
            grid.addWidget(widget, position * 2, 1)
            grid.addWidget(error, position * 2 + 1, 1)
            grid.setRowMinimumHeight(position * 2 + 1, 6)
        layout.addLayout(grid)

        layout.addSpacing(6)
        self.hint = QLabel(self.tr("The change is kept on this computer and sent to the server as soon as it "
                                   "can be reached."))
        self.hint.setObjectName("contact-dialog-hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {theme.MUTED};")
        self.hint.setVisible(editor.keeps_writes)
        layout.addWidget(self.hint)
        self.failure = QLabel()
        self.failure.setObjectName("contact-dialog-failure")
        self.failure.setWordWrap(True)
        self.failure.setStyleSheet(f"color: {theme.DANGER};")
        self.failure.hide()
        layout.addWidget(self.failure)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert isinstance(save, QPushButton)
        self.save_button = save
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        initial = editor.initial_values()
        self.name_edit.setText(initial["name"])
        role_at = self.role_box.findData(initial["role"])
        if role_at < 0:  # a role this console does not know: shown as the server spells it
            self.role_box.addItem(initial["role"], initial["role"])
            role_at = self.role_box.count() - 1
        self.role_box.setCurrentIndex(role_at)
        self.email_edit.setText(initial["email"])
        self.phone_edit.setText(initial["phone"])
        for field in ("name", "email", "phone"):
            edit = self.inputs[field]
            assert isinstance(edit, QLineEdit)
            edit.textChanged.connect(self._on_field_edited)
            edit.editingFinished.connect(self._on_field_editing_finished)
        self.role_box.currentIndexChanged.connect(self._on_field_edited)
        editor.invalid.connect(self._on_editor_invalid)
        editor.failed.connect(self._on_editor_failed)
        editor.saved.connect(self._on_editor_saved)
        editor.busy_changed.connect(self._on_editor_busy_changed)
        self._update_save()

    @property
    def editor(self) -> ContactEditor:
        return self._editor

    def values(self) -> dict[str, str]:
        """The form as typed."""
        return {"name": self.name_edit.text(), "role": str(self.role_box.currentData()),
                "email": self.email_edit.text(), "phone": self.phone_edit.text()}

    def shown_errors(self) -> dict[str, str]:
        """The reasons shown under refused fields."""
        return {field: label.text() for field, label in self.errors.items() if not label.isHidden()}

    # --- slots ---------------------------------------------------------------------------------

    def _on_field_edited(self, *_: object) -> None:
        self.failure.hide()
        # A reason already shown goes as soon as the field is right; new ones wait for the field
        # to be left, so the operator is not told off for a number they are still typing.
        if self.shown_errors():
            self._show_errors({f: m for f, m in self._editor.check(self.values()).items() if f in self.shown_errors()})
        self._update_save()

    def _on_field_editing_finished(self) -> None:
        self._show_errors(self._editor.check(self.values()))

    def _on_buttons_accepted(self) -> None:
        if self._editor.busy:
            return
        self.failure.hide()
        errors = self._editor.check(self.values())
        if errors:
            # Refused at once, without a round through the event loop; the editor checks again.
            self._on_editor_invalid(errors)
            return
        self._tasks.start(self._editor.save(self.values()))

    def _on_editor_invalid(self, errors: Mapping[str, str]) -> None:
        self._show_errors(errors)
        first = next((self.inputs[f] for f in self.inputs if f in errors), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_editor_failed(self, message: str) -> None:
        self.failure.setText(self.tr("Not saved: {message}").format(message=message))
        self.failure.show()

    def _on_editor_saved(self) -> None:
        self.accept()

    def _on_editor_busy_changed(self, busy: bool) -> None:
        for widget in self.inputs.values():
            widget.setEnabled(not busy)
        self.buttons.setEnabled(not busy)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._editor.busy:
            event.ignore()  # the change is being written; the dialog closes by itself when it is kept
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if not self._editor.busy:
            super().reject()

    # --- helpers -------------------------------------------------------------------------------

    def _show_errors(self, errors: Mapping[str, str]) -> None:
        for field, label in self.errors.items():
            message = errors.get(field, "")
            label.setText(message)
            label.setVisible(bool(message))
            widget = self.inputs[field]
            if bool(widget.property("invalid")) != bool(message):
                widget.setProperty("invalid", bool(message))
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def _update_save(self) -> None:
        self.save_button.setEnabled(bool(self._editor.edited(self.values())))
