"""The console's look: Fusion with a calm light palette and SECTRON's blue as the accent, so the
panes look alike on every desktop (and offscreen, for snapshots)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#0b5394"
ACCENT_LIGHT = "#dbe8f5"
TEXT = "#1f2933"
MUTED = "#5f6b7a"
BORDER = "#d3d9e0"
WINDOW = "#f4f6f8"
BASE = "#ffffff"
DANGER = "#c62828"
WARNING = "#b26a00"
OK = "#2e7d32"

_STYLE = f"""
QMainWindow::separator {{ background: {BORDER}; width: 1px; height: 1px; }}
QDockWidget {{ font-weight: 600; }}
QDockWidget::title {{ background: {WINDOW}; padding: 6px 8px; border-bottom: 1px solid {BORDER}; }}
QTabBar::tab {{ padding: 6px 14px; }}
QTabBar::tab:selected {{ color: {ACCENT}; }}
QStatusBar {{ background: {WINDOW}; border-top: 1px solid {BORDER}; }}
QStatusBar QLabel {{ padding: 0 6px; }}
QToolTip {{ color: {TEXT}; background: {BASE}; border: 1px solid {BORDER}; padding: 4px; }}
QLineEdit, QComboBox, QPlainTextEdit, QTextEdit {{ selection-background-color: {ACCENT}; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style, light palette, accent colour and a readable default font size."""
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: "#f8fafc",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#eef1f4",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: BASE,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#8a94a3",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Mid: BORDER,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9aa5b1"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9aa5b1"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    app.setFont(font)
    app.setStyleSheet(_STYLE)
