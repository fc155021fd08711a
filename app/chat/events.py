"""The /chat namespace: joining a room's live feed and leaving it."""

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace

from ..identity import current_color
from ..rooms import participants
from ..rooms.service import Refused


class ChatNamespace(Namespace):
    def on_connect(self, auth=None):
        """Only visitors who have loaded a page (and so have a color) may connect."""
        if current_color() is None:
            raise ConnectionRefusedError("no session")

    def on_join(self, room_id=None, *_extra):
        """Join a room's feed: refused for unknown, full, or secret rooms not entered."""
        if not isinstance(room_id, str):
            return {"error": _("That room does not exist.")}
        try:
            room = participants.join(room_id, request.sid)
        except Refused as refusal:
            return {"error": refusal.message}
        return {"ok": True, "owner": room.owner, "members": participants.members(room.id)}

    def on_disconnect(self, reason=None):
        participants.leave(request.sid)
