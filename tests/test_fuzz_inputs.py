"""Fuzzing the three readers of outside input: the plan store, the importers and the return
reader. Each run here is short; `HYPOTHESIS_PROFILE=fuzz` runs many more examples (issue 24's
fuzz ran these for over 30 minutes). Every counterexample found is pinned with @example.

The contract for each: a result, or the reader's own error with a message; never another
exception (a traceback), never a hang."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import warnings

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dhrtrack.errors import DhrtrackError
from dhrtrack.importing import ImportFailed, import_reviews
from dhrtrack.importing.build import build
from dhrtrack.importing.cells import Agencies
from dhrtrack.importing.returns import IDENTITY, INPUTS, READ_ONLY, read_return
from dhrtrack.plan import store
from dhrtrack.plan.validate import valid_data
from dhrtrack.plan.write import dump_plan
from tests.conftest import plan_text
from tests.test_import_families import documents

FUZZ = settings(suppress_health_check=list(HealthCheck), deadline=None)


def _scratch(suffix: str, raw: bytes) -> str:
    handle, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(raw)
    return path


# --- the plan store ------------------------------------------------------------------------

PLAN = plan_text(
    """
    - id: "1.1"
      action: Train staff.
      lead: Northshire Police
      target: 2021-06
      rag: amber
      updates:
        - date: 2021-02-03
          note: Started.
    """
).encode("utf-8")


@st.composite
def mutated_plans(draw):  # type: ignore[no-untyped-def]
    raw = bytearray(PLAN)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(raw)))
        how = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(
            st.binary(max_size=6)
            | st.sampled_from(
                [b"&a", b"*a", b"!!python/object", b"\t", b"\r", b"\xef\xbb\xbf", b": ", b"- ", b"{", b"["]
            )
            | st.text(max_size=4).map(lambda t: t.encode("utf-8", "surrogatepass"))
        )
        if how == "insert":
            raw[at:at] = piece
        elif how == "delete":
            del raw[at : at + len(piece) + 1]
        else:
            raw[at : at + len(piece)] = piece
    return bytes(raw)


@FUZZ
@given(mutated_plans())
def test_the_store_reads_any_mutated_plan(raw):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "plan.yaml")
        with open(path, "wb") as out:
            out.write(raw)
        loaded = store.load([path], use_cache=False, jobs=1)
        assert len(loaded.plans) + len(loaded.invalid) == 1
        for invalid in loaded.invalid:
            assert all(p.message for p in invalid.problems)
        blobs = store.load_blobs([("plans/plan.yaml", raw)], use_cache=False)
        assert len(blobs.plans) == len(loaded.plans)


# --- the importers -------------------------------------------------------------------------


@FUZZ
@given(documents())
def test_build_never_raises_but_import_failed(document):
    try:
        results = build(document, Agencies(), None, None, None, split=True)
    except ImportFailed as failed:
        assert str(failed)
        return
    for result in results:
        _data, problem = valid_data(dump_plan(result.plan).encode("utf-8"), "plan.yaml")
        assert problem is None, problem


SHEET_WORDS = st.sampled_from(
    ["No.", "Recommendation", "Action", "Lead Agency", "Target date", "RAG", "Ref", "Review", "Status", "=1+1", "#REF!"]
    + list(READ_ONLY + INPUTS + IDENTITY + ("Check",))
) | st.text(max_size=12)
SHEET_VALUES = st.one_of(
    st.none(),
    SHEET_WORDS,
    st.integers(-(10**6), 10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.booleans(),
)
SHEET = st.lists(st.lists(SHEET_VALUES, max_size=10), max_size=10)


def _workbook(sheets, names) -> bytes:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    book.remove(book.active)
    for name, rows in zip(names, sheets):
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                try:
                    sheet.cell(r, c, value)
                except (IllegalCharacterError, ValueError):
                    sheet.cell(r, c, "?")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def workbooks(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 3))
    names = draw(
        st.lists(
            st.sampled_from(["Actions", "dhrtrack", "Sheet1", "Northshire Police", "Guidance"]),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    raw = _workbook([draw(SHEET) for _ in names], names)
    if draw(st.integers(0, 4)) == 0:  # now and then a damaged file
        at = draw(st.integers(0, 10**6)) % len(raw)  # zip timestamps vary the length
        raw = raw[:at] + draw(st.binary(max_size=8)) + raw[at + draw(st.integers(0, 8)) :]
    return raw


def _damaged(raw: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """raw with one part's compressed data overwritten: zlib's own error when it is read."""
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(part)
    data = bytearray(raw)
    name, extra = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name + extra
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


# Found by this fuzz: a damaged deflate stream raised zlib.error past the Office pre-check.
DAMAGED = _damaged(_workbook([[["Ref", "New RAG"]]], ["Actions"]))


def _csv(rows) -> bytes:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else str(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(workbooks())
@example(DAMAGED)
def test_importing_any_workbook_gives_a_plan_or_a_message(raw):
    path = _scratch(".xlsx", raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a library warning must not reach the user
            import_reviews(path, split=True)
    except DhrtrackError as failed:
        assert str(failed)
    finally:
        os.unlink(path)


@FUZZ
@given(SHEET)
def test_importing_any_csv_gives_a_plan_or_a_message(rows):
    path = _scratch(".csv", _csv(rows))
    try:
        import_reviews(path, split=True)
    except DhrtrackError as failed:
        assert str(failed)
    finally:
        os.unlink(path)


# --- the return reader ---------------------------------------------------------------------


@FUZZ
@given(workbooks())
@example(DAMAGED)
def test_reading_any_workbook_as_a_return_gives_rows_or_a_message(raw):
    path = _scratch(".xlsx", raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            read_return(path)
    except DhrtrackError as failed:
        assert str(failed)
    finally:
        os.unlink(path)


@FUZZ
@given(SHEET | st.binary().map(lambda raw: [[raw.decode("latin-1")]]), st.booleans())
@example([["Ref", "New RAG"]], False)
def test_reading_any_csv_as_a_return_gives_rows_or_a_message(rows, bom):
    raw = (b"\xef\xbb\xbf" if bom else b"") + _csv(rows)
    path = _scratch(".csv", raw)
    try:
        read_return(path)
    except DhrtrackError as failed:
        assert str(failed)
    finally:
        os.unlink(path)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx"]))
def test_reading_any_bytes_as_a_return_gives_rows_or_a_message(raw, suffix):
    path = _scratch(suffix, raw)
    try:
        read_return(path)
    except DhrtrackError as failed:
        assert str(failed)
    finally:
        os.unlink(path)


# --- a signed return with anything typed into its input cells, applied ---------------------

ANSWERS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "amber",
            "Red",
            "complete",
            "Complete ",
            "green - done",
            "n/a",
            "2026-11-01",
            "01/11/2026",
            "Nov 2026",
            "2099-01",
            "1899-12-25",
            "0001-01",
            "31/02/2026",
            "=1+1",
            "\u202eevil",
            "-5",
            "",
        ]
    ),
    st.text(max_size=20),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.times(),
    st.booleans(),
)


@FUZZ
@given(st.fixed_dictionaries({heading: ANSWERS for heading in INPUTS}))
def test_applying_a_return_with_any_answers_gives_a_result_or_a_message(tmp_path_factory, monkeypatch, cli, answers):
    import json
    import shutil

    from openpyxl.utils.exceptions import IllegalCharacterError

    from tests.test_returns import chase, fill

    here = tmp_path_factory.getbasetemp() / "fuzz-apply"
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(here / "cache"))
    monkeypatch.chdir(here.parent)
    if not (here / "returns").exists():
        _make_apply_repo(here, cli, chase)
    monkeypatch.chdir(here)
    shutil.copy(here / "returns" / "northshire-police.xlsx", here / "answered.xlsx")
    try:
        fill(here / "answered.xlsx", {"north:1.1": answers})
    except (IllegalCharacterError, ValueError, TypeError):
        return  # openpyxl cannot store it: no agency could type it either
    result = cli("apply", "answered.xlsx", "--dry-run", "--format", "json", "--date", "2026-11-26")
    assert result.exit_code in (0, 1), result.stderr
    json.loads(result.stdout)


def _make_apply_repo(here, cli, chase):  # type: ignore[no-untyped-def]
    from tests.conftest import write
    from tests.test_returns import AGENCIES, NORTH

    here.mkdir(exist_ok=True)
    write(here / "plans" / "north.yaml", NORTH)
    write(here / "plans" / "agencies.yaml", AGENCIES)
    os.chdir(here)  # the caller's monkeypatch puts the directory back
    chase(cli)
