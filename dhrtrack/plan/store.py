"""The store: the one way commands get plans. Discovery (the files for the user's PATHS), the
caches, and loading: `load(paths) -> Loaded(plans, invalid, registry)`, then `find_action` for
an `[plan:]action-id` reference and `Loaded.data(plan)` for a plan's full text.

Files are checked with the same reader and validator as `dhrtrack validate` (errors only: a
command covers every plan that is valid, and names every one that is not). Unchanged files come
from the cache; the rest are checked in parallel when there are many.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError, UsageError
from dhrtrack.i18n import language
from dhrtrack.plan import cache, fields
from dhrtrack.plan.discovery import Refused, default_plans_dir, discover_all, registry_files
from dhrtrack.plan.files import Unreadable, read_bytes, refusal, repository_root
from dhrtrack.plan.model import Action, Plan, build, plan_name, shared_names
from dhrtrack.plan.problems import ERROR, Problem
from dhrtrack.plan.registry import Agency, Contact, Registry
from dhrtrack.wording import update_summary

ProblemTuple = Tuple[int, int, str, str, str]  # line, column, path, severity, message
# A plan's listing entry: (size, mtime_ns, sha256 of content, errors, plan tuple or None)
Entry = Tuple[int, int, bytes, list, Optional[tuple]]

# How much of each plan a command needs beyond the model's figures: every action's text (lists
# that show it: the board, chase), or each plan's full data (export).
MODEL, TEXTS, DATA = "model", "texts", "data"


@dataclass
class Invalid:
    file: str
    problems: List[Problem]

    @property
    def first(self) -> Problem:
        return self.problems[0]


@dataclass
class Loaded:
    """What a command works on: the valid plans (as models), the files left out as invalid, and
    the agency registry (None without plans/agencies.yaml)."""

    files: List[str] = field(default_factory=list)
    plans: List[Plan] = field(default_factory=list)
    invalid: List[Invalid] = field(default_factory=list)
    registry: Optional[Registry] = None
    use_cache: bool = True
    _data: Dict[str, dict] = field(default_factory=dict)
    _texts: Dict[str, List[str]] = field(default_factory=dict)
    _prints: Dict[str, Tuple[int, int, bytes]] = field(default_factory=dict)  # size, mtime_ns, sha256
    _blobs: Dict[str, bytes] = field(default_factory=dict)  # plans read from git, not from files

    def text_of(self, plan: Plan, action: Action) -> str:
        """What an action says (its `action` field, or its translation in the language being
        written: fields.text_in): loaded with the plan when the command asked for texts
        (load(..., detail=TEXTS)), else from the plan's data."""
        texts, n = self._texts_of(plan), len(plan.actions)
        values = {"action": texts[action.order], "action_cy": texts[2 * n + action.order]}
        said = fields.text_in(values, fields.ACTION, "action", f"{plan.name}:{action.id}")
        assert said is not None  # an action's text is required
        return said

    def latest_update_of(self, plan: Plan, action: Action) -> Optional[str]:
        """The action's latest update in words (wording.update_summary), or None: loaded with
        the texts, so the board's red and amber list reads no plan in full."""
        return self._texts_of(plan)[len(plan.actions) + action.order] or None

    def _texts_of(self, plan: Plan) -> List[str]:
        texts = self._texts.get(plan.file)
        if texts is None:
            texts = self._texts[plan.file] = texts_and_latest_updates(self.data(plan))
        return texts

    def data(self, plan: Plan) -> dict:
        """The plan's full data (every field, as validated): from the content cache, else read
        again from the file, which must still be the valid plan it was when loaded."""
        found = self._data.get(plan.file)
        if found is None:
            found = self._read_data(plan.file)
            self._data[plan.file] = found
        return found

    def holds(self, file: str, raw: bytes) -> bool:
        """Whether raw are exactly the bytes the plan was loaded, and found valid, from."""
        import hashlib

        fingerprint = self._prints.get(file)
        return fingerprint is not None and hashlib.sha256(raw).digest() == fingerprint[2]

    def prepare_data(self, plans: Sequence[Plan]) -> None:
        """Have the full data of these plans at hand before it is asked for plan by plan: the
        plans whose content is not cached yet are read and checked now, in parallel (a national
        `apply` reads two thousand), and cached, or kept here when the cache is off."""
        from dhrtrack.plan.parallel import parallel_map
        from dhrtrack.plan.schema import prepare

        kept = cache.Cache(self.use_cache)

        def at_hand(file: str) -> bool:
            if file in self._data or file in self._blobs:
                return True
            fingerprint = self._prints.get(file)
            return fingerprint is not None and kept.has_content(fingerprint[2])

        missing = [plan.file for plan in plans if not at_hand(plan.file)]
        if not missing:
            return
        prepare()  # compiled once here, not once in each worker process
        checked = parallel_map(check_path, [(file, self.use_cache, DATA) for file in missing])
        for file, (_errors, _model, extra) in zip(missing, checked):
            if isinstance(extra, dict):
                self._data[file] = extra

    def take_data(self, plan: Plan) -> dict:
        """The plan's full data, not kept: a command that goes through every plan once (export)
        holds one plan's data at a time."""
        found = self._data.pop(plan.file, None)
        return found if found is not None else self._read_data(plan.file)

    def _read_data(self, file: str) -> dict:
        fingerprint = self._prints.get(file)
        if fingerprint is not None:
            cached = _content(cache.Cache(self.use_cache), fingerprint[2])
            if cached is not None and cached[1] is not None:
                return cached[1]
        raw = self._blobs[file] if file in self._blobs else read_file(file)
        errors, data = _checked(file, raw, self.use_cache, content=True)
        if data is None:
            line, column, _path, _severity, message = errors[0]
            raise DhrtrackError(
                f"{file} changed while dhrtrack was reading it and is no longer a valid plan "
                f"({line}:{column}: {message}): run the command again"
            )
        return data


