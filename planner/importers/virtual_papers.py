"""Papers of a copied virtual-conference page: abstracts matched to a paper catalog.

The page shows poster and oral sessions as runs of abstract text without titles. Each run is
split into papers and matched against the catalog (OpenReview ids and titles); a paper the
catalog does not know gets a title made from its abstract and an id hashed from its opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.core.ids import fold_text, short_hash
from planner.core.model import Paper, Session
from planner.importers import ImportOptions
from planner.importers.catalog import Catalog, bundled_catalog, headline, load_catalog

_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")
# Unmatched paper ids hash the first 24 words (~150 characters) of the abstract: edits and cuts
# further on leave the id alone; two different papers rarely share so long an opening.
_ID_WORDS = 24


@dataclass
class _PaperDraft:
    line: int
    paragraphs: list[str]
    truncated: bool
    catalog_id: str = ""
    title: str = ""
    link: str = ""

    @property
    def abstract(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def content_key(self) -> str:
        return " ".join(fold_text(self.abstract).split()[:_ID_WORDS])


def papers_of_runs(runs: dict[int, list[list[tuple[int, str]]]], sessions: list[Session],
                   options: ImportOptions, key: str, warnings: list[str]) -> dict[str, Paper]:
    """The papers in ``runs`` (session index → runs of numbered abstract lines), each linked
    to its sessions; one paper however many sessions show it, titled from the catalog."""
    if not any(runs.values()):
        return {}
    catalog = _catalog(options, key)
    drafts = {i: [d for run in session_runs for d in _drafts(run, catalog)]
              for i, session_runs in runs.items()}
    known = {d.content_key: d for ds in drafts.values() for d in ds if d.catalog_id}
    papers: dict[str, Paper] = {}
    untitled = 0
    for index, session_drafts in drafts.items():
        for draft in session_drafts:
            if not draft.catalog_id:
                _adopt_match(draft, known)
            paper_id = _paper_id(draft)
            _merge(papers, paper_id, draft)
            if paper_id not in sessions[index].paper_ids:
                sessions[index].paper_ids.append(paper_id)
            untitled += not draft.catalog_id
    if untitled:
        where = (f"the catalog {catalog.path}" if catalog is not None else
                 "no paper catalog (pass --catalog FILE)")
        warnings.append(f"{untitled} paper slot(s) not found in {where}; their titles are made "
                        f"from the abstracts")
    return papers


def _adopt_match(draft: _PaperDraft, known: dict[str, _PaperDraft]) -> None:
    """A copy cut too short to match by itself is the matched copy it is a prefix of."""
    key = draft.content_key
    if len(key.split()) < 12:
        return
    for other_key, other in known.items():
        if other_key.startswith(key) or key.startswith(other_key):
            draft.catalog_id, draft.title, draft.link = other.catalog_id, other.title, other.link
            return


def _paper_id(draft: _PaperDraft) -> str:
    """OpenReview id when known; else a hash of the abstract's first words (edits further on,
    spacing, quotes and a different cut leave it alone)."""
    if draft.catalog_id:
        return f"p-{draft.catalog_id}"
    return f"p-{short_hash(draft.content_key)}"


def _merge(papers: dict[str, Paper], paper_id: str, draft: _PaperDraft) -> None:
    """Keep the longest copy of an abstract, with whether that copy was cut short."""
    existing = papers.get(paper_id)
    if existing is not None and len(existing.abstract) >= len(draft.abstract):
        return
    papers[paper_id] = Paper(id=paper_id, title=draft.title or headline(draft.abstract),
                             abstract=draft.abstract, title_derived=not draft.title,
                             abstract_truncated=draft.truncated, link=draft.link)


def _catalog(options: ImportOptions, key: str) -> Catalog | None:
    if options.catalog is not None:
        return load_catalog(options.catalog)
    bundled = bundled_catalog(key)
    return load_catalog(bundled) if bundled is not None else None


def _drafts(run: list[tuple[int, str]], catalog: Catalog | None) -> list[_PaperDraft]:
    texts = [line for _, line in run]
    groups = catalog.split_block(texts) if catalog is not None else [texts]
    drafts = []
    position = 0
    for group in groups:
        line = run[position][0]
        position += len(group)
        truncated = bool(_ELLIPSIS.search(group[-1]))
        paragraphs = [*group[:-1], _ELLIPSIS.sub("", group[-1])]
        draft = _PaperDraft(line, [p for p in paragraphs if p], truncated)
        match = catalog.match(draft.abstract) if catalog is not None else None
        if match is not None:
            draft.catalog_id = match.paper.id
            draft.title = match.paper.title
            draft.link = match.paper.link
        drafts.append(draft)
    return drafts
