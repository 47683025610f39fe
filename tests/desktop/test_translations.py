"""The console in Czech and English: every text of the code is in the Czech catalogue and
translated, every text with a count (%n) is in the plural-only English catalogue with its singular
and plural, the compiled catalogues the console loads are current, with EMA_LANGUAGE=cs the panes
speak Czech, and in English a count reads "1 change", "2 changes", not "2 change(s)".

The catalogues are refreshed with `make translations` (lupdate, then lrelease).
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
from contextlib import contextmanager
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
from ema_desktop.views.sync_status import SyncStatus
from ema_desktop.views.telemetry_pane import TelemetryPane

TS = resource("translations", "ema_desktop_cs.ts")
QM = resource("translations", "ema_desktop_cs.qm")
TS_EN = resource("translations", "ema_desktop_en.ts")
QM_EN = resource("translations", "ema_desktop_en.qm")
# lupdate's options for each catalogue (as `make translations` runs it) and the plural forms of its
# language: Czech 1 / 2 to 4 / 5 and more, English 1 / other.
CATALOGUES = {"cs": (TS, QM, [], 3), "en": (TS_EN, QM_EN, ["-pluralonly"], 2)}
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


# --- the catalogues -----------------------------------------------------------------------------


def _forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    return [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]


def test_every_text_of_the_czech_catalogue_is_translated_with_the_same_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 300
    _assert_translated(messages, plural_forms=3)


def test_every_text_with_a_count_has_its_english_singular_and_plural() -> None:
    messages = _messages(TS_EN)
    assert ("SyncStatus", "%n change(s) waiting to be sent") in messages
    assert all(message.get("numerus") == "yes" for message in messages.values()), "only plurals belong here"
    _assert_translated(messages, plural_forms=2)


def _assert_translated(messages: dict[tuple[str, str], ET.Element], plural_forms: int) -> None:
    untranslated, mismatched = [], []
    for (context, source), message in messages.items():
        translation = message.find("translation")
        assert translation is not None
        forms = _forms(message)
        if translation.get("type") == "unfinished" or not all(form.strip() for form in forms):
            untranslated.append(f"{context}: {source}")
            continue
        if message.get("numerus") == "yes" and len(forms) != plural_forms:
            mismatched.append(f"{context}: {source!r} has {len(forms)} plural forms, not {plural_forms}")
        for form in forms:
            # str.format placeholders: a missing one loses a value, an unknown one raises KeyError.
            if Counter(PLACEHOLDER.findall(form)) != Counter(PLACEHOLDER.findall(source)):
                mismatched.append(f"{context}: {source!r} → {form!r}")
            for count in ("%n", "%Ln"):
                if (count in source) != (count in form):
                    mismatched.append(f"{context}: {source!r} → {form!r} ({count})")
    assert not untranslated, "not translated (run `make translations` and translate them):\n" + "\n".join(untranslated)
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_lupdate_reads_every_text_in_its_context_and_every_count_as_a_count() -> None:
    """lupdate reads calls by their spelling. `tr = QCoreApplication.translate; tr("Ctx", "text")` is
    read as a `self.tr("Ctx", comment="text")` in no context, and `QCoreApplication.translate(ctx, text,
    "", count)` with a name for the count as an old-style encoding argument, not a count: the first is
    never translated at run time, the second only for a count of 1."""
    misread, uncounted = [], []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source, where = message.findtext("source", ""), message.find("location")
            place = f"{where.get('filename')}:{where.get('line')}" if where is not None else "?"
            if not name:
                misread.append(f"{place}: {source!r} {message.findtext('comment', '')!r}")
            elif re.search(r"%L?n", source) and message.get("numerus") != "yes":
                uncounted.append(f"{place}: {source!r}")
    assert not misread, "texts lupdate found in no context (write QCoreApplication.translate(...) or self.tr(...) " \
                        "out in full):\n" + "\n".join(misread)
    assert not uncounted, "texts with a count lupdate did not read as plural (count them with self.tr(text, " \
                          "'', n) in a QObject):\n" + "\n".join(uncounted)


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogue_holds_every_text_of_the_code(tmp_path: Path, language: str) -> None:
    ts, _, options, _ = CATALOGUES[language]
    fresh = tmp_path / f"fresh_{language}.ts"
    subprocess.run([_tool("pyside6-lupdate"), *SOURCES, "-ts", str(fresh), *options], check=True,
                   capture_output=True, timeout=120)
    in_code, in_catalogue = set(_messages(fresh)), set(_messages(ts))
    missing = sorted(in_code - in_catalogue)
    gone = sorted(in_catalogue - in_code)
    assert not missing, f"texts missing from {ts.name} (run `make translations`): {missing}"
    assert not gone, f"texts no longer in the code (run `make translations`): {gone}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_compiled_catalogue_is_built_from_the_current_one(tmp_path: Path, language: str) -> None:
    ts, qm, _, _ = CATALOGUES[language]
    built = tmp_path / f"built_{language}.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-fail-on-invalid", str(ts), "-qm", str(built)], check=True,
                   capture_output=True, timeout=120)
    assert built.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run `make translations`"


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


# --- the console in Czech and in English --------------------------------------------------------


@contextmanager
def _installed(language: str) -> Iterator[list[QTranslator]]:
    """The translations of `language` installed as the console installs them (the new translators),
    and removed again afterwards, so every other test reads the console as before."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = set(app.findChildren(QTranslator))
    added: list[QTranslator] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LANGUAGE_ENV, language)
        try:
            assert install_translator(app) == language
            added = [t for t in app.findChildren(QTranslator) if t not in before]
            yield added
        finally:
            for translator in added:
                app.removeTranslator(translator)
                translator.setParent(None)
                translator.deleteLater()


@pytest.fixture
def czech(qtbot: QtBot) -> Iterator[None]:
    """The console's and Qt's Czech translations installed; every other test reads English."""
    with _installed("cs") as added:
        assert added, "no translation was loaded"
        yield


def test_english_is_the_default(qtbot: QtBot) -> None:
    with _installed("en") as added:
        # Only the console's plural-only catalogue: Qt itself is written in English.
        assert [t.filePath().rsplit("/", 1)[-1] for t in added] == ["ema_desktop_en.qm"]
        dialog = SignInDialog("https://ema.example.cz")
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Sign in — EMA Console"
        assert state_label("in_progress") == "In progress"


def test_counts_read_as_english_singular_and_plural(qtbot: QtBot) -> None:
    """The tests run with the English catalogue installed as the console installs it (conftest)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert any(t.language().startswith("en") for t in app.findChildren(QTranslator))
    status = SyncStatus()
    qtbot.addWidget(status)
    status.show()
    status.show_outbox({"pending": 1})
    assert status.outbox_text() == "1 change waiting to be sent"
    status.show_outbox({"pending": 1, "sending": 1})
    assert status.outbox_text() == "2 changes waiting to be sent"
    status.show_outbox({"conflict": 1, "failed": 3})
    assert status.outbox_text() == "1 conflict to resolve · 3 changes refused"


@pytest.mark.usefixtures("czech")
def test_counts_take_the_three_czech_plural_forms(qtbot: QtBot) -> None:
    status = SyncStatus()
    qtbot.addWidget(status)
    status.show()
    status.show_outbox({"pending": 1})
    assert status.outbox_text() == "1 změna čeká na odeslání"
    status.show_outbox({"pending": 3})
    assert status.outbox_text() == "3 změny čekají na odeslání"
    status.show_outbox({"pending": 5, "conflict": 2})
    assert status.outbox_text() == "2 konflikty k vyřešení · 5 změn čeká na odeslání"


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
