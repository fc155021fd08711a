"""The embedded default: SQLite for rooms and chats, GIF files in a folder."""

import json
import logging
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from .base import Store, guarded
from .models import Chat, Media, Room
from .sqlite_connection import Connection, is_outage
from .sqlite_files import probe_folder, probe_write

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
CREATE INDEX IF NOT EXISTS chats_gifs_by_room ON chats (room, id) WHERE gif IS NOT NULL;
CREATE INDEX IF NOT EXISTS chats_gifs_by_user ON chats (user_key, id) WHERE gif IS NOT NULL;
CREATE INDEX IF NOT EXISTS chats_by_gif ON chats (gif) WHERE gif IS NOT NULL;
CREATE TABLE IF NOT EXISTS reactions (room TEXT NOT NULL, chat TEXT NOT NULL,
    emoji TEXT NOT NULL, user_key TEXT NOT NULL, UNIQUE (chat, emoji, user_key));
CREATE INDEX IF NOT EXISTS reactions_by_room ON reactions (room);
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


def _chat(row, reactions=()) -> Chat:
    created_at = datetime.fromisoformat(row["created_at"])
    fields = (row[key] for key in ("chat", "gif", "kind", "who", "recipient", "user_key", "to_key"))
    people = (row["name"], row["handle"], bool(row["owner"]), row["to_name"], row["to_handle"])
    return Chat(row["id"], row["room"], row["user"], created_at, *fields, *people, tuple(reactions))


def _with_reactions(query, rows) -> list[Chat]:
    """The chats of rows, each with its reactions: one more query, query(sql, params), a page."""
    given = {row["id"]: [] for row in rows}
    if given:
        marks = ", ".join("?" * len(given))
        sql = f"SELECT chat, emoji, user_key FROM reactions WHERE chat IN ({marks}) ORDER BY rowid"
        for reaction in query(sql, list(given)):
            given[reaction["chat"]].append((reaction["emoji"], reaction["user_key"]))
    return [_chat(row, given[row["id"]]) for row in rows]


def _reader(db):
    """query(sql, params) inside a transaction already open."""
    return lambda sql, params=(): db.execute(sql, params).fetchall()


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
            db.execute("DELETE FROM reactions WHERE room = ?", (room_id,))
            db.execute("DELETE FROM chats WHERE room = ?", (room_id,))
            deleted = db.execute("DELETE FROM rooms WHERE id = ?", (room_id,)).rowcount
        self._unlink(row["name"] for row in media)
        return deleted > 0

    def _unlink(self, names) -> None:
        for name in names:
            try:
                (self.media_folder / name).unlink(missing_ok=True)
            except OSError as error:  # the rows are gone all the same; a stray file costs space
                log.warning("could not remove GIF file %s: %s", name, error)

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
        rows = self.db.query(sql, [*params, viewer_key, viewer_key, limit])
        return _with_reactions(self.db.query, rows)

    def _find_chat(self, chat_id):
        rows = self.db.query("SELECT * FROM chats WHERE id = ?", (chat_id,))
        return _with_reactions(self.db.query, rows)[0] if rows else None

    def _delete_chat(self, chat_id):
        unused = []
        with self.db.transaction(write=True) as db:
            rows = db.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)).fetchall()
            if not rows:
                return None
            chat = _with_reactions(_reader(db), rows)[0]
            db.execute("DELETE FROM reactions WHERE chat = ?", (chat_id,))
            db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))
            shown = db.execute("SELECT 1 FROM chats WHERE gif = ? LIMIT 1", (chat.gif,)).fetchall()
            if chat.gif is not None and not shown:
                if db.execute("DELETE FROM media WHERE name = ?", (chat.gif,)).rowcount:
                    unused.append(chat.gif)
        self._unlink(unused)
        return chat

    def _toggle_reaction(self, chat_id, emoji, user_key):
        with self.db.transaction(write=True) as db:
            found = db.execute("SELECT room FROM chats WHERE id = ?", (chat_id,)).fetchone()
            if found is None:
                return None
            given = (chat_id, emoji, user_key)
            sql = "DELETE FROM reactions WHERE chat = ? AND emoji = ? AND user_key = ?"
            if not db.execute(sql, given).rowcount:
                sql = "INSERT INTO reactions (room, chat, emoji, user_key) VALUES (?, ?, ?, ?)"
                db.execute(sql, (found["room"], *given))
            rows = db.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)).fetchall()
            return _with_reactions(_reader(db), rows)[0]

    def _gif_chats(self, field, value, limit):
        column = {"room": "room", "user_key": "user_key"}[field]
        sql = f"SELECT id, gif FROM chats WHERE {column} = ? AND gif IS NOT NULL"
        sql += " AND recipient IS NULL ORDER BY id DESC LIMIT ?"
        return [(row["id"], row["gif"]) for row in self.db.query(sql, (value, limit))]

    def _gif_shown(self, name, room_id, user_key):
        sql = "SELECT 1 FROM chats WHERE gif = ? AND recipient IS NULL"
        sql += " AND (room = ? OR user_key = ?) LIMIT 1"
        return bool(self.db.query(sql, (name, room_id, user_key)))

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
        rows = self.db.query("SELECT room, created_at FROM media WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            data = (self.media_folder / name).read_bytes()
        except FileNotFoundError:
            return None
        return Media(name, data, datetime.fromisoformat(rows[0]["created_at"]), rows[0]["room"])

    def _ping(self):
        # Taking the write lock tells a locked or read-only file from a healthy one.
        with self.db.transaction(write=True) as db:
            db.execute("SELECT count(*) FROM sqlite_master")

    @guarded
    def probe_write(self):
        # A lock, a read-only file or a full disk each fails it, and it passes once they end.
        with self.db.transaction(write=True) as db:
            probe_write(db, time.time())
        probe_folder(self.media_folder)

    def close(self):
        self.db.close()
