"""The one error base. Library code raises a DhrtrackError (or a subclass) for anything the user
must be told; the CLI catches it in one place and maps it to an exit code: a usage error (the
user's own mistake in how dhrtrack was called: a path or revision that names nothing) exits 2,
anything else exits 1. Problems found *in plan files* are not errors: they are values (Problem)."""

from __future__ import annotations


class DhrtrackError(Exception):
    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return self.message


class UsageError(DhrtrackError):
    """How dhrtrack was called names nothing that exists: exit 2."""

    def __init__(self, message: str):
        super().__init__(message, usage=True)
