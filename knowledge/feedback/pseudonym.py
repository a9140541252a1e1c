"""Keyed pseudonyms for people who did not ask to be contacted.

HMAC-SHA256 with `settings.pseudonym_key`: the same person maps to the same pseudonym (so
repeat feedback can be counted) but the id cannot be recovered without the key. With no key
configured, one is generated once and kept in `data_dir/pseudonym.key` (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from knowledge.errors import ConfigError, InvalidArgument

KEY_FILE = "pseudonym.key"


def load_or_create_key(settings) -> bytes:
    if settings.pseudonym_key:
        if len(settings.pseudonym_key) < 16:
            raise ConfigError("SGBOT_PSEUDONYM_KEY is too short",
                              hint="use at least 16 random characters, e.g. openssl rand -hex 32")
        return settings.pseudonym_key.encode("utf-8")
    path = Path(settings.data_dir) / KEY_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot create pseudonym key file {path}: {exc.strerror}",
                          hint="set SGBOT_PSEUDONYM_KEY or make the data directory writable"
                          ) from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class Pseudonymiser:
    """Maps a platform user id to a stable, non-reversible pseudonym."""

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) < 16:
            raise InvalidArgument("pseudonym key must be at least 16 bytes")
        self._key = key

    def __call__(self, user_id: str) -> str:
        digest = hmac.new(self._key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"anon-{digest[:24]}"
