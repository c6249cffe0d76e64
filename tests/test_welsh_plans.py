"""Plan text in two languages and the kinds of review: Welsh outputs say a plan's Welsh text
(text_cy, action_cy, outcome_cy) where it has one and the English where not, with one warning;
review.kind names the review in every output (`new --kind`, `stats --by kind`, the importer);
the bundled SUSR example (examples/wales) validates and reads in Welsh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhrtrack.i18n import fallbacks, language
from dhrtrack.importing import import_file
from dhrtrack.plan import fields
from tests.conftest import plan_text, write

ROOT = Path(__file__).resolve().parent.parent
WALES = ROOT / "examples" / "wales" / "plans"
SUSR = WALES / "susr-2025-03.yaml"

REC = {"number": 1, "text": "Share risk information.", "text_cy": "Rhannu gwybodaeth am risg.", "actions": []}
ACTION = {"id": "1.1", "action": "Write a protocol.", "outcome": "Protocol agreed.", "lead": "Police"}


# --- the choice of language (plan.fields.text_in, in_language) -------------------------------


def test_english_says_the_english_text_and_notes_nothing():
    with language("en"):
        assert fields.text_in(REC, fields.RECOMMENDATION, "text", "p:1") == "Share risk information."
        assert fields.in_language(REC, fields.RECOMMENDATION) == {k: v for k, v in REC.items() if k != "text_cy"}
        assert fallbacks() == {}


def test_welsh_says_the_welsh_text_where_there_is_one_and_notes_each_english_one_once():
    with language("cy"):
        assert fields.text_in(REC, fields.RECOMMENDATION, "text", "p:1") == "Rhannu gwybodaeth am risg."
        assert fields.text_in(ACTION, fields.ACTION, "action", "p:1.1") == "Write a protocol."
        assert fields.text_in(ACTION, fields.ACTION, "action", "p:1.1") == "Write a protocol."
        assert fields.text_in(ACTION, fields.ACTION, "completed", "p:1.1") is None  # no translation: as it is
        said = fields.in_language(ACTION, fields.ACTION, "p:1.1")
        assert said == ACTION  # nothing to put in place; the outcome noted too
        assert fallbacks() == {"p:1.1 action": "action_cy", "p:1.1 outcome": "outcome_cy"}
    assert fallbacks() == {}  # the notes belong to the language block


def test_a_missing_english_text_is_no_fallback():
    with language("cy"):
        assert fields.text_in({"id": "1.1"}, fields.ACTION, "outcome", "p:1.1") is None
        assert fallbacks() == {}


def test_in_language_puts_the_welsh_in_place_and_leaves_the_translations_out():
    with language("cy"):
        said = fields.in_language({**ACTION, "action_cy": "Ysgrifennu protocol.", "outcome_cy": ""}, fields.ACTION)
    assert said == {**ACTION, "action": "Ysgrifennu protocol."}


def test_every_translation_names_a_text_field_of_its_level():
    for f in fields.FIELDS:
        if f.translates:
            assert fields.field(f.level, f.translates).kind == f.kind == "text"
            assert f.name == f"{f.translates}_{f.language}" and f.public == fields.field(f.level, f.translates).public


# --- Welsh outputs -----------------------------------------------------------------------------


def test_the_susr_example_validates_with_no_warning(cli):
    result = cli("validate", str(WALES))
    assert (result.exit_code, result.stderr) == (0, "checked 1 file: 0 errors, 0 warnings - valid\n")


SHOW_CY = """\
susr-2025-03:2.2

Adolygiad:      SUSR 2025/03: Single Unified Safeguarding Review SUSR 2025/03
                (Adult D) action plan
Partneriaeth:   Bro Aled Regional Safeguarding Board
Math o adolygiad: Adolygiad Diogelu Unedig Sengl
Ffeil:          {file}
Argymhelliad:   2 (adran asiantaeth, asiantaeth Bro Aled Police, cwmpas lleol):
                Dylai Heddlu Bro Aled sicrhau bod swyddogion yn cwblhau asesiad
                risg DASH ym mhob digwyddiad cam-drin domestig, gan gynnwys y
                rhai lle mae'r dioddefwr yn oedolyn hŷn.
Themâu:         - risk assessment
Cam gweithredu: Samplu digwyddiadau cam-drin domestig bob chwarter i wirio bod
                asesiad risg DASH wedi'i gwblhau.
