"""The production backend: MongoDB through pymongo, GIFs in chunks (store/mongo_media.py)."""

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient, ReturnDocument
from pymongo.errors import ConfigurationError, ConnectionFailure

from .base import Store, guarded
from .models import SYSTEM
from .mongo_docs import CHAT_KEYS, ROOM_KEYS, is_empty, to_chat, to_room, visible_to
from .mongo_media import MediaChunks
from .mongo_order import number_chats, take_seqs
from .mongo_uri import mask_uri, password_of

log = logging.getLogger(__name__)

SERVER_SELECTION_TIMEOUT_MS = 5000


class MongoStore(Store):
    """Collections rooms, chats, media and media_chunks in one database; ids are ObjectIds."""

    def __init__(self, client, database: str, where: str = "the configured URI"):
        self.client = client  # shared with Flask-Session, one client per process
        self.db = client[database]
        self.where = where
        self._rooms, self._chats = self.db["rooms"], self.db["chats"]
        self._media = MediaChunks(self.db)
        self._seqs = self.db["room_seqs"]  # {_id: room id, seq: the last seq given}

    @classmethod
    def from_uri(cls, uri: str, client_class=None, *, database: str | None = None):
        """Connect to uri (its database, else gifchat) and make sure the indexes exist."""
        where = mask_uri(uri)
        options = {"tz_aware": True, "appname": "gifchat"}
        # pymongo lets keyword arguments override URI options; a timeout in the URI must win.
        if "serverselectiontimeoutms" not in uri.lower():
            options["serverSelectionTimeoutMS"] = SERVER_SELECTION_TIMEOUT_MS
        try:
            client = (client_class or MongoClient)(uri, **options)
        except (ConfigurationError, ValueError) as exc:
            secret = password_of(uri)
            # An unescaped / or ? splits the password and pymongo may echo a piece of it.
            leaky = secret and (secret in str(exc) or re.search(r"[/?#]", secret))
            reason = "escape user and password with urllib.parse.quote_plus" if leaky else exc
            raise ConfigurationError(f"bad MongoDB URI {where}: {reason}") from None
        name = database or client.get_default_database(default="gifchat").name
        log.info("Using MongoDB database %s at %s", name, where)
        store = cls(client, name, where)
        try:
            store.create_indexes()
        except BaseException:
            client.close()
            raise
        return store

    @guarded
    def create_indexes(self) -> None:
        """Create the indexes the queries need, and number chats stored before seqs existed.

        A no-op when all is done already, as at every start after the first.
        """
        # Chat pages are one range scan of (room, seq), read backwards or forwards.
        by_seq = [("room", ASCENDING), ("seq", ASCENDING)]
        self._chats.create_index(by_seq, name="chats_by_room_seq")
        if number_chats(self._chats, self._seqs):
            log.info("Numbered the chats stored before seqs, per room in _id order")
        # (room, _id) served the pages before seqs, and the numbering above; nothing since.
        if "chats_by_room" in self._chats.index_information():
            self._chats.drop_index("chats_by_room")
        self._rooms.create_index(
            [("createdAt", ASCENDING), ("_id", ASCENDING)], name="rooms_by_created"
        )
        self._rooms.create_index([("ownerKey", ASCENDING)], name="rooms_by_owner")
        if moved := self._media.create_indexes():
            log.info("Moved %d GIFs stored whole in their documents into chunks", moved)
        gifs = {"partialFilterExpression": {"gif": {"$exists": True}}}
        self._chats.create_index([("gif", ASCENDING)], name="chats_by_gif", **gifs)
        self._chats.create_index(
            [("userKey", ASCENDING), ("_id", ASCENDING)], name="chats_gifs_by_user", **gifs
        )

    def _is_outage(self, error):
        # Other errors (a refused operation, a bad query) are faults of ours, not outages.
        return isinstance(error, ConnectionFailure)

    def _describe(self, error):
        return f"MongoDB at {self.where} is unreachable"

    def _insert_room(self, room):
        # The hash never leaves the server: Room.to_json says only whether there is one.
        doc = {key: getattr(room, name) for name, key in ROOM_KEYS.items()}
        doc.update(_id=ObjectId(room.id), banned=sorted(room.banned))
        self._rooms.insert_one(doc)

    def _find_room(self, room_id):
        return to_room(self._rooms.find_one({"_id": ObjectId(room_id)}))

    def _find_rooms(self):
        return [to_room(doc) for doc in self._rooms.find().sort([("createdAt", 1), ("_id", 1)])]

    def _find_owned_rooms(self, owner_key):
        return [to_room(doc) for doc in self._rooms.find({"ownerKey": owner_key})]

    def _update_room(self, room_id, update):
        after = ReturnDocument.AFTER
        found = self._rooms.find_one_and_update(
            {"_id": ObjectId(room_id)}, update, return_document=after
        )
        return to_room(found)

    def _set_owner(self, room_id, owner, owner_key, owner_name):
        changes = {"owner": owner, "ownerKey": owner_key, "ownerName": owner_name}
        return self._update_room(room_id, {"$set": changes})

    def _add_ban(self, room_id, user_key):
        return self._update_room(room_id, {"$addToSet": {"banned": user_key}})

    def _delete_room(self, room_id):
        # The room goes first so nobody is admitted while its chats and media go; these are
        # deleted even for an unknown room, which sweeps up after an interrupted deletion.
        deleted = self._rooms.delete_one({"_id": ObjectId(room_id)}).deleted_count
        self._chats.delete_many({"room": room_id})
        self._seqs.delete_one({"_id": room_id})  # room ids are never reused
        self._media.delete_room(room_id)
        return deleted > 0

    def _insert_chat(self, chat):
        # Empty fields are left out, as the first release did; chats and media keep their
        # room's hex id, as the API gives it.
        doc = {key: getattr(chat, name) for name, key in CHAT_KEYS.items()}
        doc = {key: value for key, value in doc.items() if not is_empty(value)}
        chat = replace(chat, seq=take_seqs(self._seqs, chat.room))
        self._chats.insert_one({**doc, "_id": ObjectId(chat.id), "seq": chat.seq})
        return chat

    def _seq_of(self, room_id, chat_id):
        doc = self._chats.find_one({"_id": ObjectId(chat_id), "room": room_id}, {"seq": 1})
        return None if doc is None else doc.get("seq")

    def _find_chats(self, room_id, limit, seq, newer, viewer_key):
        query = {"room": room_id}
        if seq is not None:
            query["seq"] = {"$gt" if newer else "$lt": seq}
        query.update(visible_to(viewer_key))
        cursor = self._chats.find(query).sort("seq", ASCENDING if newer else DESCENDING)
        return [to_chat(doc) for doc in cursor.limit(limit)]

    def _find_chat(self, chat_id):
        doc = self._chats.find_one({"_id": ObjectId(chat_id)})
        return None if doc is None else to_chat(doc)

    def _edit_chat(self, chat_id, text, edited_at):
        text_message = {"_id": ObjectId(chat_id), "gif": None, "user": {"$ne": SYSTEM}}
        changes = {"$set": {"chat": text, "editedAt": edited_at}}
        found = self._chats.find_one_and_update(
            text_message, changes, return_document=ReturnDocument.AFTER
        )
        return None if found is None else to_chat(found)

    def _search_chats(self, room_id, q, limit, before_seq, viewer_key):
        # An escaped regex over the room's (room, seq) index, newest first, until a page is
        # found: bounded by the room and the page, a substring in any script and case.
        query = {"room": room_id, "gif": None, "user": {"$ne": SYSTEM}}
        query["chat"] = {"$regex": re.escape(q), "$options": "i"}
        if before_seq is not None:
            query["seq"] = {"$lt": before_seq}
        query.update(visible_to(viewer_key))
        found = self._chats.find(query).sort("seq", DESCENDING).limit(limit)
        return [to_chat(doc) for doc in found]

    def _delete_chat(self, chat_id):
        doc = self._chats.find_one_and_delete({"_id": ObjectId(chat_id)})
        if doc is None:
            return None
        gif = doc.get("gif")
        if gif is not None and self._chats.find_one({"gif": gif}, {"_id": 1}) is None:
            self._media.delete(_media_id(gif))
        return to_chat(doc)

    def _toggle_reaction(self, chat_id, emoji, user_key):
        oid, reaction = ObjectId(chat_id), {"e": emoji, "k": user_key}
        # Each update is atomic: add unless given, else take back what is there.
        not_given = {"_id": oid, "reactions": {"$not": {"$elemMatch": reaction}}}
        if not self._chats.update_one(not_given, {"$push": {"reactions": reaction}}).matched_count:
            self._chats.update_one({"_id": oid}, {"$pull": {"reactions": reaction}})
        return self._find_chat(chat_id)

    def _gif_chats(self, field, value, limit):
        query = {{"room": "room", "user_key": "userKey"}[field]: value, "gif": {"$exists": True}}
        query["to"] = None
        # A room's newest by seq, over its (room, seq) index; a visitor's by id, over theirs.
        order = "seq" if field == "room" else "_id"
        found = self._chats.find(query, {"gif": 1}).sort(order, DESCENDING).limit(limit)
        return [(str(doc["_id"]), doc["gif"]) for doc in found]

    def _gif_shown(self, name, room_id, user_key):
        query = {"gif": name, "to": None, "$or": [{"room": room_id}, {"userKey": user_key}]}
        if user_key is None:
            query = {"gif": name, "to": None, "room": room_id}
        return self._chats.find_one(query, {"_id": 1}) is not None

    def _insert_media(self, name, room_id, data, created_at):
        self._media.insert(_media_id(name), room_id, data, created_at)

    def _find_media(self, name):
        return self._media.find(_media_id(name), name)

    def _ping(self):
        self.client.admin.command("ping")

    @guarded
    def probe_write(self):
        # One small document, always the same: the write is real, the collection stays tiny.
        now = datetime.now(UTC)
        self.db["readiness"].update_one({"_id": 1}, {"$set": {"checkedAt": now}}, upsert=True)

    def close(self):
        self.client.close()


def _media_id(name: str):
    """A GIF's _id: the ObjectId of an old 24-digit name, the random name itself for new ones."""
    stem = name.removesuffix(".gif")
    return ObjectId(stem) if len(stem) == 24 else stem
