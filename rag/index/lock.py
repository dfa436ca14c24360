"""One writer at a time: an exclusive `fcntl.flock` on `<data_dir>/write.lock`, held while a
document is written or removed. A second writer waits, and says once why it is waiting (the pid
of the holder is in the file); the lock goes with its holder's process, so a writer killed with
kill -9 never leaves the index locked. Re-entrant within one `WriteLock` object.

Processes with different data folders pointed at one Chroma server do not share this lock; a
deployment lets one of them write (see the README's "Deployment").
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class WriteLock:
    def __init__(self, path: Path, on_wait: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.on_wait = on_wait
        self._depth = 0
        self._fd: int | None = None

    def holder(self) -> str:
        """The pid written by the process holding (or last holding) the lock, or ''."""
        try:
            return self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    @contextmanager
    def held(self, wait: bool = True) -> Iterator[None]:
        """Hold the lock; without `wait`, raise BlockingIOError when another process holds it."""
        if self._depth == 0:
            self._acquire(wait)
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._release()

    def _acquire(self, wait: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise BlockingIOError(
                        f"another process (pid {self.holder() or '?'}) is writing the index"
                    ) from None
                if self.on_wait:
                    self.on_wait(f"another process (pid {self.holder() or '?'}) is writing the index: waiting for it")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
