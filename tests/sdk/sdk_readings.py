"""Two readings of the same conversation frames: the SDK's and Floorwatch's.

The driver records every raw frame (`received`, numbered `seq`) and the SDK's own reading of it
(its `cqm.ExConversationChangeNotification` event, with the same `seq`). `our_readings` runs
Floorwatch's client code over the raw frames (`engine.protocol.parse_frame`, then one
`FeedTranslator` over the whole run, in order, as the live client does); `sdk_readings` reduces
the SDK's events to the same `Reading`, naming agents by scenario id through the platform's
identities, so the two can be compared change by change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.core.events import ConversationChanged, ConversationGone
from engine.link.translate import FeedTranslator
from engine.protocol import (
    EX_CONVERSATION_CHANGE_NOTIFICATION,
    FrameError,
    Notification,
    normalize_type,
    parse_frame,
)
from fixtures.platform.identity import WireIds, agent_pid

ASSIGNED = "ASSIGNED_AGENT"
NO_SKILL = "-1"


@dataclass(frozen=True, slots=True)
class Reading:
    """What one reader made of one conversation change."""

    conv_id: str
    open: bool
    skill: str | None
    assigned: frozenset[str]
    """Scenario agent ids."""
    last_sequence: int | None


@dataclass(frozen=True, slots=True)
class SdkChange:
    """One change of an SDK conversation notification, as the SDK's Transformer left it."""

    seq: int
    conv_id: str
    type: str
    state: str | None
    skill: str | None
    participants: tuple[tuple[str, str], ...]
    """(id, role) of `conversationDetails.participants` (the SDK builds PIDs here)."""
    dialog_agents: tuple[tuple[str, str], ...]
    """(id, state) of every ASSIGNED_AGENT in the dialogs' `participantsDetails`."""
    my_role: str | None
    has_my_role: bool
    last_sequence: int | None

    def assigned_ids(self) -> tuple[str, ...]:
        return tuple(pid for pid, role in self.participants if role == ASSIGNED)

    def dialog_ids(self, state: str) -> tuple[str, ...]:
        return tuple(wire_id for wire_id, s in self.dialog_agents if s == state)


class Identities:
    """Scenario agent ids by every wire form the platform uses: PID and legacy id."""

    def __init__(self, ids: WireIds, agents: Iterable[str]) -> None:
        self._by_wire: dict[str, str] = {}
        for agent in agents:
            self._by_wire[agent_pid(agent)] = agent
            self._by_wire[ids.legacy_id(agent)] = agent

    def agent(self, wire_id: str) -> str:
        """The scenario agent a wire id names; an id the platform never issued stays as it is."""
        return self._by_wire.get(wire_id, wire_id)


def sdk_changes(notifications: Iterable[Mapping[str, Any]]) -> list[SdkChange]:
    """Every change of the driver's `notification` events, in order."""
    out: list[SdkChange] = []
    for event in notifications:
        for change in event["body"]["changes"]:
            out.append(_sdk_change(int(event["seq"]), change))
    return out


def _sdk_change(seq: int, change: Mapping[str, Any]) -> SdkChange:
    result = change["result"]
    details = result.get("conversationDetails") or {}
    participants = details.get("participants") or []
    dialog_agents = [
        (p["id"], p.get("state", ""))
        for dialog in details.get("dialogs") or []
        for p in dialog.get("participantsDetails") or []
        if p.get("role") == ASSIGNED
    ]
    last = result.get("lastContentEventNotification")
    return SdkChange(
        seq=seq,
        conv_id=result["convId"],
        type=change["type"],
        state=details.get("state"),
        skill=details.get("skillId"),
        participants=tuple((p["id"], p["role"]) for p in participants),
        dialog_agents=tuple(dialog_agents),
        my_role=details.get("__myRole"),
        has_my_role="__myRole" in details,
        last_sequence=None if last is None else int(last["sequence"]),
    )


def sdk_reading(change: SdkChange, identities: Identities) -> Reading:
    """The SDK's change as a Reading: assigned = its ASSIGNED_AGENT participants (PIDs)."""
    return Reading(
        conv_id=change.conv_id,
        open=change.state == "OPEN",
        # The SDK passes skillId through; "-1" (no skill) is None in Floorwatch: same meaning.
        skill=None if change.skill in (None, "", NO_SKILL) else change.skill,
        assigned=frozenset(identities.agent(pid) for pid in change.assigned_ids()),
        last_sequence=change.last_sequence,
    )


def sdk_readings(changes: Iterable[SdkChange], identities: Identities) -> dict[int, list[Reading]]:
    """seq -> the SDK's readings of that frame's changes."""
    out: dict[int, list[Reading]] = {}
    for change in changes:
        out.setdefault(change.seq, []).append(sdk_reading(change, identities))
    return out


def our_readings(
    received: Iterable[Mapping[str, Any]], identities: Identities
) -> tuple[dict[int, list[Reading]], dict[int, str]]:
    """seq -> Floorwatch's readings of each conversation notification among the raw frames,
    and seq -> why a frame was refused (by parse_frame or the translator)."""
    translator = FeedTranslator()
    readings: dict[int, list[Reading]] = {}
    refused: dict[int, str] = {}
    for event in received:
        seq = int(event["seq"])
        try:
            frame = parse_frame(event["raw"])
        except FrameError as exc:
            refused[seq] = str(exc)
            continue
        if not isinstance(frame, Notification):
            continue
        if normalize_type(frame.type) != EX_CONVERSATION_CHANGE_NOTIFICATION:
            continue
        try:
            events = translator.translate(frame, received_at=0.0)
        except ValueError as exc:  # TranslationError
            refused[seq] = str(exc)
            continue
        readings[seq] = [_our_reading(e, identities) for e in events]
    return readings, refused


def _our_reading(event: object, identities: Identities) -> Reading:
    if isinstance(event, ConversationGone):
        return Reading(event.conv_id, False, None, frozenset(), None)
    assert isinstance(event, ConversationChanged), event
    last = event.last_message
    return Reading(
        conv_id=event.conv_id,
        open=event.open,
        skill=event.skill,
        assigned=frozenset() if event.agent is None else frozenset({identities.agent(event.agent)}),
        last_sequence=None if last is None else last.sequence,
    )
