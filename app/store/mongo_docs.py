"""MongoDB documents as the store's records: one key for each field, camelCase as the API."""

from datetime import UTC

from .models import Chat, Room, field_names


def utc(moment):
    # Without tz_aware=True a client returns naive datetimes; they are UTC all the same.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _key(name: str) -> str:
    """A record's field as a document's key: camelCase, as the API spells them."""
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


# The keys come from the records' field lists; these kept the names the first release gave.
ROOM_KEYS = {name: _key(name) for name in field_names(Room)} | {"id": "_id", "capacity": "max"}
CHAT_KEYS = {name: _key(name) for name in field_names(Chat)} | {"id": "_id"}
# How a document's value becomes a field's, where BSON has another type for it.
ROOM_DECODE = {"id": str, "created_at": utc, "banned": lambda given: frozenset(given or ())}
CHAT_DECODE = {
    "id": str,
    "created_at": utc,
    "edited_at": lambda given: None if given is None else utc(given),
    "owner": bool,
    "seq": lambda given: given or 0,  # 0: stored by an earlier release, numbered at start
    "reactions": lambda given: tuple((each["e"], each["k"]) for each in given or ()),
}


def is_empty(value) -> bool:
    return value is None or value is False or value == ()


def _fields(doc, keys, decode) -> dict:
    # A missing key is an empty field: absent from old documents, or left out when empty.
    found = {name: doc.get(key) for name, key in keys.items()}
    return {name: decode.get(name, lambda value: value)(value) for name, value in found.items()}


def to_room(doc) -> Room | None:
    return None if doc is None else Room(**_fields(doc, ROOM_KEYS, ROOM_DECODE))


def to_chat(doc) -> Chat:
    return Chat(**_fields(doc, CHAT_KEYS, CHAT_DECODE))


def visible_to(viewer_key) -> dict:
    """The part of a query that leaves out whispers viewer_key neither sent nor received."""
    if viewer_key is None:
        return {"to": None}
    return {"$or": [{"to": None}, {"userKey": viewer_key}, {"toKey": viewer_key}]}
