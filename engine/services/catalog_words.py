"""What a catalog load tells the secretariat of each change it made (SyncReport's lines), in Vietnamese.

Each row is named as the secretariat knows it: a plan by its number, an item by its code, a milestone
by its item and its number ("mốc 2"), a body by its short name and code, an assignment by its number.
A changed field is named by its Vietnamese words, through FIELDS_VI: one mapping for every table the
load writes (the same column is not the same thing everywhere: a plan's ``title`` is its "trích yếu").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dondoc.engine.models.assignments import ROLE_LABELS_VI, STATE_LABELS_VI, Role, State
from dondoc.engine.vi_format import vn_count

# What a load writes, by table (SyncReport's counts), as the secretariat reads it: in the order the
# catalog reads, its bodies first, then its plans and their work.
ROWS_VI: dict[str, str] = {
    "agency": "cơ quan",
    "agency_group": "nhóm cơ quan",
    "agency_group_member": "thành viên nhóm",
    "committee_member": "thành viên Ban Chỉ đạo",
    "succession": "lần tổ chức lại",
    "plan": "văn bản",
    "plan_item": "nhiệm vụ",
    "milestone": "mốc",
    "assignment": "phần việc",
    "indicator": "chỉ tiêu",
    "indicator_target": "chỉ tiêu giao",
    "same_work_link": "liên kết cùng nội dung",
}
NOTHING_CHANGED = "không có thay đổi"

# table -> field -> its words. A field whose value is a mapping may name its keys ("field.key"):
# the changed keys are said, not the field (an item's roles as written: "cơ quan chủ trì").
FIELDS_VI: dict[str, dict[str, str]] = {
    "agency": {
        "name": "tên",
        "short": "tên viết tắt",
        "kind": "loại cơ quan",
        "aliases": "tên gọi khác",
        "email": "địa chỉ thư điện tử",
        "valid_from": "ngày bắt đầu hoạt động",
        "valid_to": "ngày thôi hoạt động",
        "province": "tỉnh",
    },
    "agency_group": {"name": "tên", "aliases": "tên gọi khác", "members": "thành viên"},
    "committee_member": {"roster": "thành phần"},
    "succession": {
        "kind": "hình thức tổ chức lại",
        "effective_on": "ngày hiệu lực",
        "from_codes": "cơ quan cũ",
        "successors": "cơ quan kế nhiệm",
        "source": "căn cứ pháp lý",
        "confirmed": "việc xác minh căn cứ",
    },
    "plan": {
        "kind": "loại văn bản",
        "issued": "ngày ban hành",
        "issued_as_written": "ngày ban hành như văn bản ghi",
        "issuer": "cơ quan ban hành",
        "title": "trích yếu",
        "source_file": "tệp văn bản",
        "year": "năm kế hoạch",
        "notes": "ghi chú",
        "province": "tỉnh",
    },
    "plan_item": {
        "plan_id": "văn bản",
        "kind": "loại nhiệm vụ",
        "section": "mục",
        "title": "tên",
        "content": "nội dung",
        "source": "vị trí trong văn bản",
        "roles_as_written": "cơ quan thực hiện như văn bản ghi",
        "roles_as_written.lead": "cơ quan chủ trì như văn bản ghi",
        "roles_as_written.lead_heading": "tiêu đề của cơ quan chủ trì",
        "roles_as_written.implementers": "cơ quan thực hiện như văn bản ghi",
        "roles_as_written.partners": "cơ quan phối hợp như văn bản ghi",
        "priority": "nhiệm vụ trọng tâm",
        "done_at_issue": "đã hoàn thành khi ban hành",
        "notes": "ghi chú",
        "unnamed": "cơ quan chưa xác định",
    },
    "milestone": {
        "label": "tên mốc",
        "phrase": "thời hạn như văn bản ghi",
        "kind": "loại thời hạn",
        "start_date": "ngày bắt đầu",
        "due_date": "thời hạn",
        "recurrence": "chu kỳ",
        "condition": "điều kiện",
        "period_code": "kỳ báo cáo",
        "cutoff_start": "ngày bắt đầu lấy số liệu",
        "cutoff_end": "ngày chốt số liệu",
        "priority": "nhiệm vụ trọng tâm",
        "due_by_convention": "thời hạn do Tổ giúp việc quy ước",
    },
    "indicator": {
        "name": "tên",
        "unit": "đơn vị tính",
        "comparison": "cách so sánh với chỉ tiêu",
        "target": "chỉ tiêu",
        "target_min": "mức thấp nhất",
        "target_max": "mức cao nhất",
        "milestone_seq": "mốc phải đạt",
        "same_as": "chỉ tiêu trùng ở văn bản khác",
        "same_measure_as": "cùng số đo ở văn bản khác",
    },
}


def field_words(table: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The words of the fields of a ``table`` row that changed from ``old`` to ``new`` (``old`` holds
    the changed fields only); a mapping field with words for its keys says the keys that changed."""
    words = FIELDS_VI[table]
    said: list[str] = []
    for name, before in old.items():
        after = new.get(name)
        keys = [f"{name}.{k}" for k in _changed_keys(before, after)]
        if keys and all(k in words for k in keys):
            said += [words[k] for k in keys]
        else:
            said.append(words.get(name, name))
    return list(dict.fromkeys(said))


