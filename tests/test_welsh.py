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
    text = re.sub(r"\S+@\S+|\bq4\b|dhrtrack|alpha:1\.1|plans/\S+\.yaml", " ", text)
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


# The Word paper, its lists, the return workbooks, stats and the site: under the pseudo-language,
# every word they write for people is a catalogue message or the plans' own.

LANGUAGE_NAMES = [name for _tag, name in LANGUAGES.values()]  # each language's name in itself: never translated


def _pseudo(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "translations", lambda code, override=None: Pseudo())


def _plan_words(root: Path) -> List[str]:
    return _plan_values(root / "plans")


def _left(texts: List[str], values: List[str]) -> List[str]:
    """The words of texts outside the catalogue and the plans: return ids and signatures (hex),
    refs (plan:id) and the language names taken out first."""
    text = "\n".join(texts)
    text = re.sub(r"\b[0-9a-f]{8,}\b|\b[a-z0-9-]+:[0-9][0-9.]*\b", " ", text)
    for name in LANGUAGE_NAMES:
        text = text.replace(name, " ")
    return _words_left(text, values)


def _docx_texts(path: Path) -> List[str]:
    """What a reader of the Word paper sees or hears: paragraphs, table cells, headers and
    footers, the pictures' descriptions and the document's properties."""
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    texts += re.findall(r'descr="([^"]*)"', document.element.xml)
    core = document.core_properties
    texts += [core.title or "", core.subject or "", core.keywords or "", core.comments or ""]
    return texts


def test_the_word_paper_and_its_lists_say_nothing_outside_the_catalogue(evolved, cli, monkeypatch):
    _pseudo(monkeypatch)
    result = cli(
        "report", "--as-of", "2024-03-15", "--since", "q4", "--format", "docx", "--limit", "1", "-o", "paper.docx"
    )
    assert result.exit_code == 0, result.stderr
    values = _plan_words(evolved.root)
    texts = _docx_texts(evolved.root / "paper.docx")
    assert any("⟦Exceptions⟧" in t for t in texts)
    assert _left(texts, values) == []
    lists = sorted(evolved.root.glob("paper-*.csv"))
    assert lists, "--limit 1 cuts at least one list"
    for path in lists:
        assert _left([path.read_text(encoding="utf-8-sig")], values) == [], path.name


def test_the_welsh_word_paper_is_in_welsh_and_says_so(evolved, cli):
    import zipfile

    import docx

    result = cli("report", "--as-of", "2024-03-15", "--format", "docx", "--lang", "cy", "-o", "papur.docx")
    assert result.exit_code == 0, result.stderr
    document = docx.Document("papur.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Eithriadau" in headings and "Prif ffigurau" in headings
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("tudalen ") and " o " in footer
    assert document.core_properties.language == "cy-GB"
    styles = zipfile.ZipFile("papur.docx").read("word/styles.xml").decode()
    assert 'w:val="cy-GB"' in styles and 'w:val="en-US"' not in styles
    english = cli("report", "--as-of", "2024-03-15", "--format", "docx", "-o", "paper.docx")
    assert english.exit_code == 0
    assert docx.Document("paper.docx").core_properties.language == "en-GB"


def _workbook_texts(path: Path) -> List[str]:
    """What an agency sees in a return workbook: the visible sheets' names and text, the
    drop-down's choices and messages, the footer and the properties (the hidden sheet is the
    machine's: its labels stay English)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    texts = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        texts.append(sheet.title)
        texts += [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        for rule in sheet.data_validations.dataValidation:
            texts += [rule.formula1 or "", rule.errorTitle or "", rule.error or ""]
        texts.append(re.sub(r"&[PN]", " ", sheet.oddFooter.center.text or "").replace("&&", "&"))
    texts += [workbook.properties.title or "", workbook.properties.subject or ""]
    return texts


def test_return_workbooks_and_forms_say_nothing_outside_the_catalogue(evolved, cli, monkeypatch):
    _pseudo(monkeypatch)
    for fmt in ("xlsx", "csv"):
        result = cli("chase", "--as-of", "2024-03-15", "--format", fmt, "--out", f"returns-{fmt}")
        assert result.exit_code == 0, result.stderr
    values = _plan_words(evolved.root)
    books = sorted((evolved.root / "returns-xlsx").glob("*.xlsx"))
    assert books
    for path in books:
        texts = _workbook_texts(path)
        assert "⟦Instructions⟧" in texts
        assert _left(texts, values) == [], path.name
    for path in sorted((evolved.root / "returns-csv").glob("*.csv")):
        import csv

        identity, headings = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[:2]
        assert _left(identity[0::2] + headings, values) == [], path.name


@pytest.mark.parametrize("by", ["agency", "theme"])
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_stats_say_nothing_outside_the_catalogue(evolved, cli, monkeypatch, fmt, by):
    _pseudo(monkeypatch)
    # wide enough that no agency's name is wrapped, nor a column hidden
    result = cli("stats", "--as-of", "2024-03-15", "--format", fmt, "--by", by, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stderr
    assert _left([result.stdout], _plan_words(evolved.root)) == [], result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_stats_data_is_the_same_in_every_language(evolved, cli, fmt):
    """JSON and CSV are data: English keys and values whatever --lang says (docs/welsh.md)."""
    english = cli("stats", "--as-of", "2024-03-15", "--format", fmt, "--by", "theme")
    welsh = cli("stats", "--as-of", "2024-03-15", "--format", fmt, "--by", "theme", "--lang", "cy")
    assert english.exit_code == welsh.exit_code == 0
    assert welsh.stdout == english.stdout


def test_welsh_stats_headings(evolved, cli):
    result = cli("stats", "--as-of", "2024-03-15", "--format", "markdown", "--by", "theme", "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("### Gweithredu fesul thema ar 2024-03-15")
    assert "| Thema | Camau gweithredu | Agored |" in result.stdout


def test_show_update_log_says_nothing_outside_the_catalogue(evolved, cli, monkeypatch):
    changed = cli(
        "update", "alpha:1.1", "--rag", "green", "--target", "2024-12", "--evidence", "Minutes of the board",
        "--note", "Protocol signed.", "--by", "Northshire Police", "--date", "2024-10-01",
    )  # fmt: skip
    assert changed.exit_code == 0, changed.stderr
    shown = cli("show", "alpha:1.1", "--as-of", "2024-10-15", "--no-history", "--lang", "cy")
    said = " ".join(shown.stdout.split())
    assert "2024-10-01: RAG gwyrdd; targed 2024-12; tystiolaeth: Minutes of the board; Protocol signed." in said
    assert "(gan Northshire Police)" in said
    _pseudo(monkeypatch)
    for fmt in ("text", "markdown"):
        result = cli("show", "alpha:1.1", "--as-of", "2024-10-15", "--format", fmt, "--no-history")
        assert result.exit_code == 0, result.stderr
        assert _left([result.stdout], _plan_words(evolved.root)) == [], result.stdout


class _Page(_Text):
    """A site page's text: as _Text, and what its script says (data-filter-label,
    data-rows-shown), without the data's identifiers (<code>) and the script itself."""

    def __init__(self) -> None:
        super().__init__()
        self.code = False

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        self.skip = tag in ("style", "script")
        self.code = tag == "code"
        self.parts += [v or "" for k, v in attrs if k in ("data-filter-label", "data-rows-shown", "title")]

    def handle_endtag(self, tag):
        self.code = False if tag == "code" else self.code

    def handle_data(self, data):
        if not self.code:
            super().handle_data(data)


