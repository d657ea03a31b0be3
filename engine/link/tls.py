"""Which certificate authorities the link trusts: the system's, plus a `ca_file` if given.

A private authority (a company's TLS-inspecting proxy, or the fixture platform's
`serve-fixtures --tls`) is added to the system's trust, never put in its place.
"""

from __future__ import annotations

import ssl
from pathlib import Path


def trust(ca_file: Path | None) -> ssl.SSLContext:
    """A client context verifying certificates and host names against the system's
    authorities and those of `ca_file` (PEM). Raises `ValueError` naming the file when it
    cannot be read as certificates."""
    context = ssl.create_default_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except (OSError, ssl.SSLError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ValueError(f"cannot use {ca_file} as certificate authorities: {reason}") from None
    return context
