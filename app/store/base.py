"""The storage interface: rooms, chats and GIF media, whatever the backend."""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime

from bson import ObjectId

_ID = re.compile(r"[0-9a-f]{24}")
MEDIA_NAME = re.compile(r"[0-9a-f]{24}\.gif")


class StoreUnavailable(Exception):
    """The database cannot be reached; the request may succeed later."""


def new_id() -> str:
    return str(ObjectId())


def is_id(value) -> bool:
    """Whether value is an id as the contract spells it: 24 lowercase hex digits."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def utcnow() -> datetime:
    # Millisecond precision, as JavaScript clients and MongoDB keep it.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Room:
    id: str
    title: str
    capacity: int
    owner: str
    password_hash: str | None
    created_at: datetime
    banned: frozenset = frozenset()  # the user keys kept out
    owner_key: str | None = None  # who the owner is; `owner` is only their color

    @property
    def secret(self) -> bool:
        return self.password_hash is not None

    def to_json(self) -> dict:
        """The room as browsers see it: whether it is secret, never the secret."""
        return {
            "_id": self.id,
            "title": self.title,
            "max": self.capacity,
            "owner": self.owner,
            "password": self.secret,
            "createdAt": iso(self.created_at),
        }


@dataclass(frozen=True)
class Chat:
    id: str
    room: str
    user: str
    created_at: datetime
    chat: str | None = None
    gif: str | None = None
    kind: str | None = None  # system notices: join, exit, owner, kick
    who: str | None = None  # the color a system notice is about
    to: str | None = None  # the addressee of a whisper
    # Private: who sent it and whom it is for, as colors can be shared by two people.
    user_key: str | None = None
    to_key: str | None = None

    def to_json(self) -> dict:
        data = {"_id": self.id, "room": self.room, "user": self.user}
        if self.gif is not None:
            data["gif"] = self.gif
        else:
            data["chat"] = self.chat
        for key in ("kind", "who", "to"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["createdAt"] = iso(self.created_at)
        return data


@dataclass(frozen=True)
class Media:
    name: str
    data: bytes
    created_at: datetime

    @property
    def etag(self) -> str:
        # Names are never reused, so the name is a strong validator.
        return self.name.removesuffix(".gif")


class Store(ABC):
    """What the app needs from a database. Malformed ids behave as unknown ones."""

    @abstractmethod
    def create_room(self, title: str, max: int, owner: str, password_hash: str | None) -> Room: ...

    @abstractmethod
    def get_room(self, room_id: str) -> Room | None: ...

    @abstractmethod
    def list_rooms(self) -> list[Room]:
        """Every room, oldest first."""

    @abstractmethod
    def set_owner(self, room_id: str, owner: str, owner_key: str | None = None) -> Room | None: ...

    @abstractmethod
    def ban(self, room_id: str, user_key: str) -> Room | None:
        """Keep a user out of the room for as long as the room lives."""

    @abstractmethod
    def delete_room(self, room_id: str) -> bool:
        """Delete the room with all of its chats and media; False if unknown."""

    @abstractmethod
    def add_chat(
        self,
        room_id: str,
        user: str,
        *,
        chat: str | None = None,
        gif: str | None = None,
        kind: str | None = None,
        who: str | None = None,
        to: str | None = None,
        user_key: str | None = None,
        to_key: str | None = None,
    ) -> Chat: ...

    @abstractmethod
    def chats(
        self,
        room_id: str,
        *,
        limit: int,
        before: str | None = None,
        viewer_key: str | None = None,
    ) -> list[Chat]:
        """A page of the room's chats, newest first, older than the id `before`.

        Whispers are left out unless `viewer_key`, a user key, sent or received them.
        """

    @abstractmethod
    def save_media(self, room_id: str, data: bytes) -> str:
        """Store a GIF that belongs to room_id; returns its new file name."""

    @abstractmethod
    def open_media(self, name: str) -> Media | None: ...

    @abstractmethod
    def ping(self) -> None:
        """Raise if the database cannot be reached."""

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release connections."""
