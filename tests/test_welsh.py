"""Welsh and the message catalogues: the catalogues are complete and current, Welsh plurals and
dates, golden Welsh papers, letters and `show`, and no interface text outside the catalogue.

The rule for "no untranslated literal" is checked on what the renderers write, not on their
source: under a pseudo-language that brackets every catalogue message (⟦…⟧), whatever is left of
an output once the bracketed messages and the plan's own values are taken out must hold no word.
A literal a renderer writes without the catalogue shows up there as a word, wherever it is in
the code (renderer, report, wording helper)."""

from __future__ import annotations

import datetime as dt
import gettext
import html.parser
import importlib.util
import re
import shutil
from pathlib import Path
from typing import List

import pytest
import yaml

from dhrtrack import i18n
from dhrtrack.i18n import LANGUAGES, LOCALE_DIR, compile_po, language, n_, read_po
from dhrtrack.wording import date_words, when_words
from tests.gitrepo import evolve
from tests.golden import assert_golden

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("catalogue", ROOT / "tools" / "catalogue.py")
assert _spec and _spec.loader
catalogue = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalogue)

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def test_the_catalogues_are_current_with_the_code():
    """The .pot holds every marked message, each .po every .pot entry, each .mo its .po compiled:
    after a change of wording, `python tools/catalogue.py` (then translate the new Welsh entries)."""
    stale = [str(p.relative_to(ROOT)) for p, content in catalogue.outputs().items() if p.read_bytes() != content]
    assert stale == [], f"run python tools/catalogue.py: {stale}"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_message_is_translated_with_the_same_placeholders(lang):
    entries = read_po((LOCALE_DIR / lang / "LC_MESSAGES" / "dhrtrack.po").read_text(encoding="utf-8"))[1:]
    assert entries
    for entry in entries:
        forms = entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]
        assert forms and all(forms), f"{lang}: untranslated: {entry['msgid']!r}"
        allowed = set(PLACEHOLDER.findall(str(entry["msgid"]) + str(entry.get("msgid_plural", ""))))
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= allowed, (
                f"{lang}: {form!r} has a placeholder {entry['msgid']!r} lacks"
            )


def test_welsh_plural_forms_follow_the_catalogues_rule():
    with language("cy"):
        said = {n: n_("{n} action", "{n} actions", n).format(n=n) for n in (0, 1, 2, 3, 4, 6, 11)}
    assert said == {
        0: "0 cam gweithredu",
        1: "1 cam gweithredu",
        2: "2 gam gweithredu",
        3: "3 cham gweithredu",
        4: "4 cam gweithredu",
        6: "6 cham gweithredu",
        11: "11 cam gweithredu",
    }
    assert n_("{n} action", "{n} actions", 2) == "{n} actions"  # outside a Welsh block: English


def test_dates_and_months_in_welsh_and_english():
    with language("cy"):
        assert date_words(dt.date(2017, 4, 30)) == "30 Ebrill 2017"
        assert when_words("2025-03") == "Mawrth 2025"
        assert when_words("2024-12-01") == "1 Rhagfyr 2024"
        assert when_words("2025-03", "iso") == "2025-03"
    assert date_words(dt.date(2017, 4, 30)) == "30 April 2017"
    assert when_words("2025-03") == "March 2025"


def test_the_mo_files_are_what_gettext_reads():
    for lang in LANGUAGES:
        found = gettext.translation("dhrtrack", str(LOCALE_DIR), languages=[lang])
        assert isinstance(found, gettext.GNUTranslations)
    welsh = gettext.translation("dhrtrack", str(LOCALE_DIR), languages=["cy"])
    assert welsh.pgettext("rag", "red") == "coch"


