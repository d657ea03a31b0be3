"""Feed translation: parsed notifications -> core events; times become float epoch seconds.

API (one call per notification frame):
- `FeedTranslator().translate(notification, received_at) -> list[FeedEvent]`: the events of
  one `cqm.ExConversationChangeNotification` or `routing.AgentStateNotification` (either
  spelling; decoded with its body by `engine.protocol.feed.decode_frame`), one per change.
  - raises `TranslationError(reason)` when the body does not match the protocol model (for a
    plain `Notification` built in code) or a change lacks what an event needs: the caller
    drops the frame and counts it as a protocol error;
  - raises `UnknownNotification(type_name)` for a type it does not translate: the caller
    counts it (not an error: the platform sends more than Floorwatch reads).
- `FeedTranslator.learn_pid(pid, user_id)`: an agent PID known from elsewhere (e.g. login).
- `FeedTranslator.legacy_id(agent_id, account_id)`: the id an unassign request needs (None
  while the feed has named that agent only by PID).
- `presence_from_agent_view(response, taken_at) -> list[AgentChanged]`: an Agent Metrics
  `agent-view/status` reading.

Agents are named by their bare userId. The translator's only state is the PID -> userId map it
learns from the feed (see `_learn_pids`); an unresolved PID passes through unchanged. The
legacy id comes only from fields that carry one: the raw shape's `participants` maps, an
agent's message (`originatorId`), dialog participants and unread-count keys in legacy form.

The assigned agent is the conversation's ASSIGNED_AGENT unless a dialog lists that agent as
`SUGGESTED` (a transfer to them not yet accepted, socket version 2.1): such a conversation has
no agent until the suggested one accepts.

Untrusted text: every id, name, skill and consumer in an event passes through
`engine.core.text.clean` here, at the edge where platform data enters, so no control
character (a terminal escape, a NUL, a newline) reaches the engine, the audit log or the UI.
PIDs are learnt and resolved raw (they are only map keys); what leaves is cleaned.
"""

from __future__ import annotations

from engine.core.events import (
    AgentChanged,
    ConversationChanged,
    ConversationGone,
    FeedEvent,
    LastMessage,
)
from engine.core.model import AgentState
from engine.core.text import clean, clean_optional
from engine.link.ids import IdResolver, is_legacy_id, legacy_id_of, user_id_of
from engine.protocol import (
    AgentStateNotification,
    AgentStateResult,
    AgentStatusRecord,
    AgentViewStatusResponse,
    Availability,
    BodyError,
    ConversationChange,
    ConversationDetails,
    ConversationNotification,
    ConversationResult,
    LastContentEvent,
    Notification,
    ReadNotification,
    Role,
    normalize_type,
    read_notification,
)
from engine.protocol.errors import excerpt

NO_SKILL = "-1"
MAX_WIRE_IDS = 10_000
"""How many platform spellings of cleaned ids are remembered (the oldest go first)."""
DISCONNECTED = "DISCONNECTED"
CONTENT_EVENTS = frozenset({"ContentEvent", "RichContentEvent"})

_STATES = {
    Availability.ONLINE: AgentState.ONLINE,
    Availability.OCCUPIED: AgentState.ONLINE,
    Availability.AWAY: AgentState.AWAY,
    Availability.BACK_SOON: AgentState.BACK_SOON,
    Availability.OFFLINE: AgentState.OFFLINE,
}


