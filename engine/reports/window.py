"""The days a periodic report's figures cover: its period, or the data cut-off window a plan's text
fixes for it (61/KH-UBND VI.7: "thời gian chốt số liệu báo cáo quý III từ ngày 15 tháng 6 đến ngày
14 tháng 9").

The quarter's report is what the secretariat drafts the province's quarterly report to the centre
from (61/KH-UBND VI.3.e, due on the 25th of the quarter's last month), which that window governs:
its figures are computed at the window's end, and the report says the window and whose text fixes
it. A window the secretariat's conventions set (``dates: convention``: conventions.yaml, labelled
CONVENTION_NOTE) is not the text's and is not used; nor is one when two texts fix different ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from dondoc.engine.models import Milestone, Plan, PlanItem
from dondoc.engine.vi_format import vn_date
from dondoc.tasks_catalog.conventions import CONVENTION_NOTE
from dondoc.tasks_catalog.cycles import period_in_sentence, period_span


@dataclass(frozen=True)
class Window:
    """``start``–``end``: the days the report covers; ``source``: the plan(s) whose text fixes them as
    the period's data cut-off, None for the period itself."""

    start: date
    end: date
    source: str | None = None

    def words(self, period_label: str) -> str:
        """ "Kỳ báo cáo từ 01/07/2022 đến 30/09/2022", or the cut-off the text fixes: "Kỳ báo cáo Quý
        III/2022; thời gian chốt số liệu từ 15/06/2022 đến 14/09/2022 (theo 61/KH-UBND)"."""
        if self.source is None:
            return f"Kỳ báo cáo từ {vn_date(self.start)} đến {vn_date(self.end)}"
        label = period_in_sentence(period_label)
        return f"Kỳ báo cáo {label}; {self.cutoff_words}"

    @property
    def cutoff_words(self) -> str | None:
        """ "thời gian chốt số liệu từ 15/06/2022 đến 14/09/2022 (theo 61/KH-UBND)", or None."""
        if self.source is None:
            return None
        return f"thời gian chốt số liệu từ {vn_date(self.start)} đến {vn_date(self.end)} (theo {self.source})"


def report_window(session: Session, period_code: str) -> Window:
    """The window of ``period_code`` (a valid code: tasks_catalog.cycles): the one data cut-off window
    the texts' reporting duties of that period fix (Milestone.cutoff_start/cutoff_end, none from a
    convention), else the period's own days."""
    start, end = period_span(period_code)
    rows = session.exec(
        select(col(Milestone.cutoff_start), col(Milestone.cutoff_end), col(Plan.number))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .where(
            col(Milestone.period_code) == period_code,
            col(Milestone.cutoff_start).is_not(None),
            col(Milestone.cutoff_end).is_not(None),
            ~col(Milestone.label).contains(CONVENTION_NOTE),
        )
        .distinct()
    ).all()
    # a duty whose text fixes no cut-off stores its period's own days (tasks_catalog.cycles)
    windows = {(f, e) for f, e, _ in rows if f is not None and e is not None and (f, e) != (start, end)}
    if len(windows) != 1:
        return Window(start, end)  # none fixed, or two texts disagree: not guessed
    ((first, last),) = windows
    return Window(first, last, ", ".join(sorted({n for f, e, n in rows if (f, e) == (first, last)})))
