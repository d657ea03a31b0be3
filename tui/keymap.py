"""The `keymap` setting against the real bindings: which ids exist, what is wrong with a keymap,
and the keymap `App.set_keymap` is given.

The ids are read from every class of the app's screens and widgets, so a binding added
anywhere is remappable (and checked) without a list to keep up to date.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Iterator, Mapping
from functools import cache

from textual.binding import Binding

import tui
import tui.screens
import tui.widgets

PACKAGES = (tui.screens, tui.widgets)


def _binding_lists() -> Iterator[list[Binding]]:
    """Each class's own bindings (app, screens, widgets), one list per class."""
    modules = [importlib.import_module("tui.app")]
    for package in PACKAGES:
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            modules.append(importlib.import_module(info.name))
    seen: set[type] = set()
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls in seen or not cls.__module__.startswith(f"{tui.__name__}."):
                continue
            seen.add(cls)
            own = cls.__dict__.get("BINDINGS", [])
            yield [b for b in own if isinstance(b, Binding)]


@cache
def bindings() -> tuple[Binding, ...]:
    """Every binding Floorwatch defines."""
    return tuple(b for own in _binding_lists() for b in own)


def binding_ids() -> frozenset[str]:
    return frozenset(b.id for b in bindings() if b.id is not None)


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """`keymap.ID: why` for every id in `keymap` that names no binding."""
    known = sorted(binding_ids())
    problems = []
    for binding_id in keymap:
        if binding_id in known:
            continue
        close = difflib.get_close_matches(binding_id, known, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        problems.append(
            f"keymap.{binding_id}: no key binding has this id; {hint}the ids are "
            + ", ".join(known)
        )
    return problems


def with_partners(keymap: Mapping[str, str]) -> dict[str, str]:
    """`keymap`, plus the same keys for a binding's partner on the same key of the same class
    (freeze and unfreeze on `f`, hold and release agent on `a`) unless it is remapped too:
    Textual moves every binding off a key that a keymap moves one of them from."""
    expanded = dict(keymap)
    for own in _binding_lists():
        for binding in own:
            keys = keymap.get(binding.id or "")
            if keys is None:
                continue
            for partner in own:
                if partner.key == binding.key and partner.id and partner.id not in keymap:
                    expanded[partner.id] = keys
    return expanded
