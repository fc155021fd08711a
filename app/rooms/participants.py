"""Who is in a room: joining, leaving, notices, the owner's hand-over and kicks."""

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import socketio
from ..identity import current_color, user_key
from ..presence import RoomFull
from ..store import Room, get_store
from .service import (
    Refused,
    announce_occupancy,
    check_not_banned,
    find_room,
    is_admitted,
    is_owner,
    mark_empty,
    presence,
)

COLOR = re.compile(r"#[0-9a-f]{6}")


def join(room_id, sid: str) -> Room:
    """Put a socket in a room; the visitor's first tab there is announced."""
    room = find_room(room_id)
    check_not_banned(room)
    if room.secret and not is_admitted(room):
        raise Refused(_("Enter the password first."))
    if presence().room_of(sid) not in (None, room.id):
        leave(sid)
    try:
        first_tab = presence().join(room.id, sid, user_key(), current_color(), room.capacity)
    except RoomFull:
        raise Refused(_("The room is full.")) from None
    socketio.server.enter_room(sid, room.id, namespace="/chat")
    if first_tab:
        announce(room.id, "join", current_color(), skip_sid=sid)
        announce_occupancy(room.id)
    return room


def leave(sid: str) -> None:
    """Take a socket out of its room; the visitor's last tab leaving is announced."""
    departure = presence().leave(sid)
    if departure is None:
        return
    socketio.server.leave_room(sid, departure.room, namespace="/chat")
    if not departure.last_tab:
        return
    announce(departure.room, "exit", departure.color)
    announce_occupancy(departure.room)
    if departure.room_empty:
        mark_empty(departure.room)
        return
    room = get_store().get_room(departure.room)
    if room is not None and room.owner_key == departure.key:
        app = current_app._get_current_object()
        socketio.start_background_task(_hand_over_if_gone, app, room.id, departure.key)


def members(room_id: str) -> list[str]:
    return presence().members(room_id)


def announce(room_id: str, kind: str, color: str, skip_sid: str | None = None) -> None:
    """Store a system notice in the room's history and send it with who is present."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = _notice_text(kind, color)
    chat = get_store().add_chat(room_id, "system", chat=text, kind=kind, who=color)
    payload = {**chat.to_json(), "members": members(room_id)}
    socketio.emit(kind, payload, namespace="/chat", to=room_id, skip_sid=skip_sid)


def _notice_text(kind: str, color: str) -> str:
    if kind == "join":
        return _("%(color)s joined.", color=color)
    if kind == "exit":
        return _("%(color)s left.", color=color)
    if kind == "owner":
        return _("%(color)s is now the owner.", color=color)
    return _("%(color)s was removed from the room.", color=color)


def _hand_over_if_gone(app, room_id: str, owner_key: str) -> None:
    """After the grace period, a departed owner's room passes to the longest present."""
    socketio.sleep(app.config["ROOM_EMPTY_GRACE_SECONDS"])
    with app.app_context():
        try:
            hand_over(room_id, owner_key)
        except Exception:  # a background task has nobody to answer
            app.logger.exception("owner hand-over failed for room %s", room_id)


def hand_over(room_id: str, owner_key: str) -> None:
    """Pass the room to the longest present, unless its owner came back or it changed hands."""
    room = get_store().get_room(room_id)
    present = presence().participants(room_id)
    if room is None or room.owner_key != owner_key or not present:
        return
    if any(key == owner_key for key, _color in present):
        return
    successor_key, successor = present[0]
    get_store().set_owner(room_id, successor, successor_key)
    announce(room_id, "owner", successor)
    socketio.emit("owner", {"_id": room_id, "owner": successor}, namespace="/room")


def kick(room_id: str, color) -> None:
    """The owner removes a participant, who may not come back while the room lives."""
    room = find_room(room_id)
    if not is_owner(room):
        raise Refused(_("Only the owner can remove people."))
    if not isinstance(color, str) or not COLOR.fullmatch(color):
        raise Refused(_("Choose someone in the room."), 400)
    keys = presence().keys_of(room.id, color)
    if room.owner_key in keys:
        raise Refused(_("The owner cannot be removed."), 400)
    if not keys:
        raise Refused(_("%(color)s is not in the room.", color=color), 400)
    for key in keys:
        get_store().ban(room.id, key)
        for sid in presence().sockets_of(room.id, key):
            presence().leave(sid)
            socketio.server.leave_room(sid, room.id, namespace="/chat")
            socketio.emit("kicked", {"room": room.id}, namespace="/chat", to=sid)
    announce(room.id, "kick", color)
    announce_occupancy(room.id)
    if presence().count(room.id) == 0:
        mark_empty(room.id)
