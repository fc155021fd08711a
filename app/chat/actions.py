"""What people do to a message already sent: delete it, react to it."""

from flask import current_app
from flask_babel import gettext as _

from .. import wire
from ..presence import get_presence
from ..rooms.service import is_owner
from ..store import Chat, Room, get_store
from ..visitor.identity import user_key
from ..web.errors import Refused


def find_chat(room: Room, chat_id) -> Chat:
    """The room's message chat_id as this visitor may see it; 404 for anything else."""
    chat = get_store().get_chat(chat_id) if isinstance(chat_id, str) else None
    if chat is None or chat.room != room.id or not chat.visible_to(user_key()):
        raise Refused(_("That message does not exist."), 404)
    return chat


def delete_chat(room: Room, chat_id) -> None:
    """Its author or the room's owner deletes a message, for everyone, history included."""
    chat = find_chat(room, chat_id)
    if chat.user == "system":
        raise Refused(_("Notices cannot be deleted."), code="notice")
    if chat.user_key != user_key() and not is_owner(room):
        raise Refused(
            _("Only its author or the room's owner can delete a message."), code="not-author"
        )
    if get_store().delete_chat(chat.id) is not None:
        wire.tell(chat, wire.DELETE, {"_id": chat.id, "room": chat.room})


def toggle_reaction(room: Room, chat_id, emoji) -> dict:
    """Give a reaction to a message, or take it back; everyone who sees it sees the count."""
    if not isinstance(emoji, str) or emoji not in current_app.config["REACTIONS"]:
        raise Refused(_("Choose one of the reactions."), 400)
    chat = find_chat(room, chat_id)
    if chat.user == "system":
        raise Refused(_("Notices take no reactions."), 400, "notice")
    chat = get_store().toggle_reaction(chat.id, emoji, user_key())
    if chat is None:  # deleted meanwhile
        raise Refused(_("That message does not exist."), 404)
    counts = chat.reaction_counts()
    mine = chat.to_json(user_key()).get("mine", [])
    payload = {"_id": chat.id, "room": chat.room, "reactions": counts}
    # My other tabs learn which are mine too; nobody else does.
    own = get_presence().sockets_of(room.id, user_key())
    wire.tell(chat, wire.REACTION, payload, skip=own)
    wire.to_sockets(own, wire.REACTION, {**payload, "mine": mine})
    return {"_id": chat.id, "reactions": counts, "mine": mine}
