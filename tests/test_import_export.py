"""import, export, new and init: the seed document, generated .docx/.csv/.xlsx fixtures, round trips
and bad inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dhrtrack.importing import ImportFailed, import_file
from dhrtrack.importing.cells import Agencies, clean, milestone_items, parse_date, parse_rag, split_numbered
from dhrtrack.plan.validate import valid_data as parse_plan
from tests.conftest import SEED_PLAN, SEED_TEXT, plan_text, write

TEMPLATE = [
    "",
    "Recommendation",
    "Scope",
    "Action to take",
    "Lead Agency",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Outcome",
    "Completion/RAG",
]


def load(path) -> dict:
    data, problem = parse_plan(open(path, "rb").read(), str(path))
    assert problem is None, problem
    return data


# --- the seed document ----------------------------------------------------------------------


def test_importing_the_seed_text_matches_the_hand_written_plan(tmp_path, cli):
    out = tmp_path / "plans" / "bdhr.yaml"
    result = cli("import", str(SEED_TEXT), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # 12.3's lead cell is blank on a sub-action row: it takes the lead above, and says so.
    assert result.stderr == (
        f"{SEED_TEXT}: line 113: warning: action 12.3 has no lead agency; the lead above "
        "('Birmingham and Solihull Mental Health NHS Foundation Trust') is used\n"
        f"wrote {out}: 39 recommendations, 48 actions, 1 warning\n"
    )
    imported, hand = load(out), load(SEED_PLAN)
    assert imported["review"] == hand["review"]
    assert len(imported["recommendations"]) == len(hand["recommendations"]) == 39
    for got, want in zip(imported["recommendations"], hand["recommendations"]):
        for name in ("number", "section", "agency", "scope", "text"):
            assert got.get(name) == want.get(name), (want["number"], name)
        assert [a["id"] for a in got["actions"]] == [a["id"] for a in want["actions"]]
        for a, b in zip(got["actions"], want["actions"]):
            for name in ("action", "lead", "owner", "target", "rag", "outcome", "completed"):
                assert a.get(name) == b.get(name), (b["id"], name)
            # The hand transcription splits three <ul> cells without <li> items by judgement;
            # the words are the same.
            assert " ".join(a.get("milestones", [])) == " ".join(b.get("milestones", [])), b["id"]
            assert "import_notes" not in a, b["id"]


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("March 2016", "2016-03"),
        ("Sept 2015", "2015-09"),
        ("sep 2015", "2015-09"),
        ("Nov 2015", "2015-11"),
        ("January 2014", "2014-01"),
        ("31/03/2017", "2017-03-31"),
        ("By 31/03/2017", "2017-03-31"),
        ("2017-03-31", "2017-03-31"),
        ("31 March 2017", "2017-03-31"),
        ("1st April 2017", "2017-04-01"),
        ("03/2017", "2017-03"),
        ("2017-03", "2017-03"),
        ("end of June 2016", "2016-06"),
        ("31.03.17", "2017-03-31"),
        ("within three months", None),
        ("31/02/2017", None),
        ("Q1 2017", None),
        ("ongoing", None),
        ("", None),
        ("13/13/2017", None),
        ("Smarch 2016", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


FORMS = ["%B %Y", "%b %Y", "%d/%m/%Y", "By %d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%m/%Y", "%Y-%m"]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)), st.sampled_from(FORMS))
def test_every_accepted_form_round_trips(day, form):
    expected = day.isoformat() if "%d" in form else day.isoformat()[:7]
    assert parse_date(day.strftime(form)) == expected
    assert parse_date(day.strftime(form).upper()) == expected


# Near-valid dates: day, month and year numbers around the valid ranges, in the forms people type.
near_dates = st.builds(
    lambda d, m, y, form: form.format(d=d, m=m, y=y),
    st.integers(0, 33),
    st.integers(0, 14),
    st.integers(1890, 3010),
    st.sampled_from(["{d}/{m}/{y}", "{d:02d}/{m:02d}/{y}", "By {d}/{m}/{y}", "{y}-{m:02d}-{d:02d}", "{y}-{m:02d}"]),
)


@given(near_dates)
@example("30/02/2016")
@example("2016-02-30")
@example("0/1/2020")
def test_near_valid_dates_are_read_exactly_or_refused(text):
    import re

    numbers = [int(n) for n in re.findall(r"[0-9]+", text)]
    parsed = parse_date(text)
    if text[:4].isdigit():  # ISO: year first
        year, month, day = (numbers + [None])[:3]
    else:
        day, month, year = numbers
    try:
        real = dt.date(year, month, day if day is not None else 1)
    except (ValueError, TypeError):
        real = None
    if real is None:
        assert parsed is None
    else:
        assert parsed == (real.isoformat() if day is not None else real.isoformat()[:7])


# Text in the shapes dates are written in (numbers day first or year first, month names in English
# and Welsh, the words before them), with values in and out of range, half of it then damaged in
# one place (a character inserted, replaced or deleted): near enough to dates that many parse,
# which arbitrary text almost never does, so the assertions below are reached.
DATE_FORMS = ["{d}/{m}/{y}", "{d}.{m}.{y}", "{d}/{m}/{yy}", "{y}-{m}-{d}", "{y}-{m}", "{m}/{y}"]
DATE_FORMS += ["{d} {name} {y}", "{d}th {name}, {y}", "{name} {y}", "{name}. {y}"]
MONTH_NAMES = ["March", "sept", "Sep", "DECEMBER", "mai", "Fawrth", "rhagfyr", "Smarch", "Q1"]


@st.composite
def date_like(draw) -> str:
    def number(low: int, high: int) -> str:
        n = draw(st.integers(low, high))
        return f"{n:02d}" if draw(st.booleans()) else str(n)

    before = draw(st.sampled_from(["", "", "By ", "due ", "end of ", "erbyn ", "Target: ", "ongoing "]))
    y = f"{draw(st.integers(0, 3000)):04d}"
    form = draw(st.sampled_from(DATE_FORMS))
    name = draw(st.sampled_from(MONTH_NAMES))
    text = before + form.format(d=number(0, 32), m=number(0, 13), y=y, yy=y[2:], name=name)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text) - 1))
        char = draw(st.sampled_from("0159/-. ,aT"))
        how = draw(st.sampled_from(["insert", "replace", "delete"]))
        text = text[:at] + ("" if how == "delete" else char) + text[at + (how != "insert") :]
    return text


@given(st.one_of(date_like(), st.text(max_size=30)))
def test_nonsense_is_rejected_never_misparsed(text):
    parsed = parse_date(text)
    if parsed is not None:
        assert parsed[:4] in text or parsed[2:4] in text  # the year came from the text
        assert dt.date.fromisoformat(parsed if len(parsed) == 10 else parsed + "-01")
        assert parse_date(parsed) == parsed  # what it gives reads back as itself


@pytest.mark.parametrize(
    "word, rag",
    [
        ("Red", "red"),
        ("AMBER", "amber"),
        ("green", "green"),
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("Blue", "complete"),
        ("Done", "complete"),
        ("Completed.", "complete"),
        ("Ongoing", None),
        ("", None),
    ],
)
def test_parse_rag(word, rag):
    assert parse_rag(word) == rag


def test_clean_removes_html_and_bullets():
    cell = (
        '<p>Staff trained.</p> <ul style="list-style-type: none"> • Regular supervision • Audits </ul> '
        "<i>Risky Business</i> &amp; more"
    )
    assert clean(cell) == "Staff trained.\nRegular supervision\nAudits\nRisky Business & more"
    assert clean("covered: *Referral criteria; *Use of SAD score;") == "covered: Referral criteria; Use of SAD score;"
    assert clean("  ") is None


def test_numbered_points():
    assert split_numbered("1. Do this. 2. Do that under Section 11. 3. Report.") == [
        "1. Do this.",
        "2. Do that under Section 11.",
        "3. Report.",
    ]
    assert split_numbered("2. A poster. 3. Amend the policy.") == ["2. A poster.", "3. Amend the policy."]
    assert split_numbered("Review Section 11. Then report.") == []
    assert milestone_items("<p>One.</p><p>1. First 2. Second</p>") == ["One.", "1. First", "2. Second"]


def test_lead_and_owner_split():
    agencies = Agencies()
    agencies.add("Birmingham and Solihull Mental Health NHS Foundation Trust")
    agencies.add("Birmingham City Council – Children’s Social Care")
    agencies.add("Medical Centre")
    assert agencies.split_lead("Birmingham and Solihull Mental Health Foundation NHS Trust: Head of Safeguarding") == (
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        "Head of Safeguarding",
    )
    assert agencies.split_lead("Birmingham City Council – Children’s Social Care, Operational Assistant Directors") == (
        "Birmingham City Council – Children’s Social Care",
        "Operational Assistant Directors",
    )
    assert agencies.split_lead("Medical Centre Practice Manager") == ("Medical Centre", "Practice Manager")
    assert agencies.split_lead("Medical Centre – Practice Manager") == ("Medical Centre", "Practice Manager")
    assert agencies.split_lead("West Midlands Police") == ("West Midlands Police", None)


# --- text -----------------------------------------------------------------------------------


def test_text_import_warns_and_keeps_what_it_cannot_map(tmp_path, cli):
    src = tmp_path / "plan.txt"
    rows = [
        "Domestic Homicide Review",
        "NSDHR 2021-03 Action Plan",
        "Individual Agency Recommendations – Northshire Police" + "\t" * 8,
        "\t".join(TEMPLATE),
        "\t".join(
            [
                "1.",
                "Check history.",
                "Local",
                "Add a prompt.",
                "Northshire Police",
                "",
                "within three months",
                "",
                "Ongoing",
            ]
        ),
        "\t".join(["", "", "", "1. Train staff. 2. Audit calls.", "", "", "March 2022", "", "Amber"]),
    ]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "plans" / "ns.yaml"
    result = cli("import", str(src), "-o", str(out), "--partnership", "Northshire CSP")
    assert result.exit_code == 0
    assert result.stderr == (
        f"{src}: line 5: warning: action 1.1: target date 'within three months' is not a date; kept in import_notes\n"
        f"{src}: line 5: warning: action 1.1: status 'Ongoing' is not a rating; the action is unrated and the "
        "status is kept in import_notes\n"
        f"{src}: line 6: warning: action 1.2 has no lead agency; the lead above ('Northshire Police') is used\n"
        f"{src}: line 6: warning: action 1.3 has no lead agency; the lead above ('Northshire Police') is used\n"
        f"wrote {out}: 1 recommendation, 3 actions, 4 warnings\n"
    )
    plan = load(out)
    assert plan["review"] == {
        "id": "NSDHR 2021-03",
        "title": "Domestic Homicide Review NSDHR 2021-03 Action Plan",
        "partnership": "Northshire CSP",
    }
    actions = plan["recommendations"][0]["actions"]
    assert actions[0]["import_notes"] == ["Target Date: within three months", "Status: Ongoing"]
    # Sub-actions lose their numbering (it is in their ids) and share the row's target and rating.
    assert [(a["id"], a["action"], a["lead"], a.get("target"), a.get("rag")) for a in actions] == [
        ("1.1", "Add a prompt.", "Northshire Police", None, None),
        ("1.2", "Train staff.", "Northshire Police", "2022-03", "amber"),
        ("1.3", "Audit calls.", "Northshire Police", "2022-03", "amber"),
    ]
    assert plan["recommendations"][0]["agency"] == "Northshire Police"
    # --strict refuses to write anything when a value could not be mapped.
    strict = cli("import", str(src), "-o", str(tmp_path / "strict.yaml"), "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "strict.yaml").exists()


def test_import_refuses_to_overwrite_without_force(tmp_path, cli):
    src = tmp_path / "plan.csv"
    src.write_text("Review,Recommendation,Action,Lead\nR 1,Do it.,Act.,Police\n", encoding="utf-8")
    out = write(tmp_path / "plans" / "x.yaml", "keep me\n")
    result = cli("import", str(src), "-o", str(out))
    assert result.exit_code == 2 and "already exists; use --force" in result.stderr
    assert out.read_text() == "keep me\n"
    assert cli("import", str(src), "-o", str(out), "--force").exit_code == 0
    assert load(out)["review"]["id"] == "R 1"
    assert [p.name for p in out.parent.iterdir()] == ["x.yaml"]  # no temporary file left behind


def test_import_needs_a_review_id(tmp_path, cli):
    src = tmp_path / "plan.csv"
    src.write_text("Recommendation,Action,Lead\nDo it.,Act.,Police\n", encoding="utf-8")
    result = cli("import", str(src), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {src} does not say which review it is (no Review or DHR Ref column, and no review id in a title "
        "above the table): give --review-id\n"
    )
    assert cli("import", str(src), "-o", str(tmp_path / "x.yaml"), "--review-id", "R 9").exit_code == 0


# --- docx -----------------------------------------------------------------------------------


def make_docx(path, with_tables=True):
    import docx

    document = docx.Document()
    document.add_paragraph("Domestic Homicide Review")
    document.add_paragraph("NSDHR 2021-03 Action Plan")
    if not with_tables:
        document.add_paragraph("No table here.")
        document.save(path)
        return
    document.add_paragraph("Individual Agency Recommendations – Northshire Police")
    table = document.add_table(rows=1, cols=9)
    for cell, heading in zip(table.rows[0].cells, TEMPLATE):
        cell.text = heading

    def row(values):
        r = table.add_row()
        for cell, value in zip(r.cells, values):
            cell.text = value
        return r

    first = row(
        [
            "1.",
            "Call handlers should check history.",
            "Local",
            "Add an address-history prompt.",
            "Northshire Police: Control Room Manager",
            "",
            "June 2021",
            "Prompt live.",
            "Completed",
        ]
    )
    first.cells[5].text = ""
    first.cells[5].paragraphs[0].text = "Prompt specified."
    first.cells[5].paragraphs[0].style = "List Bullet"
    first.cells[5].add_paragraph("Supplier engaged.", style="List Bullet")
    second = row(["", "", "", "Train call handlers.", "", "", "31/03/2022", "", "Amber"])
    first.cells[0].merge(second.cells[0])  # the number and recommendation cells span both rows
    first.cells[1].merge(second.cells[1])
    # The table goes on in a second table after a page break, headings repeated.
    document.add_paragraph("Overview Report Recommendations")
    table = document.add_table(rows=1, cols=9)
    for cell, heading in zip(table.rows[0].cells, TEMPLATE):
        cell.text = heading
    r = table.add_row()
    for cell, value in zip(
        r.cells, ["2.", "Review the strategy.", "Regional", "", "Northshire CSP", "", "Sept 2022", "", "green"]
    ):
        cell.text = value
    r.cells[3].paragraphs[0].text = "Review the strategy."
    r.cells[3].paragraphs[0].style = "List Number"
    r.cells[3].add_paragraph("Publish the findings.", style="List Number")
    document.save(path)


def test_docx_import(tmp_path, cli):
    src = tmp_path / "plan.docx"
    make_docx(src)
    out = tmp_path / "plans" / "ns.yaml"
    result = cli("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    plan = load(out)
    assert plan["review"]["id"] == "NSDHR 2021-03"
    one, two = plan["recommendations"]
    assert (one["number"], one["section"], one["agency"], one["scope"]) == (1, "agency", "Northshire Police", "local")
    assert one["actions"] == [
        {
            "id": "1.1",
            "action": "Add an address-history prompt.",
            "lead": "Northshire Police",
            "owner": "Control Room Manager",
            "milestones": ["Prompt specified.", "Supplier engaged."],
            "target": "2021-06",
            "outcome": "Prompt live.",
            "rag": "complete",
        },
        {
            "id": "1.2",
            "action": "Train call handlers.",
            "lead": "Northshire Police",
            "target": "2022-03-31",
            "rag": "amber",
        },
    ]
    assert (two["number"], two["section"], two["scope"]) == (2, "overview", "regional")
    assert [(a["id"], a["action"]) for a in two["actions"]] == [
        ("2.1", "Review the strategy."),
        ("2.2", "Publish the findings."),
    ]


def test_docx_without_tables_and_corrupt_docx(tmp_path, cli):
    src = tmp_path / "empty.docx"
    make_docx(src, with_tables=False)
    result = cli("import", str(src), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {src} holds no action plan that dhrtrack can read: expected a table with a heading row naming at "
        "least the action and the lead agency, and the recommendation or its number (Home Office template: "
        "Recommendation | Scope of recommendation | Action to take | Lead Agency | Key milestones | Target Date | "
        'Date of completion and Outcome), or labelled paragraphs ("Recommendation 1: ...", "Action: ...", '
        '"Lead: ..."); it has no table, and no labelled recommendations; it starts: \'Domestic Homicide Review / '
        "NSDHR 2021-03 Action Plan / No table here.'\n"
    )
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip file")
    result = cli("import", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1 and "is not a Word document that can be read" in result.stderr
    assert "Traceback" not in result.stderr


# --- csv / xlsx -----------------------------------------------------------------------------


def test_csv_heading_variants_and_unknown_columns(tmp_path):
    src = tmp_path / "plan.csv"
    src.write_text(
        "No.,RECOMMENDATION,Action to be taken,Lead Agency,Target date,Progress indicator (Red/Amber/Green),"
        "Date of completion and outcome,Notes\n"
        "1,Share information.,Agree a protocol.,Northshire Police,By 31/03/2017,Completed,Protocol signed.,see minutes\n"
        "1,Share information.,Train staff.,Northshire Police,Q3,Amber,,\n"
        "2,Review risk tools.,Review.,Northshire CSP,Sept 2015,Blue,,\n",
        encoding="utf-8",
    )
    result = import_file(str(src), review_id="R 1")
    recs = result.plan["recommendations"]
    assert [r["number"] for r in recs] == [1, 2]
    assert recs[0]["actions"] == [
        {
            "id": "1.1",
            "action": "Agree a protocol.",
            "lead": "Northshire Police",
            "target": "2017-03-31",
            "outcome": "Protocol signed.",
            "rag": "complete",
            "import_notes": ["Notes: see minutes"],
        },
        {
            "id": "1.2",
            "action": "Train staff.",
            "lead": "Northshire Police",
            "rag": "amber",
            "import_notes": ["Target Date: Q3"],
        },
    ]
    assert recs[1]["actions"][0]["rag"] == "complete"
    assert result.warnings == [
        ("row 1", "column H ('Notes') is not a plan field; its cells are kept in import_notes"),
        ("row 3", "action 1.2: target date 'Q3' is not a date; kept in import_notes"),
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "plan.csv is empty: an action plan has a table (a heading row and a row per action)"),
        (
            "Colour,Size\nred,big\n",
            "the first row of its first table is: 'Colour', 'Size' (no column for action, lead, recommendation)",
        ),
        (
            "Recommendation,Action,Lead\n",
            "plan.csv has a heading row ('Recommendation', 'Action', 'Lead') but no actions under it",
        ),
    ],
)
def test_bad_csv(tmp_path, cli, content, message):
    src = tmp_path / "plan.csv"
    src.write_text(content, encoding="utf-8")
    result = cli("import", str(src), "-o", str(tmp_path / "x.yaml"), "--review-id", "R")
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_corrupt_xlsx_and_unknown_type(tmp_path, cli):
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    result = cli("import", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1 and "is not an Excel workbook that can be read" in result.stderr
    odd = tmp_path / "plan.pdf"
    odd.write_bytes(b"%PDF")
    result = cli("import", str(odd), "-o", str(tmp_path / "x.yaml"))
    assert result.stderr == f"Error: {odd} is not a PDF that can be read: No /Root object! - Is this really a PDF?\n"
    odd = tmp_path / "plan.key"
    odd.write_bytes(b"keynote")
    result = cli("import", str(odd), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1 and "dhrtrack imports" in result.stderr


def test_several_reviews_in_one_sheet(tmp_path):
    src = tmp_path / "all.csv"
    src.write_text("Review,Recommendation,Action,Lead\nA 1,Do.,Act.,Police\nB 2,Do.,Act.,NHS\n", encoding="utf-8")
    with pytest.raises(
        ImportFailed,
        match=r"the document holds 2 reviews \(A 1, B 2\): import one with --review-id, or all of them with --split",
    ):
        import_file(str(src))
    assert import_file(str(src), review_id="B 2").plan["recommendations"][0]["actions"][0]["lead"] == "NHS"


# --- export and round trips -----------------------------------------------------------------


def test_export_csv(tmp_path, cli):
    result = cli("export", str(SEED_PLAN), "--as-of", "2026-11-25")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Review,Review title,Partnership,Review kind,File,Recommendation number,Section,Agency,Scope,Addressee,"
        "Sent to addressee,Acknowledged,Response received,Response outcome,Response summary,Themes,"
        "Recommendation,Recommendation (Welsh),Action id,Action,Action (Welsh),Lead,Owner,Milestones,Target date,"
        "Due date,RAG,Overdue,Outcome,Outcome (Welsh),Completed,Evidence,Verified on,Verified by,"
        "Verification evidence,Import notes,Update log"
    )
    assert lines[1].startswith(
        f"BDHR 2012/13-05,Domestic Homicide Review BDHR 2012/13-05 Action Plan,,,{SEED_PLAN},1,overview,,local,,,,,,,,"
    )
    out = tmp_path / "a.csv"
    assert cli("export", str(SEED_PLAN), "-o", str(out), "--bom").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfReview,")
    again = cli("export", str(SEED_PLAN), "-o", str(out))
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr  # a usage error, as for import


def test_export_json_rows(cli):
    doc = json.loads(cli("export", str(SEED_PLAN), "--format", "json", "--as-of", "2026-11-25").stdout)
    assert doc["as_of"] == "2026-11-25" and len(doc["actions"]) == 48
    row = next(r for r in doc["actions"] if r["action_id"] == "6.1")
    assert (row["target"], row["due"], row["rag"], row["overdue"]) == ("2017-04", "2017-04-30", None, True)


def test_export_rows_hold_one_plan_at_a_time(tmp_path, monkeypatch):
    """Rows are made as they are written: each plan's data is taken, used and let go, so a
    national export never holds every plan's data at once; the rows are those of the plans."""
    from dhrtrack.plan import store
    from dhrtrack.reports import export as exporting

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a", "b", "c"):
        (plans / f"{name}.yaml").write_bytes(SEED_PLAN.read_bytes().replace(b"BDHR 2012/13-05", name.encode()))
    loaded = store.load([str(plans)], detail=store.DATA)
    assert loaded._data == {}  # with the cache on, the data waits in the content cache
    held = []
    rows = exporting.rows(loaded, dt.date(2026, 11, 25))
    reviews = []
    for row in rows:
        held.append(len(loaded._data))
        reviews.append(row["review"])
    assert max(held) == 0
    assert reviews == ["a"] * 48 + ["b"] * 48 + ["c"] * 48
    # With the cache off the data is loaded with the plans, and still let go as rows are made.
    uncached = store.load([str(plans)], use_cache=False, detail=store.DATA)
    assert len(uncached._data) == 3
    assert len(list(exporting.rows(uncached, dt.date(2026, 11, 25)))) == 144 and uncached._data == {}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_the_same_plan(tmp_path, cli, fmt):
    exported = tmp_path / f"plan.{fmt}"
    assert cli("export", str(SEED_PLAN), "--format", fmt, "-o", str(exported)).exit_code == 0
    out = tmp_path / "plans" / "again.yaml"
    result = cli("import", str(exported), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert load(out) == load(SEED_PLAN)


def test_xlsx_export_is_formatted(tmp_path, cli):
    from openpyxl import load_workbook

    out = tmp_path / "plan.xlsx"
    assert cli("export", str(SEED_PLAN), "--format", "xlsx", "-o", str(out), "--as-of", "2026-11-25").exit_code == 0
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Review" and sheet["A1"].font.bold
    recommendation = [c.value for c in sheet[1]].index("Recommendation") + 1
    letter = sheet.cell(row=1, column=recommendation).column_letter
    assert sheet.column_dimensions[letter].width == 50
    rag_col = [c.value for c in sheet[1]].index("RAG") + 1
    fills = {
        sheet.cell(row=r, column=rag_col).value: sheet.cell(row=r, column=rag_col).fill.fgColor.rgb
        for r in range(2, sheet.max_row + 1)
    }
    assert fills["complete"].endswith("BDD7EE")
    assert cli("export", str(SEED_PLAN), "--format", "xlsx").exit_code == 2  # binary: needs -o


# --- new and init ---------------------------------------------------------------------------


def test_new_writes_a_skeleton_that_validates(tmp_path, cli):
    out = tmp_path / "plans" / "nsdhr-2026-01.yaml"
    result = cli("new", str(out), "--review-id", "NSDHR 2026-01", "--partnership", "Northshire CSP")
    assert result.exit_code == 0
    text = out.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n")
    assert load(out) == {
        "schema_version": 1,
        "review": {"id": "NSDHR 2026-01", "partnership": "Northshire CSP"},
        "recommendations": [],
    }
    assert cli("validate", str(out), "--strict").exit_code == 0
    assert cli("new", str(out), "--review-id", "X").exit_code == 1
    assert load(out)["review"]["id"] == "NSDHR 2026-01"


def test_init_sets_up_a_repository_and_never_overwrites(tmp_path, cli, chdir):
    import sys

    repo = tmp_path / "csp"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".gitattributes").write_text("*.docx binary\n")
    result = cli("init", str(repo), "--install-from", "git+https://example.org/csp/dhrtrack@v1.0")
    assert result.exit_code == 0
    for relative in (
        "plans/example-2026-01.yaml",
        "schema/plan.schema.json",
        "schema/agencies.schema.json",
        ".pre-commit-config.yaml",
        ".github/workflows/plans.yml",
    ):
        assert (repo / relative).is_file(), relative
        assert f"created {repo / relative}" in result.stdout
    assert f"kept    {repo / '.gitattributes'} (it exists; not changed)" in result.stdout
    assert (repo / ".gitattributes").read_text() == "*.docx binary\n"
    assert "add these lines to your .gitattributes: plans/*.yaml diff=dhrtrack" in result.stdout

    def config(key):
        return subprocess.run(["git", "config", key], cwd=repo, capture_output=True, text=True).stdout.strip()

    assert config("diff.dhrtrack.textconv") == f"{sys.executable} -m dhrtrack textconv"
    assert config("diff.dhrtrack.cachetextconv") == "true"
    workflow = (repo / ".github" / "workflows" / "plans.yml").read_text()
    assert "DHRTRACK_PIP_SPEC: ${{ vars.DHRTRACK_PIP_SPEC || 'git+https://example.org/csp/dhrtrack@v1.0' }}" in workflow
    assert "pip install dhrtrack" not in workflow and "'dhrtrack'" not in workflow
    assert "set DHRTRACK_PIP_SPEC" not in result.stdout
    chdir(repo)
    assert cli("validate", "--strict").exit_code == 0
    again = cli("init", ".", "--gitlab")
    assert "created ./.gitlab-ci.yml" in again.stdout and again.stdout.count("kept") == 7
    assert "set DHRTRACK_PIP_SPEC in your CI settings" in again.stdout
    assert 'DHRTRACK_DEFAULT_SPEC: ""' in (repo / ".gitlab-ci.yml").read_text()
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"]
    assert hooks == [
        {"repo": "https://example.org/csp/dhrtrack", "rev": "v1.0", "hooks": [{"id": "dhrtrack-validate"}]}
    ]
    assert yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text())["jobs"]["validate"]


