"""Keeping secrets out of logs and messages: the bearer, the csrf and the password.

The brand websocket URL carries the bearer as a path segment, which is always masked. Beyond
that, every secret value the link learns (the password when a login starts, the bearer and
the csrf when a login answers) is registered here, and `redact` masks each one wherever it
appears: close reasons, error texts (`LinkError` redacts its message), log lines.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from urllib.parse import quote

_TOKEN_SEGMENT = re.compile(r"(/messaging/brand/)[^/?#\s'\"]+")
MASK = "***"
MIN_SECRET_CHARS = 4
"""Shorter values are not registered: masking them would garble ordinary text."""
MAX_SECRETS = 64
"""The newest secrets kept (each login adds two); the oldest are long expired."""


class SecretRegistry:
    """The secret values to mask, newest last; thread-safe (the TUI logs from its threads)."""

    def __init__(self) -> None:
        self._secrets: OrderedDict[str, None] = OrderedDict()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def register(self, value: str | None) -> None:
        if value is None or len(value) < MIN_SECRET_CHARS:
            return
        with self._lock:
            for form in {value, quote(value, safe="")}:
                self._secrets[form] = None
                self._secrets.move_to_end(form)
            while len(self._secrets) > MAX_SECRETS:
                self._secrets.popitem(last=False)
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(secret) for secret in ordered))

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()
            self._pattern = None

    def mask(self, text: str) -> str:
        pattern = self._pattern
        return text if pattern is None else pattern.sub(MASK, text)


SECRETS = SecretRegistry()


def register_secret(value: str | None) -> None:
    """Mask `value` (and its URL-quoted form) in every later `redact`."""
    SECRETS.register(value)


def redact(text: str) -> str:
    """`text` with the brand URL's bearer segment and every registered secret as `***`."""
    return SECRETS.mask(_TOKEN_SEGMENT.sub(rf"\1{MASK}", text))


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and its exception text) through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redacting_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted before any handler sees them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger
