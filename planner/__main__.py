"""``python -m planner``: runs the command line (planner.cli.main) and exits with its code."""

import sys

from planner.cli import main

sys.exit(main())
