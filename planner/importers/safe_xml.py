"""Parse untrusted XML into an ElementTree, refusing what can hurt the machine.

Program files come from the internet. ``defusedxml`` refuses entity declarations (billion
laughs, quadratic blow-up) and external references (file or network access); on top of that
this module caps nesting depth and the number of elements (a 64 MB file of ``<a/>`` would
otherwise become millions of objects), and records the line of selected elements so errors can
point at the source.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection
from typing import Any

from planner.core.errors import ProgramError

# An attribute the parser adds to tracked elements: the line the element starts on. It cannot
# clash with a real attribute, which never has this namespace.
LINE_ATTR = "{urn:planner:source}line"

# frab schedules nest about 7 levels deep and have some 40 000 elements at most (36C3 merged).
MAX_DEPTH = 64
MAX_ELEMENTS = 2_000_000


class _Refused(Exception):
    def __init__(self, message: str, line: int | None, element: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.element = element


def parse_xml(text: str, path: str = "", track: Collection[str] = ()) -> ET.Element:
    """The root element of ``text``; every problem is a ProgramError with its line.

    Args:
        text: the whole document (already decoded).
        path: the file, for messages.
        track: tags whose elements get their start line in :data:`LINE_ATTR`.
    """
    from defusedxml import (
        DefusedXmlException,
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
    )
    from defusedxml.ElementTree import DefusedXMLParser

    builder = ET.TreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    expat = parser.parser
    _install_handlers(expat, builder, frozenset(track))
    try:
        parser.feed(text)
        root: ET.Element = parser.close()
    except _Refused as refused:
        raise ProgramError(refused.message, path=path, line=refused.line,
                           element=f"<{refused.element}>") from None
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            reason = (f"declares the external entity {exc.name!r} ({exc.sysid or exc.pubid}); "
                      f"external entities are refused because they would make the app read "
                      f"other files or the network")
        else:
            reason = (f"declares the XML entity {exc.name!r}; entity declarations are refused "
                      f"because expanding them can exhaust memory (\"billion laughs\"); a "
                      f"schedule never needs them")
        raise ProgramError(reason, path=path, line=_line(expat),
                           element="<!ENTITY>") from None
    except ExternalReferenceForbidden as exc:
        target = exc.sysid or exc.pubid or "?"
        raise ProgramError(
            f"refers to an external resource ({target}); external references are refused "
            f"because they would make the app read other files or the network", path=path,
            line=_line(expat), element="<!DOCTYPE>") from None
    except DTDForbidden:  # pragma: no cover - DTDs without entities are allowed
        raise ProgramError("has a document type declaration; refused", path=path,
                           line=_line(expat), element="<!DOCTYPE>") from None
    except DefusedXmlException as exc:
        raise ProgramError(f"uses a refused XML feature: {exc}", path=path,
                           line=_line(expat)) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":", 1)[0] if ": line" in str(exc) else str(exc)
        raise ProgramError(f"is not well-formed XML ({reason}, column {(column or 0) + 1})",
                           path=path, line=line) from None
    except RecursionError:
        raise ProgramError("nests too deeply to read; refused", path=path) from None
    return root


def _install_handlers(expat: Any, builder: ET.TreeBuilder,
                      tracked: frozenset[str]) -> list[int]:
    """Element handlers that count depth and elements and stamp lines, straight onto expat.

    They replace the pure-Python XMLParser's own ``_start``/``_end`` (defusedxml's entity and
    external-reference handlers stay): one Python call per tag instead of three keeps parsing
    close to the C parser's speed. Returns [depth, count] for the caller's messages.
    """
    state = [0, 0]
    build_start = builder.start
    build_end = builder.end

    def start(tag: str, attr_list: list[str]) -> None:
        state[0] += 1
        state[1] += 1
        if state[0] > MAX_DEPTH:
            raise _Refused(f"elements nest more than {MAX_DEPTH} levels deep (at <{tag}>); a "
                           f"schedule nests about 7, so the file is refused as a nesting bomb",
                           expat.CurrentLineNumber, tag)
        if state[1] > MAX_ELEMENTS:
            raise _Refused(f"has more than {MAX_ELEMENTS:,} elements; refused as too large for "
                           f"a conference program", expat.CurrentLineNumber, tag)
        if "}" in tag:  # expat reports namespaced names as "uri}local"
            tag = "{" + tag
        attrib: dict[str, str] = {}
        if attr_list:
            for index in range(0, len(attr_list), 2):
                key = attr_list[index]
                attrib["{" + key if "}" in key else key] = attr_list[index + 1]
        if tag in tracked:
            attrib[LINE_ATTR] = str(expat.CurrentLineNumber)
        build_start(tag, attrib)

    def end(tag: str) -> None:
        state[0] -= 1
        build_end("{" + tag if "}" in tag else tag)

    expat.StartElementHandler = start
    expat.EndElementHandler = end
    return state


def _line(expat: Any) -> int | None:
    line = getattr(expat, "CurrentLineNumber", None)
    return line if isinstance(line, int) else None


def line_of(element: ET.Element) -> int | None:
    """The start line stamped on a tracked element, if any."""
    value = element.get(LINE_ATTR)
    return int(value) if value else None
