"""Stars from every view, saved at once: found again after a restart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication

from planner.core.stars import StarState
from planner.ui.main_window import TAB_AGENDA, TAB_LIST, TAB_TIMELINE
from planner.ui.models import STAR_ROLE, Column
from tests.ui.conftest import iclr_like, restart


def paper_index(window, paper_id: str, session_id: str = "poster-session-12") -> QModelIndex:
    proxy = window.proxy
    for index in proxy.indexes_of(paper_id):
        if proxy.item_of(index.parent()).id == session_id:
            return index
    raise AssertionError(f"{paper_id} not in the list under {session_id}")


def test_star_paper_by_click_in_list_is_kept_after_restart(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_LIST)
    view = window.list_view
    session_index = window.proxy.indexes_of("poster-session-12")[0]
    view.expand(session_index)
    star = paper_index(window, "p-mars").siblingAtColumn(Column.STAR)
    view.scrollTo(star)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(star).center())
    assert window.controller.is_starred("p-mars")
    assert star.data(STAR_ROLE) == StarState.FULL
    # The session holding it is half-starred, in the list and in the timeline.
    assert session_index.data(STAR_ROLE) == StarState.PARTIAL
    assert "1 paper starred" in window.stars_label.text()

    again = restart(window, make_window, iclr_like())
    assert again.controller.is_starred("p-mars")
    assert again.controller.session_state(again.controller.program.session(
        "poster-session-12")) == StarState.PARTIAL


def test_star_paper_by_space_in_list_is_kept_after_restart(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_LIST)
    view = window.list_view
    view.expand(window.proxy.indexes_of("poster-session-12")[0])
    row = paper_index(window, "p-co2").siblingAtColumn(Column.TITLE)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(row).center())
    assert window.current_id == "p-co2"
    assert not window.controller.is_starred("p-co2")  # a click on the title only selects
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.controller.is_starred("p-co2")

    again = restart(window, make_window, iclr_like())
    assert again.controller.is_starred("p-co2")
    qtbot.keyClick(again.list_view, Qt.Key.Key_Space)  # Space again unstars, once restored
    assert again.current_id == "p-co2"
    assert not again.controller.is_starred("p-co2")


def test_star_session_in_timeline_by_click_and_space(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_TIMELINE)
    view = window.timeline.view
    view.select("poster-session-12")
    star = view.star_viewport_rect("poster-session-12")
    assert star.isValid()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=star.center())
    assert window.controller.is_starred("poster-session-12")
    body = view.block_viewport_rect("poster-session-12")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=body.center() + QPoint(0, 10))
    assert window.controller.is_starred("poster-session-12")  # the block body only selects
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not window.controller.is_starred("poster-session-12")


def test_star_paper_from_details_link(make_window, qtbot):
    window = make_window()
    window.select_item("poster-session-12")
    html = window.details.toHtml()
    assert "MARS" in html and "star:p-mars" in html
    window.details.anchorClicked.emit(QUrl("star:p-mars"))
    assert window.controller.is_starred("p-mars")
    # The details show the new state without losing the place.
    assert "1 starred" in window.details.toPlainText()


def test_star_in_agenda_by_space_unstars_and_agenda_follows(make_window, qtbot):
    window = make_window()
    window.controller.toggle("workshop-a")
    window.show_tab(TAB_AGENDA)
    index = window.agenda_model.index_of("workshop-a")
    assert index.isValid()
    window.agenda_view.setFocus()
    window.agenda_view.setCurrentIndex(index)
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Space)
    assert not window.controller.is_starred("workshop-a")
    assert window.agenda_model.rowCount() == 0
    assert window.agenda_empty.isVisible()


def test_ctrl_d_stars_the_current_item(make_window, qtbot):
    window = make_window()
    window.select_item("closing-remarks")
    window.star_action.trigger()
    assert window.controller.is_starred("closing-remarks")
    assert "1 session and 0 papers starred" in window.stars_label.text()
    QApplication.processEvents()


def test_details_keep_the_selection_while_a_search_hides_it(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_LIST)
    view = window.list_view
    row = window.proxy.indexes_of("closing-remarks")[0].siblingAtColumn(Column.TITLE)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(row).center())
    assert window.current_id == "closing-remarks"
    qtbot.keyClicks(window.search, "workshop")
    window.apply_search()
    assert not window.proxy.indexes_of("closing-remarks")
    assert window.current_id == "closing-remarks"
    assert "Closing Remarks" in window.details.toPlainText()
