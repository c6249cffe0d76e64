"""Golden files (tests/expected/) for diff, history, chase and the board report: the exact text
users see, at a fixed date and terminal width, over a repository with a known history."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.gitrepo import evolve
from tests.golden import assert_golden

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def evolved(repo):
    repo.git("tag", "q4")
    evolve(repo)
    return repo


@pytest.mark.parametrize("fmt, suffix", [("table", "txt"), ("markdown", "md"), ("json", "json"), ("csv", "csv")])
def test_diff_golden(evolved, cli, fmt, suffix):
    result = cli("diff", "q4", "HEAD", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"diff.{suffix}", result.stdout)


@pytest.mark.parametrize("ref, name", [("alpha:1.1", "history-action"), ("alpha", "history-plan")])
@pytest.mark.parametrize("fmt, suffix", [("table", "txt"), ("markdown", "md")])
def test_history_golden(evolved, cli, ref, name, fmt, suffix):
    result = cli("history", ref, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{name}.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_chase_golden(evolved, cli, fmt, suffix):
    result = cli("chase", "--as-of", "2024-03-15", "--from", "Northshire CSP coordinator", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"chase.{suffix}", result.stdout)


def test_report_markdown_golden(evolved, cli):
    result = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert_golden("report.md", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_show_golden(evolved, cli, fmt, suffix):
    """One action in full, with its two target slips from the evolved repository's history."""
    result = cli("show", "alpha:1.1", "--format", fmt, "--as-of", "2024-10-15")
    assert result.exit_code == 0, result.stderr
    assert_golden(f"show.{suffix}", result.stdout)


def test_the_manual_shows_the_show_golden_file():
    readme = (Path(__file__).parent.parent / "docs" / "coordinator.md").read_text(encoding="utf-8")
    golden = (Path(__file__).parent / "expected" / "show.txt").read_text(encoding="utf-8")
    assert "$ dhrtrack show alpha:1.1 --as-of 2024-10-15\n" + golden + "```" in readme


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md")])
def test_show_golden_on_the_seed_plan(cli, fmt, suffix, tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    result = cli("show", "bdhr-2012-13-05:10.1", "--as-of", "2026-11-25", "--no-history", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"show-seed.{suffix}", result.stdout)


def test_show_outside_git_says_so_and_can_leave_history_out(tmp_path, chdir, cli, monkeypatch):
    from tests.gitrepo import FIXTURE

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(FIXTURE, tmp_path / "plans")
    chdir(tmp_path)
    result = cli("show", "beta:1.2", "--as-of", "2024-10-15")
    assert result.exit_code == 0, result.stderr
    history = " ".join(result.stdout[result.stdout.index("\nHistory:") :].split())
    assert history.startswith("History: ") and "is not inside a git repository" in history
    quiet = cli("show", "beta:1.2", "--as-of", "2024-10-15", "--no-history")
    assert "History:" not in quiet.stdout
    assert quiet.stdout == result.stdout[: result.stdout.index("History:")]
    missing = cli("show", "beta:9.9")
    assert (missing.exit_code, missing.stderr.splitlines()[-1]) == (2, "Error: no action with id '9.9' in plan 'beta'")


# --- reports as the plans stood at a git revision (--at) --------------------------------------

AT_DAY = ("--as-of", "2024-03-15")


def test_reports_at_a_revision_are_the_reports_made_then(repo, cli):
    """Every report run with --at q4 after the plans moved on gives what it gave at q4."""
    repo.git("tag", "q4")
    then = {
        name: cli(name, *AT_DAY, "--format", "json").stdout
        for name in ("status", "overdue", "unrated", "summary", "due", "agencies")
    }
    then_report = cli("report", *AT_DAY, "--format", "markdown").stdout
    then_export = cli("export", *AT_DAY, "--format", "json").stdout
    evolve(repo)
    (repo.root / "plans" / "alpha.yaml").write_text("uncommitted: [\n")  # the work tree is not read
    before = repo.git("status", "--porcelain")
    for name, output in then.items():
        result = cli(name, *AT_DAY, "--format", "json", "--at", "q4")
        assert (name, result.stdout) == (name, output)
    assert cli("report", *AT_DAY, "--format", "markdown", "--at", "q4").stdout == then_report
    assert cli("export", *AT_DAY, "--format", "json", "--at", "q4").stdout == then_export
    assert repo.git("status", "--porcelain") == before  # nothing checked out, nothing staged


def test_report_at_a_revision_with_since_compares_the_two_revisions(evolved, cli):
    evolved.git("tag", "q1")
    (evolved.root / "plans" / "alpha.yaml").write_text("uncommitted: [\n")
    at = cli("report", *AT_DAY, "--since", "q4", "--at", "q1", "--format", "markdown")
    assert at.exit_code == 0, at.stderr
    assert at.stdout == (Path(__file__).parent / "expected" / "report.md").read_text(encoding="utf-8")


def test_at_refuses_what_names_no_revision(evolved, cli, tmp_path, chdir):
    result = cli("status", "--at", "no-such-tag")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: unknown revision 'no-such-tag': not a branch, tag or commit in this repository",
    )
    outside = tmp_path / "elsewhere"
    (outside / "plans").mkdir(parents=True)
    chdir(outside)
    result = cli("status", "--at", "HEAD")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


