"""Stars follow their talks through a real refresh of 38C3 (downloaded from 127.0.0.1), and
the change list is exactly the edits made to the starred talks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.core.changes import ChangeItem, Kind
from planner.net.cache import ProgramCache
from planner.net.refresh import refresh
from planner.storage.store import Store
from tests.net.server import ProgramServer, Route
from tests.net.versions import Versions


def conflict_first(items: list[ChangeItem]) -> str:
    return next(i.item_id for i in items if i.kind is Kind.CONFLICT)


def test_stars_follow_talks_through_a_refresh(program_server: ProgramServer, versions: Versions,
                                              tmp_path: Path) -> None:
    """38C3 as a real download: stars on the old version end on the same talks; the change
    list is exactly the moved, cancelled and overlapping ones."""
    url = program_server.set("/38c3.xml", Route(body=versions.original, etag='"a"'))
    cache = ProgramCache(tmp_path / "programs")
    clock = lambda: dt.datetime(2024, 12, 27, 8, 0, tzinfo=dt.UTC)  # noqa: E731
    with Store(tmp_path / "store") as store:
        first = refresh(url, cache=cache, clock=clock, stars=store)
        assert first.program is not None
        key = first.program.key
        store.set_starred(key, versions.starred, True)
        program_server.set("/38c3.xml", Route(body=versions.changed, etag='"b"'))
        outcome = refresh(url, cache=cache, clock=clock, stars=store)
        assert outcome.status == "downloaded" and outcome.report is not None
        assert outcome.program is not None and outcome.program.key == key
        assert store.starred(key) >= set(versions.starred)
        items = sorted((i.kind.value, i.item_id) for i in outcome.report.items)
        assert items == sorted([(Kind.CANCELLED.value, versions.cancelled),
                                (Kind.MOVED.value, versions.moved),
                                (Kind.MOVED.value, versions.overlap),
                                (Kind.CONFLICT.value, conflict_first(outcome.report.items))])
        conflict = [i for i in outcome.report.items if i.kind is Kind.CONFLICT]
        assert len(conflict) == 1
        assert {conflict[0].item_id, conflict[0].other_id} == {versions.overlap,
                                                                versions.overlapped}
        assert "A talk added on the day" not in "\n".join(outcome.report.lines())
        was = first.program.find_session(versions.moved)
        assert was is not None and was.start is not None
        berlin = was.start.astimezone(dt.timezone(dt.timedelta(hours=1)))
        assert outcome.report.marks[versions.moved] == f"moved from {berlin:%a %H:%M}"
        now = outcome.program.find_session(versions.moved)
        assert now is not None and now.start == dt.datetime(
            2024, 12, 29, 8, 0, tzinfo=dt.UTC)
