"""verify: a claimed completion made a verified one, surgically; who may verify; lapsed verifications."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.conftest import write

PLAN = textwrap.dedent("""\
    # yaml-language-server: $schema=../schema/plan.schema.json
    schema_version: 1
    review:
      id: 'NSDHR 2021-03'   # quoted on purpose
    recommendations:
      - number: 1
        section: overview
        text: Check previous incidents at the address.
        actions:
          - id: "1.1"
            action: Add an address-history prompt.   # agreed at the board
            lead: Northshire Police
            owner: Control Room Manager
            target: 2021-06
            outcome: Prompt live since May 2021.
            rag: complete
            evidence:
              - Audit report, July 2021
            updates:
              - date: 2021-05-28
                rag: complete
          - id: "1.2"
            action: Train call handlers.
            lead: Northshire Police
            rag: amber
    """)

VERIFIED_BLOCK = (
    "        verified:\n"
    "          date: 2026-03-14\n"
    "          by: DHR quality assurance subgroup\n"
    "          evidence: Case audit of 20 referrals, March 2026\n"
)


@pytest.fixture
def plans(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plans" / "nsdhr.yaml"
    path.parent.mkdir()
    path.write_text(PLAN, encoding="utf-8")
    chdir(tmp_path)
    return path


def _verify(cli, *extra):
    return cli(
        "verify",
        "nsdhr:1.1",
        "--by",
        "DHR quality assurance subgroup",
        "--evidence",
        "Case audit of 20 referrals, March 2026",
        "--date",
        "14/03/2026",
        *extra,
    )


def test_verify_records_the_check_touching_only_its_lines(plans, cli):
    result = _verify(cli)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "verified plans/nsdhr.yaml: action 1.1: was claimed; verified 2026-03-14 by DHR quality assurance subgroup\n"
    )
    assert plans.read_text() == PLAN.replace(
        "          - Audit report, July 2021\n", "          - Audit report, July 2021\n" + VERIFIED_BLOCK
    )
    shown = cli("show", "nsdhr:1.1", "--no-history", "--format", "json", "--as-of", "2026-03-15")
    document = json.loads(shown.stdout)
    assert (document["status"], document["verification"]) == ("complete (verified 2026-03-14)", "verified")
    assert document["action"]["verified"] == {
        "date": "2026-03-14",
        "by": "DHR quality assurance subgroup",
        "evidence": "Case audit of 20 referrals, March 2026",
    }


def test_a_dry_run_prints_the_diff_and_writes_nothing(plans, cli):
    result = _verify(cli, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "--- a/plans/nsdhr.yaml\n"
        "+++ b/plans/nsdhr.yaml\n"
        "@@ -16,6 +16,10 @@\n"
        "         rag: complete\n"
        "         evidence:\n"
        "           - Audit report, July 2021\n"
        + "".join("+" + line + "\n" for line in VERIFIED_BLOCK.splitlines())
        + ""
        "         updates:\n"
        "           - date: 2021-05-28\n"
        "             rag: complete\n"
    )
    assert plans.read_text() == PLAN


def test_an_action_not_complete_is_refused(plans, cli):
    result = cli("verify", "nsdhr:1.2", "--by", "DHR quality assurance subgroup", "--date", "2026-03-14")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: refused: action 1.2 is rated amber, not complete: only a completion can be verified "
        "(rate it complete first: dhrtrack update 1.2 --rag complete); nothing written\n"
    )
    assert plans.read_text() == PLAN


@pytest.mark.parametrize(
    ("by", "why"),
    [
        ("  control room   MANAGER ", "'control room MANAGER' is the action's owner"),
        ("northshire police", "'northshire police' is the action's lead agency (Northshire Police)"),
        ("Police, Northshire", "'Police, Northshire' is the action's lead agency (Northshire Police)"),
    ],
)
def test_the_owner_or_the_lead_agency_may_not_verify(plans, cli, by, why):
    result = cli("verify", "1.1", "--by", by, "--date", "2026-03-14")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: refused: {why}: a completion is verified by someone else (a quality assurance subgroup, "
        "an evidence panel); nothing written\n"
    )
    assert plans.read_text() == PLAN


def test_the_lead_agency_is_known_by_its_registry_aliases(plans, cli):
    write(
        plans.parent / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
            aliases: [NSP]
        """,
    )
    result = cli("verify", "1.1", "--by", "nsp", "--date", "2026-03-14")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: refused: 'nsp' is the action's lead agency (Northshire Police): ")