def test_init_never_brings_back_a_deleted_example_and_writes_the_registry_from_the_leads(tmp_path, cli):
    repo = tmp_path / "csp"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    assert cli("init", str(repo)).exit_code == 0
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=c", "-c", "user.email=c@example.org", "commit", "-qm", "init"], cwd=repo, check=True
    )
    assert not (repo / "plans" / "agencies.yaml").exists()  # the example's leads are not the partnership's
    (repo / "plans" / "example-2026-01.yaml").unlink()
    result = cli("init", str(repo))
    assert f"skipped {repo / 'plans' / 'example-2026-01.yaml'} (it was deleted)" in result.stdout
    assert not (repo / "plans" / "example-2026-01.yaml").exists()
    own = repo / "plans" / "nsdhr.yaml"
    own.write_text(
        plan_text(
            '- id: "1.1"\n  action: A\n  lead: Northshire Police\n'
            '- id: "1.2"\n  action: B\n  lead: northshire police.\n'
            '- id: "1.3"\n  action: C\n  lead: Northshire Police\n'
            '- id: "1.4"\n  action: D\n  lead: "Council: Children\'s Services"\n'
        )
    )
    result = cli("init", str(repo))
    assert f"created {repo / 'plans' / 'agencies.yaml'}" in result.stdout
    assert (repo / "plans" / "agencies.yaml").read_text().splitlines()[5:] == [
        "schema_version: 1",
        "agencies:",
        '  - name: "Council: Children\'s Services"',
        "  - name: Northshire Police",
        "    aliases:",
        "      - northshire police.",
    ]
    check = cli("validate", str(repo / "plans"))
    assert check.exit_code == 0 and "is not an agency in" not in check.stdout, check.stdout
    twice = cli("init", str(repo))
    assert "created" not in twice.stdout


