"""The key that signs agency returns.

A return workbook records whose return it is (the agency), its id, when it was written, and a
signature over those and every row's Ref and snapshot (dhrtrack.importing.returns.signature).
The signature is an HMAC-SHA-256 under this key, which agencies never see: it lives in the
coordinator's own configuration directory, never in a workbook, never among the plans (which a
partnership may publish). An agency that edits its hidden sheet, adds a row for another agency's
action or forges another agency's name cannot make a signature that matches.

Where it lives: $DHRTRACK_RETURN_KEY_FILE when set, else `return-key` in the platform's
configuration directory ($XDG_CONFIG_HOME/dhrtrack or ~/.config/dhrtrack on Linux,
~/Library/Application Support/dhrtrack on macOS, %LOCALAPPDATA%\\dhrtrack on Windows).
`dhrtrack chase --format xlsx|csv` makes it (mode 0600) the first time it is needed; a second
coordinator who applies the returns needs a copy of the same file (see the docs: "Returns").
"""

from __future__ import annotations

import os
import secrets
import stat

from dhrtrack.errors import DhrtrackError

KEY_BYTES = 32
ENVIRONMENT = "DHRTRACK_RETURN_KEY_FILE"


class ReturnKeyError(DhrtrackError):
    """The return key is missing, unreadable, malformed or not private."""


def key_path() -> str:
    explicit = os.environ.get(ENVIRONMENT)
    if explicit:
        return explicit
    from platformdirs import user_config_dir

    found = user_config_dir("dhrtrack", appauthor=False)
    if not os.path.isabs(found):  # a relative XDG_CONFIG_HOME is invalid: never the plans' directory
        found = os.path.join(os.path.expanduser("~"), ".config", "dhrtrack")
    return os.path.join(found, "return-key")


def load_key() -> bytes:
    """The key, for checking returns. Raises ReturnKeyError saying where it was looked for."""
    path = key_path()
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            text = handle.read(4 * KEY_BYTES)
    except FileNotFoundError:
        raise ReturnKeyError(
            f"no return key at {path}: returns are signed with the key of the coordinator who wrote them "
            f"(dhrtrack chase --format xlsx); copy that file here from their machine, or set {ENVIRONMENT} "
            "to where it is"
        ) from None
    except OSError as error:
        raise ReturnKeyError(f"cannot read the return key {path}: {error.strerror or error}") from None
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ReturnKeyError(
            f"the return key {path} can be read or changed by other users: anyone who reads it can forge a "
            f"return; make it private (chmod 600 {path})"
        )
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) < KEY_BYTES:
        raise ReturnKeyError(
            f"the return key {path} is not a key dhrtrack made ({KEY_BYTES * 2} hexadecimal digits): "
            "restore it from the coordinator who wrote the returns"
        )
    return key


def load_or_make_key() -> tuple[bytes, bool]:
    """The key, made (and saved, private) when there is none yet; True when it was made."""
    path = key_path()
    if os.path.lexists(path):
        return load_key(), False
    key = secrets.token_bytes(KEY_BYTES)
    try:
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
        # O_EXCL: two coordinators' runs racing never replace each other's key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(), False
    except OSError as error:
        raise ReturnKeyError(f"cannot make the return key {path}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key, True
