"""Who is typing: relayed to the room's other sockets as it happens, never stored."""

import threading
import time

from flask import current_app, request, session
from flask_babel import gettext as _

from ..errors import Refused
from ..extensions import socketio
from ..identity import current_color, current_handle, is_handle, user_key
from ..presence import get_presence

clock = time.monotonic  # tests stop it


class SocketBudget:
    """A token bucket per socket: `rate` events a second, bursts of up to `burst`.

    Kept in the process that holds the socket, not in the rate limits' shared storage
    (app.socket_limits): a keystroke's event is not worth a Redis round trip, and a socket
    lives in one process anyway.
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
        raise Refused(_("Join a room first."))
    if not _budget().allow(request.sid):
        return
    payload = {"user": current_color(), "handle": current_handle(), "on": data["on"]}
    name = session.get("name")
    if isinstance(name, str) and name:
        payload["name"] = name
    if to is not None:
        _relay_to(presence, room_id, to, payload)
        return
    # Not to the typist's own tabs: they know.
    mine = presence.sockets_of(room_id, user_key())
    socketio.emit("typing", payload, namespace="/chat", to=room_id, skip_sid=mine or request.sid)


def _relay_to(presence, room_id: str, handle: str, payload: dict) -> None:
    """Typing a whisper: only its addressee's sockets hear of it (never the typist's own)."""
    key = presence.key_of(room_id, handle)
    if key is None or key == user_key():
        return
    listeners = presence.sockets_of(room_id, key)
    if listeners:
        socketio.emit("typing", payload, namespace="/chat", to=listeners)


def forget(sid: str) -> None:
    if "typing" in current_app.extensions:
        _budget().forget(sid)
