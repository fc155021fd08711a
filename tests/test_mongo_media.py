"""GIFs in MongoDB: kept in chunks and read one chunk at a time, old inline GIFs moved."""

import os

import mongomock
import pytest
from bson import ObjectId

from app.store.base import utcnow
from app.store.mongo import MongoStore
from app.store.mongo_media import CHUNK_BYTES

BLOCK = 64 * 1024  # what a download reads at a time (app/chat/downloads.py)
BIG = b"GIF89a" + os.urandom(5 * 1024 * 1024)


@pytest.fixture
def client():
    return mongomock.MongoClient()


@pytest.fixture
def store(client):
    store = MongoStore.from_uri("mongodb://localhost/chatdb", client_class=lambda *a, **k: client)
    yield store
    store.close()


class Counting:
    """A collection whose find_one calls are counted: each is a chunk fetched."""

    def __init__(self, collection):
        self.collection = collection
        self.fetched = 0

    def find_one(self, *args, **kwargs):
        self.fetched += 1
        return self.collection.find_one(*args, **kwargs)


def test_a_download_holds_one_chunk_not_the_file(store):
    room = store.create_room("gifs", 10, "#aaaaaa", None)
    name = store.save_media(room.id, BIG)
    counting = Counting(store._media.chunks)
    store._media.chunks = counting
    media = store.open_media(name)
    assert media.size == len(BIG)
    with media.open() as source:
        assert source.read(BLOCK) == BIG[:BLOCK]
        assert counting.fetched == 1  # 255 KiB of 5 MiB held, not the whole GIF
        rest = b"".join(iter(lambda: source.read(BLOCK), b""))
    assert BLOCK + len(rest) == len(BIG) and rest == BIG[BLOCK:]
    assert counting.fetched == -(-len(BIG) // CHUNK_BYTES)


def test_gifs_stored_whole_move_into_chunks_and_keep_their_names(client, store):
    room = store.create_room("old", 10, "#aaaaaa", None)
    old = ObjectId()
    store.db.media.insert_one({"_id": old, "room": room.id, "data": BIG, "createdAt": utcnow()})
    name = f"{old}.gif"
    # Stored by a process not yet upgraded: served as it is.
    assert store.open_media(name).read() == BIG
    again = MongoStore.from_uri("mongodb://localhost/chatdb", client_class=lambda *a, **k: client)
    doc = again.db.media.find_one({"_id": old})
    assert "data" not in doc and doc["length"] == len(BIG)
    assert again.open_media(name).read() == BIG
    assert again._media.create_indexes() == 0  # nothing left to move


def test_deletions_take_the_chunks_along(store):
    room = store.create_room("gifs", 10, "#aaaaaa", None)
    kept = store.save_media(room.id, BIG)
    other = store.create_room("other", 10, "#aaaaaa", None)
    shown = store.save_media(other.id, BIG)
    chat = store.add_chat(other.id, "#aaaaaa", gif=shown)
    store.delete_chat(chat.id)
    assert store.open_media(shown) is None
    assert store.db.media_chunks.count_documents({"room": other.id}) == 0
    store.delete_room(room.id)
    assert store.open_media(kept) is None
    assert store.db.media_chunks.count_documents({}) == 0


def test_a_gif_deleted_while_it_is_read_ends_early(store):
    room = store.create_room("gifs", 10, "#aaaaaa", None)
    name = store.save_media(room.id, BIG)
    with store.open_media(name).open() as source:
        first = source.read(BLOCK)
        store.delete_room(room.id)
        rest = b"".join(iter(lambda: source.read(BLOCK), b""))
    assert first == BIG[:BLOCK] and len(first) + len(rest) < len(BIG)