# --- the board paper ----------------------------------------------------------------------------

PAPER = (
    "--as-of",
    "2024-03-15",
    "--since",
    "q4",
    "--marking",
    "OFFICIAL-SENSITIVE",
    "--meeting",
    "Northshire CSP board, 21 March 2024",
    "--author",
    "DHR coordinator",
)


@pytest.fixture
def paper_repo(evolved, cli):
    """The evolved repository with an agency's update logged and one plan broken."""
    result = cli(
        "update", "alpha:1.1", "--note", "Legal sign-off booked for April.", "--date", "2024-03-12", "--plans", "plans"
    )
    assert result.exit_code == 0, result.stderr
    (evolved.root / "plans" / "gamma.yaml").write_text("schema_version: 1\nreview: {id: G}\nrecommendations: 3\n")
    return evolved


def test_report_paper_markdown_golden(paper_repo, cli):
    result = cli("report", *PAPER, "--format", "markdown")
    assert result.exit_code == 1  # a plan was left out
    assert_golden("report-paper.md", result.stdout)


def test_report_for_one_agency(paper_repo, cli):
    result = cli("report", *PAPER, "--format", "json", "--lead", "northshire police")
    document = json.loads(result.stdout)
    assert document["title"].endswith(": actions led by northshire police")
    assert {row["lead"] for row in document["attention"] + document["overdue"] + document["unrated"]} == {
        "Northshire Police"
    }
    assert document["exceptions"] == {"overdue": 0, "red": 0, "unrated": 1, "claimed": 1, "slipped": 1}
    assert document["paper"] == {
        "marking": "OFFICIAL-SENSITIVE",
        "meeting": "Northshire CSP board, 21 March 2024",
        "author": "DHR coordinator",
        "landscape": False,
        "lead": "northshire police",
    }
    assert document["left_out"][0].startswith("plans/gamma.yaml:3:18: error: recommendations must be a list")


def test_report_html_paper_prints_marking_page_numbers_and_is_accessible_markup(paper_repo, cli):
    html = cli("report", *PAPER, "--landscape").stdout
    assert '<html lang="en-GB">' in html
    assert "@page { size: A4 landscape;" in html
    assert 'counter(page) " of " counter(pages)' in html
    assert (
        '@top-center { content: "OFFICIAL-SENSITIVE";' in html
        and '@bottom-center { content: "OFFICIAL-SENSITIVE";' in html
    )
    assert "print-color-adjust: exact" in html
    assert html.count("<svg") == 2 and "<title>2024 Q1: 1 completed</title>" in html  # by review; by quarter
    assert html.count("<table>") == html.count("<caption>") == 8  # the claimed completions' table too
    assert "<th>" not in html  # every header cell has a scope
    assert "Plans left out of this report (2)" in html and "plans/gamma.yaml" in html
    assert "2024-03-12: Legal sign-off booked for April." in html
    hostile = cli("report", "--as-of", "2024-03-15", "--marking", 'X" } body { display: none } </style><script>').stdout
    assert "</style><script>" not in hostile.split("</style>", 1)[1] or "<script>" not in hostile
    assert '@top-center { content: "X\\" } body { display: none } \\3c /style\\3e \\3c script\\3e ";' in hostile


