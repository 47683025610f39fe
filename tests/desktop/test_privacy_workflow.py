"""The privacy officer works requests from receipt to completion in the PRIVACY REQUESTS pane,
against a real ema-server with the small demo data, signed in as the demo privacy officer:
intake through the dialog (the subject found by the lookup), proof of identity, an access
request answered with a package saved to a file, an erasure executed through the typed
confirmation with its report, a refusal that needs the ÚOOÚ notice, a consent withdrawal, and
the steps disabled while the console is offline.

Each test saves a picture of the pane with its dialog open as /tmp/f7_<name>.png."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.events import StreamState
from ema_desktop.backend.privacy_workflow import PrivacyRequestDetail
from ema_desktop.data.access import DataAccess
from ema_desktop.models.privacy import PrivacyRequestModel, actions, deadline_warning, step_bar
from ema_desktop.models.tickets import TicketEditor, TicketQueueModel
from ema_desktop.views.erasure_dialog import ErasureConfirmDialog, ErasureReportDialog
from ema_desktop.views.privacy_intake_dialog import PrivacyIntakeDialog
from ema_desktop.views.privacy_pane import PrivacyPane
from ema_desktop.views.privacy_step_dialogs import (
    ChannelStepDialog,
    CompletionDialog,
    ExtensionDialog,
    IdentityVerificationDialog,
    RefusalDialog,
    TextStepDialog,
)
from ema_desktop.views.rectification_dialog import RectificationDialog
from ema_desktop.views.tickets_pane import TicketsPane
from ema_server.db.engine import Database
from ema_server.db.models import Customer, PrivacyRequest, Ticket, TicketEntry
from ema_server.db.models.data_protection import ConsentEvent, Erasure, RecipientDisclosure
from tests.desktop.conftest import DEMO_PASSWORD
from tests.desktop.waiting import until
from tests.live_server import RunningServer


@pytest.fixture
async def officer(console_server: RunningServer) -> AsyncIterator[BackendClient]:
    """The console's client signed in as the demo privacy officer."""
    client = BackendClient(console_server.url, retry_delays=(0.05, 0.1))
    await client.sign_in("demo.privacy", DEMO_PASSWORD)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def officer_data(officer: BackendClient) -> AsyncIterator[DataAccess]:
    data = DataAccess(officer)
    try:
        yield data
    finally:
        await data.stop_live()


@pytest.fixture
async def pane(qtbot: QtBot, officer_data: DataAccess) -> AsyncIterator[PrivacyPane]:
    model = PrivacyRequestModel(officer_data)
    widget = PrivacyPane(model)
    model.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    await until(widget.has_data, what="the requests")
    yield widget
    if shiboken6.isValid(widget):
        if widget.dialog is not None:
            widget.dialog.close()
        await until(lambda: not model.loading and not widget.workflow.busy, what="the last reloads")


async def _customer(db: Database, offset: int = 0) -> Customer:
    """A demo customer with an e-mail address (a different one for each offset)."""
    async with db.sessions() as session:
        found = (await session.scalars(
            select(Customer).where(Customer.email.is_not(None), Customer.erased_at.is_(None))
            .order_by(Customer.customer_number).offset(offset).limit(1))).first()
    assert found is not None, "the demo data has customers with e-mail addresses"
    return found


async def _registered(client: BackendClient, customer: Customer, right: str, *, verified: bool = True,
                      **extra: Any) -> dict[str, Any]:
    """A request registered (and its subject's identity verified) straight through the API."""
    created: dict[str, Any] = await client.call("POST", "/privacy-requests", json={
        "right": right, "customer_id": customer.id, "subject_name": customer.name, "channel": "email",
        "original_text": f"Please handle my {right} request.", **extra})
    if verified:
        created = await client.call("POST", f"/privacy-requests/{created['id']}/identity-verification", json={
            "check": "registered_email_reply", "detail": "Reply came from the registered address."})
    return created


async def _request_row(db: Database, request_id: str) -> PrivacyRequest:
    async with db.sessions() as session:
        row = await session.get(PrivacyRequest, request_id)
    assert row is not None
    return row


async def _selected(pane: PrivacyPane, request_id: str) -> None:
    """Select a request (reloading the list first when it is new) and wait for its workflow."""
    model = pane.table.model()
    assert isinstance(model, PrivacyRequestModel)
    if model.row_of(request_id) is None:
        await model.reload()
    assert pane.select_request(request_id)
    await until(lambda: pane.workflow.request is not None and pane.workflow.request.id == request_id
                and not pane.workflow.busy, what="the request's detail")


