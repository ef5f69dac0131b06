"""Import accuracy: each seed document (its text, and a DOCX and a PDF rendered from that text)
through ``dondoc import``, compared with the hand-made catalog (tasks_catalog/plans/).

    python bench/import_accuracy.py SEEDS_DIR [--heldout DIR] [--detail]

Per document and format: items found (precision / recall by section), and over the items found in
both: lead right, partners right (implementers and partners together), deadline right (same
reading by engine.deadlines), targets right (the same target figures and units); the plan's title
(the same words, spaces and a leading "V/v" aside: a title cut where its lines wrap is wrong); reporting: the
drafted ``reporting:`` entries against the catalog's (precision / recall of entries right in
period, reporters, recipient and days). An *unflagged* error is a wrong field the draft marked
"chắc chắn" (a wrong field marked "đoán" or "không tìm thấy" is flagged for review).

The seeds are compared with the shipped catalog; ``--heldout`` (default: the synthetic documents in
tests/fixtures/import_heldout, each ``X.txt`` beside its hand-written ``X.yaml``) with their own
expected plans — documents the rules were not tuned on.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.documents renders DOCX and PDF

from dondoc.engine.clock import SystemClock
from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN
from dondoc.importer.reading import read_document
from dondoc.tasks_catalog.loader import default_catalog_dir
from tests.support.documents import to_docx, to_pdf

MEASURES = ("lead", "partners", "deadline", "targets")
HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import_heldout"


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
            i.get("unit", "%"),
        )
        for i in indicators
    )


_DAYS = ("dates", "due_before", "due_day", "due_month_offset", "cutoff_start_day", "cutoff_end_day")
_DAY_DEFAULTS = {"dates": "text", "due_before": False, "due_month_offset": 0}


def _report_fields(entry: dict[str, Any], year: int) -> dict[str, Any]:
    days: Any = tuple(entry.get(k, _DAY_DEFAULTS.get(k)) for k in _DAYS)
    if entry["period"] == "once":
        days = _deadline(entry.get("deadline"), year)
    return {"reporters": frozenset(entry["reporters"]), "recipient": entry.get("recipient"), "dates": days}


def compare_reporting(expected: dict[str, Any], draft: Any) -> tuple[int, int, int, int, list[str]]:
    """(right, drafted, expected, unflagged, wrong): an entry is right when its period, reporters,
    recipient and days are the catalog's; a wrong one is paired with the catalog's of its period."""
    year = expected["plan"]["year"]
    want = list(expected.get("reporting") or [])
    got = list(zip(draft.reporting, draft.reporting_entries(), strict=True))
    right = unflagged = 0
    wrong: list[str] = []
    unmatched = []
    for report, entry in got:
        fields = _report_fields(entry, year)
        match = next((w for w in want if w["period"] == entry["period"] and _report_fields(w, year) == fields), None)
        if match is not None:
            want.remove(match)
            right += 1
        else:
            unmatched.append((report, entry, fields))
    for report, entry, fields in unmatched:
        same = [w for w in want if w["period"] == entry["period"]]
        other = max(same, key=lambda w: sum(v == fields[k] for k, v in _report_fields(w, year).items()), default=None)
        if other is None:
            wrong.append(f"{entry['code']} (thừa)")
            continue
        want.remove(other)
        bad = [k for k, v in _report_fields(other, year).items() if v != fields[k]]
        certain = [k for k in bad if report.trace.get(k) is not None and report.trace[k].confidence == CERTAIN]
        unflagged += len(certain)
        wrong.append(f"{entry['code']} [{', '.join(k + ('!' if k in certain else '') for k in bad)}]")
    wrong += [f"{w['code']} (thiếu)" for w in want]
    return right, len(got), len(expected.get("reporting") or []), unflagged, wrong


def _title(title: str) -> str:
    """A title as compared: spaces aside, and a công văn's "V/v" (the catalog keeps it, the held-out
    1247 plan does not: a convention, not a reading)."""
    return re.sub(r"^v/v\s+", "", " ".join(title.split()).casefold())


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
    result["reporting"] = compare_reporting(expected, draft)
    title_right = _title(expected["plan"]["title"]) == _title(draft.header.title)
    title_certain = draft.header.trace["title"].confidence == CERTAIN
    result["title"] = (
        "yes" if title_right else "no" if title_certain else "no, guessed",
        not title_right and title_certain,
    )
    return result


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f} %" if b else "–"


def _rows(documents: list[tuple[Path, dict[str, Any]]], agencies: AgencyDirectory, detail: bool) -> None:
    today = SystemClock().local_date(SystemClock().now())  # the year of a document with no issue date
    print(
        "| document | format | items P / R | title | lead | partners | deadline | targets | reporting P / R "
        "| unflagged |"
    )
    print("|" + "---|" * 10)
    with tempfile.TemporaryDirectory() as tmp:
        for source, expected in documents:
            text = source.read_text(encoding="utf-8")
            variants = {
                "txt": source,
                "docx": to_docx(text, Path(tmp) / f"{source.stem}.docx"),
                "pdf": to_pdf(text, Path(tmp) / f"{source.stem}.pdf"),
            }
            for fmt, path in variants.items():
                draft = build_draft(read_document(path), agencies, today=today)
                r = compare(expected, draft, detail)
                cells = [_pct(r[m][0], r[m][1]) for m in MEASURES]
                rep_right, rep_drafted, rep_expected, rep_unflagged, rep_wrong = r["reporting"]
                reporting = f"{_pct(rep_right, rep_drafted)} / {_pct(rep_right, rep_expected)}"
                title, title_unflagged = r["title"]
                unflagged = sum(r[m][2] for m in MEASURES) + rep_unflagged + title_unflagged
                print(
                    f"| {expected['plan']['number']} | {fmt} | {_pct(r['matched'], r['found'])} / "
                    f"{_pct(r['matched'], r['expected'])} | {title} | "
                    + " | ".join(cells)
                    + f" | {reporting} | {unflagged} |"
                )
                if detail:
                    print(f"    missing {r['missing']} extra {r['extra']}", file=sys.stderr)
                    if title != "yes":
                        print(f"    title: {draft.header.title!r}", file=sys.stderr)
                    for m in MEASURES:
                        if r[m][3]:
                            print(f"    {m} wrong: {' '.join(r[m][3])}", file=sys.stderr)
                    if rep_wrong:
                        print(f"    reporting wrong: {'; '.join(rep_wrong)}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="held-out documents: X.txt beside X.yaml")
    parser.add_argument("--detail", action="store_true", help="list the items missing, extra and wrong")
    args = parser.parse_args()
    agencies = AgencyDirectory.load()
    plans = {}
    for path in sorted((default_catalog_dir() / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        plans[data["plan"].get("source_file")] = data
    seeds = [(seed, plans[seed.name]) for seed in sorted(args.seeds.glob("*.txt")) if seed.name in plans]
    print("Seed documents (the rules were written on these), against the shipped catalog:\n")
    _rows(seeds, agencies, args.detail)
    heldout = [
        (doc, yaml.safe_load(doc.with_suffix(".yaml").read_text(encoding="utf-8")))
        for doc in sorted(args.heldout.glob("*.txt"))
        if doc.with_suffix(".yaml").exists()
    ]
    if heldout:
        print("\nHeld-out documents (written after the rules), against their hand-written plans:\n")
        _rows(heldout, agencies, args.detail)


if __name__ == "__main__":
    main()
