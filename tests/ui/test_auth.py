import subprocess
import sys

import pytest

from tests.conftest import ROOT
from ui.auth import AuthError, load_users, users_for


def test_loopback_needs_no_users_and_public_needs_them(tmp_path):
    assert users_for("127.0.0.1") is None
    with pytest.raises(AuthError, match="refusing to serve on 0.0.0.0 without authentication"):
        users_for("0.0.0.0")
    assert users_for("0.0.0.0", "ann:secret") == [("ann", "secret")]
    path = tmp_path / "users"
    path.write_text("# trainers\nbob:pw1\n")
    assert load_users("ann:x", str(path)) == [("ann", "x"), ("bob", "pw1")]
    with pytest.raises(AuthError, match="name:password"):
        load_users("justaname")


def test_serve_refuses_a_public_bind_without_auth(tmp_path):
    result = subprocess.run([sys.executable, "-m", "rag.cli", "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "refusing to serve on 0.0.0.0 without authentication" in result.stderr and "Traceback" not in result.stderr
