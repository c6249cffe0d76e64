"""`dhrtrack export --format sqlite`: every plan in one SQLite database (the standard library's
driver, no server) for analysts: SQL, Datasette, DuckDB or Excel's Power Query. Tables reviews,
recommendations, actions, updates and themes, and (in a git repository) changes: every RAG move
and target change with its commit and date. Keys, foreign keys and indexes; dates as ISO text.
The schema is SCHEMA below; docs/export.md documents it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from dhrtrack import __version__
from dhrtrack.agencies import Canon
from dhrtrack.history.slips import Recorder
from dhrtrack.plan import fields
from dhrtrack.plan.model import is_overdue
from dhrtrack.plan.store import Loaded


class Column(NamedTuple):
    name: str
    sql_type: str  # with its constraints
    comment: str = ""
    field: Optional[fields.Field] = None  # the plan field it holds, or None: a key or a computed value


_COMMENTS = {
    "month": "YYYY-MM or YYYY-MM-DD",
    "date": "YYYY-MM-DD",
    "rag": "red | amber | green | complete | NULL (unrated)",
    "texts": "JSON array",
}


def _field_columns(level: str, computed: Tuple[Column, ...] = (), after: Tuple[str, ...] = ()) -> List[Column]:
    """A level's plan fields as columns (each level in reading order; lists of text as JSON,
    tags and the log as tables of their own), with computed columns each after the field named
    beside it."""
    columns = []
    for f in fields.reading_order([f for f in fields.flat(level) if f.export and f.kind not in ("tags", "log")]):
        sql_type = "INTEGER" if f.kind == "number" else "TEXT"
        columns.append(
            Column(
                _RENAMED.get(f.sql_column, f.sql_column),
                sql_type + (" NOT NULL" if f.required and f.level not in fields.WITHIN else ""),
                _COMMENTS.get(f.kind, ""),
                f,
            )
        )
    for column, name in zip(computed, after, strict=True):
        at = next(i for i, c in enumerate(columns) if c.field is not None and c.field.name == name)
        columns.insert(at + 1, column)
    return columns


# Keys an analyst reads without the documentation: a plan by its name (the file's stem), a
# recommendation by its plan and number, an action by its ref (plan:action-id), each table
# carrying the review's own id beside them; no integer keys to join through.
_PLAN = Column("plan", "TEXT NOT NULL REFERENCES reviews(plan)", "the file's stem: the plan's name on the command line")
_REVIEW_ID = Column("review_id", "TEXT NOT NULL", "the review's id as the partnership writes it")
_REF = Column("ref", "TEXT NOT NULL REFERENCES actions(ref)", "plan:action-id")
# Plan field names that are SQL keywords, or read as something else in a table of their own.
_RENAMED = {"by": "given_by"}
REVIEW_COLUMNS = [
    Column("plan", "TEXT PRIMARY KEY", "the file's stem: the plan's name on the command line"),
    Column("file", "TEXT NOT NULL"),
    *_field_columns(fields.REVIEW),
]
RECOMMENDATION_COLUMNS = [
    _PLAN,
    _REVIEW_ID,
    *_field_columns(fields.RECOMMENDATION),
]
ACTION_COLUMNS = [
    Column("ref", "TEXT PRIMARY KEY", "plan:action-id"),
    _PLAN,
    _REVIEW_ID,
    Column("recommendation_number", "INTEGER NOT NULL"),
    *_field_columns(
        fields.ACTION,
        (
            Column("agency", "TEXT NOT NULL", "the lead's canonical name (plans/agencies.yaml, else spelling)"),
            Column("due", "TEXT", "YYYY-MM-DD"),
            Column("overdue", "INTEGER NOT NULL", "1 when overdue as of the export's as_of"),
        ),
        ("lead", "target", "rag"),
    ),
]
UPDATE_COLUMNS = [
    _REF,
    Column("seq", "INTEGER NOT NULL", "1 for the oldest entry of the action's log"),
    *_field_columns(fields.UPDATE),
]
# A recommendation's tags (themes), one row each, in a table named after the field.
TAGS = [f for f in fields.fields(fields.RECOMMENDATION) if f.kind == "tags"]
CHANGE_COLUMNS = [
    Column("ref", "TEXT NOT NULL", "plan:action-id (the action may no longer be in the plans)"),
    Column("plan", "TEXT NOT NULL"),
    Column("action_id", "TEXT NOT NULL"),
    Column("field", "TEXT NOT NULL", "rag | target"),
    Column("old", "TEXT"),
    Column("new", "TEXT"),
    Column("slip", "INTEGER NOT NULL", "1 when a target moved to a later date"),
    Column("date", "TEXT NOT NULL", "the commit's date"),
    Column("commit_id", "TEXT NOT NULL", "the commit's full id"),
]


def _quoted(name: str) -> str:
    return f'"{name}"'  # every column name quoted: a field may be named like an SQL keyword


def _table(name: str, columns: List[Column], *constraints: str) -> str:
    items = [(f"{_quoted(c.name)} {c.sql_type}", c.comment) for c in columns] + [(c, "") for c in constraints]
    lines = [
        f"  {definition}{',' if i < len(items) - 1 else ''}" + (f"  -- {comment}" if comment else "")
        for i, (definition, comment) in enumerate(items)
    ]
    return f"CREATE TABLE {name} (\n" + "\n".join(lines) + "\n);\n"


_TAG_COLUMNS = [_PLAN, Column("recommendation_number", "INTEGER NOT NULL")]
SCHEMA = (
    "CREATE TABLE export (key TEXT PRIMARY KEY, value TEXT);\n"
    + _table("reviews", REVIEW_COLUMNS)
    + _table("recommendations", RECOMMENDATION_COLUMNS, "PRIMARY KEY (plan, number)")
    + _table(
        "actions",
        ACTION_COLUMNS,
        "UNIQUE (plan, action_id)",
        "FOREIGN KEY (plan, recommendation_number) REFERENCES recommendations(plan, number)",
    )
    + _table("updates", UPDATE_COLUMNS, "PRIMARY KEY (ref, seq)")
    + "".join(
        _table(
            tag.name,
            [*_TAG_COLUMNS, Column(tag.item, "TEXT NOT NULL")],
            f"PRIMARY KEY (plan, recommendation_number, {tag.item})",
            "FOREIGN KEY (plan, recommendation_number) REFERENCES recommendations(plan, number)",
        )
        for tag in TAGS
    )
    + _table("changes", CHANGE_COLUMNS)
)

_TABLES: Dict[str, List[Column]] = {
    "reviews": REVIEW_COLUMNS,
    "recommendations": RECOMMENDATION_COLUMNS,
    "actions": ACTION_COLUMNS,
    "updates": UPDATE_COLUMNS,
}
_TABLES.update((tag.name, [*_TAG_COLUMNS, Column(tag.item, "TEXT")]) for tag in TAGS)

# Made after the rows are in: building an index once is faster than keeping it up to date.
INDEXES = """
CREATE INDEX actions_agency ON actions(agency);
CREATE INDEX actions_rag ON actions(rag);
CREATE INDEX actions_due ON actions(due);
CREATE INDEX actions_review_id ON actions(review_id);
CREATE INDEX themes_theme ON themes(theme);
CREATE INDEX changes_ref ON changes(ref);
"""


def _insert_sql(table: str, columns: List[Column]) -> str:
    names = ", ".join(_quoted(c.name) for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _json(value: Optional[list]) -> Optional[str]:
    return json.dumps(value, ensure_ascii=False) if value else None


Getter = Callable[[dict], Any]


def _getters(columns: List[Column]) -> List[Optional[Getter]]:
    """For each column, how its value is read from the plan's data (None: worked out by fill)."""
    return [None if c.field is None else _getter(c.field) for c in columns]


