"""A lost data file on screen: the supervisor is told once, nothing is acted on, and `w`
writes everything kept in memory to a new file, after which acting resumes."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message
from tui_harness import make_floor, toasts

from engine.core import Hold
from engine.store import Store


async def test_a_lost_data_file_is_told_and_saved_to_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "floor.sqlite3"
    with Store.open(path) as store:
        floor = make_floor(store)
        app = floor.app()
        seen: list[Message] = []
        async with app.run_test(size=(140, 40), message_hook=seen.append) as pilot:
            await pilot.pause()
            assert app.screen.check_action("save_audit", ()) is False
            path.unlink()
            hold = Hold(conv="c3", until=None, by=floor.service.supervisor)
            assert floor.service.execute(hold, floor.clock.now()) is None
            assert floor.service.storage_problem is not None
            await pilot.pause(1.2)
            told = [t for t in toasts(seen) if t.title == "Audit not saved"]
            assert len(told) == 1 and "press w" in told[0].message
            assert floor.service.unsaved_events(), "the hold's audit is kept in memory"
            assert app.screen.check_action("save_audit", ()) is True
            await pilot.press("w")
            await pilot.pause()
            new = tmp_path / "saved.sqlite3"
            await pilot.press(*str(new), "enter")
            await pilot.pause(1.2)
            assert floor.service.storage_problem is None
            assert floor.service.unsaved_events() == []
            assert any("saved again" in t.message for t in toasts(seen))
    with Store.open(new, read_only=True) as saved:
        kinds = [event.type.value for event in saved.history()]
    assert "override.hold" in kinds
    floor.service.close()
