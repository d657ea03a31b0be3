"""The settings of team mode, part of `engine.config.FloorwatchConfig` (`FLOORWATCH_STORE`,
`FLOORWATCH_FLOOR`, `FLOORWATCH_SKILLS`, `FLOORWATCH_LEASE_TTL`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, SecretStr

from engine.core.lease_rule import RENEWALS_PER_TTL

URL_SCHEMES = ("postgresql://", "postgres://")


def _postgresql_url(value: SecretStr | None) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(URL_SCHEMES):
        raise ValueError("store: expected a postgresql:// URL")
    return value


class TeamSettings(BaseModel):
    store: Annotated[SecretStr | None, AfterValidator(_postgresql_url)] = None
    """Team mode: the floor's shared store, a postgresql://user:password@host/db URL (set it
    through FLOORWATCH_STORE: it may hold a password). Unset: this dashboard alone, its data
    file (data_path)."""
    floor: str = Field("default", min_length=1)
    """The floor (or shard) this dashboard's engine joins in the shared store."""
    skills: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    """The skills whose conversations this dashboard's engine watches: a shard of the floor
    (each shard its own `floor`, so its own lease); "-1" names conversations without a
    skill. Empty: every skill."""
    lease_ttl: float = Field(30.0, gt=0, allow_inf_nan=False)
    """Seconds the acting engine's lease lasts unless renewed (it is renewed every third of
    that): another engine takes over within this plus a third after the acting one stops.
    Two thirds of it must exceed request_timeout, the time an unassign may take."""

    def lease_outlasts_actions(self, request_timeout: float) -> None:
        """Raise `ValueError` unless a renewed lease outlasts an action's timeout."""
        renewed = self.lease_ttl * (1 - 1 / RENEWALS_PER_TTL)  # left when renewal is due
        if self.store is not None and renewed <= request_timeout:
            raise ValueError(
                f"lease_ttl: {self.lease_ttl:g} s leaves too little for an unassign: two "
                f"thirds of it must exceed request_timeout ({request_timeout:g} s)"
            )
