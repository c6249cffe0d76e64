"""update (surgical edits), chase and report."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dhrtrack.plan.validate import valid_data as parse_plan
from tests.conftest import ROOT, write

FIXTURE = ROOT / "tests" / "fixtures" / "reports" / "plans"

HAND_KEPT = textwrap.dedent("""\
    # yaml-language-server: $schema=../schema/plan.schema.json
    # A hand-kept plan: comments, odd quoting and layout must survive an update.
    schema_version: 1
    review:
      id: 'NSDHR 2021-03'   # quoted on purpose
    recommendations:
      - number: 1
        section: overview
        text: >-
          Call handlers should check for previous domestic abuse incidents
          at the address before dispatch.
        actions:
          - id: "1.1"
            action: >-
              Add an address-history prompt to the dispatch system.
            lead: Northshire Police   # confirmed with the force
            target: 2021-06
            rag: 'amber'
            # milestones agreed at the board
            milestones:
              - Prompt specified.
          - id: '1.2'
            action: "Train call handlers."
            lead: Northshire Police
            updates: []
          - id: "1.3"
            action: Audit calls.
            lead: Northshire Police
            rag: green
            updates:
              - date: 2021-03-01
                rag: green
                note: On track.
      - number: 2
        section: overview
        text: Second.
        actions:
          - {id: "2.1", action: Flow style., lead: X}
    """)


@pytest.fixture
def plans(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plans" / "nsdhr.yaml"
    path.parent.mkdir()
    path.write_bytes(HAND_KEPT.encode())
    chdir(tmp_path)
    return path


def data(path: Path) -> dict:
    parsed, problem = parse_plan(path.read_bytes(), str(path))
    assert problem is None, problem
    return parsed


def action(path: Path, ident: str) -> dict:
    return next(a for r in data(path)["recommendations"] for a in r["actions"] if a["id"] == ident)


# --- update ---------------------------------------------------------------------------------


def test_update_changes_only_the_lines_it_must(plans, cli):
    result = cli(
        "update",
        "nsdhr:1.1",
        "--rag",
        "red",
        "--target",
        "2021-09",
        "--note",
        "Supplier delayed.",
        "--date",
        "2021-07-01",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "updated plans/nsdhr.yaml: action 1.1: rag amber → red; target 2021-06 → 2021-09; "
        "logged as the update of 1 July 2021\n"
    )
    expected = HAND_KEPT.replace(
        "        target: 2021-06\n        rag: 'amber'\n", "        target: 2021-09\n        rag: 'red'\n"
    ).replace(
        "          - Prompt specified.\n",
        "          - Prompt specified.\n"
        "        updates:\n"
        "          - date: 2021-07-01\n"
        "            rag: red\n"
        "            target: 2021-09\n"
        "            note: Supplier delayed.\n",
    )
    assert plans.read_text() == expected


def test_an_updated_plan_is_not_read_again_by_the_next_command(plans, cli, monkeypatch):
    from dhrtrack.plan import store

    args = ("update", "nsdhr:1.1", "--rag", "red", "--note", "Late.", "--date", "2021-07-01")
    assert cli(*args, "--dry-run").exit_code == 0
    parsed = []
    real = store.check_bytes
    monkeypatch.setattr(store, "check_bytes", lambda file, raw: parsed.append(file) or real(file, raw))
    assert cli(*args).exit_code == 0
    parsed.clear()
    result = cli("status", "--format", "json", "--as-of", "2021-07-02")
    assert result.exit_code == 0 and parsed == []  # the edited plan's data came from the cache
    assert json.loads(result.stdout)["reviews"][0]["red"] == 1


def test_update_adds_evidence_and_takes_a_rating_in_any_case(plans, cli):
    result = cli("update", "1.1", "--rag", "Amber", "--evidence", "Audit report, June 2021.", "--date", "2021-07-01")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "updated plans/nsdhr.yaml: action 1.1: rag amber (unchanged); evidence added; logged as the update of 1 July 2021\n"
    )
    assert (
        HAND_KEPT.replace(
            "          - Prompt specified.\n",
            "          - Prompt specified.\n"
            "        evidence:\n"
            "          - Audit report, June 2021.\n"
            "        updates:\n"
            "          - date: 2021-07-01\n"
            "            rag: amber\n"
            "            evidence: Audit report, June 2021.\n",
        )
        == plans.read_text()
    )


def test_update_takes_dates_as_people_write_them_and_changes_lead_and_owner(plans, cli):
    result = cli(
        "update",
        "1.1",
        "--target",
        "March 2022",
        "--completed",
        "31/12/2021",
        "--lead",
        "Northshire Council",
        "--new-lead",  # the plans do not know the council yet
        "--owner",
        "Head of Community Safety",
        "--date",
        "5 January 2022",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "plans/nsdhr.yaml:23:20: warning: action 1.1 has a completed date but is rated amber: "
        "set rag to complete, or remove 'completed'\n"
        "updated plans/nsdhr.yaml: action 1.1: target 2021-06 → 2022-03; completed 31 December 2021; "
        "lead Northshire Police → Northshire Council; owner none → Head of Community Safety; "
        "logged as the update of 5 January 2022\n"
    )
    assert (
        HAND_KEPT.replace(
            "        lead: Northshire Police   # confirmed with the force\n        target: 2021-06\n        rag: 'amber'\n",
            "        lead: Northshire Council   # confirmed with the force\n"
            "        owner: Head of Community Safety\n"
            "        target: 2022-03\n"
            "        rag: 'amber'\n",
        ).replace(
            "          - Prompt specified.\n",
            "          - Prompt specified.\n"
            "        completed: 2021-12-31\n"  # after the last field the house order puts before it
            "        updates:\n"
            "          - date: 2022-01-05\n"
            "            target: 2022-03\n"
            "            completed: 2021-12-31\n"
            "            lead: Northshire Council\n"
            "            owner: Head of Community Safety\n",
        )
        == plans.read_text()
    )


def test_update_appends_to_an_existing_log_and_replaces_an_empty_one(plans, cli):
    assert (
        cli("update", "1.3", "--rag", "amber", "--note", "Slipping: staff off sick.", "--date", "2021-07-02").exit_code
        == 0
    )
    assert action(plans, "1.3")["updates"] == [
        {"date": "2021-03-01", "rag": "green", "note": "On track."},
        {"date": "2021-07-02", "rag": "amber", "note": "Slipping: staff off sick."},
    ]
    assert (
        "        rag: amber\n"
        "        updates:\n"
        "          - date: 2021-03-01\n"
        "            rag: green\n"
        "            note: On track.\n"
        "          - date: 2021-07-02\n"
        "            rag: amber\n"
        '            note: "Slipping: staff off sick."\n'
    ) in plans.read_text()
    assert cli("update", "1.2", "--note", "Chased by email.", "--date", "2021-07-03").exit_code == 0
    text = plans.read_text()
    assert "    updates: []" not in text
    assert "        updates:\n          - date: 2021-07-03\n            note: Chased by email.\n" in text
    assert action(plans, "1.2")["action"] == "Train call handlers."  # double quotes kept as they were
    assert '        action: "Train call handlers."\n' in text


def test_completing_needs_an_outcome(plans, cli):
    before = plans.read_bytes()
    result = cli("update", "1.2", "--rag", "complete")
    assert result.exit_code == 2
    assert "action 1.2 has no outcome: rating it complete needs one; add --outcome TEXT" in result.stderr
    assert plans.read_bytes() == before
    result = cli(
        "update",
        "1.2",
        "--rag",
        "complete",
        "--outcome",
        "All 40 call handlers trained.",
        "--completed",
        "2021-06-30",
        "--date",
        "2021-07-01",
    )
    assert result.exit_code == 0
    assert action(plans, "1.2") == {
        "id": "1.2",
        "action": "Train call handlers.",
        "lead": "Northshire Police",
        "outcome": "All 40 call handlers trained.",
        "rag": "complete",
        "completed": "2021-06-30",
        "updates": [
            {
                "date": "2021-07-01",
                "rag": "complete",
                "completed": "2021-06-30",
                "outcome": "All 40 call handlers trained.",
            }
        ],
    }


def test_completing_prompts_for_the_outcome_at_a_terminal(plans, monkeypatch):
    from click.testing import CliRunner

    from dhrtrack.cli import update
    from dhrtrack.cli.main import main

    monkeypatch.setattr(update, "_interactive", lambda: True)
    result = CliRunner().invoke(
        main, ["update", "1.2", "--rag", "complete", "--date", "2021-07-01"], input="Trained everyone.\n"
    )
    assert result.exit_code == 0, result.output
    assert "What was achieved (the outcome)?" in result.output
    assert action(plans, "1.2")["outcome"] == "Trained everyone."


def test_crlf_files_stay_crlf_and_untouched_lines_byte_identical(plans, cli):
    crlf = HAND_KEPT.replace("\n", "\r\n").encode()
    plans.write_bytes(crlf)
    assert cli("update", "1.1", "--rag", "green", "--date", "2021-07-01").exit_code == 0
    after = plans.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    before_lines, after_lines = crlf.split(b"\r\n"), after.split(b"\r\n")
    changed = [line for line in before_lines if line not in after_lines]
    assert changed == [b"        rag: 'amber'"]
    assert action(plans, "1.1")["rag"] == "green"


def test_byte_order_mark_is_kept(plans, cli):
    plans.write_bytes(b"\xef\xbb\xbf" + HAND_KEPT.encode())
    assert cli("update", "1.1", "--note", "Checked.", "--date", "2021-07-01").exit_code == 0
    assert plans.read_bytes().startswith(b"\xef\xbb\xbf# yaml-language-server")


def test_refused_updates_leave_the_file_untouched(plans, cli):
    before = plans.read_bytes()
    for args, code, message in [
        (["2.1", "--rag", "red"], 1, "is written in flow style"),
        (["9.9", "--rag", "red"], 2, "no action with id '9.9' in the plans"),
        (["nope:1.1", "--rag", "red"], 2, "no plan named 'nope'"),
        (["1.1"], 2, "nothing to record"),
        (["1.1", "--target", "2021-02-30"], 2, "'2021-02-30' is not a target: write a month (2027-03, March 2027)"),
        (["1.1", "--target", "soon"], 2, "'soon' is not a target"),
        (["1.1", "--completed", "31/02/2021", "--note", "x"], 2, "'31/02/2021' is not a real date: write 2027-03-31"),
        (["1.1", "--completed", "March 2021", "--note", "x"], 2, "'March 2021' is not a real date"),
        (["1.1", "--rag", "purple"], 2, "'purple' is not one of"),
        (
            ["1.1", "--date", "yesterday"],
            2,
            "'yesterday' is not a real date: write 2027-03-31, or day first: 31/03/2027",
        ),
    ]:
        result = cli("update", *args)
        assert (result.exit_code, message in result.stderr) == (code, True), (args, result.stderr)
        assert plans.read_bytes() == before
    assert not [p for p in plans.parent.iterdir() if p.name != "nsdhr.yaml"]


def test_update_that_would_make_the_plan_invalid_is_refused(plans, cli, monkeypatch):
    from dhrtrack.plan import edit as editing

    real = editing.Editor.result

    def broken(self):  # edits that corrupt the YAML
        return real(self).replace("schema_version: 1", "schema_version: [")

    monkeypatch.setattr(editing.Editor, "result", broken)
    before = plans.read_bytes()
    result = cli("update", "1.1", "--rag", "red")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: refused: with this update plans/nsdhr.yaml would not be valid (")
    assert plans.read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(plans, cli):
    before = plans.read_bytes()
    result = cli("update", "1.1", "--rag", "red", "--date", "2021-07-01", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/plans/nsdhr.yaml\n+++ b/plans/nsdhr.yaml\n")
    assert "-        rag: 'amber'\n+        rag: 'red'\n" in result.stdout
    assert plans.read_bytes() == before


def test_update_warns_like_validate(plans, cli):
    result = cli("update", "1.1", "--rag", "green", "--date", "2021-07-05")
    assert "warning: action 1.1 is rated green but was due 2021-06-30" in result.stderr


def test_a_file_changed_meanwhile_is_not_overwritten(plans, cli, monkeypatch):
    from dhrtrack.plan import write as writer

    real = writer.replace_if_unchanged

    def someone_else_edits_first(path, original, text):
        Path(path).write_text(HAND_KEPT.replace("On track.", "Edited by a colleague."))
        real(path, original, text)

    monkeypatch.setattr(writer, "replace_if_unchanged", someone_else_edits_first)
    result = cli("update", "1.1", "--rag", "red")
    assert result.exit_code == 1
    assert "changed while it was being updated; nothing written" in result.stderr
    assert "Edited by a colleague." in plans.read_text()


def test_concurrent_updates_never_lose_or_corrupt(plans):
    """Eight processes update the same plan at once: each either lands or is refused; the file
    is always a valid plan holding exactly the updates that landed."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dhrtrack", "update", "1.3", "--note", f"note {i}", "--date", "2021-07-01"],
            cwd=plans.parent.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    results = [(p.wait(), p.stderr.read().decode()) for p in procs]
    landed = [i for i, (code, _err) in enumerate(results) if code == 0]
    for code, err in results:
        assert code == 0 or "changed while it was being updated" in err, err
    notes = [u.get("note") for u in action(plans, "1.3")["updates"][1:]]
    assert sorted(notes) == sorted(f"note {i}" for i in landed)
    assert landed


