"""The desktop window (PySide6). Everything Qt lives in this package; the core stays Qt-free."""
