"""The storage interface: every rule the backends share, over a few primitives each implements."""

import functools
import secrets
from abc import ABC, abstractmethod
from datetime import datetime

# The records live in models.py; what callers have imported from here still is here.
from .models import MEDIA_NAME, Chat, Media, Room, is_id, is_seq, new_id, utcnow

__all__ = ["MEDIA_NAME", "Chat", "Media", "Room", "Store", "StoreUnavailable", "guarded"]
__all__ += ["is_id", "is_seq", "new_id", "utcnow"]


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
            id=new_id(),
            title=title,
            capacity=capacity,
            owner=owner,
            password_hash=password_hash,
            created_at=utcnow(),
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
    def owned_rooms(self, owner_key: str) -> list[Room]:
        """The rooms owner_key owns, by an index: never a read of every room."""
        return self._find_owned_rooms(owner_key) if isinstance(owner_key, str) else []

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
        reply_to: dict | None = None,
    ) -> Chat:
        # Any room_id is kept as given, so a chat never needs its room read first.
        message = Chat(
            id=new_id(),
            room=room_id,
            user=user,
            created_at=utcnow(),
            chat=chat,
            gif=gif,
            kind=kind,
            who=who,
            to=to,
            user_key=user_key,
            to_key=to_key,
            name=name,
            handle=handle,
            owner=bool(owner),
            to_name=to_name,
            to_handle=to_handle,
            reply_to=None if reply_to is None else dict(reply_to),
        )
        return self._insert_chat(message)

    @guarded
    def chats(
        self,
        room_id: str,
        *,
        limit: int,
        before: str | None = None,
        after: str | None = None,
        before_seq: int | None = None,
        after_seq: int | None = None,
        viewer_key: str | None = None,
    ) -> list[Chat]:
        """A page of at most `limit` of the room's chats, in the room's order (by seq).

        Newest first, older than the cursor (the latest page without one); or, with `after`
        or `after_seq`, the chats newer than it, oldest first. A cursor is a seq, or the id of
        a chat of this room standing for its seq (an unknown one gives an empty page).
        Whispers are left out unless `viewer_key`, a user key, sent or received them.
        """
        cursors = (before, after, before_seq, after_seq)
        if sum(cursor is not None for cursor in cursors) > 1:
            raise ValueError("chats() pages from one cursor, before or after a chat, not both")
        if not is_id(room_id) or limit < 1:
            return []
        newer = after is not None or after_seq is not None
        seq = before_seq if after_seq is None else after_seq
        if before is not None or after is not None:
            cursor = before if after is None else after
            seq = self._seq_of(room_id, cursor) if is_id(cursor) else None
            if seq is None:
                return []
        elif seq is not None and not is_seq(seq):
            return []
        return self._find_chats(room_id, limit, seq, newer, viewer_key)

    @guarded
    def edit_chat(self, chat_id: str, text: str) -> Chat | None:
        """Set a text message's text, marked edited now; the chat after it, reactions included.

        None for a GIF, a notice, or an unknown or malformed id: only text can be edited. Who
        may edit is the caller's rule.
        """
        if not is_id(chat_id) or not isinstance(text, str):
            return None
        return self._edit_chat(chat_id, text, utcnow())

    @guarded
    def search_chats(
        self,
        room_id: str,
        q: str,
        *,
        limit: int,
        before_seq: int | None = None,
        viewer_key: str | None = None,
    ) -> list[Chat]:
        """The room's text messages (no GIFs, no notices) whose text contains q.

        Case-insensitive, in any script (Korean matched as substrings), newest first by seq,
        older than before_seq; whispers left out unless viewer_key sent or received them.
        """
        if not is_id(room_id) or not isinstance(q, str) or not q or limit < 1:
            return []
        if before_seq is not None and not is_seq(before_seq):
            return []
        return self._search_chats(room_id, q, limit, before_seq, viewer_key)

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
        return name if media.room == room_id else self.save_media(room_id, media.read())

    @guarded
    def save_media(self, room_id: str, data: bytes) -> str:
        """Store a GIF that belongs to room_id; returns its new file name."""
        name = f"{secrets.token_hex(16)}.gif"
        self._insert_media(name, room_id, data, utcnow())
        return name

    @guarded
    def open_media(self, name: str) -> Media | None:
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
            return None
        return self._find_media(name)

    @guarded
    def sent_media(self, name: str, user_key: str | None) -> bool:
        """Whether user_key sent a chat that shows the GIF, in any room."""
        if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
            return False
        return isinstance(user_key, str) and self._gif_shown(name, None, user_key)

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
    def _find_owned_rooms(self, owner_key: str) -> list[Room]: ...

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
    def _insert_chat(self, chat: Chat) -> Chat:
        """Store chat as the next of its room, in one atomic step; the chat with its seq.

        The seq comes from a counter per room kept in the database, shared by every process
        and never lowered, so a seq is never given twice in a room, even after a deletion.
        """

    @abstractmethod
    def _seq_of(self, room_id: str, chat_id: str) -> int | None:
        """The seq of the chat chat_id if it is a chat of room_id; else None."""

    @abstractmethod
    def _find_chats(
        self, room_id: str, limit: int, seq: int | None, newer: bool, viewer_key: str | None
    ) -> list[Chat]:
        """Chats by seq: newer than seq oldest first, else older than it newest first.

        Leave out whispers unless viewer_key is their sender's or addressee's key.
        """

    @abstractmethod
    def _find_chat(self, chat_id: str) -> Chat | None: ...

    @abstractmethod
    def _edit_chat(self, chat_id: str, text: str, edited_at: datetime) -> Chat | None:
        """Set the text and edited_at of a text message at once; the chat after it, else None."""

    @abstractmethod
    def _search_chats(
        self, room_id: str, q: str, limit: int, before_seq: int | None, viewer_key: str | None
    ) -> list[Chat]:
        """Text messages of the room containing q (any case), newest first, older than before_seq.

        Bounded by the room and the page; whispers only for their sender and addressee.
        """

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
        """Whether a chat shows the GIF in room_id (None: in no room), or was sent by user_key."""

    @abstractmethod
    def _insert_media(self, name: str, room_id: str, data: bytes, created_at: datetime) -> None:
        """Store the GIF whole or not at all: nothing is left of a failed write."""

    @abstractmethod
    def _find_media(self, name: str) -> Media | None: ...

    @abstractmethod
    def _ping(self) -> None: ...
