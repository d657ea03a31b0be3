"""Team mode: the engines of one floor share their state (`engine.store.pg`) and agree on
the one that acts (`lease_keeper`, `seat`); `opening` opens what the `store` setting names."""
