"""The desktop window (PySide6). Everything Qt lives in this package; the core stays Qt-free."""

from __future__ import annotations

import sys

_NONE_HEADROOM = 1 << 40


def _keep_none_alive() -> None:
    """Work around PySide6 6.12's abi3 wheels on CPython 3.11.

    Their void methods (``setPen``, ``resize``, ``setObjectName``...) return ``None`` without
    taking a reference, so every call lowers ``None``'s reference count by one and after a few
    thousand calls CPython aborts with "deallocating None". CPython 3.12 made ``None`` immortal
    (PEP 683), which is why the wheels work there; this gives 3.11 the same headroom once.
    """
    if sys.version_info >= (3, 12) or getattr(sys, "_planner_none_headroom", False):
        return
    import ctypes

    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    count.value += _NONE_HEADROOM
    sys._planner_none_headroom = True  # type: ignore[attr-defined]


_keep_none_alive()
