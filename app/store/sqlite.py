"""The embedded default: SQLite for rooms and chats, GIF files in a folder."""

import json
import logging
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from .base import Store, guarded
from .models import Chat, Media, Room
from .sqlite_connection import Connection, is_outage

log = logging.getLogger(__name__)

# Column names stay as the first release made them: an existing database opens unchanged.
SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, max INTEGER NOT NULL,
    owner TEXT NOT NULL, password_hash TEXT, owner_key TEXT, banned TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rooms_by_created ON rooms (created_at);
CREATE TABLE IF NOT EXISTS chats (id TEXT PRIMARY KEY, room TEXT NOT NULL, user TEXT NOT NULL,
    chat TEXT, gif TEXT, kind TEXT, who TEXT, recipient TEXT, user_key TEXT, to_key TEXT,
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chats_by_room ON chats (room, id);
CREATE TABLE IF NOT EXISTS media (name TEXT PRIMARY KEY, room TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS media_by_room ON media (room);
"""
# Columns added since, to a database made before them too (all may be NULL).
ADDED = {
    "rooms": ["owner_name TEXT"],
    "chats": ["name TEXT", "handle TEXT", "owner INTEGER", "to_name TEXT", "to_handle TEXT"],
}
CHAT_COLUMNS = "id, room, user, chat, gif, kind, who, recipient, user_key, to_key, created_at"
CHAT_COLUMNS += ", name, handle, owner, to_name, to_handle"


def _room(row) -> Room:
    created_at = datetime.fromisoformat(row["created_at"])
    fields = (row["password_hash"], created_at, frozenset(json.loads(row["banned"])))
    owner = (row["owner_key"], row["owner_name"])
    return Room(row["id"], row["title"], row["max"], row["owner"], *fields, *owner)


def _chat(row) -> Chat:
    created_at = datetime.fromisoformat(row["created_at"])
    fields = (row[key] for key in ("chat", "gif", "kind", "who", "recipient", "user_key", "to_key"))
    people = (row["name"], row["handle"], bool(row["owner"]), row["to_name"], row["to_handle"])
    return Chat(row["id"], row["room"], row["user"], created_at, *fields, *people)


class SQLiteStore(Store):
    """Rooms and chats in one SQLite file; GIFs as files in media_folder, listed in the file."""

    def __init__(self, path, media_folder, busy_timeout: float = 5.0):
        self.path = str(path)
        self.media_folder = Path(media_folder)
        self.media_folder.mkdir(parents=True, exist_ok=True)
        self.db = Connection(self.path, busy_timeout)
        self._create_schema()

    @guarded
    def _create_schema(self) -> None:
        with self.db.transaction() as db:
            db.executescript(SCHEMA)
            for table, columns in ADDED.items():
                present = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
                for column in columns:
                    if column.split()[0] not in present:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")

    def _is_outage(self, error):
        # OSError: the media folder is full, read-only or gone.
        return is_outage(error) or isinstance(error, OSError)

    def _describe(self, error):
        return f"SQLite database {self.path}: {error}"

    def _insert_room(self, room):
        self.db.write(
            "INSERT INTO rooms (id, title, max, owner, password_hash, created_at, owner_key,"
            " owner_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (room.id, room.title, room.capacity, room.owner, room.password_hash)
            + (room.created_at.isoformat(), room.owner_key, room.owner_name),
        )

    def _find_room(self, room_id):
        rows = self.db.query("SELECT * FROM rooms WHERE id = ?", (room_id,))
        return _room(rows[0]) if rows else None

    def _find_rooms(self):
        return [_room(row) for row in self.db.query("SELECT * FROM rooms ORDER BY created_at, id")]

    def _update_room(self, room_id, sql, params) -> Room | None:
        with self.db.transaction(write=True) as db:
            db.execute(sql, params)
            row = db.execute("SELECT * FROM rooms WHERE id = ?", (room_id,)).fetchone()
        return None if row is None else _room(row)

    def _set_owner(self, room_id, owner, owner_key, owner_name):
        sql = "UPDATE rooms SET owner = ?, owner_key = ?, owner_name = ? WHERE id = ?"
        return self._update_room(room_id, sql, (owner, owner_key, owner_name, room_id))

    def _add_ban(self, room_id, user_key):
        # One statement, so two bans at once both count; UNION keeps each key once.
        sql = "UPDATE rooms SET banned = (SELECT json_group_array(value) FROM"
        sql += " (SELECT value FROM json_each(banned) UNION SELECT ?)) WHERE id = ?"
        return self._update_room(room_id, sql, (user_key, room_id))

    def _delete_room(self, room_id):
        with self.db.transaction(write=True) as db:
            media = db.execute("SELECT name FROM media WHERE room = ?", (room_id,)).fetchall()
            db.execute("DELETE FROM media WHERE room = ?", (room_id,))
            db.execute("DELETE FROM chats WHERE room = ?", (room_id,))
            deleted = db.execute("DELETE FROM rooms WHERE id = ?", (room_id,)).rowcount
        for row in media:
            try:
                (self.media_folder / row["name"]).unlink(missing_ok=True)
            except OSError as error:  # the room is gone all the same; a stray file costs space
                log.warning("could not remove GIF file %s: %s", row["name"], error)
        return deleted > 0

    def _insert_chat(self, chat):
        self.db.write(
            f"INSERT INTO chats ({CHAT_COLUMNS}) VALUES ({', '.join('?' * 16)})",
            (chat.id, chat.room, chat.user, chat.chat, chat.gif, chat.kind, chat.who, chat.to)
            + (chat.user_key, chat.to_key, chat.created_at.isoformat(), chat.name, chat.handle)
            + (int(chat.owner), chat.to_name, chat.to_handle),
        )

    def _find_chats(self, room_id, limit, cursor, newer, viewer_key):
        # One range scan of chats_by_room (room, id), forwards or backwards from the cursor.
        sql, params = "SELECT * FROM chats WHERE room = ?", [room_id]
        if cursor is not None:
            sql, params = sql + f" AND id {'>' if newer else '<'} ?", [*params, cursor]
        sql += " AND (recipient IS NULL OR user_key = ? OR to_key = ?)"
        sql += f" ORDER BY id {'ASC' if newer else 'DESC'} LIMIT ?"
        return [_chat(row) for row in self.db.query(sql, [*params, viewer_key, viewer_key, limit])]

    def _insert_media(self, name, room_id, data, created_at):
        # Written under a temporary name, then renamed: a failed write leaves no file behind.
        path = self.media_folder / name
        temporary = path.with_name(f".{name}.part")  # names are new ids: nobody else's
        try:
            temporary.write_bytes(data)
            temporary.replace(path)
            sql = "INSERT INTO media (name, room, created_at) VALUES (?, ?, ?)"
            self.db.write(sql, (name, room_id, created_at.isoformat()))
        except BaseException:
            for leftover in (temporary, path):
                with suppress(OSError):  # the first error is the one to report
                    leftover.unlink(missing_ok=True)
            raise

    def _find_media(self, name):
        rows = self.db.query("SELECT created_at FROM media WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            data = (self.media_folder / name).read_bytes()
        except FileNotFoundError:
            return None
        return Media(name, data, datetime.fromisoformat(rows[0]["created_at"]))

    def _ping(self):
        # Taking the write lock tells a locked or read-only file from a healthy one.
        with self.db.transaction(write=True) as db:
            db.execute("SELECT count(*) FROM sqlite_master")

    def close(self):
        self.db.close()
