"""The console in Czech: every text of the code is in the Czech catalogue and translated, the
compiled catalogue the console loads is current, and with EMA_LANGUAGE=cs the panes speak Czech.

The catalogue is refreshed with `make translations` (lupdate, then lrelease).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

import ema_desktop
from ema_desktop.models.customers import local_date_text
from ema_desktop.models.labels import LabelTable
from ema_desktop.models.stations import StationMapModel, status_label
from ema_desktop.models.telemetry import StationTelemetry
from ema_desktop.models.tickets import scope_label, state_label
from ema_desktop.paths import resource
from ema_desktop.translations import LANGUAGE_ENV, install_translator
from ema_desktop.views.device_map import DeviceMapView
from ema_desktop.views.sign_in import SignInDialog
from ema_desktop.views.telemetry_pane import TelemetryPane

TS = resource("translations", "ema_desktop_cs.ts")
QM = resource("translations", "ema_desktop_cs.qm")
SOURCES = sorted(str(p) for p in Path(ema_desktop.__file__).parent.rglob("*.py"))
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _tool(name: str) -> str:
    """A Qt Linguist tool of the environment the tests run in (PySide6 installs them beside Python)."""
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found beside {sys.executable} nor on PATH (it comes with PySide6)")
    return path


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source text) → <message> of the live (not vanished or obsolete) messages of a .ts."""
    messages = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind not in ("vanished", "obsolete"):
                messages[(name, message.findtext("source", ""))] = message
    return messages


# --- the catalogue ------------------------------------------------------------------------------


def test_every_text_of_the_catalogue_is_translated_with_the_same_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 300
    untranslated, mismatched = [], []
    for (context, source), message in messages.items():
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        if translation.get("type") == "unfinished" or not all(form.strip() for form in forms):
            untranslated.append(f"{context}: {source}")
            continue
        for form in forms:
            # str.format placeholders: a missing one loses a value, an unknown one raises KeyError.
            if Counter(PLACEHOLDER.findall(form)) != Counter(PLACEHOLDER.findall(source)):
                mismatched.append(f"{context}: {source!r} → {form!r}")
            if ("%n" in source) != ("%n" in form):
                mismatched.append(f"{context}: {source!r} → {form!r} (%n)")
    assert not untranslated, "not translated (run `make translations` and translate them):\n" + "\n".join(untranslated)
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_catalogue_holds_every_text_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh_cs.ts"
    subprocess.run([_tool("pyside6-lupdate"), *SOURCES, "-ts", str(fresh)], check=True, capture_output=True,
                   timeout=120)
    in_code, in_catalogue = set(_messages(fresh)), set(_messages(TS))
    missing = sorted(in_code - in_catalogue)
    gone = sorted(in_catalogue - in_code)
    assert not missing, f"texts missing from {TS.name} (run `make translations`): {missing}"
    assert not gone, f"texts no longer in the code (run `make translations`): {gone}"


def test_compiled_catalogue_is_built_from_the_current_one(tmp_path: Path) -> None:
    built = tmp_path / "built_cs.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-fail-on-invalid", str(TS), "-qm", str(built)], check=True,
                   capture_output=True, timeout=120)
    assert built.read_bytes() == QM.read_bytes(), f"{QM.name} is stale: run `make translations`"


def _label_tables() -> Iterator[tuple[str, LabelTable]]:
    for package in (importlib.import_module("ema_desktop.models"), importlib.import_module("ema_desktop.views")):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            owners: list[Any] = [module, *(v for v in vars(module).values() if isinstance(v, type))]
            for owner in owners:
                for name, value in vars(owner).items():
                    if isinstance(value, LabelTable):
                        yield f"{module.__name__}.{name}", value


def test_every_label_table_is_marked_in_its_own_context() -> None:
    catalogue = set(_messages(TS))
    tables = dict(_label_tables())
    assert {"ema_desktop.models.stations.STATUS_LABELS", "ema_desktop.models.tickets.STATE_LABELS",
            "ema_desktop.models.privacy.RIGHT_LABELS"} <= set(tables)
    # A label marked with QT_TRANSLATE_NOOP in another context than its table's is never translated.
    strays = [f"{name}: {table.context} / {text!r}" for name, table in tables.items() for text in table.values()
              if (table.context, text) not in catalogue]
    assert not strays


# --- the console in Czech -----------------------------------------------------------------------


@pytest.fixture
def czech(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The console's and Qt's Czech translations installed as the console installs them, and
    removed again afterwards, so every other test reads English."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = set(app.findChildren(QTranslator))
    monkeypatch.setenv(LANGUAGE_ENV, "cs")
    added: list[QTranslator] = []
    try:
        assert install_translator(app) == "cs"
        added = [t for t in app.findChildren(QTranslator) if t not in before]
        assert added, "no translation was loaded"
        yield
    finally:
        for translator in added:
            app.removeTranslator(translator)
            translator.setParent(None)
            translator.deleteLater()


def test_english_is_the_default(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "en")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = set(app.findChildren(QTranslator))
    assert install_translator(app) == "en"
    assert set(app.findChildren(QTranslator)) == before
    dialog = SignInDialog("https://ema.example.cz")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Sign in — EMA Console"
    assert state_label("in_progress") == "In progress"


@pytest.mark.usefixtures("czech")
def test_sign_in_dialog_speaks_czech(qtbot: QtBot) -> None:
    dialog = SignInDialog("https://ema.example.cz")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Přihlášení — Konzole EMA"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Přihlásit se"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Zrušit"  # Qt's own catalogue
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"Uživatelské jméno", "Heslo", "Operátorská konzole SECTRON"} <= texts
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # nothing filled in but the server
    assert dialog.message.text() == "Vyplňte: uživatelské jméno, heslo."


@pytest.mark.usefixtures("czech")
def test_labels_and_dates_speak_czech() -> None:
    assert state_label("in_progress") == "V řešení"
    assert scope_label("overdue") == "Po splatnosti"
    assert status_label("Faulted") == "Porucha"
    assert status_label("SomethingNew") == "SomethingNew"  # an unknown status as the station reports it
    assert local_date_text(datetime(2026, 11, 26, 12, 0).astimezone()) == "26. lis 2026"
    assert QCoreApplication.translate("Workspace", "Privacy requests") == "Žádosti GDPR"


class _NoTelemetry:
    async def station_telemetry(self, *args: object) -> dict[str, Any]:
        return {"series": []}


@pytest.mark.usefixtures("czech")
def test_telemetry_pane_and_device_map_speak_czech(qtbot: QtBot) -> None:
    telemetry = StationTelemetry(_NoTelemetry())
    pane = TelemetryPane(telemetry)
    qtbot.addWidget(pane)
    assert "Není vybrána žádná stanice" in pane.shown_text()
    assert "Vyberte stanici na mapě" in pane.shown_text()
    device_map = DeviceMapView(StationMapModel())
    qtbot.addWidget(device_map)
    legend = {label.text() for label in device_map.findChildren(QLabel)}
    assert {"Stanice", "Porucha", "Nedostupná", "Nabíjí", "Volná", "Pozastaveno vozidlem"} <= legend
