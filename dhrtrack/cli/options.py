"""What the commands share: the command class that turns library errors into exit codes (the one
place), parameter types, the options every report takes, and where output goes."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, TypeVar, Union

import click

from dhrtrack.cli.complete import complete_leads, complete_reviews
from dhrtrack.cli.help import terminal_columns
from dhrtrack.errors import DhrtrackError
from dhrtrack.render.tables import Display

if TYPE_CHECKING:
    from dhrtrack.plan.store import Loaded

EXIT_OK = 0
EXIT_FINDINGS = 1

F = TypeVar("F", bound=Callable[..., Any])


class Command(click.Command):
    """A click command whose library errors become the CLI's: a message on stderr and exit 1, or,
    for an error that marks itself as the user's usage mistake, click's usage error (exit 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DhrtrackError as error:
            if error.usage:
                raise click.UsageError(error.message, ctx) from None
            raise click.ClickException(error.message) from None


class WrittenDateType(click.ParamType):
    """A day as people write it: YYYY-MM-DD, or day first (31/03/2027, 31 March 2027), read by
    the importer's date rules. Every date option takes these forms (--as-of, --date, --completed,
    --reply-by), so that what works for one works for all."""

    name = "DATE"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> dt.date:
        from dhrtrack.importing.cells import parse_date

        if isinstance(value, dt.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None or len(parsed) != 10:
            self.fail(f"{value!r} is not a real date: write 2027-03-31, or day first: 31/03/2027", param, ctx)
        return dt.date.fromisoformat(parsed)


class WrittenTargetType(click.ParamType):
    """A target as people write it: a month (2027-03, March 2027) or a day (2027-03-31, 31/03/2027)."""

    name = "DATE|MONTH"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        from dhrtrack.importing.cells import parse_date

        parsed = parse_date(str(value))
        if parsed is None:
            self.fail(
                f"{value!r} is not a target: write a month (2027-03, March 2027) or a day (2027-03-31, 31/03/2027)",
                param,
                ctx,
            )
        return parsed


class WindowType(click.ParamType):
    """A look-ahead window in days: 30d, 6w (weeks) or 3m (months of 30 days); a bare number is days."""

    name = "WINDOW"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", str(value or ""))
        if not match:
            self.fail(f"{value!r} is not a window like 30d, 6w or 3m", param, ctx)
        return int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30}[match[2]]


WINDOW = WindowType()
WRITTEN_DATE = DATE = WrittenDateType()
WRITTEN_TARGET = WrittenTargetType()


def today() -> dt.date:
    return dt.date.today()


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        type=DATE,
        default=None,
        help="Report as on this date (2026-03-31, or day first: 31/03/2026, 31 March 2026). Default: today.",
    )(func)


def language_option(func: F) -> F:
    """--lang and --translations: the command runs in that language (what it writes for people
    to read: papers, letters, workbooks, headings), with a partnership's own translations first."""
    from dhrtrack.i18n import LANGUAGES

    @functools.wraps(func)
    def run(*args: Any, lang: str, translations: Optional[str], **kwargs: Any) -> Any:
        from dhrtrack.i18n import fallbacks, language

        with language(lang, translations or os.environ.get("DHRTRACK_TRANSLATIONS") or None):
            try:
                return func(*args, **kwargs)
            finally:
                found = fallbacks()
                if found:
                    click.echo(fallback_warning(found, lang), err=True)

    run = click.option(
        "--translations",
        metavar="FILE.po",
        type=click.Path(exists=True, dir_okay=False),
        help="A .po file whose translations replace dhrtrack's own (a partnership's reviewed wording); "
        "default: $DHRTRACK_TRANSLATIONS.",
    )(run)
    run = click.option(
        "--lang",
        type=click.Choice(tuple(LANGUAGES)),
        default="en",
        show_default=True,
        help="The language of the output: en (English) or cy (Welsh, Cymraeg).",
    )(run)
    return run  # type: ignore[return-value]


