"""Items in the prose: labelled fields ("Cơ quan chủ trì: …") and assignment sentences
("X chủ trì, phối hợp với Y …", "Giao X …", an agency heading over lettered tasks)."""

from __future__ import annotations

import re
from typing import Any

from dondoc.engine.deadlines import find_deadlines
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.cleaning import free_code, shortened
from dondoc.importer.fields import (
    content_deadline,
    flags,
    prose_deadline,
    set_deadline,
    set_described,
    set_role,
)
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Proposal, Trace
from dondoc.importer.sections import LABEL, Line, Node
from dondoc.importer.target_dates import bind_targets
from dondoc.importer.targets import FIGURES_READ, find_targets
from dondoc.tasks_catalog.names import OFFICIAL_START as _AGENCY_START
from dondoc.tasks_catalog.names import name_key

_ROLE_OF_LABEL = [
    (re.compile(r"phối hợp", re.I), "partner"),
    (re.compile(r"thực hiện|thành phần", re.I), "implementer"),
    (re.compile(r"chủ trì|tham mưu", re.I), "lead"),
]
_NOT_TASKS = re.compile(r"^(mục đích|đánh giá chung|kinh phí|quan điểm|mục tiêu tổng quát)", re.I)
_DATEISH = re.compile(r"\d{1,2}/\d{1,2}|\btháng\s+\d|\bquý\s+[IVX\d]|\bnăm\s+\d{4}", re.I)  # a date, of any form
_GOALS = re.compile(r"^(\d+\.\s*)?(mục tiêu|quan điểm|yêu cầu)\b", re.I)  # no task missed in a goal's words
_ORGANISATION = re.compile(r"tổ chức thực hiện", re.I)
_CHU_TRI = re.compile(r"\bchủ trì\b,?\s*(?:và\s+)?(?:phối hợp(?:\s+với)?\s+(?P<partners>.+))?", re.I)
_GIAO = re.compile(r"^giao\s+(?P<rest>.+)", re.I)
_PHOI_HOP = re.compile(r"^(?:chủ trì,?\s*(?:và\s+)?)?phối hợp(?:\s+với)?\s+(?P<rest>.+)", re.I)


def _label(line: Line) -> tuple[str, str] | None:
    m = LABEL.match(line.text)
    return (m.group("label").casefold(), m.group("value")) if m else None


def _role(label: str) -> str | None:
    for pattern, role in _ROLE_OF_LABEL:
        if pattern.search(label):
            return role
    return None


def agency_prefix(text: str, agencies: AgencyDirectory) -> tuple[str, str] | None:
    """The longest start of ``text`` that names agencies only, and the rest."""
    if not _AGENCY_START.match(text):
        return None
    words = text.split()
    best = None
    for n in range(1, min(len(words), 40) + 1):
        head = " ".join(words[:n]).rstrip(",;:")
        if words[n - 1] == "trên" and words[n : n + 1] == ["địa"]:
            continue  # "các đơn vị trên địa bàn": a place, not "the units above"
        found = agencies.resolve(head)
        if (
            (found.codes or found.unnamed)
            and not found.unknown
            and (_ends_on_name(head, agencies) or _ends_unnamed(head, found.unnamed))
        ):
            best = (head, " ".join(words[n:]))
    return best


def _subject(sentence: str, agencies: AgencyDirectory, node: Node) -> tuple[str, str] | None:
    """The bodies a sentence opens with, its subject: named bodies, or "those concerned" ("Các cơ quan,
    đơn vị liên quan chủ động …": a task for the secretariat to name); not a bare "Các cơ quan, đơn
    vị (nêu trên) …", which points back at tasks already given, nor those concerned in the plan's
    closing part ("Tổ chức thực hiện": "… chủ động bố trí kinh phí thực hiện Kế hoạch"), its boilerplate."""
    found = agency_prefix(sentence, agencies)
    if found is None or agencies.resolve(found[0]).codes:
        return found
    return found if "liên quan" in found[0].casefold() and not _boilerplate(node) else None


