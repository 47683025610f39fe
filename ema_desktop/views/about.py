"""The About box: version, what the console is for, and the basemap's attribution (required by its licences)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ema_desktop.models.labels import QT_TRANSLATE_NOOP

BASEMAP_ATTRIBUTION = QT_TRANSLATE_NOOP(
    "AboutBox",
    "Basemap: national border © ČÚZK, INSPIRE administrative units (CC BY 4.0, via siwekm/czech-geojson); "
    "regions and districts © 2021 Jindra Lacko (MIT, jlacko/powerbi-cesko).",
)


def show_about(parent: QWidget, version: str) -> QMessageBox:
    """Open (non-modally) the About box and return it."""
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("AboutBox", "About EMA Console"))
    name = QCoreApplication.translate("AboutBox", "EMA Console")
    box.setText(f"<b>{name}</b> {version}")
    box.setInformativeText(
        QCoreApplication.translate(
            "AboutBox", "The operator console of SECTRON's ElectroMobility Administrator: customers, stations live, "
            "tickets and data-protection requests.")
        + "<br><br><small>" + QCoreApplication.translate("AboutBox", BASEMAP_ATTRIBUTION) + "</small>"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
    return box
