"""The columns of a table printed without rules (a spreadsheet printed to PDF), from where its
words are: pure geometry, apart from any PDF library.

- A word is a run of characters with no space between them and no gap wider than a tenth of the
  type size: a PDF printed from a spreadsheet often has no space characters at all, and a
  right-aligned date that touches a left-aligned rating in the next column ("31/01/2025" and
  "Complete", 1.5pt apart, less than a word space) is two words, not "31/01/2025Complete".
- Column boundaries come from the alignment of the words over every line of the table, the
  heading line included: an x that no word on any line crosses (a gap in the x-projection of
  all the lines) parts two columns where a heading word starts on its right. Left-aligned
  columns start at one x on every line and right-aligned ones end at one x, so the gap between
  them is free on every line however close the two are. A stretch between gaps with no heading
  word over it is part of a column: of the column after it when, on two lines or more, its text
  goes on into that column's by a word space ("Kingsmere" / "County Council" under a centred
  "Agency"), else of the column before it (a right-aligned date under a left-aligned "Date").
  Stretches before the first heading word belong to the first column.
- Where two heading cells (parted by more than a word space) share one gap-free stretch, because
  a cell's text runs into its neighbour on some line, the boundary is midway between them.
- A word goes to the column it starts in, whole: a boundary never falls inside a word.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

Word = Tuple[float, float, str]  # x0, x1, text

GLUE = 0.1  # a gap between two characters wider than this share of the type size parts two words
SPACE = 0.45  # a gap wider than this share of the type size is more than a word space


def words(chars: Iterable[Dict[str, Any]]) -> List[Word]:
    """(x0, x1, text) of each word of a line's characters (in reading order)."""
    out: List[Word] = []
    current, start, last_x1 = "", 0.0, 0.0
    previous: Optional[Dict[str, Any]] = None
    for char in chars:
        # A ligature ("fi" drawn as one glyph) is listed once for each letter it expands to, the
        # same character each time: it is one character, not "identifified".
        if previous is not None and char["text"] == previous["text"] and char["x0"] == previous["x0"]:
            continue
        previous = char
        text = char["text"]
        gap = char["x0"] - last_x1 > GLUE * (char.get("size") or 10)
        if text.isspace() or (current and gap):
            if current:
                out.append((start, last_x1, current))
            current = ""
            if text.isspace():
                continue
        if not current:
            start = char["x0"]
        current += text
        last_x1 = char["x1"]
    if current:
        out.append((start, last_x1, current))
    return out


def cells(line: Sequence[Word], size: float) -> List[List[Word]]:
    """A line's words in runs parted by more than a word space: a heading line's cells."""
    runs: List[List[Word]] = []
    for word in line:
        if runs and word[0] - runs[-1][-1][1] <= SPACE * size:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def cuts(heading: Sequence[Sequence[Word]], body: Sequence[Sequence[Word]], size: float) -> List[float]:
    """The x of each boundary between the columns of a table: its heading lines' words (a heading
    wrapped over two lines is two lines) and its body lines' words."""
    spans = sorted((x0, x1) for line in [*heading, *body] for x0, x1, _t in line)
    stretches: List[List[float]] = []  # the x-projection of every line: stretches no gap parts
    for x0, x1 in spans:
        if stretches and x0 <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], x1)
        else:
            stretches.append([x0, x1])
    starts = [x0 for line in heading for x0, _x1, _t in line]
    space = _word_space(body, stretches, size)
    found: List[float] = []
    headed = False  # whether the column being gathered has a heading word yet
    for index, (x0, x1) in enumerate(stretches):
        head = any(x0 <= s <= x1 for s in starts)
        if index and headed and (head or _flows_on(body, stretches, index, space, starts)):
            found.append((stretches[index - 1][1] + x0) / 2)
            headed = False
        headed = headed or head
    if found and not headed:
        found.pop()  # the last column has no heading: it is the rest of the one before
    for after, before in _heading_gaps(heading, size):
        if not any(after <= cut <= before for cut in found):
            found.append((after + before) / 2)
    return sorted(found)


def _word_space(body: Sequence[Sequence[Word]], stretches: List[List[float]], size: float) -> float:
    """The usual gap between two words of a cell (the type's space): between words of the body's
    lines within one stretch (never across a gap of the projection, which may part columns)."""
    gaps = sorted(
        right[0] - left[1]
        for line in body
        for left, right in zip(line, line[1:])
        if GLUE * size < right[0] - left[1] <= SPACE * size
        and any(a <= left[0] and right[1] <= b for a, b in stretches)
    )
    return gaps[len(gaps) // 2] if gaps else 0.3 * size


def _flows_on(
    body: Sequence[Sequence[Word]], stretches: List[List[float]], index: int, space: float, starts: List[float]
) -> bool:
    """Whether a stretch with no heading word is the start of the text of the column after it:
    on most lines with words in both (two at least), its last word and the next stretch's first are parted by
    a word space ("Kingsmere" / "County Council" under a centred heading "Agency"), where a
    right-aligned date touching a rating is parted by less, or by more; and so on to a stretch
    with a heading word."""
    if index + 1 >= len(stretches):
        return False
    following = stretches[index + 1]
    if not any(following[0] <= s <= following[1] for s in starts) and not _flows_on(
        body, stretches, index + 1, space, starts
    ):
        return False
    (a, b), (c, d) = stretches[index], stretches[index + 1]
    both = spaced = 0
    for line in body:
        mine = [w for w in line if a <= w[0] and w[1] <= b]
        theirs = [w for w in line if c <= w[0] and w[1] <= d]
        if mine and theirs:
            both += 1
            spaced += abs(theirs[0][0] - mine[-1][1] - space) <= 0.2 * space
    return both >= 2 and 2 * spaced > both  # one line cannot tell a word space from a narrow gap


def _heading_gaps(heading: Sequence[Sequence[Word]], size: float) -> List[Tuple[float, float]]:
    """(end, start) of the gaps between a heading's cells (runs parted by more than a word space)."""
    gaps: List[Tuple[float, float]] = []
    for line in heading:
        runs = cells(line, size)
        gaps += [(left[-1][1], right[0][0]) for left, right in zip(runs, runs[1:])]
    return gaps


def running_text(line: Sequence[Word], heading: Sequence[Sequence[Word]], size: float) -> bool:
    """Whether a line under a heading is running text (a note under the table), not a row: words
    with no gap wider than a space between any two, over two of the gaps between the heading's
    cells."""
    gaps = _heading_gaps(heading, size)
    return (
        len(cells(line, size)) == 1
        and sum(1 for after, before in gaps if line[0][0] < after and before < line[-1][1]) >= 2
    )


def split(line: Sequence[Word], boundaries: Sequence[float], columns: int) -> List[str]:
    """A line's text in each of `columns` columns: each word in the column it starts in."""
    out = ["" for _ in range(columns)]
    for x0, _x1, text in line:
        i = column(x0, boundaries, columns)
        out[i] = f"{out[i]} {text}".strip()
    return out


def column(x: float, boundaries: Sequence[float], columns: int) -> int:
    """The column a word starting at x is in."""
    return min(bisect_right(boundaries, x), columns - 1)


def runs_over(line: Sequence[Word], boundaries: Sequence[float], size: float) -> bool:
    """Whether a line is running text across the columns (a note under the table), not a row:
    three words or more with no gap wider than a space between any two, over two boundaries. A
    row has gaps between its cells, however tight some are ("31/01/2025" touching "Complete")."""
    runs = cells(line, size)
    return len(runs) == 1 and len(line) >= 3 and sum(1 for cut in boundaries if line[0][0] < cut < line[-1][1]) >= 2
