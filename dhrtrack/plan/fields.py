"""The plan's fields, described once.

Every view that lists fields reads this table instead of a list of its own: the writer and the
editor (house order), diff, textconv, `show`, the exports (CSV, Excel, JSON, SQLite), the
importer's heading vocabulary and the board paper's columns. A test holds the table to
`schema/plan.schema.json` both ways (every property is a row, every row a property, with the
same kind and the same required-ness), so adding an optional field is: the schema, one row
here, tests (docs/design.md "Adding a field").

Rows are in the house order of the file. Views that present an action as people read it put its
rating straight after its target (where it stands, then what was achieved): the `after` of a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from dhrtrack.i18n import N_, _, current, note_fallback
from dhrtrack.plan.dates import date_problem, parse_day

PLAN, REVIEW, RECOMMENDATION, ACTION, UPDATE = "plan", "review", "recommendation", "action", "update"
VERIFIED = "verified"  # the fields of an action's `verified` record
RESPONSE = "response"  # the fields of a national or regional recommendation's `response` record
LEVELS = (PLAN, REVIEW, RECOMMENDATION, RESPONSE, ACTION, VERIFIED, UPDATE)
# A record's fields are a level named after the record; these are records within an action,
# which the row views (export, SQLite, import) carry as columns of the action: verified_date...
WITHIN = {VERIFIED: ACTION, RESPONSE: RECOMMENDATION}

# What a field holds. Scalars: version (the format's version), id (an action id: no spaces),
# number (a recommendation number), line (text on one line), text (text that may run over
# lines), choice (one of `choices`), rag (a rating), date (YYYY-MM-DD), month (YYYY-MM or a
# date). Lists: tags (short labels, a set: themes), texts (paragraphs in order: milestones),
# log (the update entries), actions (a recommendation's actions), recommendations. A record is
# a mapping of the fields of the level named after it (the review; an action's `verified`).
LIST_KINDS = frozenset({"tags", "texts", "log", "actions", "recommendations"})
DATED_KINDS = frozenset({"date", "month"})
# Written in a plan file exactly as they are (one word; the reader keeps dates as text).
AS_WRITTEN_KINDS = frozenset({"rag", "date", "month", "choice"})


@dataclass(frozen=True)
class Field:
    level: str
    name: str  # the key in the plan file
    kind: str
    label: str  # what people call it: the export's heading, show's label, the board's column
    required: bool = False
    public: bool = False  # may be published (docs/design.md §6); never: names, notes, evidence, logs
    key: str = ""  # its name among the columns of a row of actions (export, import): unique; default name
    export: bool = True  # a column of the per-action export and the SQLite tables
    sql: str = ""  # its SQLite column, where the name would not do (default name)
    width: int = 12  # the Excel export's column width, in characters
    literal: bool = False  # kept as text in spreadsheets (1.10 stays 1.10, 2012/13-05 is no date)
    item: str = ""  # lists: what one item is called ("milestone 2")
    missing: str = ""  # how views say the field is absent when that is a finding ("unrated")
    after: str = ""  # reading order: shown straight after this field of the same level
    choices: Tuple[str, ...] = ()
    template: str = ""  # the Home Office template's heading, which import notes use
    # The importer's vocabulary: headings that name the field exactly, and words that name it
    # inside a longer heading (strong ones first; `weak` words only when no strong word is there).
    headings: Tuple[str, ...] = ()
    keywords: Tuple[str, ...] = ()
    weak: Tuple[str, ...] = ()
    # A text in another language: the field it says in that language (text_cy is the Welsh of
    # text). Outputs in that language say it in place of the field (text_in).
    translates: str = ""
    language: str = ""

    @property
    def column(self) -> str:
        return self.key or self.name

    @property
    def sql_column(self) -> str:
        return self.sql or self.name

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def heading(self) -> str:
        """The heading import notes give a value of this field."""
        return self.template or self.label


RAGS = ("red", "amber", "green", "complete")


@dataclass(frozen=True)
class Kind:
    """A kind of review (`review.kind`): how outputs name it, in the catalogue's language, and
    the words a document's title or heading names it by (the importer's vocabulary)."""

    code: str  # the plan's value
    name: str  # a catalogue message: "Domestic Homicide Review"
    short: str  # a catalogue message: "DHR"
    plural: str  # a catalogue message, as running text says several: "domestic homicide reviews"
    words: Tuple[str, ...]  # names, English and Welsh, and abbreviations (matched whole, any case)


# One home for the kinds: review.kind's choices, the names outputs give them (the Welsh is in the
# catalogue, fuzzy until a Welsh speaker confirms it) and what the importer recognises. A DHR is
# the default: a plan with no kind is one.
KINDS: Tuple[Kind, ...] = (
    Kind(
        "dhr",
        N_("Domestic Homicide Review"),
        N_("DHR"),
        N_("domestic homicide reviews"),
        ("domestic homicide review", "adolygiad lladdiad domestig", "adolygiad dynladdiad domestig", "dhr"),
    ),
    Kind(
        "dardr",
        N_("Domestic Abuse Related Death Review"),
        N_("DARDR"),
        N_("domestic abuse related death reviews"),
        ("domestic abuse related death review", "domestic abuse-related death review", "dardr", "dadr"),
    ),
    Kind(
        "susr",
        N_("Single Unified Safeguarding Review"),
        N_("SUSR"),
        N_("single unified safeguarding reviews"),
        ("single unified safeguarding review", "adolygiad diogelu unedig sengl", "susr", "adus"),
    ),
    Kind(
        "sar",
        N_("Safeguarding Adults Review"),
        N_("SAR"),
        N_("safeguarding adults reviews"),
        ("safeguarding adults review", "safeguarding adult review", "adolygiad diogelu oedolion", "sar")
        + ("adult practice review", "adolygiad ymarfer oedolion"),  # Wales before SUSR
    ),
    Kind(
        "cspr",
        N_("Child Safeguarding Practice Review"),
        N_("CSPR"),
        N_("child safeguarding practice reviews"),
        ("child safeguarding practice review", "local child safeguarding practice review", "lcspr", "cspr")
        # Wales before SUSR (October 2024): the same mechanics under another name.
        + ("child practice review", "adolygiad ymarfer plant"),
    ),
    Kind(
        "mhhr",
        N_("Mental Health Homicide Review"),
        N_("MHHR"),
        N_("mental health homicide reviews"),
        ("mental health homicide review", "independent mental health homicide review", "mhhr"),
    ),
)
DEFAULT_KIND = KINDS[0].code
# A review column headed by a kind's abbreviation: "DHR", "SUSR Ref", "SAR reference", "DARDR no".
_KIND_REFS = tuple(
    f"{w}{tail}" for k in KINDS for w in k.words if " " not in w for tail in ("", " ref", " reference", " no")
)
_KIND = {k.code: k for k in KINDS}
# What reviews of several kinds are together: "Review action plans", "these actions from reviews".
SEVERAL_KINDS = Kind("", N_("Review"), N_("Review"), N_("reviews"), ())
NAME, SHORT, PLURAL = "name", "short", "plural"


def kind_name(kinds: Iterable[Optional[str]], form: str = NAME) -> str:
    """How an output names reviews of these kinds (review.kind; none is a DHR), in the language
    being written: the kind's name ("Single Unified Safeguarding Review"; SHORT "SUSR", PLURAL
    "single unified safeguarding reviews") when they are all of one kind, else "Review"."""
    found = {kind or DEFAULT_KIND for kind in kinds} or {DEFAULT_KIND}
    kind = _KIND[found.pop()] if len(found) == 1 else SEVERAL_KINDS
    return _(getattr(kind, form))


FIELDS: Tuple[Field, ...] = (
    Field(PLAN, "schema_version", "version", "Format version", required=True, public=True, export=False),
    Field(PLAN, "review", "record", "Review", required=True, public=True, export=False),
    Field(PLAN, "recommendations", "recommendations", "Recommendations", required=True, public=True, export=False),
    # --- the review ---
    Field(
        REVIEW,
        "id",
        "line",
        "Review",
        required=True,
        public=True,
        key="review",
        sql="review_id",
        width=18,
        literal=True,
        headings=("review", "review id", "review reference", "review ref", "case", "case ref", "case reference")
        + _KIND_REFS,
        keywords=("dhr ref", "review ref", "review reference", "cyfeirnod yr adolygiad", "cyfeirnod adolygiad"),
    ),
    Field(
        REVIEW,
        "title",
        "line",
        "Review title",
        public=True,
        width=30,
        headings=("review title", "title", "teitl", "teitl yr adolygiad"),
    ),
    Field(
        REVIEW,
        "partnership",
        "line",
        "Partnership",
        public=True,
        width=30,
        headings=("partnership", "community safety partnership", "csp", "partneriaeth")
        + ("partneriaeth diogelwch cymunedol",),
    ),
    Field(
        REVIEW,
        "kind",
        "choice",
        "Review kind",
        public=True,
        choices=tuple(k.code for k in KINDS),
        headings=("review kind", "kind of review", "type of review", "review type", "math o adolygiad"),
    ),
    # --- a recommendation ---
    Field(
        RECOMMENDATION,
        "number",
        "number",
        "Recommendation number",
        required=True,
        public=True,
        key="recommendation",
        width=10,
        template="No.",
        headings=("", "no", "number", "rec no", "recommendation no", "recommendation number", "ref", "reference")
        + ("rec", "rec number", "rec ref", "recommendation ref", "item", "item no")
        + ("rhif", "cyf", "cyfeirnod"),  # Welsh: number, reference
        keywords=("recommendation no", "recommendation number", "rhif yr argymhelliad", "rhif argymhelliad"),
    ),
    Field(
        RECOMMENDATION,
        "section",
        "choice",
        "Section",
        required=True,
        public=True,
        width=10,
        choices=("overview", "agency"),
        headings=("section", "adran"),
    ),
    Field(
        RECOMMENDATION,
        "agency",
        "line",
        "Agency",
        public=True,
        width=28,
        headings=("recommendation agency",),
    ),
    Field(
        RECOMMENDATION,
        "scope",
        "choice",
        "Scope",
        public=True,
        width=9,
        choices=("local", "regional", "national"),
        template="Scope",
        headings=("scope", "local regional national", "local regional", "scope of recommendation", "cwmpas")
        + ("lleol rhanbarthol cenedlaethol", "lleol neu ranbarthol"),
        keywords=("scope", "local or regional", "cwmpas"),
    ),
    Field(
        RECOMMENDATION,
        "addressee",
        "line",
        "Addressee",
        public=True,
        width=24,
        headings=("addressee", "addressed to", "national addressee", "recommendation to", "derbynnydd"),
    ),
    Field(RECOMMENDATION, "response", "record", "Response", public=True, export=False),
    Field(
        RECOMMENDATION,
        "themes",
        "tags",
        "Themes",
        public=True,
        width=24,
        item="theme",
        headings=("themes", "theme", "themau", "thema"),
    ),
    Field(
        RECOMMENDATION,
        "text",
        "text",
        "Recommendation",
        required=True,
        public=True,
        key="recommendation_text",
        width=50,
        headings=("recommendation", "recommendations", "recommendation text", "dhr recommendation")
        + ("argymhelliad", "argymhellion", "testun yr argymhelliad"),
        weak=("recommendation", "argymhelliad"),
    ),
    Field(
        RECOMMENDATION,
        "text_cy",
        "text",
        "Recommendation (Welsh)",
        public=True,
        key="recommendation_text_cy",
        width=50,
        translates="text",
        language="cy",
        headings=("recommendation welsh", "recommendation text cy", "welsh recommendation", "recommendation in welsh")
        + ("argymhelliad cymraeg", "argymhelliad yn gymraeg", "testun cymraeg yr argymhelliad"),
    ),
    Field(RECOMMENDATION, "actions", "actions", "Actions", required=True, public=True, export=False),
    # --- an action ---
    Field(
        ACTION,
        "id",
        "id",
        "Action id",
        required=True,
        public=True,
        key="action_id",
        sql="action_id",
        width=9,
        literal=True,
        headings=("action id", "action no", "action number", "action ref", "id", "rhif y cam", "cyfeirnod y cam"),
    ),
    Field(
        ACTION,
        "action",
        "text",
        "Action",
        required=True,
        public=True,
        width=50,
        template="Action to take",
        headings=("action", "actions", "action to take", "action to be taken", "actions to take", "action required")
        + ("actions required", "actions to be taken", "specific action", "specific actions", "how will this be done")
        + ("agreed action", "agreed actions", "actions agreed", "proposed action", "proposed actions")
        + ("planned action", "planned actions", "action planned", "actions planned", "what will be done")
        + ("what will we do", "what we will do", "action agreed", "recommended action", "recommended actions")
        + ("cam gweithredu", "camau gweithredu", "camau", "cam", "camau i'w cymryd", "gweithred", "gweithredoedd"),
        keywords=("action to take", "actions to take", "camau gweithredu", "cam gweithredu"),
    ),
    Field(
        ACTION,
        "action_cy",
        "text",
        "Action (Welsh)",
        public=True,
        width=50,
        translates="action",
        language="cy",
        headings=("action welsh", "action cy", "welsh action", "action in welsh")
        + ("cam gweithredu cymraeg", "camau gweithredu cymraeg", "camau gweithredu yn gymraeg"),
    ),
    Field(
        ACTION,
        "lead",
        "line",
        "Lead",
        required=True,
        public=True,
        width=30,
        template="Lead Agency",
        headings=("lead", "lead agency", "lead agencies", "lead organisation", "responsible agency", "lead partner")
        + ("responsible organisation", "agency responsible", "lead agency organisation")
        + ("asiantaeth arweiniol", "sefydliad arweiniol", "arweinydd", "asiantaeth gyfrifol", "partner arweiniol"),
        keywords=("lead agency", "responsible agency", "asiantaeth arweiniol", "sefydliad arweiniol"),
        weak=("lead", "arweiniol"),
    ),
    Field(
        ACTION,
        "owner",
        "line",
        "Owner",
        width=24,
        template="Lead Officer",
        headings=("owner", "lead officer", "responsible officer", "action owner", "responsible person", "lead person")
        + ("contact", "named lead")
        + ("swyddog arweiniol", "swyddog cyfrifol", "perchennog", "perchennog y cam"),
        keywords=(
            "lead officer",
            "responsible officer",
            "owner",
            "swyddog arweiniol",
            "swyddog cyfrifol",
            "perchennog",
        ),
    ),
    Field(
        ACTION,
        "milestones",
        "texts",
        "Milestones",
        public=True,
        width=40,
        item="milestone",
        template="Key milestones",
        headings=("key milestones", "milestones", "key milestones achieved in enacting recommendation")
        + ("key milestones achieved",)
        + ("cerrig milltir", "cerrig milltir allweddol", "carreg filltir"),
        keywords=("milestone", "cerrig milltir", "carreg filltir"),
    ),
    Field(
        ACTION,
        "target",
        "month",
        "Target date",
        public=True,
        width=11,
        missing="none",
        template="Target Date",
        headings=("target", "target date", "date", "deadline", "timescale", "timescales", "completion by", "by when")
        + ("target completion date", "when by", "date for target")
        + ("dyddiad targed", "targed", "erbyn pryd", "amserlen", "dyddiad cwblhau targed", "dyddiad terfyn"),
        keywords=("target", "deadline", "timescale", "by when", "due date", "targed", "amserlen", "erbyn pryd"),
    ),
    Field(
        ACTION,
        "outcome",
        "text",
        "Outcome",
        public=True,
        width=50,
        template="Outcome",
        headings=("outcome", "outcomes", "date of completion and outcome", "outcome and evidence", "outcome achieved")
        + ("canlyniad", "canlyniadau"),
        keywords=("date of completion", "outcome", "canlyniad"),
    ),
    Field(
        ACTION,
        "outcome_cy",
        "text",
        "Outcome (Welsh)",
        public=True,
        width=50,
        translates="outcome",
        language="cy",
        headings=("outcome welsh", "outcome cy", "welsh outcome", "outcome in welsh")
        + ("canlyniad cymraeg", "canlyniad yn gymraeg"),
    ),
    Field(
        ACTION,
        "rag",
        "rag",
        "RAG",
        public=True,
        width=10,
        missing="unrated",
        after="target",
        choices=RAGS,
        template="Completion/RAG",
        headings=("rag", "completion rag", "rag rating", "rag status", "status", "progress indicator red amber green")
        + ("progress indicator", "completion", "brag", "brag rating", "brag status", "rating")
        + ("statws", "statws rag", "sgor rag", "coch ambr gwyrdd", "gradd rag"),
        keywords=("progress indicator", "red amber green", "brag", "rag", "statws", "coch ambr gwyrdd"),
        # "Status" in a heading of several parts ("Status / RAG", "Current status") names the
        # rating or a progress note: the column's values decide (dhrtrack.importing.headings).
        weak=("status",),
    ),
    Field(
        ACTION,
        "completed",
        "date",
        "Completed",
        public=True,
        width=11,
        template="Completed",
        headings=("completed", "completed date", "date completed", "completion date", "date closed", "closed")
        + ("closed date", "completed on")
        + ("dyddiad cwblhau", "wedi ei gwblhau", "dyddiad cau", "cwblhawyd"),
        keywords=("date completed", "date closed", "dyddiad cwblhau", "dyddiad cau"),
    ),
    Field(
        ACTION,
        "evidence",
        "texts",
        "Evidence",
        width=40,
        item="evidence",
        template="Evidence",
        headings=("evidence", "evidence of completion", "evidence of impact", "evidence source")
        + ("tystiolaeth", "tystiolaeth o gwblhau"),
        keywords=("evidence", "tystiolaeth"),
    ),
    Field(ACTION, "verified", "record", "Verified", public=True, export=False),
    Field(
        ACTION,
        "import_notes",
        "texts",
        "Import notes",
        width=40,
        item="import note",
        headings=("import notes",),
    ),
    Field(
        ACTION,
        "updates",
        "log",
        "Update log",
        width=50,
        # dhrtrack's export (an entry a line), and a tracker's progress column (its text becomes
        # a first update, dated from the document, not the outcome).
        headings=("update log", "progress update", "update", "updates", "progress", "comments progress")
        + ("progress to date", "latest update", "comments", "diweddariad", "diweddariad cynnydd", "cynnydd")
        + ("sylwadau",),
        keywords=("progress", "update", "cynnydd", "diweddariad"),
        weak=("status",),
    ),
    # --- a national or regional recommendation's response from its addressee (published) ---
    Field(
        RESPONSE,
        "sent",
        "date",
        "Sent to addressee",
        public=True,
        key="response_sent",
        width=11,
        headings=("sent to addressee", "sent", "date sent"),
    ),
    Field(
        RESPONSE,
        "acknowledged",
        "date",
        "Acknowledged",
        public=True,
        key="response_acknowledged",
        width=11,
        headings=("acknowledged", "date acknowledged"),
    ),
    Field(
        RESPONSE,
        "received",
        "date",
        "Response received",
        public=True,
        key="response_received",
        width=11,
        headings=("response received", "date of response"),
    ),
    Field(
        RESPONSE,
        "outcome",
        "choice",
        "Response outcome",
        public=True,
        key="response_outcome",
        width=16,
        choices=("implemented", "already_happening", "partly_met", "not_met", "no_response"),
        headings=("response outcome", "commissioner category"),
    ),
    Field(
        RESPONSE,
        "summary",
        "text",
        "Response summary",
        public=True,
        key="response_summary",
        width=40,
        headings=("response summary", "response"),
    ),
    # --- an action's verification: the partnership's check of a completion (only the date is published) ---
    Field(
        VERIFIED,
        "date",
        "date",
        "Verified on",
        required=True,
        public=True,
        key="verified_date",
        sql="verified_date",
        width=11,
        headings=("verified on", "verified date", "date verified", "verification date"),
    ),
    Field(
        VERIFIED,
        "by",
        "line",
        "Verified by",
        required=True,
        key="verified_by",
        sql="verified_by",
        width=24,
        headings=("verified by", "verifier"),
    ),
    Field(
        VERIFIED,
        "evidence",
        "text",
        "Verification evidence",
        key="verified_evidence",
        sql="verified_evidence",
        width=40,
        headings=("verification evidence", "verified evidence", "evidence of verification"),
    ),
    # --- an entry of an action's update log (never published) ---
    Field(UPDATE, "date", "date", "Date", required=True),
    Field(UPDATE, "rag", "rag", "RAG", choices=RAGS),
    Field(UPDATE, "target", "month", "Target date"),
    Field(UPDATE, "completed", "date", "Completed"),
    Field(UPDATE, "outcome", "text", "Outcome"),
    Field(UPDATE, "outcome_cy", "text", "Outcome (Welsh)", translates="outcome", language="cy"),
    Field(UPDATE, "lead", "line", "Lead"),
    Field(UPDATE, "owner", "line", "Owner"),
    Field(UPDATE, "evidence", "text", "Evidence"),
    Field(UPDATE, "theme", "line", "Theme"),
    Field(UPDATE, "note", "text", "Note"),
    Field(UPDATE, "by", "line", "By"),
    Field(UPDATE, "source", "line", "Source"),
)


def fields(level: str) -> Tuple[Field, ...]:
    """A level's fields in the house order."""
    return _BY_LEVEL[level]


