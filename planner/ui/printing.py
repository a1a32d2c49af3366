""""My agenda" on paper: the HTML of :mod:`planner.export.agenda_print` laid out on pages by a
``QTextDocument``, with a footer naming the program and the page ("page 2 of 3").

One renderer for both ends: :func:`render_pages` paints on any paged device (the ``QPrinter``
the print dialog set up, or a ``QPdfWriter``); :func:`write_pdf` renders into memory and hands
the bytes to :func:`planner.core.files.write_atomically` (a temporary file in the target's
folder, renamed over it), so a failed or refused write never leaves half a PDF, and an
existing file stays as it was. Needs a ``QGuiApplication`` (fonts), not a screen:
:func:`ensure_gui_application` starts one offscreen for ``planner print``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from planner.core.errors import PlannerError
from planner.core.files import WriteOutcome, write_atomically
from planner.export.agenda_print import PrintAgenda, agenda_html

PDF_RESOLUTION = 300  # dots per inch: sharp text, small files
MARGINS_MM = QMarginsF(15, 15, 15, 12)
FOOTER_POINTS = 8

_app: QApplication | None = None  # kept alive for the process (planner print)


def ensure_gui_application() -> QGuiApplication:
    """The running application, or a new one (offscreen when there is no screen).

    A ``QApplication``, not a bare ``QGuiApplication``: the command may run inside a process
    that opens windows later (the tests run the CLI in-process), and Qt allows one
    application object per process.
    """
    global _app
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QApplication([sys.argv[0] if sys.argv else "planner"])
    return _app


def footer_text(agenda: PrintAgenda) -> str:
    return f"{agenda.program_name} · My agenda · {agenda.scope}"


def _font(points: float) -> QFont:
    """The agenda's font. Without ligatures: "office" set with an "ffi" glyph reads back
    (searched, copied, read aloud) as a different word."""
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def render_pages(agenda: PrintAgenda, device: QPagedPaintDevice,
                 page_range: tuple[int, int] | None = None) -> int:
    """Paint the agenda on ``device``'s pages, a footer on each; returns how many pages were
    painted. ``page_range`` (first, last; from 1) paints only those pages (the print dialog's
    "Pages from … to …"); their footers still count the whole agenda ("page 3 of 7")."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDefaultFont(_font(9.5))
    document.setHtml(agenda_html(agenda, device.logicalDpiX() / 72))
    page = device.pageLayout().paintRectPixels(device.logicalDpiX())
    footer_font = _font(FOOTER_POINTS)
    footer_height = QFontMetricsF(footer_font, device).height() * 2
    body = QSizeF(page.width(), page.height() - footer_height)
    document.setPageSize(body)
    pages = document.pageCount()
    first, last = page_range or (1, pages)
    chosen = range(max(first, 1) - 1, min(last, pages))
    if not chosen:  # refused before the printer starts a job
        raise PlannerError(f"the agenda has {pages} page{'s' if pages != 1 else ''}; there "
                           f"is no page {first}")
    painter = QPainter()
    if not painter.begin(device):
        raise PlannerError("cannot start printing: the printer or file refused the job")
    try:
        painter.setFont(footer_font)
        footer = footer_text(agenda)
        for number in chosen:
            if number != chosen.start:
                device.newPage()
            painter.save()
            painter.translate(0, -number * body.height())
            document.drawContents(painter, QRectF(0, number * body.height(), body.width(),
                                                  body.height()))
            painter.restore()
            line = QRectF(0, body.height(), body.width(), footer_height)
            painter.drawLine(line.topLeft(), line.topRight())
            painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             painter.fontMetrics().elidedText(
                                 footer, Qt.TextElideMode.ElideRight, int(body.width() * 0.75)))
            painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter |
                                       Qt.AlignmentFlag.AlignRight),
                             f"page {number + 1} of {pages}")
    finally:
        painter.end()
    return len(chosen)


PAPER_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def default_paper() -> str:
    """Letter where the locale measures in inches (the US and a few others), else A4."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


def pdf_bytes(agenda: PrintAgenda, paper: str | None = None) -> tuple[bytes, int]:
    """The agenda as a PDF document on ``paper`` (a key of :data:`PAPER_SIZES`; default:
    :func:`default_paper`), in memory, and its page count."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(f"{agenda.program_name} — My agenda")
    writer.setCreator("planner")
    size = PAPER_SIZES[paper or default_paper()]
    writer.setPageLayout(QPageLayout(QPageSize(size),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    pages = render_pages(agenda, writer)  # painter.end() finishes the document
    del writer
    buffer.close()
    return bytes(buffer.data().data()), pages


def write_pdf(agenda: PrintAgenda, target: Path,
              paper: str | None = None) -> tuple[WriteOutcome, int]:
    """Write the agenda's PDF to ``target`` whole or not at all; returns where and how many
    pages.

    Raises:
        FileWriteError: the target is not a writable regular file (nothing is left behind).
    """
    data, pages = pdf_bytes(agenda, paper)
    return write_atomically(Path(target), data), pages
