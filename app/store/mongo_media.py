"""GIFs in MongoDB: a document for each GIF and its bytes in chunks, read one chunk at a time.

A GIF was one document with its bytes inline, and the driver reads a document whole: every
download held the whole file for as long as the client took to read it. GridFS keeps the bytes
in chunks too, but its reader asks for all of a file's chunks in one cursor, whose first batch
(up to 16 MiB) brings a 5 MiB GIF whole, and mongomock cannot run it. So the chunks live in a
collection of their own, and a download fetches the next one only when it is read.
"""

import io

from pymongo import ASCENDING

from .models import Media
from .mongo_docs import utc

CHUNK_BYTES = 255 * 1024  # GridFS's default: a few reads of a download's 64 KiB blocks


class MediaChunks:
    """The `media` collection (one document a GIF) and `media_chunks` (its bytes)."""

    def __init__(self, db):
        self.files = db["media"]  # {_id, room, createdAt, length, chunks}
        self.chunks = db["media_chunks"]  # {media: the GIF's _id, n, room, data}

    def create_indexes(self) -> int:
        """The indexes reads and deletions use; GIFs stored inline moved to chunks (how many)."""
        self.files.create_index([("room", ASCENDING)], name="media_by_room")
        self.chunks.create_index(
            [("media", ASCENDING), ("n", ASCENDING)], name="chunks_by_media", unique=True
        )
        self.chunks.create_index([("room", ASCENDING)], name="chunks_by_room")
        moved = 0
        for doc in self.files.find({"data": {"$exists": True}}):
            self._write_chunks(doc["_id"], doc.get("room"), doc["data"])
            changes = {"$set": self._sizes(doc["data"]), "$unset": {"data": ""}}
            moved += self.files.update_one({"_id": doc["_id"]}, changes).modified_count
        return moved

    def insert(self, media_id, room_id, data: bytes, created_at) -> None:
        # Chunks first: a GIF is found only once its document exists, and then it is whole.
        self._write_chunks(media_id, room_id, data)
        doc = {"_id": media_id, "room": room_id, "createdAt": created_at, **self._sizes(data)}
        try:
            self.files.insert_one(doc)
        except BaseException:
            self.chunks.delete_many({"media": media_id})
            raise

    def find(self, media_id, name: str) -> Media | None:
        doc = self.files.find_one({"_id": media_id}, {"data": 0})
        if doc is None:
            return None
        if "length" in doc:
            size = doc["length"]
            count = doc["chunks"]
            opener = lambda: io.BufferedReader(ChunkReader(self.chunks, media_id, count))  # noqa: E731
        else:  # stored inline by a process not yet upgraded: read whole, as it was then
            data = self.files.find_one({"_id": media_id}, {"data": 1})["data"]
            size = len(data)
            opener = lambda: io.BytesIO(data)  # noqa: E731
        created_at = utc(doc["createdAt"])
        return Media(name=name, created_at=created_at, size=size, open=opener, room=doc.get("room"))

    def delete(self, media_id) -> None:
        self.files.delete_one({"_id": media_id})
        self.chunks.delete_many({"media": media_id})

    def delete_room(self, room_id: str) -> None:
        self.files.delete_many({"room": room_id})
        self.chunks.delete_many({"room": room_id})

    def _write_chunks(self, media_id, room_id, data: bytes) -> None:
        self.chunks.delete_many({"media": media_id})  # a move interrupted before: start again
        pieces = [data[at : at + CHUNK_BYTES] for at in range(0, len(data), CHUNK_BYTES)]
        if pieces:
            self.chunks.insert_many(
                {"media": media_id, "n": n, "room": room_id, "data": piece}
                for n, piece in enumerate(pieces)
            )

    @staticmethod
    def _sizes(data: bytes) -> dict:
        return {"length": len(data), "chunks": -(-len(data) // CHUNK_BYTES)}


class ChunkReader(io.RawIOBase):
    """A GIF's bytes, its chunks fetched one at a time as they are read.

    A chunk deleted meanwhile (the GIF was) ends the bytes early; the answer is then shorter
    than its Content-Length and the server closes the connection, as for a vanished file.
    """

    def __init__(self, chunks, media_id, count: int):
        self._chunks = chunks
        self._media_id = media_id
        self._count = count
        self._next = 0
        self._held = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._held and self._next < self._count:
            doc = self._chunks.find_one({"media": self._media_id, "n": self._next}, {"data": 1})
            self._next += 1
            self._held = memoryview(doc["data"] if doc is not None else b"")
            if doc is None:
                self._next = self._count
        taken = min(len(buffer), len(self._held))
        buffer[:taken] = self._held[:taken]
        self._held = self._held[taken:]
        return taken
