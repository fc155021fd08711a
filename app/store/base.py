"""The storage interface: every rule the backends share, over a few primitives each implements."""

import functools
from abc import ABC, abstractmethod
from datetime import datetime

# The records live in models.py; what callers have imported from here still is here.
from .models import MEDIA_NAME, Chat, Media, Room, is_id, new_id, utcnow

__all__ = ["MEDIA_NAME", "Chat", "Media", "Room", "Store", "StoreUnavailable", "guarded"]
__all__ += ["is_id", "new_id", "utcnow"]


class StoreUnavailable(Exception):
    """The database cannot be reached; the request may succeed later."""


def guarded(method):
    """Turn a backend's outage into StoreUnavailable, so the app can answer 503."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            if isinstance(error, StoreUnavailable) or not self._is_outage(error):
                raise
            raise StoreUnavailable(self._describe(error)) from error

    return wrapper


class Store(ABC):
    """What the app needs from a database. Malformed ids behave as unknown ones.

    The public methods hold the rules (new ids and times, id checks, limits, outages);
    a backend implements only the private primitives below them.
    """

    @guarded
    def create_room(
        self,
        title: str,
        capacity: int,
        owner: str,
        password_hash: str | None,
        owner_key: str | None = None,
        owner_name: str | None = None,
    ) -> Room:
        room = Room(
            new_id(),
            title,
            capacity,
            owner,
            password_hash,
            utcnow(),
            owner_key=owner_key,
            owner_name=owner_name,
        )
        self._insert_room(room)
        return room

    @guarded
    def get_room(self, room_id: str) -> Room | None:
        return self._find_room(room_id) if is_id(room_id) else None

    @guarded
    def list_rooms(self) -> list[Room]:
        """Every room, oldest first."""
        return self._find_rooms()

    @guarded
    def set_owner(
        self,
        room_id: str,
        owner: str,
        owner_key: str | None = None,
        owner_name: str | None = None,
    ) -> Room | None:
        """Give the room to owner (a color), or record its owner's new display name."""
        return self._set_owner(room_id, owner, owner_key, owner_name) if is_id(room_id) else None

    @guarded
    def ban(self, room_id: str, user_key: str) -> Room | None:
        """Keep a user out of the room for as long as the room lives."""
        return self._add_ban(room_id, user_key) if is_id(room_id) else None

    @guarded
    def delete_room(self, room_id: str) -> bool:
        """Delete the room with all of its chats and media; False if unknown."""
        return is_id(room_id) and self._delete_room(room_id)

    @guarded
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
        name: str | None = None,
        handle: str | None = None,
        owner: bool = False,
        to_name: str | None = None,
        to_handle: str | None = None,
    ) -> Chat:
        # Any room_id is kept as given, so a chat never needs its room read first.
        message = Chat(
            new_id(),
            room_id,
            user,
            utcnow(),
            chat,
            gif,
            kind,
            who,
            to,
            user_key,
            to_key,
            name,
            handle,
            bool(owner),
            to_name,
            to_handle,
        )
        self._insert_chat(message)
        return message

    @guarded
    def chats(
        self,
        room_id: str,
        *,
        limit: int,
        before: str | None = None,
        after: str | None = None,
        viewer_key: str | None = None,
    ) -> list[Chat]:
        """A page of at most `limit` of the room's chats.

        Newest first, older than the id `before` (the latest page without it); or, with
        `after`, the chats newer than that id, oldest first. Whispers are left out unless
        `viewer_key`, a user key, sent or received them.
        """
        if before is not None and after is not None:
            raise ValueError("chats() pages before or after a chat, not both")
        cursor = before if after is None else after
        if not is_id(room_id) or (cursor is not None and not is_id(cursor)) or limit < 1:
            return []
        return self._find_chats(room_id, limit, cursor, after is not None, viewer_key)

    @guarded
    def get_chat(self, chat_id: str) -> Chat | None:
        """A chat with its reactions, whoever may see it (the caller checks that)."""
        return self._find_chat(chat_id) if is_id(chat_id) else None

    @guarded
    def delete_chat(self, chat_id: str) -> Chat | None:
        """Remove a chat and its reactions for good; its GIF too, unless another chat shows it.

        Returns the chat that was removed; None if unknown. Nothing is left in its place.
        """
        return self._delete_chat(chat_id) if is_id(chat_id) else None

    @guarded
    def toggle_reaction(self, chat_id: str, emoji: str, user_key: str) -> Chat | None:
        """Add user_key's emoji to the chat, or take it back if given; the chat after it."""
        if not is_id(chat_id) or not isinstance(emoji, str) or not isinstance(user_key, str):
            return None
        return self._toggle_reaction(chat_id, emoji, user_key)

    @guarded
    def recent_gifs(self, room_id: str, user_key: str | None, *, limit: int) -> list[str]:
        """The GIF names last shown in the room or sent by user_key anywhere, newest first."""
        if not is_id(room_id) or limit < 1:
            return []
        # A few times the limit of each, so repeats of one GIF still leave `limit` names.
        found = self._gif_chats("room", room_id, limit * 4)
        if isinstance(user_key, str):
            found += self._gif_chats("user_key", user_key, limit * 4)
        names = []
        for _id, name in sorted(found, reverse=True):
            if name not in names:
                names.append(name)
        return names[:limit]

    @guarded
    def reuse_gif(self, name: str, room_id: str, user_key: str | None) -> str | None:
        """The GIF name to send again in room_id, if shown there or sent by user_key; else None.

        A GIF from another room is copied into this one, as a room takes its GIFs along when
        it is deleted.
        """
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name) or not is_id(room_id):
            return None
        if not self._gif_shown(name, room_id, user_key if isinstance(user_key, str) else None):
            return None
        media = self._find_media(name)
        if media is None:
            return None
        return name if media.room == room_id else self.save_media(room_id, media.data)

    @guarded
    def save_media(self, room_id: str, data: bytes) -> str:
        """Store a GIF that belongs to room_id; returns its new file name."""
        name = f"{new_id()}.gif"
        self._insert_media(name, room_id, data, utcnow())
        return name

    @guarded
    def open_media(self, name: str) -> Media | None:
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
            return None
        return self._find_media(name)

    @guarded
    def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""
        self._ping()

    def probe_write(self) -> None:
        """Raise StoreUnavailable unless a real write succeeds now: readiness, not liveness."""
        self.ping()

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release connections."""

    # What a backend implements. Ids reaching these are well-formed.

    @abstractmethod
    def _is_outage(self, error: Exception) -> bool:
        """Whether error means the database is unreachable or unusable for now."""

    @abstractmethod
    def _describe(self, error: Exception) -> str:
        """The outage in a line fit for a log: where the database is, never a secret."""

    @abstractmethod
    def _insert_room(self, room: Room) -> None: ...

    @abstractmethod
    def _find_room(self, room_id: str) -> Room | None: ...

    @abstractmethod
    def _find_rooms(self) -> list[Room]:
        """Every room, oldest first (by creation, then id)."""

    @abstractmethod
    def _set_owner(
        self, room_id: str, owner: str, owner_key: str | None, owner_name: str | None
    ) -> Room | None:
        """The room after the change; None if unknown."""

    @abstractmethod
    def _add_ban(self, room_id: str, user_key: str) -> Room | None:
        """The room after adding user_key to its banned set at once; None if unknown."""

    @abstractmethod
    def _delete_room(self, room_id: str) -> bool:
        """Delete the room, then its chats and media (even when the room is already gone)."""

    @abstractmethod
    def _insert_chat(self, chat: Chat) -> None: ...

    @abstractmethod
    def _find_chats(
        self, room_id: str, limit: int, cursor: str | None, newer: bool, viewer_key: str | None
    ) -> list[Chat]:
        """Chats by id: newer than cursor oldest first, else older than it newest first.

        Leave out whispers unless viewer_key is their sender's or addressee's key.
        """

    @abstractmethod
    def _find_chat(self, chat_id: str) -> Chat | None: ...

    @abstractmethod
    def _delete_chat(self, chat_id: str) -> Chat | None:
        """Delete the chat and its reactions, then its GIF if no chat shows it any more."""

    @abstractmethod
    def _toggle_reaction(self, chat_id: str, emoji: str, user_key: str) -> Chat | None:
        """Add or take back one reaction at once; the chat after it, None if unknown."""

    @abstractmethod
    def _gif_chats(self, field: str, value: str, limit: int) -> list[tuple[str, str]]:
        """(chat id, GIF name) of the newest GIF chats whose field ("room", "user_key") is value."""

    @abstractmethod
    def _gif_shown(self, name: str, room_id: str, user_key: str | None) -> bool:
        """Whether a chat shows the GIF in room_id, or was sent with it by user_key."""

    @abstractmethod
    def _insert_media(self, name: str, room_id: str, data: bytes, created_at: datetime) -> None:
        """Store the GIF whole or not at all: nothing is left of a failed write."""

    @abstractmethod
    def _find_media(self, name: str) -> Media | None: ...

    @abstractmethod
    def _ping(self) -> None: ...
