"""Which store a `store` setting names: a `postgresql://` URL (team mode), else a data file."""

from __future__ import annotations

from pathlib import Path

from engine.store.contract import FloorStore
from engine.store.store import Store

URL_SCHEMES = ("postgresql://", "postgres://")


def is_shared(setting: str | Path) -> bool:
    """Whether `setting` names the shared store of team mode."""
    return isinstance(setting, str) and setting.startswith(URL_SCHEMES)


def open_store(
    setting: str | Path, *, floor: str = "default", engine: str, supervisor: str
) -> FloorStore:
    """The store `setting` names, opened. `floor`, `engine` and `supervisor` say who writes
    to a shared store (a data file has one writer: they are not recorded there)."""
    if is_shared(setting):
        from engine.store.pg import PgStore  # noqa: PLC0415  (psycopg: team mode only)

        return PgStore.open(str(setting), floor=floor, engine=engine, supervisor=supervisor)
    return Store.open(Path(setting))
