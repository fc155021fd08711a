"""What the store keeps: rooms, chats and GIF media, and how their ids and times are spelled."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import BinaryIO

from bson import ObjectId

_ID = re.compile(r"[0-9a-f]{24}")
# New names carry 128 random bits (32 hex digits); names of 24, ObjectIds, were guessable.
MEDIA_NAME = re.compile(r"(?:[0-9a-f]{24}|[0-9a-f]{32})\.gif")


SYSTEM = "system"  # the `user` of notices (join, exit, owner, kick)


def new_id() -> str:
    return str(ObjectId())


def is_id(value) -> bool:
    """Whether value is an id as the contract spells it: 24 lowercase hex digits."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def is_seq(value) -> bool:
    """Whether value is a place in a room's order: a whole number, 0 or more (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def utcnow() -> datetime:
    # Millisecond precision, as JavaScript clients and MongoDB keep it.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# Built by keyword only, so a field added to either record cannot shift the others; the
# backends derive their columns and keys from these field lists.
@dataclass(frozen=True, kw_only=True)
class Room:
    id: str
    title: str
    capacity: int  # "max" on the wire and in the form
    owner: str
    password_hash: str | None
    created_at: datetime
    banned: frozenset = frozenset()  # the user keys kept out
    owner_key: str | None = None  # who the owner is; `owner` is only their color
    owner_name: str | None = None  # the owner's display name, if they chose one

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
        } | ({"ownerName": self.owner_name} if self.owner_name is not None else {})


# A chat's optional public fields: their names on the wire, and in the record.
_PUBLIC = {"kind": "kind", "who": "who", "to": "to", "name": "name", "handle": "handle"}
_PUBLIC |= {"toName": "to_name", "toHandle": "to_handle"}


@dataclass(frozen=True, kw_only=True)
class Chat:
    id: str
    room: str
    user: str
    created_at: datetime
    # Its place in its room's one order, whatever process stored it: given by the store as it
    # stores the chat (0 until then), never given twice in a room, even after a deletion.
    seq: int = 0
    chat: str | None = None
    gif: str | None = None
    kind: str | None = None  # system notices: join, exit, owner, kick
    who: str | None = None  # the color a system notice is about
    to: str | None = None  # the addressee of a whisper
    # Private: who sent it and whom it is for, as colors can be shared by two people.
    user_key: str | None = None
    to_key: str | None = None
    # Public: the sender's (a notice: its subject's) display name and handle, whether the
    # room's owner sent it, and a whisper addressee's name and handle.
    name: str | None = None
    handle: str | None = None
    owner: bool = False
    to_name: str | None = None
    to_handle: str | None = None
    # When its text was last edited; None if never.
    edited_at: datetime | None = None
    # The message it answers, as it was when the reply was sent: {"_id", "handle", "name",
    # "excerpt"} (str or None each). A dict has no hash; the chat's hash leaves it out.
    reply_to: dict | None = field(default=None, hash=False)
    # (emoji, user key) pairs, oldest first: private; to_json gives counts and the viewer's own.
    reactions: tuple = ()

    @property
    def is_whisper(self) -> bool:
        return self.to is not None

    @property
    def is_text(self) -> bool:
        """Whether it is a text message someone wrote: not a GIF, not a notice."""
        return self.gif is None and self.user != SYSTEM

    def visible_to(self, viewer_key: str | None) -> bool:
        """Whether viewer_key may see it: everyone a room's chat, only its two people a whisper."""
        return not self.is_whisper or (
            viewer_key is not None and viewer_key in (self.user_key, self.to_key)
        )

    def reaction_counts(self) -> dict:
        """{emoji: how many}, in the order each emoji was first given."""
        counts = {}
        for emoji, _key in self.reactions:
            counts[emoji] = counts.get(emoji, 0) + 1
        return counts

    def to_json(self, viewer_key: str | None = None) -> dict:
        """The chat as viewer_key sees it: reactions counted, and which of them are theirs."""
        data = {"_id": self.id, "room": self.room, "seq": self.seq, "user": self.user}
        if self.gif is not None:
            data["gif"] = self.gif
        else:
            data["chat"] = self.chat
        for key, name in _PUBLIC.items():
            if getattr(self, name) is not None:
                data[key] = getattr(self, name)
        if self.owner:
            data["owner"] = True
        data["createdAt"] = iso(self.created_at)
        if self.edited_at is not None:
            data["editedAt"] = iso(self.edited_at)
        if self.reply_to is not None:
            data["replyTo"] = dict(self.reply_to)
        if self.reactions:
            data["reactions"] = self.reaction_counts()
            data["mine"] = [e for e, key in self.reactions if viewer_key and key == viewer_key]
        return data


@dataclass(frozen=True, kw_only=True)
class Media:
    """A GIF: whose it is, and a way to read its bytes a piece at a time."""

    name: str
    created_at: datetime
    size: int
    open: Callable[[], BinaryIO] = field(repr=False)  # a new reader, which the caller closes
    room: str | None = None  # the room it belongs to, which takes it along when deleted
    path: str | None = None  # the file it is, when it is one: a proxy can send it itself

    def read(self) -> bytes:
        """The whole GIF: for a copy, never for serving it."""
        with self.open() as source:
            return source.read()

    @property
    def etag(self) -> str:
        # Names are never reused, so the name is a strong validator.
        return self.name.removesuffix(".gif")


def field_names(record) -> list[str]:
    """The fields of a record class, in their declared order."""
    return [field.name for field in fields(record)]
