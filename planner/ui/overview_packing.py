"""One part of an overview day (the user's sessions, or the others) packed side by side, kept
so that a star moving one session in or out packs again only what that changes (no Qt).

The packing is the greedy one of :func:`planner.ui.overview_layout.pack_minutes` (each session
in start order takes the lowest free sub-column) over the whole part; runs of overlapping
sessions (clusters) share the part's width by their own number of sub-columns, and each block
widens over the sub-columns free during its time. On a busy day the others are one chain of
2,000 sessions, so a star must not pack them all again: the greedy state is kept every
:data:`CHECKPOINT` sessions, an edit packs again from the checkpoint before it until the state
is the same as before (every later session then keeps its sub-column), and only the blocks in
the time of the sessions that moved are measured again. The result is the full packing's,
block for block (tested on real and random days).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from planner.core.model import Session

MINUTES_PER_DAY = 24 * 60
CHECKPOINT = 32  # sessions between two kept greedy states
TOP_PAD = 8.0  # as overview_layout.TOP_PAD (that module imports this one)
MIN_BLOCK_HEIGHT = 4.0

# (session, start, end) as overview_layout.Span
Span = tuple[Session, int, int]
# Greedy state before a session: (busy until, sub-column) sorted, free sub-columns sorted, count.
State = tuple[list[tuple[int, int]], list[int], int]
# The layout's block type: (session, day index, sub-column, sub-columns, left, top, right,
# bottom, clipped top, clipped bottom).
BlockMaker = Callable[[Session, int, int, int, float, float, float, float, bool, bool], Any]


@dataclass
class Geometry:
    """What a part's blocks need of the layout: its axis and the part's place."""

    first_minute: int
    pixels_per_hour: float
    left: float
    width: float


def _span_end(start: int, end: int) -> int:
    return end if end > start else start + 1


class Part:
    """A part's sessions in start order, their sub-columns and their blocks (``blocks[i]`` is
    ``items[i]``'s)."""

    def __init__(self, items: list[Span], geometry: Geometry, make_block: BlockMaker,
                 day_index: int) -> None:
        self.items = items
        self.geometry = geometry
        self.make_block = make_block
        self.day_index = day_index
        self.keys: list[int] | None = None  # the items' ranks in the day, on the first edit
        self.positions: list[int] = []
        self.checkpoints: list[int] = []  # item indices, ascending (0 always)
        self.states: list[State] = []
        self.sub_starts: list[list[int]] = []  # per sub-column, its sessions' starts
        self.sub_ends: list[list[int]] = []
        self.longest = 0  # minutes of the longest session
        self.blocks: list[Any] = []
        self.starts: list[int] = []  # the items' starts and (at least a minute on) ends
        self.ends: list[int] = []
        self._pack_all()

    # -- the greedy packing ------------------------------------------------------------------
    def _run(self, begin: int, state: State, stops: dict[int, State]
             ) -> tuple[list[int], list[int], list[State], int]:
        """Pack ``items[begin:]`` from ``state``; stop before an index of ``stops`` whose
        state is the one reached (the rest is packed as before). Returns the positions, the
        new checkpoints and states, and where it stopped."""
        busy, free, count = list(state[0]), list(state[1]), state[2]
        positions: list[int] = []
        checkpoints: list[int] = []
        states: list[State] = []
        heappush, heappop = heapq.heappush, heapq.heappop
        items = self.items
        index = begin
        for index in range(begin, len(items)):
            if index in stops and index != begin:
                current = (sorted(busy), sorted(free), count)
                if current == stops[index]:
                    return positions, checkpoints, states, index
            if (index - begin) % CHECKPOINT == 0:
                checkpoints.append(index)
                states.append((sorted(busy), sorted(free), count))
            _session, start, end = items[index]
            while busy and busy[0][0] <= start:
                heappush(free, heappop(busy)[1])
            if free:
                position = heappop(free)
            else:
                position = count
                count += 1
            heappush(busy, (end if end > start else start + 1, position))
            positions.append(position)
        return positions, checkpoints, states, len(items)

    def _pack_all(self) -> None:
        positions, self.checkpoints, self.states, _stop = self._run(0, ([], [], 0), {})
        if not self.checkpoints:
            self.checkpoints, self.states = [0], [([], [], 0)]
        self.positions = positions
        count = max(positions, default=-1) + 1
        self.sub_starts = [[] for _ in range(count)]
        self.sub_ends = [[] for _ in range(count)]
        longest = 0
        self.starts = [item[1] for item in self.items]
        self.ends = [end if end > start else start + 1 for _x, start, end in self.items]
        for start, span_end, position in zip(self.starts, self.ends, positions, strict=True):
            self.sub_starts[position].append(start)
            self.sub_ends[position].append(span_end)
            if span_end - start > longest:
                longest = span_end - start
        self.longest = longest
        self.blocks = [None] * len(self.items)
        for first, last in self._clusters(0, len(self.items)):
            self._measure(first, last, range(first, last))

    def _clusters(self, low: int, high: int) -> list[tuple[int, int]]:
        """The clusters (index ranges) that hold any of ``items[low:high]``: a cluster
        begins at a session that no earlier one reaches into."""
        starts = self.starts
        if low >= high:
            return []
        ends = list(accumulate(self.ends, max))  # the latest end up to each session
        first = low
        while first > 0 and starts[first] < ends[first - 1]:
            first -= 1
        clusters = []
        for index in range(first + 1, len(starts)):
            if starts[index] >= ends[index - 1]:
                clusters.append((first, index))
                if index >= high:
                    return clusters
                first = index
        clusters.append((first, len(starts)))
        return clusters

    def _measure(self, first: int, last: int, indices: range | list[int]) -> None:
        """Make the blocks of ``indices`` (all in the cluster ``items[first:last]``)."""
        count = max(self.positions[first:last]) + 1
        geometry = self.geometry
        step = geometry.width / count
        top_minute, pixels_per_hour = geometry.first_minute, geometry.pixels_per_hour
        bisect_left, sub_starts, sub_ends = bisect.bisect_left, self.sub_starts, self.sub_ends
        make, items, positions, blocks = self.make_block, self.items, self.positions, \
            self.blocks
        left, day_index = geometry.left, self.day_index
        for index in indices:
            session, start, end = items[index]
            position = positions[index]
            span_end = end if end > start else start + 1
            reach = position + 1
            while reach < count:  # the next sub-column is free during this session: widen
                found = bisect_left(sub_starts[reach], span_end)
                if found and sub_ends[reach][found - 1] > start:
                    break
                reach += 1
            top = TOP_PAD + ((start if start > 0 else 0) - top_minute) / 60 * pixels_per_hour
            bottom = TOP_PAD + ((end if end < MINUTES_PER_DAY else MINUTES_PER_DAY)
                                - top_minute) / 60 * pixels_per_hour
            if bottom < top + MIN_BLOCK_HEIGHT:
                bottom = top + MIN_BLOCK_HEIGHT
            blocks[index] = make(session, day_index, position, count, left + position * step, top,
                                 left + reach * step, bottom, start < 0, end > MINUTES_PER_DAY)

    # -- edits ---------------------------------------------------------------------------------
    def _keys(self, order: dict[str, int]) -> list[int]:
        if self.keys is None:
            self.keys = [order[item[0].id] for item in self.items]
        return self.keys

    def insert(self, item: Span, order: dict[str, int]) -> tuple[list[Any], list[Any]]:
        """Add a session (``order``: each session's rank in the day's spans); returns the
        blocks gone and the new ones."""
        keys = self._keys(order)
        key = order[item[0].id]
        index = bisect.bisect_left(keys, key)
        keys.insert(index, key)
        self.items.insert(index, item)
        self.starts.insert(index, item[1])
        self.ends.insert(index, _span_end(item[1], item[2]))
        self.longest = max(self.longest, self.ends[index] - item[1])
        return self._repack(index, +1, item)

    def remove(self, session: Session, order: dict[str, int]) -> tuple[list[Any], list[Any]]:
        """Take a session out; returns the blocks gone and the new ones."""
        keys = self._keys(order)
        index = bisect.bisect_left(keys, order[session.id])
        item = self.items[index]
        assert item[0] is session
        del keys[index]
        del self.items[index]
        del self.starts[index]
        del self.ends[index]
        return self._repack(index, -1, item)

    def _repack(self, index: int, shift: int, item: Span) -> tuple[list[Any], list[Any]]:
        old_positions, old_blocks = self.positions, self.blocks
        old_checkpoints, old_states = self.checkpoints, self.states
        where = bisect.bisect_right(old_checkpoints, index) - 1
        begin = old_checkpoints[where]
        stops = {j + shift: old_states[n] for n, j in enumerate(old_checkpoints)
                 if j > index or (shift > 0 and j == index)}
        rerun, checkpoints, states, stop = self._run(begin, old_states[where], stops)
        # The old states from where the packing met them on (none when it ran to the end).
        later = [(j + shift, old_states[n]) for n, j in enumerate(old_checkpoints)
                 if stop <= j + shift < len(self.items)
                 and (j > index or (shift > 0 and j == index))]
        self.checkpoints = old_checkpoints[:where] + checkpoints + [j for j, _ in later]
        self.states = old_states[:where] + states + [s for _, s in later]
        if not self.checkpoints:
            self.checkpoints, self.states = [0], [([], [], 0)]
        self.positions = old_positions[:begin] + rerun + old_positions[stop - shift:]
        if shift > 0:
            self.blocks = [*old_blocks[:index], None, *old_blocks[index:]]
            old_of = [*old_positions[:index], -1, *old_positions[index:]]
        else:
            self.blocks = old_blocks[:index] + old_blocks[index + 1:]
            old_of = old_positions[:index] + old_positions[index + 1:]
        # Sessions whose sub-column changed, and the edited one: their sub-columns' lists.
        moved = [m for m in range(begin, stop) if self.positions[m] != old_of[m]]
        start, end = item[1], _span_end(item[1], item[2])
        starts, ends = self.starts, self.ends
        moved_spans = [(m, starts[m], ends[m]) for m in moved
                       if not (m == index and shift > 0)]
        # All out of their old sub-columns first (a sub-column's starts are unique), then in.
        if shift < 0:
            self._take_from(old_positions[index], start, end)
        for m, s, e in moved_spans:
            self._take_from(old_of[m], s, e)
        if shift > 0:
            self._add_to(self.positions[index], start, end)
        for m, s, e in moved_spans:
            self._add_to(self.positions[m], s, e)
        # Every block in the time of what moved may widen or narrow.
        low_minute = min([start] + [starts[m] for m in moved])
        high_minute = max([end] + [ends[m] for m in moved])
        low = bisect.bisect_left(starts, low_minute - self.longest)
        high = bisect.bisect_left(starts, high_minute)
        touched = {m for m in range(low, high) if ends[m] > low_minute}
        touched.update(moved)
        if shift > 0:
            touched.add(index)
        gone, new = [], []
        span_low = min(touched, default=index if index < len(self.items) else 0)
        span_high = max(touched, default=span_low) + 1
        if shift < 0:
            gone.append(old_blocks[index])
            span_low = min(span_low, index)
            span_high = max(span_high, min(index + 1, len(self.items)))
        for first, last in self._clusters(span_low, min(span_high, len(self.items))):
            count = max(self.positions[first:last]) + 1
            kept = [m for m in range(first, last) if m not in touched]
            whole = any(self.blocks[m].columns != count for m in kept)
            indices = range(first, last) if whole else [m for m in range(first, last)
                                                       if m in touched]
            before = {m: self.blocks[m] for m in indices}
            self._measure(first, last, indices)
            for m in indices:
                old, fresh = before[m], self.blocks[m]
                if old is not None and _same(old, fresh):
                    self.blocks[m] = old
                else:
                    if old is not None:
                        gone.append(old)
                    new.append(fresh)
        return gone, new

    def _add_to(self, position: int, start: int, end: int) -> None:
        while position >= len(self.sub_starts):
            self.sub_starts.append([])
            self.sub_ends.append([])
        at = bisect.bisect_left(self.sub_starts[position], start)
        self.sub_starts[position].insert(at, start)
        self.sub_ends[position].insert(at, end)

    def _take_from(self, position: int, start: int, end: int) -> None:
        at = bisect.bisect_left(self.sub_starts[position], start)
        del self.sub_starts[position][at]
        del self.sub_ends[position][at]


def _same(a: Any, b: Any) -> bool:
    return bool(a.left == b.left and a.right == b.right and a.top == b.top
                and a.bottom == b.bottom and a.column == b.column and a.columns == b.columns
                and a.clipped_top == b.clipped_top and a.clipped_bottom == b.clipped_bottom)
