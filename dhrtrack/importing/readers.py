"""Which reader reads a file, by its suffix: each makes the one document model
(dhrtrack.importing.document). Formats read through LibreOffice are converted first, when it is
installed, and refused with the command to run when it is not."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from typing import Callable, Dict, Optional

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


def _eml(path: str) -> Document:
    """An email file (.eml) as a mail client saved it: its subject and its text, decoded (quoted-
    printable, base64, the charset it names); the other headers name no review. The text part is
    read as a plan pasted into an email is; an HTML-only email's markup is stripped to its text."""
    import email
    import email.policy
    import html
    import re

    from dhrtrack.importing import text

    try:
        with open(path, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.default)
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if part is not None else ""
        subtype = part.get_content_subtype() if part is not None else "plain"
        subject = str(message.get("subject", "") or "")
    except (LookupError, ValueError, AttributeError) as error:
        raise ImportFailed(
            f"{path}: the email cannot be decoded ({error}); save its text as .txt and import that"
        ) from None
    if subtype == "html":
        body = html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r"(?is)<(style|script)\b.*?</\1>", "", body)))
    content = (f"Subject: {' '.join(subject.split())}\n\n" if subject.strip() else "") + body
    return text.read_document(path, content)


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


# Formats LibreOffice turns into one dhrtrack reads: Word 97-2003, rich text, Works and older
# Excel, and LibreOffice Calc's own.
CONVERTED = {".doc": "docx", ".rtf": "docx", ".wpd": "docx", ".xls": "xlsx", ".ods": "xlsx"}
CONVERT_SECONDS = 180


def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _converted(path: str) -> Document:
    """The document LibreOffice makes of a format dhrtrack does not read itself."""
    suffix = os.path.splitext(path)[1].lower()
    target = CONVERTED[suffix]
    command = soffice()
    if command is None:
        raise ImportFailed(
            f"{path}: a {suffix} file is read through LibreOffice, which is not installed here (no soffice on "
            f"the PATH): install LibreOffice, or convert it yourself and import the result: soffice --headless "
            f"--convert-to {target} {shlex.quote(path)}"
        )
    with tempfile.TemporaryDirectory(prefix="dhrtrack-convert-") as work:
        # A profile of its own: a LibreOffice the user has open would otherwise take the job.
        profile = "file://" + os.path.join(work, "profile")
        out = os.path.join(work, "out")
        try:
            done = subprocess.run(
                [
                    command,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    target,
                    "--outdir",
                    out,
                    os.path.abspath(path),
                ],
                capture_output=True,
                text=True,
                timeout=CONVERT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ImportFailed(f"{path}: LibreOffice took over {CONVERT_SECONDS} s to convert it; gave up") from None
        except OSError as error:
            raise ImportFailed(f"{path}: LibreOffice could not be started ({error.strerror or error})") from None
        made = os.path.join(out, os.path.splitext(os.path.basename(path))[0] + "." + target)
        if not os.path.isfile(made):
            said = (done.stderr or done.stdout or "").strip().splitlines()
            raise ImportFailed(
                f"{path}: LibreOffice could not convert it to .{target}" + (f": {said[-1]}" if said else "")
            )
        document = READERS["." + target](made)
    document.path = path
    document.warnings.insert(0, ("file", f"read through LibreOffice (converted from {suffix} to .{target})"))
    return document


READERS: Dict[str, Callable[[str], Document]] = {
    ".pdf": _pdf,
    ".odt": _odt,
    ".txt": _text,
    ".text": _text,
    ".tsv": _text,
    ".eml": _eml,
    ".docx": _docx,
    ".csv": _csv,
    ".xlsx": _xlsx,
    ".xlsm": _xlsx,
    **{suffix: _converted for suffix in CONVERTED},
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
