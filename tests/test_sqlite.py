"""What only the SQLite backend has: its query plans, and which of its errors are outages."""

import sqlite3
from pathlib import Path

import pytest

from app.store.base import StoreUnavailable, new_id
from app.store.sqlite import SQLiteStore

from .faults import Locked


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "gifchat.sqlite3", tmp_path / "uploads", busy_timeout=0.05)
    yield store
    store.close()


def plans_of(store, monkeypatch, call) -> list[str]:
    """EXPLAIN QUERY PLAN of each query call() makes the store run."""
    seen = []
    query = store.db.query
    monkeypatch.setattr(store.db, "query", lambda sql, params=(): seen.append((sql, params)) or [])
    call()
    monkeypatch.setattr(store.db, "query", query)
    return [
        row["detail"] for sql, params in seen for row in query(f"EXPLAIN QUERY PLAN {sql}", params)
    ]


@pytest.mark.parametrize(
    "page, scan",
    [
        ({}, "room=?"),
        ({"before": "0" * 24}, "room=? AND id<?"),
        ({"after": "0" * 24}, "room=? AND id>?"),
    ],
)
def test_a_page_of_chats_is_one_range_scan_of_the_room_index(store, monkeypatch, page, scan):
    """So a page costs the same with 100 or 1,000,000 messages in the room."""
    room = new_id()
    plans = plans_of(
        store, monkeypatch, lambda: store.chats(room, limit=50, viewer_key="k", **page)
    )
    assert plans == [f"SEARCH chats USING INDEX chats_by_room ({scan})"]  # no sort afterwards


def test_a_query_of_ours_that_fails_is_a_bug_not_an_outage(store):
    with pytest.raises(sqlite3.ProgrammingError):
        store.add_chat(new_id(), "#bf4082", chat=object())
    assert store.chats(new_id(), limit=1) == []  # and the store carries on


def test_a_locked_database_is_unavailable_to_writers_then_heals(store, tmp_path):
    room = store.create_room("Cats", 10, "#bf4082", None)
    with Locked(tmp_path / "gifchat.sqlite3").active(store):
        with pytest.raises(StoreUnavailable, match="gifchat.sqlite3: database is locked"):
            store.add_chat(room.id, "#bf4082", chat="lost")
        with pytest.raises(StoreUnavailable):
            store.ping()  # so a readiness check reports it
        assert store.get_room(room.id) == room  # readers still read (write-ahead log)
    kept = store.add_chat(room.id, "#bf4082", chat="kept")
    assert store.chats(room.id, limit=10) == [kept]


def test_a_gif_file_that_cannot_be_removed_does_not_keep_its_room(store, monkeypatch, caplog):
    room = store.create_room("Cats", 10, "#bf4082", None)
    name = store.save_media(room.id, b"GIF89a")

    def refuse(path, missing_ok=False):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "unlink", refuse)
    assert store.delete_room(room.id) is True
    assert store.get_room(room.id) is None and store.open_media(name) is None
    assert name in caplog.text


@pytest.mark.parametrize(
    "call, index",
    [
        (lambda store: store.recent_gifs(new_id(), "k", limit=10), "chats_gifs_by_room"),
        (lambda store: store.recent_gifs(new_id(), "k", limit=10), "chats_gifs_by_user"),
        (lambda store: store.reuse_gif(new_id() + ".gif", new_id(), "k"), "chats_by_gif"),
    ],
)
def test_gif_lookups_use_their_index(store, monkeypatch, call, index):
    """So the GIF picker costs the same however long a room's history."""
    plans = plans_of(store, monkeypatch, lambda: call(store))
    assert any(f"USING INDEX {index}" in plan for plan in plans), plans


def test_the_columns_are_the_records_fields(store):
    """Chat and Room name their fields once; the tables hold exactly those (old names kept)."""
    from app.store.sqlite import CHAT_COLUMNS, ROOM_COLUMNS

    def columns(table):
        return {row["name"] for row in store.db.query(f"PRAGMA table_info({table})")}

    assert set(CHAT_COLUMNS.split(", ")) == columns("chats")
    assert set(ROOM_COLUMNS.split(", ")) == columns("rooms")
    assert "recipient" in columns("chats") and "max" in columns("rooms")
