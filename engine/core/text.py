"""Untrusted text made safe to show: one rule for every id, name and message from outside.

Platform data (ids, names, skills, error details) and supervisor input may hold control
characters: an ESC starts a terminal escape (OSC 52 sets the clipboard), a NUL or a newline
breaks a line. `clean` replaces each control character with a visible stand-in and keeps
everything else (ordinary Unicode, right-to-left text, emoji):

- a C0 control (U+0000-U+001F, tab and newline included) becomes its Control Pictures
  symbol, U+2400 plus its code: ESC is `␛`, NUL `␀`, BEL `␇`, newline `␊`;
- DEL (U+007F) becomes `␡` (U+2421);
- a C1 control (U+0080-U+009F, which has no symbol of its own; U+009B is a one-character
  CSI) becomes the replacement character `�` (U+FFFD).

Every stand-in is one ordinary printable character, one cell wide, so text cut anywhere after
`clean` holds no part of an escape. `cap` shortens very long text where it is drawn.
Standard library only, no I/O: the link's translation and the UI both use it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
"""What a C1 control becomes."""
CONTROL_PICTURES = 0x2400
"""U+2400 `␀`: the Control Pictures symbol of C0 control n is U+2400 + n."""
DEL_PICTURE = "\u2421"
"""`␡`: what DEL becomes."""
ELLIPSIS = "…"
DRAWN_LIMIT = 200
"""Characters of one untrusted string shown in a prompt, toast, log line or title."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TABLE: dict[int, str] = {
    **{code: chr(CONTROL_PICTURES + code) for code in range(0x20)},
    0x7F: DEL_PICTURE,
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},
}


def is_control(char: str) -> bool:
    """Whether `char` (one character) is a C0 or C1 control or DEL."""
    return _CONTROL.fullmatch(char) is not None


def has_control(text: str) -> bool:
    """Whether `text` holds any character `clean` replaces."""
    return _CONTROL.search(text) is not None


def clean(text: str) -> str:
    """`text` with every control character replaced by its stand-in (see the module)."""
    return text.translate(_TABLE) if _CONTROL.search(text) else text


def clean_optional(text: str | None) -> str | None:
    """`clean` for a value that may be absent."""
    return None if text is None else clean(text)


def cap(text: str, limit: int = DRAWN_LIMIT) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def shown(text: str, limit: int = DRAWN_LIMIT) -> str:
    """Untrusted text as it may be drawn: cleaned, then capped at `limit` characters."""
    return cap(clean(text), limit)
