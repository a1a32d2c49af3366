"""``planner install-desktop``: add planner to the desktop's application menu (or remove it)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "install-desktop", help="add planner to the application menu (.desktop file and icon)",
        description="Copy planner's .desktop file to $XDG_DATA_HOME/applications and its icon "
                    "to $XDG_DATA_HOME/icons/hicolor (default ~/.local/share), naming the "
                    "planner-gui of this installation, so freedesktop menus list planner.")
    parser.add_argument("--remove", action="store_true",
                        help="remove the files a previous install-desktop wrote")
    parser.add_argument("--data-home", metavar="DIR",
                        help="XDG data folder to use instead of $XDG_DATA_HOME")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from planner import desktop

    data_home = Path(args.data_home).expanduser().resolve() if args.data_home else None
    if args.remove:
        removed = desktop.uninstall(data_home)
        for path in removed:
            print(f"removed {path}")
        if not removed:
            print("nothing to remove: planner's desktop entry is not installed there")
        return 0
    target = desktop.install(data_home)
    for path in target.all():
        print(f"installed {path}")
    return 0
