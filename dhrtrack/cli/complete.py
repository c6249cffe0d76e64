"""Shell completion that knows the plans (click's completion protocol, for bash, zsh and fish):
`[plan:]action-id` references, review ids, agency names and git revisions. The plans come from
the store's cache, so completing is as fast as a warm report; a completer that fails offers
nothing rather than an error in the middle of someone's typing."""

from __future__ import annotations

from typing import Callable, List

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
