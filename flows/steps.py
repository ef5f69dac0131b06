"""Steps of ``prefect.yaml``: the instance directory checked at deploy time and again at run time.

``prefect deploy`` (Prefect 3.8.8) fills ``{{ $DONDOC_HOME }}`` from its environment and the
server stores the pull step with the path; an unset variable reaches a step as an empty string
(tests/test_prefect_flows.py) and used to be stored as the literal text, so every run crashed
in a folder that does not exist. The build
step :func:`check_instance_directory` makes ``prefect deploy`` refuse instead, and the pull
step :func:`set_instance_directory` refuses with one line at run time (a deployment made
before this check, or a worker machine without that folder).

Plain functions: Prefect imports them by module path; they do not import Prefect.
"""

from __future__ import annotations

import os
from pathlib import Path

from dondoc.engine.errors import ConfigError


def instance_directory(directory: str | None) -> Path:
    """``directory`` as an existing absolute folder; ConfigError (one line) for an unset,
    unresolved (still ``{{ … }}``), relative or missing one."""
    text = (directory or "").strip()
    if not text or "{{" in text or "}}" in text:
        raise ConfigError(
            f"DONDOC_HOME chưa được đặt (thư mục làm việc: {text!r}): hãy chạy "
            "`DONDOC_HOME=/var/lib/dondoc prefect deploy --all …` với thư mục của phiên bản cài đặt"
        )
    path = Path(text)
    if not path.is_absolute():
        raise ConfigError(f"DONDOC_HOME phải là đường dẫn tuyệt đối, không phải {text!r}")
    if not path.is_dir():
        raise ConfigError(f"DONDOC_HOME {text!r} không phải là một thư mục có sẵn trên máy này")
    return path


def check_instance_directory(directory: str | None = None) -> dict[str, str]:
    """Build step (runs in ``prefect deploy``): refuse the deploy unless ``directory`` (default:
    ``$DONDOC_HOME``) is an existing absolute folder."""
    chosen = directory if directory is not None else os.environ.get("DONDOC_HOME")
    return {"directory": str(instance_directory(chosen))}


def set_instance_directory(directory: str) -> dict[str, str]:
    """Pull step (runs before each flow run): check the stored folder, then make it the working
    directory (what ``prefect.deployments.steps.set_working_directory`` does, with the check)."""
    path = instance_directory(directory)
    os.chdir(path)
    return {"directory": str(path)}
