"""Paper catalogs: give titles back to abstracts that a copied page lost them from.

A catalog is a TSV/CSV file with a title, an abstract and usually a link and an id (the
OpenReview export ships as ``planner/data/iclr2021_papers.tsv``). Page abstracts differ from the catalog's:
whitespace, quotes, ellipses, truncation, and often a revised camera-ready wording. So matching
is by *containment* of the page text's word bigrams in a catalog abstract, weighted by how rare
each bigram is in the catalog (IDF), through an inverted index. A match needs a clear score
*and* a clear lead over the runner-up: a wrong title is worse than a derived one.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import ProgramError
from planner.core.ids import fold_text, short_hash
from planner.core.text import grapheme_prefix
from planner.importers.text import clean_line, clean_text

# Program key (from the conference named in the text) -> bundled catalog in planner/data/.
# Keep this small and explicit: a catalog is only used for the conference it describes.
BUNDLED_CATALOGS: dict[str, str] = {
    "iclr-2021": "iclr2021_papers.tsv",
}

# Column names accepted for each field, in order of preference (compared after fold_text).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "paper title", "name"),
    "abstract": ("abstract", "summary", "paper abstract"),
    "link": ("link", "url", "forum", "openreview", "paper url", "pdf url", "pdf"),
    "id": ("paper id", "paper_id", "id", "uid", "forum id", "openreview id", "number"),
}
_FORUM_ID = re.compile(r"[?&]id=([A-Za-z0-9_\-]+)")

# Acceptance: long queries need an IDF containment of MIN_SCORE and a lead of LEAD times the
# runner-up; short ones (single paragraphs of a split abstract) need more, as chance hits weigh
# more there. Tuned on the bundled page: non-papers score <= 0.07, revised abstracts >= 0.15.
MIN_SCORE = 0.14
LEAD = 2.0
SHORT_QUERY = 30  # bigrams
SHORT_MIN_SCORE = 0.3
SHORT_LEAD = 2.5
MIN_QUERY = 6  # below this many bigrams nothing is matched


@dataclass(frozen=True)
class CatalogPaper:
    """One row of a catalog."""

    id: str
    title: str
    abstract: str
    link: str = ""
    line: int = 0  # 1-based line of the row in its file, for messages


@dataclass(frozen=True)
class Match:
    paper: CatalogPaper
    score: float  # IDF-weighted share of the query's bigrams found in the paper's abstract


def shingles(text: str) -> set[tuple[str, str]]:
    """Word bigrams of the folded text: blind to case, punctuation, quotes and spacing."""
    words = fold_text(text.replace("…", " ")).split()
    return set(itertools.pairwise(words))


class Catalog:
    """Papers with an inverted bigram index for fast, tolerant abstract lookup."""

    def __init__(self, papers: Sequence[CatalogPaper], path: str = "") -> None:
        self.papers = list(papers)
        self.path = path
        self._grams: list[set[tuple[str, str]]] = [shingles(p.abstract) for p in self.papers]
        self._index: dict[tuple[str, str], list[int]] = {}
        for number, grams in enumerate(self._grams):
            for gram in grams:
                self._index.setdefault(gram, []).append(number)
        self._position = {id(paper): number for number, paper in enumerate(self.papers)}
        self._unseen_idf = math.log(len(self.papers) + 1)

    def __len__(self) -> int:
        return len(self.papers)

    def _idf(self, gram: tuple[str, str]) -> float:
        postings = self._index.get(gram)
        if postings is None:
            return self._unseen_idf
        return math.log((len(self.papers) + 1) / (len(postings) + 1))

    def ranked(self, text: str, limit: int = 2) -> list[Match]:
        """The best-scoring papers for ``text``, best first (unconfirmed)."""
        query = shingles(text)
        total = sum(self._idf(gram) for gram in query)
        if not query or total <= 0:
            return []
        scores: dict[int, float] = {}
        for gram in query:
            postings = self._index.get(gram)
            if not postings:
                continue
            weight = self._idf(gram)
            for number in postings:
                scores[number] = scores.get(number, 0.0) + weight
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Match(self.papers[number], score / total) for number, score in best]

    def score(self, text: str, paper: CatalogPaper) -> float:
        """How much of ``text`` (IDF-weighted) the paper's abstract contains."""
        query = shingles(text)
        total = sum(self._idf(gram) for gram in query)
        if total <= 0:
            return 0.0
        grams = self._grams[self._position[id(paper)]]
        return sum(self._idf(gram) for gram in query & grams) / total

    def match(self, text: str) -> Match | None:
        """The catalog paper ``text`` is (a version or a prefix of) the abstract of, if clear."""
        size = len(shingles(text))
        if size < MIN_QUERY:
            return None
        ranked = self.ranked(text)
        if not ranked:
            return None
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        short = size < SHORT_QUERY
        floor, lead = (SHORT_MIN_SCORE, SHORT_LEAD) if short else (MIN_SCORE, LEAD)
        if best.score >= floor and best.score >= lead * runner_up:
            return best
        return None

    def split_block(self, lines: Sequence[str]) -> list[list[str]]:
        """Split one block of abstract lines into papers.

        Lines are paragraphs of one paper unless lines in the block match *different* catalog
        papers; then each unmatched line joins the neighbouring paper it resembles most.
        """
        if len(lines) < 2:
            return [list(lines)]
        anchors = [self.match(line) for line in lines]
        distinct = {m.paper.id for m in anchors if m is not None}
        if len(distinct) < 2:
            return [list(lines)]
        labels: list[str] = []
        for position, anchor in enumerate(anchors):
            if anchor is not None:
                labels.append(anchor.paper.id)
                continue
            before = next((a.paper for a in reversed(anchors[:position]) if a), None)
            after = next((a.paper for a in anchors[position + 1:] if a), None)
            options = [p for p in (before, after) if p is not None]
            chosen = max(options, key=lambda p: self.score(lines[position], p))
            if before is not None and self.score(lines[position], before) >= \
                    self.score(lines[position], chosen):
                chosen = before  # ties stay with the paper above
            labels.append(chosen.id)
        groups: list[list[str]] = []
        previous = None
        for line, label in zip(lines, labels, strict=True):
            if label != previous:
                groups.append([])
                previous = label
            groups[-1].append(line)
        return groups


