"""The field table (dhrtrack.plan.fields): held to the schema both ways, and every field reaching
every view that lists fields (writer, textconv, show, export as CSV, Excel, JSON and SQLite, and
import reading an export back)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhrtrack.plan import fields
from dhrtrack.plan.validate import valid_data
from dhrtrack.plan.write import dump_plan
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]
# Where each level's properties are in the schema.
LEVEL_SCHEMAS = {
    fields.PLAN: SCHEMA,
    fields.REVIEW: SCHEMA["properties"]["review"],
    fields.RECOMMENDATION: DEFS["recommendation"],
    fields.ACTION: DEFS["action"],
    fields.UPDATE: DEFS["update"],
}
# A record within a level (an action's `verified`) is that level's property of the record's name.
LEVEL_SCHEMAS.update((record, LEVEL_SCHEMAS[parent]["properties"][record]) for record, parent in fields.WITHIN.items())
# The schema definition each kind of field is written with.
KIND_SCHEMAS = {
    "line": {"$ref": "#/$defs/line"},
    "text": {"$ref": "#/$defs/text"},
    "date": {"$ref": "#/$defs/date"},
    "month": {"$ref": "#/$defs/month_or_date"},
    "rag": {"$ref": "#/$defs/rag"},
    "tags": {"type": "array", "items": {"$ref": "#/$defs/line"}},
    "texts": {"type": "array", "items": {"$ref": "#/$defs/text"}},
    "log": {"type": "array", "items": {"$ref": "#/$defs/update"}},
    "actions": {"type": "array", "items": {"$ref": "#/$defs/action"}},
    "recommendations": {"type": "array", "items": {"$ref": "#/$defs/recommendation"}},
}


def _shape(definition: dict) -> dict:
    return {k: v for k, v in definition.items() if k != "description"}


@pytest.mark.parametrize("level", fields.LEVELS)
def test_every_schema_property_is_a_row_and_every_row_a_property(level):
    schema = LEVEL_SCHEMAS[level]
    assert list(schema["properties"]) == list(fields.names(level))  # the same fields, in the house order
    assert sorted(schema.get("required", [])) == sorted(f.name for f in fields.fields(level) if f.required)


@pytest.mark.parametrize("row", fields.FIELDS, ids=lambda f: f"{f.level}.{f.name}")
def test_each_row_is_of_the_kind_its_schema_says(row):
    definition = _shape(LEVEL_SCHEMAS[row.level]["properties"][row.name])
    if row.kind in KIND_SCHEMAS:
        assert definition == KIND_SCHEMAS[row.kind]
    elif row.kind == "choice":
        assert definition == {"enum": list(row.choices)}
    elif row.kind == "number":
        assert definition == {"type": "integer", "minimum": 1}
    elif row.kind == "record":
        assert definition["type"] == "object" and list(definition["properties"]) == list(fields.names(row.name))
    elif row.kind == "id":
        assert definition["type"] == "string" and "pattern" in definition
    else:
        assert (row.kind, definition) == ("version", {"const": 1})
    if row.kind == "rag":
        assert list(row.choices) == DEFS["rag"]["enum"]


def test_row_columns_are_unique_and_named():
    columns = fields.row_columns()
    assert len({c.key for c in columns}) == len(columns)
    assert len({c.label for c in columns}) == len(columns)
    exported = [
        f
        for f in fields.FIELDS
        if f.export and f.level in (fields.REVIEW, fields.RECOMMENDATION, fields.ACTION, *fields.WITHIN)
    ]
    assert {c.field for c in columns if c.field} == set(exported)
    # The rating is read straight after the target (with the due date the views work out).
    keys = [c.key for c in columns]
    assert keys[keys.index("target") : keys.index("target") + 4] == ["target", "due", "rag", "overdue"]


def test_public_fields_are_those_the_design_names():
    public = {f"{f.level}.{f.name}" for f in fields.FIELDS if f.public and f.level != fields.PLAN}
    assert all(f.public for f in fields.fields(fields.PLAN))  # the format's version and its two parts
    assert public == {
        "review.id",
        "review.title",
        "review.partnership",
        "review.kind",
        "recommendation.number",
        "recommendation.section",
        "recommendation.agency",
        "recommendation.scope",
        "recommendation.themes",
        "recommendation.text",
        "recommendation.text_cy",  # the Welsh of a published text is published
        "recommendation.actions",
        "action.id",
        "action.action",
        "action.action_cy",
        "action.lead",
        "action.milestones",
        "action.target",
        "action.rag",
        "action.completed",
        "action.outcome",
        "action.outcome_cy",
        "action.verified",
        "verified.date",  # the record is published with its date only (never who, or the evidence)
        "recommendation.addressee",  # a national recommendation's addressee and the answer it gave
        "recommendation.response",
        "response.sent",
        "response.acknowledged",
        "response.received",
        "response.outcome",
        "response.summary",
    }


def test_reading_order_moves_a_field_after_the_one_it_names():
    order = [f.name for f in fields.reading_order(fields.fields(fields.ACTION))]
    assert order == [
        "id",
        "action",
        "action_cy",
        "lead",
        "owner",
        "milestones",
        "target",
        "rag",
        "outcome",
        "outcome_cy",
        "completed",
        "evidence",
        "verified",
        "import_notes",
        "updates",
    ]


# --- a plan with every field ----------------------------------------------------------------

# Text a spreadsheet and the importer keep exactly: words, not markup, bullets or numbered points.
words = (
    st.text(string.ascii_letters + " ,'()&", min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)
)
days = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))
months = st.one_of(days.map(lambda d: d.isoformat()[:7]), days.map(lambda d: d.isoformat()))


# Agency names from two pools whose spellings never meet: the importer files a lead under the
# agency a sheet names when the two differ only in spelling ("h" and "H"), on purpose.
LEADS = st.sampled_from(["Northshire Police", "Eastvale NHS Trust", "Westbrook Women's Aid"])
AGENCIES = st.sampled_from(["Southmoor Council", "Probation Service"])


def value_of(field: fields.Field) -> st.SearchStrategy:
    if field.name == "lead":
        return LEADS
    if field.name == "agency":
        return AGENCIES
    kind = field.kind
    if kind == "record":  # a record says something: at least one of its fields
        return mapping(field.name, {}).filter(bool)
    strategies = {
        "line": words,
        "text": st.lists(words, min_size=1, max_size=2).map("\n".join),
        "date": days.map(lambda d: d.isoformat()),
        "month": months,
        "rag": st.sampled_from(fields.RAGS),
        "choice": st.sampled_from(field.choices),
        "tags": st.lists(words, min_size=1, max_size=3, unique=True),
        "texts": st.lists(words, min_size=1, max_size=3),
    }
    return strategies[kind]


def mapping(level: str, fixed: dict) -> st.SearchStrategy:
    """A level's mapping with any of its optional fields, each of any value its kind allows."""
    optional = {
        f.name: value_of(f)
        for f in fields.fields(level)
        if f.name not in fixed and f.kind not in ("log", "actions", "version")
    }
    required = {name: st.just(value) for name, value in fixed.items()}
    for f in fields.fields(level):
        if f.required and f.name in optional:
            required[f.name] = optional.pop(f.name)
    return st.fixed_dictionaries(required, optional=optional)