def _changed_keys(before: Any, after: Any) -> list[str]:
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return []
    return sorted(k for k in {*before, *after} if before.get(k) != after.get(k))


def load_counts(created: Mapping[str, int], updated: Mapping[str, int]) -> str:
    """What a load wrote, as ``dondoc catalog load`` and the import page say it after "Đã nạp danh
    mục: ": ``thêm 2 nhiệm vụ, 1.204 phần việc; cập nhật 1 mốc``, each half said only when it counts
    something ("thêm không" read as a word of its own), or :data:`NOTHING_CHANGED`."""
    halves = [
        f"{verb} {_tally(counts)}"
        for verb, counts in (("thêm", created), ("cập nhật", updated))
        if any(counts.values())
    ]
    return "; ".join(halves) or NOTHING_CHANGED


def _tally(counts: Mapping[str, int]) -> str:
    order = {table: n for n, table in enumerate(ROWS_VI)}  # a table without words (none yet) comes last
    tables = sorted((t for t, n in counts.items() if n), key=lambda t: (order.get(t, len(order)), t))
    return ", ".join(f"{vn_count(counts[t])} {ROWS_VI.get(t, t)}" for t in tables)


def changed(row: str, fields: Iterable[str]) -> str:
    """A row whose ``fields`` (their words) the load changed."""
    return f"{row}: đã thay đổi {', '.join(fields)}"


def agency_row(short: str, code: str) -> str:
    return f"Cơ quan {body(short, code)}"


def body(short: str, code: str) -> str:
    """A body as the CLI shows it: its short name and its code."""
    return f"{short} [{code}]"


def group_row(name: str, code: str) -> str:
    return f"Nhóm {name} [{code}]"


COMMITTEE_ROW = "Ban Chỉ đạo"


def succession_row(key: str) -> str:
    return f"Lần tổ chức lại {key}"


def plan_row(number: str) -> str:
    return f"Văn bản {number}"


def reordered(number: str, moved: int) -> str:
    """A plan ``moved`` of whose items the load put in another order among themselves (by their places
    in the text: tasks_catalog.places), nothing of them changed."""
    return f"{plan_row(number)}: xếp lại {moved} nhiệm vụ theo thứ tự trong văn bản (nội dung không đổi)"


def item_row(code: str) -> str:
    return f"Nhiệm vụ {code}"


def milestone_row(code: str, seq: int) -> str:
    return f"Nhiệm vụ {code}, mốc {seq}"


def indicator_row(item_code: str, code: str) -> str:
    return f"Chỉ tiêu {code} của nhiệm vụ {item_code}"


def assignment_row(assignment_id: int, code: str, seq: int, who: str) -> str:
    """An assignment by its number, with its item, milestone and body (``body``)."""
    return f"Phần việc {assignment_id} (nhiệm vụ {code}, mốc {seq}, {who})"


def no_longer_named(assignment: str) -> str:
    """An assignment (``assignment_row``) whose body the catalog no longer names on its milestone."""
    return f"{assignment}: danh mục không còn giao cho cơ quan này; phần việc được giữ nguyên"


def role_taken(assignment: str, role: str, other: int, kept: str) -> str:
    """The catalog names the body of ``assignment`` in ``role``, which its assignment ``other`` holds."""
    return (
        f"{assignment}: danh mục giao cơ quan này vai trò {_role(role)}, nhưng cơ quan đã giữ vai trò đó ở "
        f"phần việc {other}; phần việc này giữ nguyên vai trò {_role(kept)}"
    )


def same_work(assignment: str, codes: Iterable[str], state: State) -> str:
    """An assignment moved to ``state`` as the body's same work stands under ``codes``."""
    return f'{assignment}: cùng nội dung với {", ".join(codes)}, chuyển sang "{STATE_LABELS_VI[state]}"'


def done_by_issue(assignment: str, number: str, day: str) -> str:
    """An assignment recorded done on the issue day of the plan ``number`` that is its work."""
    return f"{assignment}: là việc ban hành văn bản {number}, ghi nhận hoàn thành ngày {day}"


def done_window(assignment: str) -> str:
    """An assignment done on a day no text gives that takes its window at last (Assignment.done_from)."""
    return f"{assignment}: văn bản ghi hoàn thành trong một khoảng thời gian, không ghi ngày: ghi nhận khoảng đó"


def _role(role: str) -> str:
    return ROLE_LABELS_VI[Role(role)].lower()
