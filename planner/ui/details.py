"""Details of the selected session or paper, as a rich-text page with live star links.

A ``QTextBrowser`` gives selectable text, Tab between links and Enter to follow them for free.
Links are ``star:<id>`` (flip a star), ``select:<id>`` (show another session) or web addresses;
only http and https ever reach the browser.
"""

from __future__ import annotations

import urllib.parse

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from planner.core.model import ESTIMATED_DURATION, Link, Paper, Session
from planner.core.stars import StarState
from planner.core.text import escape_html
from planner.ui import icons, timefmt
from planner.ui.controller import Controller
from planner.ui.model_cells import star_look
from planner.ui.models import conflict_text, place_of

_STAR_IMAGES = {StarState.FULL: "star-full", StarState.PARTIAL: "star-partial",
                icons.MAYBE_LOOK: "star-maybe",
                StarState.NONE: "star-none"}
ABSTRACT_PREVIEW = 320  # characters of each abstract on a session's page; the paper has it all
_STAR_WORDS = {StarState.FULL: "Starred (click to unstar)",
               icons.MAYBE_LOOK: "Starred as maybe (click to unstar)",
               StarState.PARTIAL: "Some papers starred (click to star the whole session)",
               StarState.NONE: "Star"}


_e = escape_html


def _ref(item_id: str) -> str:
    """An id made safe for an internal link (ids may hold any character)."""
    return urllib.parse.quote(item_id, safe="")


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(part).replace(chr(10), '<br/>')}</p>"
                   for part in text.split("\n\n") if part.strip())


def open_web_link(url: str) -> bool:
    """Open ``url`` in the browser if it is http(s); anything else is refused."""
    if not Link(url).is_web:
        return False
    return QDesktopServices.openUrl(QUrl(url))