# --- chase ----------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path, chdir, monkeypatch):
    import shutil

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(FIXTURE, tmp_path / "plans")
    chdir(tmp_path)
    return tmp_path


def test_chase_text_per_agency(repo, cli):
    result = cli("chase", "--as-of", "2024-03-15", "--lead", "midlands", "--from", "Northshire CSP coordinator")
    assert result.exit_code == 0
    assert result.stdout == (
        "Subject: DHR action plans: 1 action for West Midlands Police - update requested by 29 March 2024\n"
        "For: West Midlands Police\n"
        "\n"
        "As of 15 March 2024, these actions from domestic homicide reviews that West Midlands Police leads need "
        "your attention.\n"
        "\n"
        "Overdue (1)\n"
        "\n"
        "- BETA 2021-07, action 1.2 (recommendation 1):\n"
        "  Publish. [due 1 December 2022: 1 year 3 months overdue; RAG: amber]\n"
        "\n"
        "Please send an update and a RAG rating (red, amber, green or complete) for each action by 29 March 2024. "
        "For an action that is complete, please say what was achieved and when; for one that will miss its target, "
        "please give a new target date and the reason.\n"
        "\n"
        "Thank you.\n"
        "\n"
        "Northshire CSP coordinator\n"
    )


def test_chase_groups_each_action_once_and_by_agency(repo, cli):
    out = cli("chase", "--as-of", "2024-03-15", "--within", "30d", "--format", "markdown").stdout
    agencies = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert agencies == [
        "Northshire Council & Partners",
        "Northshire NHS Foundation Trust",
        "Northshire Police",
        "West Mercia Police",
        "West Midlands Police",
    ]
    # 2.2 is overdue and unrated: it is listed once, under overdue.
    assert out.count("action 2.2") == 1
    # 1.3 (no target, not rated) and 2.1 (due today) belong to one agency, written two ways.
    section = out.split("## Northshire NHS Foundation Trust")[1].split("## West Mercia")[0]
    assert "### Due in the next 30 days (1)" in section and "### Unrated (1)" in section