def test_init_outside_git_says_how(tmp_path, cli):
    result = cli("init", str(tmp_path / "new"))
    assert result.exit_code == 0
    assert f"git init {tmp_path / 'new'}" in result.stdout
    assert f"dhrtrack init {tmp_path / 'new'}   (again, inside the repository" in result.stdout
    assert os.path.isfile(tmp_path / "new" / "plans" / "example-2026-01.yaml")
    assert not (tmp_path / "new" / "plans" / "agencies.yaml").exists()  # no plan of theirs names a lead yet


def test_init_refuses_an_install_location_it_cannot_write_safely(tmp_path, cli):
    result = cli("init", str(tmp_path / "x"), "--install-from", "dhrtrack' || curl evil")
    assert result.exit_code == 2
    assert "is not a pip requirement dhrtrack can write into a CI file" in result.stderr
    assert not (tmp_path / "x").exists()


# --- the writer -----------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120).filter(lambda t: t.strip())


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(texts, texts, st.lists(texts, max_size=3), st.one_of(st.none(), texts)), min_size=1, max_size=3),
    texts,
)
def test_dump_plan_reads_back_exactly(actions, review_id):
    from dhrtrack.plan.reader import load_text
    from dhrtrack.plan.write import dump_plan

    plan = {
        "schema_version": 1,
        "review": {"id": review_id},
        "recommendations": [
            {
                "number": 1,
                "section": "overview",
                "text": actions[0][0],
                "actions": [
                    {"id": f"1.{i}", "action": a, "lead": lead, "milestones": ms, **({"outcome": o} if o else {})}
                    for i, (a, lead, ms, o) in enumerate(actions, 1)
                ],
            }
        ],
    }
    loaded = load_text(dump_plan(plan), "p.yaml")
    assert loaded.problems == []
    assert loaded.document.data == plan


