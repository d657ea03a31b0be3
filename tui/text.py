"""Untrusted text as the UI draws it: plain (never markup), cleaned, capped.

Every id, name, skill, detail or query the screens show goes through one of these. The rule
itself (what a control character becomes) is `engine.core.text`; the translation applies it
once where platform data enters, and the UI again wherever anything is drawn, so text from
any other door (supervisor input, config, link errors) is safe too. Markup never comes from
data: titles are `Content` objects, labels and statics have `markup=False`, rich tables and
log lines are built of `Text`.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.markup import escape

from engine.core.text import DRAWN_LIMIT, shown

__all__ = ["DRAWN_LIMIT", "as_markup", "lines", "plain", "safe", "text"]


def safe(value: object, limit: int = DRAWN_LIMIT) -> str:
    """`value` as a drawable string: control characters replaced, at most `limit` characters."""
    return shown(str(value), limit)


def lines(value: str, limit: int = DRAWN_LIMIT) -> str:
    """Like `safe`, each line on its own: for a question the UI composed of several lines."""
    return "\n".join(safe(line, limit) for line in value.split("\n"))


def plain(value: str, limit: int = DRAWN_LIMIT) -> Content:
    """A border title or subtitle that shows `value` literally."""
    return Content(safe(value, limit))


def text(value: str, style: str = "", limit: int = DRAWN_LIMIT) -> Text:
    """A rich `Text` that shows `value` literally (rich tables parse plain str as markup)."""
    return Text(safe(value, limit), style)


def as_markup(value: str, limit: int = DRAWN_LIMIT) -> str:
    """`value` escaped for an API that only takes markup (the command palette's help)."""
    return escape(safe(value, limit))
