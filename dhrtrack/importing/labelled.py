"""Plans written as labelled paragraphs (placeholder until the labelled reader lands)."""

from __future__ import annotations

from typing import List

from dhrtrack.importing.document import Document, Paragraph
from dhrtrack.importing.template import Item


def labelled_items(document: Document) -> List[Item]:
    return []


def first_label(paragraphs: List[Paragraph]) -> int:
    return 0
