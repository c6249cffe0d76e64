"""Which column is which: the template's headings and the variants real plans and spreadsheets
use, matched case-insensitively and ignoring punctuation."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

# field: exact headings (normalised: lower case, letters and digits only)
_EXACT: Dict[str, List[str]] = {
    "review": ["review", "reviewid", "reviewreference", "dhr", "dhrreference"],
    "title": ["reviewtitle", "title"],
    "partnership": ["partnership", "communitysafetypartnership", "csp"],
    "file": ["file"],
    "number": [
        "",
        "no",
        "number",
        "recno",
        "recommendationno",
        "recommendationnumber",
        "ref",
        "reference",
        "recnumber",
    ],
    "recommendation": ["recommendation", "recommendations", "recommendationtext"],
    "section": ["section"],
    "agency": ["agency", "recommendationagency"],
    "scope": ["scope", "localregionalnational"],
    "action_id": ["actionid", "actionno", "actionnumber", "actionref", "id"],
    "action": ["action", "actions", "actiontotake", "actiontobetaken", "actionstotake", "actionrequired"],
    "lead": ["lead", "leadagency", "leadagencies", "leadorganisation", "responsibleagency"],
    "owner": ["owner", "leadofficer", "responsibleofficer", "actionowner"],
    "milestones": [
        "keymilestones",
        "milestones",
        "keymilestonesachievedinenactingrecommendation",
        "keymilestonesachieved",
    ],
    "target": ["target", "targetdate", "date", "deadline", "timescale", "timescales", "completionby"],
    "due": ["due", "duedate"],
    "outcome": ["outcome", "outcomes", "dateofcompletionandoutcome", "outcomeandevidence"],
    "rag": [
        "rag",
        "completionrag",
        "ragrating",
        "ragstatus",
        "status",
        "progressindicatorredambergreen",
        "progressindicator",
        "completion",
    ],
    "completed": ["completed", "completeddate", "datecompleted", "completiondate"],
    "overdue": ["overdue"],
}
_LOOKUP = {heading: name for name, headings in _EXACT.items() for heading in headings}
# Fallbacks for headings not listed: the first keyword found decides.
_KEYWORDS = [
    ("milestone", "milestones"),
    ("progressindicator", "rag"),
    ("rag", "rag"),
    ("outcome", "outcome"),
    ("target", "target"),
    ("deadline", "target"),
    ("leadagency", "lead"),
    ("lead", "lead"),
    ("actiontotake", "action"),
    ("recommendation", "recommendation"),
    ("scope", "scope"),
]

TEMPLATE_ORDER = ["number", "recommendation", "scope", "action", "lead", "milestones", "target", "outcome", "rag"]


def normalise(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def field_for(heading: str) -> Optional[str]:
    key = normalise(heading)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for keyword, name in _KEYWORDS:
        if keyword in key:
            return name
    return None


def map_headings(headings: List[str]) -> Dict[int, str]:
    """Column index -> field, for the headings that name a field (the first column of a name wins)."""
    out: Dict[int, str] = {}
    taken = set()
    for i, heading in enumerate(headings):
        name = field_for(heading)
        if name is not None and name not in taken:
            out[i] = name
            taken.add(name)
    return out


def is_header_row(cells: List[str]) -> bool:
    """A row of column headings (repeated after each page break in exported plans)."""
    names = {field_for(c) for c in cells if c.strip()}
    return len(names & {"recommendation", "action", "lead", "target", "rag", "outcome", "milestones"}) >= 3


_SECTION = re.compile(
    r"^\s*(?:(overview)\s+report\s+recommendations?|individual\s+agency\s+recommendations?\s*[–—:-]+\s*(.+?))\s*$",
    re.IGNORECASE,
)


def section_title(text: str) -> Optional[tuple]:
    """("overview", None) or ("agency", name) for a template section title, else None."""
    m = _SECTION.match(" ".join(text.split()))
    if not m:
        return None
    return ("overview", None) if m.group(1) else ("agency", m.group(2))
