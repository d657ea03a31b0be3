"""The engine a live floor starts from: the saved policy and overrides of its data file."""

from __future__ import annotations

import dataclasses
import logging

from engine.config import FloorwatchConfig
from engine.core import Engine, Policy
from engine.core.recall import RECALL_SECONDS, RECALLED_TYPES
from engine.store.contract import FloorStore

log = logging.getLogger("floorwatch.runner")


def restored_engine(config: FloorwatchConfig, store: FloorStore) -> Engine:
    """The engine with the saved policy (else the configured one), the saved overrides, and the
    floor's unassigns of the last hour recalled."""
    saved = store.load_policy()
    policy = saved or config.policy or Policy()
    if saved is None:
        store.save_policy(policy)
    elif config.policy is not None and config.policy != saved:
        log.info(
            "using the policy saved in %s; the configured one applies to new files only",
            store.location,
        )
    overrides = store.load_overrides()
    engine = Engine(policy, skills=config.skills)
    engine.restore(
        dataclasses.replace(overrides, dry_run=overrides.dry_run or config.dry_run),
        decided=store.decided_keys(),
    )
    engine.recall(store.recent(RECALLED_TYPES, RECALL_SECONDS))
    return engine
