"""The embedded default: SQLite for rooms and chats, GIF files in a folder."""

import logging
import time
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

from .base import Store, guarded
from .models import Media
from .sqlite_connection import Connection, is_outage
from .sqlite_files import probe_folder, probe_write
from .sqlite_rows import (
    CHAT_COLUMNS,
    CHAT_FIELDS,
    ROOM_COLUMNS,
    ROOM_FIELDS,
    row_values,
    to_room,
    with_reactions,
)
from .sqlite_schema import NEXT_SEQ, create_schema
from .sqlite_search import fold, search_query

log = logging.getLogger(__name__)


def _reader(db):
    """query(sql, params) inside a transaction already open."""
    return lambda sql, params=(): db.execute(sql, params).fetchall()


class SQLiteStore(Store):
    """Rooms and chats in one SQLite file; GIFs as files in media_folder, listed in the file."""

    def __init__(self, path, media_folder, busy_timeout: float = 5.0):
        self.path = str(path)
        self.media_folder = Path(media_folder)
        self.media_folder.mkdir(parents=True, exist_ok=True)
        self.db = Connection(self.path, busy_timeout, functions={"fold": fold})
        self._create_schema()

    @guarded
    def _create_schema(self) -> None:
        create_schema(self.db)

    def _is_outage(self, error):
        # OSError: the media folder is full, read-only or gone.
        return is_outage(error) or isinstance(error, OSError)

    def _describe(self, error):
        return f"SQLite database {self.path}: {error}"

    def _insert_room(self, room):
        marks = ", ".join("?" * len(ROOM_FIELDS))
        sql = f"INSERT INTO rooms ({ROOM_COLUMNS}) VALUES ({marks})"
        self.db.write(sql, row_values(room, ROOM_FIELDS))

    def _find_room(self, room_id):
        rows = self.db.query("SELECT * FROM rooms WHERE id = ?", (room_id,))
        return to_room(rows[0]) if rows else None

    def _find_rooms(self):
        return [
            to_room(row) for row in self.db.query("SELECT * FROM rooms ORDER BY created_at, id")
        ]

    def _find_owned_rooms(self, owner_key):
        rows = self.db.query("SELECT * FROM rooms WHERE owner_key = ?", (owner_key,))
        return [to_room(row) for row in rows]

    def _update_room(self, room_id, sql, params):
        with self.db.transaction(write=True) as db:
            db.execute(sql, params)
            row = db.execute("SELECT * FROM rooms WHERE id = ?", (room_id,)).fetchone()
        return None if row is None else to_room(row)

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
            db.execute("DELETE FROM room_seqs WHERE room = ?", (room_id,))  # ids are never reused
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
        marks = ", ".join("?" * len(CHAT_FIELDS))
        sql = f"INSERT INTO chats ({CHAT_COLUMNS}) VALUES ({marks})"
        with self.db.transaction(write=True) as db:
            chat = replace(chat, seq=db.execute(NEXT_SEQ, (chat.room,)).fetchone()["seq"])
            db.execute(sql, row_values(chat, CHAT_FIELDS))
        return chat

    def _seq_of(self, room_id, chat_id):
        rows = self.db.query("SELECT seq FROM chats WHERE id = ? AND room = ?", (chat_id, room_id))
        return rows[0]["seq"] if rows else None

    def _find_chats(self, room_id, limit, seq, newer, viewer_key):
        # One range scan of chats_by_room_seq (room, seq), forwards or backwards from seq.
        sql, params = "SELECT * FROM chats WHERE room = ?", [room_id]
        if seq is not None:
            sql, params = sql + f" AND seq {'>' if newer else '<'} ?", [*params, seq]
        sql += " AND (recipient IS NULL OR user_key = ? OR to_key = ?)"
        sql += f" ORDER BY seq {'ASC' if newer else 'DESC'} LIMIT ?"
        rows = self.db.query(sql, [*params, viewer_key, viewer_key, limit])
        return with_reactions(self.db.query, rows)

    def _find_chat(self, chat_id):
        rows = self.db.query("SELECT * FROM chats WHERE id = ?", (chat_id,))
        return with_reactions(self.db.query, rows)[0] if rows else None

    def _edit_chat(self, chat_id, text, edited_at):
        sql = "UPDATE chats SET chat = ?, edited_at = ? WHERE id = ? AND gif IS NULL"
        sql += " AND user != 'system'"  # the search index follows by its trigger
        with self.db.transaction(write=True) as db:
            if not db.execute(sql, (text, edited_at.isoformat(), chat_id)).rowcount:
                return None
            rows = db.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)).fetchall()
            return with_reactions(_reader(db), rows)[0]

    def _search_chats(self, room_id, q, limit, before_seq, viewer_key):
        rows = self.db.query(*search_query(room_id, q, limit, before_seq, viewer_key))
        return with_reactions(self.db.query, rows)

    def _delete_chat(self, chat_id):
        unused = []
        with self.db.transaction(write=True) as db:
            rows = db.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)).fetchall()
            if not rows:
                return None
            chat = with_reactions(_reader(db), rows)[0]
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
            return with_reactions(_reader(db), rows)[0]

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
        path = self.media_folder / name
        if not path.is_file():
            return None
        # Named, not read: it is served from disk a piece at a time (app/chat/downloads.py).
        created_at = datetime.fromisoformat(rows[0]["created_at"])
        return Media(
            name=name,
            created_at=created_at,
            size=path.stat().st_size,
            open=partial(path.open, "rb"),
            room=rows[0]["room"],
            path=str(path),
        )

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
