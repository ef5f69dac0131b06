"""Record a succession as catalog data in the installation's own catalog folder.

The CLI (``dondoc agencies succeed``) and the secretariat's page write here. The new entry is
appended to ``<local dir>/successions.yaml`` only if the whole catalog (the shipped folder and the
installation's, with the new entry) validates: otherwise nothing is written and the first problem
is raised as a one-line message. Both then load it into the database (:func:`succession_recorded`);
if the database refuses it (work whose history is later than the date: "không ghi lùi thời
gian"), the file goes back as it was, so that no later load meets an entry it cannot apply.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dondoc.engine.errors import DomainError, InvalidInput
from dondoc.engine.services.successions import KIND_LABELS_VI
from dondoc.engine.text_limits import text_problem
from dondoc.engine.vi_format import parse_day
from dondoc.tasks_catalog.loader import SUCCESSIONS_FILE, CatalogInvalid, Problem, load_catalog
from dondoc.tasks_catalog.local import slug
from dondoc.tasks_catalog.schema import SuccessionEntry

HEADER = (
    "# Successions recorded by this installation (dondoc agencies succeed, or the secretariat's page).\n"
    "# Read together with the shipped tasks_catalog/successions.yaml; same shape (tasks_catalog/SCHEMA.md).\n"
    "successions:\n"
)


KINDS = ("rename", "merge", "split", "absorb", "dissolve")


def record_succession(
    *,
    local_dir: Path | None,
    catalog_dir: Path | None,
    old: list[str],
    by: list[str],
    on: date | str,
    kind: str,
    source: str,
    functions: dict[str, list[str]] | None = None,
    confirmed: bool = True,
) -> SuccessionEntry:
    """Append one succession to the installation's ``successions.yaml`` if the whole catalog with it
    validates (the loader's checks, as ``catalog validate`` runs them); otherwise write nothing and
    raise InvalidInput with one Vietnamese line saying what is wrong."""
    if local_dir is None:
        raise InvalidInput(
            "Chưa đặt thư mục danh mục của đơn vị (DONDOC_CATALOG_LOCAL_DIR): chưa ghi nhận được việc tổ chức lại."
        )
    day = _day(on)
    old = [code.strip() for code in old if code.strip()]
    by = [code.strip() for code in by if code.strip()]
    if kind not in KINDS:
        known = "; ".join(f"{KIND_LABELS_VI[k]} ({k})" for k in KINDS)  # a label may hold a comma
        raise InvalidInput(f'Không có loại tổ chức lại "{kind}". Các loại: {known}.')
    if not old:
        raise InvalidInput("Cần chọn cơ quan không còn (cơ quan cũ).")
    if not source.strip():
        raise InvalidInput("Cần ghi căn cứ pháp lý (số, ngày, cơ quan ban hành văn bản).")
    # the file is the catalog: nothing the database cannot hold (a NUL stopped every later load on PostgreSQL)
    said = [("Căn cứ pháp lý", source), *(("Mã cơ quan", code) for code in old + by)]
    said += [(f"Chức năng của {code}", line) for code, lines in (functions or {}).items() for line in lines]
    for label, text in said:
        problem = text_problem(text)
        if problem:
            raise InvalidInput(f"{label} {problem}.")
    key = f"{day:%Y-%m-%d}-{slug(old[0])}"
    entry: dict[str, object] = {
        "key": key,
        "kind": kind,
        "date": day.isoformat(),
        "from": old,
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
            raise InvalidInput(f"Không ghi nhận, chưa ghi gì: {_reason(exc.problems, key)}") from None
    _write(path, text)
    return next(s for s in catalog.successions if s.key == key)


@contextmanager
def succession_recorded(*, local_dir: Path | None, **given: Any) -> Iterator[SuccessionEntry]:
    """:func:`record_succession`, for a block that loads it into the database: if the block raises,
    the installation's file is put back as it was (a refusal then says that nothing was recorded).
    The CLI had written the entry, then failed to load it, leaving a file every later load refused."""
    path = local_dir / SUCCESSIONS_FILE if local_dir is not None else None
    before = path.read_text(encoding="utf-8") if path is not None and path.is_file() else None
    entry = record_succession(local_dir=local_dir, **given)
    try:
        yield entry
    except BaseException as exc:
        assert path is not None  # record_succession refuses without a folder
        if before is None:
            path.unlink(missing_ok=True)
        else:
            _write(path, before)
        if isinstance(exc, DomainError):
            raise InvalidInput(f"Không ghi nhận, chưa ghi gì: {exc}") from exc
        raise


def _write(path: Path, text: str) -> None:
    """``text`` into ``path`` whole or not at all (a temporary file beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def _day(on: date | str) -> date:
    """The effective day as a person typed it, ``01/03/2025`` or ``2025-03-01``, as every form and
    command reads a day (vi_format.parse_day: the page had refused "14/10/2022")."""
    return on if isinstance(on, date) else parse_day(on, "Ngày hiệu lực")


def _reason(problems: list[Problem], key: str) -> str:
    """The first problem of the new entry (else the catalog's first), in Vietnamese where the loader says it so."""
    ours = [p for p in problems if p.code == key] or problems
    first = ours[0]
    if first.vi:
        return f"{first.vi}."
    return f"danh mục không hợp lệ ({first})."
