"""Team mode: the engines of one floor share their state (engine.store.pg) and agree on the
one that acts (`LeaseKeeper`)."""

from engine.team.lease_keeper import LeaseKeeper, Role, engine_name, keep_lease

__all__ = ["LeaseKeeper", "Role", "engine_name", "keep_lease"]
