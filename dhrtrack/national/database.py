"""The national database `gather` writes, and its reading back as plans (`--from`).

The tables are the ones `export --format sqlite` writes (reviews, recommendations, actions,
updates, themes, changes: docs/export.md), each with a `package` column naming where its row
came from, and four of the national layer's own:

- packages: one row a package gathered — source, partnership, commit, as-of date, dhrtrack
  version, format version: the provenance of every row that names it;
- plans: each plan's data as JSON, its model (what reports count) as JSON, its package and its
  path there — what `--from` reads, so that a report over the database is the report over the
  plans, computed by the same code;
- duplicates: each copy of a review left out because another package holds it too;
- agencies: the merged registry (names and aliases).

The `export` table says format 'national-2'; `--from` refuses any other database by name."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import UsageError
from dhrtrack.plan import fields
from dhrtrack.plan.model import RAGS, Action, Plan, due_ordinal
from dhrtrack.plan.registry import Agency, Registry
from dhrtrack.plan.store import Loaded, checked_once, remember_checked

if TYPE_CHECKING:  # a report --from reads none of gathering's machinery (a tenth of a second to import)
    from dhrtrack.history.slips import Recorder, SlipIndex
    from dhrtrack.national.gather import Gathered

FORMAT = "national-2"  # 2: a plan's model names its kind of review

SCHEMA = """
CREATE TABLE packages (
  id INTEGER PRIMARY KEY,           -- the order the packages were given in
  name TEXT NOT NULL UNIQUE,        -- the partnership's package name (with -2, -3 for another version)
  source TEXT NOT NULL,             -- where it was read: a directory, archive.zip!dir/, repo@rev:dir/
  partnership TEXT NOT NULL,
  commit_id TEXT,                   -- the plans repository's commit it was made from
  uncommitted_changes INTEGER NOT NULL,  -- 1: made from plans that differed from that commit
  as_of TEXT NOT NULL,              -- YYYY-MM-DD
  dhrtrack_version TEXT NOT NULL,
  format_version INTEGER NOT NULL,
  plans INTEGER NOT NULL,           -- plans it holds
  counted INTEGER NOT NULL          -- of those, counted here (the rest: duplicates or invalid)
);
CREATE TABLE plans (
  plan TEXT PRIMARY KEY,            -- the name every other table keys plans by
  file TEXT NOT NULL UNIQUE,        -- package/plans/name.yaml
  package INTEGER NOT NULL REFERENCES packages(id),
  path TEXT NOT NULL,               -- its path in the package
  review_id TEXT NOT NULL,
  data TEXT NOT NULL,               -- the plan as JSON (publishable fields)
  model TEXT NOT NULL               -- what reports count, as JSON: [review, title, partnership, kind, actions]
);
CREATE TABLE duplicates (
  review_id TEXT NOT NULL,
  package INTEGER NOT NULL REFERENCES packages(id),  -- the package whose copy was left out
  path TEXT NOT NULL,
  counted_in INTEGER NOT NULL REFERENCES packages(id),
  counted_plan TEXT NOT NULL REFERENCES plans(plan)
);
CREATE TABLE agencies (name TEXT NOT NULL, alias TEXT);
"""
# The export's tables, each row given its package through its plan.
PROVENANCE_TABLES = ("reviews", "recommendations", "actions", "updates", "themes", "changes")


def write(connection: sqlite3.Connection, gathered: Gathered) -> None:
    """The national tables, into a database `export --format sqlite`'s fill has just made."""
    connection.executescript(SCHEMA)
    counted: Dict[int, int] = {}
    for plan in gathered.plans:
        counted[plan.package.index] = counted.get(plan.package.index, 0) + 1
    connection.executemany(
        "INSERT INTO packages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                p.index,
                p.name,
                p.source,
                p.partnership,
                p.commit,
                int(p.uncommitted_changes),
                p.as_of,
                p.dhrtrack_version,
                p.format_version,
                len(p.plans),
                counted.get(p.index, 0),
            )
            for p in gathered.packages
        ],
    )
    data = [(g.label, json.dumps(g.data, ensure_ascii=False, separators=(",", ":"))) for g in gathered.plans]
    connection.executemany(
        "INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                g.name,
                g.label,
                g.package.index,
                g.path,
                g.data["review"]["id"],
                text,
                json.dumps(
                    model_of(g.model),  # type: ignore[arg-type]
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
            )
            for g, (_label, text) in zip(gathered.plans, data, strict=True)
        ],
    )
    # Every plan gathered was read valid: the first report --from need not check them again.
    remember_checked(_together(data), {})
    # The register's repeats at the documented threshold, compared once here (about half a second
    # at national scale) and kept in the content cache, so the first `register --from` reads them.
    from dhrtrack.reports.register import THRESHOLD, entries, repeats

    repeats(entries((g.label, g.data) for g in gathered.plans), THRESHOLD, use_cache=True)
    connection.executemany(
        "INSERT INTO duplicates VALUES (?, ?, ?, ?, ?)",
        [
            (d.review, d.dropped_package.index, d.dropped_path, d.kept.package.index, d.kept.name)
            for d in gathered.duplicates
        ],
    )
    connection.executemany(
        "INSERT INTO agencies VALUES (?, ?)",
        [(a.name, alias) for a in gathered.registry.agencies for alias in (None, *a.aliases)],
    )
    for table in PROVENANCE_TABLES:
        # updates are keyed by ref (plan:action; a gathered plan's name holds no colon)
        key = "substr(ref, 1, instr(ref, ':') - 1)" if table == "updates" else f"{table}.plan"
        connection.execute(f"ALTER TABLE {table} ADD COLUMN package INTEGER REFERENCES packages(id)")
        connection.execute(f"UPDATE {table} SET package = (SELECT package FROM plans WHERE plans.plan = {key})")
    connection.execute("UPDATE export SET value = ? WHERE key = 'format'", (FORMAT,))


