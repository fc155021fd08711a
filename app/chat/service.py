"""Posting chats and GIFs: store them, then deliver them to the room."""

from flask import current_app
from flask_babel import gettext as _

from .. import wire
from ..rooms.participants import find_person
from ..rooms.service import is_owner
from ..store import Chat, Room, get_store
from ..visitor.identity import current_color, current_handle, current_name, user_key
from ..web.errors import Refused
from . import replies
from .media import InvalidGif, check_upload


def clean_text(text) -> str:
    """A message's text as it is stored: trimmed, 1 to CHAT_MAX_LENGTH characters, never cut."""
    if not isinstance(text, str) or not text.strip():
        raise Refused(_("Write a message."), 400, "empty")
    text = text.strip()
    limit = current_app.config["CHAT_MAX_LENGTH"]
    if len(text) > limit:
        raise Refused(_("A message can be at most %(max)d characters.", max=limit), 400, "too-long")
    return text


def post_chat(room: Room, text, to=None, reply_to=None) -> Chat:
    """Store a text message from this visitor and send it to the room, or whisper it.

    With reply_to (a message's id) it quotes that message; a reply to a whisper is whispered.
    """
    text = clean_text(text)
    quoted = {}
    if reply_to is not None:
        quoted["reply_to"], original = replies.quote(room, reply_to)
        to = replies.addressee(original, to)
    if to is None:
        return deliver(store_chat(room, chat=text, **quoted))
    return _whisper(room, text, to, **quoted)


def _whisper(room: Room, text: str, to, **quoted) -> Chat:
    """A message only its sender and its addressee receive, live and in their histories."""
    # `to` is the addressee's handle: a color may be shared, a handle never is.
    addressee = find_person(room, to)
    if addressee.user_key == user_key():
        raise Refused(_("Choose someone in the room."), 400)
    chat = store_chat(
        room,
        chat=text,
        to=addressee.color,
        to_key=addressee.user_key,
        to_name=addressee.name,
        to_handle=addressee.handle,
        **quoted,
    )
    return deliver(chat)


def store_chat(room: Room, **fields) -> Chat:
    """Store a message from this visitor with their name, handle and, if theirs, the owner mark."""
    return get_store().add_chat(
        room.id,
        current_color(),
        user_key=user_key(),
        name=current_name(),
        handle=current_handle(),
        owner=is_owner(room),
        **fields,
    )


def post_gif(room: Room, data: bytes, reply_to=None) -> Chat:
    """Check and store a GIF from this visitor and send it to the room, quoting reply_to."""
    quoted = replies.for_gif(room, reply_to)  # refused before the GIF takes a decoder
    try:
        check_upload(data)  # decoded in a worker thread, a few at a time
    except InvalidGif as error:
        raise Refused(str(error), error.status, error.code) from error
    name = get_store().save_media(room.id, data)
    return deliver(store_chat(room, gif=name, reply_to=quoted))


def history(room: Room, *, limit: int | None = None, **cursor) -> list[Chat]:
    """A page of history as this visitor may see it, in the room's order (see Store.chats).

    The latest page newest first; `before`/`before_seq` the page older than a message, newest
    first; `after`/`after_seq` the page newer than it, oldest first.
    """
    limit = limit or current_app.config["HISTORY_PAGE_SIZE"]
    return get_store().chats(room.id, limit=limit, viewer_key=user_key(), **cursor)


def deliver(chat: Chat) -> Chat:
    """Send a stored chat to whoever hears it: its room, or a whisper's two people."""
    wire.tell(chat, wire.MESSAGE, chat.to_json())
    return chat
