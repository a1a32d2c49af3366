"""How long hostile inputs take to open, against a harmless input of the same size and format.

The unit tests bound the work these inputs cause (function calls, memory) and guard against
hangs; the time itself is measured here, where a busy machine cannot fail a test. Each hostile
input (the backtracking HTML that once took minutes, 3,000 identical events, a 200,000-character
zone line, rules that make dateutil search to the year 9999) is timed interleaved with its
floor: the same importer on an input of the same length made of plain words. A linear importer
stays near 1x; a backtracking one is off the scale. Exit status 1 when a ratio exceeds
``--max-ratio`` (default 25: cleaning tag-like text costs about 10x plain words, linearly),
unless --no-fail.

Usage: .venv/bin/python benchmarks/bench_hostile.py [--runs N] [--max-ratio R] [--no-fail]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable

Case = tuple[str, str, str, str]  # name, format, hostile text, floor text


def _xml(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<schedule><conference><title>T</title>'
            f'</conference><day date="2021-05-07"><room name="A">{body}</room></day></schedule>')


def _event(number: int, extra: str = "") -> str:
    return (f'<event id="{number}"><start>10:00</start><duration>00:30</duration>'
            f"<title>A talk</title>{extra}</event>")


def _ics(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", *lines,
                        "END:VCALENDAR", ""])


def _vevent(uid: str, *more: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20240101T000000Z",
            "DTSTART:20210507T090000Z", "SUMMARY:Talk", *more, "END:VEVENT"]


def _words(length: int) -> str:
    return ("word " * (length // 5 + 1))[:length]


def cases() -> list[Case]:
    found: list[Case] = []
    for name, pattern in (("unclosed tags", "&lt;p "), ("unclosed quotes", '&lt;p "'),
                          ("unclosed script", "&lt;script "), ("bang", "&lt;!"),
                          ("comments", "&lt;!--"), ("ampersands", "&amp;a")):
        hostile = pattern * 100_000
        found.append((f"frab XML abstract: {name}", "frab-xml",
                      _xml(_event(1, f"<abstract>{hostile}</abstract>")),
                      _xml(_event(1, f"<abstract>{_words(len(hostile))}</abstract>"))))
    found.append(("frab XML: 3,000 identical events", "frab-xml", _xml(_event(1) * 3000),
                  _xml("".join(_event(number) for number in range(3000)))))
    line = "TZ: a" + " " * 200_000 + "x"
    found.append(("iCalendar: 200,000-character line", "ics",
                  _ics(line, *_vevent("a")), _ics("X-NOTE:" + _words(len(line)), *_vevent("a"))))
    description = "DESCRIPTION:" + "<p " * 100_000
    found.append(("iCalendar: unclosed HTML in a description", "ics",
                  _ics(*_vevent("a", description)),
                  _ics(*_vevent("a", "DESCRIPTION:" + _words(len(description) - 12)))))
    rules = ("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "RRULE:FREQ=SECONDLY",
             "RRULE:FREQ=YEARLY;BYWEEKNO=20")
    found.append(("iCalendar: rules dateutil searches to 9999", "ics",
                  _ics(*(line for n, rule in enumerate(rules) for line in _vevent(f"r{n}", rule))),
                  _ics(*(line for n in range(len(rules))
                         for line in _vevent(f"r{n}", "RRULE:FREQ=DAILY;COUNT=1")))))
    return found


def _cpu(action: Callable[..., object], *args: object) -> float:
    started = time.process_time()
    with contextlib.suppress(Exception):  # a refusal is an answer too; its cost is measured
        action(*args)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-ratio", type=float, default=25.0)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args(argv)

    from planner.importers import ImportOptions, parse_text

    options = ImportOptions()
    worst = 0.0
    print(f"{'input':46} {'hostile':>10} {'floor':>10} {'ratio':>7}   (CPU, median of "
          f"{args.runs})")
    for name, format_name, hostile, floor in cases():
        hostile_times, floor_times = [], []
        for _ in range(args.runs):
            hostile_times.append(_cpu(parse_text, hostile, options, "h", format_name))
            floor_times.append(_cpu(parse_text, floor, options, "f", format_name))
        hostile_s, floor_s = statistics.median(hostile_times), statistics.median(floor_times)
        ratio = hostile_s / max(floor_s, 1e-4)
        worst = max(worst, ratio)
        print(f"{name:46} {hostile_s * 1000:8.1f}ms {floor_s * 1000:8.1f}ms {ratio:6.1f}x")
    print(f"worst ratio {worst:.1f}x (limit {args.max_ratio:.0f}x)")
    return 1 if worst > args.max_ratio and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