def names(level: str) -> Tuple[str, ...]:
    """A level's field names in the house order."""
    return tuple(f.name for f in _BY_LEVEL[level])


def field(level: str, name: str) -> Field:
    return _BY_NAME[(level, name)]


def flat(level: str) -> Tuple[Field, ...]:
    """A level's fields with each record within it (an action's `verified`) replaced by the
    record's own fields: the columns of the row views. Read a value with `value_in`."""
    return tuple(g for f in _BY_LEVEL[level] for g in (_BY_LEVEL[f.name] if f.kind == "record" else (f,)))


def value_in(data: dict, f: Field) -> object:
    """A field's value in the data of its level, or of the level a record of it is within."""
    if f.level in WITHIN:
        return (data.get(f.level) or {}).get(f.name)
    return data.get(f.name)


def translation(level: str, name: str, language: str) -> Optional[Field]:
    """The field that says a text field in a language (text -> text_cy in Welsh), if any."""
    return _TRANSLATIONS.get((level, name, language))


def text_in(values: dict, level: str, name: str, where: str = "") -> Optional[str]:
    """A text field (a recommendation's text, an action, an outcome) in the language being
    written: its translation where the plan has one, else the field as written, in English.
    The one place outputs choose the language of a plan's text. Said in English for want of the
    translation, it is noted (i18n.note_fallback) as `where` and the field's name, for the one
    warning the command gives."""
    english = values.get(name)
    language = current()
    other = _TRANSLATIONS.get((level, name, language))
    if other is None:
        return english
    said = values.get(other.name)
    if said:
        return said
    if english:
        note_fallback(f"{where} {name}".strip(), other.name)
    return english


