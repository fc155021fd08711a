"""The production backend: MongoDB through pymongo, GIFs as binary documents."""

import logging
import re
from datetime import UTC, datetime

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient, ReturnDocument
from pymongo.errors import ConfigurationError, ConnectionFailure

from .base import Store, guarded
from .models import Chat, Media, Room
from .mongo_uri import mask_uri, password_of

log = logging.getLogger(__name__)

SERVER_SELECTION_TIMEOUT_MS = 5000


def _utc(moment):
    # Without tz_aware=True a client returns naive datetimes; they are UTC all the same.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _room(doc) -> Room | None:
    if doc is None:
        return None
    fields = (doc.get("passwordHash"), _utc(doc["createdAt"]), frozenset(doc.get("banned", ())))
    owner = (doc.get("ownerKey"), doc.get("ownerName"))
    return Room(str(doc["_id"]), doc["title"], doc["max"], doc["owner"], *fields, *owner)


def _chat(doc) -> Chat:
    fields = [doc.get(key) for key in ("chat", "gif", "kind", "who", "to", "userKey", "toKey")]
    fields += [doc.get("name"), doc.get("handle"), bool(doc.get("owner"))]
    fields += [doc.get("toName"), doc.get("toHandle")]
    reactions = tuple((each["e"], each["k"]) for each in doc.get("reactions", ()))
    return Chat(
        str(doc["_id"]), doc["room"], doc["user"], _utc(doc["createdAt"]), *fields, reactions
    )


class MongoStore(Store):
    """Collections rooms, chats and media in one database; ids are ObjectIds."""

    def __init__(self, client, database: str, where: str = "the configured URI"):
        self.client = client  # shared with Flask-Session, one client per process
        self.db = client[database]
        self.where = where
        self._rooms, self._chats, self._media = (self.db[n] for n in ("rooms", "chats", "media"))

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
        """Create the indexes the queries need; a no-op when they already exist."""
        # Chat pages are one range scan of (room, _id), read backwards or forwards.
        self._chats.create_index([("room", ASCENDING), ("_id", ASCENDING)], name="chats_by_room")
        self._rooms.create_index(
            [("createdAt", ASCENDING), ("_id", ASCENDING)], name="rooms_by_created"
        )
        self._media.create_index([("room", ASCENDING)], name="media_by_room")
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
        doc = {"_id": ObjectId(room.id), "title": room.title, "max": room.capacity}
        # The hash never leaves the server: Room.to_json says only whether there is one.
        doc.update(owner=room.owner, ownerKey=room.owner_key, passwordHash=room.password_hash)
        if room.owner_name is not None:
            doc["ownerName"] = room.owner_name
        self._rooms.insert_one({**doc, "createdAt": room.created_at, "banned": []})

    def _find_room(self, room_id):
        return _room(self._rooms.find_one({"_id": ObjectId(room_id)}))

    def _find_rooms(self):
        return [_room(doc) for doc in self._rooms.find().sort([("createdAt", 1), ("_id", 1)])]

    def _update_room(self, room_id, update) -> Room | None:
        after = ReturnDocument.AFTER
        found = self._rooms.find_one_and_update(
            {"_id": ObjectId(room_id)}, update, return_document=after
        )
        return _room(found)

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
        self._media.delete_many({"room": room_id})
        return deleted > 0

    def _insert_chat(self, chat):
        optional = {"chat": chat.chat, "gif": chat.gif, "kind": chat.kind, "who": chat.who}
        optional.update(to=chat.to, userKey=chat.user_key, toKey=chat.to_key)
        optional.update(name=chat.name, handle=chat.handle, owner=chat.owner or None)
        optional.update(toName=chat.to_name, toHandle=chat.to_handle)
        # Chats and media keep their room's hex id, as the API gives it.
        doc = {"_id": ObjectId(chat.id), "room": chat.room, "user": chat.user}
        doc.update(createdAt=chat.created_at)
        doc.update((key, value) for key, value in optional.items() if value is not None)
        self._chats.insert_one(doc)

    def _find_chats(self, room_id, limit, cursor, newer, viewer_key):
        query = {"room": room_id}
        if cursor is not None:
            query["_id"] = {"$gt" if newer else "$lt": ObjectId(cursor)}
        if viewer_key is None:
            query["to"] = None
        else:
            query["$or"] = [{"to": None}, {"userKey": viewer_key}, {"toKey": viewer_key}]
        cursor = self._chats.find(query).sort("_id", ASCENDING if newer else DESCENDING)
        return [_chat(doc) for doc in cursor.limit(limit)]

    def _find_chat(self, chat_id):
        doc = self._chats.find_one({"_id": ObjectId(chat_id)})
        return None if doc is None else _chat(doc)

    def _delete_chat(self, chat_id):
        doc = self._chats.find_one_and_delete({"_id": ObjectId(chat_id)})
        if doc is None:
            return None
        gif = doc.get("gif")
        if gif is not None and self._chats.find_one({"gif": gif}, {"_id": 1}) is None:
            self._media.delete_one({"_id": ObjectId(gif.removesuffix(".gif"))})
        return _chat(doc)

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
        found = self._chats.find(query, {"gif": 1}).sort("_id", DESCENDING).limit(limit)
        return [(str(doc["_id"]), doc["gif"]) for doc in found]

    def _gif_shown(self, name, room_id, user_key):
        query = {"gif": name, "to": None, "$or": [{"room": room_id}, {"userKey": user_key}]}
        if user_key is None:
            query = {"gif": name, "to": None, "room": room_id}
        return self._chats.find_one(query, {"_id": 1}) is not None

    def _insert_media(self, name, room_id, data, created_at):
        oid = ObjectId(name.removesuffix(".gif"))
        self._media.insert_one({"_id": oid, "room": room_id, "data": data, "createdAt": created_at})

    def _find_media(self, name):
        doc = self._media.find_one({"_id": ObjectId(name.removesuffix(".gif"))})
        if doc is None:
            return None
        return Media(name, bytes(doc["data"]), _utc(doc["createdAt"]), doc.get("room"))

    def _ping(self):
        self.client.admin.command("ping")

    @guarded
    def probe_write(self):
        # One small document, always the same: the write is real, the collection stays tiny.
        now = datetime.now(UTC)
        self.db["readiness"].update_one({"_id": 1}, {"$set": {"checkedAt": now}}, upsert=True)

    def close(self):
        self.client.close()
