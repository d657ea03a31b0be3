"""Ask for one number (minutes to hold, seconds to extend)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Number
from textual.widgets import Input, Label, Static

from tui.text import lines


class NumberPrompt(ModalScreen[float | None]):
    """Dismisses with the number entered (Enter), or None (Escape).

    The question is shown as plain text, never markup, its control characters replaced.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt-cancel"),
    ]
    DEFAULT_CSS = """
    NumberPrompt {
        align: center middle;
        & > Vertical {
            width: 56;
            height: auto;
            border: thick $primary;
            background: $surface;
            padding: 1 2;
        }
        & #problem { color: $text-error; height: auto; }
    }
    """

    def __init__(self, question: str, default: float | None = None) -> None:
        super().__init__()
        self._question = question
        self._default = "" if default is None else f"{default:g}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(lines(self._question), markup=False)
            yield Input(self._default, type="number", validators=[Number()], id="number")
            yield Static("", id="problem", markup=False)

    @on(Input.Submitted, "#number")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is not None and not event.validation_result.is_valid:
            self.query_one("#problem", Static).update("Enter a number.")
            return
        self.dismiss(float(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