updates = st.lists(mapping(fields.UPDATE, {}), max_size=3)


@st.composite
def plans(draw):
    recommendations = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        rec = draw(mapping(fields.RECOMMENDATION, {"number": number, "actions": []}))
        if rec["section"] == "agency" and "agency" not in rec:
            rec["agency"] = draw(AGENCIES)
        for n in range(1, draw(st.integers(1, 3)) + 1):
            action = draw(mapping(fields.ACTION, {"id": f"{number}.{n}"}))
            log = draw(updates)
            if log:
                action["updates"] = log
            rec["actions"].append(action)
        recommendations.append(rec)
    return {"schema_version": 1, "review": draw(mapping(fields.REVIEW, {})), "recommendations": recommendations}


def _ordered(plan: dict) -> dict:
    """The plan with each mapping in the house order (what the writer and importer make)."""
    recs = []
    for rec in plan["recommendations"]:
        actions = [
            {
                **{k: a[k] for k in fields.names(fields.ACTION) if k in a and k != "updates"},
                **(
                    {"updates": [{k: u[k] for k in fields.names(fields.UPDATE) if k in u} for u in a["updates"]]}
                    if "updates" in a
                    else {}
                ),
            }
            for a in rec["actions"]
        ]
        recs.append({**{k: rec[k] for k in fields.names(fields.RECOMMENDATION) if k in rec}, "actions": actions})
    return {**plan, "recommendations": recs}


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(plans())
def test_the_writer_writes_every_field_and_reads_back_exactly(plan):
    data, problem = valid_data(dump_plan(plan).encode("utf-8"), "p.yaml")
    assert problem is None, problem
    assert data == plan


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=40)
@given(plans(), st.sampled_from(["csv", "xlsx"]))
def test_an_export_imports_back_as_the_same_plan_with_every_field(tmp_path_factory, plan, form):
    """Every field goes out in a column and comes back (the update log an entry a line)."""
    from dhrtrack.importing import import_file
    from dhrtrack.plan import store
    from dhrtrack.render.export import EXPORTERS
    from dhrtrack.reports import export

    directory = tmp_path_factory.mktemp("plans")
    source = directory / "p.yaml"
    source.write_text(dump_plan(plan), encoding="utf-8")
    loaded = store.load([str(source)], use_cache=False, detail=store.DATA)
    assert not loaded.invalid
    out = directory / f"export.{form}"
    as_of = dt.date(2026, 1, 1)
    out.write_bytes(b"".join(EXPORTERS[form](export.rows(loaded, as_of), as_of)))
    result = import_file(str(out))
    assert result.plan == _ordered(plan)


