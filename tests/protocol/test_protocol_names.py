"""Raw v2 type spellings normalise to the public ones."""

import pytest

from engine.protocol import normalize_type


@pytest.mark.parametrize(
    ("raw", "public"),
    [
        (".ams.aam.ExConversationChangeNotification", "cqm.ExConversationChangeNotification"),
        ("ams.aam.SubscribeExConversations", "cqm.SubscribeExConversations"),
        (".ams.aam.UnsubscribeExConversations", "cqm.UnsubscribeExConversations"),
        (".ams.cm.UpdateConversationField", "cm.UpdateConversationField"),
        (".ams.routing.AgentStateNotification", "routing.AgentStateNotification"),
        (".ams.routing.SubscribeAgentsState", "routing.SubscribeAgentsState"),
        (".ams.ms.PublishEvent", "ms.PublishEvent"),
        (".GetClock", "GetClock"),
        (".GetClock$Response", "GetClock$Response"),
        (".ReqBody$StringResp", "ReqBody$StringResp"),
        ("GetClock", "GetClock"),
        ("cqm.ExConversationChangeNotification", "cqm.ExConversationChangeNotification"),
        ("cm.UpdateConversationField", "cm.UpdateConversationField"),
        (".ams.userprofile.GetUserProfile", "ams.userprofile.GetUserProfile"),
        ("", ""),
    ],
)
def test_normalize_type(raw: str, public: str) -> None:
    assert normalize_type(raw) == public
