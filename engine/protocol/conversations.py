"""`cqm.ExConversationChangeNotification` bodies, in the public and the raw v2 shape.

Only the fields Floorwatch reads are modelled; everything else in the (much larger) real
payloads is ignored. The two shapes differ in `participants`: a list of `{id, role}` (public,
ids are PIDs) or a map role -> legacy ids with a parallel `participantsPId` map (raw v2).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from engine.protocol._base import WireId, WireModel


class Role(StrEnum):
    CONSUMER = "CONSUMER"
    ASSIGNED_AGENT = "ASSIGNED_AGENT"
    MANAGER = "MANAGER"
    READER = "READER"
    CONTROLLER = "CONTROLLER"


SUGGESTED = "SUGGESTED"
"""A participant state (socket version 2.1): transferred to, not accepted yet."""


class Participant(WireModel):
    id: str
    role: str
    state: str | None = None


class ParticipantDetail(WireModel):
    """A dialog participant; `state` is ACTIVE, or SUGGESTED for a transfer not yet accepted."""

    id: str
    role: str
    state: str | None = None


class Dialog(WireModel):
    dialog_id: str | None = None
    dialog_type: str | None = None
    state: str | None = None
    participants_details: list[ParticipantDetail] = Field(default_factory=list)
    creation_ts: int | None = None
    end_ts: int | None = None
    meta_data_last_update_ts: int | None = None


class ConversationDetails(WireModel):
    skill_id: WireId | None = None
    participants: list[Participant] | dict[str, list[str]]
    participants_p_id: dict[str, list[str]] | None = Field(default=None, alias="participantsPId")
    dialogs: list[Dialog] = Field(default_factory=list)
    state: str
    stage: str | None = None
    start_ts: int
    end_ts: int | None = None
    meta_data_last_update_ts: int | None = None

    def ids_with_role(self, role: str) -> list[str]:
        """The participant ids holding `role`: PIDs in the public shape, legacy ids in raw."""
        if isinstance(self.participants, dict):
            return self.participants.get(role, [])
        return [p.id for p in self.participants if p.role == role]

    def accepted_agents(self) -> list[str]:
        """The ASSIGNED_AGENT ids but those still SUGGESTED (a transfer not accepted yet)."""
        agents = self.ids_with_role(Role.ASSIGNED_AGENT)
        if not agents:
            return []
        suggested = {
            p.id
            for dialog in self.dialogs
            for p in dialog.participants_details
            if p.state == SUGGESTED and p.role == Role.ASSIGNED_AGENT
        }
        if isinstance(self.participants, list):
            suggested |= {p.id for p in self.participants if p.state == SUGGESTED}
        return [i for i in agents if i not in suggested]

    def roles(self) -> list[str]:
        """Every role held by someone (once per holder)."""
        if isinstance(self.participants, dict):
            return [role for role, ids in self.participants.items() for _ in ids]
        return [p.role for p in self.participants]


class OriginatorMetadata(WireModel):
    id: str | None = None
    role: str | None = None


class ContentEvent(WireModel):
    """The event of a last-content notification; only its type matters here."""

    type: str


class LastContentEvent(WireModel):
    """`lastContentEventNotification`: the newest message of the conversation."""

    sequence: int
    dialog_id: str | None = None
    server_timestamp: int
    originator_id: str | None = None
    originator_p_id: str | None = Field(default=None, alias="originatorPId")
    originator_metadata: OriginatorMetadata | None = None
    event: ContentEvent


class ConversationResult(WireModel):
    conv_id: str
    effective_ttr: int | None = Field(default=None, alias="effectiveTTR")
    conversation_details: ConversationDetails | None = None
    last_content_event_notification: LastContentEvent | None = None
    number_of_unread_messages: dict[str, int] | None = Field(
        default=None, alias="numberOfunreadMessages"
    )


class ConversationChange(WireModel):
    type: Literal["UPSERT", "DELETE"]
    result: ConversationResult


class ExConversationChangeBody(WireModel):
    subscription_id: str
    sent_ts: int | None = None
    changes: list[ConversationChange]
