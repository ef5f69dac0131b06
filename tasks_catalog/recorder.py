"""Record a succession as catalog data in the installation's own catalog folder.

The CLI (``dondoc agencies succeed``) and the secretariat's page write here. The new entry is
appended to ``<local dir>/successions.yaml`` only if the whole catalog (the shipped folder and the
installation's, with the new entry) validates: otherwise nothing is written and the first problem
is raised as a one-line message.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import yaml

from dondoc.engine.errors import InvalidInput
from dondoc.tasks_catalog.loader import SUCCESSIONS_FILE, CatalogInvalid, load_catalog
from dondoc.tasks_catalog.schema import SuccessionEntry

HEADER = (
    "# Successions recorded by this installation (dondoc agencies succeed, or the secretariat's page).\n"
    "# Read together with the shipped tasks_catalog/successions.yaml; same shape (tasks_catalog/SCHEMA.md).\n"
    "successions:\n"
)


def record_succession(
    *,
    local_dir: Path | None,
    catalog_dir: Path | None,
    old: list[str],
    by: list[str],
    on: date,
    kind: str,
    source: str,
    functions: dict[str, list[str]] | None = None,
    confirmed: bool = True,
) -> SuccessionEntry:
    if local_dir is None:
        raise InvalidInput("no installation catalog folder: set DONDOC_CATALOG_LOCAL_DIR to a writable folder")
    if not source.strip():
        raise InvalidInput("a succession needs its legal source (--source)")
    key = f"{on:%Y-%m-%d}-{old[0]}"
    entry: dict[str, object] = {
        "key": key,
        "kind": kind,
        "date": on.isoformat(),
        "from": list(old),
        "to": [{"agency": code, "functions": list((functions or {}).get(code, []))} for code in by],
        "source": source.strip(),
        "confirmed": confirmed,
    }
    path = local_dir / SUCCESSIONS_FILE
    current = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if not current.rstrip().endswith("successions:") and "successions: []" in current:
        current = current.replace("successions: []", "successions:")
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    text = current.rstrip("\n") + "\n" + "".join(f"  {line}\n" for line in block.splitlines())
    with tempfile.TemporaryDirectory() as trial:
        (Path(trial) / SUCCESSIONS_FILE).write_text(text, encoding="utf-8")
        try:
            catalog = load_catalog(catalog_dir, Path(trial))
        except CatalogInvalid as exc:
            problem = exc.problems[0]
            raise InvalidInput(
                f"succession refused, nothing written: {problem.code or ''}: {problem.message}"
            ) from None
    local_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=local_dir, prefix=f".{SUCCESSIONS_FILE}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return next(s for s in catalog.successions if s.key == key)