def test_site_pages_say_nothing_outside_the_catalogue(evolved, cli, monkeypatch):
    _pseudo(monkeypatch)
    result = cli("site", "-o", "site", "--as-of", "2024-03-15", "--since", "q4", "--lang", "en,cy")
    assert result.exit_code == 0, result.stderr
    values = _plan_words(evolved.root)
    pages = sorted((evolved.root / "site").rglob("*.html"))
    assert len(pages) > 10 and (evolved.root / "site" / "cy" / "index.html").exists()
    for path in pages:
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        # file names of the data and of the site's pages, and page numbers
        texts = [re.sub(r"\b[\w-]+\.(csv|json|html)\b", " ", t) for t in parser.parts]
        assert _left(texts, values) == [], path.relative_to(evolved.root)


def test_a_site_in_two_languages_links_every_page_to_its_counterpart(evolved, cli):
    result = cli("site", "-o", "site", "--as-of", "2024-03-15", "--lang", "cy,en")
    assert result.exit_code == 0, result.stderr
    root = evolved.root / "site"
    welsh = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if not p.is_relative_to(root / "en"))
    english = sorted(p.relative_to(root / "en").as_posix() for p in (root / "en").rglob("*.html"))
    assert welsh == english and "index.html" in welsh
    assert not (root / "en" / "data").exists() and not (root / "en" / "assets").exists()
    for relative in welsh:
        for folder, own, other in (("", "cy-GB", "en-GB"), ("en/", "en-GB", "cy-GB")):
            page = root / (folder + relative)
            html_text = page.read_text(encoding="utf-8")
            assert f'<html lang="{own}">' in html_text
            links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html_text)
            assert [lang for lang, _href in links] == [own, other], relative
            counterpart = (page.parent / dict(links)[other]).resolve()
            assert counterpart == (root / (("en/" if folder == "" else "") + relative)).resolve()
            assert f'class="language" href="{dict(links)[other]}" hreflang="{other}"' in html_text
            sheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', html_text)
            assert sheet and (page.parent / sheet.group(1)).resolve() == (root / "assets" / "site.css").resolve()
    data_links = re.findall(r'href="([^"]*data/[^"]+)"', (root / "en" / "data.html").read_text(encoding="utf-8"))
    assert data_links and all((root / "en" / link).resolve().is_file() for link in data_links)
    assert "Data agored" in (root / "index.html").read_text(encoding="utf-8")
    english_only = cli("site", "-o", "site-en", "--as-of", "2024-03-15")
    assert english_only.exit_code == 0
    for name in ("actions.csv", "actions.json", "reviews.csv", "datapackage.json"):
        assert (root / "data" / name).read_bytes() == (evolved.root / "site-en" / "data" / name).read_bytes(), name


