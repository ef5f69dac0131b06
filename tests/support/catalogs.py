"""Test catalogs: the minimal fixture catalog, copies of it with one thing changed, and a reporting variant."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MIN_CATALOG = FIXTURES / "catalog_min"


def notice_plan(issued: str, items: str) -> str:
    """A plan file of a test Thông báo, 98/TB-TEST of 2022, issued on ``issued`` (YYYY-MM-DD), holding
    ``items`` (YAML list entries, indented as under ``items:``): the other document that repeats a
    task of the minimal catalog's plan (``same_work_as``)."""
    return (
        f'plan:\n  number: "98/TB-TEST"\n  kind: thong_bao\n  issued: {issued}\n  issuer: "UBND tỉnh"\n'
        f'  title: "Thông báo thử nghiệm"\n  year: 2022\nitems:\n{items}'
    )


def copy_catalog(tmp_path: Path, source: Path = MIN_CATALOG) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def issue_notice_catalog(tmp_path: Path, field: str) -> Path:
    """catalog_min with a Thông báo of 19/01/2022 whose one milestone, Sở TT&TT's "Ban hành kế hoạch
    thử nghiệm trước ngày 15/02/2022", names ``field`` (``done_by_issue_of: "99/KH-TEST"``: the work is
    the issue of the minimal catalog's plan, issued 01/03/2022)."""
    catalog = copy_catalog(tmp_path)
    (catalog / "plans/other-plan.yaml").write_text(
        notice_plan(
            "2022-01-19",
            f"""  - code: "98/TB-TEST:1"
    section: "1"
    title: "Ban hành kế hoạch"
    content: "Ban hành kế hoạch thử nghiệm trước ngày 15/02/2022."
    source: "Mục 1"
    lead: [so-tttt]
    milestones:
      - {{deadline: "trước ngày 15/02/2022", {field}}}
""",
        ),
        encoding="utf-8",
    )
    return catalog


def shared_task_catalog(
    tmp_path: Path, *, leads: str = "vp-ubnd", implementers: tuple[str, ...] = (), partners: tuple[str, ...] = ()
) -> Path:
    """A copy of the minimal catalog whose II.2 is led by ``leads`` (a YAML list's items), with
    ``implementers`` and ``partners``, due "trước ngày 29/7/2022": a task several bodies share."""
    copy = copy_catalog(tmp_path)
    plan = copy / "plans" / "test-plan.yaml"
    named = f"    lead: [{leads}]\n"
    if implementers:
        named += f"    implementers: [{', '.join(implementers)}]\n"
    if partners:
        named += f"    partners: [{', '.join(partners)}]\n"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace('    lead: [vp-ubnd]\n    deadline: "Theo lộ trình', f'{named}    deadline: "Theo lộ trình')
        .replace("Theo lộ trình, hướng dẫn của các cơ quan Trung ương", "trước ngày 29/7/2022"),
        encoding="utf-8",
    )
    return copy


# The import sample (tests/support/import_docs.PROSE) names Sở Tài chính; the small engine catalog's
# directory did not, so the review page left it unread where the CLI (the shipped directory) read it.
_SO_TAI_CHINH = (
    '  - {code: so-tai-chinh, name: "Sở Tài chính", short: "Sở Tài chính", kind: so, '
    'email: "so-tai-chinh@dondoc.example"}\n'
)


# a standing duty whose start is after the minimal catalog's clock (02/03/2022): not begun until 01/07/2022
STANDING = "99/KH-TEST:II.9"
STANDING_ITEM = f"""  - code: "{STANDING}"
    section: "II.9"
    title: "Số hóa hồ sơ"
    content: "Số hóa hồ sơ kể từ ngày 01/7/2022."
    source: "Mục II.9"
    lead: [so-tttt]
    deadline: "kể từ ngày 01/7/2022"
"""


def with_items(tmp_path: Path, items: str) -> Path:
    """catalog_min with ``items`` (plan items as YAML, indented as the test plan's) added to its plan."""
    directory = copy_catalog(tmp_path)
    plan = directory / "plans/test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + items, encoding="utf-8")
    return directory


def import_catalog(tmp_path: Path) -> Path:
    """The small catalog with the agencies the import sample names: every import surface reads it."""
    target = copy_catalog(tmp_path)
    agencies = target / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("groups:", _SO_TAI_CHINH + "groups:", 1))
    return target


def edit(directory: Path, relative: str, old: str, new: str) -> int:
    """Replace the one occurrence of ``old``; return the (1-based) line where it was."""
    path = directory / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


REPORTING = """
reporting:
  - code: "99/KH-TEST:VI.bao-cao-quy"
    title: "Báo cáo định kỳ hằng quý"
    source: "Mục VI"
    reporters: ["@so-ban-nganh", "@ubnd-cap-huyen"]
    recipient: so-tttt
    period: quarter
    due_day: 20
    cutoff_start_day: 15
    cutoff_end_day: 14
    first_period: "2022-Q1"
    last_period: "2022-Q4"
  - code: "99/KH-TEST:VI.bao-cao-6-thang"
    title: "Báo cáo 6 tháng"
    source: "Mục VI"
    reporters: [so-tttt]
    period: half_year
    due_day: 20
    first_period: "2022-H1"
    last_period: "2022-H1"
  - code: "99/KH-TEST:VI.bao-cao-nam"
    title: "Báo cáo năm của Tổ giúp việc"
    source: "Mục VI"
    reporters: [so-tttt]
    period: year
    due_day: 20
    first_period: "2022"
"""
QUARTERLY = "99/KH-TEST:VI.bao-cao-quy"


def report_catalog(tmp_path: Path, *, cutoff: bool = True) -> Path:
    """catalog_min plus three recurring reporting duties (quarterly, 6-month, annual); ``cutoff``:
    the quarterly one with 61/KH-UBND's data cut-off days (15th–14th), which a quarter's report then
    covers (engine.reports.window), else the quarters' own days."""
    directory = tmp_path / "catalog"
    shutil.copytree(MIN_CATALOG, directory)
    plan = directory / "plans" / "test-plan.yaml"
    duties = REPORTING if cutoff else REPORTING.replace("    cutoff_start_day: 15\n    cutoff_end_day: 14\n", "")
    plan.write_text(plan.read_text(encoding="utf-8") + duties, encoding="utf-8")
    return directory


def edited_catalog(tmp_path: Path) -> Path:
    """The minimal catalog with wording, a date and a partner changed, and an item added."""
    copy = tmp_path / "catalog"
    shutil.copytree(MIN_CATALOG, copy)
    plan = copy / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("Phân loại, xác định và phê duyệt đề xuất cấp độ.", "Phân loại và phê duyệt cấp độ (sửa).")
    text = text.replace("trước ngày 15/11/2022", "trước ngày 30/11/2022")
    text = text.replace("lead: [vp-ubnd]\n", "lead: [vp-ubnd]\n    partners: [so-noi-vu]\n")
    text += """  - code: "99/KH-TEST:II.4"
    section: "II.4"
    title: "Nhiệm vụ mới"
    content: "Nhiệm vụ bổ sung."
    source: "Mục II.4"
    lead: [so-noi-vu]
    deadline: "Quý IV/2022"
"""
    plan.write_text(text, encoding="utf-8")
    return copy
