"""Rows of the SQLite tables as the store's records, and back: one column for each field."""

import json
from datetime import datetime

from .models import Chat, Room, field_names

# The columns come from the records' field lists; a field whose column the first release
# named otherwise keeps that name, so an existing database opens unchanged.
ROOM_COLUMN = {"capacity": "max"}
CHAT_COLUMN = {"to": "recipient"}
ROOM_FIELDS = field_names(Room)
CHAT_FIELDS = [name for name in field_names(Chat) if name != "reactions"]  # a table of their own
ROOM_COLUMNS = ", ".join(ROOM_COLUMN.get(name, name) for name in ROOM_FIELDS)
CHAT_COLUMNS = ", ".join(CHAT_COLUMN.get(name, name) for name in CHAT_FIELDS)


def _time(text):
    return None if text is None else datetime.fromisoformat(text)


# How a column's value becomes a field's, where SQLite has no type for it.
ROOM_DECODE = {"created_at": _time, "banned": lambda text: frozenset(json.loads(text))}
CHAT_DECODE = {
    "created_at": _time,
    "edited_at": _time,
    "owner": bool,
    "reply_to": lambda text: None if text is None else json.loads(text),
}


def _column(value):
    """A field's value as SQLite keeps it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset):
        return json.dumps(sorted(value))
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def row_values(record, names) -> tuple:
    return tuple(_column(getattr(record, name)) for name in names)


def _fields(row, names, columns, decode) -> dict:
    found = {name: row[columns.get(name, name)] for name in names}
    return {name: decode.get(name, lambda value: value)(value) for name, value in found.items()}


def to_room(row) -> Room:
    return Room(**_fields(row, ROOM_FIELDS, ROOM_COLUMN, ROOM_DECODE))


def to_chat(row, reactions=()) -> Chat:
    return Chat(**_fields(row, CHAT_FIELDS, CHAT_COLUMN, CHAT_DECODE), reactions=tuple(reactions))


def with_reactions(query, rows) -> list[Chat]:
    """The chats of rows, each with its reactions: one more query, query(sql, params), a page."""
    given = {row["id"]: [] for row in rows}
    if given:
        marks = ", ".join("?" * len(given))
        sql = f"SELECT chat, emoji, user_key FROM reactions WHERE chat IN ({marks}) ORDER BY rowid"
        for reaction in query(sql, list(given)):
            given[reaction["chat"]].append((reaction["emoji"], reaction["user_key"]))
    return [to_chat(row, given[row["id"]]) for row in rows]