def _getter(f: fields.Field) -> Getter:
    name = f.name
    if f.kind == "texts":
        return lambda data: _json(data.get(name))
    if f.level in fields.WITHIN:
        return lambda data: fields.value_in(data, f)
    return lambda data: data.get(name)


def fill(path: str, loaded: Loaded, canon: Canon, as_of: dt.date, history: Optional[Recorder]) -> Dict[str, int]:
    """Write the database at path (a new, empty file); the number of rows in each table."""
    connection = sqlite3.connect(path)
    try:
        # The file is a temporary one that replaces the output only when complete (and is then
        # synced to disk): no journal and no syncing while it is built.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(SCHEMA)
        counts = _insert(connection, loaded, canon, as_of, history)
        connection.executescript(INDEXES)
        connection.commit()
    finally:
        connection.close()
    return counts


def _row(getters: List[Optional[Getter]], data: dict, computed: Dict[str, Any], columns: List[Column]) -> tuple:
    return tuple(computed[c.name] if get is None else get(data) for get, c in zip(getters, columns, strict=True))


def _insert(
    db: sqlite3.Connection, loaded: Loaded, canon: Canon, as_of: dt.date, history: Optional[Recorder]
) -> Dict[str, int]:
    counts = {name: 0 for name in [*_TABLES, "changes"]}
    getters = {name: _getters(columns) for name, columns in _TABLES.items()}
    sql = {name: _insert_sql(name, columns) for name, columns in _TABLES.items()}
    for plan in loaded.plans:
        data = loaded.take_data(plan)  # one plan's data at a time
        review_id = data["review"]["id"]
        db.execute(
            sql["reviews"],
            _row(getters["reviews"], data["review"], {"plan": plan.name, "file": plan.file}, REVIEW_COLUMNS),
        )
        counts["reviews"] += 1
        models = iter(plan.actions)
        rows: Dict[str, List[tuple]] = {"recommendations": [], "actions": [], "updates": []}
        tag_rows: Dict[str, List[tuple]] = {tag.name: [] for tag in TAGS}
        for rec in data["recommendations"]:
            number = rec["number"]
            rows["recommendations"].append(
                _row(
                    getters["recommendations"],
                    rec,
                    {"plan": plan.name, "review_id": review_id},
                    RECOMMENDATION_COLUMNS,
                )
            )
            for tag in TAGS:
                tag_rows[tag.name] += [(plan.name, number, t) for t in dict.fromkeys(rec.get(tag.name) or [])]
            for action in rec["actions"]:
                model = next(models)
                ref = f"{plan.name}:{action['id']}"
                due = model.due
                computed = {
                    "ref": ref,
                    "plan": plan.name,
                    "review_id": review_id,
                    "recommendation_number": number,
                    "agency": canon(action["lead"]),
                    "due": due.isoformat() if due else None,
                    "overdue": int(is_overdue(due, action.get("rag"), as_of)),
                }
                rows["actions"].append(_row(getters["actions"], action, computed, ACTION_COLUMNS))
                for seq, entry in enumerate(action.get("updates") or [], 1):
                    rows["updates"].append(_row(getters["updates"], entry, {"ref": ref, "seq": seq}, UPDATE_COLUMNS))
        for name, made in list(rows.items()) + list(tag_rows.items()):
            db.executemany(sql[name], made)
            counts[name] += len(made)
    if history is not None:
        changes = [
            (f"{c.plan}:{c.action}", c.plan, c.action, c.field, c.old, c.new, int(c.slip), c.date, c.commit)
            for c in history.changes
        ]
        db.executemany(_insert_sql("changes", CHANGE_COLUMNS), changes)
        counts["changes"] = len(changes)
    about = {
        "as_of": as_of.isoformat(),
        "dhrtrack": __version__,
        "format": "2",  # 2: text keys (plan, ref), given_by, full commit ids
        "changes": "git" if history is not None and history.note is None else (history.note if history else "none"),
    }
    db.executemany("INSERT INTO export VALUES (?, ?)", list(about.items()))
    return counts
