"""One spelling of the standing vice-chair, ``vice-chair``, from the CLI to the stored rows.

The older spellings live only in engine/actors.py (read on input), the migrations that moved
them, the replay fingerprint (it reads databases of older commits) and the tests of those.
"""

from __future__ import annotations

import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

from dondoc.engine.actors import (
    LEADERS,
    Actor,
    ActorKind,
    Leader,
    Recipient,
    fold,
)
from dondoc.engine.escalation.policy import PolicyInvalid, load_policy
from dondoc.engine.links import LEADER_SUBJECTS
from dondoc.engine.models import CommitteeRole
from dondoc.engine.services.accounts import TOKEN_ROLES
from dondoc.tasks_catalog.schema import Committee

ROOT = Path(__file__).resolve().parents[1]
OLD = re.compile(r"(?<![A-Za-z0-9_])(?:standing_)?vice_chair(?![A-Za-z0-9_])")
ALLOWED = (
    "engine/actors.py",
    "engine/migrations/versions/",
    "bench/replay_fingerprint.py",
    "tests/test_leaders_migration.py",
    "tests/test_vocabulary.py",
)
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".j2", ".html", ".md", ".toml", ".json")


def _source_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [name for name in listed if name.endswith(TEXT_SUFFIXES) and (ROOT / name).is_file()]


def _old_spellings(name: str, content: str) -> list[str]:
    """Where ``content`` spells the vice-chair the old way; in Python only strings and comments
    count (an identifier cannot hold a hyphen: ``committee.vice_chair`` is fine)."""
    if not name.endswith(".py"):
        return [f"{name}:{n}" for n, line in enumerate(content.splitlines(), 1) if OLD.search(line)]
    tokens = tokenize.generate_tokens(io.StringIO(content).readline)
    return [
        f"{name}:{t.start[0]}" for t in tokens if t.type in (tokenize.STRING, tokenize.COMMENT) and OLD.search(t.string)
    ]


def test_no_other_spelling_of_the_vice_chair() -> None:
    files = _source_files()
    assert "engine/actors.py" in files and "tasks_catalog/policy.yaml" in files  # git lists the sources
    found = [
        where
        for name in files
        if not name.startswith(ALLOWED)
        for where in _old_spellings(name, (ROOT / name).read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_sees_strings_and_comments_but_not_names() -> None:
    source = 'committee.vice_chair = 1\nkey = f"digest:vice_chair:{day}"  # vice-chair\n# standing_vice_chair\n'
    assert _old_spellings("x.py", source) == ["x.py:2", "x.py:3"]
    assert _old_spellings("x.yaml", "to: [vice-chair]\nto: [vice_chair]\n") == ["x.yaml:2"]


def test_every_layer_says_vice_chair() -> None:
    assert Leader.VICE_CHAIR == Recipient.VICE_CHAIR == ActorKind.VICE_CHAIR == CommitteeRole.VICE_CHAIR
    assert Leader.VICE_CHAIR.value == "vice-chair" and Leader.CHAIR.value == "chair"
    assert LEADERS == {ActorKind.CHAIR, ActorKind.VICE_CHAIR}
    assert set(LEADER_SUBJECTS) == {"leader:chair", "leader:vice-chair"}
    assert {"chair", "vice-chair"} <= set(TOKEN_ROLES)
    assert Actor.parse("vice-chair") == Actor(ActorKind.VICE_CHAIR)


@pytest.mark.parametrize("old", ["vice_chair", "standing_vice_chair"])
def test_older_spellings_are_read_as_vice_chair(old: str, tmp_path: Path) -> None:
    assert fold(old) == "vice-chair" and fold(f"leader:{old}") == "leader:vice-chair"
    assert fold("so-tttt") == "so-tttt" and fold("agency:so-tttt") == "agency:so-tttt"
    assert Leader.from_subject(f"leader:{old}") is Leader.VICE_CHAIR
    assert Leader.from_subject("agency:vice-chair") is None
    assert Actor.parse(old) == Actor(ActorKind.VICE_CHAIR)
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        f'version: "t"\nrules:\n  - {{name: qua-han-3, trigger: overdue, working_days: 3, to: [{old}, chair]}}\n',
        encoding="utf-8",
    )
    (rule,) = load_policy(policy).rules
    assert rule.to == (Recipient.VICE_CHAIR, Recipient.CHAIR)
    person = {"title": "Phó Trưởng ban Thường trực"}
    committee = Committee.model_validate({"name": "BCĐ", "chair": person, old: person, "secretariat": person})
    assert committee.vice_chair.title == "Phó Trưởng ban Thường trực"


def test_an_unknown_recipient_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        'version: "t"\nrules:\n  - {name: x, trigger: overdue, working_days: 3, to: [deputy]}\n', encoding="utf-8"
    )
    with pytest.raises(PolicyInvalid, match="line 3, rules.0.to.0: Input should be .*'vice-chair'"):
        load_policy(policy)