class LanguagesType(click.ParamType):
    """One language, or several separated by commas ("en,cy"): the first is the site's root."""

    name = "LANG[,LANG]"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> Tuple[str, ...]:
        from dhrtrack.i18n import LANGUAGES

        if isinstance(value, tuple):
            return value
        codes = tuple(code.strip() for code in str(value).split(","))
        for code in codes:
            if code not in LANGUAGES:
                self.fail(f"{code!r} is not a language dhrtrack has: choose from {', '.join(LANGUAGES)}", param, ctx)
        if len(set(codes)) != len(codes):
            self.fail(f"{value!r} names a language twice", param, ctx)
        return codes


def languages_option(func: F) -> F:
    """--lang en|cy|en,cy|cy,en and --translations, for a command that writes a set of files in
    each language (site): the command is given `languages` (a tuple, the first the main one) and
    `translations` (the .po file, or None), and says things in each language itself."""

    @functools.wraps(func)
    def run(*args: Any, languages: Tuple[str, ...], translations: Optional[str], **kwargs: Any) -> Any:
        return func(
            *args,
            languages=languages,
            translations=translations or os.environ.get("DHRTRACK_TRANSLATIONS") or None,
            **kwargs,
        )

    run = click.option(
        "--translations",
        metavar="FILE.po",
        type=click.Path(exists=True, dir_okay=False),
        help="A .po file whose translations replace dhrtrack's own (a partnership's reviewed wording); "
        "default: $DHRTRACK_TRANSLATIONS.",
    )(run)
    run = click.option(
        "--lang",
        "languages",
        type=LanguagesType(),
        default="en",
        show_default=True,
        help="The language of the pages: en (English), cy (Welsh, Cymraeg), or both, e.g. en,cy: the first "
        "at the root, the other in a folder of its own (cy/), every page linking its counterpart.",
    )(run)
    return run  # type: ignore[return-value]


FALLBACKS_NAMED = 8  # texts a fallback warning names; it counts the rest


def fallback_warning(found: Dict[str, str], lang: str) -> str:
    """One warning for every plan text said in English for want of its translation: how many,
    the first few by reference, and the fields that would give them."""
    from dhrtrack.i18n import LANGUAGES

    named = list(found)[:FALLBACKS_NAMED]
    more = len(found) - len(named)
    texts = "1 plan text has" if len(found) == 1 else f"{len(found)} plan texts have"
    return (
        f"warning: {texts} no {LANGUAGES[lang][1]} ({lang}) and {'is' if len(found) == 1 else 'are'} given in "
        f"English: {', '.join(named)}{f' and {more} more' if more else ''} "
        f"(add {', '.join(sorted(set(found.values())))} to the plans)"
    )


def at_option(func: F) -> F:
    return click.option(
        "--at",
        metavar="REV",
        help="Use the plans as they stood at this git revision (a tag, branch or commit), read from git "
        "without touching the work tree. Without it, the files as they are now.",
    )(func)


def from_option(func: F) -> F:
    return click.option(
        "--from",
        "source",
        metavar="DATABASE",
        type=click.Path(dir_okay=False),
        help="Read the plans from a national database dhrtrack gather made, instead of plan files.",
    )(func)


def plan_paths_argument(func: F) -> F:
    return click.argument(
        "paths", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=False)
    )(func)


REPORT_FORMATS = ("table", "json", "csv", "markdown")
BOM_HELP = (
    "With --format csv: start with a UTF-8 byte-order mark. Excel on Windows needs it to open "
    "accents and dashes right (or import the file as 'CSV UTF-8')."
)


def bom_option(func: F) -> F:
    return click.option("--bom", is_flag=True, help=BOM_HELP)(func)


def echo_rendered(rendered: Union[str, bytes, Iterator[bytes]], fmt: str, bom: bool) -> None:
    """A report as its renderer made it, on standard output: text, bytes, or pieces of bytes
    written as they are made (a national JSON report is never held whole). CSV for Excel on
    Windows starts with a byte-order mark when asked (--bom)."""
    if isinstance(rendered, (str, bytes)):
        click.echo("\ufeff" + rendered if bom and fmt == "csv" and isinstance(rendered, str) else rendered, nl=False)
        return
    for piece in rendered:
        click.echo(piece, nl=False)


