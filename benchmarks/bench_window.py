"""How long a fresh process takes to show the window with the bundled program in it, against a
fresh process that shows a bare PySide6 QMainWindow of the same size (the floor: Python,
PySide6 and Qt starting, one window shown and painted). Both are grabbed into an image, so
both have painted; both end with os._exit right after, so neither pays for its teardown.

Offscreen platform (no display needed); each figure is the median of several runs, the two
kinds alternating so a change in the machine's load hits both alike. Issue 11's goal: ≤ 1.5×.
Bytecode is cached and so is the parsed bundled program (as from a user's second start); a
third kind of run, with an empty cache folder, shows what the very first start costs.

    .venv/bin/python benchmarks/bench_window.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5
WIDTH, HEIGHT = 1280, 800
ROOT = Path(__file__).resolve().parent.parent


def bare_window() -> None:
    """The floor: a QMainWindow of the same size, shown and grabbed."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    window.grab()
    os._exit(0)


def planner_window() -> None:
    """planner's window, as ``planner gui`` opens it, until the bundled program is shown."""
    import planner.ui  # noqa: F401  (first, as planner's entry point does)
    from planner.storage.store import Store
    from planner.ui.app import application, create_window

    app = application()
    store = Store(os.environ["PLANNER_DATA_DIR"])
    window = create_window(store, "Europe/Vienna", "light")
    window.resize(WIDTH, HEIGHT)

    def shown() -> None:
        app.processEvents()
        window.grab()
        # "Shown" means sessions on the timeline, not an empty window with a program behind it.
        shown_ok = window.controller.program is not None and window.timeline.view.visible_blocks()
        os._exit(0 if shown_ok else 1)

    window.programLoaded.connect(shown)
    window.loadFailed.connect(lambda message: os._exit(2))
    window.show()
    window.open_path(None)  # the bundled program, parsed in a worker as at start-up
    app.exec()
    os._exit(3)


def run_once(kind: str, pycache: str, user_cache: str | None = None) -> float:
    """Wall-clock seconds of one fresh process, from start to its grabbed window.

    Bytecode is cached (in ``pycache``, written by the uncounted warm-up run) as an installed
    wheel has it: a shell with PYTHONDONTWRITEBYTECODE would otherwise make every run compile
    planner's modules again, which no user pays for. The user's cache folder (the parsed
    bundled program, :mod:`planner.program_cache`) is ``user_cache``, as from a user's second
    start; None: an empty one, as on the very first start.
    """
    with tempfile.TemporaryDirectory(prefix="planner-bench-window-") as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLANNER_DATA_DIR=data,
                   PYTHONPYCACHEPREFIX=pycache,
                   XDG_CACHE_HOME=user_cache or os.path.join(data, "empty-cache"),
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", kind], env=env,
                              cwd=ROOT, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench_window: the {kind} window failed ({done.returncode}):\n"
                         f"{done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=("bare", "planner"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "bare":
        bare_window()
    if args.child == "planner":
        planner_window()

    print(f"load average when starting: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="planner-bench-pycache-") as scratch:
        pycache, user_cache = os.path.join(scratch, "pycache"), os.path.join(scratch, "cache")
        run_once("bare", pycache), run_once("planner", pycache, user_cache)  # warm-up
        bare: list[float] = []
        planner: list[float] = []
        first: list[float] = []
        for _ in range(args.runs):
            bare.append(run_once("bare", pycache))
            planner.append(run_once("planner", pycache, user_cache))
            first.append(run_once("planner", pycache))
    floor, figure = statistics.median(bare), statistics.median(planner)
    ratio = figure / floor
    print(f"window with the bundled program, fresh process   {figure * 1000:6.0f} ms median "
          f"of {args.runs} (min {min(planner) * 1000:.0f}, max {max(planner) * 1000:.0f})")
    print(f"floor: bare QMainWindow {WIDTH}x{HEIGHT} shown and grabbed "
          f"{floor * 1000:6.0f} ms median (min {min(bare) * 1000:.0f}, "
          f"max {max(bare) * 1000:.0f})")
    print(f"ratio {ratio:.2f}×  goal ≤ {GOAL}×  {'meets' if ratio <= GOAL else 'OVER'}")
    print(f"first start ever (no cached program yet, parsed): {statistics.median(first) * 1000:.0f}"
          f" ms median, {statistics.median(first) / floor:.2f}× the floor (not the goal's case)")
    print(f"load average when done: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
