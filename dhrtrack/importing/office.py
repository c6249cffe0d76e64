"""Office files (.docx, .xlsx, .odt) are zip archives of XML: checked before python-docx or openpyxl
read them, so that a damaged or hostile file gives a one-line error, never a traceback or a hang.

- a zip bomb: the uncompressed size, the number of parts and each part's compression ratio are
  capped (an action plan is a few megabytes at most);
- entity expansion ("billion laughs") and external entities: Office files never declare a DTD,
  so a part that does (anywhere in it, not only near its start) is refused before any XML parser
  sees it;
- truncated or malformed archives and XML (a damaged compressed part too): whatever the library
  raises is reported as the file not being readable; what it warns is not shown.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from typing import Callable, TypeVar

from dhrtrack.importing.template import ImportFailed

MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_PARTS = 10_000
MAX_RATIO = 200  # a part that compresses more than this is a bomb, not a document
# The markers in each encoding an XML parser accepts without being told (UTF-8, UTF-16 either way).
_DTD = tuple(
    marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_XML_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<")

T = TypeVar("T")


def check(path: str, kind: str) -> None:
    """Refuse an Office file that is not a sound zip of XML parts within the caps."""
    what = _what(kind)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise ImportFailed(f"{path} holds {len(parts)} parts: too many for an Office file")
            total = sum(p.file_size for p in parts)
            if total > MAX_UNCOMPRESSED:
                raise ImportFailed(f"{path} would unpack to {total // (1024 * 1024)} MB: too large for an action plan")
            for part in parts:
                if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                    raise ImportFailed(
                        f"{path}: part {part.filename} unpacks {part.file_size // part.compress_size} "
                        "times larger than it is stored (a zip bomb?): refused"
                    )
                if _declares_dtd(archive, part):
                    raise ImportFailed(
                        f"{path}: part {part.filename} declares a DTD or entities, which Office files never do: refused"
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # a damaged compressed part
        NotImplementedError,  # a compression method zipfile does not know
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
    ) as error:
        raise ImportFailed(f"{path} is not {what}: {error}") from None


def _declares_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Whether the part is XML (whatever its name: a workbook may point at a sheet called
    anything) and declares a DTD or an entity anywhere in it: streamed in chunks that overlap by
    a marker's length, so that a marker split between two chunks, or after a 70 KB comment, is
    still seen."""
    overlap = max(len(m) for m in _DTD) - 1
    tail = b""
    first = True
    with archive.open(part) as handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                return False
            if first and not chunk.lstrip(b" \t\r\n").startswith(_XML_START):
                return False  # an image or other binary part: no XML parser reads it
            first = False
            window = tail + chunk
            if any(marker in window for marker in _DTD):
                return True
            tail = window[-overlap:]


_KINDS = {
    "docx": "a Word document that can be read (.docx)",
    "xlsx": "an Excel workbook that can be read (.xlsx)",
    "odt": "an OpenDocument text that can be read (.odt)",
}


def _what(kind: str) -> str:
    return _KINDS[kind]


def read(path: str, kind: str, reader: Callable[[], T]) -> T:
    """reader() after check(); any error the library raises on a damaged file is an ImportFailed."""
    check(path, kind)
    try:
        with warnings.catch_warnings():
            # openpyxl and python-docx warn about parts they drop ("Data Validation extension is
            # not supported and will be removed"): nothing the user can act on, and stderr is the
            # user's (under --format json it promises nothing but errors).
            warnings.simplefilter("ignore")
            return reader()
    except ImportFailed:
        raise
    except Exception as error:  # noqa: BLE001 - the libraries raise many kinds on damaged XML
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFailed(f"{path} is not {_what(kind)}: {reason}") from None
