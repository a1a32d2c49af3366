"""The bundled program, its sidecar metadata and the ICLR 2021 paper catalog (see README.md).

A package only so that :mod:`planner.bundled` can find these files with ``importlib.resources``
in a checkout, an editable install and a wheel alike.
"""
