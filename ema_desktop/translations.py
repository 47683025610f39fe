"""Qt Linguist translations: the console speaks Czech when the system (or EMA_LANGUAGE) says so, else English."""

from __future__ import annotations

import os

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ema_desktop.paths import resource

LANGUAGE_ENV = "EMA_LANGUAGE"


def console_language() -> str:
    """"cs" or "en": EMA_LANGUAGE if set, else the system locale."""
    wanted = os.environ.get(LANGUAGE_ENV, "").strip().lower()
    if wanted in ("cs", "en"):
        return wanted
    return "cs" if QLocale.system().language() == QLocale.Language.Czech else "en"


def install_translator(app: QApplication) -> str:
    """Load the console's and Qt's own translations for the language; the language used."""
    language = console_language()
    if language == "en":
        return language
    for name, folder in (
        (f"ema_desktop_{language}", str(resource("translations"))),
        (f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
    return language
