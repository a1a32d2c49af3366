"""Hostile program files: each opens correctly or gives a clear error, in bounded time and
memory; non-web links are never opened; control characters never reach the terminal."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.errors import ProgramError
from planner.core.model import Link, Program
from planner.importers import ImportOptions, load_program
from planner.importers.reading import MAX_PROGRAM_BYTES, read_program_text
from tests.reliability.conftest import record
from tools import fuzz_importers

# -- one small, valid program per format, with holes for hostile values -----------------------
_XML = """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<schedule>
  <conference><title>Hostile Conf</title><time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2024-12-27">
    <room name="Saal 1">
      <event id="1" guid="6b5b8d4c-3a1f-4f7e-9d2a-000000000001">
        <date>2024-12-27T11:00:00+01:00</date><start>11:00</start><duration>00:30</duration>
        <room>Saal 1</room><title>{title}</title><type>lecture</type>
        <abstract>{abstract}</abstract>
        <links><link href="{href}">link</link></links>
      </event>
    </room>
  </day>
</schedule>
"""
_ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n"
        "UID:hostile-1@example.org\r\nDTSTAMP:20241201T000000Z\r\nDTSTART:20241227T100000Z\r\n"
        "DTEND:20241227T103000Z\r\nSUMMARY:{title}\r\nDESCRIPTION:{abstract}\r\nURL:{href}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n")
_PAGE = "Poster Session 1 Fri 7 May 02:00 a.m.\n{title}\n[ Virtual ]\n{abstract}\n"


def _xml(title: str = "A talk", abstract: str = "About it.", href: str = "https://example.org",
         doctype: str = "") -> str:
    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    return _XML.format(title=escape(title), abstract=escape(abstract), href=escape(href),
                       doctype=doctype)


def _json(title: str = "A talk", abstract: str = "About it.",
          href: str = "https://example.org") -> str:
    event = {"id": 1, "guid": "6b5b8d4c-3a1f-4f7e-9d2a-000000000001",
             "date": "2024-12-27T11:00:00+01:00", "start": "11:00", "duration": "00:30",
             "room": "Saal 1", "slug": "h-1", "title": title, "subtitle": "", "track": "",
             "type": "lecture", "language": "en", "abstract": abstract, "description": "",
             "persons": [], "links": [{"url": href, "title": "link"}], "url": href}
    day = {"index": 1, "date": "2024-12-27", "day_start": "2024-12-27T09:00:00+01:00",
           "day_end": "2024-12-28T04:00:00+01:00", "rooms": {"Saal 1": [event]}}
    conference = {"acronym": "hostile", "title": "Hostile Conf", "start": "2024-12-27",
                  "end": "2024-12-27", "daysCount": 1, "timeslot_duration": "00:15",
                  "time_zone_name": "Europe/Berlin", "days": [day]}
    return json.dumps({"schedule": {"version": "1", "conference": conference}},
                      ensure_ascii=False)


def _ics(title: str = "A talk", abstract: str = "About it.",
         href: str = "https://example.org") -> str:
    def escape(text: str) -> str:
        return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\n", "\\n"))

    return _ICS.format(title=escape(title), abstract=escape(abstract), href=href)


def _page(title: str = "A talk", abstract: str = "About it.", href: str = "") -> str:
    del href  # copied pages carry no links
    return _PAGE.format(title=title, abstract=abstract)


BUILDERS: dict[str, Callable[..., str]] = {
    "frab-xml": _xml, "frab-json": _json, "ics": _ics, "virtual-page": _page,
}
OPTIONS = ImportOptions(year=2021)


def _landed(format_name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(fuzz_importers.FORMATS[format_name]) is not None


def _formats() -> list[str]:
    return [name for name in BUILDERS if _landed(name)]


@pytest.fixture(autouse=True, scope="module")
def _warm_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Import every importer before anything is measured: imports are not the input's cost."""
    folder = tmp_path_factory.mktemp("warm")
    for name in _formats():
        path = folder / f"{name}.txt"
        path.write_text(BUILDERS[name](), encoding="utf-8")
        load_program(path, OPTIONS)


# Far above any real run on a loaded machine: only a file that never finishes trips it.
HANG_SECONDS = 60.0


@dataclass
class Opened:
    program: Program | None
    error: str
    seconds: float
    peak_bytes: int


