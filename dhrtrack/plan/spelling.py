"""Agency names: telling spelling variants of one agency apart from different agencies."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Dict, Hashable, Iterable, List, Tuple

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def spelling_key(name: str) -> Tuple[str, ...]:
    """A key equal for names that differ only in case, punctuation, spacing, '&' vs 'and' and
    word order ("Foundation NHS Trust" vs "NHS Foundation Trust"), and different otherwise."""
    words = _NON_WORD.sub(" ", name.casefold().replace("&", " and ")).split()
    return tuple(sorted(words))


def spelling_variants(names: Iterable[Tuple[str, Hashable]]) -> Dict[Hashable, str]:
    """Given (name, occurrence) pairs, map each occurrence whose name is a minority spelling of
    an agency to the preferred spelling (the most used; ties go to the first seen).

    One pass with a dict keyed by spelling_key: no pairwise comparison, so it scales to the
    thousands of lead names in a national repository.
    """
    groups: Dict[Tuple[str, ...], List[Tuple[str, Hashable]]] = defaultdict(list)
    for name, occurrence in names:
        groups[spelling_key(name)].append((name, occurrence))
    result: Dict[Hashable, str] = {}
    for members in groups.values():
        counts = Counter(name for name, _ in members)
        if len(counts) < 2:
            continue
        order: Dict[str, int] = {}
        for name, _ in members:
            order.setdefault(name, len(order))
        preferred = max(counts, key=lambda n: (counts[n], -order[n]))
        for name, occurrence in members:
            if name != preferred:
                result[occurrence] = preferred
    return result
