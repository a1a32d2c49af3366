"""Every model passes pytest-qt's model tester, also while filtering and starring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.ui.models import AgendaModel, DaysModel, FacetModel, UnscheduledModel


@pytest.fixture
def window(make_window):
    window = make_window()
    for item_id in ("workshop-a", "workshop-b", "p-mars", "invited-talk"):
        window.controller.toggle(item_id)
    return window


def test_program_model(window, qtmodeltester):
    qtmodeltester.check(window.program_model)
    # The tester keeps watching while stars flip and zones change.
    window.controller.toggle("p-co2")
    window.controller.toggle("workshop-b")
    window.controller.set_display_zone("Asia/Kathmandu")
    window.controller.change_source_zone("UTC")


def test_program_model_sorted(window, qtmodeltester):
    window.program_model.sort(3)
    qtmodeltester.check(window.program_model)


def test_filter_proxy_searching(window, qtmodeltester):
    window.search.setText("molecular")
    window.apply_search()
    qtmodeltester.check(window.proxy)
    for text in ("molecular sampling", "contrast", "", "zzz", "workshop"):
        window.search.setText(text)
        window.apply_search()
    window.list_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)


def test_filter_proxy_starred_only(window, qtmodeltester):
    window.starred_only.setChecked(True)
    qtmodeltester.check(window.proxy)


def test_agenda_model(window, qtmodeltester):
    assert isinstance(window.agenda_model, AgendaModel)
    qtmodeltester.check(window.agenda_model)
    window.controller.toggle("workshop-b")
    window.controller.set_display_zone("Pacific/Kiritimati")


@pytest.mark.parametrize("name", ["kind_facet", "track_facet", "room_facet"])
def test_facet_models(window, qtmodeltester, name):
    model = getattr(window, name)
    assert isinstance(model, FacetModel)
    qtmodeltester.check(model)


def test_days_and_unscheduled_models(window, qtmodeltester):
    assert isinstance(window.days_model, DaysModel)
    qtmodeltester.check(window.days_model)
    unscheduled = window.timeline.unscheduled_model
    assert isinstance(unscheduled, UnscheduledModel)
    assert unscheduled.rowCount() == 1
    qtmodeltester.check(unscheduled)


def test_models_on_a_program_with_rooms(make_window, qtmodeltester):
    from tests.ui.conftest import rooms_program

    window = make_window(rooms_program(), zone="Europe/Brussels")
    qtmodeltester.check(window.program_model)
    qtmodeltester.check(window.room_facet)


def test_filter_proxy_bulk_changes(make_window, qtmodeltester):
    """Searches that show or hide hundreds of sessions at once (one layout change), while
    sorted, with a filter on, and back: the tester watches, the rows are the core's."""
    from planner.core.search import search_sessions
    from planner.ui.models import ITEM_ROLE
    from tests.ui.conftest import rooms_program

    program = rooms_program(rooms=60, per_room=8)  # 480 sessions
    window = make_window(program)
    qtmodeltester.check(window.proxy)
    proxy = window.proxy

    def shown() -> set[str]:
        return {proxy.index(row, 0).data(ITEM_ROLE).id for row in range(proxy.rowCount())}

    for text in ("r1", "r1-t2", "", "room 0", "t3", "zzz", "talk", "r5"):
        window.search.setText(text)
        window.apply_search()
        assert shown() == {s.id for s in search_sessions(program, text)}, text
        if text == "t3":
            window.list_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
            assert shown() == {s.id for s in search_sessions(program, text)}
    window.starred_only.setChecked(True)
    window.search.setText("")
    window.apply_search()
    assert shown() == set()
    window.starred_only.setChecked(False)
    assert len(shown()) == len(program.sessions)
