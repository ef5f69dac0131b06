"""The text's own words for who carries out a task, as pages and mails quote them.

The catalog records, for a role the text names no body for at all (61/KH-UBND I.2.a and I.2.b: the
section names nobody to lead or carry out its targets), the placeholder :data:`NAMES_NOBODY` as the
role's phrase, as the importer does for an item it finds nobody to carry out (importer.draft). It is
the catalog's word, not the document's: quoted as written, the item page said "Văn bản ghi: Chủ
trì: «chưa xác định»" and the queue "Cần phân công" «chưa xác định», as if the text had said so.
Every surface that quotes a role's phrase takes its words here.
"""

from __future__ import annotations

NAMES_NOBODY = "chưa xác định"  # the catalog's phrase for a role the text names no body for
NOBODY_WORDS = "văn bản không nêu cơ quan nào"


def names_nobody(phrase: str) -> bool:
    """Whether a role's phrase is the catalog's placeholder, not words of the text."""
    return phrase.strip() == NAMES_NOBODY


def quoted(phrase: str) -> str:
    """A role's phrase as the text wrote it, in «», or that the text names no body for the role."""
    return NOBODY_WORDS if names_nobody(phrase) else f"«{phrase}»"
