"""Posting chats and GIFs: store them, then deliver them to the room."""

from flask import current_app
from flask_babel import gettext as _

from ..extensions import socketio
from ..identity import current_color
from ..rooms.service import Refused, presence
from ..store import Chat, Room, get_store
from .media import InvalidGif, check_gif


def post_chat(room: Room, text, to=None) -> Chat:
    """Store a text message from this visitor and send it to the room, or whisper it."""
    if not isinstance(text, str):
        raise Refused(_("Write a message."), 400)
    text = text.strip()
    limit = current_app.config["CHAT_MAX_LENGTH"]
    if not text:
        raise Refused(_("Write a message."), 400)
    if len(text) > limit:
        raise Refused(_("A message can be at most %(max)d characters.", max=limit), 400)
    if to is None:
        return _deliver(get_store().add_chat(room.id, current_color(), chat=text))
    if not isinstance(to, str) or to == current_color():
        raise Refused(_("Choose someone in the room."), 400)
    listeners = presence().sockets_of(room.id, to)
    if not listeners:
        raise Refused(_("%(color)s is not in the room.", color=to), 400)
    chat = get_store().add_chat(room.id, current_color(), chat=text, to=to)
    # Only the two of them: their own sockets, never the room.
    listeners += presence().sockets_of(room.id, current_color())
    socketio.emit("chat", chat.to_json(), namespace="/chat", to=listeners)
    return chat


def post_gif(room: Room, data: bytes) -> Chat:
    """Check and store a GIF from this visitor and send it to the room."""
    config = current_app.config
    try:
        check_gif(
            data,
            max_bytes=config["GIF_MAX_BYTES"],
            max_pixels=config["GIF_MAX_PIXELS"],
            max_frames=config["GIF_MAX_FRAMES"],
            max_total_pixels=config["GIF_MAX_TOTAL_PIXELS"],
        )
    except InvalidGif as error:
        raise Refused(str(error), 400) from error
    store = get_store()
    name = store.save_media(room.id, data)
    return _deliver(store.add_chat(room.id, current_color(), gif=name))


def history(room: Room, before: str | None = None, limit: int | None = None) -> list[Chat]:
    """A page of the room's history as this visitor may see it, newest first."""
    limit = limit or current_app.config["HISTORY_PAGE_SIZE"]
    return get_store().chats(room.id, limit=limit, before=before, viewer=current_color())


def _deliver(chat: Chat) -> Chat:
    socketio.emit("chat", chat.to_json(), namespace="/chat", to=chat.room)
    return chat