def open_bounded(path: Path, track_memory: bool = True,
                 format_name: str | None = None) -> Opened:
    """load_program under a hang guard, measuring Python's peak allocation.

    The guard (HANG_SECONDS) only turns a hang into a failure; tests bound memory, not time
    (the time is recorded for the report; speed belongs in benchmarks/).
    """
    if track_memory:
        tracemalloc.start()
    started = time.monotonic()
    program: Program | None = None
    error = ""
    try:
        with fuzz_importers.time_limit(HANG_SECONDS):
            program = load_program(path, OPTIONS, format_name)
    except ProgramError as exc:
        error = str(exc)
    finally:
        peak = tracemalloc.get_traced_memory()[1] if track_memory else 0
        if track_memory:
            tracemalloc.stop()
    return Opened(program, error, time.monotonic() - started, peak)


def _texts(program: Program) -> list[str]:
    found = [program.name]
    for session in program.sessions:
        found += [session.title, session.description, session.subtitle, session.room,
                  *session.speakers, *(link.url for link in session.links)]
    for paper in program.papers.values():
        found += [paper.title, paper.abstract, paper.link]
    return found


def _titles(program: Program) -> list[str]:
    return sorted([s.title for s in program.sessions] + [p.title for p in program.papers.values()])


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- XML: entities, external references, XInclude, nesting ------------------------------------
BILLION_LAUGHS = """<!DOCTYPE schedule [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""


def _xml_with_raw_title(doctype: str, raw_title: str) -> bytes:
    return _xml(doctype=doctype, title="TITLE").replace("<title>TITLE</title>",
                                                        f"<title>{raw_title}</title>").encode()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-4f1c")
    return path


@contextlib.contextmanager
def _listener() -> Iterator[tuple[int, list[bool]]]:
    """A TCP port on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    seen: list[bool] = []
    try:
        yield server.getsockname()[1], seen
        try:
            connection, _ = server.accept()
            connection.close()
            seen.append(True)
        except BlockingIOError:
            pass
    finally:
        server.close()


@pytest.mark.skipif(not _landed("frab-xml"), reason="frab XML importer not landed")
class TestXml:
    def test_billion_laughs_is_refused_quickly(self, tmp_path: Path) -> None:
        path = _write(tmp_path, "laughs.xml", _xml_with_raw_title(BILLION_LAUGHS, "&lol9;"))
        opened = open_bounded(path)
        assert opened.program is None and "entity" in opened.error, opened.error
        assert opened.peak_bytes < 20_000_000  # refused at the declaration, not expanded
        record("hostile: billion laughs", f"refused in {opened.seconds * 1000:.0f} ms, "
               f"{opened.peak_bytes / 1e6:.1f} MB peak: {opened.error}")

    def test_quadratic_blowup_is_refused(self, tmp_path: Path) -> None:
        doctype = f'<!DOCTYPE schedule [<!ENTITY a "{"x" * 100_000}">]>'
        path = _write(tmp_path, "quadratic.xml",
                      _xml_with_raw_title(doctype, "&a;" * 20_000))
        opened = open_bounded(path)
        assert opened.program is None and "entity" in opened.error
        assert opened.peak_bytes < 50_000_000

    def test_external_entity_is_not_read(self, tmp_path: Path, secret: Path) -> None:
        doctype = f'<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        path = _write(tmp_path, "xxe.xml", _xml_with_raw_title(doctype, "&xxe;"))
        opened = open_bounded(path)
        assert opened.program is None, "an external entity was accepted"
        assert "TOPSECRET" not in opened.error
        assert "entity" in opened.error or "external" in opened.error

    def test_parameter_entity_and_external_dtd_do_not_fetch(self, tmp_path: Path,
                                                            secret: Path) -> None:
        with _listener() as (port, seen):
            doctypes = [
                f'<!DOCTYPE schedule SYSTEM "http://127.0.0.1:{port}/evil.dtd">',
                f'<!DOCTYPE schedule [<!ENTITY % remote SYSTEM '
                f'"http://127.0.0.1:{port}/evil.dtd"> %remote;]>',
                f'<!DOCTYPE schedule [<!ENTITY % file SYSTEM "file://{secret}"> %file;]>',
            ]
            for number, doctype in enumerate(doctypes):
                path = _write(tmp_path, f"dtd{number}.xml", _xml(doctype=doctype).encode())
                opened = open_bounded(path)
                texts = _texts(opened.program) if opened.program else [opened.error]
                assert not any("TOPSECRET" in text for text in texts)
        assert not seen, "the importer connected to a URL named in the file"

    def test_xinclude_is_not_processed(self, tmp_path: Path, secret: Path) -> None:
        raw = (f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" '
               f'parse="text"/>')
        path = _write(tmp_path, "xinclude.xml", _xml_with_raw_title("", raw))
        opened = open_bounded(path)
        texts = _texts(opened.program) if opened.program else [opened.error]
        assert not any("TOPSECRET" in text for text in texts)

    def test_deep_nesting_is_refused(self, tmp_path: Path) -> None:
        depth = 200_000
        path = _write(tmp_path, "deep.xml",
                      _xml_with_raw_title("", "<a>" * depth + "x" + "</a>" * depth))
        opened = open_bounded(path, track_memory=False)
        assert opened.program is None and "deep" in opened.error, opened.error
        record("hostile: XML nested 200,000 deep", f"refused in {opened.seconds:.2f} s: "
               f"{opened.error}")

    def test_many_elements_are_bounded(self, tmp_path: Path) -> None:
        path = _write(tmp_path, "wide.xml", _xml_with_raw_title("", "<b/>" * 1_000_000))
        opened = open_bounded(path, track_memory=False)
        assert opened.program is not None or opened.error

    def test_xml_declared_in_another_encoding_still_reads_our_text(self, tmp_path: Path
                                                                   ) -> None:
        text = _xml(title="Café – “quoted”").replace('encoding="UTF-8"',
                                                     'encoding="ISO-8859-1"')
        opened = open_bounded(_write(tmp_path, "declared.xml", text.encode("utf-8")))
        assert opened.program is not None, opened.error
        assert "Café – “quoted”" in _titles(opened.program)


