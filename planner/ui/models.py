"""Item models over the live program: the views show the domain objects, never copies of them.

This module only gathers the models' public names, so ``from planner.ui.models import ...``
keeps working; each model lives in its own module:

- :mod:`planner.ui.model_cells`: data roles, columns and the cell texts every model shares;
- :mod:`planner.ui.program_model`: :class:`ProgramModel`, sessions with their papers;
- :mod:`planner.ui.agenda_model`: :class:`AgendaModel`, "My agenda" (built by
  :mod:`planner.core.agenda`);
- :mod:`planner.ui.list_models`: the sidebar's facets and days, unscheduled and all-day lists.

Every model returns the domain object under :data:`ITEM_ROLE`.
"""

from __future__ import annotations

from planner.core.agenda import AgendaEntry, AgendaKind
from planner.ui.agenda_model import AGENDA_HEADERS, AgendaColumn, AgendaModel, build_agenda
from planner.ui.list_models import AllDayModel, DaysModel, FacetModel, UnscheduledModel, swatch
from planner.ui.model_cells import (
    COLUMNS,
    CONFLICT_ROLE,
    DERIVED_MARK,
    HEADERS,
    ID_ROLE,
    ITEM_ROLE,
    KIND_ROLE,
    SESSION_ROLE,
    STAR_ROLE,
    Column,
    Index,
    conflict_text,
    paper_cell,
    place_of,
    session_time_text,
    session_title,
    star_tooltip,
)
from planner.ui.program_model import ProgramModel

__all__ = [
    "AGENDA_HEADERS", "COLUMNS", "CONFLICT_ROLE", "DERIVED_MARK", "HEADERS", "ID_ROLE",
    "ITEM_ROLE", "KIND_ROLE", "SESSION_ROLE", "STAR_ROLE", "AgendaColumn", "AgendaEntry",
    "AgendaKind", "AgendaModel", "AllDayModel", "Column", "DaysModel", "FacetModel", "Index",
    "ProgramModel", "UnscheduledModel", "build_agenda", "conflict_text", "paper_cell",
    "place_of", "session_time_text", "session_title", "star_tooltip", "swatch",
]
