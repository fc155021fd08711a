"""Who is in which room, on which sockets.

Kept behind this small interface so that a deployment of several processes can
back it with a shared store; a single process keeps it in memory.
"""

import threading
import time
from dataclasses import dataclass, field


class RoomFull(Exception):
    """The room has as many people as it allows."""


@dataclass
class Departure:
    room: str
    key: str
    color: str
    last_tab: bool  # the visitor has no socket left in the room
    room_empty: bool


@dataclass
class _Member:
    color: str
    since: float
    sids: set = field(default_factory=set)


class MemoryPresence:
    """Presence for one process. A visitor is a session; a session may have many sockets."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, _Member]] = {}  # room -> session key -> member
        self._sockets: dict[str, tuple[str, str]] = {}  # sid -> (room, session key)
        self._empty_since: dict[str, float] = {}

    def join(self, room: str, sid: str, key: str, color: str, limit: int | None = None) -> bool:
        """Put socket sid of session key in room; True if the session was not there yet.

        Raises RoomFull, checked under the same lock, if a newcomer would pass limit.
        """
        with self._lock:
            members = self._rooms.setdefault(room, {})
            member = members.get(key)
            first = member is None
            if first and limit is not None and len(members) >= limit:
                if not members:
                    del self._rooms[room]
                raise RoomFull(room)
            if first:
                member = members[key] = _Member(color, time.monotonic())
            member.sids.add(sid)
            self._sockets[sid] = (room, key)
            self._empty_since.pop(room, None)
            return first

    def leave(self, sid: str) -> Departure | None:
        """Take socket sid out of its room; None if it was in none."""
        with self._lock:
            place = self._sockets.pop(sid, None)
            if place is None:
                return None
            room, key = place
            members = self._rooms[room]
            member = members[key]
            member.sids.discard(sid)
            last_tab = not member.sids
            if last_tab:
                del members[key]
            if not members:
                del self._rooms[room]
                self._empty_since[room] = time.monotonic()
            return Departure(room, key, member.color, last_tab, not members)

    def room_of(self, sid: str) -> str | None:
        with self._lock:
            place = self._sockets.get(sid)
            return place[0] if place else None

    def has(self, room: str, key: str) -> bool:
        with self._lock:
            return key in self._rooms.get(room, {})

    def count(self, room: str) -> int:
        with self._lock:
            return len(self._rooms.get(room, {}))

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {room: len(members) for room, members in self._rooms.items()}

    def participants(self, room: str) -> list[tuple[str, str]]:
        """(key, color) of everyone in room, longest present first."""
        with self._lock:
            members = sorted(self._rooms.get(room, {}).items(), key=lambda item: item[1].since)
            return [(key, member.color) for key, member in members]

    def members(self, room: str) -> list[str]:
        """The colors in room, longest present first."""
        return [color for _, color in self.participants(room)]

    def keys_of(self, room: str, color: str) -> list[str]:
        """The people in room who have this color: usually one, rarely more."""
        return [key for key, each in self.participants(room) if each == color]

    def sockets_of(self, room: str, key: str) -> list[str]:
        with self._lock:
            member = self._rooms.get(room, {}).get(key)
            return sorted(member.sids) if member else []

    def mark_empty(self, room: str) -> float | None:
        """Note that room is empty now (a new room); returns the mark, None if occupied."""
        with self._lock:
            if self._rooms.get(room):
                return None
            return self._empty_since.setdefault(room, time.monotonic())

    def empty_since(self, room: str) -> float | None:
        with self._lock:
            return self._empty_since.get(room)

    def forget(self, room: str) -> list[str]:
        """Drop a deleted room; returns the sockets that were in it."""
        with self._lock:
            members = self._rooms.pop(room, {})
            self._empty_since.pop(room, None)
            sids = [sid for member in members.values() for sid in member.sids]
            for sid in sids:
                self._sockets.pop(sid, None)
            return sids
