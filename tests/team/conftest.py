"""Team-mode tests: real `watch` processes (team_support.py) on one fixture platform and
one private PostgreSQL (`start_server`, `postgres_url`: tests/conftest.py)."""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
