"""Search by the start of words, limited to a field, highlighted; Esc clears it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtWidgets import QWidget

from planner.core.model import Program, SessionKind
from planner.core.search import query_terms, search_sessions
from planner.ui.main_window import TAB_LIST
from planner.ui.models import ITEM_ROLE, Column
from planner.ui.search_ui import match_ranges
from tests.factories import session


def fosdem_like() -> Program:
    sessions = [
        session("rust-intro", "2020-02-01 10:00", 30, kind=SessionKind.TALK,
                room="H.2215", speakers=["Ferris Crab"], description="A first look at Rust."),
        session("trust", "2020-02-01 11:00", 30, kind=SessionKind.TALK, room="K.1.105",
                speakers=["Alice"], description="Trust me, I am a key-signing party."),
        session("pgp", "2020-02-01 12:00", 30, kind=SessionKind.TALK, room="Rustroom",
                speakers=["Bob Rustin"], description="PGP key-signing, bring your keys."),
    ]
    for item, title in zip(sessions, ["Rust for beginners", "Trust me: web of trust",
                                      "PGP key-Signing"], strict=True):
        item.title = title
    return Program(name="FOSDEM-like", source_zone="Europe/Brussels", sessions=sessions,
                   key="fosdem-like")


def ids(sessions) -> set[str]:
    return {s.id for s in sessions}


def test_terms_match_the_start_of_words_only():
    program = fosdem_like()
    assert ids(search_sessions(program, "rust")) == {"rust-intro", "pgp"}  # room, speaker
    assert ids(search_sessions(program, "trust")) == {"trust"}
    assert ids(search_sessions(program, "sign")) == {"trust", "pgp"}  # key-signing: two words
    assert ids(search_sessions(program, "igning")) == set()


def test_a_field_limits_the_search():
    program = fosdem_like()
    assert ids(search_sessions(program, "rust", field="title")) == {"rust-intro"}
    assert ids(search_sessions(program, "rust", field="speaker")) == {"pgp"}
    assert ids(search_sessions(program, "rust", field="room")) == {"pgp"}
    assert ids(search_sessions(program, "rust", field="abstract")) == {"rust-intro"}
    assert ids(search_sessions(program, "title:rust")) == {"rust-intro"}
    assert ids(search_sessions(program, "speaker:bob keys")) == {"pgp"}
    assert query_terms("Speaker:Bob rust", "title") == ["speaker:bob", "title:rust"]


def shown(window) -> set[str]:
    proxy = window.proxy
    return {proxy.index(r, 0).data(ITEM_ROLE).id for r in range(proxy.rowCount())}


def test_window_search_in_a_field_with_a_count(make_window, qtbot):
    window = make_window(fosdem_like(), zone="Europe/Brussels")
    window.search.setText("rust")
    window.apply_search()
    assert shown(window) == {"rust-intro", "pgp"}
    window.search_field.setCurrentIndex(window.search_field.findData("title"))
    assert shown(window) == {"rust-intro"}
    qtbot.waitUntil(window.hidden_bar.isVisible, timeout=1000)
    assert window.hidden_bar.label.text() == "1 session matches “rust” · 2 hidden"
    window.search_field.setCurrentIndex(window.search_field.findData(""))
    assert shown(window) == {"rust-intro", "pgp"}


def test_escape_in_the_search_box_clears_the_search(make_window, qtbot):
    window = make_window(fosdem_like(), zone="Europe/Brussels")
    window.search.setFocus()
    qtbot.keyClicks(window.search, "trust")
    window.apply_search()
    assert shown(window) == {"trust"}
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and len(shown(window)) == 3


def test_match_ranges_mark_word_starts():
    assert match_ranges("Trust me: web of trust", ["trust"]) == [(0, 5), (17, 5)]
    assert match_ranges("PGP key-Signing", ["sign"]) == [(8, 4)]
    assert match_ranges("Café crème", ["creme"]) == [(5, 5)]
    assert match_ranges("Trustworthy", ["rust"]) == []


def test_the_list_paints_the_match_highlighted(make_window, qtbot):
    window = make_window(fosdem_like(), zone="Europe/Brussels")
    window.show_tab(TAB_LIST)
    index = window.proxy.indexes_of("rust-intro")[0].siblingAtColumn(Column.TITLE)
    rect = window.list_view.visualRect(index)

    def yellow_pixels() -> int:
        image = window.list_view.viewport().grab().toImage()
        count = 0
        for x in range(rect.left(), rect.right(), 2):
            for y in range(rect.top(), rect.bottom(), 2):
                colour = image.pixelColor(x, y)
                if colour.red() > 200 and colour.green() > 180 and colour.blue() < 150:
                    count += 1
        return count

    assert yellow_pixels() == 0
    window.search.setText("rust")
    window.apply_search()
    qtbot.wait(20)
    rect = window.list_view.visualRect(
        window.proxy.indexes_of("rust-intro")[0].siblingAtColumn(Column.TITLE))
    assert yellow_pixels() > 10


class _Paints(QObject):
    """The regions a widget is asked to paint."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(QRegion(event.region()))
        return False


def test_a_longer_search_on_the_same_rows_repaints_the_highlight(make_window, qtbot):
    # "gra" then "graph": the same 40 sessions, so no row moves and nothing else repaints the
    # list, but the highlight grows and the title cells must show it.
    # Every other one matches by its description only: its title cell looks the same.
    sessions = [session(f"graph-{n}", f"2020-02-01 {8 + n // 4:02d}:{n % 4 * 15:02d}", 15,
                        description="Graph theory")
                for n in range(40)]
    for n, item in enumerate(sessions):
        item.title = f"Graph talk {n}" if n % 2 == 0 else f"Talk {n}"
    program = Program(name="Graphs", source_zone="Europe/Vienna", sessions=sessions,
                      key="graphs")
    window = make_window(program)
    window.show_tab(TAB_LIST)
    window.search.setText("gra")
    window.apply_search()
    qtbot.wait(200)
    assert window.proxy.rowCount() == 40
    title = window.list_view.visualRect(window.proxy.index(0, Column.TITLE))
    paints = _Paints(window.list_view.viewport())
    window.search.setText("graph")
    window.apply_search()
    qtbot.waitUntil(lambda: any(region.contains(title) for region in paints.rects), timeout=1000)
    assert window.proxy.rowCount() == 40 and window.proxy.highlight_words() == ["graph"]
    # Only the title cells whose highlight changed: not the star column, nor a title
    # without the word.
    star = window.list_view.visualRect(window.proxy.index(0, Column.STAR))
    assert not any(rect.intersects(star) for rect in paints.rects)
    plain = window.list_view.visualRect(window.proxy.index(1, Column.TITLE))
    assert window.proxy.index(1, Column.TITLE).data() == "Talk 1"
    assert not any(rect.intersects(plain.adjusted(0, 2, 0, -2)) for rect in paints.rects)
