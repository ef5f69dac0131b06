"""Target figures ("Tỷ lệ … đạt 80%", "đạt từ 65 - 70%", "trên 50%") in an item's wording."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from dondoc.importer.cleaning import free_code

FIGURES_READ = "đọc từ các con số (%, số lượng) trong nội dung"
_NUMBER = r"(\d{1,3}(?:[.,]\d+)?)"
_FIGURE = re.compile(rf"(?:(?P<lo>{_NUMBER[1:-1]})\s*%?\s*[-–]\s*)?(?P<hi>{_NUMBER[1:-1]})\s*%")
# clauses end at "." and ";", at a line's end, and at the ":" that opens a list ("… sau đây: - Tỷ lệ …"): the
# intro of a list, or a lettered heading line, is no figure's name
_CLAUSE = re.compile(r"(?<=[;.])\s+(?=\S)|;\s*|\s*\n\s*|(?<=:)\s+[-+–•]\s+")
# between a figure's words and the next figure's: a comma, a colon, a semicolon, "và"
_SEPARATOR = re.compile(r"\s*[,:;]\s*|\s+và\s+", re.I)
# words after a figure that do not say what it counts ("đạt 10% trở lên", "đạt 80% trong năm 2022")
_NO_SUBJECT = re.compile(r"(?:trở lên|trở xuống|trong|vào|đến|trước|so với|năm|tháng|quý|kể từ)\b", re.I)


# a count of events or things ("tổ chức 02 hội thảo", "mở 3 - 5 lớp tập huấn"): the noun is the unit
_UNITS = (
    r"hội thảo|hội nghị|lớp(?: tập huấn| đào tạo| bồi dưỡng)?|khóa(?: đào tạo| tập huấn)?|đợt|cuộc|buổi|chuyên đề"
    r"|mô hình|sự kiện|diễn đàn|học viên|lượt|cơ sở dữ liệu|hệ thống|nền tảng|ứng dụng|dịch vụ|điểm|xã|phiên"
)
_COUNT = re.compile(
    rf"(?<![\d/.,%])(?:(?P<lo>\d{{1,4}})\s*[-–]\s*)?(?P<n>\d{{1,4}})\s+(?P<unit>{_UNITS})(?![\w/])", re.I
)
# only a count the item is to reach: right after a verb of doing ("tổ chức 02 hội thảo", "đào tạo ít nhất 200
# học viên"), not a figure that describes ("mô hình 4 lớp", "Riêng 25 dịch vụ công …")
_COUNT_VERB = re.compile(
    r"\b(?:tổ chức|mở|triển khai|xây dựng|thực hiện|đào tạo|tập huấn|bồi dưỡng|phát triển|hoàn thành|đạt|có"
    r"|ban hành|thí điểm|kiểm tra|đưa vào sử dụng)(?:\s+(?:được|thêm|mới))?(?:\s+(?:ít nhất|tối thiểu|từ|trên))?\s*$",
    re.I,
)


def find_counts(text: str, used: set[str] | None = None) -> list[dict[str, Any]]:
    """Count targets ("tổ chức 02 hội thảo về …"): unit the counted noun, marked for review by the caller."""
    used = used if used is not None else set()
    found = []
    for clause in _CLAUSE.split(text):
        for m in _COUNT.finditer(clause):
            if not _COUNT_VERB.search(clause[: m.start()]) or "%" in clause[m.end() : m.end() + 3]:
                continue
            unit = m.group("unit").casefold()
            what = re.split(r"[,;.(]", clause[m.end() :], maxsplit=1)[0].strip()
            what = re.split(r"\s+(?:trước|trong|chậm nhất|để|nhằm)\b", what, maxsplit=1)[0]
            name = f"Số {unit} {what}".strip()[:200]
            indicator: dict[str, Any] = {"code": _slug(name, used), "name": name, "unit": unit}
            if m.group("lo"):
                indicator["target_range"] = [float(m.group("lo")), float(m.group("n"))]
            else:
                indicator["target"] = float(m.group("n"))
            indicator["comparison"] = _comparison(clause[: m.start()])
            found.append(indicator)
    return found


def _slug(text: str, used: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w and w not in {"ty", "le", "cac", "va", "cua", "dat"}]
    code = free_code("-".join(words[:5]) or "chi-tieu", used)
    used.add(code)
    return code


def _comparison(before: str) -> str:
    tail = before[-25:].casefold()
    if re.search(r"\b(không quá|tối đa)\s*$", tail):
        return "<="
    if re.search(r"\b(ít nhất|tối thiểu)\s*$", tail):
        return ">="
    if re.search(r"\btrên:?\s*$", tail):
        return ">"
    return ">="


# a clause that names what it measures before the figure ("Tỷ lệ … đạt 80%")
_SUBJECT_FIRST = re.compile(r"\b(?:tỷ lệ|tỷ trọng)\b", re.I)


def _after(clause: str, matches: list[re.Match[str]], n: int) -> str:
    """The words after figure ``n`` up to the next figure, or to the clause's end."""
    end = matches[n + 1].start() if n + 1 < len(matches) else len(clause)
    return clause[matches[n].end() : end].strip()


