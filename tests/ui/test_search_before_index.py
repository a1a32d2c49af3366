"""A big program's search indexes are built in the background: a search typed before they are
ready gives the same rows as after (it waits for the text scan, never shows nothing), and the
word index that replaces the scan changes no row."""

from __future__ import annotations

import pytest

from planner.core.search import search_sessions
from planner.core.search_index import TextScan, WordIndex
from planner.ui import proxy as proxy_module
from planner.ui.main_window import TAB_LIST
from planner.ui.models import ITEM_ROLE
from tests.ui.conftest import iclr_like


def shown(window) -> list[str]:
    proxy = window.proxy
    return [proxy.index(row, 0).data(ITEM_ROLE).id for row in range(proxy.rowCount())]


@pytest.fixture
def background_index(monkeypatch):
    """Every program is indexed in the background, as one with 50,000 papers is."""
    monkeypatch.setattr(proxy_module, "BACKGROUND_INDEX_PAPERS", -1)


def test_a_search_typed_before_the_index_gets_the_same_rows(make_window, qtbot,
                                                           background_index):
    program = iclr_like()
    window = make_window(program)
    window.show_tab(TAB_LIST)
    assert window.proxy.search_index is None
    window.search.setText("molecul")
    window.apply_search()
    expected = [s.id for s in program.sessions
                if s in search_sessions(program, "molecul")]
    assert expected == ["poster-session-12", "oral-session-12"]
    # Waiting for the scan, the list still shows the unfiltered program, never nothing.
    assert len(shown(window)) == len(program.sessions)
    when_ran: list[tuple[type, list[str]]] = []
    window.proxy.searchPending.connect(
        lambda pending: when_ran.append((type(window.proxy.search_index), shown(window))))
    qtbot.waitUntil(lambda: bool(when_ran))
    assert when_ran == [(TextScan, expected)]  # the scan answered the waiting search
    qtbot.waitUntil(lambda: isinstance(window.proxy.search_index, WordIndex))
    assert sorted(shown(window)) == sorted(expected)
    window.search.setText("molecul contrast")  # the next keystroke uses the word index
    window.apply_search()
    assert shown(window) == ["poster-session-12"]


def test_the_scan_and_the_word_index_show_the_same_rows(make_window, qtbot, background_index):
    program = iclr_like()
    window = make_window(program)
    window.show_tab(TAB_LIST)
    qtbot.waitUntil(lambda: isinstance(window.proxy.search_index, WordIndex))
    words = window.proxy.search_index
    scan = TextScan.build(program)
    for query in ["m", "federated", "energy", "co2", "title:mars", "zzz", ""]:
        rows = []
        for index in (scan, words):
            window.proxy.set_search_index(index)
            window.search.setText(query)
            window.apply_search()
            rows.append(shown(window))
            window.search.setText("")
            window.apply_search()
        assert rows[0] == rows[1], query
        expected = {s.id for s in search_sessions(program, query)}
        assert set(rows[0]) == expected, query


def test_a_finished_background_task_keeps_nothing_it_was_given(qtbot):
    """A worker's relay lives as long as its window: once the task is done, neither its
    function nor its callbacks (which may hold a program or an index) are kept."""
    import functools
    import gc
    import weakref

    from PySide6.QtCore import QObject

    from planner.ui.worker import run_in_background, wait_for_tasks

    class Payload:
        pass

    payload = Payload()
    alive = weakref.ref(payload)
    context = QObject()
    results: list[int] = []
    run_in_background(functools.partial(len, [payload]), results.append, lambda *_: None,
                      context)
    del payload
    wait_for_tasks()
    qtbot.waitUntil(lambda: bool(results))
    gc.collect()
    assert results == [1]
    assert alive() is None
