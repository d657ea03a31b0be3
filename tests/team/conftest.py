"""Team-mode tests: real `watch` processes (team_support.py) on one fixture platform and
one private PostgreSQL (`start_server`, `postgres_url`: tests/conftest.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk import Desk


@pytest.fixture
def desks(postgres_url: str) -> Iterator[tuple[Desk, Desk]]:
    """Dana's and Eli's dashboards on floor f1 of the test's database."""
    a, b = Desk(postgres_url, "dana"), Desk(postgres_url, "eli")
    yield a, b
    a.store.close()
    b.store.close()
