"""Errors a user can read: every importer raises :class:`ProgramError`, nothing else."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of the errors that reach the user as one clear line (exit status 2 in the CLI)."""


class ProgramError(PlannerError):
    """A program file that cannot be opened, with where and what was expected.

    Args:
        message: what is wrong and what was expected, as a sentence fragment.
        path: the file, as the user named it.
        line: 1-based line number, when known.
        element: the XML element / JSON path / iCalendar component, when known.
    """

    def __init__(self, message: str, path: str = "", line: int | None = None,
                 element: str = "") -> None:
        self.message = message
        self.path = path
        self.line = line
        self.element = element
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.element:
            where += f" ({self.element})"
        return f"{where}: {self.message}"

    def located(self, path: str) -> ProgramError:
        """The same error naming ``path`` when the raiser did not know the file name."""
        if not self.path:
            self.path = path
        return self


class UnknownItemError(PlannerError):
    """A session or paper id that is not in the program."""
