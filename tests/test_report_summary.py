"""The few figures a periodic report's mail shows (dondoc.report_job.summary)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from dondoc.report_job import TOP_OVERDUE, summary


def _data(overdue: dict[str, int]) -> Any:
    counts = {"dang_thuc_hien_qua_han": 0, "hoan_thanh_dung_han": 0, "hoan_thanh_qua_han": 0}
    agencies = [
        SimpleNamespace(name=name, counts=counts | {"dang_thuc_hien_qua_han": n}) for name, n in overdue.items()
    ]
    return SimpleNamespace(by_agency=agencies, totals=SimpleNamespace(counts=counts), indicators=[], duties=[])


def test_the_most_overdue_list_does_not_cut_through_a_tie() -> None:
    """The Q3 mail listed five agencies, three of them with 2 overdue, and left out two more with 2."""
    overdue = {"A": 5, "B": 4, "C": 2, "D": 2, "E": 2, "F": 2, "G": 2, "H": 1, "I": 0}
    listed = [(row["name"], row["overdue"]) for row in summary(_data(overdue))["top_overdue"]]
    assert listed == [("A", 5), ("B", 4), ("C", 2), ("D", 2), ("E", 2), ("F", 2), ("G", 2)]
    few = {"A": 3, "B": 3, "C": 2, "D": 1, "E": 1, "F": 0}
    assert len(summary(_data(few))["top_overdue"]) == TOP_OVERDUE  # no tie at the fifth: five