# --- property tests for the import parsers --------------------------------------------------

cell = st.one_of(
    st.sampled_from(
        [
            "",
            "1.",
            "2.",
            "10.",
            "x.",
            "Local",
            "Regional",
            "Completed",
            "Amber",
            "Ongoing",
            "Sept 2015",
            "31/02/2017",
            "1. Do this. 2. Do that.",
            "<p>Para</p> <ul> • One • Two",
            "Northshire Police: Lead",
            "Overview Report Recommendations",
            "Individual Agency Recommendations – Police",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r\n"), max_size=20),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=1, max_size=10), max_size=12))
def test_text_import_never_raises_and_writes_valid_plans(tmp_path_factory, rows):
    from dhrtrack.plan.write import dump_plan

    src = tmp_path_factory.mktemp("imp") / "plan.txt"
    lines = ["DHR X 2020-01 Action Plan", "\t".join(TEMPLATE)] + ["\t".join(r) for r in rows]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = import_file(str(src))
    except ImportFailed:
        return
    data, problem = parse_plan(dump_plan(result.plan).encode("utf-8"), "p.yaml")
    assert problem is None, problem


number_cell = st.one_of(
    st.sampled_from(["", "1", "1.", "2)", "0", "00", "²", "①", "1a", "Rec 1", "1.1", "12"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=4),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(number_cell, st.lists(cell, min_size=4, max_size=4)), max_size=8), st.booleans())
@example([("0", ["R", "A", "P", ""])], True)
@example([("00", ["R", "A", "P", ""])], True)
@example([("²", ["R", "A", "P", ""])], True)
@example([("①", ["R", "A", "P", "2020-01"])], True)
@example([("1", ["R", "A", "P", "2016-02-30"])], True)
@example([("", ["1", "2016-02-30", "", ""])], False)
def test_sheet_import_never_raises_and_writes_valid_plans(rows, with_number_column):
    from dhrtrack.plan.write import dump_plan
    from tests.invariant import build_sheet

    headings = ["Recommendation", "Action", "Lead Agency", "Target Date"]
    if with_number_column:
        headings = ["No."] + headings
        table = [(f"row {i}", [number] + r) for i, (number, r) in enumerate(rows, 2)]
    else:
        table = [(f"row {i}", r) for i, (_number, r) in enumerate(rows, 2)]
    try:
        result = build_sheet(headings, table)
    except ImportFailed:
        return
    data, problem = parse_plan(dump_plan(result.plan).encode("utf-8"), "p.yaml")
    assert problem is None, problem
    numbers = [r["number"] for r in result.plan["recommendations"]]
    assert all(n >= 1 for n in numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize(
    "text, plain",
    [
        ("2016-02-30", False),
        ("0000-00-00", False),
        ("1:30", False),
        ("0x10", False),
        ("1_000", False),
        ("2023-13", True),
        ("2016-02-30 10:00", True),
    ],
)
def test_text_that_looks_like_an_impossible_date_or_number_is_written_quoted(text, plain):
    from dhrtrack.plan.reader import load_text
    from dhrtrack.plan.write import dump_plan, plain_ok

    assert plain_ok(text) is plain
    plan = {
        "schema_version": 1,
        "review": {"id": text},
        "recommendations": [
            {"number": 1, "section": "overview", "text": text, "actions": [{"id": "1.1", "action": text, "lead": text}]}
        ],
    }
    assert load_text(dump_plan(plan), "p.yaml").document.data == plan


@settings(max_examples=400)
@given(st.text(alphabet="aAyYnNoOtTfFlLsSeE0159 ,.;'()/&:#-_~!?x", min_size=1, max_size=14))
@example("yes")
@example("Off")
@example("NULL")
@example("a: b")
@example("e1")
@example("northshire-police.xlsx")
@example("a - b")
def test_plain_ok_words_shortcut_agrees_with_pyyaml(text):
    """plain_ok decides common words without a parse: whatever it calls plain reads back as the same text."""
    from dhrtrack.plan.write import plain_ok

    if plain_ok(text):
        assert yaml.safe_load("k: " + text) == {"k": text}


# --- the cell rules a person would apply ---------------------------------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("1. Do this. 2. Do that.", ["Do this.", "Do that."]),
        ("3. Go on from the row above. 4. And on.", ["Go on from the row above.", "And on."]),
        ("4. A single numbered action", ["A single numbered action"]),
        ("a) One. b) Two. c) Three.", ["One.", "Two.", "Three."]),
        ("(a) One (b) Two", ["One", "Two"]),
        ("(i) One. (ii) Two. (iii) Three.", ["One.", "Two.", "Three."]),
        ("• One\n• Two", ["One", "Two"]),
        ("- One\n- Two", ["One", "Two"]),
        ("<ul><li>One</li><li>Two</li></ul>", ["One", "Two"]),
        ("Review training to cover: *referrals; *risk.", []),  # a list inside one action
        ("See section 11. of the policy.", []),
        ("(e) on its own", []),
        ("One action.", []),
    ],
)
def test_sub_actions(cell, expected):
    from dhrtrack.importing.cells import sub_actions

    assert sub_actions(cell) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("7", (7, None)),
        ("7.", (7, None)),
        ("7)", (7, None)),
        ("Rec 7", (7, None)),
        ("R7", (7, None)),
        ("Recommendation 7", (7, None)),
        ("7.2", (7, "7.2")),
        ("7a", (7, "7a")),
        ("7(b)", (7, "7b")),
        ("0", (None, None)),
        ("²", (None, None)),
        ("①", (None, None)),
        ("see above", (None, None)),
        ("1.2.3", (None, None)),
    ],
)
def test_number_cells(cell, expected):
    from dhrtrack.importing.cells import number_cell

    assert number_cell(cell) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("1. Agencies should act.", (1, "Agencies should act.")),
        ("2) The CSP should", (2, "The CSP should")),
        ("Recommendation 3: Police should", (3, "Police should")),
        ("Rec 4 - Agencies", (4, "Agencies")),
        ("R5 GPs should", (5, "GPs should")),
        ("2020 saw a review", (None, "2020 saw a review")),
        ("Recommendations follow", (None, "Recommendations follow")),
        ("1.", (None, "1.")),
    ],
)
def test_number_at_the_start_of_a_recommendation_cell(cell, expected):
    from dhrtrack.importing.cells import numbered_text

    assert numbered_text(cell) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Completed 15/11/2025: Policy approved.", ("complete", "2025-11-15", "Policy approved.")),
        ("Completed on 3 March 2024 - audit done", ("complete", "2024-03-03", "audit done")),
        ("Amber", ("amber", None, "")),
        ("Red – audit delayed", ("red", None, "audit delayed")),
        ("On track: training booked", ("green", None, "training booked")),
        ("Training delivered to 40 staff. Complete.", ("complete", None, "Training delivered to 40 staff")),
        ("Complete March", (None, None, "Complete March")),
        ("Redesign the form", (None, None, "Redesign the form")),
        ("Policy signed off.", (None, None, "Policy signed off.")),
    ],
)
def test_ratings_written_in_the_outcome(text, expected):
    from dhrtrack.importing.cells import rating_in_text

    assert rating_in_text(text) == expected


