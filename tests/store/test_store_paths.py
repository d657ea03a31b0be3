"""Where the data file lives by default."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from engine.store import DATA_ENV, default_data_path


def test_default_is_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    expected = Path(platformdirs.user_data_dir("floorwatch", appauthor=False)) / "floorwatch.db"
    assert default_data_path() == expected


def test_environment_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "elsewhere.db"))
    assert default_data_path() == tmp_path / "elsewhere.db"


def test_empty_environment_value_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, "")
    assert default_data_path().name == "floorwatch.db"