@pytest.mark.skipif(not _landed("frab-json"), reason="frab JSON importer not landed")
def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    depth = 200_000
    text = '{"schedule": ' + "[" * depth + "]" * depth + "}"
    opened = open_bounded(_write(tmp_path, "deep.json", text.encode()), track_memory=False)
    assert opened.program is None and opened.error
    record("hostile: JSON nested 200,000 deep", f"refused in {opened.seconds:.2f} s: "
           f"{opened.error}")


@pytest.mark.skipif(not _landed("ics"), reason="iCalendar importer not landed")
def test_deeply_nested_ics_is_bounded(tmp_path: Path) -> None:
    depth = 50_000
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "BEGIN:X-NEST\r\n" * depth
            + "END:X-NEST\r\n" * depth + _ics().split("VERSION:2.0\r\n", 1)[1])
    opened = open_bounded(_write(tmp_path, "deep.ics", text.encode()), track_memory=False)
    assert opened.program is not None or opened.error
    record("hostile: iCalendar nested 50,000 deep",
           f"{'opened' if opened.program else 'refused'} in {opened.seconds:.2f} s: "
           f"{opened.error}")


# -- size -------------------------------------------------------------------------------------
def test_200_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.write(_xml().encode())
        handle.truncate(200 * 1024 * 1024)
    opened = open_bounded(path)
    assert opened.program is None and "refused" in opened.error
    assert opened.peak_bytes < 1_000_000  # not read: a bound on work, not on time
    record("hostile: 200 MB file", f"refused in {opened.seconds * 1000:.1f} ms, "
           f"{opened.peak_bytes / 1e3:.0f} kB peak: {opened.error}")


def test_file_just_over_the_limit_with_real_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.ics"
    chunk = (_ics() * 200).encode()
    with path.open("wb") as handle:
        while handle.tell() <= MAX_PROGRAM_BYTES:
            handle.write(chunk)
    opened = open_bounded(path)
    assert opened.program is None and "refused" in opened.error
    assert opened.peak_bytes < 1_000_000  # not read: a bound on work, not on time


def test_200_mb_file_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    done = subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path / "d"),
                           "list", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("planner: ") and "refused" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_devices_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "program.xml"
    os.mkfifo(fifo)  # opening it for reading would block forever
    with pytest.raises(ProgramError, match="not a regular file"), \
            fuzz_importers.time_limit(5):
        read_program_text(fifo)
    if Path("/dev/zero").exists():
        with pytest.raises(ProgramError, match="not a regular file"), \
                fuzz_importers.time_limit(5):  # reading it would never end
            read_program_text(Path("/dev/zero"))
    with pytest.raises(ProgramError, match="folder"):
        read_program_text(tmp_path)


