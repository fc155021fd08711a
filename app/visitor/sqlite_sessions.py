"""Sessions in one SQLite table: a request reads or writes one row by its key."""

import os
import sqlite3
import threading
import time
from pathlib import Path

from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.defaults import Defaults

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    expires REAL NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires);
"""
# Rows removed per sweep transaction: short, so writers elsewhere wait at most a few ms.
SWEEP_BATCH = 500


class SessionNotSaved(Exception):
    """The session store refused a write: disk full, read-only, locked too long."""


class SQLiteSession(ServerSideSession):
    pass


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=2000")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class SQLiteSessionInterface(ServerSideSessionInterface):
    """Flask-Session's interface over SQLite: lookups by primary key, expiry by an index.

    Unlike cachelib's files, nothing here lists or counts the store, so a request costs
    the same with a thousand sessions or a million, and no live session is ever evicted.
    """

    session_class = SQLiteSession
    ttl = True  # expired rows are swept in the background (delete_expired), not per request

    def __init__(self, app, path: str, legacy=None, **options):
        self.path = str(path)
        self.legacy = legacy  # cachelib's FileSystemCache of the files used before, if any
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = None
        self._pid = None
        super().__init__(app, **options)
        with self._lock:
            self._connection().executescript(SCHEMA)

    @classmethod
    def from_config(cls, app, path: str, legacy=None):
        config = app.config
        return cls(
            app,
            path,
            legacy,
            key_prefix=config.get("SESSION_KEY_PREFIX", Defaults.SESSION_KEY_PREFIX),
            use_signer=config.get("SESSION_USE_SIGNER", Defaults.SESSION_USE_SIGNER),
            permanent=config.get("SESSION_PERMANENT", Defaults.SESSION_PERMANENT),
            sid_length=config.get("SESSION_ID_LENGTH", Defaults.SESSION_ID_LENGTH),
            serialization_format=config.get(
                "SESSION_SERIALIZATION_FORMAT", Defaults.SESSION_SERIALIZATION_FORMAT
            ),
        )

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross a fork (gunicorn loads the app before forking).
        if self._db is None or self._pid != os.getpid():
            self._db, self._pid = connect(self.path), os.getpid()
        return self._db

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        with self._lock:
            row = (
                self._connection()
                .execute(
                    "SELECT data FROM sessions WHERE id = ? AND expires > ?",
                    (store_id, time.time()),
                )
                .fetchone()
            )
        if row:
            return self.serializer.decode(row[0])
        return self._adopt(store_id) if self.legacy is not None else None

    def _adopt(self, store_id: str) -> dict | None:
        """A session still in the files used before: moved into the table on its first visit."""
        data = self.legacy.get(store_id)
        if data is not None:
            try:
                self._upsert_session(self.app.permanent_session_lifetime, data, store_id)
            except SessionNotSaved:
                return data  # still in its file: adopted on a later visit
            self.legacy.delete(store_id)
        return data

    def _upsert_session(self, session_lifetime, session, store_id: str) -> None:
        expires = time.time() + session_lifetime.total_seconds()
        data = self.serializer.encode(session)
        try:
            with self._lock:
                self._connection().execute(
                    "INSERT INTO sessions (id, expires, data) VALUES (?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET expires = excluded.expires,"
                    " data = excluded.data",
                    (store_id, expires, data),
                )
        except sqlite3.Error as error:
            raise SessionNotSaved(f"{self.path}: {error}") from error

    def _delete_session(self, store_id: str) -> None:
        with self._lock:
            self._connection().execute("DELETE FROM sessions WHERE id = ?", (store_id,))

    def delete_expired(self, now: float) -> int:
        """Remove the sessions expired by `now`, a batch at a time; how many went.

        Runs in a worker thread, so on a connection of its own.
        """
        db = connect(self.path)
        removed = 0
        try:
            while True:
                batch = db.execute(
                    "DELETE FROM sessions WHERE id IN"
                    " (SELECT id FROM sessions WHERE expires <= ? LIMIT ?)",
                    (now, SWEEP_BATCH),
                ).rowcount
                removed += batch
                if batch < SWEEP_BATCH:
                    return removed
        finally:
            db.close()

    def close(self) -> None:
        """Close this process's connection; the next request opens another."""
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    def count(self) -> int:
        """How many sessions are stored, expired or not: for tests and benchmarks."""
        with self._lock:
            return self._connection().execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
