"""What a live floor's `store` setting opens: the data file alone, or a seat on a team floor."""

from __future__ import annotations

from engine.config import FloorwatchConfig
from engine.service import Seat
from engine.store import Store
from engine.store.contract import FloorStore


def open_floor_store(config: FloorwatchConfig) -> tuple[FloorStore, Seat | None]:
    """The store and, in team mode, this engine's seat (its lease not yet asked for: run
    `seat.keep(...)` beside the floor)."""
    if config.store is None:
        return Store.open(config.data_path), None
    # psycopg is loaded in team mode only.
    from engine.store.pg import PgStore  # noqa: PLC0415
    from engine.team.lease_keeper import LeaseKeeper, engine_name  # noqa: PLC0415
    from engine.team.seat import TeamSeat  # noqa: PLC0415

    supervisor = config.supervisor or config.username
    url = config.store.get_secret_value()
    store = PgStore.open(
        url,
        floor=config.floor,
        engine=engine_name(supervisor),
        supervisor=supervisor,
    )
    keeper = LeaseKeeper(store, config.lease_ttl, action_timeout=config.request_timeout)
    return store, TeamSeat(keeper, store, url)