class Found(NamedTuple):
    plan: Plan
    action: Action


# --- discovery ------------------------------------------------------------------------------


class Resolved(NamedTuple):
    files: List[str]  # the plan files to read
    registries: List[str]  # the agencies.yaml files that go with them
    refused: List[Refused]  # found but not read (a link out of the repository, a pipe, ...)


def resolve(paths: Sequence[str]) -> Resolved:
    """The plan files for PATHS (or for the repository's plans/ directory when none are given),
    the agency registry files (agencies.yaml) that go with them, and what was refused."""
    if not paths:
        default = default_plans_dir()
        if default is None:
            raise UsageError(
                "no plans/ directory here or in the directories above: "
                "run dhrtrack inside a plans repository, or name the plan files or directories"
            )
        paths = [default]
    files, refused = discover_all(paths)
    registries = []
    for registry in registry_files(paths):
        reason = refusal(registry, repository_root(registry))
        if reason is None:
            registries.append(registry)
        else:
            refused.append(Refused(registry, reason))
    return Resolved(files, registries, refused)


def refused_problem(refused: Refused) -> Problem:
    return Problem(refused.path, 1, 1, "$", ERROR, refused.reason)


# --- loading --------------------------------------------------------------------------------


def load(paths: Sequence[str], use_cache: bool = True, detail: str = MODEL, jobs: Optional[int] = None) -> Loaded:
    """Every plan under PATHS, checked: valid ones as models, invalid ones named with their
    errors, and the registry. detail: TEXTS also loads every action's text (lists that show it),
    DATA makes sure every plan's full data is at hand in the content cache (export; held in
    memory only with the cache off); otherwise Loaded.data fetches it on demand."""
    files, registries, refused = resolve(paths)
    loaded = load_files(files, use_cache, detail, jobs)
    loaded.registry = load_registry(registries, use_cache)
    loaded.files += [r.path for r in refused]
    loaded.invalid += [Invalid(r.path, [refused_problem(r)]) for r in refused]
    return loaded


