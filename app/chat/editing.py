"""Editing one's own text message: the rules of posting, told to whoever sees the message."""

from flask_babel import gettext as _

from .. import wire
from ..store import Chat, Room, get_store
from ..store.models import iso
from ..visitor.identity import user_key
from ..web.errors import Refused
from .actions import find_chat
from .service import clean_text


def edit_chat(room: Room, chat_id, text) -> Chat:
    """Its author changes a text message's words; everyone who sees it sees the new ones."""
    chat = find_chat(room, chat_id)  # 404 for a whisper that is not one's own, too
    if chat.user == "system" or chat.gif is not None:
        raise Refused(_("Only text messages can be edited."), 400, "not-text")
    # By the private key: a shared color or the room's ownership is no authorship.
    if chat.user_key is None or chat.user_key != user_key():
        raise Refused(_("Only its author can edit a message."), 403, "not-author")
    edited = get_store().edit_chat(chat.id, clean_text(text))
    if edited is None:  # deleted meanwhile
        raise Refused(_("That message does not exist."), 404)
    payload = {"_id": edited.id, "room": edited.room, "chat": edited.chat}
    wire.tell(edited, wire.EDIT, payload | {"editedAt": iso(edited.edited_at)})
    return edited
