"""Shell completion that knows the plans (click's completion protocol, for bash, zsh and fish):
`[plan:]action-id` references, review ids, agency names and git revisions. The plans come from
the store's cache, so completing is as fast as a warm report; a completer that fails offers
nothing rather than an error in the middle of someone's typing."""

from __future__ import annotations

import os
from typing import Callable, List, Tuple

import click
from click.shell_completion import CompletionItem

MOST = 200  # more choices than a person reads in a shell


def _safe(function: Callable[[str], List[CompletionItem]]) -> Callable[..., List[CompletionItem]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> List[CompletionItem]:
        try:
            return function(incomplete)[:MOST]
        except Exception:  # noqa: BLE001 - completion must never break the shell
            return []

    return complete


def _loaded() -> "object":
    from dhrtrack.plan import store

    return store.load([])


def _refs(incomplete: str) -> List[CompletionItem]:
    from dhrtrack.plan.store import Loaded

    loaded = _loaded()
    assert isinstance(loaded, Loaded)
    if ":" in incomplete:
        name, _, prefix = incomplete.partition(":")
        return [
            CompletionItem(f"{plan.name}:{a.id}", help=a.lead)
            for plan in loaded.plans
            if plan.name == name
            for a in plan.actions
            if a.id.startswith(prefix)
        ]
    items = [
        CompletionItem(f"{plan.name}:", help=plan.review) for plan in loaded.plans if plan.name.startswith(incomplete)
    ]
    if incomplete:  # a bare id is enough when only one plan has it
        owners: dict = {}
        for plan in loaded.plans:
            for action in plan.actions:
                if action.id.startswith(incomplete):
                    owners.setdefault(action.id, []).append(plan)
        items += [CompletionItem(ident, help=plans[0].review) for ident, plans in owners.items() if len(plans) == 1]
    return items


def _reviews(incomplete: str) -> List[CompletionItem]:
    from dhrtrack.plan.store import Loaded

    loaded = _loaded()
    assert isinstance(loaded, Loaded)
    wanted = incomplete.casefold()
    return [
        CompletionItem(plan.review, help=plan.name)
        for plan in loaded.plans
        if plan.review.casefold().startswith(wanted) or plan.name.startswith(wanted)
    ]


def _leads(incomplete: str) -> List[CompletionItem]:
    from dhrtrack.agencies import canonical_names
    from dhrtrack.plan.store import Loaded

    loaded = _loaded()
    assert isinstance(loaded, Loaded)
    canon = canonical_names(loaded.plans, loaded.registry)
    names = sorted({canon(a.lead) for plan in loaded.plans for a in plan.actions}, key=str.casefold)
    wanted = incomplete.casefold()
    return [CompletionItem(name) for name in names if wanted in name.casefold()]


def _revisions(incomplete: str) -> List[CompletionItem]:
    import subprocess  # only when completing revisions

    done = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags"],
        capture_output=True,
        text=True,
        timeout=5,
    )
    names = ["HEAD"] + (done.stdout.split() if done.returncode == 0 else [])
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


complete_refs = _safe(_refs)
complete_reviews = _safe(_reviews)
complete_leads = _safe(_leads)
complete_revisions = _safe(_revisions)


# --- bash: a script of our own --------------------------------------------------------------
# click's bash script sends bash's own words, and bash has split `bdhr-2012-13-05:10` at the ':'
# (COMP_WORDBREAKS), so the plan is lost; it also inserts `West Midlands Police` unquoted. This one
# sends the line up to the cursor for Python to split as the shell does, drops from each value the
# part of the word before bash's last word break (readline replaces only what follows it), and
# quotes each value (printf %q) so that names with spaces or '&' arrive as one argument.
BASH_SOURCE = r"""# dhrtrack's bash completion (source it, or: eval "$(_DHRTRACK_COMPLETE=bash_source dhrtrack)")
%(complete_func)s() {
    local IFS=$'\n'
    local response completion type value
    response=$(env %(complete_var)s=bash_complete DHRTRACK_COMP_LINE="${COMP_LINE:0:COMP_POINT}" \
        DHRTRACK_COMP_WORDBREAKS="$COMP_WORDBREAKS" "$1" 2>/dev/null)
    COMPREPLY=()
    for completion in $response; do
        type=${completion%%%%,*}
        value=${completion#*,}
        case $type in
            dir) COMPREPLY=(); compopt -o dirnames; return 0 ;;
            file) COMPREPLY=(); compopt -o default; return 0 ;;
            plain) printf -v value '%%q' "$value"; COMPREPLY+=("$value") ;;
        esac
    done
    return 0
}

complete -o nosort -F %(complete_func)s %(prog_name)s
"""


def bash_class() -> type:
    from click.shell_completion import BashComplete, split_arg_string

    class DhrtrackBash(BashComplete):
        source_template = BASH_SOURCE
        word = ""

        def get_completion_args(self) -> Tuple[List[str], str]:
            line = os.environ.get("DHRTRACK_COMP_LINE")
            if line is None:  # click's own protocol (COMP_WORDS, COMP_CWORD)
                return super().get_completion_args()
            words = split_arg_string(line)
            if not words or (line[-1].isspace() and _closed(line[:-1])):  # the cursor starts a new word
                self.word = ""
                return words[1:], ""
            self.word = words[-1] if words else ""
            return words[1:-1], self.word

        def format_completion(self, item: CompletionItem) -> str:
            breaks = {c for c in os.environ.get("DHRTRACK_COMP_WORDBREAKS", "") if not c.isspace() and c not in "\"'"}
            cut = max((i + 1 for i, c in enumerate(self.word) if c in breaks), default=0)
            value = item.value
            if cut and value.startswith(self.word[:cut]):
                value = value[cut:]  # readline keeps what precedes the break: `plan:` typed, `1.1` sent
            return f"{item.type},{value}"

    return DhrtrackBash


def _closed(line: str) -> bool:
    """Whether a line ends outside quotes (a trailing space in quotes is part of the word)."""
    quote = ""
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
    return not quote and not escaped


def register_bash() -> None:
    from click.shell_completion import add_completion_class

    add_completion_class(bash_class(), "bash")
