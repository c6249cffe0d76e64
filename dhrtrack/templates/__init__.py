"""The files `dhrtrack new` and `dhrtrack init` write, kept as package data beside this module,
and the two operations that write them. Nothing here prints: results come back as values."""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from importlib import resources
from typing import List, Optional, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.git import GitError, GitMissing, configure_textconv
from dhrtrack.plan import fields, write
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


def skeleton(
    output: str,
    review_id: str,
    title: Optional[str] = None,
    partnership: Optional[str] = None,
    kind: Optional[str] = None,
) -> str:
    """A new, commented plan that validates, with the schema modeline pointing from `output`."""
    review = write.field("id", review_id, 2)
    for name, value in (("title", title), ("partnership", partnership), ("kind", kind)):
        if value:
            review += write.field(name, value, 2)
    # A DHR plan is also a DARDR's (the reviews' new name); another kind is named as it is.
    named = fields.kind_name([kind]) if kind else "Domestic Homicide Review (Domestic Abuse Related Death Review)"
    return template("skeleton.yaml").format(
        schema=schema_reference(output), review="".join(line + "\n" for line in review), kind=named
    )


def new_plan(
    output: str,
    review_id: str,
    title: Optional[str] = None,
    partnership: Optional[str] = None,
    force: bool = False,
    kind: Optional[str] = None,
) -> None:
    write.write_atomic(output, skeleton(output, review_id, title, partnership, kind), force=force)


GITATTRIBUTES_LINES = template("gitattributes")
EXAMPLE_PLAN = "plans/example-2026-01.yaml"
REGISTRY = "plans/agencies.yaml"
VOCABULARY = "plans/themes.yaml"
INSTALL_FROM = "__INSTALL_FROM__"
CI_FILES = {False: ".github/workflows/plans.yml", True: ".gitlab-ci.yml"}
SITE_FILES = {False: ".github/workflows/site.yml", True: ".gitlab/dhrtrack-pages.yml"}
GITLAB_INCLUDE = "include:\n  - local: .gitlab/dhrtrack-pages.yml\n"
PUBLIC_WARNING = (
    "the site job builds with --public (publishable fields only): keep it so on any host the public "
    "can reach; an internal site (without --public) belongs only on a host limited to the partnership"
)
_SAFE_SPEC = re.compile(r"[A-Za-z0-9._~:/@+=,%#!-]+(\[[A-Za-z0-9_,-]+\])?")


class InitError(DhrtrackError):
    """init was asked for something it cannot write safely."""


def repository_files(gitlab: bool, install_from: Optional[str] = None, site: bool = False) -> List[Tuple[str, str]]:
    """(path relative to the repository, content) of every file `init` may write. The CI job
    installs dhrtrack from `install_from` (and, without it, fails with a message saying what to set)."""
    spec = install_from or ""
    if spec and not _SAFE_SPEC.fullmatch(spec):
        raise InitError(
            f"--install-from {install_from!r} is not a pip requirement dhrtrack can write into a CI file "
            "(a URL, a path or a name, without spaces or quotes)",
            usage=True,
        )
    ci_template = "gitlab-ci.yml" if gitlab else "github-workflow.yml"
    ci_text = template(ci_template).replace(INSTALL_FROM, spec)
    if site and gitlab:
        ci_text += "\n" + GITLAB_INCLUDE
    pages = [
        (SITE_FILES[gitlab], template("gitlab-pages.yml" if gitlab else "github-pages.yml").replace(INSTALL_FROM, spec))
    ]
    return [
        (EXAMPLE_PLAN, template("example-plan.yaml")),
        ("schema/plan.schema.json", schema_text("plan.schema.json")),
        ("schema/agencies.schema.json", schema_text("agencies.schema.json")),
        ("schema/themes.schema.json", schema_text("themes.schema.json")),
        (VOCABULARY, template("themes.yaml")),
        (".gitattributes", GITATTRIBUTES_LINES),
        (".pre-commit-config.yaml", pre_commit_config(spec)),
        (CI_FILES[gitlab], ci_text),
    ] + (pages if site else [])