def _boilerplate(node: Node) -> bool:
    """A section of the plan's closing part ("Tổ chức thực hiện") that gives no date: its general
    instructions to those concerned ("… chủ động bố trí kinh phí thực hiện Kế hoạch", "… thực hiện chế
    độ thông tin, báo cáo"), neither a task nor a missed one. A dated sentence there is a task."""
    closing = any(_ORGANISATION.search(n.title) for n in [node, *node.ancestors()])
    return closing and not _DATEISH.search(_text(node))


def _ends_unnamed(head: str, unnamed: list[str]) -> bool:
    """``head`` ends on a phrase that names nobody ("… và các sở, ngành liên quan"): the names stop
    there, and the phrase is kept (cut before it, "các sở, ngành" would read as every department).
    Not a phrase that runs over a role ("… sau đây có trách nhiệm chủ trì, phối hợp với các cơ quan,
    đơn vị liên quan": the bodies named after it are the leads)."""
    return bool(unnamed) and head.casefold().endswith(unnamed[-1].casefold()) and not _ROLE_WORDS.search(unnamed[-1])


_ROLE_WORDS = re.compile(r"chủ trì|phối hợp|trách nhiệm|sau đây", re.I)


def _ends_on_name(head: str, agencies: AgencyDirectory) -> bool:
    key = name_key(head)
    if agencies.addressees and re.search(r"\b(?:nêu|kể|ở)?\s*trên$", key):
        return True  # "… nêu trên": the "Kính gửi" list
    # a bare name written in lower case is a word, not a body: "… Báo Quảng Ngãi xây dựng các chuyên trang"
    # ends on Báo Quảng Ngãi, not on "Xây dựng" (Sở Xây dựng's bare name)
    written = {name_key(bare) for bare in agencies.bare if head.endswith(bare[0].lower() + bare[1:])}
    return any(key.endswith(name) for name in agencies.names if len(name) > 2 and name not in written)


# words that ask someone to act: a section with them and no body read is a task the reader missed
# ("giao thông", "Sở Xây dựng", "Tổ chức thực hiện" ask nothing)
_ASKS = re.compile(
    r"\b(chủ trì|phối hợp|triển khai|hoàn thành|chịu trách nhiệm|giao(?!\s+(thông|dịch|diện|lưu))"
    r"|(?<!sở )xây dựng|(?<!tổ chức )thực hiện)\b",
    re.I,
)


# what a body is or who serves it, not work given to it (61/KH-UBND VI.1)
_DESCRIBES = re.compile(
    r"\blà (?:hai )?(?:cơ quan|đơn vị|đầu mối|hạt nhân|thành viên|thường trực)\b|\bđóng vai trò\b"
    r"|\bcó (?:tổ|ban|bộ phận)\b[^.;]*\bgiúp việc\b|\btrực tiếp chỉ đạo(?:, điều hành)? (?:chung|công tác)\b",
    re.I,
)
_GIVES_WORK = re.compile(
    r"\b(?:chủ trì|phối hợp|hoàn thành|chịu trách nhiệm|có trách nhiệm|báo cáo|tham mưu|theo dõi|đôn đốc|đơn đốc"
    r"|kiểm tra|tổng hợp|hướng dẫn|giao(?!\s+(?:thông|dịch|diện|lưu)))\b",
    re.I,
)


def _text(node: Node) -> str:
    return " ".join([node.title, *(x.text for x in node.body)])