def test_completion_date_inside_an_outcome():
    from dhrtrack.importing.cells import completed_in_text

    assert completed_in_text("Policy signed off. Completed 12/08/2021.") == "2021-08-12"
    assert completed_in_text("Completed in 31st March 2022 with the board") == "2022-03-31"
    assert completed_in_text("Completed March 2022") is None  # a month is not the day it was done
    assert completed_in_text("Work is ongoing.") is None


@pytest.mark.parametrize(
    "known, cell, expected",
    [
        (["Police"], "Police & Probation Service", ("Police & Probation Service", None)),
        (["Police"], "Police and Probation", ("Police and Probation", None)),
        (["Police"], "Police – DCI Smith", ("Police", "DCI Smith")),
        (["Police"], "Police: Safeguarding Service Manager", ("Police", "Safeguarding Service Manager")),
        ([], "Northshire Council – Head of Housing", ("Northshire Council", "Head of Housing")),
        ([], "Northshire Council, Housing Manager", ("Northshire Council", "Housing Manager")),
        ([], "Northshire Council – Children's Social Care", ("Northshire Council – Children's Social Care", None)),
        ([], "Council and ICB", ("Council and ICB", None)),
        ([], "Head of Service, Police", ("Head of Service, Police", None)),
    ],
)
def test_leads_joint_and_organisation_role(known, cell, expected):
    agencies = Agencies()
    for name in known:
        agencies.add(name)
    assert agencies.split_lead(cell) == expected