def load_blobs(blobs: Sequence[Tuple[str, bytes]], use_cache: bool = True, detail: str = MODEL) -> Loaded:
    """Plans read from elsewhere than files (a git revision): (label, bytes) each, checked as
    files are, through the content cache. The bytes are kept for the plans' data and texts."""
    loaded = Loaded(files=[label for label, _raw in blobs], use_cache=use_cache)
    for label, raw in blobs:
        errors, data = _checked(label, raw, use_cache, content=True)
        if data is None:
            loaded.invalid.append(Invalid(label, [Problem(label, *e) for e in errors]))
            continue
        loaded.plans.append(build(label, data))
        loaded._blobs[label] = raw
        loaded._prints[label] = (len(raw), 0, hashlib.sha256(raw).digest())
        if detail == TEXTS:
            loaded._texts[label] = texts_and_latest_updates(data)
    return loaded


def read_file(file: str) -> bytes:
    try:
        return read_bytes(file)
    except Unreadable as error:
        raise DhrtrackError(f"{file}: {error}") from None


def check_bytes(file: str, raw: bytes) -> Tuple[List[ProblemTuple], Optional[dict]]:
    """Load and validate one file's bytes (no cache): its errors, or its data."""
    from dhrtrack.plan.validate import errors_in

    document, problems = errors_in(raw, file)
    errors: List[ProblemTuple] = [(p.line, p.column, p.path, p.severity, p.message) for p in problems]
    return errors, (document.data if document is not None and not errors else None)


def _checked(file: str, raw: bytes, use_cache: bool, content: bool) -> Tuple[List[ProblemTuple], Optional[dict]]:
    """check_bytes, through the content cache: served from it whenever it holds these bytes
    (a plan `update` or `apply` just wrote, a version seen in git), and written to it when
    `content` (the commands that need a plan's full data; the figures are served by the
    listing cache alone)."""
    kept = cache.Cache(use_cache)
    digest = hashlib.sha256(raw).digest() if kept.on else b""
    if kept.on:
        cached = _content(kept, digest)
        if cached is not None:
            return cached
    errors, data = check_bytes(file, raw)
    if content:
        kept.keep_content(digest, (errors, data))
    return errors, data


def _content(kept: cache.Cache, digest: bytes) -> Optional[Tuple[List[ProblemTuple], Optional[dict]]]:
    """(errors, data) kept for content with this SHA-256, or None when there is no entry of the
    shape this version writes (a forged one is a miss)."""
    value = kept.content(digest)
    if not (isinstance(value, tuple) and len(value) == 2 and _problems_ok(value[0])):
        return None
    errors, data = value
    if not (data is None or isinstance(data, dict)) or (data is None) == (not errors):
        return None
    return errors, data


def checked_once(raw: bytes, use_cache: bool, check: Callable[[], Optional[dict]]) -> Optional[dict]:
    """check()'s answer for these bytes (the data they hold when valid, else None), worked out
    once: kept in the content cache under their SHA-256, as a plan file's check is."""
    kept = cache.Cache(use_cache)
    digest = hashlib.sha256(raw).digest() if kept.on else b""
    if kept.on:
        cached = _content(kept, digest)
        if cached is not None:
            return cached[1]
    data = check()
    if kept.on:
        kept.keep_content(digest, ([], data) if data is not None else ([(1, 1, "$", ERROR, "not valid")], None))
    return data


def remember_checked(raw: bytes, data: dict) -> None:
    """Put a valid plan's bytes, checked, with their data into the content cache (an edit about
    to be written): the next command reads the data from there instead of checking the file."""
    cache.Cache().keep_content(hashlib.sha256(raw).digest(), ([], data))


def texts_and_latest_updates(data: dict) -> List[str]:
    """Every action's own text, in document order (the model's Action.order), then every
    action's latest update in words ("" for none), then every action's Welsh text ("" for none):
    one flat list of strings, as the texts cache keeps it."""
    actions = [a for r in data["recommendations"] for a in r["actions"]]
    with language("en"):  # kept in the cache for every language: a Welsh paper says it again (reports.board)
        latest = [update_summary(a["updates"][-1]) if a.get("updates") else "" for a in actions]
    return [a["action"] for a in actions] + latest + [a.get("action_cy") or "" for a in actions]


def parse_bytes(raw: bytes, label: str, use_cache: bool = True) -> Tuple[Optional[dict], Optional[Problem]]:
    """A plan's data when the bytes (from git, or a file) are a valid plan, else None and its
    first error, located in `label`. Served from the content cache when it was seen before."""
    errors, data = _checked(label, raw, use_cache, content=True)
    if data is None:
        return None, Problem(label, *errors[0])
    return data, None


