"""Fixtures of the UI tests: a fresh floor, and steady terminals (no blinking, UTC times)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_harness import Floor, make_floor

from engine.store import Store


@pytest.fixture
def floor() -> Floor:
    return make_floor()


@pytest.fixture
def stored_floor(tmp_path: Path) -> Iterator[Floor]:
    """The floor with a real data file: its audit can be read back (the detail view's)."""
    with Store.open(tmp_path / "floor.db") as store:
        yield make_floor(store)


@pytest.fixture(autouse=True)
def steady_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No blinking cursor, and times shown in UTC, so screens do not change between runs."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
