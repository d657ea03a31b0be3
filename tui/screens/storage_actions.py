"""When the audit cannot be saved (the data file lost, the disk full): say so once, and let the
supervisor write everything kept in memory to a new file (`w`), after which acting resumes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from engine.service import StoreError
from tui.screens.path_prompt import PathPrompt
from tui.screens.row_actions import RowActions
from tui.text import safe

SAVE_ACTION = "save_audit"


class StorageActions(RowActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", SAVE_ACTION, "Save audit…", id="save-audit",
                tooltip="Write the audit kept in memory to a new data file (acting resumes)"),
    ]  # fmt: skip

    _told_problem: str | None = None

    def watch_storage(self) -> None:
        """Tell the supervisor, once, when the audit stops (or starts again) being saved."""
        problem = self._service.storage_problem
        if problem == self._told_problem:
            return
        if problem is not None:
            kept = len(self._service.unsaved_events())
            text = (
                f"Not acting: {safe(problem)}. {kept} audit events are kept in memory; "
                "press w to write them to a new file, or quit (they are printed on exit)."
            )
            self.notify(text, title="Audit not saved", severity="error", markup=False, timeout=30)
        elif self._told_problem is not None:
            self.notify("The audit is saved again; acting resumes.", markup=False)
        self._told_problem = problem
        self.refresh_bindings()

    def storage_action_allowed(self) -> bool:
        return self._service.storage_problem is not None

    def action_save_audit(self) -> None:
        def save(answer: str | None) -> None:
            if answer is None:
                return
            path = Path(answer).expanduser()
            try:
                self._service.save_to(path, self._clock.now())
            except StoreError as exc:
                self.notify(safe(str(exc)), title="Not saved", severity="error", markup=False)
            self.watch_storage()
            self.after_command()

        self.app.push_screen(PathPrompt("Write the audit to a new data file:"), save)
