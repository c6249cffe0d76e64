"""`dhrtrack export --format sqlite`: every plan in one SQLite database (the standard library's
driver, no server) for analysts: SQL, Datasette, DuckDB or Excel's Power Query. Tables reviews,
recommendations, actions, updates and themes, and (in a git repository) changes: every RAG move
and target change with its commit and date. Keys, foreign keys and indexes; dates as ISO text.
The schema is SCHEMA below; the README documents it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Dict, List, Optional, Tuple

from dhrtrack import __version__
from dhrtrack.agencies import Canon
from dhrtrack.history.slips import Recorder
from dhrtrack.plan.model import UPDATE_FIELDS, is_overdue
from dhrtrack.plan.store import Loaded

SCHEMA = """
CREATE TABLE export (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  plan TEXT NOT NULL UNIQUE,          -- the file's stem: the plan's name on the command line
  file TEXT NOT NULL,
  review_id TEXT NOT NULL,
  title TEXT,
  partnership TEXT
);
CREATE TABLE recommendations (
  id INTEGER PRIMARY KEY,
  review INTEGER NOT NULL REFERENCES reviews(id),
  number INTEGER NOT NULL,
  section TEXT NOT NULL,
  agency TEXT,
  scope TEXT,
  text TEXT NOT NULL,
  UNIQUE (review, number)
);
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  recommendation INTEGER NOT NULL REFERENCES recommendations(id),
  review INTEGER NOT NULL REFERENCES reviews(id),
  ref TEXT NOT NULL UNIQUE,           -- plan:action-id
  action_id TEXT NOT NULL,
  action TEXT NOT NULL,
  lead TEXT NOT NULL,                 -- as the plan writes it
  agency TEXT NOT NULL,               -- the lead's canonical name (plans/agencies.yaml, else spelling)
  owner TEXT,
  milestones TEXT,                    -- JSON array
  target TEXT,                        -- YYYY-MM or YYYY-MM-DD
  due TEXT,                           -- YYYY-MM-DD
  rag TEXT,                           -- red | amber | green | complete | NULL (unrated)
  overdue INTEGER NOT NULL,           -- 1 when overdue as of the export's as_of
  outcome TEXT,
  completed TEXT,
  evidence TEXT,                      -- JSON array
  UNIQUE (review, action_id)
);
CREATE TABLE updates (
  id INTEGER PRIMARY KEY,
  action INTEGER NOT NULL REFERENCES actions(id),
  seq INTEGER NOT NULL,               -- 1 for the oldest entry of the action's log
  date TEXT NOT NULL,
  rag TEXT, target TEXT, completed TEXT, outcome TEXT, lead TEXT, owner TEXT, evidence TEXT,
  theme TEXT, note TEXT, "by" TEXT, source TEXT,
  UNIQUE (action, seq)
);
CREATE TABLE themes (
  recommendation INTEGER NOT NULL REFERENCES recommendations(id),
  theme TEXT NOT NULL,
  PRIMARY KEY (recommendation, theme)
);
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  action INTEGER REFERENCES actions(id),  -- NULL for an action no longer in the plans
  plan TEXT NOT NULL,
  action_id TEXT NOT NULL,
  field TEXT NOT NULL,                -- rag | target
  old TEXT,
  new TEXT,
  slip INTEGER NOT NULL,              -- 1 when a target moved to a later date
  date TEXT NOT NULL,                 -- the commit's date
  commit_id TEXT NOT NULL
);
"""

# Made after the rows are in: building an index once is faster than keeping it up to date.
INDEXES = """
CREATE INDEX actions_agency ON actions(agency);
CREATE INDEX actions_rag ON actions(rag);
CREATE INDEX actions_due ON actions(due);
CREATE INDEX updates_action ON updates(action);
CREATE INDEX themes_theme ON themes(theme);
CREATE INDEX changes_action ON changes(action);
"""


def _json(value: Optional[list]) -> Optional[str]:
    return json.dumps(value, ensure_ascii=False) if value else None


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


def _insert(
    db: sqlite3.Connection, loaded: Loaded, canon: Canon, as_of: dt.date, history: Optional[Recorder]
) -> Dict[str, int]:
    counts = {name: 0 for name in ("reviews", "recommendations", "actions", "updates", "themes", "changes")}
    action_keys: Dict[Tuple[str, str], int] = {}
    update_sql = (
        'INSERT INTO updates (action, seq, "date", '
        + ", ".join(f'"{c}"' for c in UPDATE_FIELDS[1:])
        + ") VALUES (?, ?, ?"
        + ", ?" * (len(UPDATE_FIELDS) - 1)
        + ")"
    )
    for review_key, plan in enumerate(loaded.plans, 1):
        data = loaded.take_data(plan)  # one plan's data at a time
        review = data["review"]
        db.execute(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)",
            (review_key, plan.name, plan.file, review["id"], review.get("title"), review.get("partnership")),
        )
        counts["reviews"] += 1
        models = iter(plan.actions)
        action_rows: List[tuple] = []
        update_rows: List[tuple] = []
        for rec in data["recommendations"]:
            cursor = db.execute(
                "INSERT INTO recommendations (review, number, section, agency, scope, text) VALUES (?, ?, ?, ?, ?, ?)",
                (review_key, rec["number"], rec["section"], rec.get("agency"), rec.get("scope"), rec["text"]),
            )
            rec_key = cursor.lastrowid
            counts["recommendations"] += 1
            themes = list(dict.fromkeys(rec.get("themes") or []))
            db.executemany("INSERT INTO themes VALUES (?, ?)", [(rec_key, t) for t in themes])
            counts["themes"] += len(themes)
            for action in rec["actions"]:
                model = next(models)
                key = len(action_keys) + 1
                action_keys[(plan.name, action["id"])] = key
                due = model.due
                action_rows.append(
                    (
                        key,
                        rec_key,
                        review_key,
                        f"{plan.name}:{action['id']}",
                        action["id"],
                        action["action"],
                        action["lead"],
                        canon(action["lead"]),
                        action.get("owner"),
                        _json(action.get("milestones")),
                        action.get("target"),
                        due.isoformat() if due else None,
                        action.get("rag"),
                        int(is_overdue(due, action.get("rag"), as_of)),
                        action.get("outcome"),
                        action.get("completed"),
                        _json(action.get("evidence")),
                    )
                )
                for seq, entry in enumerate(action.get("updates") or [], 1):
                    update_rows.append((key, seq) + tuple(entry.get(c) for c in UPDATE_FIELDS))
        db.executemany("INSERT INTO actions VALUES (" + ", ".join("?" * 17) + ")", action_rows)
        db.executemany(update_sql, update_rows)
        counts["actions"] += len(action_rows)
        counts["updates"] += len(update_rows)
    if history is not None:
        rows = [
            (
                action_keys.get((c.plan, c.action)),
                c.plan,
                c.action,
                c.field,
                c.old,
                c.new,
                int(c.slip),
                c.date,
                c.commit,
            )
            for c in history.changes
        ]
        db.executemany(
            "INSERT INTO changes (action, plan, action_id, field, old, new, slip, date, commit_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        counts["changes"] = len(rows)
    about = {
        "as_of": as_of.isoformat(),
        "dhrtrack": __version__,
        "format": "1",
        "changes": "git" if history is not None and history.note is None else (history.note if history else "none"),
    }
    db.executemany("INSERT INTO export VALUES (?, ?)", list(about.items()))
    return counts