def model_of(plan: Plan) -> list:
    return [
        plan.review,
        plan.title,
        plan.partnership,
        plan.kind,
        [
            [a.recommendation, a.id, a.lead, a.owner, a.target, a.rag, a.has_outcome, a.completed, a.verified]
            for a in plan.actions
        ],
    ]


_MAYBE = (str, type(None))


def _plan(file: str, model: object) -> Plan:
    if not (isinstance(model, list) and len(model) == 5 and isinstance(model[4], list)):
        raise ValueError(f"{file}: not a plan's model")
    review, title, partnership, kind, actions = model
    if not (
        isinstance(review, str)
        and isinstance(title, _MAYBE)
        and isinstance(partnership, _MAYBE)
        and kind in fields.field(fields.REVIEW, "kind").choices
    ):
        raise ValueError(f"{file}: not a plan's model")
    made = []
    for order, action in enumerate(actions):
        if type(action) is not list or len(action) != 9:
            raise ValueError(f"{file}: action {order + 1} is not an action's model")
        number, id_, lead, owner, target, rag, outcome, completed, verified = action
        due = due_ordinal(target) if type(target) is str else None
        if not (
            type(number) is int
            and type(id_) is str
            and type(lead) is str
            and type(outcome) is bool
            and (target is None or due is not None)
            and (rag is None or rag in RAGS)
            and all(v is None or type(v) is str for v in (owner, completed, verified))
        ):
            raise ValueError(f"{file}: action {order + 1} is not an action's model")
        made.append(Action(number, id_, lead, owner, target, due, rag, outcome, completed, order, verified))
    return Plan(file, review, title, partnership, made, kind=kind)


@dataclass
class FromDatabase(Loaded):
    """Plans read from a gathered database: models at once, each plan's data when asked for."""

    database: str = ""

    def _read_data(self, file: str) -> dict:
        with _open(self.database) as connection:
            row = connection.execute("SELECT data FROM plans WHERE file = ?", (file,)).fetchone()
        return self._checked(file, row[0] if row else None)

    def prepare_data(self, plans: Sequence[Plan]) -> None:
        """These plans' data, checked as one: the content cache keeps one answer for all their
        rows (reading two thousand entries back took longer than the rest of `register`)."""
        wanted = {p.file for p in plans} - set(self._data)
        if not wanted:
            return
        with _open(self.database) as connection:
            rows = [(f, d) for f, d in connection.execute("SELECT file, data FROM plans ORDER BY rowid") if f in wanted]
        if not all(isinstance(text, str) for _f, text in rows):
            for file, text in rows:
                self._checked(file, text)  # refuses the first that is not text
        checked: Dict[str, dict] = {}

        def every_one_valid() -> Optional[dict]:
            for file, text in rows:
                data = _valid(text)
                if data is None:
                    return None
                checked[file] = data
            return {}

        if checked_once(_together(rows), self.use_cache, every_one_valid) is None:
            for file, text in rows:
                self._checked(file, text)  # refuses the first that is not valid, by name
        for file, text in rows:
            self._data[file] = checked[file] if file in checked else json.loads(text)

    def _checked(self, file: str, text: object) -> dict:
        """A plan's data as the database holds it, checked against the plan schema: gather
        wrote it valid, and a database altered since (or made elsewhere) is refused, not
        trusted. The check is kept in the content cache, as a plan file's is."""
        data = (
            checked_once(text.encode("utf-8"), self.use_cache, lambda: _valid(text)) if isinstance(text, str) else None
        )
        if data is None:
            raise UsageError(
                f"--from {self.database}: plan {file} in it is not a valid plan: gather the packages again"
            )
        return data