# Where pre-commit clones the hook from when init is not told (docs/validate-and-ci.md says to change it).
HOOK_REPO = "https://github.com/your-org/dhrtrack"
HOOK_REV = "v1.0"
_LOCAL_HOOK = """repos:
  - repo: local
    hooks:
      - id: dhrtrack-validate
        name: dhrtrack validate
        entry: dhrtrack validate
        language: python
        additional_dependencies: ["{spec}"]
        files: ^plans/.*\\.ya?ml$
        require_serial: true
"""


def hook_source(install_from: str) -> Optional[Tuple[str, str]]:
    """The git repository and revision of a `git+URL@REV` pip requirement, else None."""
    if not install_from.startswith("git+"):
        return None
    url, at, rev = install_from[4:].split("#", 1)[0].rpartition("@")
    if not at or not rev or "/" in rev or "://" not in url or url.endswith(":"):
        return None
    return url, rev


def pre_commit_config(install_from: str) -> str:
    """.pre-commit-config.yaml using the hook this repository ships (.pre-commit-hooks.yaml,
    language: python), from where the CI job installs dhrtrack: a `git+URL@REV` requirement
    names the repository and revision; any other requirement (a wheel, an index name) is
    installed into a local python hook; with none, the example address is to be replaced."""
    source = hook_source(install_from) if install_from else (HOOK_REPO, HOOK_REV)
    head = template("pre-commit-config.yaml").split("repos:\n", 1)[0]
    if source is None:
        return head + _LOCAL_HOOK.format(spec=install_from)
    repo, rev = source
    return template("pre-commit-config.yaml").replace("__HOOK_REPO__", repo).replace("__HOOK_REV__", rev)


@dataclass
class Initialised:
    directory: str
    created: List[str] = field(default_factory=list)  # relative paths
    kept: List[str] = field(default_factory=list)  # existed already: not changed
    skipped: List[Tuple[str, str]] = field(default_factory=list)  # (relative path, why it was not written)
    textconv: Optional[str] = None  # the textconv command configured in git, if it was
    steps: List[str] = field(default_factory=list)  # what to do next, in words
    failed: Optional[str] = None  # what went wrong setting git up (init then exits 1)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def textconv_command() -> str:
    """The textconv driver as an absolute command: this Python running dhrtrack, so that git GUI
    clients started outside the virtual environment find it too."""
    return f"{shlex.quote(sys.executable)} -m dhrtrack textconv"


def init(directory: str, gitlab: bool = False, install_from: Optional[str] = None, site: bool = False) -> Initialised:
    """Set up a plans repository, idempotently: write each file that does not exist yet (never
    overwriting; the example plan only into a repository with no plans that never had it), an
    agency registry from the leads the plans already use, git's textconv driver when in a git
    repository, and say what to do next."""
    from dhrtrack.history.git import ever_committed

    done = Initialised(directory)
    plans_dir = os.path.join(directory, "plans")
    # The example is a template, not the partnership's: its leads do not make a registry.
    example = os.path.abspath(os.path.join(directory, EXAMPLE_PLAN))
    existing_plans = [f for f in discover_plans(plans_dir) if os.path.abspath(f) != example]
    for relative, content in repository_files(gitlab, install_from, site):
        path = os.path.join(directory, relative)
        if os.path.exists(path):
            done.kept.append(relative)
            continue
        if relative == EXAMPLE_PLAN and (existing_plans or ever_committed(directory, relative)):
            done.skipped.append(
                (relative, "the repository has plans of its own" if existing_plans else "it was deleted")
            )
            continue
        write.write_atomic(path, content)
        done.created.append(relative)
    registry_text = registry_from_leads(existing_plans)
    if registry_text is not None:
        if os.path.exists(os.path.join(directory, REGISTRY)):
            done.kept.append(REGISTRY)
        else:
            write.write_atomic(os.path.join(directory, REGISTRY), registry_text)
            done.created.append(REGISTRY)
    command = textconv_command()
    try:
        done.textconv = command if configure_textconv(directory, command) else None
    except GitMissing:
        done.steps.append(
            "install git: it is not installed or not on the PATH (plans live in git: it is the audit trail)"
        )
        done.steps.append(f"dhrtrack init {directory}   (again, once git is installed: readable git diffs of plans)")
    except GitError as error:
        done.failed = str(error)
    else:
        if done.textconv is None:
            done.steps.append(f"git init {directory}   (plans live in git: it is the audit trail)")
            done.steps.append(
                f"dhrtrack init {directory}   (again, inside the repository: readable git diffs of plans)"
            )
    if ".gitattributes" in done.kept and "diff=dhrtrack" not in _read(os.path.join(directory, ".gitattributes")):
        done.steps.append("add these lines to your .gitattributes: " + GITATTRIBUTES_LINES.replace("\n", "  ").strip())
    ci_file = CI_FILES[gitlab]
    if not install_from and ci_file in done.created:
        done.steps.append(
            "set DHRTRACK_PIP_SPEC in your CI settings to where dhrtrack is installed from "
            "(or run init again with --install-from before the CI file exists): the CI job fails until then"
        )
    if not install_from and ".pre-commit-config.yaml" in done.created:
        done.steps.append(
            f"in .pre-commit-config.yaml, replace {HOOK_REPO} and {HOOK_REV} with the git repository "
            "and tag you install dhrtrack from"
        )
    if site:
        if (
            gitlab
            and ci_file in done.kept
            and GITLAB_INCLUDE.split("\n")[1].strip() not in _read(os.path.join(directory, ci_file))
        ):
            done.steps.append("add to your .gitlab-ci.yml: " + GITLAB_INCLUDE.replace("\n", " ").strip())
        if not gitlab:
            done.steps.append("turn on GitHub Pages: Settings > Pages > Source: GitHub Actions")
        done.steps.append("warning: " + PUBLIC_WARNING)
    done.steps += [
        'dhrtrack new plans/<name>.yaml --review-id "<review id>"   or   '
        "dhrtrack import <plan.docx> -o plans/<name>.yaml",
        "dhrtrack validate && dhrtrack status",
        "pip install pre-commit && pre-commit install   (check plans before each commit)",
    ]
    return done


def discover_plans(plans_dir: str) -> List[str]:
    from dhrtrack.plan.discovery import discover_all

    if not os.path.isdir(plans_dir):
        return []
    found, _refused = discover_all([plans_dir])
    return found


def registry_from_leads(files: List[str]) -> Optional[str]:
    """plans/agencies.yaml naming every lead the plans use: spellings that differ only in case,
    punctuation, '&'/'and' or word order grouped under the most used one, the others as aliases.
    None when the plans name no lead."""
    from collections import Counter

    from dhrtrack.plan.spelling import spelling_key
    from dhrtrack.plan.store import load_files

    loaded = load_files(files, use_cache=False) if files else None
    counts = Counter(a.lead for plan in (loaded.plans if loaded else []) for a in plan.actions)
    if not counts:
        return None
    groups: dict = {}
    for name, _count in counts.most_common():  # most used first: it names the group
        groups.setdefault(spelling_key(name), []).append(name)
    lines = [
        "# yaml-language-server: $schema=../schema/agencies.schema.json",
        "# The agencies named as leads in this repository's plans, written by dhrtrack init from the",
        "# leads the plans used: one canonical name each, with the other ways plans write it. Merge",
        "# entries that are one agency, add contacts, and `dhrtrack validate` warns on a lead that",
        "# matches none of them.",
        "schema_version: 1",
        "agencies:",
    ]
    for names in sorted(groups.values(), key=lambda group: group[0].casefold()):
        lines += write.field("name", names[0], 4)
        lines[-1] = "  - " + lines[-1][4:]
        if len(names) > 1:
            lines.append("    aliases:")
            lines += [line for alias in names[1:] for line in write.item(alias, 6)]
    return "\n".join(lines) + "\n"
