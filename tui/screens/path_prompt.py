"""Ask for a file path (where to write the audit when the data file is lost)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.text import lines


class PathPrompt(ModalScreen[str | None]):
    """Dismisses with the path entered (Enter), or None (Escape). Plain text, never markup."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="path-cancel"),
    ]
    DEFAULT_CSS = """
    PathPrompt {
        align: center middle;
        & > Vertical {
            width: 72;
            height: auto;
            border: thick $error;
            background: $surface;
            padding: 1 2;
        }
    }
    """

    def __init__(self, question: str, default: str = "") -> None:
        super().__init__()
        self._question = question
        self._default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(lines(self._question), markup=False)
            yield Input(self._default, id="path")

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