Arweinydd:      Bro Aled Police
Dyddiad targed: 2026-06 (dyledus 30 Mehefin 2026)
RAG:            coch
Statws:         148 diwrnod yn hwyr ar 25 Tachwedd 2026
Diweddariadau:
  2026-07-15: RAG coch; No quarterly sample yet; the audit team is short of two
    analysts.
"""


def test_show_in_welsh_says_the_welsh_texts_and_names_the_kind(cli):
    result = cli(
        "show", "susr-2025-03:2.2", "--plans", str(WALES), "--lang", "cy", "--as-of", "2026-11-25", "--no-history"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SHOW_CY.format(file=SUSR)
    assert result.stderr == ""  # every text has its Welsh


def test_report_in_welsh_on_the_susr_example(cli):
    result = cli("report", str(WALES), "--lang", "cy", "--as-of", "2026-11-25", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    title = "Cynlluniau gweithredu Adolygiad Diogelu Unedig Sengl: adroddiad cynnydd ar gyfer Bro Aled Regional"
    assert out.startswith(f"# {title} Safeguarding Board\n")
    row = (
        "| SUSR 2025/03 | 2.2 | Samplu digwyddiadau cam-drin domestig bob chwarter i wirio bod asesiad risg "
        "DASH wedi'i gwblhau. | Bro Aled Police | 30 Mehefin 2026 | coch |"
    )
    assert row in out.splitlines() or any(line.startswith(row) for line in out.splitlines())
    assert "Dip-sample" not in out and "Single Unified" not in out
    assert result.stderr == ""


def test_report_in_english_names_the_kind_in_english(cli):
    result = cli("report", str(WALES), "--as-of", "2026-11-25", "--format", "markdown")
    assert result.stdout.startswith(
        "# Single Unified Safeguarding Review action plans: progress report for Bro Aled Regional Safeguarding Board\n"
    )
    assert "Dip-sample domestic abuse incidents" in result.stdout and "Samplu" not in result.stdout


def _english_only(tmp_path: Path, actions: int) -> Path:
    items = "\n".join(
        f'- id: "1.{n}"\n  action: Action {n}.\n  lead: Police\n  target: 2024-01' for n in range(1, actions + 1)
    )
    return write(tmp_path / "plans" / "e.yaml", plan_text(items))


def test_texts_with_no_welsh_are_said_in_english_with_one_warning(cli, tmp_path):
    plans = _english_only(tmp_path, 1).parent
    result = cli("show", "e:1.1", "--plans", str(plans), "--lang", "cy", "--as-of", "2024-02-01", "--no-history")
    assert result.exit_code == 0
    assert "Cam gweithredu: Action 1." in result.stdout
    assert result.stderr == (
        "warning: 2 plan texts have no Cymraeg (cy) and are given in English: e:1 text, e:1.1 action "
        "(add action_cy, text_cy to the plans)\n"
    )


def test_a_report_warns_once_however_many_texts_fall_back(cli, tmp_path):
    plans = _english_only(tmp_path, 12).parent
    result = cli("report", str(plans), "--lang", "cy", "--as-of", "2024-02-01", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        "warning: 12 plan texts have no Cymraeg (cy) and are given in English: e:1.1 action, e:1.2 action, "
        "e:1.3 action, e:1.4 action, e:1.5 action, e:1.6 action, e:1.7 action, e:1.8 action and 4 more "
        "(add action_cy to the plans)"
    )
    assert sum("plan texts" in line for line in lines) == 1
    english = cli("report", str(plans), "--as-of", "2024-02-01", "--format", "markdown")
    assert "plan texts" not in english.stderr  # English needs no Welsh


def test_the_welsh_action_text_comes_from_the_texts_cache_too(cli, tmp_path):
    path = write(
        tmp_path / "plans" / "w.yaml",
        plan_text('- id: "1.1"\n  action: Write.\n  action_cy: Ysgrifennu.\n  lead: Police\n  target: 2024-01'),
    )
    for _time in range(2):  # the second run reads the texts from the cache
        result = cli("chase", str(path.parent), "--lang", "cy", "--as-of", "2024-02-01", "--format", "json")
        item = json.loads(result.stdout)["messages"][0]["overdue"][0]
        assert item["text"] == "Ysgrifennu."
        assert json.loads(result.stdout)["messages"][0]["subject"].startswith("Cynlluniau gweithredu ALlD:")


def test_chase_names_the_reviews_by_their_kind(cli):
    result = cli("chase", str(WALES), "--as-of", "2026-11-25", "--format", "text", "--lead", "Bro Aled Police")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Subject: SUSR action plans: 1 action for Bro Aled Police - update requested by 9 December 2026"
    )
    assert "these actions from single unified safeguarding reviews that Bro Aled Police leads" in " ".join(
        result.stdout.split()
    )
    welsh = cli("chase", str(WALES), "--as-of", "2026-11-25", "--format", "text", "--lang", "cy", "--lead", "Police")
    assert welsh.stdout.splitlines()[0].startswith("Pwnc: Cynlluniau gweithredu ADUS: ")


def test_a_welsh_return_for_the_susr_example_names_the_kind_and_says_the_welsh_texts(cli, tmp_path):
    import openpyxl

    out = tmp_path / "ffurflenni"
    result = cli("chase", str(WALES), "--as-of", "2026-11-25", "--format", "xlsx", "--out", str(out), "--lang", "cy")
    assert result.exit_code == 0, result.stderr
    assert "plan texts" not in result.stderr  # every text has its Welsh
    workbook = openpyxl.load_workbook(out / "bro-aled-police.xlsx")
    assert workbook.properties.title == "Ffurflen cynllun gweithredu ADUS: Bro Aled Police"
    assert workbook["Cyfarwyddiadau"]["A1"].value == (
        "Cynlluniau gweithredu ADUS: ffurflen diweddaru ar gyfer Bro Aled Police"
    )
    sheet = workbook["Camau gweithredu"]
    column = {cell.value: cell.column for cell in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column["Cyfeirnod"]).value.endswith(":2.2"))
    assert sheet.cell(row, column["Cam gweithredu"]).value.startswith("Samplu digwyddiadau cam-drin domestig")
    assert sheet.cell(row, column["Argymhelliad"]).value.startswith("2. ")
    english = cli("chase", str(WALES), "--as-of", "2026-11-25", "--format", "xlsx", "--out", str(tmp_path / "en"))
    assert english.exit_code == 0, english.stderr
    book = openpyxl.load_workbook(tmp_path / "en" / "bro-aled-police.xlsx")
    assert book.properties.title == "SUSR action plan return: Bro Aled Police"
    assert book["Instructions"]["A1"].value == "SUSR action plans: update return for Bro Aled Police"


def test_the_word_paper_names_the_kind_in_its_keywords(cli, tmp_path):
    import docx

    for lang, kind in (("en", "Single Unified Safeguarding Review"), ("cy", "Adolygiad Diogelu Unedig Sengl")):
        paper = tmp_path / f"{lang}.docx"
        result = cli(
            "report", str(WALES), "--as-of", "2026-11-25", "--format", "docx", "--lang", lang, "-o", str(paper)
        )
        assert result.exit_code == 0, result.stderr
        assert docx.Document(str(paper)).core_properties.keywords.startswith(f"{kind}; ")


# --- review kinds ------------------------------------------------------------------------------


def test_stats_by_kind(cli):
    result = cli(
        "stats", str(WALES), str(ROOT / "plans"), "--by", "kind", "--as-of", "2026-11-25", "--format", "markdown"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:5] == [
        "### Implementation by kind of review as of 2026-11-25 (2)",
        "",
        "| Kind of review | Actions | Open | Overdue | Complete | Verified | On time | Late | Date unknown | Median days late "
        "| Slips | Months slipped |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        "| dhr | 48 | 12 | 6 | 36 | 0 | 0 | 0 | 36 | — | 0 | 0 |",
    ]
    assert result.stdout.splitlines()[5] == "| susr | 7 | 5 | 3 | 2 | 1 | 2 | 0 | 0 | — | 0 | 0 |"


def test_new_with_a_kind_writes_it_and_names_it(cli, tmp_path):
    out = tmp_path / "plans" / "susr.yaml"
    out.parent.mkdir()
    result = cli("new", str(out), "--review-id", "SUSR 2026/01", "--kind", "susr", "--partnership", "Bro Aled RSB")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1:9] == [
        "# The action plan of one Single Unified Safeguarding Review.",
        "# Check it with `dhrtrack validate`; see docs/fields.md for every field.",
        "schema_version: 1",
        "review:",
        "  id: SUSR 2026/01",
        "  partnership: Bro Aled RSB",
        "  kind: susr",
        "recommendations: []",
    ]
    assert cli("validate", str(out)).exit_code == 0
    assert cli("new", str(tmp_path / "x.yaml"), "--review-id", "X", "--kind", "hr").exit_code == 2


TRACKER = "Rec,Recommendation,Action,Lead agency,Target date\n1,Share information.,Write a protocol.,Police,2026-03\n"


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Single Unified Safeguarding Review SUSR 2025/03 action plan", "susr"),
        ("Adolygiad Diogelu Unedig Sengl – cynllun gweithredu", "susr"),
        ("Safeguarding Adults Review: Adult C", "sar"),
        ("SAR 2024-02 Action Plan", "sar"),
        ("Child Safeguarding Practice Review CSPR 23/04", "cspr"),
        ("Adolygiad Ymarfer Plant / Child Practice Review – CYSUR 2/2024", "cspr"),  # Wales before SUSR
        ("Adult Practice Review APR 2023/1 action plan", "sar"),
        ("Domestic Abuse Related Death Review DARDR 2025-1", "dardr"),
        ("Mental Health Homicide Review action plan", "mhhr"),
        ("Domestic Homicide Review NSDHR 2021-03 action plan", None),  # the default is not written
        ("Sarah's review action plan", None),  # an abbreviation only as a word of its own
    ],
)
def test_the_importer_reads_the_kind_from_the_title(tmp_path, title, kind):
    source = tmp_path / "tracker.csv"
    source.write_text(f"{title}\n{TRACKER}", encoding="utf-8")
    plan = import_file(str(source), review_id="R 1").plan
    assert plan["review"].get("kind") == kind


@pytest.mark.parametrize(
    "heading, cell, kind",
    [
        ("SUSR Ref", "SUSR 2025/03", "susr"),
        ("SAR reference", "2024/02", "sar"),
        ("Review", "NSDHR 2021-03", None),
    ],
)
def test_the_importer_reads_the_kind_from_the_review_columns_heading(tmp_path, heading, cell, kind):
    source = tmp_path / "tracker.csv"
    lines = TRACKER.splitlines()
    source.write_text(f"{heading},{lines[0]}\n{cell},{lines[1]}\n", encoding="utf-8")
    plan = import_file(str(source)).plan
    assert (plan["review"]["id"], plan["review"].get("kind")) == (cell, kind)


@pytest.mark.parametrize(
    "cell, kind", [("Safeguarding Adults Review", "sar"), ("SUSR", "susr"), ("dhr", "dhr"), ("Adolygiad", None)]
)
def test_a_review_kind_column_may_name_the_kind(tmp_path, cell, kind):
    source = tmp_path / "tracker.csv"
    lines = TRACKER.splitlines()
    source.write_text(f"Review kind,{lines[0]}\n{cell},{lines[1]}\n", encoding="utf-8")
    result = import_file(str(source), review_id="R 1")
    assert result.plan["review"].get("kind") == kind
    if kind is None:
        assert any("is not one of" in w for _where, w in result.warnings)


def test_welsh_columns_import_as_the_welsh_fields(tmp_path):
    source = tmp_path / "tracker.csv"
    source.write_text(
        "Rec,Recommendation,Argymhelliad (Cymraeg),Action,Action (Welsh),Lead agency,Outcome,Canlyniad (Cymraeg),RAG\n"
        "1,Share information.,Rhannu gwybodaeth.,Write a protocol.,Ysgrifennu protocol.,Police,Done.,Wedi'i wneud.,"
        "Complete\n",
        encoding="utf-8",
    )
    plan = import_file(str(source), review_id="R 1").plan
    rec = plan["recommendations"][0]
    assert (rec["text"], rec["text_cy"]) == ("Share information.", "Rhannu gwybodaeth.")
    action = rec["actions"][0]
    assert (action["action_cy"], action["outcome"], action["outcome_cy"]) == (
        "Ysgrifennu protocol.",
        "Done.",
        "Wedi'i wneud.",
    )
    assert "import_notes" not in action


def _page_text(path: Path) -> list:
    import html.parser

    class Text(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list = []
            self.skip = False

        def handle_starttag(self, tag, attrs):
            self.skip = tag in ("style", "script")

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.parts.append(" ".join(data.split()))

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.parts


def test_the_site_names_the_kind_and_an_english_page_says_only_the_english(cli, tmp_path):
    out = tmp_path / "site"
    result = cli("site", str(WALES), "--public", "-o", str(out), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    parts = _page_text(out / "reviews" / "susr-2025-03.html")
    assert parts[0] == (
        "SUSR 2025/03 – Single Unified Safeguarding Review action plans: Bro Aled Regional Safeguarding Board"
    )
    assert parts[parts.index("Review kind") + 1] == "Single Unified Safeguarding Review"
    text = " ".join(parts)
    assert "Dip-sample domestic abuse incidents each quarter" in text
    assert "Samplu" not in text and "Dylai" not in text and "(Welsh)" not in text


@pytest.mark.parametrize(
    "lang, label, said",
    [
        ("en", "Verified", "14 November 2025 by Board quality assurance subgroup; evidence: Protocol minuted"),
        ("cy", "Wedi'i wirio", "14 Tachwedd 2025 gan Board quality assurance subgroup; tystiolaeth: Protocol minuted"),
    ],
)
def test_the_site_says_a_verification_in_words_in_the_page_language(cli, tmp_path, lang, label, said):
    out = tmp_path / "site"
    result = cli("site", str(WALES), "--lang", lang, "-o", str(out), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    parts = _page_text(out / "reviews" / "susr-2025-03.html")
    verified = parts[parts.index(label) + 1]
    assert verified.startswith(said)
    assert "{" not in verified and "2025-11-14" not in verified


def test_update_records_a_welsh_outcome_beside_the_english_and_each_language_says_its_own(cli, tmp_path):
    plan = write(
        tmp_path / "plans" / "w.yaml",
        plan_text(
            '- id: "1.1"\n  action: Write.\n  action_cy: Ysgrifennu.\n  lead: Police  # the force\n  target: 2024-01'
        ),
    )
    before = plan.read_text()
    result = cli(
        "update", "w:1.1", "--plans", str(plan.parent), "--date", "2024-02-01", "--rag", "green",
        "--outcome", "Protocol drafted.", "--outcome-cy", "Protocol wedi'i ddrafftio.", "--by", "Police",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "outcome recorded; outcome_cy recorded" in result.stderr
    after = plan.read_text()
    assert "lead: Police  # the force\n" in after  # a surgical edit: the comment stays
    added = [line.strip() for line in after.splitlines() if line not in before.splitlines()]
    assert added == [
        "outcome: Protocol drafted.",
        "outcome_cy: Protocol wedi'i ddrafftio.",
        "rag: green",
        "updates:",
        "- date: 2024-02-01",
        "rag: green",
        "outcome: Protocol drafted.",
        "outcome_cy: Protocol wedi'i ddrafftio.",
        "by: Police",
    ]
    assert cli("validate", str(plan)).exit_code == 0
    show = ["show", "w:1.1", "--plans", str(plan.parent), "--as-of", "2024-02-01", "--no-history"]
    welsh, english = cli(*show, "--lang", "cy").stdout, cli(*show).stdout
    assert "Canlyniad:      Protocol wedi'i ddrafftio." in welsh
    assert "2024-02-01: RAG gwyrdd; canlyniad: Protocol wedi'i ddrafftio. (gan Police)" in welsh
    assert "Protocol drafted" not in welsh
    assert "2024-02-01: rag green; outcome: Protocol drafted. (by Police)" in english


def test_a_site_page_is_titled_by_its_purpose_then_the_site_and_the_home_page_once(cli, tmp_path):
    out = tmp_path / "site"
    assert cli("site", str(WALES), "--lang", "cy,en", "-o", str(out), "--as-of", "2026-11-25").exit_code == 0
    site = "Single Unified Safeguarding Review action plans: Bro Aled Regional Safeguarding Board"
    cy = "Cynlluniau gweithredu Adolygiad Diogelu Unedig Sengl: Bro Aled Regional Safeguarding Board"

    def title(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return text[text.index("<title>") + 7 : text.index("</title>")]

    assert title(out / "en" / "index.html") == site
    assert title(out / "index.html") == cy
    assert title(out / "en" / "reviews" / "susr-2025-03.html") == f"SUSR 2025/03 – {site}"