class ProseReader:
    def __init__(self, agencies: AgencyDirectory, year: int) -> None:
        self.agencies = agencies
        self.year = year
        # sections of the tasks' part whose text gave no task: said, for the secretariat to look at
        self.unread: list[str] = []
        # those said even where a table holds the plan's tasks and the prose only narrates them: a section
        # that gives a deadline ("…; thời gian thực hiện: thường xuyên"), a task the reader missed; one
        # read as describing roles only (61/KH-UBND VI.1), no task by the reader's judgment, not the text's
        self.always_unread: list[str] = []

    def items(self, root: Node) -> list[Proposal]:
        nodes = [n for n in root.walk() if n.level > 0]
        labelled = any(_label(line) and _role(_label(line)[0]) for n in nodes for line in n.body)  # type: ignore[index]
        out: list[Proposal] = []
        for node in nodes:
            if node.children or self._excluded(node, labelled):
                continue
            if described := self._describes_only(node):
                said = (
                    f"Mục {node.path}: chỉ mô tả vai trò, tổ chức (“{shortened(described, 80)}”), không giao việc "
                    f"cho cơ quan nào; không lập nhiệm vụ — Tổ giúp việc xem lại nếu mục có giao việc ({node.ref})."
                )
                self.unread.append(said)
                self.always_unread.append(said)
                continue
            if any((lab := _label(line)) and _role(lab[0]) for line in node.body):
                made = self._labelled(node)
            else:
                item = self._sentence(node)
                made = [item] if item is not None else []
            for item in made:
                _headed_priority(item, node)
            out += made
            if not made and not any((lab := _label(line)) and _role(lab[0]) for line in node.body):
                if not (
                    _NOT_TASKS.search(node.title) or _GOALS.search(node.title) or _boilerplate(node)
                ) and _ASKS.search(_text(node)):
                    said = (
                        f"Mục {node.path}: có câu giao việc nhưng không đọc được cơ quan được giao ({node.ref}); "
                        "không lập nhiệm vụ."
                    )
                    self.unread.append(said)
                    if find_deadlines(_text(node), default_year=self.year):
                        self.always_unread.append(said)
        return out

    def _describes_only(self, node: Node) -> str | None:
        """The first sentence of a section whose every sentence says what a body is or who serves it ("Ban
        Chỉ đạo … trực tiếp chỉ đạo công tác …", "Trưởng Ban Chỉ đạo có Tổ công tác giúp việc, đóng vai trò
        là …", "Sở Thông tin và Truyền thông là cơ quan thường trực …", 61/KH-UBND VI.1) and none gives
        work, a date or a report: no task, as the catalog reads it. It had been drafted as a task led by
        the committee. None for any other section (a heading naming the bodies is no sentence)."""
        title = node.title.rstrip(":. ")
        found = self.agencies.resolve(title)
        heading = bool(node.body) and bool(found.codes) and not found.unknown and not found.unnamed
        lines = [x.text for x in node.body if not _label(x)] if heading else [node.title, *(x.text for x in node.body)]
        if len(lines) != len(node.body) + (0 if heading else 1):
            return None
        sentences = [x.strip() for x in re.split(r"(?<=[.;])\s+", " ".join(lines)) if x.strip()]
        if not sentences or _DATEISH.search(" ".join(sentences)):
            return None
        if all(_DESCRIBES.search(x) and not _GIVES_WORK.search(x) for x in sentences):
            return sentences[0]
        return None

    def _excluded(self, node: Node, labelled: bool) -> bool:
        chain = [node, *node.ancestors()]
        if any(_NOT_TASKS.search(n.title) and n.level <= 2 and not find_targets(n.title) for n in chain[1:]):
            return True
        if labelled and any(_ORGANISATION.search(n.title) for n in chain):
            return True
        return False

    # -- "Cơ quan chủ trì: …" ---------------------------------------------------------------------
    def _labelled(self, node: Node) -> list[Proposal]:
        segments: list[tuple[Line | None, list[Line]]] = [(None, [])]
        for line in node.body:
            if line.bullet == "-" and not _label(line) and any(_label(x) for x in node.body if x.bullet == "+"):
                segments.append((line, []))
            else:
                segments[-1][1].append(line)
        with_roles = [s for s in segments[1:] if any((lab := _label(x)) and _role(lab[0]) for x in s[1])]
        if len(with_roles) >= 2:
            return [
                self._fill(f"{node.path}.{i}", head.text, head.ref, [head, *lines], title_is_content=True)
                for i, (head, lines) in enumerate(segments[1:], start=1)
                if head is not None
            ]
        return [self._fill(node.path, node.title, node.ref, node.body)]

    def _fill(self, section: str, title: str, ref: str, lines: list[Line], title_is_content: bool = False) -> Proposal:
        item = Proposal(section=section, title=title.rstrip(". :"), content="", ref=ref)
        item.mark("title", ref, CERTAIN)
        # the heading is the task's words unless a "Nội dung:" line gives them (04/KH-BCĐ II.8: heading,
        # "- Mục tiêu: …", roles, date)
        worded = any((lab := _label(line)) and lab[0].startswith("nội dung") for line in lines)
        content: list[str] = [title] if title_is_content or not worded else []
        content_ref = ref
        for line in lines:
            labelled = _label(line)
            if labelled is None:
                if line is not lines[0] or not title_is_content:
                    content.append(f"+ {line.text}" if line.bullet == "+" else line.text)
                continue
            label, value = labelled
            role = _role(label)
            if role:
                set_role(item, role, value, line.ref, self.agencies)
            elif label.startswith(("thời hạn", "thời gian")):
                set_deadline(item, value, line.ref, self.year)
            elif label.startswith("nội dung"):
                content_ref = line.ref
                if value:
                    content.append(value)
            else:  # "Mục tiêu: …": the task's own words, kept as written (they had been dropped)
                content.append(line.text)
        item.content = "\n".join(c for c in content if c).strip() or item.title
        item.mark("content", content_ref, CERTAIN)
        if "deadline" not in item.trace:  # no "Thời hạn" line: a date the content gives (guessed, as milestones)
            content_deadline(item, item.content, content_ref, self.year)
            self._milestone_levels(item)
        if not item.lead and len(item.implementers) == 1 and not item.implementers[0].startswith("@"):
            item.lead = list(item.implementers)
            item.mark("lead", item.trace["implementers"].ref, GUESSED, "chỉ có một cơ quan thực hiện: coi là chủ trì")
        self._finish(item, ref)
        return item

    def _finish(self, item: Proposal, ref: str) -> None:
        for name in ("lead", "deadline"):
            if name not in item.trace:
                item.mark(name, ref, NOT_FOUND)
        item.indicators = find_targets(item.content)
        if item.indicators:
            item.mark("indicators", item.trace["content"].ref, GUESSED, FIGURES_READ)
        flags(item, item.content + " " + (item.deadline or ""), ref)

    # -- "X chủ trì, phối hợp với Y …" ----------------------------------------------------------
    def _sentence(self, node: Node) -> Proposal | None:
        text = " ".join([node.title] + [(f"- {x.text}" if x.bullet else x.text) for x in node.body]).strip()
        item = Proposal(section=node.path, title=_short(node.title), content=text, ref=node.ref)
        cut = ", rút gọn: Tổ giúp việc đặt tên ngắn" if item.title.endswith("…") else ""
        item.mark("title", node.ref, GUESSED, "câu đầu của mục" + cut)
        item.mark("content", node.ref, CERTAIN)
        heading = self._heading_agencies(node)
        sentence = node.title
        own = self.agencies.resolve(node.title.rstrip(":. "))
        if node.body and own.codes and not own.unknown and not own.unnamed:
            heading, sentence = (node.title.rstrip(":. "), node.ref), node.body[0].text
        if m := _GIAO.match(sentence):
            sentence = m.group("rest")
        if m := _PHOI_HOP.match(sentence):
            if heading:
                unsure = not re.match(r"chủ trì", sentence, re.I)
                set_role(item, "lead", heading[0], heading[1], self.agencies, GUESSED if unsure else "")
                if unsure:
                    _unsure_lead(item, heading[0], sentence)
            found = agency_prefix(m.group("rest"), self.agencies)
            if found:
                set_role(item, "partner", found[0], node.ref, self.agencies)
            else:
                set_described(item, "partner", m.group("rest"), node.ref)
        elif found := _subject(sentence, self.agencies, node):
            head, rest = found
            if "sau đây" in rest[:40]:
                self._listed_leads(item, node)
            elif re.match(r"(căn cứ|có trách nhiệm (?!chủ trì))", rest, re.I) or (
                self._collective(head) and not _CHU_TRI.match(rest)
            ):  # a collective subject without "chủ trì" carries the task out (the catalog's rule)
                set_role(item, "implementer", head, node.ref, self.agencies, GUESSED)
            else:
                set_role(item, "lead", head, node.ref, self.agencies, GUESSED if not _CHU_TRI.match(rest) else "")
            if (m := _CHU_TRI.match(rest)) and m.group("partners"):
                partners = agency_prefix(m.group("partners"), self.agencies)
                if partners:
                    set_role(item, "partner", partners[0], node.ref, self.agencies)
                else:
                    set_described(item, "partner", m.group("partners"), node.ref)
            elif m := re.match(r"phối hợp(?:\s+với)?\s+(?P<partners>.+)", rest, re.I):
                if partners := agency_prefix(m.group("partners"), self.agencies):  # "X phối hợp với Y …"
                    set_role(item, "partner", partners[0], node.ref, self.agencies, GUESSED)
                    self._guided(item, re.sub(r"^\S+\s+", "", partners[1]), node.ref)
                else:
                    set_described(item, "partner", m.group("partners"), node.ref)
            elif re.match(r"(có trách nhiệm )?chủ trì,", rest) is None:
                self._guided(item, rest, node.ref)
        elif heading:
            # a heading naming a collective of bodies ("UBND các huyện, thị xã, thành phố:") carries the
            # tasks out; one naming their heads ("Thủ trưởng các sở, …") makes them answer as leads (61 VI.7)
            heads = node.parent is not None and re.match(r"(thủ trưởng|chủ tịch)\b", node.parent.title, re.I)
            if self._collective(heading[0]):
                role = "lead" if heads else "implementer"
                set_role(item, role, heading[0], heading[1], self.agencies, GUESSED)
            else:
                set_role(item, "lead", heading[0], heading[1], self.agencies)
            self._guided(item, sentence, node.ref)
        elif collective := self._collective_heading(node):
            set_role(item, "implementer", collective[0], collective[1], self.agencies, GUESSED)
        if not item.lead:
            self._compiler(item, text, node.ref)
        elif later := _LATER_PARTNERING.search(text):  # "Chủ trì, … ; Phối hợp với Sở X triển khai …" (61 VI.4.a)
            trace = item.trace["lead"]
            said = (
                f"câu sau “{shortened(later.group('clause'), 80)}” không nêu cơ quan chủ trì: cơ quan của mục có thể"
                " chỉ phối hợp ở việc đó, Tổ giúp việc xem có tách nhiệm vụ"
            )
            item.mark("lead", trace.ref, GUESSED, "; ".join(n for n in (trace.note, said) if n))
        item.indicators = find_targets(text)
        listed = self._listed_targets(node) if "lead" in item.roles_as_written else None
        if listed:
            item.indicators = listed
        if not (item.lead or item.implementers or item.partners or item.indicators or item.unnamed):
            return None  # a phrase naming nobody ("Các cơ quan liên quan chủ động …") is a task all the same
        period = node.title.rstrip(": ")
        if not node.body or len(period) > 40:
            period = ""
        elif _is_deadline(period, self.year):
            set_deadline(item, period, node.ref, self.year, GUESSED)
        if item.indicators:
            item.mark("indicators", node.ref, GUESSED, FIGURES_READ + (_PER_BODY if listed else ""))
        for name in ("lead", "deadline"):
            if name not in item.trace:
                item.mark(name, node.ref, NOT_FOUND)
        if item.trace["deadline"].confidence == NOT_FOUND and item.deadline is None:
            del item.trace["deadline"]
            prose_deadline(item, text, node.ref, self.year)
            item.trace.setdefault("deadline", _not_found(node.ref))
            self._milestone_levels(item)  # 1834/UBND-KGVX item 2: each one-stop shop's start to its level
            bind_targets(item, [x.text for x in node.body if x.bullet == "-"])
        flags(item, text, node.ref, [(x.text, x.ref) for x in node.body if x.bullet == "-"])
        return item

    def _compiler(self, item: Proposal, text: str, ref: str) -> None:
        """The body the others send their work to, which compiles it and carries it on with a partner or
        to a submission ("…, gửi Sở Thông tin và Truyền thông tổng hợp, phối hợp với Sở Tài chính, trình UBND
        tỉnh xem xét", /TB-UBND II.2.b): the lead, its partner the body named with it, both guessed — the
        lead had been "không tìm thấy" and the partner dropped. Not a body only sent reports ("gửi Sở X
        tổng hợp, báo cáo UBND tỉnh"): it does nothing of the task's own."""
        for m in _SENT_TO.finditer(text):
            found = agency_prefix(m.group("rest"), self.agencies)
            if found is None or not self.agencies.resolve(found[0]).codes:
                continue
            after = re.match(r"(?:để\s+)?tổng hợp\b,?\s*(?P<tail>[^;.]*)", found[1], re.I)
            if after is None or not re.search(r"\b(?:trình|phối hợp)\b", after.group("tail"), re.I):
                continue
            set_role(item, "lead", found[0], ref, self.agencies, GUESSED)
            clause = f"gửi {found[0]} tổng hợp, {after.group('tail').strip()}"
            said = (
                f"đọc “{clause[:120]}” là cơ quan chủ trì: tổng hợp việc các cơ quan gửi đến và làm tiếp; "
                "hai việc chung một thời hạn, Tổ giúp việc xem có tách mốc"
            )
            trace = item.trace["lead"]
            item.mark("lead", trace.ref, trace.confidence, "; ".join(n for n in (said, trace.note) if n))
            if p := re.search(r"phối hợp(?:\s+với)?\s+(?P<p>.+)", after.group("tail"), re.I):
                if partners := agency_prefix(p.group("p"), self.agencies):
                    set_role(item, "partner", partners[0], ref, self.agencies, GUESSED)
            return

    def _collective(self, phrase: str) -> bool:
        codes = self.agencies.resolve(phrase).codes
        return bool(codes) and all(c.startswith("@") for c in codes)

    def _guided(self, item: Proposal, rest: str, ref: str) -> None:
        m = re.match(r"(?:theo dõi, )?(?:hướng dẫn|chỉ đạo)\s+(?P<who>.+)", rest, re.I)
        if m and (found := agency_prefix(m.group("who"), self.agencies)):
            set_role(item, "implementer", found[0], ref, self.agencies, GUESSED)

    def _listed_leads(self, item: Proposal, node: Node) -> None:
        for line in node.body:
            head, sep, _ = line.text.partition(":")
            if sep and self.agencies.resolve(head).codes:
                set_role(item, "lead", head, line.ref, self.agencies)
        m = re.search(r"phối hợp(?:\s+với)?\s+(?P<p>[^.]+?)\s+(đẩy mạnh|thực hiện|triển khai)", node.title)
        if m:
            set_role(item, "partner", m.group("p"), node.ref, self.agencies)

    def _milestone_levels(self, item: Proposal) -> None:
        """Each milestone whose words name one level of government ("100% đối với công chức Bộ phận Một
        cửa cấp huyện vào tháng 12/2022", 117/KH-UBND II.1.đ) given to the item's bodies of that level:
        the districts' group for "cấp huyện", the communes' for "cấp xã" (when its members are among the
        districts'), the item's other bodies for "tỉnh" — guessed, said in the trace. Each level's date
        had been every body's."""
        self._lead_s_submission(item)
        groups = {level: self._group(phrase) for level, phrase in _LEVEL_BODIES.items()}
        for key in ("implementers", "partners"):
            codes: list[str] = getattr(item, key)
            district = groups["huyện"]
            if district is None or district not in codes or len(codes) < 2:
                continue
            said = []
            for milestone in item.milestones:
                if key in milestone:
                    continue  # already narrowed: the lead's submission
                levels = {m.group("level").casefold() for m in _LEVEL.finditer(milestone["label"])}
                if len(levels) != 1:
                    continue
                level = levels.pop()
                if level == "tỉnh":
                    narrowed = [c for c in codes if c not in (district, groups["xã"])]
                elif level == "huyện":
                    narrowed = [district]
                else:
                    commune = groups["xã"]
                    narrowed = [commune] if commune and self._within(commune, district) else []
                    if narrowed and _SHARE_OF_COMMUNES.search(milestone["label"]):
                        # "50% số xã, phường, thị trấn áp dụng": the communes reached, and the bodies named one
                        # by one who reach them (117/KH-UBND II.4.c: the radio station), not the groups
                        narrowed = [c for c in codes if not c.startswith("@")] + narrowed
                if narrowed and narrowed != codes:
                    milestone[key] = narrowed
                    said.append(
                        f"mốc “{shortened(milestone['label'], 60)}” ({milestone['deadline']}): {', '.join(narrowed)}"
                    )
            if said:
                trace = item.trace["deadline"]
                note = f"{trace.note}; mỗi mốc giao cho cơ quan cấp nó nêu: " + "; ".join(said)
                item.mark("deadline", trace.ref, GUESSED, note)

    def _lead_s_submission(self, item: Proposal) -> None:
        """A milestone whose words submit the province's plan ("Trình ban hành Kế hoạch chuyển đổi … trên địa
        bàn tỉnh", "Tham mưu UBND tỉnh ban hành Kế hoạch …", 117/KH-UBND II.4.d) is the lead's alone: none of
        the item's implementers nor partners (``[]``), guessed and said in the deadline's trace. Its date
        had been every body's (~33 sở and districts told of a deadline that is not theirs)."""
        if not item.lead:
            return
        said = []
        for milestone in item.milestones:
            if not _SUBMITS.match(milestone["label"]) or _OWN_PLAN.search(milestone["label"]):
                continue
            cleared = [key for key in ("implementers", "partners") if getattr(item, key)]
            for key in cleared:
                milestone[key] = []
            if cleared:
                said.append(f"mốc “{shortened(milestone['label'], 60)}” ({milestone['deadline']})")
        if said:
            trace = item.trace["deadline"]
            note = (
                f"{trace.note}; trình ban hành kế hoạch chung là việc của cơ quan chủ trì: giao "
                + "; ".join(said)
                + " cho chỉ cơ quan chủ trì, Tổ giúp việc xác nhận"
            )
            item.mark("deadline", trace.ref, GUESSED, note)

    def _group(self, phrase: str) -> str | None:
        found = self.agencies.resolve(phrase)
        return found.codes[0] if len(found.codes) == 1 and found.codes[0].startswith("@") else None

    def _within(self, group: str, other: str) -> bool:
        """Whether every member of ``group`` is one of ``other``'s (as the directory lists them)."""
        members = {
            g.code: {m if isinstance(m, str) else m.code for m in g.members} for g in self.agencies.directory.groups
        }
        return group[1:] in members and other[1:] in members and members[group[1:]] <= members[other[1:]]

    def _listed_targets(self, node: Node) -> list[dict[str, Any]] | None:
        """The targets of a list whose every line with a figure opens with the body it is given to
        ("- Sở Công Thương: Tỷ trọng doanh thu thương mại điện tử … đạt 7%; tỷ lệ … đạt 50%", 1834/UBND-KGVX
        item 4): each target that body's (``by_group``), named without it. None when a line with a
        figure names no body: the figures are then the item's. The draft had tied none, its names
        opening with the body ("Sở Kế hoạch và Đầu tư: Tỷ lệ …")."""
        out: list[dict[str, Any]] = []
        for line in node.body:
            head, sep, rest = line.text.partition(":")
            found = self.agencies.resolve(head) if sep else None
            targets = find_targets(rest if sep else line.text)
            if not targets:
                continue
            if found is None or not found.codes or found.unknown or found.unnamed:
                return None
            for target in targets:
                figure = {k: target[k] for k in ("target",) if k in target}
                if "target_range" in target:  # a copy: one list in two places is an anchor in the YAML
                    figure["target_range"] = list(target["target_range"])
                target["by_group"] = [{"agencies": list(found.codes), **figure}]
                target["code"] = free_code(target["code"], {t["code"] for t in out})
                out.append(target)
        return out or None

    def _heading_agencies(self, node: Node) -> tuple[str, str] | None:
        parent = node.parent
        if parent is None or parent.level == 0:
            return None
        title = re.sub(r"^(giao|thủ trưởng)\s+", "", parent.title.rstrip(":. "), flags=re.I)
        title = re.split(r"\s+[-–]\s+", title)[0]
        found = self.agencies.resolve(title)
        if found.codes and not found.unknown:
            return title, parent.ref
        return None

    def _collective_heading(self, node: Node) -> tuple[str, str] | None:
        parent = node.parent
        if parent is None or parent.level == 0:
            return None
        m = re.search(r"\bcủa\s+(?P<who>.+?)(?:\s+trong thời gian.*)?$", parent.title)
        if m and self.agencies.resolve(m.group("who")).codes:
            return m.group("who"), parent.ref
        return None


