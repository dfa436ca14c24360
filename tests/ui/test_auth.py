import subprocess
import sys

import pytest

from tests.helpers import ROOT
from ui.auth import DESKTOP_USER, AuthError, User, load_users, users_for


def test_loopback_needs_no_users_and_public_needs_them():
    assert not users_for("127.0.0.1").required
    with pytest.raises(AuthError, match=r"refusing to serve on 0\.0\.0\.0 without authentication"):
        users_for("0.0.0.0")
    users = users_for("0.0.0.0", "ann:secret")
    assert users.required and users.check("ann", "secret") and not users.check("ann", "wrong")
    assert not users.check("nobody", "secret")


def test_users_have_roles_trainee_by_default(tmp_path):
    path = tmp_path / "users"
    path.write_text("# trainers\nbob:pw1:instructor\ncid:pw2\n")
    assert load_users("ann:x", str(path)) == [
        User("ann", "x"),
        User("bob", "pw1", "instructor"),
        User("cid", "pw2", "trainee"),
    ]
    users = users_for("0.0.0.0", "ann:x:instructor,bob:y")
    assert users.user("ann").is_instructor and not users.user("bob").is_instructor and users.user("eve") is None
    with pytest.raises(AuthError, match="name:password"):
        load_users("justaname")
    with pytest.raises(AuthError, match="unknown role 'instuctor' for user 'ann'"):
        load_users("ann:pw:instuctor")


def test_the_single_user_of_an_open_desktop_app_is_an_instructor():
    assert users_for("127.0.0.1").user(None) is DESKTOP_USER and DESKTOP_USER.is_instructor


def test_serve_refuses_a_public_bind_without_auth(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rag.cli", "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "refusing to serve on 0.0.0.0 without authentication" in result.stderr and "Traceback" not in result.stderr