class TranslationError(ValueError):
    """A notification whose body does not match the protocol model."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownNotification(Exception):  # noqa: N818 (an expected outcome, not an error)
    """A notification type the translator does not handle (`type_name` is normalised)."""

    def __init__(self, type_name: str) -> None:
        super().__init__(f"unhandled notification {excerpt(clean(type_name))}")
        self.type_name = type_name


class FeedTranslator:
    """Turns conversation and agent-state notifications into core feed events."""

    def __init__(self) -> None:
        self._ids = IdResolver()
        self._wire: dict[str, str] = {}
        """Cleaned id -> the platform's spelling, for the ids cleaning changed."""

    def learn_pid(self, pid: str, user_id: str) -> None:
        """Record that agent PID `pid` is `user_id` (a bare userId or a legacy id)."""
        self._ids.learn(pid, user_id)

    def legacy_id(self, agent_id: str, account_id: str) -> str | None:
        """The legacy id ("account.userId") of an agent named in any id form (as the engine
        knows it, cleaned, or as the platform sent it); None for a PID not resolved yet."""
        user_id = self._ids.known_user_id(self.wire_id(agent_id))
        return None if user_id is None else legacy_id_of(user_id, account_id)

    def wire_id(self, shown: str) -> str:
        """The id as the platform spells it, for an id the engine knows cleaned of control
        characters: an action must name what the platform named."""
        return self._wire.get(shown, shown)

    def _id(self, raw: str) -> str:
        """`raw` cleaned for the engine, remembering the platform's spelling when it differs."""
        shown = clean(raw)
        if shown != raw:
            if len(self._wire) >= MAX_WIRE_IDS:
                self._wire.pop(next(iter(self._wire)))
            self._wire[shown] = raw
        return shown

    def translate(self, notification: ReadNotification, received_at: float) -> list[FeedEvent]:
        """The events of one notification; `received_at` dates a state change without a time.
        The feed hands it over decoded with its body (`decode_frame`); a plain `Notification`
        (built in code) has its body read here."""
        if isinstance(notification, Notification):
            try:
                notification = read_notification(notification)
            except BodyError as exc:
                raise TranslationError(exc.reason) from None
        if isinstance(notification, ConversationNotification):
            return [self._conversation_event(change) for change in notification.body.changes]
        if isinstance(notification, AgentStateNotification):
            changes = notification.body.changes
            return [self._agent_event(change.result, received_at) for change in changes]
        raise UnknownNotification(normalize_type(notification.type))

    def _conversation_event(self, change: ConversationChange) -> FeedEvent:
        result = change.result
        if change.type == "DELETE":
            return ConversationGone(conv_id=self._id(result.conv_id))
        details = result.conversation_details
        if details is None:
            raise TranslationError(
                f"UPSERT of {excerpt(clean(result.conv_id))} without conversationDetails"
            )
        self._learn_pids(details, result)
        agents = details.accepted_agents()
        consumers = details.ids_with_role(Role.CONSUMER)
        consumer = consumers[0] if consumers else None
        skill = details.skill_id
        return ConversationChanged(
            conv_id=self._id(result.conv_id),
            metadata_ts=_metadata_ms(details) / 1000,
            skill=None if skill in (None, "", NO_SKILL) else clean(skill),
            agent=self._id(self._ids.user_id(agents[0])) if agents else None,
            consumer=clean_optional(consumer),
            open=details.state == "OPEN",
            last_message=last_message(result.last_content_event_notification, consumer),
        )

    def _agent_event(self, result: AgentStateResult, received_at: float) -> AgentChanged:
        if result.agent_user_id is None:
            raise TranslationError("agent state change without agentUserId")
        changed_ms = result.state_changed_ts
        return AgentChanged(
            agent_id=self._id(self._ids.user_id(result.agent_user_id)),
            state=_STATES[result.availability],
            since=received_at if changed_ms is None else changed_ms / 1000,
            name=clean_optional(result.agent_name),
            bot=bool(result.is_bot),
            max_conversations=result.configured_max_slots,
        )

    def _learn_pids(self, details: ConversationDetails, result: ConversationResult) -> None:
        """Learn the PID -> userId pairs a change reveals (either shape)."""
        last = result.last_content_event_notification
        if last is not None:
            self._learn_from_message(last)
        if isinstance(details.participants, dict):
            self._learn_raw(details.participants, details.participants_p_id or {})
        else:
            self._learn_public(details, result.number_of_unread_messages or {})

    def _learn_from_message(self, last: LastContentEvent) -> None:
        """An agent's message names its author both ways: `originatorPId`, `originatorId`."""
        role = last.originator_metadata.role if last.originator_metadata else None
        if role not in (None, Role.CONSUMER) and last.originator_p_id and last.originator_id:
            self._learn_pair(last.originator_p_id, last.originator_id)

    def _learn_raw(self, legacy: dict[str, list[str]], pids: dict[str, list[str]]) -> None:
        """Raw shape: `participants[role][i]` is the legacy id of `participantsPId[role][i]`."""
        knows = self._ids.knows
        for role, role_pids in pids.items():
            role_legacy = legacy.get(role, [])
            if role != Role.CONSUMER and len(role_legacy) == len(role_pids):
                for pid, legacy_id in zip(role_pids, role_legacy, strict=True):
                    if not knows(pid):  # a known PID is never learnt again
                        self._learn_pair(pid, legacy_id)

    def _learn_public(self, details: ConversationDetails, unread: dict[str, int]) -> None:
        """Public shape: the one ASSIGNED_AGENT PID pairs with the one ASSIGNED_AGENT legacy id.

        The legacy id comes from the ACTIVE dialog participants, or else, when the agent is
        the only non-consumer participant, from the `numberOfunreadMessages` keys.
        """
        pids = details.ids_with_role(Role.ASSIGNED_AGENT)
        if len(pids) != 1 or is_legacy_id(pids[0]) or self._ids.knows(pids[0]):
            return
        candidates = {
            p.id
            for dialog in details.dialogs
            for p in dialog.participants_details
            if p.role == Role.ASSIGNED_AGENT and p.state == "ACTIVE" and is_legacy_id(p.id)
        }
        if not candidates and sum(role != Role.CONSUMER for role in details.roles()) == 1:
            candidates = {key for key in unread if is_legacy_id(key)}
        if len(candidates) == 1:
            self._ids.learn(pids[0], candidates.pop())

    def _learn_pair(self, pid: str, legacy_id: str) -> None:
        if not self._ids.knows(pid) and is_legacy_id(legacy_id) and not is_legacy_id(pid):
            self._ids.learn(pid, legacy_id)


