"""How the window copes with a big program: 10,000 sessions and 50,000 papers.

Reports, on this machine: time to a shown window with the program in it, one search keystroke,
one star toggle, one timeline scroll step, and peak memory, against the targets of issue 5.
Runs on the offscreen platform (no display needed); every measured step includes the repaint.

    .venv/bin/python benchmarks/bench_gui.py [--sessions 10000] [--papers-per-session 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import planner.ui  # noqa: F401  (first: the CPython 3.11 fix for PySide6 6.12)
from planner.core import timezones as tz
from planner.core.model import Paper, Program, Session, SessionKind

TARGETS = {"window": 2.0, "keystroke": 0.050, "star": 0.016, "scroll": 0.016, "memory": 400}

SYLLABLES = ("al", "ba", "co", "de", "el", "fa", "gi", "ho", "in", "ja", "ka", "lo", "mi", "na",
             "op", "pe", "qu", "ra", "si", "to", "un", "va", "we", "xi", "yo", "za", "ber", "cor",
             "dan", "fel", "gor", "han", "kel", "lin", "mor", "nov", "par", "ros", "sel", "tan",
             "vor", "wen")
TOPICS = ("molecule", "protein", "graph", "contrastive", "reinforcement", "federated",
          "diffusion", "calibration", "pruning", "causal", "robustness", "transformer")


def vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf frequencies, like the words of real abstracts."""
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)}
    ordered = sorted(words)[:size]
    rng.shuffle(ordered)
    weights = [1 / (rank + 1) for rank in range(len(ordered))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return ordered, cumulative


def make_program(sessions: int, papers_per_session: int, seed: int = 7) -> Program:
    """A five-day program in 40 rooms and 20 tracks, with abstracts of ~120 words; one paper
    in a hundred is about each of a dozen topics (so a search narrows as it would)."""
    rng = random.Random(seed)
    words, cumulative = vocabulary(rng)

    def text(count: int) -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=count)
        if rng.random() < 0.12:
            chosen[rng.randrange(count)] = rng.choice(TOPICS)
        return " ".join(chosen)

    zone = tz.get_zone("Europe/Berlin")
    rooms = [f"Room {i:02d}" for i in range(40)]
    tracks = [f"Track {text(1).title()} {i}" for i in range(20)]
    program_sessions: list[Session] = []
    papers: dict[str, Paper] = {}
    slots_per_day = sessions // (5 * len(rooms)) + 1
    for index in range(sessions):
        day, rest = divmod(index, len(rooms) * slots_per_day)
        slot, room = divmod(rest, len(rooms))
        minutes = 8 * 60 + slot * (14 * 60 // slots_per_day)
        start = tz.localize(dt.datetime(2025, 6, 2 + day) + dt.timedelta(minutes=minutes), zone)
        length = rng.choice((20, 25, 30, 40, 45))
        paper_ids = []
        for number in range(papers_per_session):
            pid = f"p{index}-{number}"
            title = text(8).capitalize()
            abstract = text(120).capitalize() + "."
            papers[pid] = Paper(pid, title, abstract, authors=[f"Author {rng.randint(1, 9999)}"])
            paper_ids.append(pid)
        program_sessions.append(Session(
            id=f"s{index}", kind=rng.choice((SessionKind.TALK, SessionKind.POSTER,
                                             SessionKind.ORAL)),
            title=text(6).capitalize(),
            start=start, end=tz.add(start, dt.timedelta(minutes=length)),
            room=rooms[room], track=tracks[(room + day) % len(tracks)],
            speakers=[f"Speaker {rng.randint(1, 9999)}"], paper_ids=paper_ids))
    return Program(name="Benchmark conference", source_zone="Europe/Berlin",
                   sessions=program_sessions, papers=papers, key="bench")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--papers-per-session", type=int, default=5)
    args = parser.parse_args(argv)

    from planner.storage.store import Store
    from planner.ui.app import application, create_window
    from planner.ui.main_window import TAB_LIST, TAB_TIMELINE
    from planner.ui.worker import wait_for_tasks

    generated_at = time.perf_counter()
    program = make_program(args.sessions, args.papers_per_session)
    generation = time.perf_counter() - generated_at
    print(f"program: {len(program.sessions):,} sessions, {len(program.papers):,} papers "
          f"(generated in {generation:.1f} s, not counted)")

    app = application()
    data = tempfile.TemporaryDirectory(prefix="planner-bench-")
    store = Store(data.name)

    # 1. Time to a shown window with the program in it (parsing is the importers' cost).
    start = time.perf_counter()
    window = create_window(store, "America/Los_Angeles", "light")
    window.resize(1280, 800)
    window.show()
    window.show_program(program)
    window.timeline.view.viewport().repaint()
    window.repaint()
    app.processEvents()
    shown = time.perf_counter() - start
    def wait_for_index() -> None:
        while window.proxy.search_index is None:
            app.processEvents()
            wait_for_tasks(50)

    index_ready = timed(wait_for_index)

    # 2. One search keystroke, on the list, after the debounce (the debounce itself excluded).
    window.show_tab(TAB_LIST)
    app.processEvents()

    def keystroke(text: str) -> float:
        window.search.blockSignals(True)
        window.search.setText(text)
        window.search.blockSignals(False)
        return timed(lambda: (window.apply_search(), app.processEvents()))

    typed = "molecule graph"
    narrowing = []
    steps = []
    for n in range(1, len(typed) + 1):
        if typed[n - 1] == " ":
            continue
        narrowing.append(keystroke(typed[:n]))
        steps.append(f"{typed[:n]!r}: {narrowing[-1] * 1000:.0f} ms, "
                     f"{window.proxy.rowCount()} rows")
    results = window.proxy.rowCount()
    first_letter = narrowing[0]
    cleared = keystroke("")
    keystrokes = narrowing[1:]

    # 3. One star toggle (saved to SQLite, every view updated), list and timeline visible.
    ids = [s.id for s in program.sessions[:: max(1, len(program.sessions) // 40)]]
    paper_ids = [pid for pid in list(program.papers)[:: max(1, len(program.papers) // 40)]]

    def star(item_id: str) -> float:
        # processEvents paints what the star flip marked dirty (offscreen paints at once).
        return timed(lambda: (window.controller.toggle(item_id), app.processEvents()))

    stars_list = [star(i) for i in ids[:20] + paper_ids[:20]]
    window.show_tab(TAB_TIMELINE)
    app.processEvents()
    stars_timeline = [star(i) for i in ids[20:40] + paper_ids[20:40]]
    star_times = stars_list + stars_timeline

    # 4. One timeline scroll step (a wheel notch / arrow), with the repaint.
    view = window.timeline.view
    busiest = max(window.controller.sessions_by_day().items(), key=lambda kv: len(kv[1]))[0]
    view.set_day(busiest, keep_time=False)
    app.processEvents()
    bar = view.verticalScrollBar()
    bar.setValue(0)
    scroll_times = []
    in_view = []
    for step in (1,) * 30 + (-1,) * 30:
        scroll_times.append(timed(lambda s=step: (bar.setValue(bar.value() + s * bar.singleStep()),
                                                  view.viewport().repaint())))
        in_view.append(len(view.visible_blocks()))
    h_bar = view.horizontalScrollBar()
    for _ in range(20):
        scroll_times.append(timed(lambda: (h_bar.setValue(h_bar.value() + h_bar.singleStep()),
                                           view.viewport().repaint())))
        in_view.append(len(view.visible_blocks()))
    visible_blocks = round(statistics.mean(in_view))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ms(value: float) -> str:
        return f"{value * 1000:7.1f} ms"

    print()
    print(f"shown window with the program        {shown:7.2f} s    target ≤ {TARGETS['window']} s"
          f"  {verdict(shown, TARGETS['window'])}")
    print(f"  search index ready after           {index_ready:7.2f} s    (background thread)")
    key_median = statistics.median(keystrokes)
    print(f"search keystroke (median of {len(keystrokes)})     {ms(key_median)}   target ≤ 50 ms"
          f"  {verdict(key_median, TARGETS['keystroke'])}")
    print(f"  worst keystroke                    {ms(max(keystrokes))}")
    print(f"  typing “{typed}”, one letter at a time; {results} sessions match it")
    for step in steps:
        print(f"    {step}")
    print(f"  first letter (matches nearly all)  {ms(first_letter)}")
    print(f"  clearing the search (all rows)     {ms(cleared)}")
    star_median = statistics.median(star_times)
    print(f"star toggle (median of {len(star_times)})          {ms(star_median)}   target ≤ 16 ms"
          f"  {verdict(star_median, TARGETS['star'])}")
    print(f"  worst star toggle                  {ms(max(star_times))}")
    scroll_median = statistics.median(scroll_times)
    print(f"timeline scroll step (median of {len(scroll_times)}) {ms(scroll_median)}   "
          f"target ≤ 16 ms  {verdict(scroll_median, TARGETS['scroll'])}")
    print(f"  worst scroll step                  {ms(max(scroll_times))}  "
          f"({visible_blocks} blocks in view on average, "
          f"{len(window.controller.sessions_by_day()[busiest]):,} on the day)")
    print(f"peak memory (max RSS)                {peak_mb:7.0f} MB   target ≤ 400 MB"
          f"  {verdict(peak_mb, TARGETS['memory'])}")
    window.close()
    wait_for_tasks()
    store.close()
    data.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
