"""`dhrtrack respond` records a national recommendation's addressee and response surgically;
`dhrtrack register` reports them; validate warns of the gaps."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from tests.conftest import write

PLAN = textwrap.dedent("""\
    schema_version: 1
    review:
      id: NDHR 2024-01
    recommendations:
      - number: 1
        section: overview
        scope: national
        text: The Home Office should fund independent domestic violence advisers in every emergency department.
        actions:
          - id: "1.1"
            action: Write to the Home Office.   # the chair signs it
            lead: Northshire CSP
      - number: 2
        section: overview
        scope: local
        text: Train staff.
        actions:
          - id: "2.1"
            action: Deliver training.
            lead: Northshire Council
    """)
OTHER = textwrap.dedent("""\
    schema_version: 1
    review:
      id: SDHR 2025-02
    recommendations:
      - number: 4
        section: overview
        scope: national
        addressee: home office
        response:
          sent: 2025-03-01
        text: The Home Office should provide funding for hospital-based independent domestic violence advisers in emergency departments.
        actions:
          - id: "4.1"
            action: Send the recommendation.
            lead: Southmoor CSP
    """)


@pytest.fixture
def plans(tmp_path, chdir):
    write(tmp_path / "plans" / "north.yaml", PLAN)
    write(tmp_path / "plans" / "south.yaml", OTHER)
    chdir(tmp_path)
    return tmp_path / "plans"


def test_validate_warns_of_a_national_recommendation_with_no_addressee_or_no_answer(plans, cli):
    result = cli("validate", "--as-of", "2026-12-01", "--format", "text")
    assert result.stdout.splitlines()[:2] == [
        "plans/north.yaml:7:12: warning: recommendation 1 is national but names no addressee: say who it is "
        "addressed to (dhrtrack respond PLAN:1 --addressee NAME) [$.recommendations[0].scope]",
        "plans/south.yaml:10:13: warning: recommendation 4 was sent on 2025-03-01, 640 days ago, and no response "
        "is recorded: chase the addressee, or record its answer (dhrtrack respond ... --received D --outcome "
        "CATEGORY) [$.recommendations[0].response.sent]",
    ]


def test_respond_records_the_addressee_and_the_answer_surgically(plans, cli):
    result = cli("respond", "north:1", "--addressee", "Home Office", "--sent", "1/2/2025")
    days = (dt.date.today() - dt.date(2025, 2, 1)).days
    assert (result.exit_code, result.stderr) == (
        0,
        f"plans/north.yaml:10:13: warning: recommendation 1 was sent on 2025-02-01, {days} days ago, and no "
        "response is recorded: chase the addressee, or record its answer (dhrtrack respond ... --received D "
        "--outcome CATEGORY)\n"
        "updated plans/north.yaml: recommendation 1: addressee none → Home Office; sent 1 February 2025\n",
    )
    answered = cli(
        "respond",
        "north:1",
        "--acknowledged",
        "10 April 2025",
        "--received",
        "2025-06-30",
        "--outcome",
        "partly_met",
        "--summary",
        "The guidance will be revised in 2026.",
    )
    assert answered.exit_code == 0, answered.stderr
    assert (plans / "north.yaml").read_text() == PLAN.replace(
        "    scope: national\n",
        "    scope: national\n"
        "    addressee: Home Office\n"
        "    response:\n"
        "      sent: 2025-02-01\n"
        "      acknowledged: 2025-04-10\n"
        "      received: 2025-06-30\n"
        "      outcome: partly_met\n"
        "      summary: The guidance will be revised in 2026.\n",
        1,
    )  # the comment and every other line as they were


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["north:1", "--received", "2025-01-01", "--sent", "2025-02-01"],
            "recommendation 1: received 2025-01-01 is "
            "before sent 2025-02-01: a response follows what it answers; nothing written",
        ),
        (["north:9", "--addressee", "Home Office"], "plans/north.yaml has no recommendation 9 (it has 1, 2)"),
        (
            ["north:1"],
            "nothing to record: give --addressee, --sent, --acknowledged, --received, --outcome or --summary",
        ),
        (
            ["north:x", "--sent", "2025-01-01"],
            "'north:x' is not PLAN:NUMBER: write the plan's name and the recommendation's number",
        ),
        (["1", "--sent", "2025-01-01"], "say which plan: north, south"),
        (
            ["north:1", "--sent", "1989-01-01"],
            "recommendation 1: --sent 1989-01-01 is not a plausible date: a plan's "
            "dates fall between 1990 and 2076; nothing written",
        ),
    ],
)
def test_respond_refuses_what_cannot_be_so(plans, cli, args, message):
    before = (plans / "north.yaml").read_bytes()
    result = cli("respond", *args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {message}")
    assert (plans / "north.yaml").read_bytes() == before


def test_register_reports_the_addressees_answers_waiting_and_repeats(plans, cli):
    assert cli("respond", "north:1", "--addressee", "Home Office", "--sent", "2026-10-01").exit_code == 0
    table = cli("register", "--as-of", "2026-12-01")
    assert table.exit_code == 0
    assert table.stdout == (
        "Recommendations by addressee as of 2026-12-01 (2)\n"
        "Addressee    Recs  Done  Already  Partly  Not met  No reply  Waiting\n"
        "────────────────────────────────────────────────────────────────────\n"
        "Home Office     2     0        0       0        0         0   2 100%\n"
        "Total           2     0        0       0        0         0   2 100%\n"
        "\n"
        "Waiting: unacknowledged, or sent over six months ago (2)\n"
        "Review        Rec  Addressee    Sent        Days  Acknowledged\n"
        "──────────────────────────────────────────────────────────────\n"
        "SDHR 2025-02    4  Home Office  2025-03-01   640  —\n"
        "NDHR 2024-01    1  Home Office  2026-10-01    61  —\n"
        "\n"
        "Repeats: alike, to one addressee, across reviews (1)\n"
        "Addressee    Alike  Recommendations\n"
        "────────────────────────────────────────────────────\n"
        "Home Office   0.67  NDHR 2024-01 #1; SDHR 2025-02 #4\n"
        "\n"
        "Done: implemented; Already: already happening; Partly: partly met; Not met: not\n"
        "met; No reply: no response; Waiting: awaiting (count, then the share of the\n"
        "addressee's recommendations)\n"
    )
    document = json.loads(cli("register", "--as-of", "2026-12-01", "--format", "json").stdout)
    assert document["by_addressee"][0]["addressee"] == "Home Office" and document["by_addressee"][0]["awaiting"] == 2
    assert [(w["review"], w["overdue"]) for w in document["unacknowledged"]] == [
        ("SDHR 2025-02", True),
        ("NDHR 2024-01", False),
    ]
    csv = cli("register", "--as-of", "2026-12-01", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("addressee,recommendations,implemented,already_happening,partly_met,not_met,no_response,")
    assert csv[1].startswith("Home Office,2,0,0,0,0,0,2,")


def test_repeats_are_kept_for_the_same_recommendations_and_worked_out_again_when_they_change(plans, cli, monkeypatch):
    from dhrtrack.reports import register

    assert cli("respond", "north:1", "--addressee", "Home Office").exit_code == 0
    first = cli("register", "--as-of", "2026-12-01", "--format", "json")
    compared = []
    real = register.alike_pairs
    monkeypatch.setattr(register, "alike_pairs", lambda *a: compared.append(1) or real(*a))
    again = cli("register", "--as-of", "2026-12-01", "--format", "json")
    assert again.stdout == first.stdout and compared == []  # from the cache: nothing compared
    assert json.loads(again.stdout)["repeats"][0]["similarity"] == 0.67
    no_cache = cli("register", "--as-of", "2026-12-01", "--format", "json", "--no-cache")
    assert no_cache.stdout == first.stdout and compared == [1]
    other = cli("register", "--as-of", "2026-12-01", "--format", "json", "--threshold", "0.9")
    assert json.loads(other.stdout)["repeats"] == [] and compared == [1, 1]  # another threshold, compared again
    text = (plans / "south.yaml").read_text(encoding="utf-8")
    (plans / "south.yaml").write_text(text.replace("hospital-based", "hospital"), encoding="utf-8")
    changed = cli("register", "--as-of", "2026-12-01", "--format", "json")
    assert compared == [1, 1, 1] and "hospital funding" not in changed.stdout
    assert json.loads(changed.stdout)["repeats"][0]["items"][1]["text"].startswith(
        "The Home Office should provide funding for hospital independent"
    )


def test_a_threshold_of_nought_makes_every_two_recommendations_to_an_addressee_repeats(plans, cli):
    south = "The Home Office should provide funding for hospital-based independent domestic violence advisers"
    third = OTHER.replace("SDHR 2025-02", "TDHR 2026-01").replace(south, "Publish statistics on stalking orders")
    write(plans / "third.yaml", third.replace(" in emergency departments.", "."))
    document = json.loads(cli("register", "--as-of", "2026-12-01", "--format", "json", "--threshold", "0").stdout)
    assert [len(group["items"]) for group in document["repeats"]] == [2]  # north has no addressee