def headline(abstract: str, limit: int = 90) -> str:
    """A title made from an abstract: its first sentence, clipped on a word boundary."""
    text = " ".join(abstract.split())
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])", text, maxsplit=1)[0]
    sentence = sentence.rstrip(" .")
    if len(sentence) <= limit:
        return sentence
    window = sentence[: limit + 1]
    clipped = window.rsplit(" ", 1)[0].rstrip(" ,;:-—–") if " " in window else ""
    return (clipped or grapheme_prefix(sentence, limit)) + "…"


def bundled_catalog(program_key: str) -> Path | None:
    """The catalog shipped in ``planner/data/`` for a conference key such as ``iclr-2021``."""
    from planner.bundled import data_file

    name = BUNDLED_CATALOGS.get(program_key)
    if name is None:
        return None
    path = data_file(name)
    return path if path.is_file() else None


def load_catalog(path: str | Path) -> Catalog:
    """Read a catalog file (cached by path, size and modification time)."""
    from planner.importers.reading import MAX_PROGRAM_BYTES, read_user_file, regular_file_info

    resolved = Path(path)
    shown = str(path)
    expected = "a paper catalog (TSV/CSV with title and abstract columns)"
    info = regular_file_info(resolved, expected, MAX_PROGRAM_BYTES, plural="catalogs")
    key = (str(resolved.resolve()), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    cached = _CACHE.get(key)
    if cached is None:
        data = read_user_file(resolved, expected, MAX_PROGRAM_BYTES, plural="catalogs")
        cached = _decode_catalog(data, shown)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    return cached


_CACHE_SIZE = 8
_CACHE: dict[tuple[str, int, int, int, int], Catalog] = {}


def _decode_catalog(data: bytes, shown: str) -> Catalog:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProgramError("the paper catalog is not UTF-8 text", path=shown, line=line) from None
    return Catalog(parse_catalog(text, shown), shown)


def parse_catalog(text: str, path: str = "") -> list[CatalogPaper]:
    """Rows of a TSV/CSV catalog; the delimiter is whichever the header line uses most."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgramError("the paper catalog is a binary file; expected TSV/CSV text",
                           path=path, line=line)
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        raise ProgramError("the paper catalog has no header line; expected columns such as "
                           "title, abstract, link", path=path, line=1)
    delimiter = max("\t,;", key=header_line.count)
    csv.field_size_limit(1 << 24)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = next(reader)
        columns = _find_columns(header, path)
        papers = list(_rows(reader, columns, path, len(header)))
    except csv.Error as exc:
        raise ProgramError(f"the paper catalog is not valid TSV/CSV: {exc}", path=path,
                           line=reader.line_num) from None
    if not papers:
        raise ProgramError("the paper catalog has no rows", path=path, line=2)
    return papers


def _find_columns(header: list[str], path: str) -> dict[str, int]:
    folded = [fold_text(name) for name in header]
    found: dict[str, int] = {}
    for field_name, aliases in _COLUMNS.items():
        for alias in aliases:
            if fold_text(alias) in folded:
                found[field_name] = folded.index(fold_text(alias))
                break
    missing = [name for name in ("title", "abstract") if name not in found]
    if missing:
        raise ProgramError(f"the paper catalog has no {' or '.join(missing)} column (found "
                           f"{', '.join(header) or 'none'}); expected columns such as title, "
                           f"abstract, link", path=path, line=1)
    return found


def _rows(reader: Iterator[list[str]], columns: dict[str, int], path: str,
          width: int) -> Iterator[CatalogPaper]:
    end = 1  # the header's line
    for row in reader:
        line = end + 1  # a quoted field may span lines: a row starts after the last one
        end = int(getattr(reader, "line_num", line))
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < max(columns.values()) + 1:
            raise ProgramError(f"row has {len(row)} fields; expected {width} like the header",
                               path=path, line=line)
        title = clean_line(row[columns["title"]])
        abstract = clean_text(row[columns["abstract"]])
        link = row[columns["link"]].strip() if "link" in columns else ""
        paper_id = row[columns["id"]].strip() if "id" in columns else ""
        if not paper_id and link:
            forum = _FORUM_ID.search(link)
            paper_id = forum.group(1) if forum else ""
        if not title:
            raise ProgramError("row has an empty title", path=path, line=line)
        yield CatalogPaper(paper_id or short_hash(fold_text(title)), title, abstract, link, line)
