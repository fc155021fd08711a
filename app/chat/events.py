"""The /chat namespace: joining a room's live feed and leaving it."""

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from ..extensions import socketio
from ..identity import current_color
from ..rooms import service as rooms


class ChatNamespace(Namespace):
    def on_connect(self, auth=None):
        """Only visitors who have loaded a page (and so have a color) may connect."""
        if current_color() is None:
            raise ConnectionRefusedError("no session")

    def on_join(self, room_id=None):
        """Join a room's feed: refused for unknown, full, or secret rooms not entered."""
        if not isinstance(room_id, str):
            return {"error": _("That room does not exist.")}
        try:
            room, first_tab = rooms.join(room_id, request.sid)
        except rooms.Refused as refusal:
            return {"error": refusal.message}
        join_room(room.id)
        if first_tab:
            color = current_color()
            socketio.emit(
                "join",
                rooms.notice("join", color),
                namespace="/chat",
                to=room.id,
                skip_sid=request.sid,
            )
            rooms.announce_occupancy(room.id)
        return {"ok": True}

    def on_disconnect(self, reason=None):
        rooms.leave(request.sid)
