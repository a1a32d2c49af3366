"""Failures of the output itself, handled once for every command.

``planner list > /dev/full`` or a closed pipe (``planner list | head -1``) are not bugs in a
command: standard output went away. A full disk or an I/O error gets one line and exit 2; a
closed pipe ends the program quietly, as ``cat`` or ``grep`` do (the shell sees 141, the status
of a program that SIGPIPE ended), with no "Exception ignored" noise at interpreter exit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable

EXIT_USAGE = 2
EXIT_CLOSED_PIPE = 128 + signal.SIGPIPE


def run_writing_output(call: Callable[[], int]) -> int:
    """``call()``, then a flush of standard output; output failures become an exit status."""
    try:
        status = call()
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _discard_pending_output()
        return EXIT_CLOSED_PIPE
    except OSError as error:
        if error.errno == errno.EPIPE:  # pragma: no cover - BrokenPipeError above
            _discard_pending_output()
            return EXIT_CLOSED_PIPE
        _discard_pending_output()
        print(f"planner: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_USAGE


def describe_os_error(error: OSError) -> str:
    """One line for an OSError that no command turned into its own message."""
    reason = error.strerror or str(error) or type(error).__name__
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    return f"cannot write to standard output: {reason}"


def _discard_pending_output() -> None:
    """Point standard output at /dev/null, so the final flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
