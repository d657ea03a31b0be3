"""Thresholds: a grid of skills x agent states; applying shows what it changes and asks first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from engine.core.policy import THRESHOLD_REASONS, Policy, PolicyError
from engine.core.preview import PolicyPreview
from tui.screens.confirm import ConfirmModal
from tui.screens.threshold_cells import (
    OFF,
    Cell,
    CellError,
    cell_text,
    cell_value,
    preview_text,
    problem_text,
)
from tui.text import safe
from tui.widgets.floor_footer import FloorFooter

EXPLAIN = (
    "Seconds a consumer may wait for the agent's answer, by the agent's state; "
    f"{OFF} turns one off. An empty skill cell uses the default row's value (dimmed). "
    "Enter: next cell. ctrl+s: see what changes, then apply."
)
NEW_SKILL = "new-skill"


class ThresholdsScreen(Screen[Policy | None]):
    """Dismisses with the new policy once the supervisor confirmed it, or None (Escape).

    `preview(policy)` is the engine's account of what `policy` would change now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="thresholds-apply",
                tooltip="Show what the new thresholds change, then apply them (asks first)"),
        Binding("ctrl+n", "add_skill", "Add skill", id="thresholds-add-skill",
                tooltip="Add a row for a skill the list does not show yet"),
        Binding("escape", "cancel", "Back", id="thresholds-back",
                tooltip="Leave the thresholds unchanged"),
    ]  # fmt: skip

    def __init__(
        self,
        policy: Policy,
        skills: Iterable[str],
        preview: Callable[[Policy], PolicyPreview],
    ) -> None:
        super().__init__()
        self._policy = policy
        self._preview = preview
        self._skills = sorted(set(skills) | set(policy.skills))
        self._cells: dict[str, Cell] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="thresholds") as frame:
            frame.border_title = "Thresholds (seconds)"
            yield Static(EXPLAIN, id="thresholds-explain", markup=False)
            with VerticalScroll(id="thresholds-scroll"), Grid(id="thresholds-grid"):
                for title in ("Skill", "Online", "Away", "Offline"):
                    yield Label(title, classes="grid-title")
                for skill in [None, *self._skills]:
                    yield from self._row(skill)
            yield Input(
                placeholder="add a skill: type its name, then Enter",
                id=NEW_SKILL,
                compact=True,
            )
            yield Static("", id="policy-error", markup=False)
            with Horizontal(id="thresholds-buttons"):
                yield Button("Apply… (ctrl+s)", id="apply", variant="primary")
                yield Button("Back (esc)", id="back")
        yield FloorFooter()

    def on_mount(self) -> None:
        self._show_inherited()
        self.query_one("#cell-0-online", Input).focus()

    def _row(self, skill: str | None) -> Iterator[Widget]:
        row = len(self._cells) // len(THRESHOLD_REASONS)
        yield Label(
            safe(skill) if skill is not None else "default", classes="grid-skill", markup=False
        )
        for reason in THRESHOLD_REASONS:
            cell = Cell(skill, reason)
            cell_id = f"cell-{row}-{reason}"
            self._cells[cell_id] = cell
            yield Input(cell_text(self._policy, cell), id=cell_id, compact=True)

    def _inputs(self) -> Iterator[tuple[Input, Cell]]:
        for cell_id, cell in self._cells.items():
            yield self.query_one(f"#{cell_id}", Input), cell

    def _show_inherited(self) -> None:
        """Each skill cell's placeholder: the default row's value it inherits when empty."""
        defaults = {
            cell.reason: box.value.strip() for box, cell in self._inputs() if cell.skill is None
        }
        for box, cell in self._inputs():
            if cell.skill is not None:
                box.placeholder = f"{safe(defaults[cell.reason], 8) or '?'} (default)"

    def _mapping(self) -> dict[str, Any]:
        """The grid in the policy's JSON shape (`Policy.from_mapping`); raises `CellError`."""
        data: dict[str, Any] = {}
        skills: dict[str, dict[str, object]] = {}
        for box, cell in self._inputs():
            if cell.skill is None:
                data[cell.reason.value] = cell_value(cell, box.value)
            elif box.value.strip():
                skills.setdefault(cell.skill, {})[cell.reason.value] = cell_value(cell, box.value)
        data["skills"] = skills
        return data

    def validate(self) -> Policy | None:
        """The policy the grid describes, or None after showing what is wrong with it."""
        wrong: Cell | None = None
        try:
            policy = Policy.from_mapping(self._mapping())
        except CellError as problem:
            message = str(problem)
            wrong = next(c for b, c in self._inputs() if c.skill is None and not b.value.strip())
        except PolicyError as problem:
            wrong = next((c for c in self._cells.values() if c.path == problem.path), None)
            message = problem_text(wrong, problem.problem) if wrong is not None else str(problem)
        else:
            self._show_error("", None)
            return policy.with_settings_of(self._policy)
        self._show_error(message, wrong)
        return None

    def _show_error(self, message: str, wrong: Cell | None) -> None:
        self.query_one("#policy-error", Static).update(safe(message))
        for box, cell in self._inputs():
            box.set_class(cell == wrong, "-invalid")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id != NEW_SKILL:
            self._show_inherited()
            self.validate()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == NEW_SKILL:
            self._add_row(event.value.strip())
        else:
            self.focus_next()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_cancel()

    def _add_row(self, skill: str) -> None:
        if not skill:
            return
        known = {cell.skill for cell in self._cells.values()}
        first = len(self._cells) // len(THRESHOLD_REASONS)
        if skill not in known:
            self.query_one("#thresholds-grid", Grid).mount_all(list(self._row(skill)))
            self._show_inherited()
        else:
            first = next(i for i, c in enumerate(self._cells.values()) if c.skill == skill)
            first //= len(THRESHOLD_REASONS)
        self.query_one(f"#{NEW_SKILL}", Input).value = ""
        self.call_after_refresh(self.query_one(f"#cell-{first}-online", Input).focus)

    def action_add_skill(self) -> None:
        self.query_one(f"#{NEW_SKILL}", Input).focus()

    def action_apply(self) -> None:
        policy = self.validate()
        if policy is None:
            self.app.bell()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(policy)

        question = preview_text(self._preview(policy))
        self.app.push_screen(ConfirmModal(question, yes="Apply"), answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
