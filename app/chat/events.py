"""The /chat namespace: joining a room's live feed and leaving it."""

from flask import request
from flask_babel import gettext as _

from ..protection import socket_limits
from ..rooms import participants
from ..visitor.identity import VisitorNamespace, current_handle, user_key
from ..web.errors import Refused
from . import typing_indicator


class ChatNamespace(VisitorNamespace):
    def on_join(self, room_id=None, *_extra):
        """Join a room's feed: refused for unknown, full, or secret rooms not entered."""
        socket_limits.check_join(request.sid)
        if user_key() is None:  # its session expired, or was kept in a Redis restarted empty
            message = _("Your visit has ended. Reload the page to come back.")
            raise Refused(message, 401, "session-ended")
        if not isinstance(room_id, str):
            raise Refused(_("That room does not exist."), 404)
        room = participants.join(room_id, request.sid)
        members = participants.members(room.id)
        return {"ok": True, "owner": room.owner, "members": members, "me": current_handle()}

    def on_typing(self, data=None, *_extra):
        """{"on": true} when this visitor starts typing, false when they stop."""
        typing_indicator.relay(data)
        return {"ok": True}

    def on_disconnect(self, reason=None):
        typing_indicator.forget(request.sid)
        participants.leave(request.sid)