def check_path(args: Tuple[str, bool, str]) -> Tuple[List[ProblemTuple], Optional[tuple], Optional[object]]:
    """Check one file (in a worker process when there are many): errors, model tuple, and the
    action texts (detail TEXTS) or the data (detail DATA)."""
    file, use_cache, detail = args
    try:
        raw = read_bytes(file)
    except Unreadable as error:
        return [(1, 1, "$", ERROR, str(error))], None, None
    errors, data = _checked(file, raw, use_cache, content=detail == DATA)
    if data is None:
        return errors, None, None
    extra: Optional[object] = None
    if detail == TEXTS:
        extra = texts_and_latest_updates(data)
    elif detail == DATA and not use_cache:
        # With the cache on, the data waits in the content cache to be read plan by plan
        # (Loaded.take_data): it is neither sent back from a worker nor held for every plan.
        extra = data
    return [], build(file, data).to_tuple(), extra


def load_files(files: Sequence[str], use_cache: bool = True, detail: str = MODEL, jobs: Optional[int] = None) -> Loaded:
    from dhrtrack.plan.parallel import parallel_map

    kept = cache.Cache(use_cache)
    by_dir: Dict[str, List[str]] = defaultdict(list)
    for file in files:
        by_dir[os.path.dirname(os.path.abspath(file))].append(file)

    loaded = Loaded(files=list(files), use_cache=use_cache)
    results: Dict[str, Tuple[List[ProblemTuple], Optional[Plan]]] = {}
    to_check: List[str] = []
    old_entries: Dict[str, Dict[str, object]] = {}
    new_entries: Dict[str, Dict[str, Entry]] = {}
    prints: Dict[str, Tuple[int, int, bytes]] = {}
    texts_cached: Dict[str, Dict[str, object]] = {}
    for directory, dir_files in by_dir.items():
        cached = old_entries[directory] = kept.listing(directory, "plans")
        if detail == TEXTS:
            texts_cached[directory] = kept.listing(directory, "texts")
        entries: Dict[str, Entry] = {}
        fingerprints = kept.fingerprints(directory)
        for file in dir_files:
            try:
                fp = fingerprints.of(file)
            except Unreadable as error:
                results[file] = ([(1, 1, "$", ERROR, error.message)], None)
                continue
            size, mtime_ns, digest = fp
            loaded._prints[file] = fp
            key = os.path.basename(file)
            entry = cached.get(key)
            plan = _from_cache(file, entry) if entry is not None and _matches(entry, size, mtime_ns, digest) else _MISS
            if isinstance(plan, Plan) and detail == DATA and not kept.has_content(digest):
                plan = _MISS  # the model is cached but not the data: check the file again
            elif isinstance(plan, Plan) and detail == TEXTS:
                texts = texts_cached[directory].get(key)
                if (
                    isinstance(texts, tuple)
                    and len(texts) == 4
                    and texts[:3] == (size, mtime_ns, digest)
                    and _strings_ok(texts[3])
                    and len(texts[3]) == 3 * len(plan.actions)
                ):
                    loaded._texts[file] = texts[3]
                else:
                    plan = _MISS  # the model is cached but not the texts: check the file again
            if isinstance(plan, Plan) or (plan is None and entry is not None):
                results[file] = (list(entry[3]), plan)  # type: ignore[index]
                entries[key] = entry  # type: ignore[assignment]
            else:
                to_check.append(file)
                prints[file] = (size, mtime_ns, digest)
        new_entries[directory] = entries
        fingerprints.save()

    if to_check:
        from dhrtrack.plan.schema import prepare

        prepare()  # compiled once here, not once in each worker process
    checked = parallel_map(check_path, [(f, use_cache, detail) for f in to_check], jobs)
    for file, (errors, plan_tuple, extra) in zip(to_check, checked):
        results[file] = (errors, Plan.from_tuple(file, plan_tuple) if plan_tuple is not None else None)
        if isinstance(extra, dict):
            loaded._data[file] = extra
        elif isinstance(extra, list):
            loaded._texts[file] = extra
        size, mtime_ns, digest = prints[file]
        directory = os.path.dirname(os.path.abspath(file))
        new_entries[directory][os.path.basename(file)] = (size, mtime_ns, digest, errors, plan_tuple)

    for directory in {os.path.dirname(os.path.abspath(f)) for f in to_check}:
        kept.keep_listing(directory, "plans", new_entries[directory])
        kept.drop_content(_replaced(old_entries[directory], new_entries[directory]))
        if detail == TEXTS:
            texts = {
                os.path.basename(f): loaded._prints[f] + (loaded._texts[f],)
                for f in by_dir[directory]
                if f in loaded._texts
            }
            kept.keep_listing(directory, "texts", texts)

    for file in files:
        errors, model = results[file]
        if model is not None:
            loaded.plans.append(model)
        else:
            loaded.invalid.append(Invalid(file, [Problem(file, *e) for e in errors]))
    return loaded


