"""The production backend: MongoDB through pymongo, GIFs as binary documents."""

import functools
import logging
import re
from datetime import UTC

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient, ReturnDocument
from pymongo.errors import ConfigurationError, ConnectionFailure

from .base import MEDIA_NAME, Chat, Media, Room, Store, StoreUnavailable, is_id, utcnow

log = logging.getLogger(__name__)

SERVER_SELECTION_TIMEOUT_MS = 5000
_PASSWORD_OPTION = re.compile(r"(?i)([^?&;=]*password=)[^&;]*")


def _credentials(uri: str) -> tuple[str, str, str | None, str] | None:
    """Split uri into (scheme, user, password, rest) around its userinfo, if it has one."""
    scheme, sep, tail = uri.partition("://")
    # The last "@" ends the userinfo; should it be in the options, more is masked, never less.
    userinfo, at, rest = tail.rpartition("@")
    if not sep or not at:
        return None
    user, colon, password = userinfo.partition(":")
    return scheme, user, password if colon else None, rest


def mask_uri(uri: str) -> str:
    """The URI fit for a log line: user:pass becomes user:***, password options too."""
    parts = _credentials(uri)
    if parts is not None and parts[2] is not None:
        uri = f"{parts[0]}://{parts[1]}:***@{parts[3]}"
    return _PASSWORD_OPTION.sub(r"\1***", uri)


def _available(method):
    """Turn a lost connection into StoreUnavailable, so routes can answer 503."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ConnectionFailure as exc:
            raise StoreUnavailable(f"MongoDB at {self.where} is unreachable") from exc

    return wrapper


def _oid(value) -> ObjectId | None:
    return ObjectId(value) if is_id(value) else None


def _utc(moment):
    # Without tz_aware=True a client returns naive datetimes; they are UTC all the same.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _room(doc) -> Room | None:
    if doc is None:
        return None
    return Room(
        id=str(doc["_id"]),
        title=doc["title"],
        capacity=doc["max"],
        owner=doc["owner"],
        password_hash=doc.get("passwordHash"),
        created_at=_utc(doc["createdAt"]),
        banned=frozenset(doc.get("banned", ())),
        owner_key=doc.get("ownerKey"),
    )


def _chat(doc) -> Chat:
    return Chat(
        id=str(doc["_id"]),
        room=doc["room"],
        user=doc["user"],
        created_at=_utc(doc["createdAt"]),
        **{key: doc.get(key) for key in ("chat", "gif", "kind", "who", "to")},
        user_key=doc.get("userKey"),
        to_key=doc.get("toKey"),
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
            secret = (_credentials(uri) or (None, None, None))[2]
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

    @_available
    def create_indexes(self) -> None:
        """Create the indexes the queries need; a no-op when they already exist."""
        # Chat pages are one range scan of (room, _id) read backwards.
        self._chats.create_index([("room", ASCENDING), ("_id", ASCENDING)], name="chats_by_room")
        self._rooms.create_index(
            [("createdAt", ASCENDING), ("_id", ASCENDING)], name="rooms_by_created"
        )
        self._media.create_index([("room", ASCENDING)], name="media_by_room")

    @_available
    def create_room(self, title, max, owner, password_hash, owner_key=None):
        doc = {"_id": ObjectId(), "title": title, "max": max, "owner": owner, "ownerKey": owner_key}
        # The hash never leaves the server: Room.to_json says only whether there is one.
        doc.update(passwordHash=password_hash, createdAt=utcnow(), banned=[])
        self._rooms.insert_one(doc)
        return _room(doc)

    @_available
    def get_room(self, room_id):
        oid = _oid(room_id)
        return None if oid is None else _room(self._rooms.find_one({"_id": oid}))

    @_available
    def list_rooms(self):
        return [_room(doc) for doc in self._rooms.find().sort([("createdAt", 1), ("_id", 1)])]

    def _update_room(self, room_id, update) -> Room | None:
        oid = _oid(room_id)
        if oid is None:
            return None
        after = ReturnDocument.AFTER
        return _room(self._rooms.find_one_and_update({"_id": oid}, update, return_document=after))

    @_available
    def set_owner(self, room_id, owner, owner_key=None):
        return self._update_room(room_id, {"$set": {"owner": owner, "ownerKey": owner_key}})

    @_available
    def ban(self, room_id, user_key):
        return self._update_room(room_id, {"$addToSet": {"banned": user_key}})

    @_available
    def delete_room(self, room_id):
        oid = _oid(room_id)
        if oid is None:
            return False
        # The room goes first so nobody is admitted while its chats and media go; these are
        # deleted even for an unknown room, which sweeps up after an interrupted deletion.
        deleted = self._rooms.delete_one({"_id": oid}).deleted_count
        self._chats.delete_many({"room": room_id})
        self._media.delete_many({"room": room_id})
        return deleted > 0

    @_available
    def add_chat(
        self,
        room_id,
        user,
        *,
        chat=None,
        gif=None,
        kind=None,
        who=None,
        to=None,
        user_key=None,
        to_key=None,
    ):
        optional = {"chat": chat, "gif": gif, "kind": kind, "who": who, "to": to}
        optional.update(userKey=user_key, toKey=to_key)
        # Chats and media keep their room's hex id, as the API gives it, so they take any room_id
        # exactly as the SQLite store does.
        doc = {"_id": ObjectId(), "room": room_id, "user": user, "createdAt": utcnow()}
        doc.update((key, value) for key, value in optional.items() if value is not None)
        self._chats.insert_one(doc)
        return _chat(doc)

    @_available
    def chats(self, room_id, *, limit, before=None, viewer_key=None):
        if not is_id(room_id) or (before is not None and not is_id(before)) or limit < 1:
            return []
        query = {"room": room_id}
        if before is not None:
            query["_id"] = {"$lt": ObjectId(before)}
        if viewer_key is None:
            query["to"] = None
        else:
            query["$or"] = [{"to": None}, {"userKey": viewer_key}, {"toKey": viewer_key}]
        cursor = self._chats.find(query).sort("_id", DESCENDING).limit(limit)
        return [_chat(doc) for doc in cursor]

    @_available
    def save_media(self, room_id, data):
        oid = ObjectId()
        self._media.insert_one({"_id": oid, "room": room_id, "data": data, "createdAt": utcnow()})
        return f"{oid}.gif"

    @_available
    def open_media(self, name):
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
            return None
        doc = self._media.find_one({"_id": ObjectId(name.removesuffix(".gif"))})
        return None if doc is None else Media(name, bytes(doc["data"]), _utc(doc["createdAt"]))

    @_available
    def ping(self):
        self.client.admin.command("ping")

    def close(self):
        self.client.close()
