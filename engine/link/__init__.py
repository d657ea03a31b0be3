"""The platform link: websocket and REST client, reconnect and resync, and frame translation.

What the service layer may name of the protocol comes through here: the link's settings.
"""

from engine.protocol import MAX_FRAME_BYTES, Spelling

__all__ = ["MAX_FRAME_BYTES", "Spelling"]
