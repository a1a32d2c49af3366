"""Fuzz every importer with mutations of real programs; keep every crashing input.

Program files come from the internet; a malformed or crafted one may only ever give a
:class:`~planner.core.model.Program` or the importer's :class:`~planner.core.errors.ProgramError`.
Anything else (another exception, a hang, a memory blow-up) is a failure.

Seeds are small cuts of the real files in ``../shared/data`` (a few days, rooms and events of
each frab file, the first events of each .ics, blocks of the copied ICLR page) plus whole small
files (the iCalendar conformance set), so one input parses in milliseconds and mutations reach
deep code. Mutations: bit flips, truncation, line duplication and deletion, splicing with other
seeds, random unicode insertion, and swapping numbers and values for extreme ones.

The normal test run drives :func:`mutate` through hypothesis
(``tests/reliability/test_fuzz_importers.py``). The long run drives it with seeded
:class:`random.Random` in worker processes, each input bounded in time (SIGALRM, and a watchdog
that kills a stuck worker) and memory (RLIMIT_AS)::

    python tools/fuzz_importers.py --inputs 100000

Every failing input is written to ``tests/reliability/fuzz_regressions/<format>/`` where the
normal test run replays it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import importlib.util
import json
import random
import re
import signal
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parent.parent
REGRESSIONS = REPO / "tests" / "reliability" / "fuzz_regressions"
SHARED_CANDIDATES = (REPO.parent / "shared" / "data", Path("/work/shared/data"))

# Seconds one input may take before it counts as a hang (in-process alarm; the watchdog that
# kills a stuck worker waits a little longer).
INPUT_TIMEOUT = 10.0
# Address-space cap of a long-run worker: a program file is at most 64 MB of text.
WORKER_MEMORY = 3 * 1024**3

FORMATS = {
    "frab-xml": "planner.importers.frab_xml",
    "frab-json": "planner.importers.frab_json",
    "ics": "planner.importers.ical",
    "indico": "planner.importers.indico",
    "mini-conf": "planner.importers.miniconf",
    "csv": "planner.importers.csv_schedule",
    "virtual-page": "planner.importers.virtual_page",
}


def shared_data() -> Path | None:
    for candidate in SHARED_CANDIDATES:
        if candidate.is_dir():
            return candidate
    return None


def available_formats() -> list[str]:
    """Importers that have landed in this build."""
    return [name for name, module in FORMATS.items()
            if importlib.util.find_spec(module) is not None]


# -- seeds: small cuts of the real files -----------------------------------------------------
def _cut_xml(data: bytes, days: int = 2, rooms: int = 3, events: int = 3) -> bytes | None:
    """The first days/rooms/events of a frab XML file, everything else of it kept."""
    try:
        root = ET.fromstring(data)  # our own trusted corpus, not user input
    except ET.ParseError:
        return None
    for day in root.findall("day")[days:]:
        root.remove(day)
    for day in root.findall("day"):
        for room in day.findall("room")[rooms:]:
            day.remove(room)
        for room in day.findall("room"):
            for event in room.findall("event")[events:]:
                room.remove(event)
        for event in day.findall("event")[events + 1:]:  # legacy: events under <day>
            day.remove(event)
    body: bytes = ET.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _shrink_json(value: object, depth: int = 0) -> object:
    if isinstance(value, list):
        return [_shrink_json(item, depth + 1) for item in value[:2]]
    if isinstance(value, dict):
        items = list(value.items())
        if all(isinstance(v, list) for _, v in items) and len(items) > 2 and depth > 2:
            items = items[:2]  # rooms: {"Room": [events]}
        return {key: _shrink_json(item, depth + 1) for key, item in items}
    return value


def _cut_json(data: bytes) -> bytes | None:
    try:
        document = json.loads(data)
    except ValueError:
        return None
    return json.dumps(_shrink_json(document), indent=1, ensure_ascii=False).encode("utf-8")


def _cut_ics(data: bytes, events: int = 3) -> bytes:
    text = data.decode("utf-8", errors="replace")
    parts = re.split(r"(?=BEGIN:VEVENT)", text)
    head, rest = parts[0], parts[1:events + 1]
    body = "".join(part.split("END:VEVENT", 1)[0] + "END:VEVENT\r\n" for part in rest)
    return (head + body + "END:VCALENDAR\r\n").encode("utf-8")


_HEADER = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w+ \d\d:\d\d [ap]\.m\.")


def _cut_page(data: bytes, blocks: int = 3, every: int = 4) -> list[bytes]:
    """Runs of a few session blocks of a copied page, abstracts clipped to 300 characters."""
    lines = data.decode("utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if _HEADER.search(line)] or [0]
    seeds = []
    for index in range(0, len(starts), every):
        first = starts[index]
        last = starts[index + blocks] if index + blocks < len(starts) else len(lines)
        begin = max(0, first - 3)
        chunk = [line[:300] for line in lines[begin:last]][:60]
        seeds.append(("\n".join(chunk) + "\n").encode("utf-8"))
    return seeds


@dataclasses.dataclass(frozen=True)
class Seed:
    format: str
    name: str
    data: bytes


def load_seeds(shared: Path | None = None) -> list[Seed]:
    """Every seed, by format; deterministic for a given corpus."""
    shared = shared or shared_data()
    seeds: list[Seed] = []
    from planner.bundled import bundled_program

    page = bundled_program()
    if page.is_file():
        for number, chunk in enumerate(_cut_page(page.read_bytes())):
            seeds.append(Seed("virtual-page", f"iclr2021-page-{number}", chunk))
    try:
        from tools.fuzz_seeds_structured import structured_seeds
    except ImportError:  # run as a script: tools/ is on sys.path, the repository may not be
        from fuzz_seeds_structured import structured_seeds  # type: ignore[no-redef]

    seeds.extend(Seed(*seed) for seed in structured_seeds(shared))
    if shared is None:
        return seeds
    for path in sorted((shared / "frab-xml").glob("*.xml")):
        raw = path.read_bytes()
        cut = _cut_xml(raw)
        if cut is not None:
            seeds.append(Seed("frab-xml", path.stem, cut))
        if "fosdem2010" in path.name or "38c3" in path.name:  # a few cut mid-element
            seeds.append(Seed("frab-xml", path.stem + "-head", raw[:6000]))
    for path in sorted((shared / "frab-json").glob("*.json")):
        cut = _cut_json(path.read_bytes())
        if cut is not None and len(cut) < 200_000:
            seeds.append(Seed("frab-json", path.stem, cut))
    for path in sorted((shared / "ics").glob("*.ics")):
        seeds.append(Seed("ics", path.stem, _cut_ics(path.read_bytes())))
    for path in sorted((shared / "ical-conformance").glob("*/*.ics")):
        seeds.append(Seed("ics", path.stem, path.read_bytes()))
    workshop = shared / "ml-conf" / "workshop_iclr2021-synthetic-data-generation_schedule-page.md"
    if workshop.is_file():
        seeds.append(Seed("virtual-page", workshop.stem, workshop.read_bytes()[:4000]))
    return seeds


def seeds_by_format(seeds: Sequence[Seed]) -> dict[str, list[Seed]]:
    grouped: dict[str, list[Seed]] = {}
    for seed in seeds:
        grouped.setdefault(seed.format, []).append(seed)
    return grouped


# -- mutations --------------------------------------------------------------------------------
# Characters that break parsers: controls, BOMs, separators, bidi marks, combining marks,
# astral characters, XML/JSON/iCalendar syntax, and digits.
_UNICODE = ("\x00", "\x01", "\x0b", "\x1b[31m", "\x7f", "\x85", "\u00a0", "\u200b", "\u200e",
            "\u202e", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "\U0001f600",
            "\U0010ffff", "e\u0301", "\u0130", "ß", "中", "<", ">", "&", "&amp;", "&#0;",
            "&#x110000;", '"', "'", "\\", "\\u0000", "\\ud800", "{", "}", "[", "]", ":", ";",
            ",", "=", "\r", "\n", "\r\n ", "\t", " ", "0", "9", "-", "+", "T", "Z", "/")
_NUMBERS = (b"0", b"-1", b"00", b"99", b"9999", b"99999999999999999999", b"1e309", b"-0",
            b"24", b"25", b"60", b"61", b"1900", b"0001", b"9999", b"2038", b"NaN", b"")
_NUMBER = re.compile(rb"\d+")


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(buffer))
        buffer[position] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


def _duplicate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    block = lines[start:start + rng.randint(1, 5)]
    copies = rng.choice((1, 2, 3, 10, 50))
    return b"".join(lines[:start] + block * copies + lines[start:])


def _delete_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    return b"".join(lines[:start] + lines[start + rng.randint(1, 8):])


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if len(lines) < 2:
        return data
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def _insert_unicode(data: bytes, rng: random.Random) -> bytes:
    position = rng.randint(0, len(data))
    if rng.random() < 0.5:
        inserted = "".join(rng.choice(_UNICODE) for _ in range(rng.randint(1, 4)))
    else:
        inserted = "".join(chr(rng.choice((rng.randint(0, 0x7F), rng.randint(0x80, 0xFFFF),
                                            rng.randint(0x10000, 0x10FFFF))))
                           for _ in range(rng.randint(1, 6)))
    encoded = inserted.encode("utf-8", errors="surrogatepass")
    return data[:position] + encoded + data[position:]


def _random_bytes(data: bytes, rng: random.Random) -> bytes:
    position = rng.randint(0, len(data))
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    if rng.random() < 0.5:
        return data[:position] + junk + data[position:]
    return data[:position] + junk + data[position + len(junk):]


def _extreme_number(data: bytes, rng: random.Random) -> bytes:
    matches = list(_NUMBER.finditer(data))
    if not matches:
        return data
    match = rng.choice(matches)
    return data[:match.start()] + rng.choice(_NUMBERS) + data[match.end():]


def _cut_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 200):]


def _repeat_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, 64)]
    return data[:start] + chunk * rng.choice((2, 5, 100, 1000)) + data[start:]


# Values that stress what importers do with a well-formed field: empty, impossible dates and
# clocks, extreme years and offsets, unknown zones, huge numbers, long and odd strings.
_VALUES = ("", " ", "0", "-1", "1e309", "NaN", "null", "true", "[]", "{}", "25:61", "99:99",
           "24:00", "00:00:60", "-00:30", "23:59:59.999999", "2021-02-30", "2021-13-01",
           "0000-01-01", "0001-01-01T00:00:00-23:59", "9999-12-31T23:59:59+14:00",
           "2021-05-07T02:00:00", "2021-05-07T02:00:00Z", "2021-03-28T02:30:00",
           "20210507T020000", "20210507T020000Z", "99991231T235959Z", "19000101",
           "P1Y", "PT-5M", "P99999999D", "-PT1H", "Europe/Nowhere", "Europe/Vienna",
           "Pacific/Kiritimati", "Asia/Kathmandu", "+99:99", "Z", "UTC", "lecture",
           "workshop", "javascript:alert(1)", "file:///etc/passwd", "http://", "https://x",
           "a" * 5000, "\u0000", "&lt;script&gt;", "\n" * 50, "‮evil", "😀" * 20)
_XML_TEXT = re.compile(rb">([^<>]{0,200})<|=\"([^\"<>]{0,200})\"")
_JSON_STRING = re.compile(rb'"((?:[^"\\\n]|\\.){0,200})"|:\s*(-?\d+(?:\.\d+)?|true|false|null)')
_ICS_VALUE = re.compile(rb"^[A-Z-]+(?:;[^:\r\n]*)?:([^\r\n]{0,200})", re.MULTILINE)


def _swap_value(data: bytes, rng: random.Random) -> bytes:
    """Replace one field's value, keeping the document well-formed (mostly): reaches the
    importer's own logic instead of the XML/JSON parser's error path."""
    pattern = rng.choice((_XML_TEXT, _JSON_STRING, _ICS_VALUE))
    matches = list(pattern.finditer(data[:200_000]))
    if not matches:
        return data
    match = rng.choice(matches)
    group = 1 if match.group(1) is not None else 2
    start, end = match.span(group)
    value = rng.choice(_VALUES)
    if pattern is _JSON_STRING and group == 2 and rng.random() < 0.5:
        value = rng.choice(('"x"', "[]", "{}", "null", "-1", "1e400", '""', "[1,2]"))
    elif pattern is _XML_TEXT:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    elif pattern is _JSON_STRING and group == 1:
        value = json.dumps(value)[1:-1]
    return data[:start] + value.encode("utf-8") + data[end:]


def _json_node(data: bytes, rng: random.Random) -> bytes:
    """Replace one node of a JSON document with a value of another type."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return _swap_value(data, rng)
    nodes: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if len(nodes) > 5000:
            return
        if isinstance(node, dict):
            for key, child in node.items():
                nodes.append((node, key))
                walk(child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                nodes.append((node, index))
                walk(child)

    walk(document)
    if not nodes:
        return data
    parent, key = rng.choice(nodes)
    replacement = rng.choice((None, [], {}, 0, -1, 10**30, 1e308, "", "x", True, [None],
                              {"": None}, rng.choice(_VALUES)))
    if rng.random() < 0.15 and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = replacement  # type: ignore[index]
    return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8")


MUTATORS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _flip, _truncate, _duplicate_lines, _delete_lines, _swap_lines, _insert_unicode,
    _random_bytes, _extreme_number, _cut_range, _repeat_range,
    _swap_value, _swap_value, _swap_value, _json_node,
)
MAX_INPUT = 1_000_000  # mutations that grow past this are cut: size limits are tested apart


