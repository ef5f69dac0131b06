"""The layers, checked on the source: engine (with tasks_catalog; importer above them) → notifications → web → the
application layer (the ``dondoc/`` folder) → flows. A layer imports only the layers below it.

Every import counts: at module top, inside a function (the lazy imports of the jobs and the
CLI), under ``TYPE_CHECKING``, relative, and ``importlib.import_module("…")`` with a literal.

An AST walk rather than import-linter: import-linter's graph (grimp) finds a package's modules
by walking the folder the package is imported from, and the editable install imports
``dondoc`` from the ``dondoc/`` folder alone (``engine/``, ``web/``, … are mapped beneath it by
setuptools' import hook): ``lint-imports`` reported "module dondoc.flows does not exist".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# folder → the package it installs as (pyproject.toml [tool.setuptools.package-dir])
FOLDERS = {
    "engine": "dondoc.engine",
    "tasks_catalog": "dondoc.tasks_catalog",
    "importer": "dondoc.importer",
    "notifications": "dondoc.notifications",
    "web": "dondoc.web",
    "flows": "dondoc.flows",
    "dondoc": "dondoc",
}
LOWER = (
    "dondoc.engine",
    "dondoc.tasks_catalog",
    "dondoc.importer",
    "dondoc.notifications",
    "dondoc.web",
    "dondoc.flows",
)
# the application layer: whatever the dondoc/ folder holds (cli, jobs, scheduler, simulation, …)
APP = tuple(
    sorted(
        f"dondoc.{p.stem}" for p in (ROOT / "dondoc").iterdir() if p.name != "__init__.py" and p.name != "__pycache__"
    )
)
ABOVE_ENGINE = ("dondoc.notifications", "dondoc.web", "dondoc.flows", *APP, "prefect")
# what each layer must not import (engine and tasks_catalog import each other: one layer)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "dondoc.engine": (*ABOVE_ENGINE, "dondoc.importer"),
    "dondoc.tasks_catalog": (*ABOVE_ENGINE, "dondoc.importer"),
    "dondoc.importer": ABOVE_ENGINE,  # reads documents into drafts over engine and tasks_catalog
    "dondoc.notifications": ("dondoc.web", "dondoc.flows", *APP, "prefect"),
    "dondoc.web": ("dondoc.flows", *APP, "prefect"),
    "dondoc": ("dondoc.flows", "prefect"),  # the application layer; only flows/ imports Prefect
    "dondoc.flows": (),  # the top: flows call the jobs
}


@dataclass(frozen=True)
class Import:
    source: str  # file, relative to the checkout
    line: int
    target: str  # dotted module (or module.name for ``from module import name``)


def module_name(path: Path) -> str:
    """``engine/escalation/sweep.py`` → ``dondoc.engine.escalation.sweep``."""
    relative = path.relative_to(ROOT).with_suffix("")
    folder, *rest = relative.parts
    parts = [FOLDERS[folder], *rest]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(module: str, source: str, filename: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every module ``source`` (the text of ``module``) imports."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(filename, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            yield Import(filename, node.lineno, origin)
            for alias in node.names:
                yield Import(filename, node.lineno, f"{origin}.{alias.name}")
        elif (
            isinstance(node, ast.Call)
            and (
                getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None) == "import_module"
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(filename, node.lineno, node.args[0].value)


def layer_of(module: str) -> str:
    return next((lower for lower in LOWER if module == lower or module.startswith(lower + ".")), "dondoc")


def violations(module: str, found: Iterator[Import]) -> list[str]:
    forbidden = FORBIDDEN[layer_of(module)]
    return [
        f"{i.source}:{i.line} ({module}) imports {i.target}"
        for i in found
        if any(i.target == f or i.target.startswith(f + ".") for f in forbidden)
    ]


def sources(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f != "flows"])
def test_a_layer_imports_only_the_layers_below_it(folder: str) -> None:
    files = sources(folder)
    assert len(files) >= 3, f"{folder}/ has moved? the check would pass on nothing"
    problems: list[str] = []
    for path in files:
        module = module_name(path)
        text = path.read_text(encoding="utf-8")
        found = imports_in(module, text, str(path.relative_to(ROOT)), is_package=path.name == "__init__.py")
        problems += violations(module, found)
    assert problems == []


def test_the_layers_cover_the_application_folder() -> None:
    assert {"dondoc.cli", "dondoc.jobs", "dondoc.scheduler", "dondoc.simulation", "dondoc.report_job"} <= set(APP)
    assert module_name(ROOT / "engine" / "escalation" / "sweep.py") == "dondoc.engine.escalation.sweep"
    assert module_name(ROOT / "dondoc" / "cli" / "__init__.py") == "dondoc.cli"


@pytest.mark.parametrize(
    ("module", "source", "is_package"),
    [
        ("dondoc.engine.clock", "from dondoc.notifications import outbox\n", False),
        ("dondoc.engine.clock", "def f():\n    import dondoc.web.app\n", False),  # a lazy import counts
        ("dondoc.engine.clock", "from dondoc import jobs\n", False),
        ("dondoc.engine.services.x", "from ...simulation import replay\n", False),  # relative, up to dondoc
        ("dondoc.engine", "from .. import scheduler\n", True),
        ("dondoc.tasks_catalog.loader", "from dondoc.cli.output import table\n", False),
        ("dondoc.notifications.outbox", "from dondoc.web.app import create_app\n", False),
        ("dondoc.notifications.outbox", "import importlib\nimportlib.import_module('dondoc.flows.sweep')\n", False),
        ("dondoc.web.app", "from dondoc.report_job import summary\n", False),
        ("dondoc.web.app", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import dondoc.jobs\n", False),
        ("dondoc.cli.main", "from dondoc.flows.sweep import sweep\n", False),
        ("dondoc.jobs", "import prefect\n", False),
    ],
)
def test_the_check_catches_an_upward_import(module: str, source: str, is_package: bool) -> None:
    found = list(imports_in(module, source, "example.py", is_package=is_package))
    assert len(violations(module, iter(found))) >= 1, found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("dondoc.engine.clock", "from dondoc.tasks_catalog.loader import load_catalog\n"),
        ("dondoc.engine.services.x", "from ..models import Assignment\n"),
        ("dondoc.notifications.outbox", "from dondoc.engine.models import Notification\n"),
        ("dondoc.web.app", "from dondoc.notifications import deliver\n"),
        ("dondoc.jobs", "from dondoc.web.app import create_app\n"),
        ("dondoc.flows.sweep", "from dondoc import jobs\nimport prefect\n"),
    ],
)
def test_the_check_allows_a_downward_import(module: str, source: str) -> None:
    assert violations(module, imports_in(module, source, "example.py")) == []
