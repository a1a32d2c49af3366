"""Search indexes: the matching rule of :mod:`planner.core.search`, answered without folding
every abstract again on each keystroke.

Two indexes, built one after the other off the GUI thread, answer alike:

- :class:`TextScan` keeps one folded text per session (its own and its papers'); it is cheap
  to build (a few C calls per session), so a search works a moment after a program opens,
  and each query scans the text (tens of milliseconds for 50,000 papers).
- :class:`WordIndex` maps every word to the sessions having it (a bitmap over program order),
  built from a :class:`TextScan`; a keystroke then looks at the ~30,000 distinct words instead
  of 60 MB of text. The window swaps it in when it is ready and drops the scan.

Folded text here is bytes: ASCII words with runs of spaces between them (a term has no space,
so "a word starts with the term" is "the term follows a space"), which needs no split.
"""

from __future__ import annotations

import bisect
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import repeat
from typing import Protocol, TypeAlias

from planner.core.model import Paper, Program, Session
from planner.core.search import (
    fields_match,
    matches,
    paper_text,
    plain_terms,
    session_text,
    split_term,
)

# Upper case to lower, letters and digits kept, everything else a space: fold_text on ASCII.
_FOLD_ASCII = bytes(
    c + 32 if 0x41 <= c <= 0x5A else c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20
    for c in range(256))


def _session_parts(session: Session) -> list[str]:
    return [session.title, session.subtitle, session.kind.value, session.room,
            session.location, session.track, " ".join(session.speakers), session.description]


def _paper_parts(paper: Paper) -> list[str]:
    return [paper.title, paper.abstract, " ".join(paper.authors)]


def folded_bytes(session: Session, papers: Iterable[Paper]) -> bytes:
    """The words of the session's text and its papers', folded as
    :func:`planner.core.search.session_text` and ``paper_text`` fold them, with a leading
    space and any run of spaces between words."""
    papers = list(papers)
    parts = _session_parts(session)
    for paper in papers:
        parts.extend(_paper_parts(paper))
    text = " " + " ".join(parts)
    if text.isascii():  # NFKD changes nothing in ASCII: one table lookup per byte
        return text.encode("ascii").translate(_FOLD_ASCII)
    folded = [session_text(session)] + [paper_text(paper) for paper in papers]
    return (" " + " ".join(folded)).encode("ascii")


def folded_text(session: Session, papers: Iterable[Paper]) -> str:
    """:func:`folded_bytes` as text, for :func:`planner.core.search.matches`."""
    return folded_bytes(session, papers).decode("ascii")


class SessionSearch(Protocol):
    """What the filter asks an index."""

    def sessions_matching(self, terms: list[str], within: set[str] | None = None,
                          program: Program | None = None) -> set[str]: ...

    def paper_matches(self, session: Session, paper: Paper, terms: list[str]) -> bool: ...


class _Index:
    """What both indexes share: session ids in program order, and the per-paper answer."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids  # session ids, program order (position i is ordinal i)
        self._ordinal = {sid: i for i, sid in enumerate(ids)}

    def paper_matches(self, session: Session, paper: Paper, terms: list[str]) -> bool:
        """A paper row matches when its text with its session's own text has every term
        (folded on demand: only the papers of listed sessions are asked about)."""
        return matches(folded_text(session, [paper]), terms) and fields_match(
            session, [paper], terms)

    def _ordinals(self, within: set[str] | None) -> Iterable[int]:
        if within is None:
            return range(len(self.ids))
        ordinal = self._ordinal
        return sorted(ordinal[sid] for sid in within if sid in ordinal)

    def _finish(self, ordinals: Iterable[int], terms: list[str], program: Program | None,
                within: set[str] | None = None) -> set[str]:
        ids = self.ids
        hits = {ids[i] for i in ordinals}
        if within is not None:
            hits &= within
        if program is not None and any(split_term(t)[0] for t in terms):
            hits = {sid for sid in hits if (s := program.find_session(sid)) is not None
                    and fields_match(s, program.papers_of(s), terms)}
        return hits


class TextScan(_Index):
    """The folded text of every session with its papers, one after another in one buffer (so
    its memory goes back to the system at once when the word index replaces it); a query
    scans it."""

    def __init__(self, ids: list[str], buffer: bytearray, starts: array[int]) -> None:
        super().__init__(ids)
        self.buffer = buffer
        self.starts = starts  # session i is buffer[starts[i]:starts[i + 1]]

    @classmethod
    def build(cls, program: Program) -> TextScan:
        """Pure Python, safe in a worker thread (the program is not changed)."""
        buffer = bytearray()
        starts = array("Q", [0])
        for session in program.sessions:
            buffer += folded_bytes(session, program.papers_of(session))
            starts.append(len(buffer))
        return cls([s.id for s in program.sessions], buffer, starts)

    def texts(self) -> Iterator[bytes]:
        """Each session's folded text, in program order."""
        view, starts = memoryview(self.buffer), self.starts
        for i in range(len(self.ids)):
            yield bytes(view[starts[i]:starts[i + 1]])

    def sessions_matching(self, terms: list[str], within: set[str] | None = None,
                          program: Program | None = None) -> set[str]:
        """Ids of the sessions whose text (with their papers') has every term; terms limited
        to a field are checked in that field of the candidates (``program`` has them)."""
        candidates = self._ordinals(within)
        find, starts = self.buffer.find, self.starts
        # Longest words first: they are the rarest, so later words scan fewer texts.
        for word in sorted(set(plain_terms(terms)), key=len, reverse=True):
            needle = b" " + word.encode("ascii")
            candidates = [i for i in candidates if find(needle, starts[i], starts[i + 1]) >= 0]
        return self._finish(candidates, terms, program)


