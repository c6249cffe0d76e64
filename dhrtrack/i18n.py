"""The language of what others read: gettext catalogues (dhrtrack/locale/<lang>/LC_MESSAGES/
dhrtrack.mo, compiled from the .po beside it by tools/catalogue), chosen for the length of a
command by `language()`, and read through `_`, `n_` (plurals, by the language's Plural-Forms) and
`p_` (a word with a context: "March" the month, "red" the RAG rating).

A leaf module (the standard library and errors only), so that every layer says things in the language asked
for without passing it down: the language is a context variable, English unless a command sets it.

Overrides, most specific first: a .po file given to `--translations`, then the catalogues under
$DHRTRACK_LOCALE_DIR (same layout as dhrtrack/locale), then the bundled catalogue. Adding a
language is its catalogue and one line in LANGUAGES.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import gettext
import io
import os
import struct
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.errors import UsageError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "dhrtrack"
# code -> (BCP 47 tag for HTML and Word, the language's name in itself)
LANGUAGES: Dict[str, Tuple[str, str]] = {
    "en": ("en-GB", "English"),
    "cy": ("cy-GB", "Cymraeg"),
}
ENV_LOCALE_DIR = "DHRTRACK_LOCALE_DIR"

_ENGLISH = gettext.NullTranslations()
_current: contextvars.ContextVar[gettext.NullTranslations] = contextvars.ContextVar("dhrtrack_tr", default=_ENGLISH)
_code: contextvars.ContextVar[str] = contextvars.ContextVar("dhrtrack_lang", default="en")
_override: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("dhrtrack_override", default=None)
_cache: Dict[Tuple[str, Optional[str], Optional[str]], gettext.NullTranslations] = {}
# A plan's texts said in English for want of their translation (where -> the field that would
# say it: "bdhr:1.1 action" -> "action_cy"), noted where outputs choose the language of a plan's
# text (plan.fields.text_in), so that a command warns once with how many and which.
_fallbacks: contextvars.ContextVar[Optional[Dict[str, str]]] = contextvars.ContextVar("dhrtrack_fb", default=None)


class LanguageError(UsageError):
    """A language with no catalogue, or a translations file that cannot be read."""


def translations(code: str, override: Optional[str] = None) -> gettext.NullTranslations:
    """The catalogue for a language, with the overrides in front of it (see the module's note)."""
    if code not in LANGUAGES:
        raise LanguageError(f"no catalogue for language {code!r}: choose from {', '.join(LANGUAGES)}")
    extra = os.environ.get(ENV_LOCALE_DIR) or None
    key = (code, extra, override)
    if key in _cache:
        return _cache[key]
    found: gettext.NullTranslations = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)
    if extra:
        local = gettext.translation(DOMAIN, extra, languages=[code], fallback=True)
        if type(local) is not gettext.NullTranslations:
            local.add_fallback(found)
            found = local
    if override:
        try:
            text = Path(override).read_text(encoding="utf-8")
            own = gettext.GNUTranslations(io.BytesIO(compile_po(text)))
        except (OSError, ValueError, SyntaxError) as error:
            raise LanguageError(f"{override}: not a translations file dhrtrack can read: {error}") from None
        own.add_fallback(found)
        found = own
    _cache[key] = found
    return found


@contextlib.contextmanager
def language(code: str = "en", override: Optional[str] = None) -> Iterator[None]:
    """Everything said inside this block is said in `code`."""
    tokens = (
        _current.set(translations(code, override)),
        _code.set(code),
        _override.set(override),
        _fallbacks.set({}),
    )
    try:
        yield
    finally:
        _current.reset(tokens[0])
        _code.reset(tokens[1])
        _override.reset(tokens[2])
        _fallbacks.reset(tokens[3])


def settings() -> Tuple[str, Optional[str]]:
    """The language being written and its translations file: what a worker process is given to
    say things in the same language (language(*settings()))."""
    return _code.get(), _override.get()


def every_language(context: str, message: str) -> Dict[str, List[str]]:
    """A message as each language's catalogue says it, by language (English first), and as the
    partnership's own translations ($DHRTRACK_TRANSLATIONS) say it where they differ: what a
    reader of a file dhrtrack wrote in any language recognises (a Welsh return's headings)."""
    own = os.environ.get("DHRTRACK_TRANSLATIONS") or None
    said: Dict[str, List[str]] = {}
    for code in LANGUAGES:
        forms = [translations(code).pgettext(context, message)]
        if own:
            forms.append(translations(code, own).pgettext(context, message))
        said[code] = list(dict.fromkeys(forms))
    return said


def note_fallback(where: str, field: str) -> None:
    """A plan's text is said in English here: it has no `field` (its translation)."""
    found = _fallbacks.get()
    if found is not None:
        found.setdefault(where, field)