# a heading that calls the tasks under it key tasks: a section's ("2. Nhiệm vụ trọng tâm của các sở, ban
# ngành; UBND cấp huyện …", /TB-UBND II.2) or a list's inside the item ("a) Chỉ tiêu, nhiệm vụ trọng tâm:",
# 04/KH-BCĐ II.11); not the words inside a task's sentence ("… bổ sung kinh phí để thực hiện một số nhiệm vụ
# trọng tâm …", /TB-UBND II.3.c: the projects to fund, not the task)
_KEY_TASKS = re.compile(
    r"^(?:[a-zđ]\)\s*)?(?:các\s+|một số\s+)?(?:chỉ tiêu,?\s*)?nhiệm vụ(?:,\s*giải pháp)?\s+trọng tâm\b", re.I
)


def _headed_priority(item: Proposal, node: Node) -> None:
    """``item`` a priority, guessed, when a heading over its work calls it a key task (the catalog's
    reading of /TB-UBND II.2 and 04/KH-BCĐ II.11): it had been false with no mark."""
    if item.priority:
        return
    headings = [(n.title, n.path, n.ref) for n in node.ancestors() if _KEY_TASKS.match(n.title)]
    headings += [(x.text, node.path, x.ref) for x in node.body if x.text.endswith(":") and _KEY_TASKS.match(x.text)]
    if headings:
        title, path, ref = headings[0]
        item.priority = True
        said = f"mục {path} có tiêu đề “{title.rstrip(':')}”: đọc là nhiệm vụ trọng tâm, Tổ giúp việc xác nhận"
        item.mark("priority", ref, GUESSED, said)


