"""Program files are hostile until read: entity bombs, external references, nesting and size
bombs must end in one clear ProgramError, quickly, without reading anything else."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.importers import ImportOptions, load_program, parse_text, safe_xml
from planner.importers.reading import read_program_text
from planner.importers.safe_xml import parse_xml
from tests.work import no_hang

# What refusing may allocate at most: the file and its parser. An expanded bomb is gigabytes
# (billion laughs) or 50 MB (the quadratic one); a bound on work, not on time.
MAX_REFUSAL_BYTES = 16 * 1024 * 1024

SCHEDULE_TAIL = ('<conference><title>T</title></conference><day date="2020-01-01">'
                 '<room name="A"><event id="1"><start>10:00</start><title>&x;</title></event>'
                 "</room></day></schedule>")

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE schedule [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY x "&lol9;">
]>
<schedule>""" + SCHEDULE_TAIL

QUADRATIC = ('<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ENTITY x "' + "A" * 50_000
             + '">]>\n<schedule>' + SCHEDULE_TAIL.replace("&x;", "&x;" * 1000))


def refuse(text: str) -> ProgramError:
    tracemalloc.start()
    try:
        with no_hang(), pytest.raises(ProgramError) as info:
            parse_text(text, ImportOptions(), "hostile.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_REFUSAL_BYTES, f"refusing allocated {peak} bytes: it expanded"
    return info.value


def test_billion_laughs_is_refused() -> None:
    error = refuse(BILLION_LAUGHS)
    assert "entity 'lol'" in error.message
    assert "billion laughs" in error.message
    assert error.line == 3
    assert error.element == "<!ENTITY>"


def test_quadratic_blowup_is_refused() -> None:
    error = refuse(QUADRATIC)
    assert "entity 'x'" in error.message


def test_external_entity_does_not_read_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    text = (f'<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ENTITY x SYSTEM '
            f'"file://{secret}">]>\n<schedule>' + SCHEDULE_TAIL)
    error = refuse(text)
    assert "external entity 'x'" in error.message
    assert "TOP-SECRET-VALUE" not in str(error)


def test_external_parameter_entity_is_refused() -> None:
    text = ('<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ENTITY % remote SYSTEM '
            '"http://127.0.0.1:9/evil.dtd"> %remote;]>\n<schedule>' + SCHEDULE_TAIL)
    error = refuse(text)
    assert "external entity 'remote'" in error.message


def test_external_dtd_is_not_fetched() -> None:
    # An external DTD without entities is harmless: expat never fetches it.
    text = ('<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "http://127.0.0.1:9/x.dtd">\n'
            '<schedule>' + SCHEDULE_TAIL.replace("&x;", "Title"))
    program = parse_text(text, ImportOptions(), "dtd.xml")
    assert program.sessions[0].title == "Title"


def test_undeclared_entity_is_a_syntax_error_with_a_line() -> None:
    error = refuse("<schedule>\n" + SCHEDULE_TAIL)
    assert "undefined entity" in error.message
    assert error.line == 1 or error.line == 2


def test_nesting_bomb_is_refused() -> None:
    depth = 100_000
    text = "<schedule>" + "<day>" * depth + "</day>" * depth + "</schedule>"
    error = refuse(text)
    assert f"more than {safe_xml.MAX_DEPTH} levels deep" in error.message
    assert error.element == "<day>"


def test_element_count_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_xml, "MAX_ELEMENTS", 1_000)
    text = "<schedule>" + "<day/>" * 2_000 + "</schedule>"
    error = refuse(text)
    assert "more than 1,000 elements" in error.message


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_text("<schedule>" + " " * 5_000 + "</schedule>", encoding="utf-8")
    with pytest.raises(ProgramError, match="refused"):
        read_program_text(path, limit=1_000)


def test_nul_bytes_and_binary_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.xml"
    path.write_bytes(b"<schedule>\x00\x01\x02</schedule>")
    with pytest.raises(ProgramError):
        load_program(path)


def test_lines_are_tracked_for_selected_elements() -> None:
    root = parse_xml("<schedule>\n<day>\n\n<event id='1'/></day></schedule>", "x.xml",
                     track=("event",))
    event = root.find(".//event")
    assert event is not None
    assert safe_xml.line_of(event) == 4
    assert safe_xml.line_of(root) is None


def test_namespaced_names_read_like_elementtree() -> None:
    root = parse_xml('<s xmlns:x="urn:x"><x:a x:b="1"/></s>', "ns.xml")
    child = root[0]
    assert child.tag == "{urn:x}a"
    assert child.attrib == {"{urn:x}b": "1"}
