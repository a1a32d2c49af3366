"""The application icon and the freedesktop ``.desktop`` file.

A package only so that :mod:`planner.bundled` can find these files with ``importlib.resources``
in a checkout, an editable install and a wheel alike.
"""