def _own_words(clause: str, matches: list[re.Match[str]]) -> list[str]:
    """Each figure's own words where the clause puts what it counts after it ("tối thiểu 80% hồ sơ … tại
    các sở, …, 60% hồ sơ … tại cấp huyện và 30% hồ sơ … tại cấp xã …"): the words leading to the figure,
    the figure, and what follows it up to the next figure's lead (its brackets left out). The words
    between two figures are the first one's subject (and the second one's lead when no separator ends
    them: "70% hộ gia đình có cáp quang, phủ sóng … tới 100% thôn/bản"), never the second figure's name.
    "" for a figure followed by no subject ("đạt 10% trở lên", "đạt 100% (đối với …)", "đạt 50%.")."""
    own = []
    lead = _last_part(clause[: matches[0].start()].rstrip(" ,:;"))
    for n, m in enumerate(matches):
        after = _after(clause, matches, n)
        if n + 1 < len(matches):
            if re.search(r"(?:[,:;]|\bvà)$", after):  # "…, 60%", "… và 30%": no lead of the next one's own
                subject, following = re.sub(r"(?:\s*[,:;]|\s+và)$", "", after), ""
            else:
                subject, following = _split_last(after)
        else:
            subject, following = after, ""
        subject = re.sub(r"\s*\([^()]*\)", "", subject).strip(" ,:;.")  # "(không bao gồm nội dung mật)"
        if after[:1].isalpha() and subject and not _NO_SUBJECT.match(subject):
            own.append(re.sub(r"\s+", " ", f"{lead} {m.group(0)} {subject}").strip(" ,:;."))
        else:
            own.append("")
        lead = following
    return own


def _split_last(words: str) -> tuple[str, str]:
    """``words`` cut at their last separator: (before it, after it); (words, "") when there is none."""
    found = list(_SEPARATOR.finditer(words))
    if not found:
        return words, ""
    return words[: found[-1].start()], words[found[-1].end() :].strip()


def _last_part(words: str) -> str:
    return _split_last(words)[1] if _SEPARATOR.search(words) else words.strip()


def find_targets(text: str) -> list[dict[str, Any]]:
    """One indicator per clause that states a percentage; further figures in that clause are by group."""
    indicators: list[dict[str, Any]] = []
    used: set[str] = set()
    for clause in _CLAUSE.split(text):
        clause = clause.strip(" +-–")
        matches = list(_FIGURE.finditer(clause))
        if not matches:
            continue
        first = matches[0]
        name = clause[: first.start()].strip(" :,")
        name = re.sub(
            r"\s*(phải\s+)?(đạt|đạt tỷ lệ|tối thiểu|trên|từ|phấn đấu|phần đầu)(\s+(tối thiểu|trên|từ))*:?$",
            "",
            name,
            flags=re.I,
        ).strip(" :,")
        own = _own_words(clause, matches)
        # the first figure keeps the words before it where they name what it measures ("Tỷ lệ … đạt 80%",
        # "Hồ sơ … phải đạt tỷ lệ tối thiểu 30% đối với …, 20% đối với …")
        before_names = _SUBJECT_FIRST.search(clause[: first.start()]) or _after(
            clause, matches, 0
        ).casefold().startswith("đối với")
        if own[0] and (len(name) < 8 or not before_names):
            name = own[0]
        elif len(name) < 8:
            name = clause.strip(" .")
        indicator: dict[str, Any] = {"code": _slug(name, used), "name": name[:200], "unit": "%"}
        hi = float(first.group("hi").replace(",", "."))
        if first.group("lo"):
            indicator["target_range"] = [float(first.group("lo").replace(",", ".")), hi]
        else:
            indicator["target"] = hi
        indicator["comparison"] = _comparison(clause[: first.start()])
        extra = []
        for n, (previous, m) in enumerate(zip(matches, matches[1:], strict=False), start=1):
            value = float(m.group("hi").replace(",", "."))
            between = clause[previous.end() : m.start()]
            after = clause[m.end() : m.end() + 12]
            grouped = (after.strip().startswith("đối với") or re.search(r"\bcủa\b", between)) and value != hi
            if grouped:
                extra.append(value)
            else:
                indicators.append(indicator)
                name = own[n] or between.strip(" ,:;") or name
                indicator = {"code": _slug(name, used), "name": name[:200], "unit": "%", "target": value}
                indicator["comparison"] = _comparison(clause[: m.start()])
                if m.group("lo"):
                    del indicator["target"]
                    indicator["target_range"] = [float(m.group("lo").replace(",", ".")), value]
        if extra:
            indicator["notes"] = "Các mức khác trong cùng câu (theo nhóm cơ quan, cần xác định): " + ", ".join(
                f"{v:g}%" for v in extra
            )
        indicators.append(indicator)
    return indicators + find_counts(text, used)
