"""The one model every reader makes of a document: blocks in order, each saying where it came
from. A paragraph has a heading level; a table has rows of cells, and a cell says whether it
is merged into the cell above, what typed value a spreadsheet held, and what rating its fill
colour gives. dhrtrack.importing.build turns a Document into plans, whatever the format was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional, Union


@dataclass
class Cell:
    text: str
    merged: bool = False  # merged into the cell above: no value of its own
    value: Any = None  # what a spreadsheet held when it was not text (a date, a number)
    rating: Optional[str] = None  # the rating the cell's fill colour gives


@dataclass
class Row:
    cells: List[Cell]
    source: str  # "sheet 'Housing' row 5", "page 3, table 2, row 4", "table 1, row 3", "line 64"
    # How to tell a new action from the rest of the one above: True when the row is a row of
    # its own (a Word or sheet row: its own action cell makes it a new action); False when it is
    # the rest of the row above (a PDF row going on at the top of a page); None when the layout
    # cannot say (text), and the words decide.
    new_action: Optional[bool] = None

    @property
    def texts(self) -> List[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    rows: List[Row]
    source: str  # "sheet 'Housing'", "page 3, table 2", "table 1"
    name: Optional[str] = None  # a sheet's name
    # A sheet stands alone; a Word table or a page of a PDF goes on with the columns of the
    # table before it (a table split over pages, its heading row not repeated).
    stands_alone: bool = False


@dataclass
class Paragraph:
    text: str
    source: str
    level: int = 0  # 1 to 6: a heading of that level; 0: body text


Block = Union[Paragraph, Table]


@dataclass
class Document:
    path: str
    blocks: List[Block] = field(default_factory=list)
    warnings: List[tuple] = field(default_factory=list)  # (source, message) from the reader
    date_epoch: Any = None  # a workbook's date system (1900 or 1904) for date numbers

    @property
    def tables(self) -> List[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> List[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
