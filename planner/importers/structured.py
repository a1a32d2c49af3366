"""JSON, YAML and CSV documents from untrusted files, for the importers that read them.

Every failure is one :class:`ProgramError` naming the file and the line (and column); bombs are
refused before they cost anything: YAML aliases (a "billion laughs" tree of anchors would make a
walk over the document exponential), tags that construct objects, nesting too deep to walk,
more nodes than any real program has, CSV fields over a megabyte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from planner.core.errors import ProgramError
from planner.importers.text import line_of_offset, parse_iso_datetime, replace_surrogates

# Real Mini-Conf YAML files have no anchors at all; a few are harmless, thousands are a bomb.
MAX_YAML_ALIASES = 100
# The largest real YAML config has about 10 000 nodes; a generous cap on everything we walk.
MAX_YAML_EVENTS = 2_000_000
MAX_NESTING = 64
MAX_CSV_FIELD = 1_000_000
MAX_CSV_ROWS = 200_000


def load_json(text: str, path: str,
              object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """The JSON value of ``text``; ProgramError with line and column when it is not JSON.
    ``object_hook`` sees each object as it is decoded (frab JSON's size guard)."""
    try:
        return json.loads(text, object_hook=object_hook)
    except json.JSONDecodeError as exc:
        raise ProgramError(f"is not valid JSON: {exc.msg} (column {exc.colno})", path=path,
                           line=exc.lineno) from None
    except RecursionError:
        raise ProgramError("nests JSON arrays or objects too deeply to read; refused as a "
                           "nesting bomb", path=path) from None


def load_yaml(text: str, path: str) -> Any:
    """The value of a YAML document, read with PyYAML's ``safe_load`` after a bomb check."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        aliases = depth = 0
        for events, event in enumerate(yaml.parse(text, Loader=loader), start=1):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise ProgramError(
                        f"uses more than {MAX_YAML_ALIASES} YAML aliases; refused as an alias "
                        f"bomb", path=path, line=_line(event))
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise ProgramError(f"nests YAML deeper than {MAX_NESTING} levels; refused "
                                       f"as a nesting bomb", path=path,
                                       line=_line(event))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent) and events > 2:
                raise ProgramError("holds several YAML documents; expected one", path=path,
                                   line=_line(event))
            if events > MAX_YAML_EVENTS:
                raise ProgramError("has more YAML nodes than any program; refused", path=path)
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = replace_surrogates(str(exc.problem or exc.context or "malformed"))[:120]
        if isinstance(exc, yaml.constructor.ConstructorError):
            what = f"a YAML tag that is not plain data ({what})"
        raise ProgramError(f"is not valid YAML: {what}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise ProgramError(f"is not valid YAML: {replace_surrogates(str(exc))[:120]}",
                           path=path) from None
    except RecursionError:
        raise ProgramError("nests YAML too deeply to read; refused as a nesting bomb",
                           path=path) from None


def _line(event: object) -> int | None:
    mark = getattr(event, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


def csv_rows(text: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """(line of the row's start, fields) for every row; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    csv.field_size_limit(MAX_CSV_FIELD)
    line = 1
    try:
        for count, row in enumerate(reader):
            if count > MAX_CSV_ROWS:
                raise ProgramError(f"has more than {MAX_CSV_ROWS} rows; refused", path=path,
                                   line=reader.line_num)
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ProgramError(f"is not valid CSV: {replace_surrogates(str(exc))[:120]}", path=path,
                           line=reader.line_num or line) from None


def csv_header(text: str) -> list[str]:
    """The first row of a CSV text (cheap: only the first line is read), folded to lower case."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip("\r")
    try:
        return [cell.strip().lower() for cell in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


class Locator:
    """Lines of values in a JSON or YAML text, for messages that point at the source."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cursor = 0

    def line_of(self, value: object) -> int | None:
        """The line of the next occurrence of ``"value"`` (searched forward, then from the top)."""
        if not isinstance(value, str) or not value or len(value) > 200:
            return None
        needle = json.dumps(value)[1:-1]
        position = self.text.find(needle, self._cursor)
        if position < 0:
            position = self.text.find(needle)
            if position < 0:
                return None
        self._cursor = position
        return line_of_offset(self.text, position)


def text_of(value: object) -> str:
    """A string field: strings as they are, numbers as digits, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def strings_of(value: object, separator: str = "|") -> list[str]:
    """A list of names: a list of strings, or one string split at ``separator``."""
    if isinstance(value, list):
        return [text_of(item).strip() for item in value if text_of(item).strip()]
    return [part.strip() for part in text_of(value).split(separator) if part.strip()]


_SPACE_BEFORE_OFFSET = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*")


def datetime_of(value: object) -> dt.datetime:
    """A date-time field: ISO 8601 text (``T`` or a space) or a YAML timestamp.

    Raises ValueError naming the value when it is neither.
    """
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        cleaned = _SPACE_BEFORE_OFFSET.sub(r"\1T\2", value.strip(), count=1)
        return parse_iso_datetime(cleaned)
    raise ValueError(f"{replace_surrogates(repr(value))[:40]} is not a date-time")