def test_a_second_verification_needs_force_and_replaces_the_first(plans, cli):
    assert _verify(cli).exit_code == 0
    again = cli("verify", "1.1", "--by", "Evidence panel", "--date", "2026-04-01")
    assert again.exit_code == 2
    assert again.stderr.endswith(
        "Error: action 1.1 was verified on 2026-03-14 by DHR quality assurance subgroup: give --force to replace "
        "that verification (git keeps the old one); nothing written\n"
    )
    forced = cli("verify", "1.1", "--by", "Evidence panel", "--date", "2026-04-01", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr == (
        "verified plans/nsdhr.yaml: action 1.1: the verification of 2026-03-14 by DHR quality assurance subgroup "
        "replaced; verified 2026-04-01 by Evidence panel\n"
    )
    assert plans.read_text() == PLAN.replace(
        "          - Audit report, July 2021\n",
        "          - Audit report, July 2021\n"
        "        verified:\n"
        "          date: 2026-04-01\n"
        "          by: Evidence panel\n",
    )


def test_an_update_away_from_complete_says_the_verification_lapsed(plans, cli):
    assert _verify(cli).exit_code == 0
    result = cli("update", "1.1", "--rag", "amber", "--note", "Prompt switched off.", "--date", "2026-05-01")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "plans/nsdhr.yaml:20:11: warning: action 1.1: verification lapsed: it was verified complete but is now "
        "rated amber; verify it again once complete (dhrtrack verify), or remove 'verified'\n"
        "updated plans/nsdhr.yaml: action 1.1: rag complete → amber; verification lapsed (verified 2026-03-14; "
        "no longer rated complete); logged as the update of 1 May 2026\n"
    )
    checked = cli("validate", "plans", "--as-of", "2026-05-02")
    assert checked.exit_code == 0
    assert checked.stdout == (
        "plans/nsdhr.yaml:20:11: warning: action 1.1: verification lapsed: it was verified complete but is now "
        "rated amber; verify it again once complete (dhrtrack verify), or remove 'verified' "
        "[$.recommendations[0].actions[0].verified]\n"
    )
    assert checked.stderr == "checked 1 file: 0 errors, 1 warning - valid\n"
    shown = cli("show", "1.1", "--no-history", "--as-of", "2026-05-02")
    assert shown.stdout == (
        "nsdhr:1.1\n\n"
        "Review:         NSDHR 2021-03\n"
        "File:           plans/nsdhr.yaml\n"
        "Recommendation: 1 (section overview): Check previous incidents at the address.\n"
        "Action:         Add an address-history prompt.\n"
        "Lead:           Northshire Police\n"
        "Owner:          Control Room Manager\n"
        "Target date:    2021-06 (due 30 June 2021)\n"
        "RAG:            amber\n"
        "Status:         overdue by 1767 days (verification lapsed) as of 2 May 2026\n"
        "Outcome:        Prompt live since May 2021.\n"
        "Evidence:       - Audit report, July 2021\n"
        "Verified:       2026-03-14 by DHR quality assurance subgroup; evidence: Case\n"
        "                audit of 20 referrals, March 2026; verification lapsed: no\n"
        "                longer rated complete\n"
        "Updates:\n"
        "  2021-05-28: rag complete\n"
        "  2026-05-01: rag amber; Prompt switched off.\n"
    )


def test_a_verified_date_that_is_no_day_is_an_error(plans, cli):
    plans.write_text(
        PLAN.replace(
            "        rag: complete\n        evidence:",
            "        rag: complete\n        verified: {date: 2026-02-30, by: Panel}\n        evidence:",
        ),
        encoding="utf-8",
    )
    result = cli("validate", "plans")
    assert result.exit_code == 1
    assert result.stdout == (
        "plans/nsdhr.yaml:17:26: error: action 1.1: date: '2026-02-30' is not a real calendar date; write a date "
        "that exists (YYYY-MM-DD) [$.recommendations[0].actions[0].verified.date]\n"
    )


def test_the_reports_count_claimed_and_verified_and_fail_on_claimed(plans, cli):
    claimed = cli("summary", "--fail-on", "claimed", "--format", "json", "--as-of", "2026-03-15")
    assert claimed.exit_code == 1
    assert claimed.stderr == "--fail-on claimed: 1 claimed completion (rated complete, not verified)\n"
    assert [(r["complete"], r["verified"], r["claimed"]) for r in json.loads(claimed.stdout)["reviews"]] == [(1, 0, 1)]
    assert _verify(cli).exit_code == 0
    verified = cli("summary", "--fail-on", "claimed", "--format", "json", "--as-of", "2026-03-15")
    assert verified.exit_code == 0, verified.stderr
    assert json.loads(verified.stdout)["reviews"] == [
        {
            "review": "NSDHR 2021-03",
            "file": "plans/nsdhr.yaml",
            "actions": 2,
            "complete": 1,
            "verified": 1,
            "claimed": 0,
            "green": 0,
            "amber": 1,
            "red": 0,
            "missing_rag": 0,
            "overdue": 0,
            "no_target": 1,
        }
    ]
    agencies = cli("agencies", "--format", "json", "--as-of", "2026-03-15")
    row = json.loads(agencies.stdout)["agencies"][0]
    assert {k: row[k] for k in ("agency", "actions", "open", "complete", "verified", "claimed")} == {
        "agency": "Northshire Police",
        "actions": 2,
        "open": 1,
        "complete": 1,
        "verified": 1,
        "claimed": 0,
    }
    table = cli("agencies", "--as-of", "2026-03-15")
    assert table.stdout == (
        "Actions by lead agency (1)\n"
        "Agency       Actions  Open  Overdue  Unrated  Complete  Verified  Oldest overdue\n" + "─" * 80 + "\n"
        "Northshire         2     1        0        0       50%       1/1  —\n"
        "Police\n"
    )


def test_status_names_the_lapsed_verifications(plans, cli):
    assert _verify(cli).exit_code == 0
    assert cli("update", "1.1", "--rag", "red", "--note", "Switched off.", "--date", "2026-05-01").exit_code == 0
    result = cli("status", "--as-of", "2026-05-02")
    assert result.stdout.endswith(
        "Unrated actions: none\n\n"
        "Verification lapsed (verified, no longer rated complete): nsdhr:1.1 (red).\n"
        "Completion by review: Verified hidden to fit 80 columns; a wider terminal or\n"
        "--format markdown shows them.\n"
    )