def _replaced(old: Dict[str, object], new: Dict[str, Entry]) -> List[bytes]:
    """The contents a directory's files had when its listing was written and no longer have (a
    file now holds other bytes): their entries in the content cache serve no plan any more. A
    file not read this time keeps its entry."""
    now = {entry[2] for entry in new.values()}
    return [
        entry[2]
        for name, entry in old.items()
        if name in new
        and isinstance(entry, tuple)
        and len(entry) == 5
        and isinstance(entry[2], bytes)
        and entry[2] not in now
    ]


def _matches(entry: object, size: int, mtime_ns: int, digest: bytes) -> bool:
    """Whether a listing entry is for this very file, and has the shape this version writes."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and entry[0] == size
        and entry[1] == mtime_ns
        and entry[2] == digest
        and _problems_ok(entry[3])
        and (entry[4] is None or isinstance(entry[4], tuple))
    )


_PROBLEM_TYPES = (int, int, str, str, str)  # line, column, path, severity, message


def _problems_ok(value: object) -> bool:
    """A cached list of problem tuples, as this version writes them (a forged one is a miss)."""
    return isinstance(value, list) and all(
        isinstance(p, tuple) and len(p) == 5 and all(type(v) is t for v, t in zip(p, _PROBLEM_TYPES, strict=True))
        for p in value
    )


def _strings_ok(value: object) -> bool:
    return isinstance(value, list) and all(type(v) is str for v in value)


_MISS = object()


def _from_cache(file: str, entry: tuple) -> object:
    """The cached Plan (None for an invalid file), or _MISS when the entry does not fit the
    model: such an entry is never trusted, and the file is checked again."""
    if entry[4] is None:
        if entry[3] and all(isinstance(e, tuple) and len(e) == 5 for e in entry[3]):
            return None
        return _MISS
    try:
        return Plan.from_tuple(file, entry[4])
    except (ValueError, TypeError):
        return _MISS


def load_registry(files: List[str], use_cache: bool = True) -> Optional[Registry]:
    """The registry for commands other than validate: problems are validate's to report, and an
    unchanged agencies.yaml comes from the cache (so a report needs neither YAML nor a schema)."""
    from dhrtrack.plan import registry
    from dhrtrack.plan.discovery import is_registry

    files = [f for f in files if is_registry(f)]  # themes.yaml is validate's concern only
    if not files:
        return None
    kept = cache.Cache(use_cache)
    merged = Registry(files=list(files))
    for file in files:
        directory = os.path.dirname(os.path.abspath(file))
        try:
            fingerprint: Optional[Tuple[int, int, bytes]] = cache.fingerprint_with_stat(file)[0]
        except Unreadable:
            fingerprint = None  # registry.load below reports it
        entry = kept.listing(directory, "agencies").get(os.path.basename(file)) if fingerprint else None
        if (
            fingerprint
            and isinstance(entry, tuple)
            and len(entry) == 4
            and tuple(entry[:3]) == fingerprint
            and _agencies_ok(entry[3])
        ):
            agencies = entry[3]
        else:
            single, _problems = registry.load([file])
            found = single.agencies if single is not None else []
            agencies = [(a.name, a.aliases, tuple((c.email, c.name) for c in a.contacts)) for a in found]
            if fingerprint:
                kept.keep_listing(directory, "agencies", {os.path.basename(file): fingerprint + (agencies,)})
        for name, aliases, contacts in agencies:
            merged.add(Agency(name, tuple(aliases), tuple(Contact(e, n) for e, n in contacts)))
    return merged


def _agencies_ok(value: object) -> bool:
    """A cached agency list of (name, aliases, ((email, name), ...)) as this version writes it."""
    return isinstance(value, list) and all(
        isinstance(a, tuple)
        and len(a) == 3
        and isinstance(a[0], str)
        and isinstance(a[1], tuple)
        and all(isinstance(x, str) for x in a[1])
        and isinstance(a[2], tuple)
        and all(
            isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], str) and (c[1] is None or isinstance(c[1], str))
            for c in a[2]
        )
        for a in value
    )


# --- references -----------------------------------------------------------------------------


def split_ref(ref: str) -> Tuple[Optional[str], str]:
    """(plan name or None, action id) of `[plan:]action-id`."""
    name, _, ident = ref.rpartition(":")
    if not ident:
        raise UsageError(f"{ref!r} is not an action reference: write plan:action-id or action-id")
    return name or None, ident


def find_plan(loaded: Loaded, name: Optional[str]) -> str:
    """The file of the plan `name` names (its file name without suffix), or of the one plan
    there is when name is None. A name two plans share is refused, as every Ref naming it is."""
    stems = {plan_name(f): f for f in loaded.files}
    shared = shared_names(loaded.files)
    if name is None:
        if len(loaded.files) == 1:
            name = plan_name(loaded.files[0])
        else:
            raise UsageError(f"say which plan: {', '.join(sorted(stems)) or 'there are none'}")
    if name in shared:
        raise UsageError(f"plan name {name!r} is ambiguous: {', '.join(shared[name])}; rename all but one")
    if name not in stems:
        raise UsageError(f"no plan named {name!r} (plans are named by file stem: {', '.join(sorted(stems)) or 'none'})")
    invalid = next((i for i in loaded.invalid if plan_name(i.file) == name), None)
    if invalid is not None:
        first = invalid.first
        raise DhrtrackError(
            f"{first.file} is not a valid plan now ({first.line}:{first.column}: {first.message}); "
            f"fix it first: dhrtrack validate {first.file}"
        )
    return stems[name]


def find_action(loaded: Loaded, ref: str) -> Found:
    """The one action `[plan:]action-id` names among the loaded plans. The plan may be left out
    when the id is in one plan only."""
    name, ident = split_ref(ref)
    stems = {plan_name(f): f for f in loaded.files}
    shared = shared_names(loaded.files)
    if name is not None and name in shared:
        raise UsageError(
            f"{ref!r} is ambiguous: {len(shared[name])} plans are named {name} ({', '.join(shared[name])}); "
            "rename all but one (dhrtrack validate says so too)"
        )
    if name is not None and name not in stems:
        raise UsageError(f"no plan named {name!r} (plans are named by file stem: {', '.join(sorted(stems)) or 'none'})")
    invalid = [i for i in loaded.invalid if name is None or plan_name(i.file) == name]
    if name is not None and invalid:
        first = invalid[0].first
        raise DhrtrackError(
            f"{first.file} is not a valid plan now ({first.line}:{first.column}: {first.message}); "
            f"fix it first: dhrtrack validate {first.file}"
        )
    found = [
        Found(plan, action)
        for plan in loaded.plans
        if name is None or plan.name == name
        for action in plan.actions
        if action.id == ident
    ]
    if not found:
        where = f"plan {name!r}" if name else "the plans"
        skipped = [i.file for i in invalid]
        unsearched = (
            f" ({len(skipped)} invalid plan(s) not searched: {', '.join(skipped)}; see dhrtrack validate)"
            if skipped
            else ""
        )
        raise UsageError(f"no action with id {ident!r} in {where}{unsearched}")
    if len(found) > 1:
        options = ", ".join(f"{f.plan.name}:{ident}" if f.plan.name not in shared else f.plan.file for f in found)
        raise UsageError(f"action {ident!r} is in several plans; say which: {options}")
    return found[0]
