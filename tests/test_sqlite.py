"""What only the SQLite backend has: its query plans, and which of its errors are outages."""

import random
import sqlite3
import threading
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
        ({"before_seq": 7}, "room=? AND seq<?"),
        ({"after_seq": 7}, "room=? AND seq>?"),
    ],
)
def test_a_page_of_chats_is_one_range_scan_of_the_room_index(store, monkeypatch, page, scan):
    """So a page costs the same with 100 or 1,000,000 messages in the room."""
    room = new_id()
    plans = plans_of(
        store, monkeypatch, lambda: store.chats(room, limit=50, viewer_key="k", **page)
    )
    assert plans == [f"SEARCH chats USING INDEX chats_by_room_seq ({scan})"]  # no sort afterwards


@pytest.mark.parametrize("cursor", ["before", "after"])
def test_a_cursor_id_is_one_lookup_of_its_seq(store, monkeypatch, cursor):
    room = store.create_room("Cats", 10, "#bf4082", None)
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    plans = plans_of(
        store, monkeypatch, lambda: store.chats(room.id, limit=50, **{cursor: chat.id})
    )
    assert plans == ["SEARCH chats USING INDEX sqlite_autoindex_chats_1 (id=?)"]


def test_a_query_of_ours_that_fails_is_a_bug_not_an_outage(store):
    with pytest.raises(sqlite3.ProgrammingError):
        store.add_chat(new_id(), "#bf4082", chat=object())
    assert store.chats(new_id(), limit=1) == []  # and the store carries on


def test_a_locked_database_is_unavailable_to_writers_then_heals(store, tmp_path):
    room = store.create_room("Cats", 10, "#bf4082", None)
    first = store.add_chat(room.id, "#bf4082", chat="first")
    with Locked(tmp_path / "gifchat.sqlite3").active(store):
        with pytest.raises(StoreUnavailable, match="gifchat.sqlite3: database is locked"):
            store.add_chat(room.id, "#bf4082", chat="lost")
        with pytest.raises(StoreUnavailable):
            store.edit_chat(first.id, "changed")
        with pytest.raises(StoreUnavailable):
            store.ping()  # so a readiness check reports it
        assert store.get_room(room.id) == room  # readers still read (write-ahead log)
        assert store.search_chats(room.id, "first", limit=10) == [first]
    kept = store.add_chat(room.id, "#bf4082", chat="kept")
    assert kept.seq == 2  # the lost message took no seq: its transaction was rolled back
    assert store.chats(room.id, limit=10) == [kept, first]


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


def test_seqs_stay_unique_and_in_order_under_writers_on_one_file(tmp_path):
    """Two stores on one file (as two processes have), two threads writing through each."""
    stores = [SQLiteStore(tmp_path / "shared.sqlite3", tmp_path / "uploads") for _ in range(2)]
    room = stores[0].create_room("Cats", 10, "#bf4082", None)
    stored = {}

    def write(writer: int):
        store = stores[writer % 2]
        stored[writer] = [
            store.add_chat(room.id, "#bf4082", chat=f"{writer}:{n}") for n in range(40)
        ]

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = sorted(chat.seq for chats in stored.values() for chat in chats)
    assert seqs == list(range(1, 161))  # each once, none skipped
    for chats in stored.values():  # each writer's own messages in the order it stored them
        assert [chat.seq for chat in chats] == sorted(chat.seq for chat in chats)
    history = stores[1].chats(room.id, limit=200)
    assert [chat.seq for chat in history] == seqs[::-1]
    for store in stores:
        store.close()


# A database as the release before seqs made it: no seq column, no counters, (room, id) index.
OLD_SCHEMA = """
CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, max INTEGER NOT NULL,
    owner TEXT NOT NULL, password_hash TEXT, owner_key TEXT, banned TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL, owner_name TEXT);
CREATE TABLE chats (id TEXT PRIMARY KEY, room TEXT NOT NULL, user TEXT NOT NULL,
    chat TEXT, gif TEXT, kind TEXT, who TEXT, recipient TEXT, user_key TEXT, to_key TEXT,
    created_at TEXT NOT NULL, name TEXT, handle TEXT, owner INTEGER, to_name TEXT,
    to_handle TEXT);
CREATE INDEX chats_by_room ON chats (room, id);
"""


def old_database(path, rooms: dict[str, int], shuffled=True) -> dict[str, list[str]]:
    """An old-schema file with `count` chats in each room, stored in a shuffled order."""
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    ids = {room: sorted(new_id() for _ in range(count)) for room, count in rooms.items()}
    rows = [
        (chat_id, room, f"said {n}")
        for room, chats in ids.items()
        for n, chat_id in enumerate(chats)
    ]
    if shuffled:
        random.Random(7).shuffle(rows)  # the rowid order is not the order: ids are
    db.executemany(
        "INSERT INTO chats (id, room, user, chat, created_at) VALUES (?, ?, '#bf4082', ?,"
        " '2024-01-01T00:00:00+00:00')",
        rows,
    )
    db.commit()
    db.close()
    return ids


