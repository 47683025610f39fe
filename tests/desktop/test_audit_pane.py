"""The AUDIT pane against a real ema-server with the small demo data, as the privacy officer uses it
to answer a subject or the supervisory authority: the chain banner, one customer's trail (the
read of their record among it), paging, the export the authority gets, a tampered trail turning
the banner red; and only those who may read the trail get the pane (and the Retention pane)."""

from __future__ import annotations

import asyncio
import csv
import json
import unicodedata
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from ema_desktop.backend.audit_trail import check_chain
from ema_desktop.backend.client import BackendClient
from ema_desktop.data.access import DataAccess
from ema_desktop.models.audit import AuditTrailModel, query_for, readable_action
from ema_desktop.views.audit_pane import AuditPane
from ema_server.db.engine import Database
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.console_driver import RunningConsole
from tests.desktop.memory_keyring import MemoryKeyring
from tests.desktop.waiting import until
from tests.live_server import RunningServer

OFFICER_NAME = "Ochrana osobních údajů (demo)"


@pytest.fixture
async def officer(console_server: RunningServer) -> AsyncIterator[BackendClient]:
    client = BackendClient(console_server.url, retry_delays=(0.05, 0.1))
    await client.sign_in("demo.privacy", DEMO_PASSWORD)
    try:
        yield client
    finally:
        await client.aclose()


async def _shown_pane(qtbot: QtBot, client: BackendClient, page_size: int = 100) -> AuditPane:
    model = AuditTrailModel(DataAccess(client), page_size=page_size)
    pane = AuditPane(model)
    model.setParent(pane)
    qtbot.addWidget(pane)
    pane.resize(1400, 850)
    pane.show()
    await until(pane.has_data, what="the trail and its chain check")
    return pane


@pytest.fixture
async def pane(qtbot: QtBot, officer: BackendClient) -> AsyncIterator[AuditPane]:
    widget = await _shown_pane(qtbot, officer)
    yield widget
    await until(lambda: not widget._model.loading and not widget._model.checking_chain, what="the last load")


def _model(pane: AuditPane) -> AuditTrailModel:
    model = pane.table.model()
    assert isinstance(model, AuditTrailModel)
    return model


def _column(pane: AuditPane, column: int) -> list[str]:
    model = _model(pane)
    return [model.index(row, column).data() for row in range(model.rowCount())]


async def _save(widget: AuditPane, name: str) -> None:
    await asyncio.sleep(0.05)  # posted layout and paint events first, in the loop (not a nested processEvents)
    image = widget.grab().toImage()
    assert await asyncio.get_running_loop().run_in_executor(None, image.save, f"/tmp/g7_{name}.png")


async def _pick_subject(pane: AuditPane, typed: str, customer_number: str) -> None:
    """Type into the subject box as the officer does, and pick the customer from the list offered."""
    pane.activateWindow()
    pane.subject_edit.setFocus()
    # Typed without diacritics, as in a hurry (QTest types ASCII only); the search folds them.
    QTest.keyClicks(pane.subject_edit, unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode())
    popup = pane.subject_completer.popup()
    assert popup is not None
    await until(lambda: popup.isVisible() and any(customer_number in choice for choice in
                                                  pane._subject_choices.stringList()), what="the customers offered")
    row = next(i for i, choice in enumerate(pane._subject_choices.stringList()) if customer_number in choice)
    popup.setCurrentIndex(popup.model().index(row, 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)
    await until(lambda: pane.filter_query().subject_id is not None, what="the customer picked")


async def test_the_banner_says_the_trail_is_intact_with_the_number_of_records_verified(
    pane: AuditPane, officer: BackendClient
) -> None:
    assert pane.banner.property("kind") == "ok"
    assert pane.banner.text().startswith("Audit trail intact — ")
    verified = int(pane.banner.text().split("— ")[1].split(" ")[0].replace(",", "").replace("\u00a0", ""))
    assert verified >= (await check_chain(officer)).checked - 5  # the pane's own reads follow its check
    # Newest first: the officer signing in; their look at the trail is recorded with the answer.
    assert _column(pane, AuditTrailModel.ACTION)[0] == "Signed in"
    assert _column(pane, AuditTrailModel.OPERATOR)[0] == OFFICER_NAME
    QTest.mouseClick(pane.show_button, Qt.MouseButton.LeftButton)
    await until(lambda: _model(pane).record_at(0).action == "audit.read", what="the first look on the trail")
    assert _column(pane, AuditTrailModel.ACTION)[0] == "Read the audit trail"
    pane.table.selectRow(0)
    detail = pane.detail.toPlainText()
    assert '"filters"' in detail and _model(pane).record_at(0).hash in detail
    await _save(pane, "intact")


# The completer's popup asks the platform to raise it and grab the keyboard; offscreen cannot.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing the keyboard")
async def test_filtering_by_subject_after_opening_a_customer_shows_that_read(
    pane: AuditPane, officer: BackendClient
) -> None:
    customer = (await officer.search_customers("", limit=5)).items[3]
    await officer.customer(customer.id)  # the officer opens the customer's record

    await _pick_subject(pane, customer.name[:6], customer.customer_number)
    QTest.mouseClick(pane.show_button, Qt.MouseButton.LeftButton)
    await until(lambda: _model(pane).query.subject_id == customer.id and not _model(pane).loading,
                what="the customer's trail")

    label = f"{customer.name} · {customer.customer_number}"
    assert pane.counts.text() == f"Records about {label}: {_model(pane).total}"
    records = _model(pane).records()
    read = [r for r in records if r.action == "customer.read" and r.entity_id == customer.id]
    assert read and read[0].operator_name == OFFICER_NAME
    assert set(_column(pane, AuditTrailModel.SUBJECT)) == {label}
    assert "Viewed customer" in _column(pane, AuditTrailModel.ACTION)
    await _save(pane, "subject")


async def test_load_more_adds_the_next_page_without_repeating_a_record(qtbot: QtBot, officer: BackendClient) -> None:
    pane = await _shown_pane(qtbot, officer, page_size=2)
    model = _model(pane)
    assert model.rowCount() == 2 and model.total >= 4 and pane.more_button.isVisible()
    QTest.mouseClick(pane.more_button, Qt.MouseButton.LeftButton)
    # The first read of the trail was recorded meanwhile and pushed the records down by one.
    await until(lambda: model.rowCount() >= 3 and not model.loading, what="the next page")
    seqs = [r.seq for r in model.records()]
    assert seqs == sorted(set(seqs), reverse=True)
    assert pane.shown_label.text().startswith(f"Showing {model.rowCount()} of ")


async def test_export_writes_the_customers_trail_to_a_csv_file_the_authority_can_read(
    pane: AuditPane, officer: BackendClient, tmp_path: Path
) -> None:
    customer = (await officer.search_customers("", limit=5)).items[1]
    await officer.customer(customer.id)
    pane.show_subject(customer.id, f"{customer.name} · {customer.customer_number}")
    await until(lambda: _model(pane).query.subject_id == customer.id and not _model(pane).loading,
                what="the customer's trail")

    QTest.mouseClick(pane.export_button, Qt.MouseButton.LeftButton)
    await until(lambda: (found := pane.findChild(QFileDialog)) is not None and found.isVisible(),
                what="the save dialog")
    dialog = pane.findChild(QFileDialog)
    assert isinstance(dialog, QFileDialog)
    target = tmp_path / "trail-for-uoou.csv"
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
    dialog.setDirectory(str(tmp_path))
    name_box = dialog.findChild(QLineEdit, "fileNameEdit")  # the officer types the file's name
    assert name_box is not None
    name_box.setText(target.name)
    dialog.accept()
    await until(lambda: pane.status.text().startswith("Exported to"), what="the export written")

    with target.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    # About the customer: as the record's subject or entity, or listed in it (the search that found them).
    assert rows and all(customer.id in (r["subject_id"], r["entity_id"]) or customer.id in json.loads(r["detail"])
                        .get("customer_ids", ()) for r in rows)
    assert any(r["action"] == "customer.read" and r["operator_name"] == OFFICER_NAME for r in rows)
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)
    assert all(len(r["hash"]) == 64 for r in rows)

    document = tmp_path / "trail.json"
    pane.export_to(str(document))
    await until(lambda: pane.status.text() == f"Exported to {document}", what="the JSON export")
    exported = json.loads(document.read_text(encoding="utf-8"))
    assert exported["chain"]["ok"] is True and exported["filters"] == {"subject_id": customer.id}
    assert {r["seq"] for r in exported["records"]} >= {int(r["seq"]) for r in rows}


