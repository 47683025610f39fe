"""The conflict dialog: both versions side by side, and each button settles the write its way.
The decisions behind it (which fields, what a merge starts from) are checked without a window."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ema_desktop.cache.conflicts import ConflictView
from ema_desktop.cache.outbox import OutboxEntry
from ema_desktop.views.conflict_dialog import ConflictDialog

SERVER = {
    "id": "t1", "number": "T-2026-000123", "version": 5, "state": "in_progress", "priority": "high",
    "owner_id": "op-jana", "title": "Stanice hlásí GroundFailure",
    "description": "Zákazník volal dvakrát, stanice po dešti vypíná.",
}
MINE = {"title": "Vadný proudový chránič", "state": "resolved", "priority": "high",
        "description": "Vyměněn proudový chránič, stanice nabíjí."}


def conflicted(body: dict[str, Any], current: dict[str, Any], entity: str = "ticket") -> OutboxEntry:
    return OutboxEntry(
        seq=12, idempotency_key="k-1", action=f"{entity}_update", entity=entity, entity_id=str(current["id"]),
        method="PATCH", path=f"/api/v1/{entity}s/{current['id']}", body=body, if_match=3, upload_name=None,
        has_upload=False, summary="State → resolved", created_at="2026-06-01T08:00:00Z", state="conflict",
        attempts=1, last_error=None, conflict=current, base=None,
    )


@pytest.fixture
def dialog(qtbot: QtBot) -> ConflictDialog:
    window = ConflictDialog(ConflictView.from_entry(conflicted(MINE, SERVER)),
                            names={"op-jana": "Jana Nováková"})
    qtbot.addWidget(window)
    window.open()
    return window


def choices(window: ConflictDialog) -> list[tuple[str, Any]]:
    emitted: list[tuple[str, Any]] = []
    window.resolved.connect(lambda choice, merged: emitted.append((choice, merged)))
    return emitted


# --- what the dialog shows ----------------------------------------------------------------------


def test_dialog_names_the_ticket_and_shows_both_versions(dialog: ConflictDialog) -> None:
    assert dialog.title_label.text() == "Ticket T-2026-000123 was changed by someone else"
    assert dialog.isVisible()
    assert dialog.cells[("state", "mine")].text() == "Resolved"
    assert dialog.cells[("state", "theirs")].text() == "In progress"
    assert dialog.cells[("title", "mine")].text() == "Vadný proudový chránič"
    assert dialog.cells[("title", "theirs")].text() == "Stanice hlásí GroundFailure"
    # Differing values are marked; a field both sides agree on is not.
    assert dialog.cells[("state", "mine")].property("differs") is True
    assert dialog.cells[("priority", "mine")].property("differs") is False
    assert dialog.cells[("priority", "theirs")].text() == "High"


def test_merge_editor_starts_with_their_text_then_mine(dialog: ConflictDialog) -> None:
    texts = dialog.merged_texts()
    assert texts["description"] == ("Zákazník volal dvakrát, stanice po dešti vypíná.\n\n"
                                    "Vyměněn proudový chránič, stanice nabíjí.")
    assert texts["title"] == "Stanice hlásí GroundFailure / Vadný proudový chránič"
    assert dialog.merge_button.isEnabled()


def test_owner_is_shown_by_name(qtbot: QtBot) -> None:
    window = ConflictDialog(ConflictView.from_entry(conflicted({"owner_id": "op-petr"}, SERVER)),
                            names={"op-jana": "Jana Nováková", "op-petr": "Petr Svoboda"})
    qtbot.addWidget(window)
    assert (window.cells[("owner_id", "mine")].text(), window.cells[("owner_id", "theirs")].text()) == (
        "Petr Svoboda", "Jana Nováková")
    assert not window.merge_button.isEnabled()  # nothing to merge in an owner


# --- what each button does ----------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_apply_mine_and_keep_theirs_emit_the_choice_and_close(dialog: ConflictDialog, choice: str) -> None:
    emitted = choices(dialog)
    button = dialog.mine_button if choice == "mine" else dialog.theirs_button

    button.click()

    assert emitted == [(choice, None)]
    assert not dialog.isVisible()


def test_merge_emits_the_edited_texts(dialog: ConflictDialog) -> None:
    emitted = choices(dialog)
    editor = dialog.merge_editors["description"]
    editor.setPlainText("Po dešti vypínala; vyměněn proudový chránič, stanice nabíjí.")  # type: ignore[union-attr]

    dialog.merge_button.click()

    assert emitted == [("merge", {
        "title": "Stanice hlásí GroundFailure / Vadný proudový chránič",
        "description": "Po dešti vypínala; vyměněn proudový chránič, stanice nabíjí.",
    })]
    assert not dialog.isVisible()


def test_merge_is_refused_while_a_merged_text_is_empty(dialog: ConflictDialog) -> None:
    emitted = choices(dialog)
    dialog.merge_editors["title"].setText("   ")  # type: ignore[union-attr]

    assert not dialog.merge_button.isEnabled()
    assert dialog.merge_problem.isVisibleTo(dialog)
    dialog.merge_button.click()
    assert emitted == []

    dialog.merge_editors["title"].setText("Vadný chránič")  # type: ignore[union-attr]
    assert dialog.merge_button.isEnabled()


def test_contact_conflict_offers_no_merge(qtbot: QtBot) -> None:
    current = {"id": "c1", "name": "Soňa Hudcová", "email": "sona@example.cz", "phone": "+420722752693", "version": 2}
    window = ConflictDialog(ConflictView.from_entry(conflicted({"email": "novy@example.cz"}, current, "contact")))
    qtbot.addWidget(window)
    window.open()
    emitted = choices(window)

    assert window.title_label.text() == "Contact Soňa Hudcová was changed by someone else"
    assert window.cells[("email", "theirs")].text() == "sona@example.cz"
    assert not window.merge_button.isEnabled()
    assert window.merge_editors == {}
    window.mine_button.click()
    assert emitted == [("mine", None)]


# --- the decisions, without a window ------------------------------------------------------------


def test_view_lists_the_fields_the_operator_changed() -> None:
    view = ConflictView.from_entry(conflicted(MINE, SERVER))

    assert view.record_label == "T-2026-000123"
    assert view.current_version == 5
    assert [f.name for f in view.fields] == ["title", "state", "priority", "description"]
    assert view.differing == ("title", "state", "description")
    assert [f.name for f in view.text_fields] == ["title", "description"]
    assert view.can_merge


def test_merge_default_marks_both_parts() -> None:
    view = ConflictView.from_entry(conflicted(MINE, SERVER))

    start = view.merge_default("description")

    assert start.text[slice(*start.theirs)] == SERVER["description"]
    assert start.text[slice(*start.mine)] == MINE["description"]


@pytest.mark.parametrize(("theirs", "mine", "expected"), [
    ("Stejný text", "Stejný text", "Stejný text"),
    ("", "Jen můj text", "Jen můj text"),
    ("Jen jejich text", "", "Jen jejich text"),
    ("Jejich text a můj dodatek", "můj dodatek", "Jejich text a můj dodatek"),
])
def test_merge_default_does_not_repeat_what_is_already_there(theirs: str, mine: str, expected: str) -> None:
    view = ConflictView.from_entry(conflicted({"description": mine}, {**SERVER, "description": theirs}))

    assert view.merge_default("description").text == expected


def test_merged_titles_are_one_line_and_empty_texts_are_refused() -> None:
    view = ConflictView.from_entry(conflicted(MINE, SERVER))

    merged = view.merged({"title": "Vadný\n chránič ", "description": "Text"})

    assert merged == {"title": "Vadný chránič", "description": "Text"}
    with pytest.raises(ValueError, match="description"):
        view.merged({"title": "Něco", "description": " \n"})


def test_view_without_text_offers_no_merge() -> None:
    view = ConflictView.from_entry(conflicted({"state": "resolved"}, SERVER))

    assert not view.can_merge
    assert view.differing == ("state",)
