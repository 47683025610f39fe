"""The sign-in dialog: server, username, password, and the one-time code when the account has TOTP.

It only collects and shows; the console does the signing in (asynchronously) and answers with
`show_error`, `ask_for_code` or `accept`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.paths import resource
from ema_desktop.views import theme


class SignInDialog(QDialog):
    """Asks who the operator is.

    Signals:
        sign_in_requested(str, str, str, str): server URL, username, password, one-time code ("" if none).
    """

    sign_in_requested = Signal(str, str, str, str)

    def __init__(self, server_url: str, username: str = "", notice: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in — EMA Console"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        title = QLabel(self.tr("EMA Console"))
        title.setStyleSheet(f"font-size: 18pt; font-weight: 600; color: {theme.ACCENT};")
        icon = QPixmap(str(resource("icons", "ema-desktop-256.png")))
        if not icon.isNull():
            title_icon = QLabel()
            title_icon.setPixmap(icon.scaled(48, 48, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
            layout.addWidget(title_icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        subtitle = QLabel(self.tr("SECTRON operator console"))
        subtitle.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(subtitle, alignment=Qt.AlignmentFlag.AlignHCenter)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.server = QLineEdit(server_url)
        self.server.setPlaceholderText("https://ema.example.cz")
        self.username = QLineEdit(username)
        self.username.setPlaceholderText(self.tr("e.g. jana.novakova"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("6 digits from the authenticator app"))
        self.code.setMaxLength(8)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self._code_label = QLabel(self.tr("One-time code"))
        form.addRow(self._code_label, self.code)
        layout.addLayout(form)
        self._set_code_visible(False)

        self.message = QLabel(notice)
        self.message.setWordWrap(True)
        self.message.setVisible(bool(notice))
        self.message.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in"))
        ok.setDefault(True)
        self.buttons.accepted.connect(self._on_sign_in_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _set_code_visible(self, visible: bool) -> None:
        self._code_label.setVisible(visible)
        self.code.setVisible(visible)

    def _on_sign_in_clicked(self) -> None:
        server, username, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        missing = [name for name, value in ((self.tr("server"), server), (self.tr("username"), username),
                                            (self.tr("password"), password)) if not value]
        if missing:
            self.show_error(self.tr("Fill in the {fields}.").format(fields=", ".join(missing)))
            return
        self.set_busy(True)
        self.sign_in_requested.emit(server, username, password, self.code.text().strip())

    def set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        if busy:
            self.message.setStyleSheet(f"color: {theme.MUTED};")
            self.message.setText(self.tr("Signing in…"))
            self.message.setVisible(True)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.message.setStyleSheet(f"color: {theme.DANGER};")
        self.message.setText(message)
        self.message.setVisible(True)

    def ask_for_code(self, message: str) -> None:
        """The account has TOTP: show the code field and ask for it."""
        self._set_code_visible(True)
        self.show_error(message)
        self.code.setFocus()
