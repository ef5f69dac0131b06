"""The engines lent to tests (tests/support/kept_engines.py) share the compiled statements, never a
database or an event listener: each test's engine reaches its own SQLite file only."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import event, text

from tests.support.kept_engines import KeptEngines


def test_each_lent_engine_reaches_its_own_file_and_keeps_its_listeners(sqlite_template: Path, tmp_path: Path) -> None:
    kept = KeptEngines(tmp_path / "kept")
    urls = []
    for name in ("first", "second"):
        shutil.copy(sqlite_template, tmp_path / f"{name}.db")
        urls.append(f"sqlite:///{tmp_path / f'{name}.db'}")
    try:
        first = kept.lend(urls[0])
        heard: list[str] = []
        event.listen(first, "before_cursor_execute", lambda *args: heard.append(args[2]))
        with first.begin() as connection:
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
        assert heard and str(first.url) == urls[0]
        kept.take_back(first)

        second = kept.lend(urls[1])
        heard.clear()
        with second.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'probe'")).scalar_one() == 0
            path = connection.execute(text("PRAGMA database_list")).all()[0][2]
        assert Path(path) == tmp_path / "second.db" and str(second.url) == urls[1]
        assert heard == []  # the first test's listener went with its engine
        # the same compiled cache: a statement compiled for the first is not compiled again
        assert second._compiled_cache is first._compiled_cache  # type: ignore[attr-defined]
        kept.take_back(second)
    finally:
        kept.close()