def test_report_docx_is_the_same_paper_in_word(paper_repo, cli, tmp_path):
    import docx

    out = tmp_path / "board.docx"
    result = cli("report", *PAPER, "--format", "docx", "-o", str(out))
    assert result.exit_code == 1, result.stderr  # the left-out plan, named in the paper
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("OFFICIAL-SENSITIVE    page ")
    assert [f.get(docx.oxml.ns.qn("w:instr")) for f in footer._p.iter(docx.oxml.ns.qn("w:fldSimple"))] == [
        "PAGE",
        "NUMPAGES",
    ]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:5] == [
        "Domestic Homicide Review action plans: progress report",
        "Exceptions",
        "Plans left out of this report (2)",
        "Headline figures",
        "Red and amber actions (3)",
    ]
    attention = document.tables[0]
    assert [c.text for c in attention.rows[0].cells] == [
        "Review",
        "Action id",
        "Action",
        "Lead",
        "Due date",
        "RAG",
        "Latest update",
    ]
    assert attention.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    assert [c.text for c in attention.rows[3].cells][-1] == "2024-03-12: Legal sign-off booked for April."
    assert any(p.text == "Meeting: Northshire CSP board, 21 March 2024" for p in document.paragraphs)
    assert cli("report", "--format", "docx").exit_code == 2  # a Word file needs -o


def test_report_json_carries_timeliness_and_completions_by_quarter(evolved, cli):
    document = json.loads(cli("report", "--as-of", "2024-03-15", "--format", "json").stdout)
    police = next(row for row in document["timeliness"] if row["agency"] == "Northshire Police")
    assert police == {
        "agency": "Northshire Police",
        "completed_on_time": 0,
        "completed_late": 0,
        "on_time_percent": None,
        "median_days_late": None,
        "target_slips": 2,
        "months_slipped": 8,
    }
    nhs = next(row for row in document["timeliness"] if row["agency"] == "Northshire NHS Foundation Trust")
    assert (nhs["completed_on_time"], nhs["completed_late"]) == (0, 0)  # 1.3 completed 2024-03-01 with no target
    assert document["completions_by_quarter"][-1] == {"quarter": "2024 Q1", "completed": 1}
    assert len(document["completions_by_quarter"]) == 12 and document["earlier_completions"] == 0
    assert document["history"] == "git"


@pytest.mark.parametrize("option", ["--marking", "--meeting", "--author", "--title"])
def test_paper_options_must_be_printable_lines(evolved, cli, option, tmp_path):
    result = cli("report", "--format", "docx", "-o", str(tmp_path / "b.docx"), option, "A\x01B")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        f"Error: {option} 'A\\x01B' must be one line of printable text",
    )
    assert not (tmp_path / "b.docx").exists()


def test_changes_since_include_reviews_added_and_removed(evolved, cli):
    from tests.conftest import plan_text

    evolved.write(
        "plans/gamma.yaml",
        plan_text('- id: "1.1"\n  action: Do it.\n  lead: Mercia Police\n', review_id="GDHR 2024-07"),
    )
    evolved.git("rm", "-q", "plans/alpha.yaml")
    evolved.commit("a review added, another removed")
    result = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["reviews_changed"] == [
        "ALPHA 2020-01: plan removed (2 recommendations, 5 actions)",
        "GDHR 2024-07: plan added (1 recommendation, 1 action)",
    ]
    paper = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "markdown").stdout
    assert "### Reviews added or removed (2)\n\n- ALPHA 2020-01: plan removed" in paper


