"""The files `dhrtrack new` and `dhrtrack init` write, kept as package data beside this module,
and the two operations that write them. Nothing here prints: results come back as values."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from typing import List, Optional, Tuple

from dhrtrack.history.git import configure_textconv
from dhrtrack.plan import write
from dhrtrack.plan.schema import schema_text


def template(name: str) -> str:
    return resources.files("dhrtrack.templates").joinpath(name).read_text(encoding="utf-8")


def schema_reference(output: str) -> str:
    """The modeline's path from a plan to schema/plan.schema.json at the repository root."""
    directory = os.path.dirname(os.path.abspath(output))
    here = directory
    while True:
        if os.path.isfile(os.path.join(here, "schema", "plan.schema.json")) or os.path.isdir(
            os.path.join(here, ".git")
        ):
            return os.path.relpath(os.path.join(here, "schema", "plan.schema.json"), directory).replace(os.sep, "/")
        parent = os.path.dirname(here)
        if parent == here:
            return "../schema/plan.schema.json"
        here = parent


def skeleton(output: str, review_id: str, title: Optional[str] = None, partnership: Optional[str] = None) -> str:
    """A new, commented plan that validates, with the schema modeline pointing from `output`."""
    review = write.field("id", review_id, 2)
    for name, value in (("title", title), ("partnership", partnership)):
        if value:
            review += write.field(name, value, 2)
    return template("skeleton.yaml").format(
        schema=schema_reference(output), review="".join(line + "\n" for line in review)
    )


def new_plan(
    output: str, review_id: str, title: Optional[str] = None, partnership: Optional[str] = None, force: bool = False
) -> None:
    write.write_atomic(output, skeleton(output, review_id, title, partnership), force=force)


GITATTRIBUTES_LINES = template("gitattributes")


def repository_files(gitlab: bool) -> List[Tuple[str, str]]:
    """(path relative to the repository, content) of every file `init` writes."""
    return [
        ("plans/example-2026-01.yaml", template("example-plan.yaml")),
        ("schema/plan.schema.json", schema_text("plan.schema.json")),
        ("schema/agencies.schema.json", schema_text("agencies.schema.json")),
        (".gitattributes", GITATTRIBUTES_LINES),
        (".pre-commit-config.yaml", template("pre-commit-config.yaml")),
        (".gitlab-ci.yml", template("gitlab-ci.yml"))
        if gitlab
        else (".github/workflows/plans.yml", template("github-workflow.yml")),
    ]


@dataclass
class Initialised:
    directory: str
    created: List[str] = field(default_factory=list)  # relative paths
    kept: List[str] = field(default_factory=list)  # existed already: not changed
    textconv: bool = False  # git's textconv driver was configured
    steps: List[str] = field(default_factory=list)  # what to do next, in words


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def init(directory: str, gitlab: bool = False) -> Initialised:
    """Set up a plans repository: write each file that does not exist yet (never overwriting),
    configure git's textconv driver when in a git repository, and say what to do next."""
    done = Initialised(directory)
    for relative, content in repository_files(gitlab):
        path = os.path.join(directory, relative)
        if os.path.exists(path):
            done.kept.append(relative)
            continue
        write.write_atomic(path, content)
        done.created.append(relative)
    done.textconv = configure_textconv(directory)
    if not done.textconv:
        done.steps.append(f"git init {directory}   (plans live in git: it is the audit trail)")
        done.steps.append('git config diff.dhrtrack.textconv "dhrtrack textconv"   (readable git diffs of plans)')
    if ".gitattributes" in done.kept and "diff=dhrtrack" not in _read(os.path.join(directory, ".gitattributes")):
        done.steps.append("add these lines to your .gitattributes: " + GITATTRIBUTES_LINES.replace("\n", "  ").strip())
    done.steps += [
        'dhrtrack new plans/<name>.yaml --review-id "<review id>"   or   '
        "dhrtrack import <plan.docx> -o plans/<name>.yaml",
        "dhrtrack validate && dhrtrack status",
        "pip install pre-commit && pre-commit install   (check plans before each commit)",
    ]
    return done
