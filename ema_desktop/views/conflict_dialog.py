"""The conflict dialog: one write of the outbox that someone else overtook on the server.

It shows, field by field, the operator's version next to the one now on the server (the fields
that differ tinted), and offers three ways out: apply mine, keep theirs, or merge the text. What
the fields are, what differs and what a merge starts from is decided by
`ema_desktop.cache.conflicts.ConflictView`; this dialog shows it and forwards the choice. It is
opened with `open()`; closing it without a choice leaves the write in conflict for later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.cache.conflicts import ConflictView, FieldDifference
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable
from ema_desktop.models.tickets import FIELD_LABELS, PRIORITY_LABELS, STATE_LABELS
from ema_desktop.views import theme

CONTACT_FIELD_LABELS = LabelTable("ContactField", {
    "name": QT_TRANSLATE_NOOP("ContactField", "Name"),
    "role": QT_TRANSLATE_NOOP("ContactField", "Role"),
    "email": QT_TRANSLATE_NOOP("ContactField", "E-mail"),
    "phone": QT_TRANSLATE_NOOP("ContactField", "Phone"),
})

# The server's part and the operator's part of a merge, tinted until edited away; differing values
# in the comparison get the same two tints, so the eye links "theirs" above with "theirs" below.
THEIRS_TINT = "#fff1d6"
THEIRS_EDGE = "#e9c46a"
MINE_TINT = theme.ACCENT_LIGHT
MINE_EDGE = "#9dbce0"
_ID_FIELDS = frozenset({"owner_id", "customer_id", "device_id"})


class ConflictDialog(QDialog):
    """Asks the operator how to settle one conflicted write.

    Signals:
        resolved(str, object): the choice — "mine", "theirs" or "merge" — and, for a merge, the
            merged texts by field name (dict[str, str]); None otherwise.
    """

    resolved = Signal(str, object)

    def __init__(self, view: ConflictView, names: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        """`names`: display names of the ids a write may set (operators, customers, stations)."""
        super().__init__(parent)
        self.view = view
        self._names = dict(names or {})
        self.setWindowTitle(self.tr("Conflicting change — EMA Console"))
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)

        self.title_label = QLabel(self._title_text())
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet(f"font-size: 13pt; font-weight: 600; color: {theme.TEXT};")
        layout.addWidget(self.title_label)
        explanation = QLabel(self.tr(
            "Your change ({summary}) was made on an older version and has not been sent. "
            "Compare the two versions and choose which one to keep."
        ).format(summary=view.summary))
        explanation.setWordWrap(True)
        explanation.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(explanation)

        self.cells: dict[tuple[str, str], QLabel] = {}
        layout.addWidget(self._comparison(), 3)

        self.merge_editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.merge_problem = QLabel()
        if view.can_merge:
            layout.addWidget(self._merge_section(), 2)

        layout.addLayout(self._buttons())
        self._on_merge_text_changed()
        # Room for the comparison and a merge editor without scrolling in the usual case.
        self.resize(800, 800 if view.can_merge else self.sizeHint().height())

    # ------------------------------------------------------------------ building
    def _title_text(self) -> str:
        label = self.view.record_label
        if self.view.entity == "ticket":
            return self.tr("Ticket {number} was changed by someone else").format(number=label)
        if self.view.entity == "contact":
            return self.tr("Contact {name} was changed by someone else").format(name=label)
        if self.view.entity == "privacy_request":
            return self.tr("Privacy request {number} was changed by someone else").format(number=label)
        return self.tr("{record} was changed by someone else").format(record=label)

    def _comparison(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("comparison")
        frame.setStyleSheet(f"QFrame#comparison {{ background: {theme.BASE}; border: 1px solid {theme.BORDER};"
                            " border-radius: 4px; }")
        grid = QGridLayout(frame)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        for column, text in enumerate((self.tr("Field"), self.tr("Your version"), self.tr("Current on the server"))):
            header = QLabel(text)
            header.setStyleSheet(f"color: {theme.MUTED}; font-weight: 600;")
            grid.addWidget(header, 0, column)
        for row, difference in enumerate(self.view.fields, start=1):
            name = QLabel(self._field_label(difference.name))
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            name.setStyleSheet("padding-top: 4px;")
            grid.addWidget(name, row, 0)
            for column, side in ((1, "mine"), (2, "theirs")):
                cell = self._value_cell(difference, side)
                self.cells[(difference.name, side)] = cell
                grid.addWidget(cell, row, column)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(self.view.fields) + 1, 1)
        # Wrapped values are as tall as the width they get: without this the scroll area would keep
        # the height they need at the narrowest width, and scroll when nothing is hidden.
        frame.setMinimumHeight(1)
        scroll = QScrollArea()
        scroll.setWidget(frame)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumHeight(min(60 + 44 * len(self.view.fields), 220))
        return scroll

    def _value_cell(self, difference: FieldDifference, side: str) -> QLabel:
        value = difference.mine if side == "mine" else difference.theirs
        cell = QLabel(self._value_text(difference.name, value))
        cell.setWordWrap(True)
        cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        cell.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        cell.setMinimumWidth(160)
        cell.setProperty("differs", difference.differs)
        if difference.differs:
            tint, edge = (MINE_TINT, MINE_EDGE) if side == "mine" else (THEIRS_TINT, THEIRS_EDGE)
            cell.setStyleSheet(f"background: {tint}; border: 1px solid {edge}; border-radius: 3px; padding: 3px 6px;"
                               f" color: {theme.TEXT};")
        else:
            cell.setStyleSheet(f"padding: 4px 7px; color: {theme.TEXT};")
        if value is None or value == "":
            cell.setStyleSheet(cell.styleSheet() + f" color: {theme.MUTED};")
        return cell

    def _merge_section(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 6, 0, 0)
        column.setSpacing(6)
        heading = QLabel(self.tr("Merge the text"))
        heading.setStyleSheet("font-weight: 600;")
        column.addWidget(heading)
        hint = QLabel(self.tr("It starts with the text on the server (yellow), then yours (blue). "
                              "Edit it into one text, then choose Merge."))
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {theme.MUTED};")
        column.addWidget(hint)
        for difference in self.view.text_fields:
            start = self.view.merge_default(difference.name)
            column.addWidget(QLabel(self._field_label(difference.name)))
            editor: QLineEdit | QPlainTextEdit
            if difference.name == "title":
                editor = QLineEdit(start.text)
                editor.setCursorPosition(0)
                editor.textChanged.connect(self._on_merge_text_changed)
            else:
                editor = QPlainTextEdit(start.text)
                editor.setMinimumHeight(120)
                editor.setTabChangesFocus(True)
                _tint(editor, start.theirs, start.mine)
                editor.textChanged.connect(self._on_merge_text_changed)
            editor.setObjectName(f"merge_{difference.name}")
            self.merge_editors[difference.name] = editor
            column.addWidget(editor)
        self.merge_problem.setStyleSheet(f"color: {theme.DANGER};")
        self.merge_problem.setVisible(False)
        column.addWidget(self.merge_problem)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        later = QLabel(self.tr("Close to decide later; the change waits."))
        later.setStyleSheet(f"color: {theme.MUTED};")
        row.addWidget(later)
        row.addStretch(1)
        self.theirs_button = QPushButton(self.tr("Keep theirs"))
        self.theirs_button.setToolTip(self.tr("Drop your change; the version on the server stays."))
        self.mine_button = QPushButton(self.tr("Apply mine"))
        self.mine_button.setToolTip(self.tr("Send your version over the one on the server."))
        self.merge_button = QPushButton(self.tr("Merge"))
        self.merge_button.setToolTip(self.tr("Send the merged text, with your other changes.") if self.view.can_merge
                                     else self.tr("Only text (a title or a description) can be merged."))
        self.merge_button.setEnabled(self.view.can_merge)
        for button in (self.theirs_button, self.mine_button, self.merge_button):
            # No default button: Enter in the merge editor must never pick a side.
            button.setAutoDefault(False)
            button.setDefault(False)
            row.addWidget(button)
        self.theirs_button.clicked.connect(self._on_theirs_clicked)
        self.mine_button.clicked.connect(self._on_mine_clicked)
        self.merge_button.clicked.connect(self._on_merge_clicked)
        return row

    # ------------------------------------------------------------------ texts
    def _field_label(self, name: str) -> str:
        if self.view.entity == "contact":
            return CONTACT_FIELD_LABELS.label(name)
        return FIELD_LABELS.label(name)

    def _value_text(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return self.tr("(empty)") if name not in _ID_FIELDS else self.tr("(nobody)")
        if name == "state" and self.view.entity == "ticket":
            return STATE_LABELS.label(str(value))
        if name == "priority":
            return PRIORITY_LABELS.label(str(value))
        if name in _ID_FIELDS:
            return self._names.get(str(value), str(value))
        return str(value)

    # ------------------------------------------------------------------ merge
    def merged_texts(self) -> dict[str, str]:
        """The texts in the merge editors, by field."""
        return {name: editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
                for name, editor in self.merge_editors.items()}

    def _on_merge_text_changed(self) -> None:
        if not self.view.can_merge:
            return
        try:
            self.view.merged(self.merged_texts())
        except ValueError:
            self.merge_problem.setText(self.tr("The merged text cannot be empty."))
            self.merge_problem.setVisible(True)
            self.merge_button.setEnabled(False)
            return
        self.merge_problem.setVisible(False)
        self.merge_button.setEnabled(True)

    # ------------------------------------------------------------------ choices
    def _on_mine_clicked(self) -> None:
        self._choose("mine", None)

    def _on_theirs_clicked(self) -> None:
        self._choose("theirs", None)

    def _on_merge_clicked(self) -> None:
        try:
            merged = self.view.merged(self.merged_texts())
        except ValueError:
            return
        self._choose("merge", merged)

    def _choose(self, choice: str, merged: dict[str, str] | None) -> None:
        self.resolved.emit(choice, merged)
        self.accept()


def _tint(editor: QPlainTextEdit, theirs: tuple[int, int], mine: tuple[int, int]) -> None:
    """Tint the server's and the operator's parts of a merge text; the tints follow the text as
    it is edited, and what is typed anew stays untinted."""
    selections = []
    for (start, end), colour in ((theirs, THEIRS_TINT), (mine, MINE_TINT)):
        if end <= start:
            continue
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        text_format = QTextCharFormat()
        text_format.setBackground(QColor(colour))
        selection.cursor = cursor
        selection.format = text_format
        selections.append(selection)
    editor.setExtraSelections(selections)