def test_report_docx_tables_keep_rows_whole_repeat_headings_and_size_columns(paper_repo, cli, tmp_path):
    import zipfile

    import docx
    from docx.oxml.ns import qn

    out = tmp_path / "board.docx"
    assert cli("report", *PAPER, "--format", "docx", "-o", str(out)).exit_code == 1
    document = docx.Document(str(out))
    assert len(document.tables) == 8  # the claimed completions' table too
    for table in document.tables:
        rows = table._tbl.findall(qn("w:tr"))
        assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)
        assert [row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in rows] == [True] + [False] * (
            len(rows) - 1
        )
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) == 10318  # A4 portrait less 14 mm margins, in twips
    # The red and amber table: every column shares the room by how much its text would like.
    widths = [int(col.get(qn("w:w"))) for col in document.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    # Only the id never wraps: a review's name and a date in words may, as on the web page.
    assert widths == [1208, 1143, 1470, 1927, 1405, 746, 2419]
    assert len(set(widths)) == len(widths)
    core = document.core_properties
    assert (core.title, core.author, core.language, core.category) == (
        "Domestic Homicide Review action plans: progress report",
        "DHR coordinator",
        "en-GB",
        "OFFICIAL-SENSITIVE",
    )
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            assert b"python-docx" not in package.read(name), name
        # Not the template's: no blank thumbnail for a file browser to show, no "Microsoft Macintosh Word".
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert b"thumbnail" not in package.read("_rels/.rels")
        assert b"<Application>dhrtrack</Application>" in package.read("docProps/app.xml")
        assert b"Microsoft" not in package.read("docProps/app.xml")
        assert b'<w:lang w:val="en-GB"' in package.read("word/styles.xml")
        pictures = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(pictures) == 2  # completion by review; completions by quarter
    descriptions = [e.get("descr") for e in document.element.body.iter(qn("wp:docPr"))]
    assert descriptions == [
        "Completion by review: bar chart; the table below gives the figures",
        "Completions by quarter: column chart; the table below gives the figures",
    ]
    landscape = tmp_path / "wide.docx"
    cli("report", *PAPER, "--format", "docx", "-o", str(landscape), "--landscape")
    grid = docx.Document(str(landscape)).tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
    assert sum(int(col.get(qn("w:w"))) for col in grid) == 15250  # A4 landscape less the margins


# --- the coordinator's narrative (report --narrative) -------------------------------------------

NARRATIVE = """\
# Introduction

This paper reports on **two** reviews to the *March* board.
<script>alert(1)</script> [a link](javascript:alert(1))

- Two actions are overdue.
- One is rated _red_.

# The board is asked to

1. note the progress made;
2. ask West Midlands Police for a **recovery plan**.

# BETA 2021-07

The only red action is *Publish.*
"""


@pytest.fixture
def narrative(paper_repo):
    path = paper_repo.root / "narrative.md"
    path.write_text(NARRATIVE, encoding="utf-8")
    return str(path)


def test_report_narrative_markdown_golden(paper_repo, cli, narrative):
    result = cli("report", *PAPER, "--format", "markdown", "--narrative", narrative)
    assert result.exit_code == 1, result.stderr
    assert_golden("report-narrative.md", result.stdout)


def test_report_narrative_in_html_is_escaped_and_placed(paper_repo, cli, narrative):
    html = cli("report", *PAPER, "--narrative", narrative).stdout
    headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
    assert headings[:5] == [
        "Introduction",
        "Exceptions",
        "Plans left out of this report (2)",
        "Headline figures",
        "The board is asked to",
    ]
    assert headings.index("Commentary on BETA 2021-07") == headings.index("Completion by review") + 1
    assert (
        '<p class="narrative">This paper reports on <strong>two</strong> reviews to the <em>March</em> board. '
        "&lt;script&gt;alert(1)&lt;/script&gt; [a link](javascript:alert(1))</p>"
        '<ul class="narrative"><li>Two actions are overdue.</li><li>One is rated <em>red</em>.</li></ul>'
    ) in html
    assert (
        '<ol class="narrative"><li>note the progress made;</li>'
        "<li>ask West Midlands Police for a <strong>recovery plan</strong>.</li></ol>"
    ) in html
    assert "<script>" not in html and "<a " not in html


def test_report_narrative_in_word(paper_repo, cli, narrative, tmp_path):
    import docx

    out = tmp_path / "board.docx"
    cli("report", *PAPER, "--format", "docx", "-o", str(out), "--narrative", narrative)
    document = docx.Document(str(out))
    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert texts[6:12] == [
        ("Heading 1", "Introduction"),
        (
            "Normal",
            "This paper reports on two reviews to the March board. <script>alert(1)</script> "
            "[a link](javascript:alert(1))",
        ),
        ("List Bullet", "Two actions are overdue."),
        ("List Bullet", "One is rated red."),
        ("Heading 1", "Exceptions"),
        ("List Bullet", "2 overdue"),
    ]
    asked = texts.index(("Heading 1", "The board is asked to"))
    assert texts[asked - 1] == ("List Bullet", "2 overdue, 2 unrated, 1 without a target")
    assert texts[asked + 1 : asked + 3] == [
        ("List Number", "note the progress made;"),
        ("List Number", "ask West Midlands Police for a recovery plan."),
    ]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold and p.style.name == "List Number"]
    assert bold == ["recovery plan"]
    commentary = texts.index(("Heading 2", "Commentary on BETA 2021-07"))
    assert texts[commentary + 1] == ("Normal", "The only red action is Publish.")


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "# Introduction\n\nHello.\n\n# Recommendations\n",
            "narrative.md:5: unknown heading '# Recommendations': a narrative's headings are '# Introduction', "
            "'# The board is asked to' and '# <review id>' for a review in this paper",
        ),
        (
            "# BETA 2021-7\n",
            "narrative.md:1: unknown heading '# BETA 2021-7': did you mean '# BETA 2021-07'? a narrative's headings "
            "are '# Introduction', '# The board is asked to' and '# <review id>' for a review in this paper",
        ),
        (
            "# Introduction\n## Background\n",
            "narrative.md:2: unknown heading '## Background': a narrative's headings are '# Introduction', "
            "'# The board is asked to' and '# <review id>' for a review in this paper",
        ),
        (
            "Hello.\n# Introduction\n",
            "narrative.md:1: text before the first heading; put it under '# Introduction', "
            "'# The board is asked to' or '# <review id>'",
        ),
        ("# introduction\n\n# Introduction\n", "narrative.md:3: '# Introduction' again (first at line 1)"),
    ],
)
def test_report_narrative_heading_errors(paper_repo, cli, tmp_path, text, message):
    (paper_repo.root / "narrative.md").write_text(text, encoding="utf-8")
    result = cli("report", *PAPER, "--narrative", "narrative.md", "-o", str(tmp_path / "b.html"))
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {message}")
    assert not (tmp_path / "b.html").exists()


