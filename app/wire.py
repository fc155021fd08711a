"""The wire: every event the server sends, on which namespace, and to whom.

Every emit of the app goes through here, so this module is the list of what browsers can
hear. `audience` is the one answer to "who hears this message": everyone in its room, or a
whisper's two people. Every event about a message (the message itself, an edit, a delete, a
reaction) is sent through `tell`, which asks it.
"""

from typing import NamedTuple

from .extensions import socketio
from .presence import get_presence

LOBBY = "/room"  # the lobby's namespace: every room as it comes, changes and goes
CHAT = "/chat"  # a room's namespace: its messages and its people

# On LOBBY, to every lobby.
NEW_ROOM = "newRoom"  # Room, with "count"
REMOVE_ROOM = "removeRoom"  # the room's id; also on CHAT to the room's people
OCCUPANCY = "occupancy"  # {"_id", "count"}
OWNER = "owner"  # {"_id", "owner", "ownerName"}; on CHAT, the hand-over's notice

# On CHAT, to a room's people, or to a message's audience.
MESSAGE = "chat"  # a Chat
EDIT = "editChat"  # {"_id", "room", "chat", "editedAt"}
DELETE = "deleteChat"  # {"_id", "room"}
REACTION = "reaction"  # {"_id", "room", "reactions"}, with "mine" to its giver's own sockets
TYPING = "typing"  # {"user", "on", "name"?}
NAME = "name"  # a person's new name
MEMBERS = "members"  # {"room", "members"}: who is present, after a join or exit told quietly
KICKED = "kicked"  # {"room"}, to the removed person's sockets
# System notices, each a Chat with "members": join, exit, kick, owner.
NOTICES = ("join", "exit", "kick", "owner")


class Draft(NamedTuple):
    """A message still being written: who hears of it (typing) is who will hear it."""

    room: str
    user_key: str
    to_key: str | None = None  # the addressee of a whisper

    @property
    def is_whisper(self) -> bool:
        return self.to_key is not None


def audience(chat) -> frozenset | None:
    """Who hears about chat: None for everyone in its room, else a whisper's user keys."""
    if not chat.is_whisper:
        return None
    return frozenset(key for key in (chat.user_key, chat.to_key) if key)


def tell(chat, event: str, data, skip=()) -> None:
    """Send an event about chat to whoever sees it, but the sockets in skip."""
    keys = audience(chat)
    if keys is None:
        to_room(chat.room, event, data, skip=skip)
    else:
        to_people(chat.room, keys, event, data, skip=skip)


def to_room(room_id: str, event: str, data, skip=()) -> None:
    """Everyone in a room, but the sockets in skip."""
    skip_sid = list(skip) or None
    socketio.emit(event, data, namespace=CHAT, to=room_id, skip_sid=skip_sid)


def to_people(room_id: str, user_keys, event: str, data, skip=()) -> None:
    """The sockets in a room of the people with these user keys, but those in skip."""
    presence = get_presence()
    sids = [sid for key in user_keys for sid in presence.sockets_of(room_id, key)]
    to_sockets([sid for sid in sids if sid not in skip], event, data)


def to_sockets(sids, event: str, data) -> None:
    """These sockets of the chat namespace, if any."""
    if sids:
        socketio.emit(event, data, namespace=CHAT, to=list(sids))


def to_lobbies(event: str, data) -> None:
    """Every lobby, on every process."""
    socketio.emit(event, data, namespace=LOBBY)


def enter(sid: str, room_id: str) -> None:
    """Put a socket in the room's feed."""
    socketio.server.enter_room(sid, room_id, namespace=CHAT)


def leave(sid: str, room_id: str) -> None:
    """Take a socket out of the room's feed."""
    socketio.server.leave_room(sid, room_id, namespace=CHAT)
