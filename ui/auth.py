"""Who may use the app when it is reachable from other machines.

Bound to 127.0.0.1 the app is for this machine only and needs no login. Bound to anything else it
refuses to start unless users are configured: `auth_users` ("name:password,name2:password2",
from MINUTES_RAG_AUTH_USERS) or `auth_file` (one "name:password" a line).
"""

from __future__ import annotations

from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class AuthError(Exception):
    pass


def load_users(auth_users: str = "", auth_file: str = "") -> list[tuple[str, str]]:
    entries = [x for x in auth_users.split(",") if x.strip()]
    if auth_file:
        try:
            entries += [line for line in Path(auth_file).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
        except OSError as exc:
            raise AuthError(f"cannot read auth file {auth_file}: {exc.strerror}") from None
    users = []
    for entry in entries:
        name, sep, password = entry.strip().partition(":")
        if not sep or not name or not password:
            raise AuthError("each user must be written name:password")
        users.append((name, password))
    return users


def users_for(host: str, auth_users: str = "", auth_file: str = "") -> list[tuple[str, str]] | None:
    """The users to require, or None on loopback without users; refuses a public bind without them."""
    users = load_users(auth_users, auth_file)
    if host not in LOOPBACK and not users:
        raise AuthError(
            f"refusing to serve on {host} without authentication: set MINUTES_RAG_AUTH_USERS=name:password "
            "or auth_file, or bind to 127.0.0.1"
        )
    return users or None