def test_a_chunked_write_that_fails_half_way_leaves_the_old_file(tmp_path):
    from dhrtrack.plan.write import write_bytes_atomic

    target = tmp_path / "actions.csv"
    target.write_bytes(b"the old export\n")

    def chunks():
        yield b"Review,Action\r\n"
        raise RuntimeError("a plan changed while it was being read")

    with pytest.raises(RuntimeError):
        write_bytes_atomic(str(target), chunks(), force=True)
    assert target.read_bytes() == b"the old export\n"
    assert os.listdir(tmp_path) == ["actions.csv"]  # no temporary file left behind
    write_bytes_atomic(str(target), iter([b"a,", b"b\r\n"]), force=True)
    assert target.read_bytes() == b"a,b\r\n"


def test_csv_export_comes_in_chunks_that_join_to_the_whole_file():
    from dhrtrack.render import export as render_export

    rows = [{column.key: f"{column.key} {i}" for column in render_export.COLUMNS} for i in range(2500)]
    for row in rows:
        row.update(milestones=[], themes=[], evidence=[], import_notes=[], updates=[], overdue=False)
    chunks = list(render_export.to_csv(iter(rows), dt.date(2026, 11, 25), bom=True))
    assert len(chunks) == 3 and all(chunks)
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeffReview,") and text.count("\r\n") == 2501