# A bitmap over program order (bit i: ordinal i), or the ordinals themselves.
Postings: TypeAlias = "int | array[int]"

_BIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
PREFIX_BITMAP_LENGTH = 3  # terms this short have a bitmap of their own (see WordIndex)


def bitmap_of(ordinal_runs: Iterable[Iterable[int]], size: int) -> int:
    """The bitmap (bit i: ordinal i) of every ordinal in ``ordinal_runs``, ordinals < size:
    a byte per ordinal set in C, then read as one base-2 number."""
    flags = bytearray(size)
    for ordinals in ordinal_runs:
        deque(map(flags.__setitem__, ordinals, repeat(1)), 0)
    return int(flags.translate(_BIT_DIGITS)[::-1] or b"0", 2)


class WordIndex(_Index):
    """Which sessions have each word: a bitmap over program order for a word in more than one
    session in 16, the ordinals (2 bytes each) for the rest, which in real text are most words
    (a bitmap each would take several times the memory); and a bitmap for every prefix of up
    to PREFIX_BITMAP_LENGTH letters, so a short term, which thousands of words start with,
    needs no ordinals set one by one."""

    def __init__(self, ids: list[str], words: dict[str, Postings]) -> None:
        super().__init__(ids)
        self.words = words
        self._vocabulary = sorted(words)  # words with a prefix are a run (bisect)
        self._last: dict[str, list[str]] = {}  # the previous query's terms -> their words
        self._short: dict[str, int] = {}
        prefixes = dict.fromkeys(w[:length] for w in self._vocabulary
                                 for length in range(1, PREFIX_BITMAP_LENGTH + 1))
        for prefix in prefixes:
            self._short[prefix] = self._union(self._words_with(prefix))

    @classmethod
    def build(cls, scan: TextScan) -> WordIndex:
        """From a scan's texts (pure Python; safe in a worker thread)."""
        having: dict[bytes, array[int]] = {}
        typecode = "H" if len(scan.ids) <= 0xFFFF else "I"  # 2 bytes an entry when they fit

        def postings(word: bytes) -> array[int]:
            found = having.get(word)
            if found is None:
                found = having[word] = array(typecode)
            return found

        for ordinal, text in enumerate(scan.texts()):
            # postings(word).append(ordinal) for every distinct word, looped in C
            deque(map(array.append, map(postings, set(text.split())), repeat(ordinal)), 0)
        size = len(scan.ids)
        words: dict[str, Postings] = {}
        for word in list(having):
            ordinals = having.pop(word)  # freed as its bitmap is made: a lower peak
            words[word.decode("ascii")] = (
                bitmap_of([ordinals], size) if len(ordinals) * 16 > size else ordinals)
        return cls(scan.ids, words)

    def _words_with(self, term: str) -> list[str]:
        """Every indexed word starting with ``term``: a run of the sorted vocabulary."""
        known = self._last.get(term)
        if known is not None:
            return known
        vocabulary = self._vocabulary
        first = bisect.bisect_left(vocabulary, term)
        last = bisect.bisect_left(vocabulary, term + "\x7f", first)  # folded text is ASCII
        return vocabulary[first:last]

    def _union(self, words: list[str]) -> int:
        """The bitmap of the sessions having any of ``words``."""
        postings = self.words
        bitmap, runs = 0, []
        for word in words:
            found = postings[word]
            if isinstance(found, int):
                bitmap |= found
            else:
                runs.append(found)
        return bitmap | bitmap_of(runs, len(self.ids)) if runs else bitmap

    def sessions_matching(self, terms: list[str], within: set[str] | None = None,
                          program: Program | None = None) -> set[str]:
        """As :meth:`TextScan.sessions_matching`, from the bitmaps and ordinals."""
        found: dict[str, list[str]] = {}
        result = -1  # all sessions
        for term in plain_terms(terms):
            short = self._short.get(term)
            if short is not None:
                result &= short
                continue
            words = found[term] = self._words_with(term)
            result &= self._union(words)
        self._last = found
        if result == -1:
            ordinals: Iterable[int] = range(len(self.ids))
        else:
            flags = bin(result)[:1:-1]  # bit i at position i
            ordinals = [i for i, bit in enumerate(flags) if bit == "1"]
        return self._finish(ordinals, terms, program, within)