def test_an_old_database_gets_seqs_in_id_order_on_opening_once(tmp_path):
    path = tmp_path / "old.sqlite3"
    ids = old_database(path, {"a" * 24: 30, "b" * 24: 5})
    store = SQLiteStore(path, tmp_path / "uploads")
    for room, chat_ids in ids.items():
        history = store.chats(room, limit=100)[::-1]
        assert [chat.id for chat in history] == chat_ids  # none lost, none reordered
        assert [chat.seq for chat in history] == list(range(1, len(chat_ids) + 1))
        assert [chat.chat for chat in history] == [f"said {n}" for n in range(len(chat_ids))]
    assert store.add_chat("b" * 24, "#bf4082", chat="new").seq == 6  # after the numbered ones
    store.close()
    again = SQLiteStore(path, tmp_path / "uploads")  # opening again changes nothing
    assert [chat.seq for chat in again.chats("b" * 24, limit=100)] == [6, 5, 4, 3, 2, 1]
    assert again.chats("a" * 24, limit=2, after=ids["a" * 24][27]) == again.chats(
        "a" * 24, limit=2, after_seq=28
    )
    again.close()


def test_chats_an_earlier_release_stores_later_are_numbered_after_the_rest(tmp_path):
    """A process of the release before, still running beside the new one, stores no seq."""
    path = tmp_path / "mixed.sqlite3"
    store = SQLiteStore(path, tmp_path / "uploads")
    room = "c" * 24
    first = store.add_chat(room, "#bf4082", chat="first")
    store.close()
    db = sqlite3.connect(path)
    late = new_id()
    db.execute(
        "INSERT INTO chats (id, room, user, chat, created_at) VALUES (?, ?, '#bf4082', 'late',"
        " '2024-01-01T00:00:00+00:00')",
        (late, room),
    )
    db.commit()
    db.close()
    store = SQLiteStore(path, tmp_path / "uploads")
    assert [(chat.id, chat.seq) for chat in store.chats(room, limit=10)] == [
        (late, 2),
        (first.id, 1),
    ]
    assert store.add_chat(room, "#bf4082", chat="next").seq == 3
    store.close()


def test_a_search_is_answered_by_the_trigram_index_newest_first(store, monkeypatch):
    """So a search costs about the same in a room of 100 or 1,000,000 messages."""
    plans = plans_of(store, monkeypatch, lambda: store.search_chats(new_id(), "popcorn", limit=50))
    assert plans[0].startswith("SCAN chats_text VIRTUAL TABLE INDEX")
    assert plans[1:] == ["SEARCH chats USING INTEGER PRIMARY KEY (rowid=?)"]  # and no sort


@pytest.mark.parametrize("q", ["po", "영화"])
def test_a_short_search_scans_the_room_newest_first(store, monkeypatch, q):
    plans = plans_of(store, monkeypatch, lambda: store.search_chats(new_id(), q, limit=50))
    assert plans == ["SEARCH chats USING INDEX chats_by_room_seq (room=? AND seq<?)"]


@pytest.mark.parametrize("shuffled", [False, True])
def test_an_old_database_is_searchable_newest_first_after_opening(tmp_path, shuffled):
    """Even where the release before stored its chats out of id order (two processes)."""
    path = tmp_path / "old.sqlite3"
    ids = old_database(path, {"a" * 24: 12, "b" * 24: 3}, shuffled=shuffled)
    store = SQLiteStore(path, tmp_path / "uploads")
    found = store.search_chats("a" * 24, "said 1", limit=10)
    assert [chat.id for chat in found] == [ids["a" * 24][n] for n in (11, 10, 1)]
    pages, before = [], None
    for _ in range(12):  # one at a time: each found once, in seq order
        page = store.search_chats("a" * 24, "said", limit=1, before_seq=before)
        if not page:
            break
        pages += page
        before = page[-1].seq
    assert [chat.id for chat in pages] == ids["a" * 24][::-1]
    assert [c.id for c in store.chats("b" * 24, limit=5)] == ids["b" * 24][::-1]
    assert store.get_chat(ids["a" * 24][3]).chat == "said 3"  # ids still name their chats
    store.close()
    again = SQLiteStore(path, tmp_path / "uploads")  # the index is made once, not twice
    assert len(again.search_chats("a" * 24, "said 1", limit=10)) == 3
    again.close()