def in_language(values: dict, level: str, where: str = "") -> dict:
    """A copy of a level's values (a recommendation's, an action's) with each text in the
    language being written (text_in) and the translations left out: what a page in one language
    shows."""
    out = {k: v for k, v in values.items() if not _BY_NAME.get((level, k), _NO_FIELD).translates}
    for name in {f.translates for f in _BY_LEVEL[level] if f.translates}:
        if name in out:
            out[name] = text_in(values, level, name, where)
    return out


def reading_order(items: Sequence[Field]) -> List[Field]:
    """Fields as people read them: each field with an `after` moved straight after that field."""
    out = [f for f in items if not (f.after and any(g.name == f.after for g in items))]
    for moved in (f for f in items if f not in out):
        out.insert(out.index(next(g for g in out if g.name == moved.after)) + 1, moved)
    return out


@dataclass(frozen=True)
class Computed:
    """A column the views work out from the fields (not written in a plan): where it goes, and
    what people call it."""

    key: str
    label: str
    after: str  # the field it follows, or a level: after that level's last column
    width: int = 12
    kind: str = "line"
    literal: bool = False
    headings: Tuple[str, ...] = ()  # what the importer recognises (and reads past)


COMPUTED: Tuple[Computed, ...] = (
    Computed("file", "File", after=REVIEW, width=24, literal=True, headings=("file",)),
    Computed("due", "Due date", after="target", width=11, kind="date", headings=("due", "due date")),
    Computed("overdue", "Overdue", after="rag", width=9, kind="flag", headings=("overdue",)),
)


