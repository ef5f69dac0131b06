"""README's "Settings" table tells the operator every ``DONDOC_*`` setting and its default, as
``engine.settings.Settings`` reads them: it had said the SMTP port and security were "unset" (587
and starttls) and left out ``DONDOC_MAX_BODY_MB``, ``DONDOC_SMTP_TIMEOUT`` and ``DONDOC_DEMO``."""

from __future__ import annotations

import re
from pathlib import Path

from dondoc.engine.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _table() -> dict[str, str]:
    """Each variable of the table, with its row's default cell."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Settings\n") :]
    section = section[: section.index("\n## ", 1)]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) >= 3 and "DONDOC_" in cells[0]:
            for name in re.findall(r"DONDOC_[A-Z_]+", cells[0]):
                rows[name] = cells[1]
    return rows


def _said(default: object) -> tuple[str, ...]:
    """How the table may write ``default``."""
    if default is None:
        return ("unset", "the shipped")
    if isinstance(default, bool):
        return (f"`{str(default).lower()}`",)
    if isinstance(default, int | float):
        return (f"`{default:g}`",)
    return (f"`{default}`",)


def test_the_settings_table_names_every_setting_with_its_default() -> None:
    rows = _table()
    wrong = []
    for name, field in Settings.model_fields.items():
        variable = f"DONDOC_{name.upper()}"
        cell = rows.get(variable)
        if cell is None or not any(said in cell for said in _said(field.default)):
            wrong.append((variable, field.default, cell))
    assert wrong == [], wrong
