"""Generate a national-scale synthetic corpus of plan files for benchmarks.

    python benchmarks/make_corpus.py OUT_DIR [--plans 2000] [--seed 2026]

Deterministic for a given seed: the same files, byte for byte, on every machine. Each plan has
about 40 actions as real plans have them after a few years of tracking: realistic text lengths,
update logs of up to six entries (ratings, new targets, notes), evidence and import notes, a mix
of RAG ratings, missing ratings and targets, lead names in a few spellings, and the gaps validate
warns about (about 36 KB a file, 72 MB for 2,000 plans).
"""

from __future__ import annotations

import argparse
import os
import random
import textwrap

WORDS = (
    "agency assessment audit awareness board care case children civil communication compliance "
    "concerns court data disclosure domestic abuse violence escalation evidence family guidance "
    "health interpreter learning management MARAC multi-agency oversight partnership pathway "
    "patients policy practice procedure protection referral review risk safeguarding screening "
    "service staff standards strategy supervision support training victims workers"
).split()
AGENCIES = [
    ("{area} Police", "{area} Police"),
    ("{area} Community Safety Partnership", "{area} Community Safety Partnership"),
    ("{area} Mental Health NHS Foundation Trust", "{area} Mental Health Foundation NHS Trust"),
    ("{area} City Council – Children's Social Care", "{area} City Council - Children's Social Care"),
    ("{area} Community Healthcare Trust", "{area} Community Healthcare Trust"),
    ("{area} Clinical Commissioning Group", "{area} Clinical Commissioning Group"),
    ("Probation Service – {area}", "Probation Service – {area}"),
    ("{area} Women's Aid", "{area} Womens Aid"),
]
AREAS = [
    "Northshire",
    "Southmoor",
    "Eastvale",
    "Westbrook",
    "Kingsford",
    "Ashdown",
    "Riverside",
    "Highfield",
    "Oakham",
    "Fenwick",
    "Marlow",
    "Dunmore",
    "Harbury",
    "Lyndon",
    "Carrick",
    "Penrose",
]
MONTHS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words)).capitalize() + "."


def block(key: str, text: str, indent: int) -> str:
    """`key: >-` followed by the text folded to fit 96 columns; key "-" makes a list item."""
    pad = " " * indent
    body = textwrap.fill(text, 96 - indent - 2, initial_indent=pad + "  ", subsequent_indent=pad + "  ")
    head = "- >-" if key == "-" else f"{key}: >-"
    return f"{pad}{head}\n{body}\n"


def plan(rng: random.Random, index: int) -> str:
    area = AREAS[index % len(AREAS)]
    year = 2012 + index % 12
    out = [
        "# yaml-language-server: $schema=../schema/plan.schema.json\n",
        "schema_version: 1\n",
        "review:\n",
        f"  id: {area[:2].upper()}DHR {year}-{index:04d}\n",
        f"  title: Domestic Homicide Review {area[:2].upper()}DHR {year}-{index:04d} action plan\n",
        f"  partnership: {area} Community Safety Partnership\n",
        "recommendations:\n",
    ]
    n_actions = 0
    number = 0
    while n_actions < 40:
        number += 1
        section = "overview" if number <= 4 else "agency"
        name, variant = rng.choice(AGENCIES)
        agency = name.format(area=area)
        out.append(f"  - number: {number}\n    section: {section}\n")
        if section == "agency":
            out.append(f"    agency: {agency}\n")
        out.append("    scope: local\n")
        out.append(block("text", sentence(rng, 10, 24), 4))
        out.append("    actions:\n")
        for sub in range(1, rng.choice([1, 1, 1, 2, 3]) + 1):
            n_actions += 1
            lead = (variant if rng.random() < 0.1 else name).format(area=area)
            out.append(f'      - id: "{number}.{sub}"\n')
            out.append(block("action", sentence(rng, 8, 22), 8))
            out.append(f"        lead: {lead}\n")
            if rng.random() < 0.5:
                out.append("        owner: Head of Safeguarding\n")
            out.append("        milestones:\n")
            for _ in range(rng.randint(1, 2)):
                out.append(block("-", sentence(rng, 4, 9), 10))
            if rng.random() < 0.85:
                out.append(f"        target: {year + rng.randint(0, 3)}-{rng.choice(MONTHS)}\n")
            rag = rng.choices(["complete", "green", "amber", "red", None], [50, 10, 10, 8, 22])[0]
            if rag == "complete" or rng.random() < 0.4:
                out.append(block("outcome", sentence(rng, 6, 16), 8))
            if rag:
                out.append(f"        rag: {rag}\n")
            if rng.random() < 0.3:
                out.append("        evidence:\n")
                for _ in range(rng.randint(1, 3)):
                    out.append(f"          - {sentence(rng, 3, 8)}\n")
            if rng.random() < 0.1:
                out.append("        import_notes:\n")
                out.append(f'          - "Target Date: {rng.choice(["TBC", "Ongoing", "Q2 2019"])}"\n')
            entries = rng.choices([0, 1, 2, 3, 4, 5, 6], [25, 20, 15, 15, 10, 10, 5])[0]
            if entries:
                out.append("        updates:\n")
                for e in range(entries):
                    out.append(f"          - date: {year + 1 + e // 4}-{MONTHS[(3 * e) % 12]}-1{rng.randint(0, 9)}\n")
                    if rng.random() < 0.5:
                        out.append(f"            rag: {rng.choice(['red', 'amber', 'green'])}\n")
                    if rng.random() < 0.25:
                        out.append(f"            target: {year + 1 + rng.randint(0, 3)}-{rng.choice(MONTHS)}\n")
                    out.append(f"            note: {sentence(rng, 4, 10)}\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = random.Random(args.seed)
    total = 0
    for i in range(args.plans):
        text = plan(rng, i)
        path = os.path.join(args.out_dir, f"plan-{i:04d}.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        total += len(text.encode("utf-8"))
    print(f"wrote {args.plans} plans, {total / 1e6:.1f} MB, to {args.out_dir}")


if __name__ == "__main__":
    main()
