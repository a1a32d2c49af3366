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

WORDS = ("learning neural network graph model training data robust adversarial molecule "
         "representation contrastive language vision reinforcement policy optimisation "
         "gradient sparse attention transformer federated privacy causal inference generative "
         "diffusion energy kernel bayesian uncertainty calibration ensemble pruning "
         "quantisation hardware compiler scheduling memory latency throughput benchmark "
         "dataset evaluation fairness interpretability explanation theory bound convergence "
         "stochastic variational sampling markov chain monte carlo protein drug chemistry "
         "physics simulation climate ocean weather health medical imaging speech audio "
         "music video robotics control planning navigation multi agent game").split()


def make_program(sessions: int, papers_per_session: int, seed: int = 7) -> Program:
    """A five-day program in 40 rooms and 20 tracks, with abstracts of ~120 words."""
    rng = random.Random(seed)
    zone = tz.get_zone("Europe/Berlin")
    rooms = [f"Room {i:02d}" for i in range(40)]
    tracks = [f"Track {rng.choice(WORDS).title()} {i}" for i in range(20)]
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
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
            abstract = " ".join(rng.choice(WORDS) for _ in range(120)).capitalize() + "."
            papers[pid] = Paper(pid, title, abstract, authors=[f"Author {rng.randint(1, 9999)}"])
            paper_ids.append(pid)
        program_sessions.append(Session(
            id=f"s{index}", kind=rng.choice((SessionKind.TALK, SessionKind.POSTER,
                                             SessionKind.ORAL)),
            title=" ".join(rng.choice(WORDS) for _ in range(6)).capitalize(),
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

    from PySide6.QtWidgets import QApplication

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
    QApplication.processEvents()
    shown = time.perf_counter() - start
    index_ready = timed(lambda: (wait_for_tasks(), QApplication.processEvents()))
    assert window.proxy.search_index is not None

    # 2. One search keystroke, on the list, after the debounce (the debounce itself excluded).
    window.show_tab(TAB_LIST)
    QApplication.processEvents()

    def keystroke(text: str) -> float:
        window.search.blockSignals(True)
        window.search.setText(text)
        window.search.blockSignals(False)
        return timed(lambda: (window.apply_search(), window.list_view.viewport().repaint(),
                              QApplication.processEvents()))

    narrowing = [keystroke(text) for text in ("m", "mo", "mol", "mole", "molec", "molecu",
                                              "molecul", "molecule", "molecule s",
                                              "molecule sa")]
    first_letter = narrowing[0]
    cleared = keystroke("")
    rare = keystroke("zq")
    keystrokes = narrowing[1:] + [rare]
    keystroke("")

    # 3. One star toggle (saved to SQLite, every view updated), list and timeline visible.
    ids = [s.id for s in program.sessions[:: max(1, len(program.sessions) // 40)]]
    paper_ids = [pid for pid in list(program.papers)[:: max(1, len(program.papers) // 40)]]

    def star(item_id: str) -> float:
        return timed(lambda: (window.controller.toggle(item_id),
                              window.list_view.viewport().repaint(),
                              window.timeline.view.viewport().repaint(),
                              QApplication.processEvents()))

    stars_list = [star(i) for i in ids[:20] + paper_ids[:20]]
    window.show_tab(TAB_TIMELINE)
    QApplication.processEvents()
    stars_timeline = [star(i) for i in ids[20:40] + paper_ids[20:40]]
    star_times = stars_list + stars_timeline

    # 4. One timeline scroll step (a wheel notch / arrow), with the repaint.
    view = window.timeline.view
    busiest = max(window.controller.sessions_by_day().items(), key=lambda kv: len(kv[1]))[0]
    view.set_day(busiest, keep_time=False)
    QApplication.processEvents()
    bar = view.verticalScrollBar()
    bar.setValue(0)
    scroll_times = []
    for _ in range(60):
        scroll_times.append(timed(lambda: (bar.setValue(bar.value() + bar.singleStep()),
                                           view.viewport().repaint())))
    h_bar = view.horizontalScrollBar()
    for _ in range(20):
        scroll_times.append(timed(lambda: (h_bar.setValue(h_bar.value() + h_bar.singleStep()),
                                           view.viewport().repaint())))
    visible_blocks = len(view.visible_blocks())

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
    print(f"  first letter (matches everything)  {ms(first_letter)}")
    print(f"  clearing the search (all rows)     {ms(cleared)}")
    star_median = statistics.median(star_times)
    print(f"star toggle (median of {len(star_times)})          {ms(star_median)}   target ≤ 16 ms"
          f"  {verdict(star_median, TARGETS['star'])}")
    print(f"  worst star toggle                  {ms(max(star_times))}")
    scroll_median = statistics.median(scroll_times)
    print(f"timeline scroll step (median of {len(scroll_times)}) {ms(scroll_median)}   "
          f"target ≤ 16 ms  {verdict(scroll_median, TARGETS['scroll'])}")
    print(f"  worst scroll step                  {ms(max(scroll_times))}  "
          f"({visible_blocks} blocks in view, "
          f"{len(window.controller.sessions_by_day()[busiest]):,} on the day)")
    print(f"peak memory (max RSS)                {peak_mb:7.0f} MB   target ≤ 400 MB"
          f"  {verdict(peak_mb, TARGETS['memory'])}")
    window.close()
    store.close()
    data.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
