"""Import accuracy: each seed document (its text, and a DOCX and a PDF rendered from that text)
through ``dondoc import``, compared with the hand-made catalog (tasks_catalog/plans/).

    python bench/import_accuracy.py SEEDS_DIR [--detail]

Per document and format: items found (precision / recall by section), and over the items found in
both: lead right, partners right (implementers and partners together), deadline right (same
reading by engine.deadlines), targets right (the same target figures). An *unflagged* error is a
wrong field the draft marked "chắc chắn" (a wrong field marked "đoán" or "không tìm thấy" is
flagged for review).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.documents renders DOCX and PDF

from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN
from dondoc.importer.reading import read_document
from dondoc.tasks_catalog.loader import default_catalog_dir
from tests.support.documents import to_docx, to_pdf

MEASURES = ("lead", "partners", "deadline", "targets")


def _deadline(phrase: str | None, year: int) -> Any:
    if phrase is None:
        return None
    try:
        d = parse_deadline(phrase, default_year=year)
    except DeadlinePhraseError:
        return ("?", phrase.casefold())
    return (d.kind.value, d.due, d.start)


def _targets(indicators: list[dict[str, Any]]) -> list[Any]:
    return sorted(
        (
            float(i["target"]) if i.get("target") is not None else -1.0,
            tuple(float(x) for x in i.get("target_range") or ()),
        )
        for i in indicators
    )


def compare(expected: dict[str, Any], draft: Any, detail: bool) -> dict[str, Any]:
    year = expected["plan"]["year"]
    want = {i["section"]: i for i in expected["items"]}
    got = {p.section: p for p in draft.items}
    both = sorted(set(want) & set(got))
    result: dict[str, Any] = {
        "expected": len(want),
        "found": len(got),
        "matched": len(both),
        "missing": sorted(set(want) - set(got)),
        "extra": sorted(set(got) - set(want)),
    }
    for measure in MEASURES:
        right = unflagged = 0
        wrong: list[str] = []
        for section in both:
            w, g = want[section], got[section]
            if measure == "lead":
                ok, field = set(w.get("lead") or []) == set(g.lead), "lead"
            elif measure == "partners":
                ok = set((w.get("partners") or []) + (w.get("implementers") or [])) == set(g.partners + g.implementers)
                field = "partners" if g.partners else "implementers"
            elif measure == "deadline":
                ok, field = _deadline(w.get("deadline"), year) == _deadline(g.deadline, year), "deadline"
            else:
                ok, field = _targets(w.get("indicators") or []) == _targets(g.indicators), "indicators"
            if ok:
                right += 1
                continue
            trace = g.trace.get(field)
            if trace is not None and trace.confidence == CERTAIN:
                unflagged += 1
            wrong.append(f"{section}{'' if trace is None or trace.confidence != CERTAIN else '!'}")
        result[measure] = (right, len(both), unflagged, wrong)
    return result


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f} %" if b else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("--detail", action="store_true", help="list the items missing, extra and wrong")
    args = parser.parse_args()
    agencies = AgencyDirectory.load()
    plans = {}
    for path in sorted((default_catalog_dir() / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        plans[data["plan"].get("source_file")] = data
    header = "| document | format | items P / R | lead | partners | deadline | targets | unflagged |"
    print(header)
    print("|" + "---|" * 8)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in sorted(args.seeds.glob("*.txt")):
            expected = plans.get(seed.name)
            if expected is None:
                continue
            text = seed.read_text(encoding="utf-8")
            variants = {
                "txt": seed,
                "docx": to_docx(text, Path(tmp) / f"{seed.stem}.docx"),
                "pdf": to_pdf(text, Path(tmp) / f"{seed.stem}.pdf"),
            }
            for fmt, path in variants.items():
                draft = build_draft(read_document(path), agencies)
                r = compare(expected, draft, args.detail)
                cells = [_pct(r[m][0], r[m][1]) for m in MEASURES]
                unflagged = sum(r[m][2] for m in MEASURES)
                print(
                    f"| {expected['plan']['number']} | {fmt} | {_pct(r['matched'], r['found'])} / "
                    f"{_pct(r['matched'], r['expected'])} | " + " | ".join(cells) + f" | {unflagged} |"
                )
                if args.detail:
                    print(f"    missing {r['missing']} extra {r['extra']}", file=sys.stderr)
                    for m in MEASURES:
                        if r[m][3]:
                            print(f"    {m} wrong: {' '.join(r[m][3])}", file=sys.stderr)


if __name__ == "__main__":
    main()