DEFAULT_LIMIT = 50
FAIL_ON = ("overdue", "unrated", "claimed")


@dataclass
class ReportArgs:
    """The options every report shares, as one value (report_options collects them)."""

    paths: Sequence[str]
    as_of: Optional[dt.date]
    review: Optional[str]
    lead: Optional[str]
    fmt: str
    limit: int
    fail_on: Tuple[str, ...]
    no_cache: bool
    bom: bool
    at: Optional[str]
    source: Optional[str]  # --from: a gathered national database instead of plan files


def report_options(func: Callable[..., None]) -> Callable[..., None]:
    """The options every report shares: one decorator, the same flags everywhere. The command
    function receives them as one ReportArgs, then its own options by name."""
    options = [
        plan_paths_argument,
        as_of_option,
        click.option(
            "--review",
            metavar="TEXT",
            shell_complete=complete_reviews,
            help="Only reviews whose id or file name contains TEXT (any case).",
        ),
        click.option(
            "--lead",
            metavar="TEXT",
            shell_complete=complete_leads,
            help="Only actions whose lead agency (or its canonical name) contains TEXT (any case).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(REPORT_FORMATS),
            default="table",
            show_default=True,
            help="Output format. json and csv always include every row.",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=DEFAULT_LIMIT,
            show_default=True,
            help="Rows per table in table and markdown output; 0 for no limit.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON),
            multiple=True,
            help="Exit 1 when any overdue (or unrated, or claimed: complete, not verified) action is in scope. "
            "Repeatable.",
        ),
        click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache."),
        bom_option,
        at_option,
        from_option,
    ]

    @functools.wraps(func)
    def command(**given: Any) -> None:
        shared = ReportArgs(**{name: given.pop(name) for name in REPORT_ARGS})
        func(shared, **given)

    for option in reversed(options):
        command = option(command)
    return command


REPORT_ARGS = tuple(f.name for f in fields(ReportArgs))


def display() -> Display:
    """This terminal: its width, and colour unless NO_COLOR is set or output is not a terminal."""
    colour = not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    return Display(terminal_columns(), colour)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def echo_all_err(messages: List[str]) -> None:
    for message in messages:
        click.echo(message, err=True)


def no_plans_message(paths: Any) -> str:
    return "no plan files found (*.yaml, *.yml) in " + ", ".join(paths or ["plans/"])


def read_plans(
    paths: Sequence[str],
    use_cache: bool = True,
    detail: str = "model",
    at: Optional[str] = None,
    source: Optional[str] = None,
) -> "Loaded":
    """The plans under PATHS through the store: the files as they are, or as they stood at a git
    revision (`at`, read from git's objects), or those of a gathered database (`source`)."""
    from dhrtrack.plan import store

    if source is not None:
        from dhrtrack.errors import UsageError
        from dhrtrack.national import database

        if paths or at:
            raise UsageError("--from reads the plans of a gathered database: give it no PATHS and no --at")
        return database.load(source, use_cache)
    if at is None:
        return store.load(paths, use_cache=use_cache, detail=detail)
    from dhrtrack.history.at import load_at

    return load_at(at, paths, use_cache=use_cache, detail=detail)


def load_plans(
    paths: Sequence[str],
    use_cache: bool = True,
    detail: str = "model",
    at: Optional[str] = None,
    source: Optional[str] = None,
) -> "Loaded":
    """The plans a command reads, through the store (from the files, or from git at a revision
    with `at`); each plan left out as invalid is named on stderr with its first error, and so is
    a path with no plans at all."""
    from dhrtrack.reports.queries import left_out_message

    loaded = read_plans(paths, use_cache, detail, at, source)
    echo_all_err([left_out_message(i) for i in loaded.invalid])
    if not loaded.files:
        echo_err(no_plans_message(paths))
    return loaded
