"""The filter answers "has children" from its own lists (a tree asks for every row it lays
out): it must say what the rows have, before and after searches change the rows."""

from __future__ import annotations

from planner.ui.main_window import TAB_LIST
from planner.ui.models import ITEM_ROLE


def check_rows(window) -> int:
    proxy = window.proxy
    papers = 0
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        session = index.data(ITEM_ROLE)
        assert proxy.hasChildren(index) == bool(session.paper_ids), session.id
        for child in range(proxy.rowCount(index)):
            assert not proxy.hasChildren(proxy.index(child, 0, index))
            papers += 1
    return papers


def test_has_children_follows_the_rows(make_window):
    window = make_window()
    window.show_tab(TAB_LIST)
    window.list_view.expandAll()
    assert check_rows(window) == 4  # the poster session's three papers and the oral's one
    for query in ["molecul", "", "energy", "zzz", "federated", ""]:
        window.search.setText(query)
        window.apply_search()
        check_rows(window)
    assert window.proxy.rowCount() == len(window.controller.program.sessions)
