"""The platform link: websocket and REST client, reconnect and resync, and frame translation."""
