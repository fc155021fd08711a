"""One SQLite connection per process: serialised, a transaction per write, fresh after a fault."""

import os
import sqlite3
import threading
from contextlib import contextmanager, suppress

from .sqlite_files import DatabaseFiles

# Result codes that blame the file, not the query: locked, read-only, full, I/O, corrupt...
OUTAGES = "PERM BUSY LOCKED NOMEM READONLY IOERR CORRUPT FULL CANTOPEN PROTOCOL NOTADB".split()
OUTAGES = {getattr(sqlite3, f"SQLITE_{name}") for name in OUTAGES}


def is_outage(error: Exception) -> bool:
    """Whether a SQLite error says the database file cannot be used now (not a faulty query)."""
    # Errors raised by the sqlite3 module itself, not by SQLite, have no result code.
    return getattr(error, "sqlite_errorcode", 0) & 0xFF in OUTAGES


class Connection:
    """The process's connection to one database file, made on first use."""

    def __init__(self, path: str, busy_timeout: float, functions: dict | None = None):
        self.path = path
        self.functions = functions or {}  # name: a deterministic Python function of one value
        self.busy_timeout = busy_timeout  # seconds a write waits for another process's lock
        self._lock = threading.Lock()  # SQLite writes one at a time anyway
        self._db = None
        self._pid = None
        self.files = DatabaseFiles(path)

    def _connect(self) -> sqlite3.Connection:
        # A connection must not cross a fork (gunicorn loads the app before forking).
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            try:
                self.files.opened()
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
                db.execute("PRAGMA synchronous=NORMAL")
                for name, function in self.functions.items():
                    db.create_function(name, 1, function, deterministic=True)
            except BaseException:
                db.close()
                raise
            self._db, self._pid = db, os.getpid()
        return self._db

    @contextmanager
    def transaction(self, write: bool = False):
        """The connection, the caller's alone; with write=True, one transaction to commit."""
        with self._lock:
            if self.files.replaced():
                self._drop(self._db)  # a restored file: the open connection reads the old one
            self.files.check()  # before SQLite touches a mapping that would SIGBUS
            db = self._connect()
            try:
                if write:
                    db.execute("BEGIN IMMEDIATE")
                yield db
                if write:
                    db.execute("COMMIT")
            except BaseException:
                # Leave no transaction open, and reconnect next time: a connection made while
                # the file was read-only stays read-only after the file is fixed.
                with suppress(sqlite3.Error):
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                self._drop(db)
                raise

    def _drop(self, db) -> None:
        """Close the connection, unless its files are unsafe to touch: then it waits, unused."""
        try:
            self.files.check()
        except sqlite3.Error:
            return  # closing checkpoints through the mapping; it serves again once fixed
        with suppress(sqlite3.Error):
            if db is not None and self._pid == os.getpid():
                db.close()
        self._db = None

    def query(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self.transaction() as db:
            return db.execute(sql, params).fetchall()

    def write(self, sql: str, params=()) -> None:
        with self.transaction(write=True) as db:
            db.execute(sql, params)

    def close(self) -> None:
        with self._lock:
            self._drop(self._db)