# --- a national paper: lists cut at --limit ------------------------------------------------------


def test_report_lists_cut_at_limit_with_the_rest_counted(paper_repo, cli):
    lines = cli("report", *PAPER, "--format", "markdown", "--limit", "1").stdout.splitlines()
    assert lines.count("… and 2 more: report --limit 0 gives the whole list.") == 2  # red and amber; agencies...
    overdue = lines.index("## Overdue actions (2)")
    assert lines[overdue + 2 : overdue + 7] == [
        "| Review | Action id | Action | Lead | Due date | RAG | Overdue by |",
        "|---|---|---|---|---|---|---|",
        "| BETA 2021-07 | 1.2 | Publish. | West Midlands Police | 1 December 2022 | red | 1 year 3 months |",
        "",
        "… and 1 more: report --limit 0 gives the whole list.",
    ]
    whole = cli("report", *PAPER, "--format", "markdown", "--limit", "0").stdout
    assert "more:" not in whole and whole == cli("report", *PAPER, "--format", "markdown", "--limit", "9").stdout


def test_report_cut_lists_are_written_in_full_beside_the_paper(paper_repo, cli, tmp_path):
    out = tmp_path / "board.html"
    result = cli("report", *PAPER, "-o", str(out), "--limit", "1")
    assert result.stderr.splitlines()[-2] == (
        "wrote beside it the lists cut at --limit 1, in full: board-red-amber.csv, board-claimed.csv, board-rag-changes.csv, "
        "board-reviews.csv, "
        "board-agencies.csv, board-timeliness.csv, board-overdue.csv, board-unrated.csv"
    )
    html = out.read_text(encoding="utf-8")
    assert '<p class="more">… and 1 more: the whole list is in board-overdue.csv, beside this paper.</p>' in html
    assert (tmp_path / "board-overdue.csv").read_bytes().decode("utf-8") == (
        "\ufeffReview,Action id,Action,Lead,Due date,RAG,Overdue by\r\n"
        "BETA 2021-07,1.2,Publish.,West Midlands Police,2022-12-01,red,1 year 3 months\r\n"
        "ALPHA 2020-01,2.2,Report to the board | monthly.,Northshire Council & Partners,2023-02-28,unrated,1 year\r\n"
    )
    again = cli("report", *PAPER, "-o", str(out), "--limit", "1")  # the CSVs are not replaced without --force
    assert again.exit_code != 0
    assert cli("report", *PAPER, "-o", str(out), "--limit", "1", "--force").exit_code == 1
    docx_out = tmp_path / "paper.docx"
    cli("report", *PAPER, "--format", "docx", "-o", str(docx_out), "--limit", "1")
    assert (tmp_path / "paper-unrated.csv").exists()
    import docx

    texts = [p.text for p in docx.Document(str(docx_out)).paragraphs]
    assert "… and 1 more: the whole list is in paper-overdue.csv, beside this paper." in texts
    assert len(docx.Document(str(docx_out)).tables[0].rows) == 2  # the heading and one action