def test_the_update_log_cell_reads_back_and_refuses_what_is_not_an_entry():
    entry = {"date": "2026-03-01", "rag": "amber", "note": "a | b \\ c\nd ", "by": "Northshire Police"}
    assert fields.update_line(entry) == "2026-03-01 | rag: amber | note: a \\| b \\\\ c\\nd  | by: Northshire Police"
    assert fields.parse_update_line(fields.update_line(entry)) == entry
    for line in (
        "2026-03-01: amber",  # a summary, not an entry
        "2026-02-30 | rag: amber",  # no such day
        "2026-03-01 | rag: purple",
        "2026-03-01 | colour: red",  # no such field
        "2026-03-01 | rag: red | rag: amber",
        "2026-03-01|rag: red",
    ):
        assert fields.parse_update_line(line) is None, line


@given(mapping(fields.UPDATE, {}))
def test_any_update_entry_reads_back_from_its_line(entry):
    assert fields.parse_update_line(fields.update_line(entry)) == entry


# --- every field reaches every view ---------------------------------------------------------


def token_plan() -> dict:
    """A plan where each text field holds a token of its own ("T07X"), so that a view missing a
    field is seen at once; other kinds get values distinct where the kind allows."""
    counter = iter(range(100))

    def fill(level: str, fixed: dict) -> dict:
        out = dict(fixed)
        for f in fields.fields(level):
            if f.name in out or f.kind in ("log", "actions", "version"):
                continue
            n = next(counter)
            token = f"T{n:02d}X"
            if f.kind in ("line", "text"):
                out[f.name] = token
            elif f.kind in ("tags", "texts"):
                out[f.name] = [token]
            elif f.kind == "date":
                out[f.name] = f"{2001 + n}-02-{10 + n % 18}"
            elif f.kind == "month":
                out[f.name] = f"{2001 + n}-11"
            elif f.kind == "rag":
                out[f.name] = "green" if level == fields.ACTION else "red"
            elif f.kind == "record":
                out[f.name] = fill(f.name, {})
            else:
                out[f.name] = f.choices[-1]
        return out

    action = fill(fields.ACTION, {"id": "7.3"})
    action["updates"] = [fill(fields.UPDATE, {})]
    rec = fill(fields.RECOMMENDATION, {"number": 7, "actions": [action]})
    return {"schema_version": 1, "review": fill(fields.REVIEW, {}), "recommendations": [rec]}


