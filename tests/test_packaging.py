"""What `pip install .` ships: every data file the code reads at run time must be in the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dondoc/", "engine/", "web/", "notifications/", "tasks_catalog/", "flows/")


@pytest.mark.slow  # builds the wheel
def test_the_wheel_carries_every_data_file(tmp_path: Path) -> None:
    # Build from a clean copy: setuptools would reuse a stale build/ folder in the checkout.
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    source = tmp_path / "src"
    for name in tracked:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("dondoc-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    # Each folder installs beneath the application package: engine/x.yaml ships as dondoc/engine/x.yaml.
    needed = {
        name if name.startswith("dondoc/") else f"dondoc/{name}"
        for name in tracked
        if name.startswith(PACKAGES) and not name.endswith(".py")
    }
    assert needed, "git lists the package files"
    assert sorted(needed - shipped) == []
