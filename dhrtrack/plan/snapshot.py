"""An action as it stood when an agency was asked about it: written into each row of a return
workbook, and compared with the plan when the answer comes back. A row whose action changed in
between is stale: the answer may be about something that is no longer so.

The snapshot is a small JSON object: a fingerprint of the whole action (any change at all shows)
and the few fields a coordinator needs to be told about (rating, target, completion, lead, how
many updates), so that a stale row says what changed, not only that something did.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Optional

FORMAT = 1
_NAMED = ("rag", "target", "completed", "lead")


def fingerprint(action: dict) -> str:
    canonical = json.dumps(action, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def snapshot(action: dict) -> Dict[str, Any]:
    updates = action.get("updates") or []
    taken: Dict[str, Any] = {"v": FORMAT, "fingerprint": fingerprint(action)}
    taken.update((name, action.get(name)) for name in _NAMED)
    taken["updates"] = len(updates)
    return taken


def encode(taken: Dict[str, Any]) -> str:
    return json.dumps(taken, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Optional[Dict[str, Any]]:
    """The snapshot written in a return; None when the text is not one (edited, cut short)."""
    try:
        taken = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(taken, dict) or taken.get("v") != FORMAT or not isinstance(taken.get("fingerprint"), str):
        return None
    if not isinstance(taken.get("updates"), int) or any(
        taken.get(name) is not None and not isinstance(taken.get(name), str) for name in _NAMED
    ):
        return None
    return taken


def unchanged(taken: Dict[str, Any], action: dict) -> bool:
    return taken["fingerprint"] == fingerprint(action)


def changes(taken: Dict[str, Any], action: dict) -> List[str]:
    """What changed in the action since the snapshot was taken, in words ("rag amber → green",
    "1 new update (2026-11-20)"); the fingerprint catches everything else."""
    said = []
    for name in _NAMED:
        before, now = taken.get(name), action.get(name)
        if before != now:
            said.append(f"{name} {before or _none(name)} → {now or _none(name)}")
    updates = action.get("updates") or []
    added = len(updates) - taken["updates"]
    if added > 0:
        said.append(f"{added} new update{'s' if added != 1 else ''} (latest {updates[-1].get('date')})")
    elif added < 0:
        said.append(f"{-added} update{'s' if added != -1 else ''} removed from the log")
    if not said and not unchanged(taken, action):
        said.append("its text or other fields were edited")
    return said


def _none(name: str) -> str:
    return "unrated" if name == "rag" else "none"