@dataclass(frozen=True)
class Column:
    """A column of a row of actions: a plan field or a computed value."""

    key: str
    label: str
    kind: str
    width: int
    level: str
    field: Optional[Field] = None
    literal: bool = False


def row_columns(extra: Iterable[Computed] = COMPUTED) -> List[Column]:
    """The columns of a row of actions (the export, and what import reads back): the review's
    fields, the recommendation's, then the action's, each level in reading order, with the
    computed columns after the column each names."""
    columns: List[Column] = []
    for level in (REVIEW, RECOMMENDATION, ACTION):
        for f in reading_order([f for f in flat(level) if f.export]):
            columns.append(Column(f.column, f.label, f.kind, f.width, level, f, f.literal))
    for computed in extra:
        if computed.after in LEVELS:
            at = max(i for i, c in enumerate(columns) if c.level == computed.after)
        else:
            at = next(i for i, c in enumerate(columns) if c.field is not None and c.field.name == computed.after)
        level = columns[at].level
        columns.insert(
            at + 1, Column(computed.key, computed.label, computed.kind, computed.width, level, None, computed.literal)
        )
    return columns


_BY_LEVEL: Dict[str, Tuple[Field, ...]] = {level: tuple(f for f in FIELDS if f.level == level) for level in LEVELS}
_BY_NAME: Dict[Tuple[str, str], Field] = {(f.level, f.name): f for f in FIELDS}
_NO_FIELD = Field("", "", "", "")
_TRANSLATIONS: Dict[Tuple[str, str, str], Field] = {
    (f.level, f.translates, f.language): f for f in FIELDS if f.translates
}
# A response's dates, in the order they happen, and the Commissioner's categories of its outcome.
RESPONSE_DATES = tuple(f.name for f in _BY_LEVEL[RESPONSE] if f.kind == "date")
RESPONSE_OUTCOMES = _BY_NAME[(RESPONSE, "outcome")].choices
_UPDATE_VALUES = names(UPDATE)[1:]  # what an entry says beyond its date