def test_chase_eml_files_with_contacts_only_from_the_registry(repo, cli):
    write(
        repo / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: West Midlands Police
            contacts:
              - {name: DA Lead, email: da.lead@wmp.example}
          - name: West Mercia Police
        """,
    )
    out = repo / "out"
    result = cli("chase", "--as-of", "2024-03-15", "--format", "eml", "--out", str(out), "--from", "csp@example.org")
    assert result.exit_code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "northshire-council-partners.eml",
        "northshire-nhs-foundation-trust.eml",
        "northshire-police.eml",
        "west-mercia-police.eml",
        "west-midlands-police.eml",
    ]
    wmp = email.message_from_bytes((out / "west-midlands-police.eml").read_bytes(), policy=email.policy.default)
    assert wmp["To"] == "DA Lead <da.lead@wmp.example>"
    assert wmp["From"] == "csp@example.org"
    assert wmp["Subject"] == "DHR action plans: 1 action for West Midlands Police - update requested by 29 March 2024"
    assert wmp["X-Unsent"] == "1"
    assert "BETA 2021-07, action 1.2" in wmp.get_content()
    mercia = email.message_from_bytes((out / "west-mercia-police.eml").read_bytes(), policy=email.policy.default)
    assert mercia["To"] is None  # no address on file: none invented
    again = cli("chase", "--as-of", "2024-03-15", "--format", "eml", "--out", str(out))
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert cli("chase", "--format", "eml").exit_code == 2


def test_nothing_to_chase(repo, cli):
    result = cli("chase", "--as-of", "2000-01-01", "--within", "1d", "--lead", "mercia")
    assert result.exit_code == 0 and result.stdout == ""
    assert "nothing to chase as of 2000-01-01" in result.stderr


# --- report ---------------------------------------------------------------------------------


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.text, self.external = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("src", "href"):
            if attrs.get(name):
                self.external.append(attrs[name])

    def handle_data(self, data):
        self.text.append(data)


def test_report_html_is_self_contained_and_escapes_plan_values(repo, cli):
    plan = repo / "plans" / "alpha.yaml"
    plan.write_text(
        plan.read_text().replace("action: Write the protocol.", 'action: "<script>alert(1)</script> & <b>bold</b>"')
    )
    out = repo / "board.html"
    result = cli("report", "--as-of", "2024-03-15", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    parser = Structure()
    parser.feed(text)
    assert "script" not in parser.tags and "b" not in parser.tags
    assert parser.external == []  # no external assets
    assert parser.ids == [
        "exceptions",
        "headline",
        "attention",
        "claimed",
        "reviews",
        "agencies",
        "timeliness",
        "overdue",
        "unrated",
    ]
    assert parser.tags.count("svg") == 1 and "style" in parser.tags  # completion by review (no completion by quarter)
    assert "No action has a completion date in these quarters." in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    assert "<script>alert(1)</script> & <b>bold</b>" in "".join(parser.text)
    assert "@page { size: A4 portrait;" in text
    assert cli("report", "-o", str(out)).exit_code == 1  # never clobbers without --force


def test_report_markdown(repo, cli):
    result = cli("report", "--as-of", "2024-03-15", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "# Domestic Homicide Review action plans: progress report"
    assert "- **2** reviews, **7** actions" in lines
    assert (
        "| BETA 2021-07 | 1.2 | Publish. | West Midlands Police | 1 December 2022 | amber | 1 year 3 months |" in lines
    )


def test_report_since_a_git_revision(repo, cli):
    def git(*args):
        env = dict(os.environ, GIT_AUTHOR_DATE="2024-01-01T10:00:00", GIT_COMMITTER_DATE="2024-01-01T10:00:00")
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "c@example.org")
    git("config", "user.name", "C")
    git("add", "-A")
    git("commit", "-qm", "Q4 report")
    git("tag", "q4")
    assert (
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dhrtrack",
                "update",
                "alpha:1.1",
                "--target",
                "2024-06",
                "--rag",
                "amber",
                "--date",
                "2024-03-01",
            ],
            cwd=repo,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True,
        ).returncode
        == 0
    )
    assert (
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dhrtrack",
                "update",
                "alpha:2.1",
                "--rag",
                "complete",
                "--outcome",
                "Question added.",
                "--date",
                "2024-03-10",
            ],
            cwd=repo,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True,
        ).returncode
        == 0
    )
    result = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "## Changes since q4" in out
    assert "### Newly completed (1)\n\n- ALPHA 2020-01 2.1: rated complete (amber before)\n" in out
    assert (
        "### RAG changes (2)\n\n- ALPHA 2020-01 1.1: rag: red → amber\n- ALPHA 2020-01 2.1: rag: amber → complete\n"
        in out
    )
    assert "### Target slips (1)\n\n- ALPHA 2020-01 1.1: target: 2024-01 → 2024-06, slipped 5 months\n" in out
    html_out = cli("report", "--as-of", "2024-03-15", "--since", "q4").stdout
    parser = Structure()
    parser.feed(html_out)
    assert parser.ids == [
        "exceptions",
        "headline",
        "attention",
        "claimed",
        "changes",
        "reviews",
        "agencies",
        "timeliness",
        "overdue",
        "unrated",
    ]
    assert cli("report", "--since", "no-such-tag").exit_code == 2


def test_report_json_like_counts_match_status(repo, cli):
    status = json.loads(cli("status", "--as-of", "2024-03-15", "--format", "json").stdout)
    report = cli("report", "--as-of", "2024-03-15", "--format", "markdown").stdout
    overdue = sum(r["overdue"] for r in status["reviews"])
    assert f"- **{overdue}** overdue" in report


def test_chase_json(repo, cli):
    doc = json.loads(cli("chase", "--as-of", "2024-03-15", "--format", "json", "--lead", "midlands").stdout)
    assert (doc["as_of"], doc["within_days"], doc["reply_by"]) == ("2024-03-15", 45, "2024-03-29")
    assert doc["messages"] == [
        {
            "agency": "West Midlands Police",
            "emails": [],
            "subject": "DHR action plans: 1 action for West Midlands Police - update requested by 29 March 2024",
            "overdue": [
                {
                    "review": "BETA 2021-07",
                    "recommendation": 1,
                    "action": "1.2",
                    "text": "Publish.",
                    "target": "2022-12-01",
                    "due": "2022-12-01",
                    "days_overdue": 470,
                    "rag": "amber",
                }
            ],
            "due_soon": [],
            "unrated": [],
        }
    ]
    assert cli("chase", "--format", "json", "--out", "x").exit_code == 2


def test_report_json(repo, cli):
    doc = json.loads(cli("report", "--as-of", "2024-03-15", "--format", "json").stdout)
    assert doc["as_of"] == "2024-03-15" and "since" not in doc
    assert doc["totals"] == {
        "actions": 7,
        "complete": 1,
        "verified": 0,
        "claimed": 1,
        "green": 1,
        "amber": 2,
        "red": 1,
        "missing_rag": 2,
        "overdue": 3,
        "no_target": 1,
    }
    assert [(r["action_id"], r["due"], r["note"]) for r in doc["overdue"]] == [
        ("1.2", "2022-12-01", "1 year 3 months"),
        ("2.2", "2023-02-28", "1 year"),
        ("1.1", "2024-01-31", "1 month"),
    ]
    assert [r["action_id"] for r in doc["unrated"]] == ["1.3", "2.2"]


def test_update_refuses_an_unknown_lead_and_a_completion_in_the_future_and_logs_who(plans, cli):
    before = plans.read_text()
    result = cli("update", "1.1", "--lead", "Northshire Polce", "--date", "2021-07-01")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: --lead 'Northshire Polce' is not an agency the plans (or plans/agencies.yaml) know: did you mean "
        "'Northshire Police'?; if it is a new agency, add --new-lead",
    )
    late = cli("update", "1.1", "--completed", "2021-07-02", "--date", "2021-07-01", "--note", "x")
    assert (late.exit_code, late.stderr.splitlines()[-1]) == (
        2,
        "Error: action 1.1: completion date 2021-07-02 is after 2021-07-01, the date of this update; nothing written",
    )
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    ahead = cli("update", "1.1", "--completed", future, "--date", future, "--note", "x")
    assert (ahead.exit_code, ahead.stderr.splitlines()[-1]) == (
        2,
        f"Error: action 1.1: completion date {future} is in the future (today is {dt.date.today().isoformat()}): "
        "record a completion once it has happened; nothing written",
    )
    assert plans.read_text() == before
    said = cli("update", "1.1", "--note", "Draft agreed.", "--by", "Northshire Police", "--date", "2021-07-01")
    assert said.exit_code == 0, said.stderr
    assert "            note: Draft agreed.\n            by: Northshire Police\n" in plans.read_text()


def test_report_date_style_iso_keeps_dates_as_the_plans_write_them(repo, cli):
    result = cli("report", "--as-of", "2024-03-15", "--format", "markdown", "--date-style", "iso")
    assert "| BETA 2021-07 | 1.2 | Publish. | West Midlands Police | 2022-12-01 | amber | 1 year 3 months |" in (
        result.stdout.splitlines()
    )
