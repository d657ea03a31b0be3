"""Where the data file lives."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_ENV = "FLOORWATCH_DATA"
"""Environment variable naming the data file, overriding the per-user default."""


def default_data_path() -> Path:
    """`$FLOORWATCH_DATA` if set, else `floorwatch.db` in the user's data directory."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("floorwatch", appauthor=False)) / "floorwatch.db"