async def _dialog(pane: PrivacyPane, kind: type[QDialog]) -> Any:
    await until(lambda: isinstance(pane.dialog, kind) and pane.dialog.isVisible(), what=f"the {kind.__name__}")
    return pane.dialog


def _picture(pane: PrivacyPane, dialog: QWidget | None, name: str) -> None:
    """The pane with the dialog drawn over its middle, as the officer sees it."""
    shot = pane.grab()
    if dialog is not None:
        over = dialog.grab()
        painter = QPainter(shot)
        painter.drawPixmap(QPoint(max((shot.width() - over.width()) // 2, 0),
                                  max((shot.height() - over.height()) // 2, 0)), over)
        painter.end()
    shot.save(f"/tmp/f7_{name}.png")


async def _closed(pane: PrivacyPane, dialog: QDialog) -> None:
    error = dialog.findChild(QLabel, "step-error")
    await until(lambda: pane.dialog is not dialog or (error is not None and error.isVisible()),
                what="the dialog to close")
    assert pane.dialog is not dialog, error.text() if error is not None else "the dialog is still open"


# --- intake ------------------------------------------------------------------------------------


async def test_a_request_is_registered_through_the_intake_dialog_with_the_subject_found_by_e_mail(
    pane: PrivacyPane, console_db: Database
) -> None:
    customer = await _customer(console_db)
    assert customer.email is not None
    dialog = pane.new_request()
    assert isinstance(dialog, PrivacyIntakeDialog)
    await _dialog(pane, PrivacyIntakeDialog)
    assert not dialog.ok_button.isEnabled(), "nothing filled in yet"

    dialog.right.setCurrentIndex(dialog.right.findData("access"))
    dialog.channel.setCurrentIndex(dialog.channel.findData("email"))
    QTest.keyClicks(dialog.text, "I want a copy of all my data.")
    dialog.look_up(customer.email)
    await until(lambda: dialog.matches.count() > 0, what="the lookup's matches")
    shown = dialog.matches.item(0).text()
    assert customer.name in shown and "matched by e-mail" in shown
    dialog.choose(0)
    assert dialog.subject_name.text() == customer.name
    assert dialog.ok_button.isEnabled(), dialog.hint.text()
    _picture(pane, dialog, "intake")

    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    await _closed(pane, dialog)
    created = dialog.created
    assert created is not None
    await until(lambda: pane.workflow.request is not None and pane.workflow.request.id == created.id,
                what="the new request selected")
    assert created.number in pane.detail.title.text()
    assert "registered" in pane.detail.work.status.text()
    row = await _request_row(console_db, created.id)
    assert (row.customer_id, row.right, row.channel, row.state) == (customer.id, "access", "email", "received")


async def test_the_intake_dialog_needs_the_requester_name_and_purposes_for_a_consent_withdrawal(
    pane: PrivacyPane,
) -> None:
    dialog = pane.new_request()
    await _dialog(pane, PrivacyIntakeDialog)
    QTest.keyClicks(dialog.text, "Stop sending me newsletters, written for my father.")
    dialog.subject_name.setText("Jan Novák")  # QTest types ASCII only
    dialog.right.setCurrentIndex(dialog.right.findData("consent_withdrawal"))
    assert dialog.purposes_box.isVisible()
    assert not dialog.ok_button.isEnabled()
    assert "purposes" in dialog.hint.text()
    dialog.purposes["marketing_email"].setChecked(True)
    dialog.relation.setCurrentIndex(dialog.relation.findData("representative"))
    assert dialog.requester.isVisible()
    assert not dialog.ok_button.isEnabled() and "requester" in dialog.hint.text()
    dialog.requester.setText("Petr Novák")
    assert dialog.ok_button.isEnabled()
    assert dialog.values()["purposes"] == ["marketing_email"]
    assert dialog.values()["requester_name"] == "Petr Novák"


# --- identity ----------------------------------------------------------------------------------


async def test_proof_of_identity_is_asked_for_and_then_recorded_with_who_verified_how(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    customer = await _customer(console_db, 1)
    created = await _registered(officer, customer, "access", verified=False)
    await _selected(pane, created["id"])
    assert "[Received]" in pane.detail.step_bar.text()
    complete = pane.action_button("complete")
    assert complete is not None and not complete.isEnabled()
    assert "identity" in complete.toolTip()

    pane.run_action("ask_identity")
    asking = await _dialog(pane, TextStepDialog)
    QTest.keyClicks(asking.text, "Reply from the registered e-mail address")
    QTest.mouseClick(asking.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, asking)
    await until(lambda: "[Identity]" in pane.detail.step_bar.text(), what="the step bar on Identity")
    assert "waiting for the subject" in pane.detail.fields["identity"].text()

    pane.run_action("verify_identity")
    verifying = await _dialog(pane, IdentityVerificationDialog)
    verifying.check.setCurrentIndex(verifying.check.findData("registered_email_reply"))
    assert not verifying.ok_button.isEnabled(), "what was compared is required"
    QTest.keyClicks(verifying.detail, "Reply from jana@example.cz, the registered address")
    _picture(pane, verifying, "identity")
    QTest.mouseClick(verifying.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, verifying)

    await until(lambda: "[In progress]" in pane.detail.step_bar.text(), what="the step bar on In progress")
    identity = pane.detail.fields["identity"].text()
    assert "Reply from the registered e-mail" in identity
    assert "jana@example.cz" in identity
    assert "Identity verified." in pane.detail.work.status.text()
    row = await _request_row(console_db, created["id"])
    assert (row.state, row.identity_check) == ("in_progress", "registered_email_reply")
    assert row.identity_verified_by_id is not None


# --- access --------------------------------------------------------------------------------------


async def test_an_access_request_is_answered_with_a_package_saved_to_a_file_and_completed(
    pane: PrivacyPane, officer: BackendClient, console_db: Database, tmp_path: Path
) -> None:
    customer = await _customer(console_db, 2)
    created = await _registered(officer, customer, "access")
    await _selected(pane, created["id"])

    # Completing before the package exists: the dialog names what is missing and stays open.
    pane.run_action("complete")
    early = await _dialog(pane, CompletionDialog)
    QTest.keyClicks(early.outcome, "Your data is attached.")
    QTest.mouseClick(early.ok_button, Qt.MouseButton.LeftButton)
    await until(early.error.isVisible, what="the server's reason in the dialog")
    assert "package" in early.error.text().lower()
    assert early.isVisible()
    _picture(pane, early, "completion_missing")
    early.reject()
    await _closed(pane, early)

    pane.run_action("build_package")
    await until(lambda: pane.detail.work.packages.rowCount() == 1, what="the package in the list")
    assert "Package built" in pane.detail.work.status.text()
    assert pane.detail.work.save_package_button.isEnabled()

    # "Save…" asks for the file (named after the request); the download is written off the GUI thread.
    target = tmp_path / f"{created['number']}.zip"
    QTest.mouseClick(pane.detail.work.save_package_button, Qt.MouseButton.LeftButton)
    await until(lambda: _file_dialog() is not None, what="the save dialog")
    chooser = _file_dialog()
    assert chooser is not None
    chooser.setOption(QFileDialog.Option.DontConfirmOverwrite)
    chooser.setDirectory(str(tmp_path))
    _picture(pane, chooser, "package_save")
    chooser.accept()
    await until(lambda: "saved" in pane.detail.work.status.text(), what="the package saved")
    assert str(target) in pane.detail.work.status.text()

    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        names = archive.namelist()
        json_names = [n for n in names if n.endswith(".json")]
        assert json_names, names
        json.loads(archive.read(json_names[0]))
    await until(lambda: _cell(pane.detail.work.packages, 0, 4) == "1", what="the download counted")

    pane.run_action("complete")
    completing = await _dialog(pane, CompletionDialog)
    QTest.keyClicks(completing.outcome, "Your data was sent as a ZIP archive.")
    completing.channel.setCurrentIndex(completing.channel.findData("email"))
    QTest.mouseClick(completing.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, completing)
    await until(lambda: "[Completed]" in pane.detail.step_bar.text(), what="the step bar on Completed")
    row = await _request_row(console_db, created["id"])
    assert (row.state, row.answer_channel) == ("completed", "email")
    assert pane.action_button("complete") is None, "a completed request has no more steps"


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def _file_dialog() -> QFileDialog | None:
    from PySide6.QtWidgets import QApplication
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)


# --- erasure ---------------------------------------------------------------------------------------


async def test_an_erasure_is_executed_after_the_customer_is_typed_and_its_report_and_letters_shown(
    pane: PrivacyPane, officer: BackendClient, console_db: Database, tmp_path: Path
) -> None:
    customer = await _customer(console_db, 3)
    created = await _registered(officer, customer, "erasure")
    await _selected(pane, created["id"])
    work = pane.detail.work
    assert work.plan.rowCount() > 0, "the plan lists the record classes"
    actions = {_cell(work.plan, r, 2) for r in range(work.plan.rowCount())}
    assert actions & {"Delete", "Anonymise", "Keep"}

    pane.run_action("execute_erasure")
    confirm = await _dialog(pane, ErasureConfirmDialog)
    assert customer.name in confirm.intro.text()
    confirm.confirmation.setText(customer.name[:-1])  # names are not ASCII: QTest types ASCII only
    assert not confirm.ok_button.isEnabled(), "a name that does not match keeps the button disabled"
    confirm.confirmation.setText(customer.name + "x")
    assert not confirm.ok_button.isEnabled()
    confirm.confirmation.clear()
    QTest.keyClicks(confirm.confirmation, customer.customer_number)
    assert confirm.ok_button.isEnabled()
    _picture(pane, confirm, "erasure_confirm")
    QTest.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)

    report = await _dialog(pane, ErasureReportDialog)
    assert "no longer resolve" in report.verdict.text()
    assert "Kept" in report.texts["report"].toPlainText()
    assert report.texts["letter_cs"].toPlainText().strip()
    assert report.texts["letter_en"].toPlainText().strip()
    report.tabs.setCurrentIndex(2)
    _picture(pane, report, "erasure_report")
    await report.save_to(str(tmp_path / "letter.txt"))
    assert (tmp_path / "letter.txt").read_text("utf-8") == report.texts["letter_en"].toPlainText()
    report.close()

    async with console_db.sessions() as session:
        erased = await session.get(Customer, customer.id)
        erasures = (await session.scalars(select(Erasure).where(Erasure.request_id == created["id"]))).all()
    assert erased is not None and erased.erased_at is not None
    assert len(erasures) == 1
    await until(lambda: pane.action_button("erasure_report") is not None, what="the report action")


# --- refusal ---------------------------------------------------------------------------------------


async def test_a_refusal_needs_the_reason_and_the_uoou_notice(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    customer = await _customer(console_db, 4)
    created = await _registered(officer, customer, "objection", verified=False)
    await _selected(pane, created["id"])

    pane.run_action("refuse")
    dialog = await _dialog(pane, RefusalDialog)
    QTest.keyClicks(dialog.reason, "The objection concerns billing, which the contract requires.")
    assert not dialog.ok_button.isEnabled()
    assert "ÚOOÚ" in dialog.hint.text()
    _picture(pane, dialog, "refusal")
    dialog.notice.setChecked(True)
    assert dialog.ok_button.isEnabled()
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, dialog)

    await until(lambda: pane.workflow.request is not None and pane.workflow.request.state == "refused",
                what="the request refused")
    assert "[Refused]" in pane.detail.step_bar.text()
    row = await _request_row(console_db, created["id"])
    assert (row.state, row.authority_notice) == ("refused", True)
    assert row.refusal_reason == "The objection concerns billing, which the contract requires."


# --- consent withdrawal ----------------------------------------------------------------------------


async def test_a_consent_withdrawal_is_done_with_one_click_per_purpose_and_completed(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    customer = await _customer(console_db, 5)
    created = await _registered(officer, customer, "consent_withdrawal",
                                purposes=["marketing_email", "marketing_push"])
    await _selected(pane, created["id"])
    work = pane.detail.work
    assert set(work.consent_buttons) == {"marketing_email", "marketing_push"}
    _picture(pane, None, "consents")

    def withdrawn(purpose: str) -> bool:
        label = work.consent_labels.get(purpose)
        return label is not None and "withdrawn" in label.text()

    for purpose in ("marketing_email", "marketing_push"):
        QTest.mouseClick(work.consent_buttons[purpose], Qt.MouseButton.LeftButton)
        await until(functools.partial(withdrawn, purpose), what=f"{purpose} withdrawn")
        assert not work.consent_buttons[purpose].isEnabled()

    pane.run_action("complete")
    dialog = await _dialog(pane, CompletionDialog)
    QTest.keyClicks(dialog.outcome, "You will no longer receive marketing.")
    _picture(pane, dialog, "completion")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, dialog)
    await until(lambda: pane.workflow.request is not None and pane.workflow.request.state == "completed",
                what="the request completed")

    async with console_db.sessions() as session:
        events = (await session.scalars(select(ConsentEvent).where(ConsentEvent.request_id == created["id"]))).all()
        subject = await session.get(Customer, customer.id)
    assert {(e.purpose, e.granted) for e in events} == {("marketing_email", False), ("marketing_push", False)}
    assert subject is not None and not subject.marketing_email and not subject.marketing_push


# --- offline -----------------------------------------------------------------------------------------


async def test_offline_the_steps_are_disabled_and_say_why_while_the_note_stays_available(
    pane: PrivacyPane, officer: BackendClient, officer_data: DataAccess, console_db: Database
) -> None:
    customer = await _customer(console_db, 6)
    created = await _registered(officer, customer, "access", verified=False)
    await _selected(pane, created["id"])
    verify = pane.action_button("verify_identity")
    assert verify is not None and verify.isEnabled()

    officer_data._on_stream_state(StreamState.OFFLINE)  # what the live link reports after failing

    verify = pane.action_button("verify_identity")
    assert verify is not None and not verify.isEnabled()
    assert "offline" in verify.toolTip()
    assert not pane.new_button.isEnabled() and "offline" in pane.new_button.toolTip()
    QTest.keyClicks(pane.detail.note_edit, "Called the subject.")
    assert pane.detail.add_note_button.isEnabled(), "notes go to the outbox"
    verify = pane.action_button("verify_identity")
    assert verify is not None and not verify.isEnabled()
    _picture(pane, None, "offline")

    officer_data._on_stream_state(StreamState.ONLINE)
    verify = pane.action_button("verify_identity")
    assert verify is not None and verify.isEnabled()


# --- from a ticket -----------------------------------------------------------------------------------


async def test_a_request_started_from_a_ticket_is_prefilled_and_linked_to_it(
    pane: PrivacyPane, officer_data: DataAccess, qtbot: QtBot, console_db: Database
) -> None:
    async with console_db.sessions() as session:
        ticket = (await session.scalars(select(Ticket).where(Ticket.customer_id.is_not(None))
                                        .order_by(Ticket.number).limit(1))).one()
        customer = await session.get(Customer, ticket.customer_id)
    assert customer is not None
    queue, editor = TicketQueueModel(officer_data), TicketEditor(officer_data)
    tickets = TicketsPane(queue, editor)
    qtbot.addWidget(tickets)
    start = tickets.findChild(QPushButton, "ticket-start-privacy-request")
    assert start is not None and start.isHidden(), "offered only once the privacy pane is wired in"
    tickets.set_privacy_intake(pane.new_request)
    await editor.open(ticket.id)
    assert not start.isHidden()

    QTest.mouseClick(start, Qt.MouseButton.LeftButton)

    dialog = await _dialog(pane, PrivacyIntakeDialog)
    assert ticket.title in dialog.text.toPlainText()
    assert ticket.number in dialog.ticket_label.text()
    await until(lambda: dialog.subject is not None, what="the ticket's customer as the subject")
    assert dialog.subject is not None and dialog.subject.customer_id == customer.id
    dialog.right.setCurrentIndex(dialog.right.findData("erasure"))
    _picture(pane, dialog, "intake_from_ticket")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, dialog)

    created = dialog.created
    assert created is not None
    row = await _request_row(console_db, created.id)
    assert (row.ticket_id, row.customer_id, row.right) == (ticket.id, customer.id, "erasure")
    async with console_db.sessions() as session:
        entries = (await session.scalars(select(TicketEntry).where(TicketEntry.ticket_id == ticket.id))).all()
    assert any(created.number in (e.body or "") for e in entries), "the ticket's history names the request"
    queue.close()
    editor.close()


# --- extension -----------------------------------------------------------------------------------------


async def test_an_extension_is_recorded_with_its_reason_and_refused_after_the_first_month(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    late = next(r for r in (await officer.privacy_requests(limit=500)).items
                if r.state not in ("completed", "refused") and r.extended_due_at is None
                and r.extension_notice_due_at < datetime.now(UTC))
    await _selected(pane, late.id)
    extend = pane.action_button("extend")
    assert extend is not None and not extend.isEnabled()
    assert "Too late" in extend.toolTip()

    customer = await _customer(console_db, 7)
    created = await _registered(officer, customer, "portability", verified=False)
    await _selected(pane, created["id"])
    pane.run_action("extend")
    dialog = await _dialog(pane, ExtensionDialog)
    assert dialog.months.value() == 2
    QTest.keyClicks(dialog.reason, "Twelve stations and five years of sessions to collect")
    _picture(pane, dialog, "extension")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, dialog)

    await until(lambda: "[Extended]" in pane.detail.step_bar.text(), what="the step bar on Extended")
    assert "Twelve stations" in pane.detail.fields["extension"].text()
    assert pane.action_button("extend") is None, "a request is extended once"
    row = await _request_row(console_db, created["id"])
    assert row.state == "extended" and row.extended_due_at is not None
    assert row.extension_reason == "Twelve stations and five years of sessions to collect"


# --- restriction and recipients -------------------------------------------------------------------------


async def test_a_restriction_is_placed_lifted_only_after_the_subject_was_told_and_recipients_notified(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    async with console_db.sessions() as session:
        customer = (await session.scalars(
            select(Customer).join(RecipientDisclosure, RecipientDisclosure.customer_id == Customer.id)
            .where(Customer.erased_at.is_(None), Customer.restricted_at.is_(None))
            .order_by(Customer.customer_number).limit(1))).one()
    created = await _registered(officer, customer, "restriction")
    await _selected(pane, created["id"])
    work = pane.detail.work

    pane.run_action("place_restriction")
    placing = await _dialog(pane, TextStepDialog)
    QTest.keyClicks(placing.text, "The subject contests the billing address")
    QTest.mouseClick(placing.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, placing)
    await until(lambda: "Restricted since" in work.summary.text(), what="the restriction shown")
    async with console_db.sessions() as session:
        restricted = await session.get(Customer, customer.id)
    assert restricted is not None and restricted.restricted_at is not None
    lift = pane.action_button("lift_restriction")
    assert lift is not None and not lift.isEnabled() and "told" in lift.toolTip()

    pane.run_action("restriction_notice")
    telling = await _dialog(pane, ChannelStepDialog)
    QTest.mouseClick(telling.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, telling)
    await until(lambda: (button := pane.action_button("lift_restriction")) is not None and button.isEnabled(),
                what="lifting allowed")

    pane.run_action("notify_recipients")
    await until(lambda: work.notices.rowCount() > 0, what="the notices to recipients")
    assert "Notices opened" in work.status.text()
    work.notices.selectRow(0)
    assert work.notice_buttons["notified"].isEnabled() and not work.notice_buttons["acknowledged"].isEnabled()
    QTest.mouseClick(work.notice_buttons["notified"], Qt.MouseButton.LeftButton)
    await until(lambda: _cell(work.notices, 0, 2) == "Notified", what="the notice marked notified")
    _picture(pane, None, "restriction")
    if work.notices.rowCount() > 1:
        work.notices.selectRow(1)
        QTest.mouseClick(work.notice_buttons["exempted"], Qt.MouseButton.LeftButton)
        exempting = await _dialog(pane, TextStepDialog)
        QTest.keyClicks(exempting.text, "The recipient no longer exists")
        QTest.mouseClick(exempting.ok_button, Qt.MouseButton.LeftButton)
        await _closed(pane, exempting)
        await until(lambda: _cell(work.notices, 1, 2) == "Exempted", what="the notice exempted")
        assert _cell(work.notices, 1, 3) == "The recipient no longer exists"

    pane.run_action("lift_restriction")
    lifting = await _dialog(pane, TextStepDialog)
    QTest.keyClicks(lifting.text, "The address was confirmed correct")
    QTest.mouseClick(lifting.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, lifting)
    await until(lambda: "Lifted" in work.summary.text(), what="the restriction lifted")
    async with console_db.sessions() as session:
        lifted = await session.get(Customer, customer.id)
    assert lifted is not None and lifted.restricted_at is None


# --- the workflow's rules, without a server ---------------------------------------------------------------


def _detail(**changes: Any) -> PrivacyRequestDetail:
    received = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    due = datetime(2026, 2, 28, 23, 59, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": "r1", "number": "P-2026-00001", "right": "access", "customer_id": "c1", "subject_name": "Jana Nová",
        "requester_relation": "subject", "channel": "email", "received_at": received,
        "due_at": due, "effective_due_at": due, "extension_notice_due_at": due, "state": "in_progress", "version": 3,
        "identity_verified_at": received, "identity_check": "signed_in_app"}
    values.update(changes)
    return PrivacyRequestDetail.model_validate(values)


def test_the_deadline_warning_is_red_when_overdue_and_amber_a_week_ahead() -> None:
    now = datetime(2026, 2, 25, 12, tzinfo=UTC)
    overdue = deadline_warning(_detail(overdue=True, warning="overdue"), now)
    assert overdue is not None and overdue[0] == "danger" and "OVERDUE" in overdue[1]
    soon = deadline_warning(_detail(warning="due_soon"), now)
    assert soon is not None and soon[0] == "warning" and "in 3 days" in soon[1]
    notice = deadline_warning(_detail(warning="ok", notice_warning="due_soon"), now)
    assert notice is not None and notice[0] == "warning" and "extension" in notice[1]
    assert deadline_warning(_detail(warning="ok", notice_warning="ok"), now) is None
    assert deadline_warning(_detail(state="completed", overdue=True), now) is None


def test_the_step_bar_shows_the_extension_only_when_extended_and_names_the_end() -> None:
    plain = [s.label for s in step_bar(_detail())]
    assert plain == ["Received", "Identity", "In progress", "Completed"]
    extended = step_bar(_detail(state="extended", extended_due_at=datetime(2026, 4, 30, tzinfo=UTC)))
    assert [s.label for s in extended][3] == "Extended" and extended[3].status == "current"
    refused = step_bar(_detail(state="refused", identity_verified_at=None))
    assert refused[-1].label == "Refused" and refused[-1].status == "current"
    assert refused[1].status == "skipped", "refused without identity verified"


def test_completion_waits_for_the_identity_and_a_closed_request_offers_no_steps() -> None:
    now = datetime(2026, 2, 10, tzinfo=UTC)
    unverified = {a.key: a for a in actions(_detail(identity_verified_at=None, identity_check=None), now=now,
                                             online=True)}
    assert not unverified["complete"].enabled and "identity" in (unverified["complete"].reason or "")
    assert not unverified["build_package"].enabled
    assert unverified["refuse"].enabled, "a request may be refused without a verified identity"
    assert actions(_detail(state="completed"), now=now, online=True) == []


# --- rectification ------------------------------------------------------------------------------------------


async def test_a_rectification_shows_the_corrections_made_under_it_and_opens_the_customer(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    customer = await _customer(console_db, 8)
    created = await _registered(officer, customer, "rectification")
    detail = await officer.call("GET", f"/customers/{customer.id}")
    await officer.call("PATCH", f"/customers/{customer.id}", if_match=detail["version"],
                       json={"billing_city": "Horní Dolní", "privacy_request_id": created["id"]})
    await _selected(pane, created["id"])
    assert "billing_city" in pane.detail.work.summary.text()
    opened: list[str] = []
    pane.customer_requested.connect(opened.append)

    pane.run_action("open_customer")

    assert opened == [customer.id]


async def test_a_rectification_is_made_in_the_pane_recorded_under_the_request_and_completed(
    pane: PrivacyPane, officer: BackendClient, console_db: Database
) -> None:
    customer = await _customer(console_db, 9)
    created = await _registered(officer, customer, "rectification")
    await _selected(pane, created["id"])

    pane.run_action("rectify")
    dialog = await _dialog(pane, RectificationDialog)
    assert dialog.edits["name"].text() == customer.name
    assert not dialog.ok_button.isEnabled()  # nothing changed yet
    dialog.edits["billing_city"].setText("Frydek-Mistek")
    assert dialog.ok_button.isEnabled()
    _picture(pane, dialog, "rectification")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await _closed(pane, dialog)

    await until(lambda: "billing_city" in pane.detail.work.summary.text(), what="the correction listed")
    async with console_db.sessions() as session:
        corrected = await session.get(Customer, customer.id)
    assert corrected is not None and corrected.billing_city == "Frydek-Mistek"
    done = await officer.call("POST", f"/privacy-requests/{created['id']}/completion",
                              json={"outcome": "Your billing address is corrected.", "answer_channel": "email"})
    assert done["state"] == "completed"