async def test_a_tampered_record_turns_the_banner_red_naming_it(pane: AuditPane, console_db: Database) -> None:
    async with console_db.sessions() as session:
        await session.execute(text("DROP TRIGGER audit_log_no_update"))  # someone goes around the guard
        await session.execute(text("UPDATE audit_log SET client_address = '10.6.6.6' WHERE seq = 3"))
        await session.commit()
    QTest.mouseClick(pane.check_button, Qt.MouseButton.LeftButton)
    await until(lambda: pane.banner.property("kind") == "danger", what="the banner turning red")
    assert pane.banner.text() == "Audit trail TAMPERED at record 3: record content does not match its hash"
    await _save(pane, "tampered")


# One console per test, as in test_console.py: a console's whole life on its own server.
@pytest.mark.parametrize(("username", "has_panes"), [("demo.hotline", False), ("demo.privacy", True)])
async def test_the_privacy_officer_gets_the_audit_and_retention_panes_and_hotline_does_not(
    console_server: RunningServer, memory_keyring: MemoryKeyring, username: str, has_panes: bool
) -> None:
    console = RunningConsole(console_server.url)
    try:
        workspace = await console.sign_in(username)
        assert ("audit" in workspace.window.docks) is has_panes
        assert ("retention" in workspace.window.docks) is has_panes
        assert (workspace.audit_pane is not None) is has_panes
        assert (workspace.retention_pane is not None) is has_panes
        if has_panes:
            assert workspace.audit_pane is not None and workspace.retention_pane is not None
            workspace.window.raise_pane("audit")
            await until(workspace.audit_pane.has_data, what="the audit pane's first load")
            await _save_window(workspace.window, "console")
            workspace.window.raise_pane("retention")
            await until(workspace.retention_pane.has_data, what="the retention pane's first load")
            await _save_window(workspace.window, "console_retention")
    finally:
        if not console.task.done():
            assert await console.quit() == 0


async def _save_window(window: object, name: str) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    await asyncio.sleep(0.05)
    image = window.grab().toImage()
    assert await asyncio.get_running_loop().run_in_executor(None, image.save, f"/tmp/g7_{name}.png")


def test_the_date_filters_cover_whole_local_days_and_unknown_actions_read_as_words() -> None:
    query = query_for(None, "", "  privacy_request.*  ", date(2026, 3, 28), date(2026, 3, 29))
    assert query.action == "privacy_request.*" and query.operator_id is None
    assert query.since == datetime(2026, 3, 28).astimezone()  # local midnight, whatever the offset that day
    assert query.until == datetime(2026, 3, 30).astimezone()  # the last day included
    assert query.params()["from"].endswith("Z")
    assert readable_action("privacy_request.identity_request") == "Privacy request: identity request"