class DetailsView(QTextBrowser):
    """Shows one session or paper. Emits ``starRequested(id)``, ``selectRequested(id)``,
    ``linkRefused(url)`` and ``itemShown(id or None)`` (the note editor follows it)."""

    itemShown = Signal(object)
    starRequested = Signal(str)
    selectRequested = Signal(str)
    linkRefused = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.item_id: str | None = None
        self.session_id: str | None = None  # the session context of a paper
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Details")
        self.setAccessibleDescription("Details of the selected session or paper; Tab moves "
                                      "between links and stars, Enter follows them")
        self.anchorClicked.connect(self._on_anchor)
        controller.programChanged.connect(lambda: self.show_item(None))
        controller.starsChanged.connect(self._on_stars_changed)
        controller.conflictsChanged.connect(self.refresh)
        controller.timesChanged.connect(self.refresh)
        self._add_images()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()  # its colours are written into the page

    def _add_images(self) -> None:
        document = self.document()
        for state, name in _STAR_IMAGES.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                                 icons.star_icon(state).pixmap(18, 18))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("warning"),
                             icons.warning_icon().pixmap(16, 16))

    def show_item(self, item_id: str | None, session_id: str | None = None) -> None:
        self.item_id = item_id
        self.session_id = session_id
        self.refresh(keep_scroll=False)
        self.itemShown.emit(item_id)

    def _on_stars_changed(self, ids: list[str]) -> None:
        """Redraw only when a shown star flipped (the page may hold 66 abstracts)."""
        if self.item_id is None:
            return
        shown = {self.item_id}
        item = self.controller.item(self.item_id)
        program = self.controller.program
        if isinstance(item, Session):
            shown.update(item.paper_ids)
        elif isinstance(item, Paper) and program is not None:
            shown.update(s.id for s in program.sessions_of(item))
        if shown.intersection(ids):
            self.refresh()

    def refresh(self, keep_scroll: bool = True) -> None:
        scroll = self.verticalScrollBar().value()
        item = self.controller.item(self.item_id) if self.item_id else None
        if isinstance(item, Session):
            body = self._session_html(item)
        elif isinstance(item, Paper):
            body = self._paper_html(item)
        elif self.controller.program is None:
            body = "<p>No program is open. Use <b>File → Open</b> (Ctrl+O).</p>"
        else:
            body = ("<p>Select a session or paper to see its times in both zones, its "
                    "papers and abstracts.</p><p>Click a ☆ or press <b>Space</b> to star.</p>")
        self.document().setDefaultStyleSheet(self._style())
        self.setHtml(body)
        self._add_images()
        if keep_scroll:
            self.verticalScrollBar().setValue(scroll)

    def _style(self) -> str:
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        return (f".muted {{ color: {muted}; }} .warn {{ color: {icons.CONFLICT_RED.name()}; }}"
                f" a {{ color: {link}; text-decoration: none; }} h2 {{ margin-bottom: 2px; }}")

    def _star_link(self, item_id: str, state: str, label: bool = False) -> str:
        state = star_look(self.controller, item_id, state)
        words = _STAR_WORDS[state]
        text = f" {_e(words)}" if label else ""
        return (f'<a href="star:{_ref(item_id)}" title="{_e(words)}">'
                f'<img src="{_STAR_IMAGES[state]}" width="18" height="18" alt="{_e(words)}"/>'
                f"{text}</a>")

    def _times_html(self, session: Session) -> str:
        if session.start is None:
            return '<p class="muted">Not scheduled: the program gives no time.</p>'
        if session.all_day:
            return (f"<p><b>{_e(timefmt.all_day_text(session, self.controller.program_zone))}"
                    f"</b></p>")
        display = timefmt.span(session.start, session.end, self.controller.display_zone,
                               session.end_estimated)
        program = timefmt.span(session.start, session.end, self.controller.program_zone,
                               session.end_estimated)
        text = f'<p><b style="white-space:nowrap">{_e(display)}</b>'
        if self.controller.display_zone_name != self.controller.program.source_zone:  # type: ignore[union-attr]
            text += (f' · <span style="white-space:nowrap">{_e(program)}</span> '
                     f'<span class="muted">(program time)</span>')
        text += "</p>"
        if session.end_estimated:
            assumed = timefmt.duration_text(ESTIMATED_DURATION[session.kind])
            kind = session.kind.value
            article = "an" if kind[:1] in "aeiou" else "a"  # "an oral session", "a workshop"
            text += (f'<p class="muted">~ End estimated: the program gives only a start; '
                     f"{article} {_e(kind)} is assumed to last {assumed}.</p>")
        if session.end_before_start:
            text += ('<p class="muted">⚠ The program gives an end at or before the start; '
                     "shown and exported as a moment at its start.</p>")
        return text

    def _session_html(self, session: Session) -> str:
        controller = self.controller
        state = controller.session_state(session)
        parts = [f"<h2>{self._star_link(session.id, state)} {_e(session.title)}</h2>"]
        if session.subtitle:
            parts.append(f"<p><i>{_e(session.subtitle)}</i></p>")
        if session.cancelled:
            parts.append('<p class="warn"><b>The program marks this session cancelled.</b></p>')
        note = controller.change_notes.get(session.id)
        if note:
            parts.append(f'<p class="warn"><b>{_e(note[0].upper() + note[1:])}</b></p>')
        parts.append(self._times_html(session))
        facts = [session.kind.label]
        if place_of(session):
            facts.append(place_of(session))
        if session.room and session.location and session.location != session.room:
            facts.append(session.location)
        if session.track:
            facts.append(f"track {session.track}")
        if session.language:
            facts.append(session.language)
        parts.append(f"<p>{_e(' · '.join(facts))}</p>")
        others = controller.conflicts_of(session.id)
        if others:
            parts.append(f'<p class="warn"><img src="warning" width="16" height="16"/> '
                         f"<b>{_e(conflict_text(controller, others))}</b></p>")
        if session.speakers:
            parts.append(f"<p><b>Speakers:</b> {_e(', '.join(session.speakers))}</p>")
        parts.append(self._links_html(session.links))
        if session.description:
            parts.append(_paragraphs(session.description))
        program = controller.program
        papers = program.papers_of(session) if program else []
        if papers:
            starred = len(controller.stars.starred_papers_in(session))
            parts.append(f"<h3>Papers ({len(papers)}, {starred} starred)</h3>")
            for paper in papers:
                parts.append(self._paper_entry(paper))
        return "".join(parts)

    def _links_html(self, links: list[Link]) -> str:
        if not links:
            return ""
        items = []
        for link in links:
            title = link.title or link.url
            if link.is_web:
                items.append(f'<a href="{_e(link.url)}" title="{_e(link.url)}">{_e(title)}</a>')
            else:
                items.append(f'{_e(title)} <span class="muted">(not a web link; not opened)'
                             f"</span>")
        return "<p><b>Links:</b> " + " · ".join(items) + "</p>"

    def _paper_title(self, paper: Paper) -> str:
        if paper.title_derived:
            return (f"<i>{_e(paper.title)}</i> <span class=\"muted\">(no published title; "
                    f"headline made from the abstract)</span>")
        return f"<b>{_e(paper.title)}</b>"

    def _paper_entry(self, paper: Paper) -> str:
        state = StarState.FULL if self.controller.is_starred(paper.id) else StarState.NONE
        title = (f'<a href="select:{_ref(paper.id)}" title="Show the whole paper">'
                 f"{self._paper_title(paper)}</a>")
        text = f"<p>{self._star_link(paper.id, state)} {title}"
        if paper.authors:
            text += f'<br/><span class="muted">{_e(", ".join(paper.authors))}</span>'
        text += "</p>"
        text += self._abstract_preview(paper)
        return text

    def _abstract_preview(self, paper: Paper) -> str:
        """The start of the abstract, so 66 papers stay skimmable; the paper's page has it all."""
        if not paper.abstract:
            return ""
        abstract = paper.abstract
        more = ""
        if len(abstract) > ABSTRACT_PREVIEW:
            abstract = abstract[:ABSTRACT_PREVIEW].rsplit(" ", 1)[0].rstrip(".,;:") + "…"
            more = f' <a href="select:{_ref(paper.id)}">(read on)</a>'
        link = (f' · <a href="{_e(paper.link)}">paper page</a>' if Link(paper.link).is_web
                else "")
        return f'<p style="margin-left:22px">{_e(abstract)}{more}{link}</p>'

    def _paper_html(self, paper: Paper) -> str:
        controller = self.controller
        state = StarState.FULL if controller.is_starred(paper.id) else StarState.NONE
        parts = [f"<h2>{self._star_link(paper.id, state)} {self._paper_title(paper)}</h2>"]
        if paper.authors:
            parts.append(f"<p>{_e(', '.join(paper.authors))}</p>")
        program = controller.program
        sessions = program.sessions_of(paper) if program else []
        if sessions:
            parts.append("<p><b>Presented in:</b></p><ul>")
            for session in sessions:
                when = ""
                if session.start is not None:
                    when = controller.both_clocks(session)
                warn = ""
                others = controller.conflicts_of(session.id)
                if others and state == StarState.FULL:
                    warn = (f'<br/><span class="warn"><img src="warning" width="14" height="14"/>'
                            f" {_e(conflict_text(controller, others))}</span>")
                parts.append(f'<li><a href="select:{_ref(session.id)}">{_e(session.title)}</a> '
                             f"{_e(when)}{warn}</li>")
            parts.append("</ul>")
        if Link(paper.link).is_web:
            parts.append(f'<p><b>Link:</b> <a href="{_e(paper.link)}">{_e(paper.link)}</a></p>')
        if paper.abstract:
            parts.append("<h3>Abstract</h3>")
            parts.append(_paragraphs(paper.abstract))
            if paper.abstract_truncated:
                parts.append('<p class="muted">The program cut this abstract short.</p>')
        return "".join(parts)

    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        target = bytes(url.toEncoded().data()).decode("ascii", "replace")
        if scheme in ("star", "select"):
            item_id = urllib.parse.unquote(target.split(":", 1)[1])
            (self.starRequested if scheme == "star" else self.selectRequested).emit(item_id)
        elif not open_web_link(target):
            self.linkRefused.emit(target)
