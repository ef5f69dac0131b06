"""Fingerprint of a replay database: every decision, mail and final state, to compare two runs.

    python bench/replay_fingerprint.py sqlite:///var/a.db > a.json
    python bench/replay_fingerprint.py --compare a.json b.json

Reads the tables with plain SQL (no dondoc import), so a database written by an older commit
can be read by a newer one, and a SQLite run compares with a PostgreSQL one (instants are
compared in one spelling). Mail bodies are compared with their links removed (a link carries a
signed token whose bytes may differ) and the standing vice-chair's stored spelling folded to one,
in the recipient role and inside dedupe keys (migration 0007 moved both to ``vice-chair``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, text

LINK = re.compile(r"https?://\S+")
VICE = {"vice_chair": "vice-chair", "standing_vice_chair": "vice-chair"}


def _digest(body: str | None) -> str:
    return hashlib.sha256(LINK.sub("<link>", body or "").encode()).hexdigest()[:16]


def _key(dedupe_key: str) -> str:
    """The dedupe key with each ``:``-part that spells the vice-chair the old way folded."""
    return ":".join(VICE.get(part, part) for part in dedupe_key.split(":"))


def fingerprint(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    with engine.connect() as db:
        mails = [
            [
                str(r.created_at),
                r.kind,
                VICE.get(r.recipient_role, r.recipient_role),
                r.recipient_email,
                _key(r.dedupe_key),
                r.status,
                r.subject,
                _digest(r.body_text),
            ]
            for r in db.execute(
                text(
                    "select created_at, kind, recipient_role, recipient_email, dedupe_key, status, subject, body_text "
                    "from notification"
                )
            )
        ]
        states = [
            [r.id, r.state, str(r.due_at), str(r.reported_at), str(r.verified_at)]
            for r in db.execute(text("select id, state, due_at, reported_at, verified_at from assignment order by id"))
        ]
        events = Counter(r.action for r in db.execute(text("select action from event")))
    engine.dispose()
    return {"mails": sorted(mails), "states": states, "events": dict(sorted(events.items()))}


def _instant(text: str) -> str:
    """An instant as each backend prints it (SQLite ``2022-06-09 01:00:00.000000``, PostgreSQL
    ``2022-06-09 01:00:00+00:00``; both UTC) in one spelling, so the two backends' runs compare."""
    if text == "None":
        return text
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def _normal(key: str, row: list[Any]) -> list[Any]:
    """A row with its instants in one spelling; a mail's with the vice-chair folded (a fingerprint
    written before the folding of keys)."""
    if key != "mails":
        return [row[0], row[1], *(_instant(x) for x in row[2:])]
    return [_instant(row[0]), row[1], VICE.get(row[2], row[2]), row[3], _key(row[4]), *row[5:]]


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Differences, one line each; empty when the two runs decided and sent the same."""
    out = []
    for key in ("mails", "states"):
        left, right = ({json.dumps(_normal(key, x)) for x in side[key]} for side in (a, b))
        out += [f"{key} only in first: {x}" for x in sorted(left - right)[:20]]
        out += [f"{key} only in second: {x}" for x in sorted(right - left)[:20]]
    if a["events"] != b["events"]:
        out.append(f"events differ: {a['events']} != {b['events']}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"))
    args = parser.parse_args()
    if args.compare:
        a, b = (json.load(open(p, encoding="utf-8")) for p in args.compare)
        diff = compare(a, b)
        print("\n".join(diff) if diff else f"same: {len(a['mails'])} mails, {len(a['states'])} assignments")
        return 1 if diff else 0
    json.dump(fingerprint(args.url), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
