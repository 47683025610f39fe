"""The Retention pane against a real ema-server with the small demo data, as the privacy officer and
the administrator use it: the demo's legal holds listed on whom they are, a hold placed on a
customer through the dialog and lifted with a reason, the retention periods read-only for the
officer and changed by the administrator, a dry run listed with its counts and changing nothing,
the real run asked for first. Which roles get the pane: test_audit_pane.py, with the audit pane."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.retention import (
    RetentionRun,
    legal_holds,
    lift_legal_hold,
    retention_policies,
    retention_runs,
    set_retention_policy,
    start_retention_run,
)
from ema_desktop.data.access import DataAccess
from ema_desktop.models.retention import (
    LegalHoldsModel,
    RetentionModel,
    RetentionPoliciesModel,
    RetentionRunsModel,
    period_text,
    run_categories_text,
    run_result_text,
)
from ema_desktop.views.retention_pane import PlaceHoldDialog, PolicyDialog, RetentionPane
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.console_driver import answer
from tests.desktop.waiting import until
from tests.live_server import RunningServer


async def _client(server: RunningServer, username: str) -> BackendClient:
    client = BackendClient(server.url, retry_delays=(0.05, 0.1))
    await client.sign_in(username, DEMO_PASSWORD)
    return client


@pytest.fixture
async def officer(console_server: RunningServer) -> AsyncIterator[BackendClient]:
    client = await _client(console_server, "demo.privacy")
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def admin(console_server: RunningServer) -> AsyncIterator[BackendClient]:
    client = await _client(console_server, "demo.admin")
    try:
        yield client
    finally:
        await client.aclose()


async def _shown_pane(qtbot: QtBot, client: BackendClient) -> RetentionPane:
    model = RetentionModel(DataAccess(client))
    pane = RetentionPane(model)
    model.setParent(pane)
    qtbot.addWidget(pane)
    pane.resize(1400, 850)
    pane.show()
    await until(pane.has_data, what="the holds, periods and runs")
    return pane


def _model(pane: RetentionPane) -> RetentionModel:
    return pane._model


def _column(model: LegalHoldsModel | RetentionPoliciesModel | RetentionRunsModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


async def _save(widget: QWidget, name: str) -> None:
    await asyncio.sleep(0.05)  # posted layout and paint events first, in the loop (not a nested processEvents)
    image = widget.grab().toImage()
    assert await asyncio.get_running_loop().run_in_executor(None, image.save, f"/tmp/retention_{name}.png")


def _click(widget: QWidget | None) -> None:
    assert widget is not None
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


async def test_the_demo_holds_are_listed_on_the_customers_and_tickets_by_name(
    qtbot: QtBot, officer: BackendClient
) -> None:
    pane = await _shown_pane(qtbot, officer)
    holds = _model(pane).holds
    on = _column(holds, LegalHoldsModel.ON)
    served = await legal_holds(officer, active=True)
    assert len(on) == len(served) == 3  # two disputed complaint tickets, one customer in proceedings
    customer_hold = next(h for h in served if h.customer_id)
    customer = await officer.customer(customer_hold.customer_id or "")
    assert f"Customer {customer.name} · {customer.customer_number}" in on
    tickets = [text for text in on if text.startswith("Ticket ")]
    assert len(tickets) == 2 and all(" · " in text and "(not found)" not in text for text in tickets)
    assert "ČOI 7/2026-OS" in _column(holds, LegalHoldsModel.REFERENCE)
    assert set(_column(holds, LegalHoldsModel.LIFTED)) == {"Active"}
    assert all(text.endswith("\nOchrana osobních údajů (demo)") for text in _column(holds, LegalHoldsModel.PLACED))
    assert pane.holds_count.text() == "Active holds: 3"
    await _save(pane, "holds")


async def test_placing_a_hold_on_a_customer_through_the_dialog_lists_it_and_the_server_has_it(
    qtbot: QtBot, officer: BackendClient
) -> None:
    pane = await _shown_pane(qtbot, officer)
    held = {h.customer_id for h in await legal_holds(officer)}
    customer = next(c for c in (await officer.search_customers("", limit=8)).items if c.id not in held)
    _click(pane.place_button)
    dialog = pane.dialog
    assert isinstance(dialog, PlaceHoldDialog) and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()

    dialog.look_up(customer.customer_number)
    await until(lambda: any(cid == customer.id for cid, _label in dialog.found()), what="the customer found")
    dialog.choose(next(row for row, (cid, _l) in enumerate(dialog.found()) if cid == customer.id))
    assert not dialog.ok_button.isEnabled()  # no reason yet
    assert dialog.hint.text() == "Give the reason for the hold: the proceedings it is for."
    dialog.reason.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setPlainText("Žaloba na náhradu škody po požáru wallboxu.")
    dialog.reference.setText("C 99/2026")
    assert dialog.ok_button.isEnabled()
    await _save(dialog, "place_dialog")
    _click(dialog.ok_button)

    label = f"{customer.name} · {customer.customer_number}"
    await until(lambda: pane.status.text() == f"Legal hold placed on {label}.", what="the hold placed")
    assert pane.dialog is None
    assert f"Customer {label}" in _column(_model(pane).holds, LegalHoldsModel.ON)
    assert pane.holds_count.text() == "Active holds: 4"
    served = await legal_holds(officer, customer_id=customer.id)
    assert [(h.reason, h.reference, h.active) for h in served] == [
        ("Žaloba na náhradu škody po požáru wallboxu.", "C 99/2026", True)]


async def test_lifting_a_hold_needs_a_reason_and_marks_it_lifted(qtbot: QtBot, officer: BackendClient) -> None:
    pane = await _shown_pane(qtbot, officer)
    holds = _model(pane).holds
    assert not pane.lift_button.isEnabled()
    pane.holds_table.selectRow(0)
    hold = holds.hold_at(0)
    assert pane.lift_button.isEnabled()
    _click(pane.lift_button)
    dialog = pane.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # an empty reason
    text = dialog.findChild(QWidget, "lift-reason")
    assert text is not None
    text.setPlainText("  \n ")  # type: ignore[attr-defined]
    assert not dialog.ok_button.isEnabled()
    text.setPlainText("Řízení skončilo pravomocným rozsudkem.")  # type: ignore[attr-defined]
    assert dialog.ok_button.isEnabled()
    _click(dialog.ok_button)
    await until(lambda: pane.status.text().startswith("Legal hold lifted: "), what="the hold lifted")
    assert hold.id not in {h.id for h in holds.holds()}  # only active holds are listed
    assert pane.holds_count.text() == "Active holds: 2"

    pane.active_only.setChecked(False)
    await until(lambda: holds.row_of(hold.id) is not None, what="all holds listed")
    row = holds.row_of(hold.id)
    assert row is not None
    assert holds.index(row, LegalHoldsModel.LIFT_REASON).data() == "Řízení skončilo pravomocným rozsudkem."
    assert holds.index(row, LegalHoldsModel.LIFTED).data().endswith("\nOchrana osobních údajů (demo)")
    assert pane.holds_count.text() == "Holds: 3, of them active: 2"
    pane.holds_table.selectRow(row)
    assert not pane.lift_button.isEnabled()  # a lifted hold cannot be lifted again
    served = await legal_holds(officer, active=False)
    assert [(h.id, h.lift_reason) for h in served] == [(hold.id, "Řízení skončilo pravomocným rozsudkem.")]
    await _save(pane, "lifted")


async def test_a_privacy_officer_sees_the_periods_read_only_and_no_run_buttons(
    qtbot: QtBot, officer: BackendClient
) -> None:
    pane = await _shown_pane(qtbot, officer)
    pane.tabs.setCurrentIndex(1)
    policies = _model(pane).policies
    assert policies.rowCount() == 9
    assert pane.edit_button is None and pane.preview_button is None and pane.run_button is None
    assert pane.policies_note.text() == "Only an administrator can change the retention periods."
    pane.policies_table.selectRow(0)
    assert pane.edit_selected_policy() is None and pane.dialog is None
    row = next(r for r in range(policies.rowCount()) if policies.policy_at(r).category == "security_logs")
    assert policies.index(row, RetentionPoliciesModel.CATEGORY).data() == "Security logs"
    assert policies.index(row, RetentionPoliciesModel.PERIOD).data() == "365 days (1 year)"
    assert policies.index(row, RetentionPoliciesModel.ACTION).data() == "Delete"
    assert policies.index(row, RetentionPoliciesModel.DESCRIPTION).data().startswith("Security logs: app login")
    await _save(pane, "periods_officer")


async def test_an_administrator_changes_a_period_and_the_server_keeps_it(qtbot: QtBot, admin: BackendClient) -> None:
    pane = await _shown_pane(qtbot, admin)
    pane.tabs.setCurrentIndex(1)
    policies = _model(pane).policies
    row = next(r for r in range(policies.rowCount()) if policies.policy_at(r).category == "communications")
    assert pane.edit_button is not None and not pane.edit_button.isEnabled()
    pane.policies_table.selectRow(row)
    _click(pane.edit_button)
    dialog = pane.dialog
    assert isinstance(dialog, PolicyDialog) and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # nothing changed yet
    assert [dialog.action.itemData(i) for i in range(dialog.action.count())] == ["anonymise", "delete"]
    dialog.days.setValue(1826)
    assert dialog.days_text.text() == "1826 days (5 years)"
    dialog.action.setCurrentIndex(dialog.action.findData("delete"))
    assert dialog.ok_button.isEnabled()
    await _save(dialog, "policy_dialog")
    _click(dialog.ok_button)
    await until(lambda: pane.status.text() == "Tickets and communications: kept for 1826 days (5 years), "
                "then delete.", what="the period saved")
    row = next(r for r in range(policies.rowCount()) if policies.policy_at(r).category == "communications")
    assert policies.index(row, RetentionPoliciesModel.PERIOD).data() == "1826 days (5 years)"
    served = {p.category: p for p in await retention_policies(admin)}
    assert (served["communications"].period_days, served["communications"].action) == (1826, "delete")
    await _save(pane, "periods_admin")


async def test_a_dry_run_from_the_pane_lists_its_counts_and_changes_nothing(
    qtbot: QtBot, admin: BackendClient
) -> None:
    # Technical logs older than a day: the demo's station history has plenty.
    await set_retention_policy(admin, "technical_logs", 1, "delete")
    pane = await _shown_pane(qtbot, admin)
    pane.tabs.setCurrentIndex(2)
    runs = _model(pane).runs
    before = runs.rowCount()
    _click(pane.preview_button)
    await until(lambda: pane.status.text().startswith("Dry run finished, nothing changed: "), timeout=60,
                what="the dry run")
    assert runs.rowCount() == before + 1
    run = runs.run_at(0)
    assert run.dry_run and run.trigger == "operator" and run.finished_at is not None
    assert runs.index(0, RetentionRunsModel.KIND).data() == "Dry run (nothing changed)"
    assert runs.index(0, RetentionRunsModel.TRIGGER).data() == "Started by an administrator"
    result = runs.index(0, RetentionRunsModel.RESULT).data()
    deleted = sum(actions.get("delete", 0) for actions in run.counts().values())
    assert deleted > 0 and result.startswith(f"Delete: {deleted}")
    assert runs.index(0, RetentionRunsModel.CATEGORIES).data().startswith("Technical logs: delete ")
    await _save(pane, "runs")
    # Nothing was deleted: a second dry run finds the same records.
    again = await start_retention_run(admin, dry_run=True)
    assert again.counts() == run.counts()


async def test_the_real_run_is_asked_for_first_and_cancelling_starts_nothing(
    qtbot: QtBot, admin: BackendClient
) -> None:
    pane = await _shown_pane(qtbot, admin)
    pane.tabs.setCurrentIndex(2)
    before = len(await retention_runs(admin))
    _click(pane.run_button)
    question = await answer("Cancel")
    assert question.startswith("Run the retention job now?")
    await asyncio.sleep(0.2)  # a run would have been started at once
    assert len(await retention_runs(admin)) == before

    _click(pane.run_button)
    await answer("Run now")
    await until(lambda: pane.status.text().startswith("Retention run finished"), timeout=60, what="the real run")
    assert _model(pane).runs.index(0, RetentionRunsModel.KIND).data() == "Real run"




def _run(summary: dict[str, object], dry_run: bool = True) -> RetentionRun:
    moment = datetime(2026, 11, 26, 10, tzinfo=UTC)
    return RetentionRun(id="r1", started_at=moment, finished_at=moment, dry_run=dry_run, trigger="schedule",
                        summary=summary)


def test_periods_read_in_days_and_in_whole_years_or_months() -> None:
    assert period_text(365) == "365 days (1 year)"
    assert period_text(1095) == "1095 days (3 years)"
    assert period_text(1826) == "1826 days (5 years)"
    assert period_text(3653) == "3653 days (10 years)"
    assert period_text(30) == "30 days (1 month)"
    assert period_text(180) == "180 days (6 months)"
    assert period_text(45) == "45 days"
    assert period_text(1) == "1 day"


def test_a_runs_counts_are_summed_per_action_and_listed_per_category() -> None:
    run = _run({"security_logs": {"delete": 12}, "communications": {"anonymise": 3, "delete": 1},
                "vat": {}, "skipped_legal_hold": 2, "details": {"records": {"x": {"delete": 12}}}})
    assert run_result_text(run) == "Delete: 13 · Anonymise: 3 · Kept for legal holds: 2"
    assert run_categories_text(run) == "Security logs: delete 12\nTickets and communications: delete 1, anonymise 3"
    empty = _run({"security_logs": {}, "skipped_legal_hold": 0, "details": {}})
    assert run_result_text(empty) == "Nothing expired"
    assert run_categories_text(empty) == "—"


async def test_a_hold_lifted_meanwhile_by_someone_else_is_refused_with_a_readable_sentence(
    qtbot: QtBot, officer: BackendClient
) -> None:
    pane = await _shown_pane(qtbot, officer)
    pane.holds_table.selectRow(0)
    hold = _model(pane).holds.hold_at(0)
    await lift_legal_hold(officer, hold.id, "Zrušeno kolegou.")  # another officer, a moment earlier
    dialog = pane.lift_selected()
    assert dialog is not None
    text = dialog.findChild(QWidget, "lift-reason")
    text.setPlainText("Řízení skončilo.")  # type: ignore[union-attr]
    _click(dialog.ok_button)
    await until(dialog.error.isVisible, what="the refusal")
    assert dialog.error.text().startswith("The hold was lifted on ")  # the server's sentence, no traceback
    assert dialog.isVisible()
    await until(lambda: _model(pane).holds.row_of(hold.id) is None, what="the list showing it lifted")
