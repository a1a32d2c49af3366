"""Parse untrusted XML, refusing what can hurt the machine.

Program files come from the internet. A plain expat parser gets ``defusedxml``'s refusals of
entity declarations (billion laughs, quadratic blow-up) and external references (file or network
access) (:func:`defused_expat`); on top of that this module caps nesting depth and the number of
elements (a 64 MB file of ``<a/>`` would otherwise become millions of objects), and knows the
line of every element so errors can point at the source.

Two ways in: :func:`parse_xml` builds an ElementTree (with start lines of selected elements);
:func:`stream_xml` lets a :class:`StreamReader` see each tag as expat reads it, without building
a tree (the frab reader does: a 2 MB schedule is read in one pass, close to the C parser's
speed).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, NoReturn

from planner.core.errors import ProgramError

if TYPE_CHECKING:
    from xml.parsers.expat import XMLParserType

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
    builder = ET.TreeBuilder()
    tracked = frozenset(track)
    build_start = builder.start
    build_end = builder.end

    def start(tag: str, attrs: dict[str, str], line: int) -> None:
        if tag in tracked:
            attrs[LINE_ATTR] = str(line)
        build_start(tag, attrs)

    def end(tag: str, _text: str) -> None:
        build_end(tag)

    _run(text, path, start, end, builder.data)
    root: ET.Element = builder.close()
    return root


class StreamReader:
    """Base of readers that expat calls directly, one Python call per tag and no tree.

    A subclass implements ``start(tag, attr_list)`` and ``end(tag)`` (expat's own signatures:
    attributes as a flat name/value list, namespaced names as ``uri}local``) and must begin
    ``start`` with :meth:`enter` and ``end`` with :meth:`leave`, which keep the depth and size
    limits (a reader on a hot path may inline them, keeping :meth:`check` on every start).
    Character data since the last tag is in :attr:`parts`; :attr:`line` is where the current
    tag is.
    """

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.count = 0
        self.expat: Any = None
        self.max_depth = MAX_DEPTH
        self.max_elements = MAX_ELEMENTS

    @property
    def line(self) -> int:
        return int(self.expat.CurrentLineNumber) if self.expat is not None else 0

    def enter(self, tag: str) -> int:
        """Push ``tag``; returns the depth it opens at (0 for the root)."""
        stack = self.stack
        depth = len(stack)
        self.count += 1
        if depth >= self.max_depth or self.count > self.max_elements:
            self.check(depth, tag)
        stack.append(tag)
        self.parts.clear()
        return depth

    def check(self, depth: int, tag: str) -> None:
        """Refuse a tag opening at ``depth`` when it breaks a limit (cheap to call always)."""
        if depth >= self.max_depth or self.count > self.max_elements:
            _refuse(depth >= self.max_depth, tag, self.line)

    def leave(self) -> tuple[int, str]:
        """Pop the current tag; returns the depth it closed at and the text since the last tag."""
        self.stack.pop()
        parts = self.parts
        text = "".join(parts) if parts else ""
        parts.clear()
        return len(self.stack), text

    def start(self, tag: str, attr_list: list[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def end(self, tag: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def stream_xml(text: str, path: str, reader: StreamReader) -> None:
    """Feed ``text`` to ``reader`` as expat reads it; every problem is a ProgramError."""
    _run(text, path, reader=reader)


def _refuse(too_deep: bool, tag: str, line: int | None) -> None:
    if too_deep:
        raise _Refused(f"elements nest more than {MAX_DEPTH} levels deep (at <{tag}>); a "
                       f"schedule nests about 7, so the file is refused as a nesting bomb",
                       line, tag)
    raise _Refused(f"has more than {MAX_ELEMENTS:,} elements; refused as too large for a "
                   f"conference program", line, tag)


def defused_expat() -> XMLParserType:
    """A new expat parser with defusedxml's refusals, configured like ElementTree's own.

    The handlers are the ones defusedxml's ``DefusedXMLParser`` installs (entity declarations,
    unparsed entities and external references raise its exceptions), set through expat's public
    API instead of reaching into that class's parser. Names of namespaced elements come as
    ``uri}local`` and attributes as a flat list, as ElementTree's parser configures expat.
    """
    from xml.parsers import expat

    from defusedxml import EntitiesForbidden, ExternalReferenceForbidden

    def entity_declaration(name: str, _is_parameter: bool, value: str | None, base: str | None,
                           sysid: str | None, pubid: str | None,
                           notation: str | None) -> NoReturn:
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def unparsed_entity(name: str, base: str | None, sysid: str | None, pubid: str | None,
                        notation: str | None) -> NoReturn:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external_reference(context: str, base: str | None, sysid: str | None,
                           pubid: str | None) -> NoReturn:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser = expat.ParserCreate(None, "}")
    parser.EntityDeclHandler = entity_declaration
    parser.UnparsedEntityDeclHandler = unparsed_entity
    parser.ExternalEntityRefHandler = external_reference
    parser.buffer_text = True
    parser.ordered_attributes = True
    return parser


def _run(text: str, path: str,
         on_start: Callable[[str, dict[str, str], int], None] | None = None,
         on_end: Callable[[str, str], None] | None = None,
         on_data: Callable[[str], object] | None = None,
         reader: StreamReader | None = None) -> None:
    """One pass of a defused expat parser with our element handlers.

    One Python call per tag (no ElementTree parser in between) keeps parsing close to the C
    parser's speed.
    """
    from xml.parsers.expat import ExpatError

    from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

    expat = defused_expat()
    if reader is not None:
        reader.expat = expat
        expat.StartElementHandler = reader.start
        expat.EndElementHandler = reader.end
        expat.CharacterDataHandler = reader.parts.append
    else:
        assert on_start is not None and on_end is not None
        _install(expat, on_start, on_end, on_data)
    try:
        expat.Parse(text, True)
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
    except DefusedXmlException as exc:  # pragma: no cover - a refusal defusedxml may add
        raise ProgramError(f"uses a refused XML feature: {exc}", path=path,
                           line=_line(expat)) from None
    except ExpatError as exc:
        reason = str(exc).split(":", 1)[0] if ": line" in str(exc) else str(exc)
        raise ProgramError(f"is not well-formed XML ({reason}, column {(exc.offset or 0) + 1})",
                           path=path, line=exc.lineno) from None
    except RecursionError:
        raise ProgramError("nests too deeply to read; refused", path=path) from None


def _install(expat: Any, on_start: Callable[[str, dict[str, str], int], None],
             on_end: Callable[[str, str], None],
             on_data: Callable[[str], object] | None) -> None:
    """Element handlers that count depth and elements, collect text, and report lines.

    With ``on_data`` (building a tree) character data goes there as it comes; without it,
    ``on_end`` receives the text since the last tag.
    """
    state = [0, 0]  # depth, elements so far
    text_parts: list[str] = []
    clear = text_parts.clear

    def start(tag: str, attr_list: list[str]) -> None:
        state[0] += 1
        state[1] += 1
        if state[0] > MAX_DEPTH or state[1] > MAX_ELEMENTS:
            _refuse(state[0] > MAX_DEPTH, tag, expat.CurrentLineNumber)
        if "}" in tag:  # expat reports namespaced names as "uri}local"
            tag = "{" + tag
        attrib: dict[str, str] = {}
        if attr_list:
            for index in range(0, len(attr_list), 2):
                key = attr_list[index]
                attrib["{" + key if "}" in key else key] = attr_list[index + 1]
        clear()
        on_start(tag, attrib, expat.CurrentLineNumber)

    def end(tag: str) -> None:
        state[0] -= 1
        text = "".join(text_parts) if text_parts else ""
        clear()
        on_end("{" + tag if "}" in tag else tag, text)

    expat.StartElementHandler = start
    expat.EndElementHandler = end
    expat.CharacterDataHandler = on_data if on_data is not None else text_parts.append


def _line(expat: Any) -> int | None:
    line = getattr(expat, "CurrentLineNumber", None)
    return line if isinstance(line, int) else None


def line_of(element: ET.Element) -> int | None:
    """The start line stamped on a tracked element, if any."""
    value = element.get(LINE_ATTR)
    return int(value) if value else None