@pytest.mark.parametrize("format_name", list(BUILDERS))
def test_one_megabyte_line(tmp_path: Path, format_name: str) -> None:
    if not _landed(format_name):
        pytest.skip("importer not landed")
    long = "Long " + "x" * 1_000_000
    path = _write(tmp_path, "long.txt", BUILDERS[format_name](title=long).encode())
    opened = open_bounded(path, track_memory=False)
    assert opened.program is not None or opened.error
    garbage = _write(tmp_path, "garbage.txt", (b"word " * 200_000) + b"\n"
                     + BUILDERS[format_name]().encode())
    opened_garbage = open_bounded(garbage, track_memory=False)
    assert opened_garbage.program is not None or opened_garbage.error
    record(f"hostile: 1 MB line ({format_name})",
           f"{'opened' if opened.program else 'refused'} in {opened.seconds:.2f} s; "
           f"1 MB junk line first: {'opened' if opened_garbage.program else 'refused'} in "
           f"{opened_garbage.seconds:.2f} s")


# -- bytes and encodings ----------------------------------------------------------------------
@pytest.mark.parametrize("format_name", list(BUILDERS))
def test_nul_bytes_are_a_clear_error_with_a_line(tmp_path: Path, format_name: str) -> None:
    if not _landed(format_name):
        pytest.skip("importer not landed")
    early = BUILDERS[format_name](title="A@NUL@B").encode().replace(b"@NUL@", b"\x00")
    late = BUILDERS[format_name](abstract="y" * 6000, title="A@NUL@B").encode().replace(
        b"@NUL@", b"\x00")
    for name, data in (("early", early), ("late", late)):
        opened = open_bounded(_write(tmp_path, f"nul-{name}.txt", data))
        assert opened.program is None, f"{name} NUL accepted"
        assert "NUL" in opened.error and ":" in opened.error


def test_utf16_without_bom_is_named(tmp_path: Path) -> None:
    opened = open_bounded(_write(tmp_path, "u16.xml", _xml().encode("utf-16-le")))
    assert opened.program is None and "UTF-16" in opened.error


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32 with BOM": lambda text: text.encode("utf-32"),
    "windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("format_name", list(BUILDERS))
def test_encodings_give_the_same_program(tmp_path: Path, format_name: str,
                                         encoding: str) -> None:
    if not _landed(format_name):
        pytest.skip("importer not landed")
    text = BUILDERS[format_name](title="Café – “Grüße” ‰ €", abstract="Naïve ½ résumé …")
    reference = open_bounded(_write(tmp_path, "utf8.txt", text.encode("utf-8")))
    assert reference.program is not None, reference.error
    opened = open_bounded(_write(tmp_path, "encoded.txt", ENCODINGS[encoding](text)))
    assert opened.program is not None, opened.error
    assert _titles(opened.program) == _titles(reference.program)
    assert "Café – “Grüße” ‰ €" in _titles(opened.program)


def test_undecodable_bytes_are_a_clear_error(tmp_path: Path) -> None:
    data = _xml(title="Caf").encode().replace(b"<title>Caf", b"<title>Caf\x81\x8d")
    opened = open_bounded(_write(tmp_path, "bad.xml", data))
    assert opened.program is None
    assert "not valid text" in opened.error and "UTF-8" in opened.error
    assert ":9" in opened.error or ":10" in opened.error  # the line of the bad byte
    cut16 = codecs.BOM_UTF16_LE + _xml().encode("utf-16-le")[:-1]
    opened = open_bounded(_write(tmp_path, "cut16.xml", cut16))
    assert opened.program is None and "not valid text" in opened.error


@pytest.mark.parametrize("format_name", list(BUILDERS))
def test_terminal_escapes_and_controls_never_reach_the_user(tmp_path: Path,
                                                            format_name: str) -> None:
    if not _landed(format_name):
        pytest.skip("importer not landed")
    evil = "Evil\x1b[2J\x1b]0;pwned\x07 talk\x08\x7f\u202e\u0085\x9b31m"
    opened = open_bounded(_write(tmp_path, "evil.txt", BUILDERS[format_name](
        title=evil, abstract=evil).encode()))
    # Refusing the file (XML forbids these characters) is as safe as stripping them.
    assert opened.program is not None or opened.error
    if opened.program is not None:
        for text in _texts(opened.program):
            assert not any(ch in text for ch in "\x1b\x07\x08\x7f\x85\x9b"), repr(text)
        assert any("Evil" in title for title in _titles(opened.program))
    record(f"hostile: terminal escapes ({format_name})",
           "stripped" if opened.program is not None else f"refused: {opened.error[-80:]}")


def test_cli_list_prints_no_escape_codes(tmp_path: Path) -> None:
    if not _landed("frab-json"):
        pytest.skip("importer not landed")
    path = _write(tmp_path, "evil.json", _json(title="Evil\x1b[2J\x1b]0;pwned\x07").encode())
    done = subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path / "d"),
                           "list", str(path), "--tz", "UTC"], capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout + done.stderr and b"\x07" not in done.stdout
    assert b"Evil" in done.stdout


