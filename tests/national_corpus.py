"""Many partnerships' plans for the national layer's tests and benchmark (benchmarks/national.py):
varied partnerships, kinds of review, leads, ratings and targets; national and regional
recommendations to addressees written in more than one spelling, with responses at every stage
and some never answered; joint reviews that two partnerships both publish (the duplicates gather
must count once). Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from dhrtrack.plan.write import dump_plan

AREAS = (
    "Northshire Eastvale Southmoor Westbrook Kingsford Ashdown Riverside Highfield Oakham Fenwick "
    "Marlow Dunmore Harbury Lyndon Caerwen Aberglas Pennant Thornby Wexcombe Ravensholm"
).split()
ADDRESSEES = (
    "Home Office",
    "HOME OFFICE",
    "Department of Health and Social Care",
    "NHS England",
    "Ministry of Justice",
    "Department for Education",
    "College of Policing",
)
# A recommendation's text: an ask, a subject and, often, a condition; 480 texts in all, those
# sharing an ask and a subject near-duplicates of each other (the register's repeats).
ASKS = (
    "Issue national guidance on",
    "Review the statutory guidance on",
    "Fund specialist services for",
    "Set a national standard for",
    "Commission research into",
    "Publish national data on",
    "Make mandatory training cover",
    "Include in every inspection framework",
)
SUBJECTS = (
    "recording coercive and controlling behaviour in primary care",
    "advocacy for older victims of domestic abuse",
    "routine enquiry about domestic abuse at maternity booking",
    "sharing risk information between probation and housing providers",
    "interpreters in safeguarding conversations",
    "economic abuse in frontline police work",
    "involving families in reviews from the start",
    "suicide following domestic abuse",
    "adult family violence and carers",
    "young people who use violence at home",
    "stalking risk assessment",
    "domestic abuse in later life",
)
CONDITIONS = (
    "",
    " so that practice is the same across England and Wales",
    " within twelve months",
    ", with a named lead in each area",
    ", and report on progress to Parliament",
)
TEXTS = tuple(f"{ask} {subject}{condition}." for ask in ASKS for subject in SUBJECTS for condition in CONDITIONS)
# Each review's panel words its recommendation its own way: the text is an ask, a subject and a
# condition, then a sentence of the review's own findings (words drawn from this vocabulary), as
# real recommendations to the same department differ in wording around a shared theme.
FINDINGS = (
    "agencies missed chances to share what they knew about the risk to the victim and her children "
    "the perpetrator had previous convictions which were not checked before his release from custody "
    "her general practitioner recorded injuries but did not ask about abuse at home or refer her on "
    "housing officers were unaware of the marac referral and moved the family to temporary accommodation "
    "the victim's first language was not english and her husband interpreted at appointments "
    "police attended eleven times in two years and each incident was graded standard risk "
    "the family told the panel that nobody asked them what they had seen "
    "mental health services discharged him after missed appointments without contacting his partner "
    "the couple's adult son was the main carer and had asked for help with his father's violence "
    "bank statements showed sustained economic abuse that no agency recognised"
).split()
LEADS = (
    "{area} Police",
    "{area} City Council",
    "{area} NHS Foundation Trust",
    "Probation Service {area}",
    "{area} Women's Aid",
)
AS_OF = dt.date(2026, 11, 30)


@dataclass
class Partnership:
    name: str
    area: str
    plans: Dict[str, dict] = field(default_factory=dict)  # file name -> plan data


def _recommendation(rng: random.Random, number: int, area: str) -> dict:
    scope = rng.choice(("local", "local", "local", "regional", "national", "national"))
    findings = " ".join(rng.sample(FINDINGS, rng.randint(8, 16)))
    rec: dict = {
        "number": number,
        "section": "overview",
        "text": f"{rng.choice(TEXTS)} The review found that {findings}.",
    }
    if scope != "local":
        rec["scope"] = scope
        if rng.random() < 0.9:
            rec["addressee"] = rng.choice(ADDRESSEES)
            stage = rng.random()
            response: dict = {}
            sent = AS_OF - dt.timedelta(days=rng.randint(20, 900))
            if stage > 0.15:
                response["sent"] = sent.isoformat()
            if stage > 0.35:
                response["acknowledged"] = (sent + dt.timedelta(days=rng.randint(5, 60))).isoformat()
            if stage > 0.55:
                response["received"] = (sent + dt.timedelta(days=rng.randint(61, 200))).isoformat()
                response["outcome"] = rng.choice(
                    ("implemented", "already_happening", "partly_met", "not_met", "no_response")
                )
                response["summary"] = "The department replied in writing."
            if response:
                rec["response"] = response
    else:
        rec["scope"] = "local"
    actions = []
    for n in range(1, rng.randint(2, 4) + 1):
        rag = rng.choice(("red", "amber", "green", "complete", "complete", None))
        target = f"{rng.randint(2019, 2027)}-{rng.randint(1, 12):02d}"
        action: dict = {
            "id": f"{number}.{n}",
            "action": f"Put recommendation {number} into practice: step {n} of the agency's plan.",
            "lead": rng.choice(LEADS).format(area=area),
            "target": target,
        }
        if rng.random() < 0.3:
            action["owner"] = "Head of Safeguarding"  # not published: packages leave it out
        if rag:
            action["rag"] = rag
        if rag == "complete":
            action["outcome"] = "Done, with evidence held by the partnership."
            if rng.random() < 0.7:
                action["completed"] = f"{target[:4]}-{target[5:7]}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.5 and "completed" in action:
                action["verified"] = {"date": action["completed"], "by": "Review panel chair"}
        actions.append(action)
    rec["actions"] = actions
    return rec


def make(partnerships: int, plans: int, seed: int = 2026, joint: int = 3) -> List[Partnership]:
    """`plans` plans spread over `partnerships` partnerships; `joint` of them are joint reviews,
    each also published by the next partnership (the same review, its id spelled differently)."""
    rng = random.Random(seed)
    made = []
    for n in range(partnerships):
        area = AREAS[n % len(AREAS)] + ("" if n < len(AREAS) else f" {n // len(AREAS) + 1}")
        made.append(Partnership(f"{area} Community Safety Partnership", area))
    for n in range(plans):
        owner = made[n % partnerships]
        year = 2015 + n % 10
        review = f"{owner.area.split()[0][:3].upper()}{n // len(AREAS) if n >= len(AREAS) else ''} DHR {year}/{n:04d}"
        data: dict = {
            "schema_version": 1,
            "review": {"id": review, "title": f"Review of the death of Adult {n}", "partnership": owner.name},
            "recommendations": [_recommendation(rng, number, owner.area) for number in range(1, rng.randint(3, 8) + 1)],
        }
        if n % 5 == 4:  # some partnerships' plans are of another kind of review
            data["review"]["kind"] = ("sar", "susr", "dardr")[n % 3]
        owner.plans[f"dhr-{n:04d}.yaml"] = data
    for n in range(min(joint, plans)):
        source = made[n % partnerships]
        other = made[(n + 1) % partnerships]
        file, original = next(iter(source.plans.items()))
        joint_review = {**original["review"], "partnership": other.name}
        joint_review["id"] = joint_review["id"].replace("/", "-").lower()
        copy = {**original, "review": joint_review}
        other.plans[f"joint-{file}"] = copy
    return made


def write(partnership: Partnership, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for file, data in partnership.plans.items():
        (directory / file).write_text(dump_plan(data), encoding="utf-8")