def presence_from_agent_view(
    response: AgentViewStatusResponse, taken_at: float
) -> list[AgentChanged]:
    """Every agent's reading; DISCONNECTED counts as OFFLINE, OCCUPIED as ONLINE."""
    return [_agent_reading(record, taken_at) for record in response.agent_status_records]


def _agent_reading(record: AgentStatusRecord, taken_at: float) -> AgentChanged:
    started_ms = record.current_status_start_time_l
    disconnected = record.current_connection_state == DISCONNECTED
    return AgentChanged(
        agent_id=clean(user_id_of(record.agent_id)),
        state=AgentState.OFFLINE if disconnected else _STATES[record.current_status],
        since=taken_at if started_ms is None else started_ms / 1000,
        name=clean_optional(record.agent_name),
        bot=bool(record.is_bot),
        max_conversations=record.configured_max_slots,
    )


def _metadata_ms(details: ConversationDetails) -> int:
    """The metadata timestamp, else the newest dialog's, else the conversation's start."""
    if details.meta_data_last_update_ts is not None:
        return details.meta_data_last_update_ts
    dialog_ts = [d.meta_data_last_update_ts for d in details.dialogs]
    return max((ts for ts in dialog_ts if ts is not None), default=details.start_ts)


def last_message(last: LastContentEvent | None, consumer: str | None) -> LastMessage | None:
    """The newest message (or one read from a dialog's messages), or None (unknown) when the
    event is no content event."""
    if last is None or last.event.type not in CONTENT_EVENTS:
        return None
    role = last.originator_metadata.role if last.originator_metadata else None
    if role is not None:
        from_consumer = role == Role.CONSUMER
    else:
        from_consumer = consumer is not None and consumer in (
            last.originator_id,
            last.originator_p_id,
        )
    return LastMessage(
        sequence=last.sequence,
        at=last.server_timestamp / 1000,
        from_consumer=from_consumer,
    )
