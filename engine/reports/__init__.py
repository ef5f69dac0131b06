"""The periodic report of the secretariat (6-month, annual, quarterly): data, rates, renderers, job.

``build_report`` gathers the data of one period (per plan and per agency: category counts,
rates, overdue work, indicators, late or missing reports); ``render`` turns it into HTML (A4),
XLSX or Markdown; ``run_periodic_reports`` mails it to the leaders on the summary's due date.
"""

from dondoc.engine.reports.data import ReportData, build_report
from dondoc.engine.reports.rates import AgencyRates, agency_rates
from dondoc.engine.reports.render import FORMATS, render

__all__ = ["FORMATS", "AgencyRates", "ReportData", "agency_rates", "build_report", "render"]