def fallbacks() -> Dict[str, str]:
    """The plan's texts said in English so far in this language block, in the order met."""
    return dict(_fallbacks.get() or {})


def current() -> str:
    """The language being written: "en", "cy"."""
    return _code.get()


def catalogue() -> gettext.NullTranslations:
    """The translations being said through: a key for a cache of things said (one per catalogue,
    overrides and all, where the language's code alone would not tell two apart)."""
    return _current.get()


def tag() -> str:
    """The language's BCP 47 tag: lang= in HTML, the Word document's language."""
    return LANGUAGES[_code.get()][0]


def _(message: str) -> str:
    return _current.get().gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a message a count of n needs, by the language's plural rule (Welsh has six);
    the message says the number itself ("{n} action"): format it with n."""
    return _current.get().ngettext(singular, plural, n)


def p_(context: str, message: str) -> str:
    return _current.get().pgettext(context, message)


def N_(message: str) -> str:
    """A message marked for the catalogue, translated later where it is said (with _)."""
    return message


def pN_(context: str, message: str) -> str:
    """A message with a context, marked for the catalogue and translated later with p_."""
    return message


# The .po reader and .mo writer: tools/catalogue compiles the bundled catalogues with them, and
# --translations FILE.po reads a partnership's own file with them (no msgfmt needed).

Entry = Dict[str, object]  # msgctxt, msgid, msgid_plural, msgstr (str or list), flags, comments


def read_po(text: str) -> List[Entry]:
    """The entries of a .po file in order, each with its flags ("fuzzy") and comment lines."""
    entries: List[Entry] = []
    entry: Entry = {}
    key: Optional[str] = None
    comments: List[str] = []

    def finish() -> None:
        nonlocal entry, comments
        if "msgid" in entry:
            entry["comments"] = comments
            entries.append(entry)
        entry, comments = {}, []

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                finish()
            comments.append(raw)
            if line.startswith("#,"):
                flags = entry.setdefault("flags", [])
                assert isinstance(flags, list)
                flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            continue
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"line {number}: a string with no keyword before it")
            _append(entry, key, _unquote(line, number))
            continue
        word, _sep, rest = line.partition(" ")
        if word in ("msgctxt", "msgid") and "msgid" in entry:
            finish()
        if word.startswith("msgstr[") or word in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            key = word
            entry[key] = ""
            _append(entry, key, _unquote(rest.strip(), number))
        else:
            raise ValueError(f"line {number}: {word!r} is not a .po keyword")
    finish()
    for e in entries:
        plurals = sorted((k for k in e if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
        if plurals:
            e["msgstr"] = [e.pop(k) for k in plurals]
        e.setdefault("flags", [])
    return entries


def _append(entry: Entry, key: str, value: str) -> None:
    entry[key] = str(entry.get(key, "")) + value


def _unquote(text: str, number: int) -> str:
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise ValueError(f"line {number}: {text!r} is not a quoted string")
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def compile_po(text: str) -> bytes:
    """A .po file as the .mo that gettext reads. Untranslated entries are left out (gettext then
    says the English); fuzzy ones are kept: a draft Welsh word awaiting review is better in a
    Welsh paper than an English one (see docs/welsh.md on translations)."""
    pairs: Dict[bytes, bytes] = {}
    for e in read_po(text):
        msgid = str(e["msgid"])
        if "msgid_plural" in e:
            msgid += "\0" + str(e["msgid_plural"])
        if "msgctxt" in e:
            msgid = str(e["msgctxt"]) + "\x04" + msgid
        value = e.get("msgstr", "")
        stored = "\0".join(value) if isinstance(value, list) else str(value)
        if not stored.replace("\0", "") and msgid:
            continue
        pairs[msgid.encode("utf-8")] = stored.encode("utf-8")
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    count = len(keys)
    start = 7 * 4 + 16 * count  # header, then both tables of (length, offset)
    table_ids, table_strs = [], []
    offset = start
    for k in keys:
        table_ids.append((len(k), offset))
        offset += len(k) + 1
    for k in keys:
        table_strs.append((len(pairs[k]), offset))
        offset += len(pairs[k]) + 1
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    tables = b"".join(struct.pack("<2I", *pair) for pair in table_ids + table_strs)
    return header + tables + ids + strs


class Said:
    """Messages said in the language being written each time they are read: a module's constant
    (a table's headings) is made once, at import, in English."""

    def __init__(self, messages: Sequence[str], context: Optional[str] = None):
        self.messages, self.context = tuple(messages), context

    def _say(self, message: str) -> str:
        return p_(self.context, message) if self.context else _(message)

    def __iter__(self) -> Iterator[str]:
        return (self._say(m) for m in self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def __getitem__(self, index: int) -> str:
        return self._say(self.messages[index])
