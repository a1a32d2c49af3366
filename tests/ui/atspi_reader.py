"""A minimal screen reader: finds planner's timeline over AT-SPI (the bus Orca uses), reads its
blocks, stars one through its Toggle action, moves the focus with the Down key, and prints what
it saw as JSON.

Run by the system's python3 (it needs python3-gi and gir1.2-atspi-2.0), not by the test's
virtualenv: ``/usr/bin/python3 atspi_reader.py``. Exits 1 with a JSON error when it cannot find
the timeline.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

KEY_DOWN = 0xFF54  # the X keysym of the Down arrow
WAIT = 60.0


def find(node: Any, wanted: Any, depth: int = 0) -> Any:
    if node is None or depth > 40:
        return None
    if wanted(node):
        return node
    for index in range(node.get_child_count()):
        hit = find(node.get_child_at_index(index), wanted, depth + 1)
        if hit is not None:
            return hit
    return None


def timeline() -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        desktop = Atspi.get_desktop(0)
        for index in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(index)
            if app is None or app.get_name() != "planner":
                continue
            found = find(app, lambda n: n.get_role() == Atspi.Role.LIST
                         and n.get_name() == "Timeline")
            if found is not None and found.get_child_count() > 0:
                return found
        time.sleep(0.3)
    return None


def block(node: Any) -> dict[str, Any]:
    states = node.get_state_set()
    box = node.get_extents(Atspi.CoordType.SCREEN)
    actions = node.get_action_iface()
    names = [actions.get_action_name(i) for i in range(actions.get_n_actions())] \
        if actions is not None else []
    return {"name": node.get_name(), "role": node.get_role_name(),
            "description": node.get_description(),
            "checkable": states.contains(Atspi.StateType.CHECKABLE),
            "checked": states.contains(Atspi.StateType.CHECKED),
            "focused": states.contains(Atspi.StateType.FOCUSED),
            "selected": states.contains(Atspi.StateType.SELECTED),
            "rect": [box.x, box.y, box.width, box.height], "actions": names,
            "parent": node.get_parent().get_name(), "index": node.get_index_in_parent()}


def blocks(list_node: Any) -> list[dict[str, Any]]:
    return [block(list_node.get_child_at_index(i)) for i in range(list_node.get_child_count())]


def do(node: Any, name: str) -> bool:
    actions = node.get_action_iface()
    for index in range(actions.get_n_actions()):
        if actions.get_action_name(index) == name:
            return bool(actions.do_action(index))
    return False


def pump_until(done: Any, seconds: float = 10.0) -> bool:
    """Let events arrive (the listener runs in GLib's loop) until ``done()``."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while context.pending():
            context.iteration(False)
        if done():
            return True
        time.sleep(0.05)
    return False


def main() -> int:
    events: list[dict[str, Any]] = []

    def heard(event: Any) -> None:
        source = event.source
        events.append({"type": event.type, "detail": event.detail1,
                       "name": source.get_name() if source is not None else ""})

    listener = Atspi.EventListener.new(heard)
    listener.register("object:state-changed:focused")
    listener.register("object:state-changed:checked")
    found = timeline()
    if found is None:
        print(json.dumps({"error": "no Timeline list with children over AT-SPI"}))
        return 1
    # The app learns of the listener from the registry by a signal: let that arrive first.
    pump_until(lambda: False, 1.0)
    report: dict[str, Any] = {"before": blocks(found)}
    second = found.get_child_at_index(1)
    report["toggled"] = do(second, "Toggle")
    pump_until(lambda: second.get_state_set().contains(Atspi.StateType.CHECKED))
    report["after_toggle"] = block(second)
    first = found.get_child_at_index(0)
    report["focus_action"] = do(first, "SetFocus")
    pump_until(lambda: first.get_state_set().contains(Atspi.StateType.FOCUSED))
    report["after_focus"] = blocks(found)
    Atspi.generate_keyboard_event(KEY_DOWN, None, Atspi.KeySynthType.SYM)

    def moved() -> bool:
        return any(b["focused"] and b["index"] != 0 for b in blocks(found))

    pump_until(moved)
    pump_until(lambda: any(e["type"] == "object:state-changed:focused" and e["detail"] == 1
                           and e["name"] != first.get_name() for e in events), 3.0)
    report["after_down"] = blocks(found)
    report["events"] = events
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
