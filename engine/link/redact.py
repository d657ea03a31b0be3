"""Keeping the bearer out of logs: the brand websocket URL carries it as a path segment."""

from __future__ import annotations

import logging
import re

_TOKEN_SEGMENT = re.compile(r"(/messaging/brand/)[^/?#\s'\"]+")


def redact(text: str) -> str:
    """`text` with the bearer segment of any brand websocket URL replaced by `***`."""
    return _TOKEN_SEGMENT.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message through `redact` (for the websockets library's logger,
    which logs the handshake request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redacting_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted before any handler sees them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger
