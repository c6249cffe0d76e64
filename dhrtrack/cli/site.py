"""`dhrtrack site`: the partnership's static website and open data, built from the plans."""

from __future__ import annotations

import datetime as dt
import os
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

import click

from dhrtrack.cli.complete import complete_revisions
from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_option,
    at_option,
    echo_all_err,
    echo_err,
    languages_option,
    no_plans_message,
    plan_paths_argument,
    read_plans,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import plural


@click.command("site", cls=Command)
@plan_paths_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="The directory to write the site into (new or empty; --force replaces a site made before).",
)
@click.option(
    "--public",
    is_flag=True,
    help="Publish only the fields the field table marks publishable (no owners, evidence, update notes, "
    "import notes); every page says what is left out. Use it for any site the public can reach.",
)
@click.option("--marking", metavar="TEXT", help="A protective marking (e.g. OFFICIAL-SENSITIVE) on every page.")
@click.option("--title", help="The site's name (default: from the plans' partnership).")
@click.option(
    "--since",
    metavar="REV",
    shell_complete=complete_revisions,
    help="Also show what changed since this git revision (e.g. last quarter's tag).",
)
@click.option("--force", is_flag=True, help="Replace a site dhrtrack made before in that directory.")
@click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache.")
@as_of_option
@at_option
@languages_option
def site(
    paths: Sequence[str],
    output: str,
    public: bool,
    marking: Optional[str],
    title: Optional[str],
    since: Optional[str],
    force: bool,
    no_cache: bool,
    as_of: Optional[dt.date],
    at: Optional[str],
    languages: Tuple[str, ...],
    translations: Optional[str],
) -> None:
    """Build the partnership's website: static, accessible, with open data.

    A home page (headline figures, exceptions, completion by review, when the plans were last
    committed), a page a review, a lead agency and a theme, the overdue list, with --since REV what
    changed, and data/ (the plans as CSV and JSON with a Frictionless datapackage.json). No server
    or network is needed: open index.html or publish the directory on any static host. Tables sort
    and filter with a small script; every page is complete without it. --public leaves out every
    field not marked publishable and says so on every page; the internal build carries --marking
    on every page. The same plans and options give byte-identical files.

    --lang cy builds the pages in Welsh; --lang en,cy (or cy,en) builds both, the first language
    at the root and the other in a folder named by its code (cy/, en/), every page linking its
    counterpart (hreflang) with a link a reader can follow. data/ is one, at the root, in English.
    """
    from dhrtrack.i18n import language
    from dhrtrack.plan import store
    from dhrtrack.render.site import pages, shared_files
    from dhrtrack.reports import publish
    from dhrtrack.reports import site as sites
    from dhrtrack.reports.queries import scope

    if public and marking:
        raise UsageError("--marking is for an internal site; a --public site carries no protective marking")
    check_output(output, force)
    loaded = read_plans(paths, use_cache=not no_cache, detail=store.DATA, at=at)
    if not loaded.files:
        echo_err(no_plans_message(paths))
    day = as_of or today()
    folders = tuple((code, "" if n == 0 else f"{code}/") for n, code in enumerate(languages))
    built: List["sites.Site"] = []

    def made() -> Iterator[Tuple[str, bytes]]:
        for code, folder in folders:
            with language(code, translations):
                one = sites.build(scope(loaded, day), sites.Options(public, marking, title), since, paths, at)
                one.languages, one.prefix = folders, folder
                built.append(one)
                yield from pages(one)
        yield from shared_files(built[0], publish.rows(loaded, day, public))

    count = write_tree(output, made())
    echo_all_err(built[0].board.left_out)
    echo_err(
        f"wrote {output}: {plural(count, 'file')}, {plural(len(built[0].reviews), 'review')}"
        + (" (public: publishable fields only)" if public else " (internal: not for publication)")
    )
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)


SITE_MARKS = ("index.html", os.path.join("data", "datapackage.json"))


def check_output(output: str, force: bool, what: str = "site") -> None:
    """A new or empty directory, or (with --force) one holding a site or data package dhrtrack
    made: never replace a directory of something else."""
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"{output} exists and is not a directory")
    if not os.path.isdir(output) or not os.listdir(output):
        return
    if not force:
        raise UsageError(f"{output} is not empty; use --force to replace the {what} in it")
    if not any(os.path.isfile(os.path.join(output, mark)) for mark in SITE_MARKS + ("datapackage.json",)):
        raise UsageError(f"{output} does not hold a {what} dhrtrack made: choose a new or empty directory")


def write_tree(output: str, made: Iterable[Tuple[str, bytes]]) -> int:
    """Write the files into a new directory beside OUTPUT, then put it in OUTPUT's place: a build
    that fails half way leaves the old site as it was, and no page of an old build stays behind."""
    import shutil
    import tempfile

    parent = os.path.dirname(os.path.abspath(output))
    os.makedirs(parent, exist_ok=True)
    fresh = tempfile.mkdtemp(prefix=".dhrtrack-site-", dir=parent)
    count = 0
    try:
        for relative, content in made:
            path = os.path.join(fresh, *relative.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
            count += 1
        os.chmod(fresh, 0o755)
        old = None
        if os.path.isdir(output):
            old = tempfile.mkdtemp(prefix=".dhrtrack-old-", dir=parent)
            os.rename(output, os.path.join(old, "site"))
        os.rename(fresh, output)
        if old:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return count
