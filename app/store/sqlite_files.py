"""The SQLite files as a connection maps them: checked before each use, so a fault is a 503.

In WAL mode every connection memory-maps the `-shm` file (the WAL index) and writes to it on
reads as well as writes. When that file stops being writable under a running process (made
read-only or immutable, on a filesystem remounted read-only), the next store to the mapping
is a SIGBUS: no exception, the worker dies with every socket it holds. SQLite's locking mode
EXCLUSIVE would avoid the mapping, but would lock out every other process (`make cluster`,
gunicorn's next worker). So the files are looked at first, a few system calls a transaction,
and a fault is refused before SQLite touches the mapping. A database file that vanished
(deleted or moved away under the process) is refused too, rather than written into a file
nobody will find again; one replaced by another file (a restore) is opened afresh.
"""

import errno
import os
import sqlite3
import tempfile
from pathlib import Path

MIN_FREE_BYTES = 1 << 20  # below this a disk is as good as full: a GIF or a WAL frame fails


def _outage(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # read by sqlite_connection.is_outage, as SQLite's own are
    error.sqlite_errorname = "SQLITE_READONLY" if code == sqlite3.SQLITE_READONLY else "OTHER"
    return error


class DatabaseFiles:
    """The database file, its -wal and -shm, and the file the connection opened."""

    def __init__(self, path: str):
        self.path = path
        self.in_memory = path == ":memory:" or path.startswith("file:")
        self._opened = None  # (device, inode) of the file the connection opened

    def opened(self) -> None:
        """Note the file a new connection has just opened."""
        if not self.in_memory:
            stat = os.stat(self.path)
            self._opened = (stat.st_dev, stat.st_ino)

    def replaced(self) -> bool:
        """Whether another file now has the database's name: the open connection is stale."""
        if self.in_memory or self._opened is None:
            return False
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return False
        return (stat.st_dev, stat.st_ino) != self._opened

    def check(self) -> None:
        """Raise an outage unless the files are there and writable, before SQLite maps them."""
        if self.in_memory:
            return
        if self._opened is not None and not os.path.exists(self.path):
            raise _outage(f"the database file {self.path} is gone", sqlite3.SQLITE_CANTOPEN)
        # os.access, not the mode bits: it also sees immutable files and read-only mounts,
        # and it is what root is refused by.
        for name in (self.path, self.path + "-wal", self.path + "-shm"):
            if not os.access(name, os.W_OK) and os.path.exists(name):
                raise _outage(f"{name} is read-only", sqlite3.SQLITE_READONLY)


SCRATCH = """CREATE TABLE IF NOT EXISTS readiness (
    id INTEGER PRIMARY KEY CHECK (id = 1), checked_at REAL NOT NULL, note BLOB)"""


def probe_write(db: sqlite3.Connection, now: float) -> None:
    """A real write in a scratch table, inside the caller's write transaction."""
    db.execute(SCRATCH)
    # A page's worth of random bytes: the write needs a new page of the WAL, not only a lock.
    db.execute(
        "INSERT OR REPLACE INTO readiness (id, checked_at, note) VALUES (1, ?, ?)",
        (now, os.urandom(4096)),
    )


def probe_folder(folder: Path, min_free: int = MIN_FREE_BYTES) -> None:
    """Raise OSError unless a file can be written in folder and its disk has room left."""
    usage = os.statvfs(folder)
    if usage.f_bavail * usage.f_frsize < min_free:
        raise OSError(errno.ENOSPC, f"less than {min_free} bytes free", str(folder))
    with tempfile.TemporaryFile(dir=folder) as file:
        file.write(os.urandom(4096))
        file.flush()
        os.fsync(file.fileno())