def splice(data: bytes, other: bytes, rng: random.Random) -> bytes:
    """Part of ``data`` followed by part of another seed (maybe another format)."""
    if rng.random() < 0.5:
        return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]
    position = rng.randint(0, len(data))
    start = rng.randint(0, len(other))
    return data[:position] + other[start:start + rng.randint(1, 2000)] + data[position:]


def mutate(seed: bytes, rng: random.Random, others: Sequence[bytes] = ()) -> bytes:
    """One to four stacked mutations of ``seed``; ``others`` are seeds to splice in.

    Half of the time only values are swapped, so the document stays well-formed and the
    importer's own logic (times, zones, ids) is exercised rather than the parser's errors.
    """
    data = seed
    if rng.random() < 0.5:
        for _ in range(rng.choice((1, 1, 2, 3, 5))):
            data = (_json_node if rng.random() < 0.3 else _swap_value)(data, rng)
        return data[:MAX_INPUT]
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        if others and rng.random() < 0.1:
            data = splice(data, rng.choice(others), rng)
        else:
            data = rng.choice(MUTATORS)(data, rng)
    return data[:MAX_INPUT]


# -- one input --------------------------------------------------------------------------------
class InputTimeout(BaseException):
    """Raised by the alarm inside the importer: a hang. BaseException so no ``except
    Exception`` in an importer can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`InputTimeout` (main thread only)."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise InputTimeout(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclasses.dataclass
class Outcome:
    """``program``, ``error`` (a ProgramError: allowed) or ``failure`` with the traceback."""

    kind: str
    detail: str = ""
    program: object = None


def forget_library_state() -> None:
    """Judge each input on its own: icalendar keeps the first VTIMEZONE it saw for a custom
    TZID in a process-wide cache, so one input's zone leaks into the next one's parse (a bug
    of its own, tested in test_hostile_content: test_ics_zone_does_not_leak_between_files)."""
    try:
        from icalendar.timezone import tzp
    except ImportError:
        return
    cache = getattr(tzp, "_TZP__tz_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def run_input(format_name: str, data: bytes, timeout: float = INPUT_TIMEOUT) -> Outcome:
    """Decode and parse one input as the app does; classify what happened."""
    from planner.core.errors import ProgramError
    from planner.core.model import Program
    from planner.importers import ImportOptions, detect_format, parse_text
    from planner.importers.reading import decode_program_bytes

    forget_library_state()
    try:
        with time_limit(timeout):
            text = decode_program_bytes(data, "fuzz-input")
            with contextlib.suppress(ProgramError):
                detect_format(text, "fuzz-input")  # every sniff must cope, too
            program = parse_text(text, ImportOptions(year=2021), "fuzz-input", format_name)
    except ProgramError as error:
        if not str(error).strip():
            return Outcome("failure", "ProgramError with an empty message")
        return Outcome("error", str(error)[:300])
    except InputTimeout as timeout_error:
        return Outcome("failure", f"hang: {timeout_error}")
    except MemoryError:
        return Outcome("failure", "MemoryError (memory blow-up)")
    except Exception:  # any other exception is exactly what we look for
        return Outcome("failure", traceback.format_exc(limit=-8))
    if not isinstance(program, Program):
        return Outcome("failure", f"parse returned {type(program).__name__}, not a Program")
    problem = check_program(program)
    if problem:
        return Outcome("failure", f"inconsistent program: {problem}")
    return Outcome("program", program=program)


def check_program(program: object) -> str:
    """Invariants every importer promises: unique ids, aware ordered times, plain strings."""
    from planner.core.model import Program

    assert isinstance(program, Program)
    ids = [session.id for session in program.sessions]
    if len(ids) != len(set(ids)):
        return "duplicate session ids"
    if set(ids) & set(program.papers):
        return "a paper and a session share an id"
    texts = [program.name, program.source_zone, *program.warnings]
    for session in program.sessions:
        texts += [session.id, session.title, session.subtitle, session.description,
                  session.room, session.location, session.track, session.language,
                  *session.speakers, *(link.url for link in session.links),
                  *(link.title for link in session.links)]
    for paper in program.papers.values():
        texts += [paper.id, paper.title, paper.abstract, paper.link, *paper.authors]
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return (f"text with a lone surrogate (cannot be printed, saved or exported): "
                    f"{text[:80]!r}")
        except AttributeError:
            return f"a text field holds {type(text).__name__}, not str"
    for session in program.sessions:
        if not session.id or not isinstance(session.id, str):
            return f"empty session id for {session.title!r}"
        if not isinstance(session.title, str):
            return f"session {session.id}: title is {type(session.title).__name__}"
        for value in (session.start, session.end):
            if value is not None and value.utcoffset() is None:
                return f"session {session.id}: naive time"
    return ""


def regression_path(format_name: str, data: bytes) -> Path:
    digest = hashlib.sha1(data).hexdigest()[:16]
    return REGRESSIONS / format_name / f"{digest}.bin"


def keep_failure(format_name: str, data: bytes, detail: str) -> Path:
    """Write a failing input (and why, beside it) where the normal test run replays it."""
    path = regression_path(format_name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
        path.with_suffix(".txt").write_text(detail.strip() + "\n", encoding="utf-8")
    return path


# -- the long run: workers --------------------------------------------------------------------
def input_for(format_name: str, index: int, base_seed: int,
              grouped: dict[str, list[Seed]], everything: Sequence[bytes]) -> bytes:
    """Input number ``index`` of a format: reproducible from (format, index, base seed)."""
    rng = random.Random(f"{base_seed}:{format_name}:{index}")
    seed = rng.choice(grouped[format_name])
    return mutate(seed.data, rng, everything)


def worker(format_name: str, start: int, count: int, base_seed: int) -> int:
    """Run inputs start..start+count; print one line per input (``ok``/``error``/``fail``)."""
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    seeds = load_seeds()
    grouped = seeds_by_format(seeds)
    everything = [seed.data for seed in seeds]
    out = sys.stdout
    for index in range(start, start + count):
        data = input_for(format_name, index, base_seed, grouped, everything)
        out.write(f"start {index}\n")
        out.flush()
        outcome = run_input(format_name, data)
        if outcome.kind == "failure":
            path = keep_failure(format_name, data, outcome.detail)
            first = outcome.detail.strip().splitlines()[-1] if outcome.detail.strip() else "?"
            out.write(f"fail {index} {path.name} {first}\n")
        else:
            out.write(f"{outcome.kind} {index}\n")
        out.flush()
    return 0


@dataclasses.dataclass
class FormatTotals:
    format: str
    inputs: int = 0
    programs: int = 0
    errors: int = 0
    failures: int = 0
    hangs: int = 0
    worker_deaths: int = 0
    seconds: float = 0.0
    kept: list[str] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        return (f"{self.format}: {self.inputs} inputs, {self.programs} programs, {self.errors} "
                f"clear errors, {self.failures} failures ({self.hangs} hangs, "
                f"{self.worker_deaths} worker deaths) in {self.seconds:.0f} s")


def run_batch(format_name: str, start: int, count: int, base_seed: int,
              totals: FormatTotals) -> None:
    """One worker over a range; a worker that dies or stalls is replaced after the input."""
    import queue
    import threading

    position = start
    end = start + count
    while position < end:
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", format_name,
                   "--start", str(position), "--count", str(end - position),
                   "--seed", str(base_seed)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
        stdout = child.stdout
        assert stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: object = stdout, sink: queue.Queue[str | None] = lines) -> None:
            for line in stream:  # type: ignore[attr-defined]
                sink.put(line.rstrip("\n"))
            sink.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current: int | None = None
        while True:
            try:
                line = lines.get(timeout=INPUT_TIMEOUT * 3)
            except queue.Empty:
                child.kill()  # stuck in C code the alarm cannot interrupt
                break
            if line is None:
                break
            word, _, rest = line.partition(" ")
            index = int(rest.split(" ", 1)[0]) if rest else -1
            if word == "start":
                current = index
                continue
            totals.inputs += 1
            current = None
            position = index + 1
            if word == "program":
                totals.programs += 1
            elif word == "error":
                totals.errors += 1
            elif word == "fail":
                totals.failures += 1
                if "hang" in line:
                    totals.hangs += 1
                totals.kept.append(line)
                print(f"  FAIL {format_name} #{index}: {line}", flush=True)
        child.wait()
        stdout.close()
        if current is not None:  # died or stalled on this input
            data = _regenerate(format_name, current, base_seed)
            why = ("worker killed: no answer" if child.returncode == -signal.SIGKILL
                   else f"worker died with status {child.returncode}")
            path = keep_failure(format_name, data, why)
            totals.inputs += 1
            totals.failures += 1
            totals.worker_deaths += 1
            totals.kept.append(f"fail {current} {path.name} {why}")
            print(f"  FAIL {format_name} #{current}: {why} ({path.name})", flush=True)
            position = current + 1
        elif position < end:
            raise SystemExit(f"worker stopped early (status {child.returncode})")


_CACHE: dict[str, object] = {}


def _regenerate(format_name: str, index: int, base_seed: int) -> bytes:
    if "seeds" not in _CACHE:
        _CACHE["seeds"] = load_seeds()
    seeds: list[Seed] = _CACHE["seeds"]  # type: ignore[assignment]
    return input_for(format_name, index, base_seed, seeds_by_format(seeds),
                     [seed.data for seed in seeds])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000,
                        help="inputs in all, shared evenly between the importers")
    parser.add_argument("--format", action="append", dest="formats", choices=list(FORMATS),
                        help="only this importer (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes at once")
    parser.add_argument("--seed", type=int, default=0, help="base seed (inputs are "
                        "reproducible from format, index and this seed)")
    parser.add_argument("--batch", type=int, default=2000, help="inputs per worker process")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.start, args.count, args.seed)

    formats = args.formats or available_formats()
    if not formats:
        print("no importer has landed yet")
        return 1
    grouped = seeds_by_format(load_seeds())
    missing = [name for name in formats if not grouped.get(name)]
    if missing:
        print(f"no seeds for {missing}: is ../shared/data there?")
        return 1
    per_format = args.inputs // len(formats)
    print(f"fuzzing {formats}: {per_format} inputs each, seed {args.seed}, {args.jobs} jobs",
          flush=True)
    import concurrent.futures
    import threading

    results = {name: FormatTotals(name) for name in formats}
    lock = threading.Lock()
    started = {name: time.monotonic() for name in formats}

    def job(name: str, start: int, count: int) -> None:
        local = FormatTotals(name)
        began = time.monotonic()
        run_batch(name, start, count, args.seed, local)
        with lock:
            total = results[name]
            for field in ("inputs", "programs", "errors", "failures", "hangs",
                          "worker_deaths"):
                setattr(total, field, getattr(total, field) + getattr(local, field))
            total.seconds += time.monotonic() - began
            total.kept.extend(local.kept)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(job, name, start, min(args.batch, per_format - start))
                   for name in formats for start in range(0, per_format, args.batch)]
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            future.result()
            if done % 5 == 0 or done == len(futures):
                print(f"  {done}/{len(futures)} batches; "
                      + "; ".join(f"{t.format} {t.inputs}" for t in results.values()),
                      flush=True)
    del started
    for totals in results.values():
        print(totals.line())
    if args.json:
        Path(args.json).write_text(json.dumps([dataclasses.asdict(t) for t in results.values()],
                                              indent=2), encoding="utf-8")
    failures = sum(t.failures for t in results.values())
    print("OK: only programs and clear errors" if not failures
          else f"FAILED: {failures} inputs kept under {REGRESSIONS}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
