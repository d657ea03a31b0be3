"""A change of the overrides as rows to write, so that writers on one floor merge.

A command changes a few rows (one hold, one extension); writing only those rows, rather than
replacing every override, lets two dashboards give commands at once without one undoing
the other. `diff(before, after)` finds the rows; a store applies them in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, TypeVar

from engine.core.overrides import Overrides

_V = TypeVar("_V")


@dataclass(frozen=True)
class Rows(Generic[_V]):
    """Rows of one table to write (`upsert`) and to delete (`delete`)."""

    upsert: Mapping[str, _V] = field(default_factory=lambda: MappingProxyType({}))
    delete: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.upsert or self.delete)


@dataclass(frozen=True)
class OverridesChange:
    conv_holds: Rows[float | None] = Rows()
    agent_holds: Rows[float | None] = Rows()
    extensions: Rows[float] = Rows()
    dry_run: bool | None = None
    """The new dry-run switch, or None when it did not change."""

    def __bool__(self) -> bool:
        return bool(self.conv_holds or self.agent_holds or self.extensions) or (
            self.dry_run is not None
        )

    def applied_to(self, overrides: Overrides) -> Overrides:
        return Overrides(
            conv_holds=_apply(overrides.conv_holds, self.conv_holds),
            agent_holds=_apply(overrides.agent_holds, self.agent_holds),
            extensions=_apply(overrides.extensions, self.extensions),
            dry_run=overrides.dry_run if self.dry_run is None else self.dry_run,
        )


def diff(before: Overrides, after: Overrides) -> OverridesChange:
    """The rows that take `before` to `after`."""
    return OverridesChange(
        conv_holds=_rows(before.conv_holds, after.conv_holds),
        agent_holds=_rows(before.agent_holds, after.agent_holds),
        extensions=_rows(before.extensions, after.extensions),
        dry_run=after.dry_run if after.dry_run != before.dry_run else None,
    )


def _rows(before: Mapping[str, _V], after: Mapping[str, _V]) -> Rows[_V]:
    upsert = {k: v for k, v in after.items() if k not in before or before[k] != v}
    return Rows(MappingProxyType(upsert), frozenset(before.keys() - after.keys()))


def _apply(table: Mapping[str, _V], rows: Rows[_V]) -> Mapping[str, _V]:
    merged = {k: v for k, v in table.items() if k not in rows.delete}
    merged.update(rows.upsert)
    return MappingProxyType(merged)
