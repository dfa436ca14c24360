"""Who may use the app, and what each user may do.

Bound to 127.0.0.1 with no users configured, the app is one person's desktop: no login, and that
person is an instructor (they own the corpus folder anyway). Bound to anything else it refuses to
start unless users are configured: `auth_users` ("name:password[:role],...", from
MINUTES_RAG_AUTH_USERS) or `auth_file` (one "name:password[:role]" a line, `#` starts a comment).
A role is `instructor` (may add and remove minutes) or `trainee` (the default: asks questions).
Passwords cannot contain ":".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
INSTRUCTOR, TRAINEE = "instructor", "trainee"
ROLES = (INSTRUCTOR, TRAINEE)


class AuthError(Exception):
    pass


@dataclass(frozen=True)
class User:
    name: str
    password: str
    role: str = TRAINEE

    @property
    def is_instructor(self) -> bool:
        return self.role == INSTRUCTOR


# The person at the keyboard of a loopback app with no users configured.
DESKTOP_USER = User("local", "", INSTRUCTOR)


class Users:
    """The configured users; empty means an open app on loopback, whose one user is an instructor."""

    def __init__(self, users: list[User]):
        self.by_name = {u.name: u for u in users}

    @property
    def required(self) -> bool:
        return bool(self.by_name)

    def check(self, name: str, password: str) -> bool:
        """The credentials of a configured user (compared in constant time); Gradio's login calls this."""
        user = self.by_name.get(name)
        return user is not None and secrets.compare_digest(user.password.encode(), password.encode())

    def user(self, name: str | None) -> User | None:
        """Who is signed in as `name`: the desktop user when no login is required, else the named user or None."""
        if not self.required:
            return DESKTOP_USER
        return self.by_name.get(name or "")


def parse_user(entry: str) -> User:
    fields = entry.strip().split(":")
    if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
        raise AuthError("each user must be written name:password or name:password:role (no ':' in passwords)")
    role = fields[2] if len(fields) == 3 else TRAINEE
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r} for user {fields[0]!r} (roles: {', '.join(ROLES)})")
    return User(fields[0], fields[1], role)


def load_users(auth_users: str = "", auth_file: str = "") -> list[User]:
    entries = [x for x in auth_users.split(",") if x.strip()]
    if auth_file:
        try:
            lines = Path(auth_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthError(f"cannot read auth file {auth_file}: {exc.strerror}") from None
        entries += [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [parse_user(entry) for entry in entries]


def users_for(host: str, auth_users: str = "", auth_file: str = "") -> Users:
    """The users to require (none on loopback without users); refuses a public bind without them."""
    users = load_users(auth_users, auth_file)
    if host not in LOOPBACK and not users:
        raise AuthError(
            f"refusing to serve on {host} without authentication: set MINUTES_RAG_AUTH_USERS=name:password[:role] "
            "or auth_file, or bind to 127.0.0.1"
        )
    return Users(users)