# -- links ------------------------------------------------------------------------------------
HOSTILE_LINKS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                 "java\tscript:alert(1)", "\x01javascript:alert(1)", "file:///etc/passwd",
                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                 "ftp://example.org/x", "smb://host/share", "mailto:a@example.org",
                 "ms-settings:privacy", "x-apple.systempreferences:", "http:/broken",
                 "https:evil", "\\\\server\\share\\x.exe", "../../etc/passwd"]


@pytest.mark.parametrize("format_name", ["frab-xml", "frab-json", "ics"])
def test_non_web_links_from_files_are_never_web(tmp_path: Path, format_name: str) -> None:
    if not _landed(format_name):
        pytest.skip("importer not landed")
    for number, href in enumerate(HOSTILE_LINKS):
        path = _write(tmp_path, f"link{number}.txt",
                      BUILDERS[format_name](href=href).encode("utf-8"))
        opened = open_bounded(path, track_memory=False)
        if opened.program is None:
            continue  # refusing the whole file is also safe
        for session in opened.program.sessions:
            for link in session.links:
                if link.is_web:
                    assert link.url.lower().startswith(("http://", "https://"))
                    assert "javascript" not in link.url.lower(), link.url
        for paper in opened.program.papers.values():
            if paper.link:
                assert not Link(paper.link).is_web or paper.link.lower().startswith("http")


@given(st.text())
def test_is_web_only_for_http_and_https(url: str) -> None:
    lowered = url.lower()
    assert Link(url).is_web == lowered.startswith(("http://", "https://"))


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_window_never_opens_a_non_web_link(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    details = pytest.importorskip("planner.ui.details")
    opened: list[object] = []

    class FakeServices:
        @staticmethod
        def openUrl(target: object) -> bool:  # Qt's name
            opened.append(target)
            return True

    monkeypatch.setattr(details, "QDesktopServices", FakeServices)
    assert details.open_web_link(url) is False
    assert opened == []
    assert details.open_web_link("https://example.org/talk") is True
    assert len(opened) == 1


def test_lone_surrogate_escape_in_json_is_no_traceback(tmp_path: Path) -> None:
    if not _landed("frab-json"):
        pytest.skip("importer not landed")
    text = _json(title="Lone SURROGATE here").replace("SURROGATE", "\\ud800")
    path = _write(tmp_path, "surrogate.json", text.encode())
    done = subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path / "d"),
                           "list", str(path), "--tz", "UTC"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "Traceback" not in done.stderr, done.stderr[-300:]
    assert done.returncode in (0, 2)


_CONTAMINATION = """
import datetime as dt, sys
from planner.importers import ImportOptions, parse_text

def calendar(offset: str, with_zone: bool = True) -> str:
    zone = ("BEGIN:VTIMEZONE\\r\\nTZID:Conference Time\\r\\nBEGIN:STANDARD\\r\\n"
            "DTSTART:19700101T000000\\r\\nTZOFFSETFROM:" + offset + "\\r\\nTZOFFSETTO:" + offset
            + "\\r\\nEND:STANDARD\\r\\nEND:VTIMEZONE\\r\\n")
    return ("BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//x//EN\\r\\n" + zone
            + "BEGIN:VEVENT\\r\\nUID:1@x\\r\\nDTSTAMP:20241201T000000Z\\r\\n"
            "DTSTART;TZID=Conference Time:20241227T100000\\r\\n"
            "DTEND;TZID=Conference Time:20241227T110000\\r\\nSUMMARY:Talk\\r\\n"
            "END:VEVENT\\r\\nEND:VCALENDAR\\r\\n")

if sys.argv[1] == "after-other":
    parse_text(calendar("+0500"), ImportOptions(), "first.ics", "ics")
program = parse_text(calendar("+0100"), ImportOptions(), "second.ics", "ics")
start = program.sessions[0].start
print(program.source_zone, start.astimezone(dt.timezone.utc).isoformat())
"""


def test_ics_zone_does_not_leak_between_files() -> None:
    """Opening one calendar must not change how the next one is read."""
    if not _landed("ics"):
        pytest.skip("importer not landed")
    results = [subprocess.run([sys.executable, "-c", _CONTAMINATION, order],
                              capture_output=True, text=True, timeout=60, check=True).stdout
               for order in ("alone", "after-other")]
    assert results[0] == results[1]
