"""Programs from the web: download with limits (:mod:`fetch`), offline copies (:mod:`cache`),
refresh as one use case (:mod:`refresh`). Qt-free, so the command line and the window's worker
threads share one code path."""
