"""The work a reporting sentence also gives, joined before its report ("Công an tỉnh chủ trì, phối hợp với
Sở TT&TT triển khai Đề án 06, báo cáo hằng quý …"): a task besides the duty, drafted beside its
``reporting:`` entry.

The words before the report are read clause by clause (at commas and "và"), each by the verb it opens
with once its subject, its roles ("chủ trì", "phối hợp với X") and its period ("định kỳ hằng quý") are set
aside: a verb of work (``_WORK``) gives a task; the gathering a report needs ("theo dõi, tổng hợp, báo
cáo") or a reporting regime ("thực hiện chế độ báo cáo") opening the words gives none; any other verb
opening them ("hướng dẫn", "tham mưu", "chỉ đạo", …) is known neither way: the item is kept and listed for
the secretariat rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.prose import agency_prefix
from dondoc.importer.reporting import EVERY, REPORT, WHEN
from dondoc.tasks_catalog.names import spelled

# verbs of work, as a clause opens with them (not "kết quả triển khai", "việc thực hiện": what a report is about)
_WORK = re.compile(
    r"^(?:triển khai|xây dựng|hoàn thiện|hoàn thành|nâng cấp|ban hành|tổ chức|rà soát|cập nhật|số h(?:óa|oá)|vận hành"
    r"|đẩy mạnh|kiểm tra|thực hiện|kết nối|tích hợp|liên thông|chia sẻ|phát triển|nâng cao|mở rộng|thiết lập"
    r"|ứng dụng|tăng cường|chuẩn h(?:óa|oá)|đồng bộ|tái cấu trúc|đầu tư|bố trí|thành lập|kiện toàn|nghiên cứu"
    r"|đào tạo|bồi dưỡng|tập huấn|tuyên truyền|phổ biến|thí điểm|thúc đẩy|áp dụng|cài đặt|lắp đặt|trang bị"
    r"|mua sắm|sửa đổi|khảo sát|ký kết|phê duyệt|huy động|cắt giảm|chuyển đổi|xử lý|giải quyết|cải cách|hỗ trợ)\b",
    re.I,
)
# the gathering a report needs, and a reporting regime: the report's own work
_GATHER = re.compile(
    r"^(?:theo dõi|tổng hợp|đôn đốc|đơn đốc|giám sát|thống kê|sơ kết|tổng kết"
    r"|(?:đánh giá|kiểm tra)(?=\s*$|\s+(?:tình hình|kết quả|việc|công tác)\b)"  # not "kiểm tra an toàn thông tin"
    r"|thực hiện\s+(?:(?:tốt|nghiêm|đúng)\s+)?(?:chế độ|việc báo cáo|báo cáo))\b",
    re.I,
)
# what opens a clause before its verb: a body (masked "~"), a role, a manner, a period
_ASIDE = re.compile(
    rf"^(?:(?:~(?:\s+tỉnh\b)?|chủ trì|phối hợp(?:\s+chặt chẽ)?\s+với\s+~|định kỳ|thường xuyên|chủ động|kịp thời"
    rf"|trực tiếp|tiếp tục|khẩn trương|(?:có|chịu) trách nhiệm|{EVERY})\s*)+",
    re.I,
)
# "chỉ đạo UBND cấp xã tuyên truyền", "hướng dẫn các cơ sở y tế cập nhật": the work directed is work given
_DIRECTS = re.compile(r"^(?:chỉ đạo|hướng dẫn)\s+~\s+", re.I)
_JOINED = re.compile(rf"(?:,|\bvà)\s*{WHEN}\s*$", re.I)  # "…, (định kỳ hằng quý) báo cáo …"


@dataclass(frozen=True)
class JoinedWork:
    """The words a report is joined to, and whether they are known as work (else known neither way)."""

    words: str
    known: bool


def task_clause(sentence: str, agencies: AgencyDirectory) -> JoinedWork | None:
    """The words joined before the report of ``sentence`` when they may give work, or None when the sentence
    is the report alone ("Sở Nội vụ tổng hợp, báo cáo …", "… định kỳ hằng quý báo cáo …")."""
    report = REPORT.search(sentence)
    if report is None:
        return None
    head = re.sub(r"^\s*(?:[a-zđ]|\d{1,2})[).]\s+", "", sentence[: report.start()])  # "b) …"
    plain = re.sub(r"\([^)]*\)", " ", head)  # "(cơ quan thường trực … triển khai …)" names
    joined = _JOINED.search(plain)
    if joined is None:
        return None
    verbs = [_verb(clause) for clause in _clauses(plain[: joined.start()], agencies)]
    verbs = [v for v in verbs if v]
    if "work" in verbs:
        known = True
    elif verbs and verbs[0] == "other":
        known = False
    else:
        return None
    words = " ".join(_JOINED.sub("", head).split())
    return JoinedWork(words, known)


def _clauses(text: str, agencies: AgencyDirectory) -> list[str]:
    """``text`` with each body named in it masked ("~"), cut at commas and "và"."""
    text = spelled(text)
    for _, match in reversed(list(agencies.index.bodies_in(text))):  # "Sở Kế hoạch và Đầu tư": no verb, no "và"
        text = f"{text[: match.start()]}~{text[match.end() :]}"
    # bodies as a subject, a partner or those directed are written in lower case or name nobody ("các sở,
    # ngành", "các cơ quan liên quan")
    after = re.finditer(r"\b(?:với|chỉ đạo|hướng dẫn)\s+", text, re.I)
    for at in sorted([0, *(m.end() for m in after)], reverse=True):
        if found := agency_prefix(text[at:], agencies):
            text = f"{text[:at]}~ {found[1]}"
    return [c.strip() for c in re.split(r"[,;]|\bvà\b", text)]


def _verb(clause: str) -> str:
    """ "work", "gather", "other", or "" for a clause of subject, roles and periods only."""
    rest = _ASIDE.sub("", clause).strip()
    if not rest or rest == "~":
        return ""
    if _GATHER.match(rest):
        return "gather"
    directed = _DIRECTS.match(rest)
    return "work" if _WORK.match(rest[directed.end() :] if directed else rest) else "other"
