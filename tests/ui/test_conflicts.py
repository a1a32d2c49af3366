"""A conflict between starred items shows in every view: colour, icon and a named tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.ui.colours import conflict_tint
from planner.ui.main_window import TAB_AGENDA, TAB_LIST
from planner.ui.models import CONFLICT_ROLE, AgendaColumn, Column


def conflict_marks(window, session_id: str) -> dict[str, object]:
    """What each view shows for one session."""
    list_title = window.proxy.indexes_of(session_id)[0].siblingAtColumn(Column.TITLE)
    agenda = window.agenda_model.index_of(session_id)
    agenda_title = agenda.siblingAtColumn(AgendaColumn.TITLE) if agenda.isValid() else None
    view = window.timeline.view
    session = window.controller.program.session(session_id)
    return {
        "list_icon": list_title.data(Qt.ItemDataRole.DecorationRole) is not None,
        "list_tooltip": list_title.data(Qt.ItemDataRole.ToolTipRole) or "",
        "list_colour": list_title.data(Qt.ItemDataRole.BackgroundRole),
        "agenda_icon": agenda_title is not None
        and agenda_title.data(Qt.ItemDataRole.DecorationRole) is not None,
        "agenda_text": agenda_title.data() if agenda_title is not None else "",
        "agenda_tooltip": (agenda_title.data(Qt.ItemDataRole.ToolTipRole) or "")
        if agenda_title is not None else "",
        "timeline_text": view.describe(session),
        "timeline_conflicts": [s.id for s in window.controller.conflicts_of(session_id)],
    }


def test_two_overlapping_workshops_conflict_in_every_view(make_window, qtbot):
    window = make_window()
    for session_id in ("workshop-a", "workshop-b"):
        window.controller.toggle(session_id)
    marks = conflict_marks(window, "workshop-a")
    assert marks["list_icon"] and "Overlaps with Workshop B on Energy" in marks["list_tooltip"]
    assert marks["list_colour"].color() == conflict_tint()
    assert marks["agenda_icon"] and "overlaps Workshop B on Energy" in marks["agenda_text"]
    assert "Overlaps with Workshop B on Energy" in marks["agenda_tooltip"]
    assert marks["timeline_conflicts"] == ["workshop-b"]
    assert "⚠ Overlaps with Workshop B on Energy" in marks["timeline_text"]
    window.select_item("workshop-b")
    assert "Overlaps with Workshop A on Learning" in window.details.toPlainText()
    assert "1 conflict" in window.conflicts_label.text()
    assert window.conflict_icon.isVisibleTo(window)
    # The agenda and list views on screen carry them too.
    window.show_tab(TAB_AGENDA)
    assert window.agenda_view.isVisible()
    window.show_tab(TAB_LIST)

    window.controller.toggle("workshop-b")  # un-star one: the warning goes away everywhere
    marks = conflict_marks(window, "workshop-a")
    assert not marks["list_icon"] and marks["list_tooltip"] == "Workshop A on Learning"
    assert marks["list_colour"] is None
    assert not marks["agenda_icon"] and "overlaps" not in marks["agenda_text"]
    assert marks["timeline_conflicts"] == [] and "⚠" not in marks["timeline_text"]
    assert "no conflicts" in window.conflicts_label.text()
    assert not window.conflict_icon.isVisibleTo(window)


def test_a_starred_paper_brings_its_session_into_conflicts(make_window):
    window = make_window()
    window.controller.toggle("closing-remarks")
    window.controller.toggle("p-co2")  # poster session 02:00-04:00; remarks 07:00: no clash
    assert window.controller.conflicts.pairs == 0
    window.controller.toggle("oral-session-12")  # 04:00-06:00 touches, does not overlap
    assert window.controller.conflicts.pairs == 0
    window.controller.change_source_zone("Europe/Vienna")
    index = window.proxy.indexes_of("p-co2")[0]
    assert index.data(CONFLICT_ROLE) == []
