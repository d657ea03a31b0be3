"""Crash tests: the shared helpers in `crash_support` (this folder) import by name.

Tests run with `--import-mode=importlib`, which puts no test folder on sys.path.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
