"""The installation's own catalog folder (DONDOC_CATALOG_LOCAL_DIR): plans the secretariat imported
and published here (``plans/*.yaml``) are read together with the shipped catalog's; the agency
directory, groups and conventions stay the shipped ones. Drafts under review live in ``drafts/``.
One module, so whoever else touches the setting merges one place."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

PLANS = "plans"
DRAFTS = "drafts"


def plan_files(directory: Path, local_dir: Path | None) -> list[Path]:
    """The plan files of ``directory`` then those of ``local_dir`` (if any), each folder sorted."""
    files = sorted((directory / PLANS).glob("*.yaml"))
    if local_dir is not None and (local_dir / PLANS).is_dir():
        files += sorted((local_dir / PLANS).glob("*.yaml"))
    return files


def slug(number: str) -> str:
    """A file name for a plan number: "117/KH-UBND" → "117-kh-ubnd"."""
    text = unicodedata.normalize("NFKD", number.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    # at most 80 characters: a file name has a limit (a "Số:" of 300 characters was an error 500)
    return re.sub(r"[^a-z0-9]+", "-", text)[:80].strip("-") or "ke-hoach"


def publish(local_dir: Path, name: str, text: str) -> tuple[Path, str | None]:
    """Write plan ``name`` (a slug) into the local plans folder; return the path and its former text."""
    path = local_dir / PLANS / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(text, encoding="utf-8")
    return path, before
