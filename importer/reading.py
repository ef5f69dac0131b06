"""``read_document``: a file in, its blocks out, or one Vietnamese line saying why not."""

from __future__ import annotations

from pathlib import Path

from dondoc.importer.blocks import Document
from dondoc.importer.errors import ImportRefused
from dondoc.importer.read_docx import read_docx
from dondoc.importer.read_pdf import read_pdf
from dondoc.importer.read_text import read_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def read_document(path: Path, name: str | None = None) -> Document:
    """Read ``path`` (``name``: the file name to show and to sniff the kind by, default the path's)."""
    name = name or path.name
    if path.exists() and not path.is_file():  # there, but no file to read: not "not found"
        raise ImportRefused(
            f"{name} không phải là một tệp (thư mục hoặc thiết bị): chọn một tệp DOCX, PDF, TXT hoặc Markdown."
        )
    if not path.is_file():
        raise ImportRefused(f"Không tìm thấy tệp {name}.")
    data = path.read_bytes()
    if not data.strip():
        raise ImportRefused(f"Tệp {name} rỗng: không có nội dung để nhập.")
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        blocks = read_pdf(path, name)
    elif data.startswith(b"PK\x03\x04") or suffix == ".docx":
        blocks = read_docx(path, name)
    elif suffix in TEXT_SUFFIXES or suffix == "":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(f"Tệp {name} không phải văn bản UTF-8 (DOCX, PDF, TXT hoặc Markdown).") from None
        if "\x00" in text:
            raise ImportRefused(f"Tệp {name} không phải văn bản (DOCX, PDF, TXT hoặc Markdown).")
        blocks = read_text(text)
    else:
        raise ImportRefused(f"Không nhập được tệp {name}: chỉ nhận DOCX, PDF có lớp chữ, TXT hoặc Markdown.")
    if not blocks:
        raise ImportRefused(f"Tệp {name} không có đoạn văn nào đọc được.")
    return Document(blocks, source_file=name)
