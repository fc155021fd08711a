"""Who is typing: relayed to the room's other sockets as it happens, never stored."""

import threading
import time

from flask import current_app, request, session
from flask_babel import gettext as _

from .. import wire
from ..presence import get_presence
from ..protection import socket_limits
from ..visitor.identity import current_color, current_handle, is_handle, user_key
from ..web.errors import Refused

clock = time.monotonic  # tests stop it


class SocketBudget:
    """A token bucket per socket: `rate` events a second, bursts of up to `burst`.

    Kept in the process that holds the socket, not in the rate limits' shared storage
    (app.protection.socket_limits): a keystroke's event is not worth a Redis round trip, and a
    socket lives in one process anyway.
    """

    def __init__(self, rate: float, burst: float):
        self.rate = rate
        self.burst = burst
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # sid -> (tokens, when)

    def allow(self, sid: str) -> bool:
        now = clock()
        with self._lock:
            tokens, when = self._buckets.get(sid, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            allowed = tokens >= 1
            self._buckets[sid] = (tokens - 1 if allowed else tokens, now)
            return allowed

    def forget(self, sid: str) -> None:
        with self._lock:
            self._buckets.pop(sid, None)


def _budget() -> SocketBudget:
    extensions = current_app.extensions
    if "typing" not in extensions:
        rate = current_app.config["TYPING_EVENTS_PER_SECOND"]
        # Twice that at once: start, send, start again and stop can come within a second.
        extensions["typing"] = SocketBudget(rate, burst=2 * rate)
    return extensions["typing"]


def relay(data) -> None:
    """Tell the others in this socket's room that its visitor started or stopped typing.

    With `to` (a handle: the composer is whispering) only that person's sockets are told; a
    handle nobody in the room has is told to nobody, without a word. Past the socket's
    budget an event is dropped without a word too: the next one says the same.
    """
    if not isinstance(data, dict) or not isinstance(data.get("on"), bool):
        raise Refused(_("Say whether you are typing."), 400)
    to = data.get("to")
    if to is not None and not is_handle(to):
        raise Refused(_("Choose someone in the room."), 400)
    presence = get_presence()
    room_id = presence.room_of(request.sid)
    if room_id is None:
        raise Refused(_("Join a room first."), code="not-present")
    if not _budget().allow(request.sid) or not socket_limits.typing_allowed(request.sid):
        return
    payload = {"user": current_color(), "handle": current_handle(), "on": data["on"]}
    name = session.get("name")
    if isinstance(name, str) and name:
        payload["name"] = name
    addressee = None
    if to is not None:
        addressee = presence.key_of(room_id, to)
        if addressee in (None, user_key()):
            return  # nobody in the room to tell
    # Never to the typist's own tabs: they know.
    mine = presence.sockets_of(room_id, user_key()) or [request.sid]
    wire.tell(wire.Draft(room_id, user_key(), addressee), wire.TYPING, payload, skip=mine)


def forget(sid: str) -> None:
    if "typing" in current_app.extensions:
        _budget().forget(sid)
