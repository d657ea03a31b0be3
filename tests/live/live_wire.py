"""The loopback platform's wire vocabulary: the account and credentials, the epoch, agent
ids, and the frames it sends (conversation changes, agent states, responses), in the public
shape of the /tmp/wire.md conventions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ACCOUNT = "12345678"
USERNAME = "sup@example.com"
PASSWORD = "correct-horse-battery-staple-7731"
EPOCH_MS = 1_732_500_000_000
CONV_NOTIFICATION = "cqm.ExConversationChangeNotification"
AGENT_NOTIFICATION = "routing.AgentStateNotification"

Frame = dict[str, Any]


def pid(agent: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"floorwatch-agent:{agent}"))


def legacy(agent: str) -> str:
    return f"{ACCOUNT}.{agent}"


@dataclass
class Agent:
    state: str
    since_ms: int
    name: str


@dataclass
class Conv:
    conv_id: str
    skill: str
    agent: str | None
    start_ms: int
    meta_ms: int
    seq: int = -1
    last_role: str | None = None
    last_ms: int = 0

    def change(self) -> Frame:
        """One UPSERT result in the public shape of the wire conventions."""
        consumer = f"consumer-{self.conv_id}"
        participants = [{"id": consumer, "role": "CONSUMER"}]
        in_dialog = [{"id": consumer, "role": "CONSUMER", "state": "ACTIVE"}]
        unread = {consumer: 0}
        if self.agent is not None:
            participants.append({"id": pid(self.agent), "role": "ASSIGNED_AGENT"})
            in_dialog.append(
                {"id": legacy(self.agent), "role": "ASSIGNED_AGENT", "state": "ACTIVE"}
            )
            unread[legacy(self.agent)] = 0
        details: Frame = {
            "skillId": self.skill,
            "participants": participants,
            "dialogs": [
                {
                    "dialogId": self.conv_id,
                    "participantsDetails": in_dialog,
                    "dialogType": "MAIN",
                    "channelType": "MESSAGING",
                    "state": "OPEN",
                    "creationTs": self.start_ms,
                    "metaDataLastUpdateTs": self.meta_ms,
                }
            ],
            "brandId": ACCOUNT,
            "state": "OPEN",
            "stage": "OPEN",
            "startTs": self.start_ms,
            "metaDataLastUpdateTs": self.meta_ms,
            "ttr": {"ttrType": "NORMAL", "value": 3600},
        }
        consumer_last = self.last_role == "CONSUMER"
        result: Frame = {
            "convId": self.conv_id,
            "effectiveTTR": self.last_ms + 3_600_000 if consumer_last else -1,
            "conversationDetails": details,
            "numberOfunreadMessages": unread,
        }
        if self.seq >= 0:
            agent = self.agent or "nobody"
            result["lastContentEventNotification"] = {
                "sequence": self.seq,
                "dialogId": self.conv_id,
                "serverTimestamp": self.last_ms,
                "originatorId": consumer if consumer_last else legacy(agent),
                "originatorPId": consumer if consumer_last else pid(agent),
                "originatorMetadata": {"role": self.last_role},
                "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "hi"},
            }
        return {"type": "UPSERT", "result": result}


def conv_notification(sub: str, convs: Iterable[Conv]) -> Frame:
    body = {"subscriptionId": sub, "changes": [conv.change() for conv in convs]}
    return {"kind": "notification", "type": CONV_NOTIFICATION, "body": body}


def agent_states(sub: str, agents: Mapping[str, Agent], names: Iterable[str]) -> Frame:
    changes = [
        {
            "type": "UPSERT",
            "result": {
                "agentUserId": legacy(agent),
                "channels": ["MESSAGING"],
                "availability": agents[agent].state,
                "description": "",
                "stateChangedTs": agents[agent].since_ms,
                "agentName": agents[agent].name,
                "isBot": False,
            },
        }
        for agent in names
    ]
    body = {"subscriptionId": sub, "changes": changes}
    return {"kind": "notification", "type": AGENT_NOTIFICATION, "body": body}


def resp(req_id: str, code: int, type_: str, body: Frame | str) -> Frame:
    return {"kind": "resp", "reqId": req_id, "code": code, "type": type_, "body": body}