# --- the update log in one spreadsheet cell -----------------------------------------------------

# One entry a line: "2026-03-01 | rag: amber | target: 2026-06 | note: Supplier change raised."
# The field names are the plan's; a "|" or "\" in a value is escaped with "\", a line break is
# written "\n". It reads back exactly (import of an export gives the same log).


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def update_line(entry: dict) -> str:
    """An update-log entry as one line of the Update log cell."""
    parts = [_escape(str(entry.get("date", "")))]
    parts += [f"{name}: {_escape(str(entry[name]))}" for name in _UPDATE_VALUES if entry.get(name) is not None]
    return " | ".join(parts)


def _split(line: str) -> List[str]:
    parts, current, chars = [], [], iter(line)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append("\n" if following == "n" else following)
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_update_line(line: str) -> Optional[dict]:
    """An Update log cell's line back as an entry, or None when it is not one (the importer then
    keeps the line as it is)."""
    found = _split(line)
    last = len(found) - 1
    if any(not p.endswith(" ") for p in found[:last]) or any(not p.startswith(" ") for p in found[1:]):
        return None  # not " | " between the parts
    parts = [p[(1 if i else 0) : len(p) - (1 if i < last else 0)] for i, p in enumerate(found)]
    if parse_day(parts[0]) is None:
        return None
    entry = {"date": parts[0]}
    for part in parts[1:]:
        name, colon, value = part.partition(": ")
        f = _BY_NAME.get((UPDATE, name))
        if not colon or f is None or name in entry or not _fits(f, value):
            return None
        entry[name] = value
    return entry


def _fits(f: Field, value: str) -> bool:
    """Whether a value read from a cell is one the field can hold (the schema's check, in short)."""
    if not value.strip():
        return False
    if f.kind == "rag":
        return value in RAGS
    if f.kind in DATED_KINDS:
        return date_problem(value, month_allowed=f.kind == "month") is None
    return f.kind != "line" or "\n" not in value
