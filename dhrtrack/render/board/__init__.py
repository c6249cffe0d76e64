"""The quarterly board paper, one value (dhrtrack.reports.board.Board) in several forms: HTML
(html), markdown (markdown), JSON, and Word (word, bytes). BOARD_RENDERERS is the registry of
the text forms."""

from __future__ import annotations

from typing import Callable, Dict

from dhrtrack.render.board.html import to_html
from dhrtrack.render.board.markdown import to_markdown
from dhrtrack.reports.board import Board
from dhrtrack.wording import json_text


def to_json(board: Board) -> str:
    return json_text(board.document())


def to_docx(board: Board) -> bytes:
    from dhrtrack.render.board.word import to_docx as word

    return word(board)


BOARD_RENDERERS: Dict[str, Callable[[Board], str]] = {"html": to_html, "markdown": to_markdown, "json": to_json}
