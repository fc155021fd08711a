"""Who is in which room, on which sockets.

Kept behind this small interface so that a deployment of several processes can
back it with a shared store; a single process keeps it in memory.

A visitor whose last socket closed keeps their place until `drop`: a reload or a
reconnect comes back to it, and only a visitor who stays away is dropped.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app


class RoomFull(Exception):
    """The room has as many people as it allows."""


@dataclass
class Departure:
    room: str
    user_key: str
    last_tab: bool  # the visitor has no socket left in the room


class Upkeep(NamedTuple):
    """What the rooms feature does when presence is repaired (app.rooms registers it, as
    `app.extensions["upkeep"]`, so that presence never imports the rooms)."""

    leave: Callable[[str], None]  # a socket of a process that stopped beating: gone for good
    reschedule: Callable[[], None]  # every room's deadlines again, after Redis came back empty


class Person(NamedTuple):
    """Someone in a room as the others may know them: all but the key goes on the wire."""

    user_key: str
    color: str
    handle: str | None
    name: str | None


@dataclass
class _Member:
    color: str
    since: float
    sids: set = field(default_factory=set)
    handle: str | None = None
    name: str | None = None


class MemoryPresence:
    """Presence for one process. A visitor is a session; a session may have many sockets."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, _Member]] = {}  # room -> user key -> member
        self._sockets: dict[str, tuple[str, str]] = {}  # sid -> (room, user key)

    def join(
        self,
        room: str,
        sid: str,
        user_key: str,
        color: str,
        limit: int | None = None,
        *,
        handle: str | None = None,
        name: str | None = None,
    ) -> bool:
        """Put socket sid of user_key in room; True if the visitor had no place there yet.

        Raises RoomFull, checked under the same lock, if a newcomer would pass limit.
        """
        with self._lock:
            members = self._rooms.setdefault(room, {})
            member = members.get(user_key)
            first = member is None
            if first and limit is not None and len(members) >= limit:
                if not members:
                    del self._rooms[room]
                raise RoomFull(room)
            if first:
                member = members[user_key] = _Member(color, time.monotonic())
            member.handle, member.name = handle, name  # a tab that joins brings the latest
            member.sids.add(sid)
            self._sockets[sid] = (room, user_key)
            return first

    def leave(self, sid: str) -> Departure | None:
        """Take socket sid out of its room, keeping the visitor's place; None if in none."""
        with self._lock:
            place = self._sockets.pop(sid, None)
            if place is None:
                return None
            room, user_key = place
            member = self._rooms[room][user_key]
            member.sids.discard(sid)
            return Departure(room, user_key, not member.sids)

    def drop(self, room: str, user_key: str) -> str | None:
        """Give up the place of a visitor who has no socket in room; their color, or None."""
        with self._lock:
            members = self._rooms.get(room, {})
            member = members.get(user_key)
            if member is None or member.sids:
                return None
            del members[user_key]
            if not members:
                del self._rooms[room]
            return member.color

    def room_of(self, sid: str) -> str | None:
        with self._lock:
            place = self._sockets.get(sid)
            return place[0] if place else None

    def has(self, room: str, user_key: str) -> bool:
        with self._lock:
            return user_key in self._rooms.get(room, {})

    def count(self, room: str) -> int:
        with self._lock:
            return len(self._rooms.get(room, {}))

    def people(self, room: str) -> list[Person]:
        """Everyone in room, longest present first."""
        with self._lock:
            members = sorted(self._rooms.get(room, {}).items(), key=lambda item: item[1].since)
            return [Person(key, m.color, m.handle, m.name) for key, m in members]

    def person(self, room: str, user_key: str) -> Person | None:
        with self._lock:
            member = self._rooms.get(room, {}).get(user_key)
            return member and Person(user_key, member.color, member.handle, member.name)

    def key_of(self, room: str, handle: str) -> str | None:
        """The user key of the person in room with this handle, or None."""
        with self._lock:
            for user_key, member in self._rooms.get(room, {}).items():
                if member.handle == handle:
                    return user_key
            return None

    def rename(self, user_key: str, name: str | None) -> list[str]:
        """Give the visitor a new display name wherever they are; the rooms they are in."""
        with self._lock:
            rooms = [room for room, members in self._rooms.items() if user_key in members]
            for room in rooms:
                self._rooms[room][user_key].name = name
            return rooms

    def rooms_of(self, user_key: str) -> list[str]:
        """The rooms the visitor is present in."""
        with self._lock:
            return [room for room, members in self._rooms.items() if user_key in members]

    def sockets_of(self, room: str, user_key: str) -> list[str]:
        with self._lock:
            member = self._rooms.get(room, {}).get(user_key)
            return sorted(member.sids) if member else []

    def forget(self, room: str) -> list[str]:
        """Drop a deleted room; returns the sockets that were in it."""
        with self._lock:
            members = self._rooms.pop(room, {})
            sids = [sid for member in members.values() for sid in member.sids]
            for sid in sids:
                self._sockets.pop(sid, None)
            return sids


def get_presence() -> MemoryPresence:
    return current_app.extensions["presence"]
