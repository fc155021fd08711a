"""The embedded default: SQLite for rooms and chats, GIF files in a folder."""

import json
import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

from .base import MEDIA_NAME, Chat, Media, Room, Store, StoreUnavailable, is_id, new_id, utcnow

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    max INTEGER NOT NULL,
    owner TEXT NOT NULL,
    password_hash TEXT,
    owner_key TEXT,
    banned TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rooms_by_created ON rooms (created_at);
CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL,
    user TEXT NOT NULL,
    chat TEXT,
    gif TEXT,
    kind TEXT,
    who TEXT,
    recipient TEXT,
    user_key TEXT,
    to_key TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chats_by_room ON chats (room, id);
CREATE TABLE IF NOT EXISTS media (
    name TEXT PRIMARY KEY,
    room TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_by_room ON media (room);
"""


def _room(row) -> Room:
    return Room(
        id=row["id"],
        title=row["title"],
        capacity=row["max"],
        owner=row["owner"],
        password_hash=row["password_hash"],
        created_at=datetime.fromisoformat(row["created_at"]),
        banned=frozenset(json.loads(row["banned"])),
        owner_key=row["owner_key"],
    )


def _chat(row) -> Chat:
    return Chat(
        id=row["id"],
        room=row["room"],
        user=row["user"],
        created_at=datetime.fromisoformat(row["created_at"]),
        chat=row["chat"],
        gif=row["gif"],
        kind=row["kind"],
        who=row["who"],
        to=row["recipient"],
        user_key=row["user_key"],
        to_key=row["to_key"],
    )


class SQLiteStore(Store):
    """One connection per process, serialised by a lock: SQLite writes one at a time anyway."""

    def __init__(self, path: str | os.PathLike, media_folder: str | os.PathLike):
        self.path = str(path)
        self.media_folder = Path(media_folder)
        self.media_folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = None
        self._pid = None
        try:
            with self._lock:
                self._connection().executescript(SCHEMA)
        except sqlite3.Error as error:
            raise StoreUnavailable(f"SQLite database {self.path}: {error}") from error

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross a fork (gunicorn loads the app before forking).
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA synchronous=NORMAL")
            self._db, self._pid = db, os.getpid()
        return self._db

    def _query(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def _execute(self, sql: str, params=()) -> int:
        with self._lock:
            return self._connection().execute(sql, params).rowcount

    def create_room(self, title, max, owner, password_hash, owner_key=None):
        room = Room(new_id(), title, max, owner, password_hash, utcnow(), owner_key=owner_key)
        self._execute(
            "INSERT INTO rooms (id, title, max, owner, owner_key, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (room.id, title, max, owner, owner_key, password_hash, room.created_at.isoformat()),
        )
        return room

    def get_room(self, room_id):
        if not is_id(room_id):
            return None
        rows = self._query("SELECT * FROM rooms WHERE id = ?", (room_id,))
        return _room(rows[0]) if rows else None

    def list_rooms(self):
        return [_room(row) for row in self._query("SELECT * FROM rooms ORDER BY created_at, id")]

    def set_owner(self, room_id, owner, owner_key=None):
        if is_id(room_id):
            self._execute(
                "UPDATE rooms SET owner = ?, owner_key = ? WHERE id = ?",
                (owner, owner_key, room_id),
            )
        return self.get_room(room_id)

    def ban(self, room_id, user_key):
        if not is_id(room_id):
            return None
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT banned FROM rooms WHERE id = ?", (room_id,)).fetchone()
                if row is not None:
                    banned = sorted(set(json.loads(row["banned"])) | {user_key})
                    db.execute(
                        "UPDATE rooms SET banned = ? WHERE id = ?", (json.dumps(banned), room_id)
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return self.get_room(room_id)

    def delete_room(self, room_id):
        if not is_id(room_id):
            return False
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                names = [
                    r["name"]
                    for r in db.execute("SELECT name FROM media WHERE room = ?", (room_id,))
                ]
                db.execute("DELETE FROM media WHERE room = ?", (room_id,))
                db.execute("DELETE FROM chats WHERE room = ?", (room_id,))
                deleted = db.execute("DELETE FROM rooms WHERE id = ?", (room_id,)).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        for name in names:
            (self.media_folder / name).unlink(missing_ok=True)
        return deleted > 0

    def add_chat(
        self,
        room_id,
        user,
        *,
        chat=None,
        gif=None,
        kind=None,
        who=None,
        to=None,
        user_key=None,
        to_key=None,
    ):
        message = Chat(
            new_id(), room_id, user, utcnow(), chat, gif, kind, who, to, user_key, to_key
        )
        self._execute(
            "INSERT INTO chats (id, room, user, chat, gif, kind, who, recipient, user_key, to_key,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.id,
                room_id,
                user,
                chat,
                gif,
                kind,
                who,
                to,
                user_key,
                to_key,
                message.created_at.isoformat(),
            ),
        )
        return message

    def chats(self, room_id, *, limit, before=None, viewer_key=None):
        if not is_id(room_id) or (before is not None and not is_id(before)):
            return []
        sql = "SELECT * FROM chats WHERE room = ?"
        params: list = [room_id]
        if before is not None:
            sql += " AND id < ?"
            params.append(before)
        sql += " AND (recipient IS NULL OR user_key = ? OR to_key = ?)"
        params += [viewer_key, viewer_key]
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [_chat(row) for row in self._query(sql, params)]

    def save_media(self, room_id, data):
        name = f"{new_id()}.gif"
        path = self.media_folder / name
        path.write_bytes(data)
        try:
            self._execute(
                "INSERT INTO media (name, room, created_at) VALUES (?, ?, ?)",
                (name, room_id, utcnow().isoformat()),
            )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return name

    def open_media(self, name):
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
            return None
        rows = self._query("SELECT created_at FROM media WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            data = (self.media_folder / name).read_bytes()
        except FileNotFoundError:
            return None
        return Media(name, data, datetime.fromisoformat(rows[0]["created_at"]))

    def ping(self):
        self._query("SELECT 1")

    def close(self):
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None
