"""Qt Linguist translations: the console speaks Czech when the system (or EMA_LANGUAGE) says so, else English.

The code is written in English, so English needs no catalogue for its words, only for its plurals:
`ema_desktop_en` is Qt's plural-only catalogue (lupdate -pluralonly) that turns "%n change(s)" into
"1 change" and "2 changes". Czech gets the full `ema_desktop_cs` catalogue and Qt's own `qtbase_cs`
(standard buttons such as Cancel).
"""

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
    """Load the console's translations for the language (and Qt's own, unless English, which is what
    Qt is written in); the language used."""
    language = console_language()
    catalogues = [(f"ema_desktop_{language}", str(resource("translations")))]
    if language != "en":
        catalogues.append((f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    for name, folder in catalogues:
        translator = QTranslator(app)  # the application keeps it alive
        if translator.load(name, folder):
            app.installTranslator(translator)
        else:
            translator.setParent(None)  # nothing to install: let it go
    return language