# a level of government a milestone's words name ("Bộ phận Một cửa tỉnh", "Một cửa cấp huyện", "cấp xã", "50% số
# xã, phường, thị trấn"), and the bodies of that level as the directory names them
_LEVEL = re.compile(
    r"(?:\b(?:một cửa|cấp)\s+(?:cấp\s+)?|\b(?:số\s+)?(?=xã,\s*phường,\s*thị trấn\b))(?P<level>tỉnh|huyện|xã)\b", re.I
)
# a milestone submitting a plan for the province: the lead's ("Trình ban hành Kế hoạch …", "Tham mưu UBND tỉnh
# ban hành Kế hoạch …"), unless the plan is each body's own ("… của cơ quan, đơn vị mình")
_SUBMITS = re.compile(r"^(?:trình|tham mưu)\b(?:\s+\S+){0,6}?\s+ban hành\s+(?:các\s+)?kế hoạch\b", re.I)
_OWN_PLAN = re.compile(r"\b(?:của|tại)\s+(?:từng|các|mỗi)?\s*(?:cơ quan|đơn vị|ngành|địa phương)\b|\bmình\b", re.I)
_SHARE_OF_COMMUNES = re.compile(r"\bsố\s+xã,\s*phường,\s*thị trấn\b", re.I)
_LEVEL_BODIES = {"huyện": "UBND các huyện, thị xã, thành phố", "xã": "UBND cấp xã"}

