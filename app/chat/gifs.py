"""GIFs worth sending again: the room's recent ones and the visitor's own."""

from flask import current_app
from flask_babel import gettext as _

from ..store import Chat, Room, get_store
from ..visitor.identity import user_key
from ..web.errors import Refused
from . import replies
from .service import deliver, store_chat


def recent(room: Room) -> list[str]:
    """The GIF names last shown in the room or sent by this visitor, newest first."""
    limit = current_app.config["GIF_RECENT_LIMIT"]
    return get_store().recent_gifs(room.id, user_key(), limit=limit)


def send_again(room: Room, name, reply_to=None) -> Chat:
    """Send a GIF this visitor has seen in the room, or sent anywhere, without uploading it."""
    if not isinstance(name, str) or not name:
        raise Refused(_("Choose a GIF."), 400)
    quoted = replies.for_gif(room, reply_to)
    reused = get_store().reuse_gif(name, room.id, user_key())
    if reused is None:
        raise Refused(_("No such GIF."), 404)
    return deliver(store_chat(room, gif=reused, reply_to=quoted))
