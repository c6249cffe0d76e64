"""The coordinator's words for the board paper (`report --narrative FILE.md`), read from a small,
safe subset of Markdown: paragraphs, bullet and numbered lists, **bold** and *italic*. Anything
else (raw HTML, links, images) is kept as the text it is written as, and every renderer escapes
it, so the narrative can add words to a paper but never markup or anything that runs.

The file is in sections, each under a level-one heading:
- `# Introduction` opens the paper;
- `# The board is asked to` follows the headline figures;
- `# <review id>` (e.g. `# BDHR 2012/13-05`) is that review's commentary, placed with it.
Any other heading is an error naming it, as file:line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

from dhrtrack.errors import UsageError
from dhrtrack.i18n import N_

INTRODUCTION = N_("Introduction")  # the heading in the narrative file (English), said in the paper with _
ASKED = N_("The board is asked to")

Span = Tuple[str, bool, bool]  # text, bold, italic


@dataclass
class Block:
    kind: str  # "paragraph", "bullets" or "numbers"
    items: List[List[Span]]  # a paragraph has one item; a list an item a point


@dataclass
class Narrative:
    introduction: List[Block] = field(default_factory=list)
    asked: List[Block] = field(default_factory=list)
    reviews: Dict[str, List[Block]] = field(default_factory=dict)  # review id -> commentary

    def document(self) -> dict:
        """The narrative as plain text, for the JSON paper."""

        def text(blocks: List[Block]) -> List[str]:
            return ["\n".join("".join(s[0] for s in item) for item in block.items) for block in blocks]

        return {
            "introduction": text(self.introduction),
            "asked": text(self.asked),
            "reviews": {review: text(blocks) for review, blocks in self.reviews.items()},
        }


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_BULLET = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$")
_NUMBER = re.compile(r"^ {0,3}\d{1,9}[.)][ \t]+(.*)$")
_INLINE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")


def spans(text: str) -> List[Span]:
    """**bold**, *italic* and _italic_ (not nested); everything else is text as written."""
    out: List[Span] = []
    at = 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            out.append((text[at : match.start()], False, False))
        if match.group(1) is not None:
            out.append((match.group(1), True, False))
        else:
            out.append((match.group(2) or match.group(3), False, True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False, False))
    return out


def parse(text: str, name: str, reviews: Sequence[str]) -> Narrative:
    """The narrative in `text` (the file `name`), for a paper on `reviews`; a UsageError names
    the file and line of a heading it cannot place, or of text before the first heading."""
    narrative = Narrative()
    text = _NOT_TEXT.sub("", text)  # characters no paper can hold (XML refuses them)
    blocks: List[Block] = []
    seen: Dict[str, int] = {}
    lines: List[str] = []  # the paragraph or list item being read
    kind = ""

    def flush() -> None:
        nonlocal kind
        if lines:
            item = spans(" ".join(line.strip() for line in lines))
            if kind in ("bullets", "numbers") and blocks and blocks[-1].kind == kind:
                blocks[-1].items.append(item)
            else:
                blocks.append(Block(kind, [item]))
            lines.clear()
        kind = ""

    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        heading = _HEADING.match(line)
        if heading:
            flush()
            title = (heading.group(2) or "").strip()
            blocks = _section(narrative, heading.group(1), title, reviews, f"{name}:{number}", seen)
            in_section = True
            continue
        if not line.strip():
            flush()
            continue
        if not in_section:
            raise UsageError(
                f"{name}:{number}: text before the first heading; put it under '# {INTRODUCTION}', "
                f"'# {ASKED}' or '# <review id>'"
            )
        point = _BULLET.match(line) or _NUMBER.match(line)
        if point:
            flush()
            kind = "bullets" if _BULLET.match(line) else "numbers"
            lines.append(point.group(1))
        else:
            if not kind:
                kind = "paragraph"
            lines.append(line)
    flush()
    return narrative


def _section(
    narrative: Narrative, level: str, title: str, reviews: Sequence[str], where: str, seen: Dict[str, int]
) -> List[Block]:
    """The blocks the lines under this heading go into."""
    key = title.casefold()
    if level == "#" and key == INTRODUCTION.casefold():
        blocks, label = narrative.introduction, INTRODUCTION
    elif level == "#" and key == ASKED.casefold():
        blocks, label = narrative.asked, ASKED
    elif level == "#" and title in reviews:
        blocks, label = narrative.reviews.setdefault(title, []), title
    else:
        close = difflib.get_close_matches(title, [INTRODUCTION, ASKED, *reviews], n=1)
        hint = f"did you mean '# {close[0]}'? " if close else ""
        raise UsageError(
            f"{where}: unknown heading '{level} {title}': {hint}a narrative's headings are '# {INTRODUCTION}', "
            f"'# {ASKED}' and '# <review id>' for a review in this paper"
        )
    if label in seen:
        raise UsageError(f"{where}: '# {label}' again (first at line {seen[label]})")
    seen[label] = int(where.rsplit(":", 1)[1])
    return blocks