def test_a_partnerships_translations_file_overrides_the_bundled_welsh(tmp_path, monkeypatch):
    own = tmp_path / "ours.po"
    own.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "rag"\nmsgid "amber"\nmsgstr "oren"\n',
        encoding="utf-8",
    )
    with language("cy", str(own)):
        assert i18n.p_("rag", "amber") == "oren"
        assert i18n.p_("rag", "red") == "coch"  # the rest from the bundled catalogue
    extra = tmp_path / "locale" / "cy" / "LC_MESSAGES"
    extra.mkdir(parents=True)
    (extra / "dhrtrack.mo").write_bytes(compile_po(own.read_text(encoding="utf-8")))
    monkeypatch.setenv("DHRTRACK_LOCALE_DIR", str(tmp_path / "locale"))
    with language("cy"):
        assert i18n.p_("rag", "amber") == "oren"
        assert i18n.p_("month", "May") == "Mai"


def test_an_unknown_language_is_a_usage_error(cli):
    result = cli("show", "x:1", "--lang", "fr")
    assert result.exit_code == 2


# Welsh golden files over the repository of test_golden_git_and_board (same dates and options).


@pytest.fixture
def evolved(repo):
    repo.git("tag", "q4")
    evolve(repo)
    return repo


pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md")])
def test_chase_golden_in_welsh(evolved, cli, fmt, suffix):
    result = cli(
        "chase", "--as-of", "2024-03-15", "--from", "Northshire CSP coordinator", "--format", fmt, "--lang", "cy"
    )
    assert result.exit_code == 0, result.stderr
    assert_golden(f"chase-cy.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("markdown", "md"), ("html", "html")])
def test_report_golden_in_welsh(evolved, cli, fmt, suffix):
    result = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", fmt, "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    assert_golden(f"report-cy.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md")])
def test_show_golden_in_welsh(evolved, cli, fmt, suffix):
    result = cli("show", "alpha:1.1", "--format", fmt, "--as-of", "2024-10-15", "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    assert_golden(f"show-cy.{suffix}", result.stdout)


def test_welsh_html_says_its_language(evolved, cli):
    result = cli("report", "--as-of", "2024-03-15", "--format", "html", "--lang", "cy")
    assert '<html lang="cy-GB">' in result.stdout
    assert "tudalen " in result.stdout


# No interface text outside the catalogue.


class Pseudo(gettext.NullTranslations):
    """Every catalogue message, bracketed."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


class _Text(html.parser.HTMLParser):
    """The text of an HTML page a reader sees or hears: text nodes, and aria-label and title."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: List[str] = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        self.skip = tag == "style"
        self.parts += [v or "" for k, v in attrs if k in ("aria-label", "alt")]

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


ENUMS = {"red", "amber", "green", "complete", "overview", "agency", "local", "regional", "national"}


def _plan_values(plans: Path) -> List[str]:
    values: List[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None and str(node) not in ENUMS:  # the words an output must say itself
            values.append(str(node))

    for path in plans.glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(values), key=len, reverse=True)


def _words_left(text: str, values: List[str]) -> List[str]:
    while True:  # innermost messages first: a message's placeholders may hold messages
        stripped = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if stripped == text:
            break
        text = stripped
    # addresses, the tag, quarters, the action's reference and its file
    text = re.sub(r"\S+@\S+|\bq4\b|\bQ[1-4]\b|dhrtrack|alpha:1\.1|plans/\S+\.yaml", " ", text)
    text = " ".join(text.replace("\\", "").split())  # markdown's escapes, and text wrapped in lines
    for value in values:
        text = text.replace(" ".join(value.split()), " ")
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "markdown"),
        ("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "html"),
        ("chase", "--as-of", "2024-03-15", "--format", "text"),
        ("chase", "--as-of", "2024-03-15", "--format", "markdown"),
        ("show", "alpha:1.1", "--as-of", "2024-10-15", "--format", "text", "--no-history"),
        ("show", "alpha:1.1", "--as-of", "2024-10-15", "--format", "markdown", "--no-history"),
    ],
    ids=lambda a: "-".join(a[:1] + a[-2:]),
)
def test_outputs_say_nothing_outside_the_catalogue(evolved, cli, monkeypatch, args):
    monkeypatch.setattr(i18n, "translations", lambda code, override=None: Pseudo())
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if "--format" in args and args[args.index("--format") + 1] == "html":
        parser = _Text()
        parser.feed(text)
        text = "\n".join(parser.parts)
    left = _words_left(text, _plan_values(evolved.root / "plans"))
    assert left == [], (left, text)