_PER_BODY = "; mỗi chỉ tiêu gắn với cơ quan ghi ở đầu dòng của nó (by_group)"

_SENT_TO = re.compile(r"\bgửi\s+(?:về\s+|đến\s+|cho\s+)?(?P<rest>.+)", re.I)


# a later sentence of a task that opens with "Phối hợp với …" and names no lead: work the section's body
# only partners in, its lead unsaid
_LATER_PARTNERING = re.compile(r"(?<=[.;])\s+(?P<clause>Phối hợp(?:\s+với)?\s+[^.;]+)")


def _unsure_lead(item: Proposal, body: str, sentence: str) -> None:
    """A sentence under a body's heading that opens with "Phối hợp với …" (61/KH-UBND VI.6.b, /TB-UBND
    II.3.c) names no lead: the heading's body drafted as lead, guessed, the trace saying it may be only a
    partner. It had been read as that body leading, certain."""
    trace = item.trace["lead"]
    said = (
        f"câu mở đầu “{shortened(sentence, 60)}” không nêu cơ quan chủ trì: đọc {body} (tiêu đề mục) là chủ trì;"
        " có thể chỉ là cơ quan phối hợp, Tổ giúp việc xác định"
    )
    item.mark("lead", trace.ref, GUESSED, "; ".join(n for n in (trace.note, said) if n))


def _is_deadline(phrase: str, year: int) -> bool:
    from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline

    try:
        return parse_deadline(phrase, default_year=year).due is not None
    except DeadlinePhraseError:
        return False


def _not_found(ref: str) -> Trace:
    return Trace(ref, NOT_FOUND)


def _short(text: str) -> str:
    first = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0]
    return shortened(first.rstrip(".;: "))