def test_after_init_git_diff_reads_plans_through_dhrtrack_and_agencies_as_yaml(tmp_path, cli):
    repo = tmp_path / "csp"
    repo.mkdir()
    git = ["git", "-c", "user.name=c", "-c", "user.email=c@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    assert cli("init", str(repo)).exit_code == 0
    (repo / "plans" / "agencies.yaml").write_text("schema_version: 1\nagencies:\n  - name: Northshire Police\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=repo, check=True)
    example = repo / "plans" / "example-2026-01.yaml"
    example.write_text(example.read_text().replace("rag: amber", "rag: red", 1))
    (repo / "plans" / "agencies.yaml").write_text(
        "schema_version: 1\nagencies:\n  - name: Northshire Police\n  - name: Northshire Council\n"
    )
    diff = subprocess.run(["git", "diff"], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert "-1.1 rag: amber\n+1.1 rag: red\n" in diff  # the plan, one field a line, through dhrtrack textconv
    assert "+  - name: Northshire Council\n" in diff and "not a valid plan" not in diff  # the registry as it is


def test_the_manuals_pre_commit_snippet_is_the_one_init_writes():
    from tests.conftest import ROOT

    readme = (ROOT / "docs" / "validate-and-ci.md").read_text(encoding="utf-8")
    from dhrtrack.templates import pre_commit_config

    written = "".join(
        line + "\n"
        for line in pre_commit_config("git+https://example.org/csp/dhrtrack@v1.0").splitlines()
        if not line.startswith("#")
    )
    assert "```yaml\n" + written + "```" in readme


def test_the_pre_commit_hook_is_this_repositorys_python_hook():
    """The hook init names is the one .pre-commit-hooks.yaml ships, and pre-commit installs it
    (language: python), so commits from clients without dhrtrack on PATH are checked too."""
    from dhrtrack.templates import hook_source, pre_commit_config
    from tests.conftest import ROOT

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "dhrtrack-validate" and hook["language"] == "python"
    assert hook["entry"] == "dhrtrack validate" and hook["require_serial"] is True
    config = yaml.safe_load(pre_commit_config("git+https://example.org/csp/dhrtrack@v1.0#egg=dhrtrack"))
    assert config == {
        "repos": [{"repo": "https://example.org/csp/dhrtrack", "rev": "v1.0", "hooks": [{"id": "dhrtrack-validate"}]}]
    }
    assert hook_source("git+ssh://git@example.org/csp/dhrtrack.git@2f0c1e") == (
        "ssh://git@example.org/csp/dhrtrack.git",
        "2f0c1e",
    )
    assert hook_source("git+https://example.org/csp/dhrtrack") is None  # no revision
    (local,) = yaml.safe_load(pre_commit_config("dhrtrack==1.0"))["repos"]
    assert local["repo"] == "local"
    assert {k: local["hooks"][0][k] for k in ("id", "entry", "language", "additional_dependencies")} == {
        "id": "dhrtrack-validate",
        "entry": "dhrtrack validate",
        "language": "python",
        "additional_dependencies": ["dhrtrack==1.0"],
    }
    assert "language: system" not in pre_commit_config("") + pre_commit_config("dhrtrack==1.0")
