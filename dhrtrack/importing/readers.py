"""Which reader reads a file, by its suffix: each makes the one document model
(dhrtrack.importing.document). Formats read through LibreOffice are converted first, when it is
installed, and refused with the command to run when it is not."""

from __future__ import annotations

import os
from typing import Callable, Dict

from dhrtrack.importing.document import Document
from dhrtrack.importing.template import ImportFailed


def _text(path: str) -> Document:
    from dhrtrack.importing import text

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
    content, warning = text.decode(raw)
    document = text.read_document(path, content)
    if warning:
        document.warnings.insert(0, ("file", warning))
    return document


def _docx(path: str) -> Document:
    from dhrtrack.importing import word

    return word.read_document(path)


def _csv(path: str) -> Document:
    from dhrtrack.importing import sheet

    return sheet.read_csv(path)


def _xlsx(path: str) -> Document:
    from dhrtrack.importing import sheet

    return sheet.read_xlsx(path)


def _odt(path: str) -> Document:
    from dhrtrack.importing import odt

    return odt.read_document(path)


def _pdf(path: str) -> Document:
    from dhrtrack.importing import pdf

    return pdf.read_document(path)


READERS: Dict[str, Callable[[str], Document]] = {
    ".pdf": _pdf,
    ".odt": _odt,
    ".txt": _text,
    ".text": _text,
    ".tsv": _text,
    ".eml": _text,
    ".docx": _docx,
    ".csv": _csv,
    ".xlsx": _xlsx,
}


def read(path: str) -> Document:
    suffix = os.path.splitext(path)[1].lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ImportFailed(f"{path}: dhrtrack imports {known} files")
    if not os.path.isfile(path):
        raise ImportFailed(f"cannot read {path}: no such file")
    try:
        return reader(path)
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
