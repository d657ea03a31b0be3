"""Thresholds: a grid of skills x agent states, validated by the engine's policy rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from engine.core.model import Reason
from engine.core.policy import THRESHOLD_REASONS, Policy, PolicyError
from tui.text import safe

OFF = "off"
DEFAULT = "default"
EXPLAIN = (
    "Seconds a consumer may wait for the assigned agent's answer, by the agent's state. "
    f"Empty or '{OFF}' turns a threshold off; '{DEFAULT}' in a skill's row uses the default row."
)


def _cell_text(value: float | None) -> str:
    return OFF if value is None else f"{value:g}"


def _cell_value(text: str) -> object:
    """What a cell says, for the policy to judge: None (off), seconds, or the text as typed."""
    text = text.strip()
    if text.lower() in {"", OFF}:
        return None
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            continue
    return text


class ThresholdsScreen(Screen[Policy | None]):
    """Dismisses with the new policy to apply (ctrl+s), or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="thresholds-apply", tooltip="Apply the thresholds"),
        Binding("escape", "cancel", "Back", id="thresholds-back", tooltip="Leave unchanged"),
    ]

    def __init__(self, policy: Policy, skills: Iterable[str]) -> None:
        super().__init__()
        self._policy = policy
        self._skills = sorted(set(skills) | set(policy.skills))
        self._cells: dict[str, tuple[str | None, Reason]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="thresholds") as frame:
            frame.border_title = "Thresholds (seconds)"
            yield Static(EXPLAIN, id="thresholds-explain", markup=False)
            with VerticalScroll(id="thresholds-scroll"), Grid(id="thresholds-grid"):
                for title in ("Skill", "Online", "Away", "Offline"):
                    yield Label(title, classes="grid-title")
                for row, skill in enumerate([None, *self._skills]):
                    yield Label(safe(skill or DEFAULT), classes="grid-skill", markup=False)
                    for reason in THRESHOLD_REASONS:
                        cell_id = f"cell-{row}-{reason}"
                        self._cells[cell_id] = (skill, reason)
                        yield Input(self._text(skill, reason), id=cell_id, compact=True)
            yield Static("", id="policy-error", markup=False)
            with Horizontal(id="thresholds-buttons"):
                yield Button("Apply (ctrl+s)", id="apply", variant="primary")
                yield Button("Back (esc)", id="back")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cell-0-online", Input).focus()

    def _text(self, skill: str | None, reason: Reason) -> str:
        if skill is None:
            return _cell_text(self._policy.default.for_reason(reason))
        override = self._policy.skills.get(skill, {})
        return _cell_text(override[reason]) if reason in override else DEFAULT

    def _mapping(self) -> dict[str, Any]:
        """The grid in the policy's JSON shape (`Policy.from_mapping`)."""
        data: dict[str, Any] = {}
        skills: dict[str, dict[str, object]] = {}
        for cell in self.query(Input):
            skill, reason = self._cells[cell.id or ""]
            if skill is None:
                data[reason.value] = _cell_value(cell.value)
            elif cell.value.strip().lower() != DEFAULT:
                skills.setdefault(skill, {})[reason.value] = _cell_value(cell.value)
        data["skills"] = skills
        return data

    def validate(self) -> Policy | None:
        """The policy the grid describes, or None after showing what is wrong with it."""
        error = self.query_one("#policy-error", Static)
        try:
            policy = Policy.from_mapping(self._mapping())
        except PolicyError as problem:
            error.update(safe(problem))
            for cell in self.query(Input):
                cell.set_class(str(problem).startswith(f"{self._path(cell)}:"), "-invalid")
            return None
        error.update("")
        self.query(Input).remove_class("-invalid")
        return policy

    def _path(self, cell: Input) -> str:
        skill, reason = self._cells[cell.id or ""]
        return f"policy.{reason}" if skill is None else f"policy.skills.{skill}.{reason}"

    @on(Input.Changed)
    def _changed(self) -> None:
        self.validate()

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_cancel()

    def action_apply(self) -> None:
        policy = self.validate()
        if policy is None:
            self.app.bell()
        else:
            self.dismiss(policy)

    def action_cancel(self) -> None:
        self.dismiss(None)
