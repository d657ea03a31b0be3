"""Errors of the platform link. Messages never carry a password, a bearer or a brand URL."""

from __future__ import annotations

from engine.link.redact import redact


class LinkError(Exception):
    """The platform could not be reached or answered unexpectedly.

    `retryable` is False when trying again cannot help (a refused login, an account the
    domain lookup does not know, a service missing from it, a URL that would leave TLS).
    The message passes through `redact`: a registered secret never survives in it.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(redact(message))
        self.retryable = retryable


class LoginRefused(LinkError):  # noqa: N818 (the name the CLI and tests use)
    """The login service refused the credentials."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class AuthExpired(LinkError):  # noqa: N818 (an expected outcome: log in again)
    """The bearer or session is no longer accepted: log in again."""
