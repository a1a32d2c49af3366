"""Notes and must/maybe in the window: typed in the details pane, saved as typed and whenever
the user moves on (another item, another program, closing), shown in My agenda and the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from planner.core.star_notes import NOTE_LIMIT
from planner.storage.store import Store
from planner.ui.agenda_model import AgendaColumn
from planner.ui.main_window import TAB_AGENDA, TAB_LIST
from planner.ui.model_cells import ACCESSIBLE, TOOLTIP
from planner.ui.models import Column
from planner.ui.star_note import SAVE_DELAY_MS
from tests.factories import program, session
from tests.ui.conftest import iclr_like, restart

POSTER = "poster-session-12"


def _stored_notes(data_dir: Path, key: str = "iclr-like") -> dict[str, tuple[str, str]]:
    with Store(data_dir) as store:
        return {r.item_id: (r.note, r.priority) for r in store.star_records(key)}


def _type(qtbot, window, text: str) -> None:
    editor = window.star_note
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, text)


def test_the_note_field_shows_only_for_starred_items(make_window):
    window = make_window()
    window.select_item(POSTER)
    assert not window.star_note.isVisible()
    window.controller.toggle(POSTER)
    assert window.star_note.isVisible()
    assert window.star_note.heading.text() == "&Your note on this session"
    assert window.star_note.must.isChecked()
    window.select_item("p-co2")  # a paper not starred
    assert not window.star_note.isVisible()


def test_a_typed_note_is_saved_after_a_pause_and_shown_in_the_agenda(
        make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    _type(qtbot, window, "Ask about the code")
    assert _stored_notes(data_dir)[POSTER] == ("", "must")  # not at every key
    qtbot.waitUntil(lambda: _stored_notes(data_dir)[POSTER][0] == "Ask about the code",
                    timeout=SAVE_DELAY_MS * 10)
    assert window.star_note.status.text() == "Saved"
    window.show_tab(TAB_AGENDA)
    index = window.agenda_model.index_of(POSTER)
    title = index.siblingAtColumn(AgendaColumn.TITLE)
    assert title.data() == "Poster Session 12  ✎ Ask about the code"
    assert title.data(TOOLTIP).endswith("Your note:\nAsk about the code")
    assert "your note: Ask about the code" in title.data(ACCESSIBLE)


def test_maybe_is_grey_italic_in_the_agenda_and_faint_in_the_list(make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    qtbot.mouseClick(window.star_note.maybe, Qt.MouseButton.LeftButton)
    assert _stored_notes(data_dir)[POSTER] == ("", "maybe")  # a choice is saved at once
    window.show_tab(TAB_AGENDA)
    title = window.agenda_model.index_of(POSTER).siblingAtColumn(AgendaColumn.TITLE)
    assert title.data() == "Poster Session 12  · maybe"
    font = title.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert title.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#808080"
    other = window.controller
    other.toggle("workshop-a")
    plain = window.agenda_model.index_of("workshop-a").siblingAtColumn(AgendaColumn.TITLE)
    assert plain.data(Qt.ItemDataRole.FontRole) is None
    window.show_tab(TAB_LIST)
    star = window.proxy.indexes_of(POSTER)[0].siblingAtColumn(Column.STAR)
    assert star.data(ACCESSIBLE) == "starred, maybe"
    assert "maybe" in star.data(TOOLTIP)
    full = window.proxy.indexes_of("workshop-a")[0].siblingAtColumn(Column.STAR)
    assert full.data(ACCESSIBLE) == "starred"
    # The faint star is drawn differently from a full one.
    a = star.data(Qt.ItemDataRole.DecorationRole).pixmap(16, 16).toImage()
    b = full.data(Qt.ItemDataRole.DecorationRole).pixmap(16, 16).toImage()
    assert a != b
    qtbot.mouseClick(window.star_note.must, Qt.MouseButton.LeftButton)
    assert _stored_notes(data_dir)[POSTER] == ("", "must")


def test_closing_the_window_right_after_typing_keeps_the_note(make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    _type(qtbot, window, "typed just before closing")
    again = restart(window, make_window, iclr_like())  # well before the pause
    assert again.controller.note_of(POSTER).note == "typed just before closing"
    again.select_item(POSTER)
    assert again.star_note.edit.toPlainText() == "typed just before closing"


def test_selecting_another_item_saves_the_note_to_the_first(make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.controller.toggle("workshop-a")
    window.select_item(POSTER)
    _type(qtbot, window, "for the poster")
    window.select_item("workshop-a")
    assert window.star_note.edit.toPlainText() == ""
    _type(qtbot, window, "for the workshop")
    window.select_item(POSTER)
    assert window.star_note.edit.toPlainText() == "for the poster"
    notes = _stored_notes(data_dir)
    assert notes[POSTER][0] == "for the poster"
    assert notes["workshop-a"][0] == "for the workshop"


def test_opening_another_program_saves_the_note_to_the_old_one(make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    _type(qtbot, window, "before switching")
    other = program(session("x-1", "2021-05-08 10:00"))
    other.key = "other-conf"
    window.show_program(other)
    assert _stored_notes(data_dir)[POSTER][0] == "before switching"
    assert _stored_notes(data_dir, "other-conf") == {}


def test_unstarring_while_typing_drops_the_note_but_restarring_brings_it_back(
        make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    _type(qtbot, window, "will I lose this?")
    window.controller.toggle(POSTER)  # unstar at once, before the pause
    assert not window.star_note.isVisible()
    qtbot.wait(SAVE_DELAY_MS * 2)
    assert POSTER not in _stored_notes(data_dir)  # not starred again by a late save
    window.controller.toggle(POSTER)
    assert window.star_note.isVisible()
    assert window.star_note.edit.toPlainText() == "will I lose this?"
    assert _stored_notes(data_dir)[POSTER][0] == "will I lose this?"


def test_a_note_stops_at_the_limit(make_window, qtbot, data_dir):
    window = make_window()
    window.controller.toggle(POSTER)
    window.select_item(POSTER)
    window.star_note.edit.setPlainText("x" * (NOTE_LIMIT + 50))  # a big paste
    assert len(window.star_note.edit.toPlainText()) == NOTE_LIMIT
    assert "at most 2,000" in window.star_note.status.text()
    window.star_note.save()
    assert len(_stored_notes(data_dir)[POSTER][0]) == NOTE_LIMIT


def test_a_hostile_note_is_shown_clean(make_window, qtbot):
    window = make_window()
    window.controller.set_note(POSTER, note="\x1b[31mred\x1b[0m \u202eevil\u202c\x07")
    window.show_tab(TAB_AGENDA)
    title = window.agenda_model.index_of(POSTER).siblingAtColumn(AgendaColumn.TITLE).data()
    assert title == "Poster Session 12  ✎ [31mred[0m evil"


def test_a_kept_export_is_rewritten_with_the_typed_note(make_window, qtbot, tmp_path):
    from icalendar import Calendar

    from planner.export.keep import KeptExport, keep_export

    window = make_window()
    target = tmp_path / "kept.ics"
    keep_export(window.controller.user_store(),
                KeptExport(str(target), "iclr-like", zone="Europe/Vienna"))
    window.controller.toggle(POSTER)
    qtbot.waitUntil(target.is_file, timeout=10_000)
    window.select_item(POSTER)
    _type(qtbot, window, "bring the poster tube")

    def has_note() -> bool:
        events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        return any(str(e["DESCRIPTION"]).startswith("Your note: bring the poster tube\n")
                   for e in events)

    qtbot.waitUntil(has_note, timeout=15_000)