def _together(rows: Sequence[Tuple[str, str]]) -> bytes:
    """Plans' rows (file, data) as the one text their check is kept under in the content cache."""
    return b"".join(_framed(file.encode()) + _framed(text.encode()) for file, text in rows)


def _framed(raw: bytes) -> bytes:
    """Bytes preceded by their length: rows joined so never read as other rows."""
    return b"%d:%s" % (len(raw), raw)


def _valid(text: str) -> Optional[dict]:
    from dhrtrack.plan.schema import is_valid

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if is_valid(data) else None


class _open:
    """The database, read-only, checked to be one gather made."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        if not os.path.isfile(self.path):
            raise UsageError(f"--from {self.path}: no such file (make it with dhrtrack gather)")
        try:
            self.connection = sqlite3.connect(f"file:{_uri(self.path)}?mode=ro", uri=True)
            row = self.connection.execute("SELECT value FROM export WHERE key = 'format'").fetchone()
        except sqlite3.Error as error:
            self.connection.close()
            raise UsageError(f"--from {self.path}: not a database dhrtrack gather made ({error})") from None
        if row is None or row[0] != FORMAT:
            self.connection.close()
            found = row[0] if row else "none"
            raise UsageError(
                f"--from {self.path}: a database of format {found!r}; dhrtrack reads gathered databases of "
                f"format {FORMAT!r} (gather the packages again with this version)"
            )
        return self.connection

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(os.path.abspath(path))


def load(path: str, use_cache: bool = True) -> FromDatabase:
    """The plans of a gathered database, as the store gives plans read from files."""
    with _open(path) as connection:
        try:
            rows = connection.execute("SELECT file, model FROM plans ORDER BY rowid").fetchall()
            agencies = connection.execute("SELECT name, alias FROM agencies ORDER BY rowid").fetchall()
        except sqlite3.Error as error:
            raise UsageError(f"--from {path}: not a database dhrtrack gather made ({error})") from None
    loaded = FromDatabase(files=[f for f, _ in rows], use_cache=use_cache, database=path)
    try:
        loaded.plans = [_plan(file, json.loads(model)) for file, model in rows]
    except (ValueError, TypeError, RecursionError) as error:
        raise UsageError(f"--from {path}: its plans table is damaged ({error}): gather the packages again") from None
    if agencies:
        registry = Registry(files=[path])
        by_name: Dict[str, Agency] = {}
        for name, alias in agencies:
            if alias is None:
                by_name[name] = Agency(name)
                registry.add(by_name[name])
            elif name in by_name:
                registry.add_aliases(by_name[name], [alias])
        loaded.registry = registry
    return loaded


def slips(path: str) -> SlipIndex:
    """Every target slip the gathered packages' histories hold, keyed as target_slips keys them."""
    from dhrtrack.history.slips import Slip, SlipIndex

    index = SlipIndex()
    with _open(path) as connection:
        rows = connection.execute(
            "SELECT plan, action_id, old, new, date, commit_id FROM changes WHERE slip = 1 ORDER BY rowid"
        ).fetchall()
        note = connection.execute("SELECT value FROM export WHERE key = 'changes'").fetchone()
    for plan, action, old, new, date, commit in rows:
        index.slips.setdefault((plan, action), []).append(Slip(old, new, date, commit))
    index.note = None if note is None or note[0] == "git" else note[0]
    return index


def recorder(gathered: Gathered) -> Recorder:
    """The packages' histories as one, under the plans' names in the national view; the note of
    the first package without history when none has any (as target_slips says it)."""
    from dhrtrack.history.slips import Recorded, Recorder

    names = {(g.package.index, g.path): os.path.splitext(os.path.basename(g.label))[0] for g in gathered.plans}
    changes: List[Recorded] = []
    for package_ in gathered.packages:
        by_stem = {
            path[len("plans/") : -len(".yaml")]: names.get((package_.index, path)) for path, _r, _b in package_.plans
        }
        for change in package_.changes:
            name = by_stem.get(change.plan)
            if name:
                changes.append(
                    Recorded(
                        name, *[getattr(change, k) for k in ("action", "field", "old", "new", "date", "commit", "slip")]
                    )
                )
    histories = [p.history for p in gathered.packages]
    note: Optional[str] = None
    if gathered.packages and all(h is not None for h in histories):
        note = f"no package gathered holds a history of ratings and targets (the first: {histories[0]})"
    return Recorder(changes=changes, note=note)
