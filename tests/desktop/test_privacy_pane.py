"""The PRIVACY REQUESTS pane against a real ema-server with the small demo data: deadline order,
overdue and due-soon markers, the counts in the header, "Open only", the selected request's facts,
the list keeping up with changes, and internal notes (kept in the outbox while the server is away,
marked until it has them)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import PrivacyRequestItem
from ema_desktop.data.access import DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.models.customers import PendingRole
from ema_desktop.models.privacy import DANGER, WARNING, PrivacyRequestModel
from ema_desktop.views.privacy_pane import PrivacyPane
from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.db.models import PrivacyRequestEntry
from tests.desktop.waiting import until
from tests.live_server import RunningServer

API = "/api/v1"
CLOSED = ("completed", "refused")
M = PrivacyRequestModel


@pytest.fixture
async def requests(backend: BackendClient) -> list[PrivacyRequestItem]:
    """Every request of the demo data, straight from the server."""
    return (await backend.privacy_requests(limit=500)).items


async def _shown_pane(qtbot: QtBot, data: DataAccess) -> tuple[PrivacyPane, PrivacyRequestModel]:
    model = PrivacyRequestModel(data)
    widget = PrivacyPane(model)
    model.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    await until(widget.has_data, what="the requests")
    return widget, model


@pytest.fixture
async def pane(qtbot: QtBot, data_access: DataAccess) -> AsyncIterator[PrivacyPane]:
    widget, model = await _shown_pane(qtbot, data_access)
    yield widget
    await until(lambda: not model.loading, what="the last reload")


@pytest.fixture
async def local_pane(qtbot: QtBot, local_access: DataAccess) -> AsyncIterator[PrivacyPane]:
    widget, model = await _shown_pane(qtbot, local_access)
    yield widget
    await until(lambda: not model.loading, what="the last reload")


def _model(pane: PrivacyPane) -> PrivacyRequestModel:
    model = pane.table.model()
    assert isinstance(model, PrivacyRequestModel)
    return model


def _shown(pane: PrivacyPane) -> list[PrivacyRequestItem]:
    model = _model(pane)
    return [model.request_at(row) for row in range(model.rowCount())]


def _colour(pane: PrivacyPane, row: int, column: int) -> QColor | None:
    brush = _model(pane).index(row, column).data(Qt.ItemDataRole.ForegroundRole)
    return brush.color() if isinstance(brush, QBrush) else None


def _bold(pane: PrivacyPane, row: int, column: int) -> bool:
    font = _model(pane).index(row, column).data(Qt.ItemDataRole.FontRole)
    return isinstance(font, QFont) and font.bold()


async def test_overdue_requests_come_first_in_red_and_bold(pane: PrivacyPane,
                                                            requests: list[PrivacyRequestItem]) -> None:
    overdue = {r.id for r in requests if r.overdue}
    assert overdue, "the demo data has overdue requests"
    shown = _shown(pane)

    assert {r.id for r in shown[:len(overdue)]} == overdue
    for row in range(len(overdue)):
        assert "overdue" in _model(pane).index(row, M.DUE).data()
        assert _colour(pane, row, M.DUE) == QColor(DANGER)
        assert _bold(pane, row, M.DUE)
    rest = shown[len(overdue):]
    assert [r.effective_due_at for r in rest] == sorted(r.effective_due_at for r in rest)
    assert not any("overdue" in _model(pane).index(row, M.DUE).data() for row in range(len(overdue), len(shown)))


async def test_requests_due_within_a_week_are_amber_with_the_extension_notice_in_the_tooltip(
    pane: PrivacyPane, requests: list[PrivacyRequestItem]
) -> None:
    soon = [r for r in _shown(pane) if r.warning == "due_soon"]
    assert soon, "the demo data has requests due within seven days"
    for request in soon:
        row = _model(pane).row_of(request.id)
        assert row is not None
        assert _colour(pane, row, M.DUE) == QColor(WARNING)
        due = _model(pane).index(row, M.DUE).data()
        assert any(word in due for word in ("in ", "today", "tomorrow"))
    unextended = next(r for r in _shown(pane) if r.state != "extended")
    tooltip = _model(pane).index(_model(pane).row_of(unextended.id) or 0, M.DUE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Extension must be notified by" in tooltip


async def test_the_header_counts_match_the_data(pane: PrivacyPane, requests: list[PrivacyRequestItem]) -> None:
    open_ = [r for r in requests if r.state not in CLOSED]
    overdue = sum(1 for r in open_ if r.overdue)
    soon = sum(1 for r in open_ if r.warning == "due_soon" and not r.overdue)

    assert pane.summary_text() == (f"{len(requests)} requests · {len(open_)} open · {overdue} overdue · "
                                   f"{soon} due within 7 days")
    assert _model(pane).overdue_count() == overdue


async def test_open_only_hides_completed_and_refused_requests(pane: PrivacyPane,
                                                              requests: list[PrivacyRequestItem]) -> None:
    closed = [r for r in requests if r.state in CLOSED]
    assert closed, "the demo data has closed requests"
    assert pane.open_only_box.isChecked()
    assert len(_shown(pane)) == len(requests) - len(closed)
    assert not any(r.state in CLOSED for r in _shown(pane))

    QTest.mouseClick(pane.open_only_box, Qt.MouseButton.LeftButton)

    shown = _shown(pane)
    assert len(shown) == len(requests)
    assert all(r.state in CLOSED for r in shown[-len(closed):]), "closed requests come last"
    closed_row = len(shown) - 1
    assert _model(pane).index(closed_row, M.STATE).data() in ("Completed", "Refused")
    assert "overdue" not in _model(pane).index(closed_row, M.DUE).data()


async def test_selecting_a_request_shows_its_key_facts(pane: PrivacyPane) -> None:
    request = next(r for r in _shown(pane) if r.requester_relation != "subject" and r.state != "extended")
    assert pane.select_request(request.id)

    detail = pane.detail
    assert detail.isVisible()
    assert request.number in detail.title.text()
    assert detail.fields["subject"].text() == request.subject_name
    requester = detail.fields["requester"].text()
    assert request.requester_name is not None and request.requester_name in requester
    assert request.requester_relation.replace("_", " ") in requester
    assert detail.fields["received"].text() != ""
    assert detail.fields["due"].text() != ""
    assert detail.fields["deadline_note"].isVisible()  # the extension notice date, while it matters
    # The table names the requester the same way.
    row = _model(pane).row_of(request.id)
    assert row is not None and _model(pane).index(row, M.REQUESTER).data() == requester


async def test_a_colleagues_change_shows_up_and_keeps_the_selection(
    pane: PrivacyPane, data_access: DataAccess, backend: BackendClient
) -> None:
    data_access.start_live()
    await until(lambda: data_access.connection == "online", what="the live link")
    request = next(r for r in _shown(pane) if r.state == "received")
    pane.select_request(request.id)

    # A colleague starts work on the request on another console.
    token = await backend.access_token()
    headers = {"Authorization": f"Bearer {token}", "If-Match": f'"{request.version}"'}
    answer = await backend.http.patch(f"{API}/privacy-requests/{request.id}", json={"state": "in_progress"},
                                      headers=headers)
    assert answer.status_code == 200

    def state_shown() -> str:
        row = _model(pane).row_of(request.id)
        return "" if row is None else str(_model(pane).index(row, M.STATE).data())

    await until(lambda: state_shown() == "In progress", what="the new state in the list")
    assert pane.detail.fields["state"].text() == "In progress"
    selected = pane.table.selectionModel().selectedRows()
    assert [_model(pane).request_at(i.row()).id for i in selected] == [request.id]
    await data_access.stop_live()


async def test_a_burst_of_change_events_reloads_the_list_once(pane: PrivacyPane, data_access: DataAccess) -> None:
    model = _model(pane)
    reloads: list[bool] = []
    model.loading_changed.connect(lambda loading: reloads.append(loading) if loading else None)

    for request in _shown(pane)[:5]:
        data_access.privacy_request_changed.emit(request.id)
    await until(lambda: reloads and not model.loading, what="the reload")
    await asyncio.sleep(0.5)

    assert reloads == [True]


# --- internal notes -----------------------------------------------------------------------------


def _local(data: DataAccess) -> LocalData:
    assert data.local is not None
    return data.local


async def _notes_on_server(db: Database, request_id: str, note: str) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(
            select(func.count()).select_from(PrivacyRequestEntry).where(
                PrivacyRequestEntry.request_id == request_id, PrivacyRequestEntry.kind == "note",
                PrivacyRequestEntry.body == note)
        ) or 0)


def _marker(pane: PrivacyPane, request_id: str) -> object:
    row = _model(pane).row_of(request_id)
    assert row is not None
    return _model(pane).index(row, M.SUBJECT).data(PendingRole)


async def test_a_note_added_while_the_server_is_away_is_marked_until_the_server_has_it_once(
    local_pane: PrivacyPane, local_access: DataAccess, console_server: RunningServer, console_db: Database
) -> None:
    pane = local_pane
    request = next(r for r in _shown(pane) if r.state == "in_progress")
    assert pane.select_request(request.id)
    note = "Called the subject back; the export goes out by registered letter."
    port = int(console_server.url.rsplit(":", 1)[1])
    await console_server.stop()

    QTest.keyClicks(pane.detail.note_edit, note)
    QTest.mouseClick(pane.detail.add_note_button, Qt.MouseButton.LeftButton)

    await until(lambda: _marker(pane, request.id) == "not sent yet", what="the not-sent-yet marker")
    assert pane.detail.pending_chip.isVisible()
    assert "Not sent yet" in pane.detail.pending_chip.toolTip()
    assert pane.detail.note_edit.toPlainText() == ""
    assert pane.detail.note_status.text() == "Note added."
    row = _model(pane).row_of(request.id)
    assert row is not None
    assert "Not sent yet" in _model(pane).index(row, M.SUBJECT).data(Qt.ItemDataRole.ToolTipRole)
    assert [_model(pane).request_at(i.row()).id for i in pane.table.selectionModel().selectedRows()] == [request.id]

    restarted = RunningServer(create_app(console_db, housekeeping=False), port=port)
    await restarted.start()
    try:
        await _local(local_access).send_now()
        await until(lambda: _marker(pane, request.id) is None, what="the marker to go")
        assert not pane.detail.pending_chip.isVisible()
        assert await _notes_on_server(console_db, request.id, note) == 1, "the note arrived exactly once"
        assert await _local(local_access).outbox_counts() == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
        await until(lambda: not _local(local_access).syncing, what="the pull after sending")
        await until(lambda: not _model(pane).loading, what="the last reload")
    finally:
        await restarted.stop()


async def test_an_empty_note_is_refused_with_a_message_and_nothing_is_queued(
    local_pane: PrivacyPane, local_access: DataAccess
) -> None:
    pane = local_pane
    request = _shown(pane)[0]
    pane.select_request(request.id)

    QTest.keyClicks(pane.detail.note_edit, "   ")
    assert not pane.detail.add_note_button.isEnabled(), "nothing to add yet"
    pane.add_note()

    await until(pane.detail.note_status.isVisible, what="the message")
    assert "empty note" in pane.detail.note_status.text()
    assert await _local(local_access).outbox_counts() == {"pending": 0, "sending": 0, "conflict": 0, "failed": 0}
    assert _marker(pane, request.id) is None


async def test_a_note_being_written_is_kept_while_another_request_is_looked_at(local_pane: PrivacyPane) -> None:
    pane = local_pane
    first, second = _shown(pane)[:2]
    pane.select_request(first.id)
    QTest.keyClicks(pane.detail.note_edit, "Identity checked at the counter")

    pane.select_request(second.id)
    assert pane.detail.note_edit.toPlainText() == ""
    assert not pane.detail.add_note_button.isEnabled()
    pane.select_request(first.id)

    assert pane.detail.note_edit.toPlainText() == "Identity checked at the counter"
    assert pane.detail.add_note_button.isEnabled()


async def test_the_selected_request_shows_where_it_stands_and_its_history(pane: PrivacyPane) -> None:
    request = next(r for r in _shown(pane) if r.state == "in_progress")
    assert pane.select_request(request.id)

    await until(lambda: pane.workflow.request is not None and pane.workflow.request.id == request.id,
                what="the request's detail")
    assert "[In progress]" in pane.detail.step_bar.text()
    assert "registered" in pane.detail.history.toPlainText()
    complete = pane.action_button("complete")
    assert complete is not None, "an open request can be completed from the pane"
    await until(lambda: not pane.workflow.busy, what="the detail's last load")