def expected_values(plan: dict) -> dict:
    """field -> how its value appears in a view's text."""
    rec = plan["recommendations"][0]
    action = rec["actions"][0]
    out = {}
    for level, data in (
        (fields.REVIEW, plan["review"]),
        (fields.RECOMMENDATION, rec),
        (fields.ACTION, action),
        (fields.VERIFIED, action["verified"]),
        (fields.UPDATE, action["updates"][0]),
    ):
        for f in fields.fields(level):
            value = data.get(f.name)
            if isinstance(value, list) and value and isinstance(value[0], str):
                value = value[0]
            if isinstance(value, (str, int)):
                out[f"{level}.{f.name}"] = str(value)
    return out


@pytest.fixture
def tokens(tmp_path):
    plan = token_plan()
    path = tmp_path / "plans" / "tokens.yaml"
    path.parent.mkdir()
    path.write_text(dump_plan(plan), encoding="utf-8")
    return path, expected_values(plan)


def _missing(text: str, expected: dict) -> list:
    return [name for name, value in expected.items() if value not in text]


def test_every_field_reaches_textconv_and_show(tokens, cli):
    path, expected = tokens
    assert _missing(cli("textconv", str(path)).stdout, expected) == []
    shown = cli(
        "show", "tokens:7.3", "--plans", str(path.parent), "--no-history", "--format", "json", "--as-of", "2026-01-01"
    )
    assert shown.exit_code == 0, shown.stderr
    assert _missing(shown.stdout, expected) == []
    for form in ("text", "markdown"):  # the log is summarised there, every other field is shown
        text = cli(
            "show", "tokens:7.3", "--plans", str(path.parent), "--no-history", "--format", form, "--as-of", "2026-01-01"
        ).stdout
        wanted = {k: v for k, v in expected.items() if not k.startswith("update.")}
        wanted["review.kind"] = fields.kind_name([wanted["review.kind"]])  # a kind is shown by its name
        assert _missing(text, wanted) == []


@pytest.mark.parametrize("form", ["csv", "json", "xlsx", "sqlite"])
def test_every_field_reaches_every_export(tokens, cli, tmp_path, form):
    path, expected = tokens
    out = tmp_path / f"out.{form}"
    result = cli("export", str(path), "--format", form, "-o", str(out), "--as-of", "2026-01-01")
    assert result.exit_code == 0, result.stderr
    if form == "xlsx":
        from openpyxl import load_workbook

        text = "\n".join(str(c.value) for row in load_workbook(out).active.iter_rows() for c in row)
    elif form == "sqlite":
        db = sqlite3.connect(out)
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        text = "\n".join(str(row) for table in tables for row in db.execute(f"SELECT * FROM {table}"))
        db.close()
    else:
        text = out.read_text(encoding="utf-8")
    # Excel holds dates as dates: compare them as dates, not as the text of the plan.
    if form == "xlsx":
        text += "\n" + "\n".join(v for v in expected.values() if v[:4].isdigit() and v[4:5] == "-")
    assert _missing(text, expected) == []


def test_every_csv_row_is_as_wide_as_its_header(tokens, cli):
    """Every report's CSV form, and the export: no row narrower or wider than the header."""
    path, _expected = tokens
    for args in (
        ["export", str(path)],
        ["status", str(path), "--format", "csv"],
        ["overdue", str(path), "--format", "csv"],
        ["unrated", str(path), "--format", "csv"],
        ["summary", str(path), "--format", "csv"],
        ["due", str(path), "--format", "csv", "--within", "9999d"],
        ["agencies", str(path), "--format", "csv"],
        ["stats", str(path), "--format", "csv"],
    ):
        result = cli(*args, "--as-of", "2026-01-01")
        assert result.exit_code in (0, 1), (args, result.stderr)
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows and {len(row) for row in rows} == {len(rows[0])}, args


# --- the field reference --------------------------------------------------------------------


def test_every_field_is_described_in_the_schema():
    for level, part in LEVEL_SCHEMAS.items():
        assert [name for name, p in part["properties"].items() if not p.get("description")] == [], level


def test_the_field_reference_is_made_from_the_table_and_the_schema():
    from dhrtrack.render.fields import reference

    page = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    assert page == reference(SCHEMA), "docs/fields.md is stale: run tools/generate-field-docs"
    assert all(f"| `{f.name}` |" in page for f in fields.FIELDS)
