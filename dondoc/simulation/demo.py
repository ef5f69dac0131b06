"""The demo database of ``dondoc serve --demo``: built by a replay once, reused while it is current.

A demo database is *current* when the fingerprint stored in its ``replay_mark`` row equals the
fingerprint of what would build it now: a hash of the code that decides the replay (every
``.py`` and template of the installed packages, and the package version), the migration head,
the catalog's files (plans, agencies, calendar, conventions), the escalation policy's bytes, and
the replay's window and seed. The fingerprint is written last, in the transaction after the
replay's final day, so a replay cut short leaves a database that is never current.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib import metadata, resources
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dondoc.engine import migrate
from dondoc.engine.db import transaction
from dondoc.engine.escalation.policy import default_policy_path
from dondoc.engine.models import ReplayMark
from dondoc.engine.settings import Settings
from dondoc.simulation.replay import Progress, prepare, replay
from dondoc.tasks_catalog.loader import default_catalog_dir

# Tracking from 01/06/2022, the first day of the 7-month replay: the deadlines of June, July and
# September (305 of the 448 due in 2022 before the demo's day) are tracked, reminded and escalated,
# and a first start builds the board in about half the time a replay from 01/01 takes.
DEMO_START = date(2022, 6, 1)
DEMO_DAY = date(2022, 10, 14)  # the board of a plan year in full swing
DEMO_SEED = 1
# The packages whose code decides what a replay writes (the CLI and the web only read it).
CODE_PACKAGES = ("dondoc.engine", "dondoc.notifications", "dondoc.simulation", "dondoc.tasks_catalog")
CODE_SUFFIXES = (".py", ".j2")
CATALOG_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Window:
    start: date = DEMO_START
    end: date = DEMO_DAY
    seed: int = DEMO_SEED


def _hash_files(digest: hashlib._Hash, root: Path, suffixes: tuple[str, ...]) -> None:
    for path in sorted(p for p in root.rglob("*") if p.suffix in suffixes and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _code_hash() -> str:
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        digest.update(package.encode() + b"\0")
        _hash_files(digest, Path(str(resources.files(package))), CODE_SUFFIXES)
    digest.update(Path(str(resources.files("dondoc") / "jobs.py")).read_bytes())
    digest.update(Path(str(resources.files("dondoc") / "report_job.py")).read_bytes())
    return digest.hexdigest()


def fingerprint(engine: Engine, settings: Settings, window: Window = Window()) -> str:
    """What a demo database built now with ``settings`` would be built from, as one hash."""
    catalog = hashlib.sha256()
    _hash_files(catalog, settings.catalog_dir or default_catalog_dir(), CATALOG_SUFFIXES)
    policy = (settings.policy_file or default_policy_path()).read_bytes()
    facts = {
        "dondoc": metadata.version("dondoc"),
        "code": _code_hash(),
        "migration_head": migrate.head_revision(engine),
        "catalog": catalog.hexdigest(),
        "policy": hashlib.sha256(policy).hexdigest(),
        "window": [window.start.isoformat(), window.end.isoformat()],
        "seed": window.seed,
        "tz": str(settings.tz),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def stored_fingerprint(engine: Engine) -> str | None:
    """The fingerprint a demo database records; None for an empty, older or unfinished one."""
    try:
        if migrate.current_revision(engine) != migrate.head_revision(engine):
            return None
        with engine.connect() as connection:
            return connection.execute(text("SELECT fingerprint FROM replay_mark")).scalar()
    except SQLAlchemyError:
        return None  # not a dondoc database at all: rebuilt


def is_current(engine: Engine, settings: Settings, window: Window = Window()) -> bool:
    return stored_fingerprint(engine) == fingerprint(engine, settings, window)


def build(engine: Engine, settings: Settings, *, window: Window = Window(), progress: Progress | None = None) -> None:
    """Wipe the database, replay the window into it and record its fingerprint last."""
    stamp = fingerprint(engine, settings, window)
    prepare(engine, reset=True, maildrop=settings.maildrop_dir, owned=True)  # var/demo.db and its mail drop
    replay(
        engine,
        start=window.start,
        end=window.end,
        seed=window.seed,
        settings=settings,
        catalog_dir=settings.catalog_dir,
        progress=progress,
    )
    with transaction(engine) as session:
        mark = session.get(ReplayMark, 1)
        if mark is not None:  # replay() marks the database: always there
            mark.fingerprint = stamp