@pytest.mark.parametrize("lang", ["fr", "en,en", "en,"])
def test_site_refuses_a_language_it_does_not_have(evolved, cli, lang):
    result = cli("site", "-o", "site", "--lang", lang)
    assert result.exit_code == 2
    assert not Path("site").exists()


def test_a_welsh_return_round_trips_through_apply(evolved, cli):
    """chase --lang cy writes Welsh headings, sheets and RAG words; an agency answers in Welsh;
    apply reads it (and an English return beside it) back into the plan."""
    import csv

    import openpyxl

    result = cli("chase", "--as-of", "2024-03-15", "--format", "xlsx", "--out", "ffurflenni", "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    path = next(p for p in (evolved.root / "ffurflenni").glob("*.xlsx") if p.stem == "northshire-police")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Camau gweithredu", "Cyfarwyddiadau", "dhrtrack"]
    sheet = workbook["Camau gweithredu"]
    column = {cell.value: cell.column for cell in sheet[1]}
    assert "RAG newydd" in column and "Cyfeirnod" in column
    rows = {sheet.cell(r, column["Cyfeirnod"]).value: r for r in range(2, sheet.max_row + 1)}
    row = rows["alpha:1.1"]
    sheet.cell(row, column["RAG newydd"]).value = "Ambr"
    sheet.cell(row, column["Diweddariad"]).value = "Protocol wedi'i ddrafftio."
    workbook.save(path)
    result = cli("apply", str(path), "--date", "2024-03-20")
    assert result.exit_code == 0, result.stderr
    assert "1 answer applied" in result.stderr
    plan = yaml.safe_load((evolved.root / "plans" / "alpha.yaml").read_text(encoding="utf-8"))
    action = plan["recommendations"][0]["actions"][0]
    assert action["rag"] == "amber"
    assert action["updates"][-1]["note"] == "Protocol wedi'i ddrafftio."
    # The CSV form, in Welsh, the same way; an English word is taken in a Welsh return too.
    result = cli("chase", "--as-of", "2024-03-20", "--format", "csv", "--out", "csv", "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    form = next(p for p in (evolved.root / "csv").glob("*.csv") if p.stem == "northshire-police")
    lines = list(csv.reader(form.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][0::2] == ["Ffurflen", "Asiantaeth", "Ysgrifennwyd", "Llofnod"]
    headings = lines[1]
    assert headings[0] == "Cyfeirnod" and headings[-1] == "Gwiriad"
    for line in lines[2:]:
        if line[0] == "alpha:1.1":
            line[headings.index("RAG newydd")] = "green"
    with form.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    result = cli("apply", str(form), "--date", "2024-03-21")
    assert result.exit_code == 0, result.stderr
    plan = yaml.safe_load((evolved.root / "plans" / "alpha.yaml").read_text(encoding="utf-8"))
    assert plan["recommendations"][0]["actions"][0]["rag"] == "green"


def test_an_english_return_does_not_take_welsh_rag_words(evolved, cli):
    import openpyxl

    result = cli("chase", "--as-of", "2024-03-15", "--format", "xlsx", "--out", "returns")
    assert result.exit_code == 0, result.stderr
    path = next(p for p in (evolved.root / "returns").glob("*.xlsx") if p.stem == "northshire-police")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions"]
    column = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, column["New RAG"]).value = "coch"
    workbook.save(path)
    result = cli("apply", str(path), "--date", "2024-03-20")
    assert result.exit_code == 1
    assert "'coch' is not one of red, amber, green, complete" in result.stderr


def test_a_return_in_a_partnerships_own_wording_reads_back(evolved, cli, tmp_path, monkeypatch):
    """A heading and a RAG word the partnership's translations file renames are read back by
    apply with the same $DHRTRACK_TRANSLATIONS."""
    import openpyxl

    own = tmp_path / "ours.po"
    own.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "return"\nmsgid "New RAG"\nmsgstr "Sgôr newydd"\n\n'
        'msgctxt "rag"\nmsgid "amber"\nmsgstr "oren"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DHRTRACK_TRANSLATIONS", str(own))
    result = cli("chase", "--as-of", "2024-03-15", "--format", "xlsx", "--out", "ffurflenni", "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    path = evolved.root / "ffurflenni" / "northshire-police.xlsx"
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Camau gweithredu"]
    column = {cell.value: cell.column for cell in sheet[1]}
    assert "Sgôr newydd" in column
    assert "oren" in sheet.data_validations.dataValidation[0].formula1
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["alpha:1.1"], column["Sgôr newydd"]).value = "oren"
    workbook.save(path)
    result = cli("apply", str(path), "--date", "2024-03-20")
    assert result.exit_code == 0, result.stderr
    plan = yaml.safe_load((evolved.root / "plans" / "alpha.yaml").read_text(encoding="utf-8"))
    assert plan["recommendations"][0]["actions"][0]["updates"][-1]["rag"] == "amber"
