"""Fuzz seeds for the Mini-Conf, Indico and CSV importers: small cuts of the real files in
``../shared/data`` (a few events, papers and rows each) and the Indico fixtures, so one input
parses in milliseconds and mutations reach the readers' own code."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _dump(value: Any) -> bytes:
    return json.dumps(value, indent=1, ensure_ascii=False).encode("utf-8")


def _first(mapping: dict[str, Any], count: int) -> dict[str, Any]:
    return dict(list(mapping.items())[:count])


def _conference(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    events = list(data["events"].values())
    chosen = [*events[:4], *[e for e in events if not e.get("room")][:2]]
    ids = {pid for event in chosen for pid in event.get("paper_ids", [])}
    papers = {key: {**value, "abstract": value.get("abstract", "")[:200]}
              for key, value in data["papers"].items() if key in ids}
    sessions = _first(data["sessions"], 2)
    for session in sessions.values():
        session["events"] = _first(session.get("events", {}), 2)
    return _dump({"sessions": sessions, "papers": papers,
                  "events": {event["id"]: event for event in chosen}})


def _booklet(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    return _dump({key: [{k: (v[:300] if isinstance(v, str) else v) for k, v in item.items()}
                        for item in value[:2]] for key, value in data.items()})


def _csv_head(path: Path, rows: int = 6, width: int = 300) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, row in enumerate(csv.reader(io.StringIO(path.read_text("utf-8"), newline=""))):
        if number > rows:
            break
        writer.writerow([cell[:width] for cell in row])
    return out.getvalue().encode("utf-8")


def _lines(path: Path, count: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:count])


_HOSTILE_YAML = (
    b"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n"
    b"z1A:\n  start_time: 2020-11-16 16:00:00+00:00\n  name: Bomb\n  papers: [*c]\n",
    b"z1A:\n  start_time: !!python/object/apply:os.system ['true']\n  papers: []\n",
    b"- title: x\n  start: 2020-11-17 02:00:00+00:00\n  calendarId: '---'\n  end: 5\n",
)


def structured_seeds(shared: Path | None) -> list[tuple[str, str, bytes]]:
    """(format, name, data) for every seed."""
    seeds: list[tuple[str, str, bytes]] = []
    fixtures = REPO / "tests" / "fixtures"
    for path in sorted(fixtures.glob("indico_*.json")):
        seeds.append(("indico", path.stem, path.read_bytes()))
    for number, data in enumerate(_HOSTILE_YAML):
        seeds.append(("mini-conf", f"hostile-yaml-{number}", data))
    if shared is None:
        return seeds
    ml = shared / "ml-conf"
    readers = {
        "miniconf_acl2023_conference.json": _conference,
        "miniconf_acl2023_booklet_data.json": _booklet,
        "miniconf_acl2023_socials_data.json": lambda p: _dump(json.loads(p.read_bytes())[:4]),
        "miniconf_iclr2020_main_calendar.json": lambda p: _dump(
            json.loads(p.read_bytes())[:5]),
        "miniconf_iclr2020_papers.csv": _csv_head,
        "miniconf_iclr2020_speakers.csv": _csv_head,
        "miniconf_emnlp2020_main_papers.csv": _csv_head,
        "miniconf_emnlp2020_overall_calendar.yml": lambda p: _lines(p, 40),
        "miniconf_emnlp2020_paper_sessions.yml": lambda p: _lines(p, 40),
        "miniconf_emnlp2020_plenary_sessions.yml": lambda p: _lines(p, 30),
    }
    for name, read in readers.items():
        path = ml / name
        if path.is_file():
            seeds.append(("mini-conf", path.stem, read(path)))
    gpn = shared / "other-formats" / "csv_gpn11.csv"
    if gpn.is_file():
        seeds.append(("csv", gpn.stem, _csv_head(gpn, rows=5, width=400)))
    return seeds
