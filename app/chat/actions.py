"""What people do to a message already sent: delete it, react to it."""

from flask import current_app
from flask_babel import gettext as _

from ..errors import Refused
from ..extensions import socketio
from ..identity import user_key
from ..presence import get_presence
from ..rooms.service import is_owner
from ..store import Chat, Room, get_store


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
        raise Refused(_("Notices cannot be deleted."))
    if chat.user_key != user_key() and not is_owner(room):
        raise Refused(_("Only its author or the room's owner can delete a message."))
    if get_store().delete_chat(chat.id) is not None:
        _tell(chat, "deleteChat", {"_id": chat.id, "room": chat.room})


def toggle_reaction(room: Room, chat_id, emoji) -> dict:
    """Give a reaction to a message, or take it back; everyone who sees it sees the count."""
    if not isinstance(emoji, str) or emoji not in current_app.config["REACTIONS"]:
        raise Refused(_("Choose one of the reactions."), 400)
    chat = find_chat(room, chat_id)
    if chat.user == "system":
        raise Refused(_("Notices take no reactions."), 400)
    chat = get_store().toggle_reaction(chat.id, emoji, user_key())
    if chat is None:  # deleted meanwhile
        raise Refused(_("That message does not exist."), 404)
    counts = chat.reaction_counts()
    mine = chat.to_json(user_key()).get("mine", [])
    payload = {"_id": chat.id, "room": chat.room, "reactions": counts}
    # My other tabs learn which are mine too; nobody else does.
    own = get_presence().sockets_of(room.id, user_key())
    _tell(chat, "reaction", payload, skip=own)
    if own:
        socketio.emit("reaction", {**payload, "mine": mine}, namespace="/chat", to=own)
    return {"_id": chat.id, "reactions": counts, "mine": mine}


def _tell(chat: Chat, event: str, payload: dict, skip=()) -> None:
    """Send to whoever sees the chat (the room, or a whisper's two people) but the sockets skip."""
    if not chat.is_whisper:
        skip_sid = list(skip) or None
        socketio.emit(event, payload, namespace="/chat", to=chat.room, skip_sid=skip_sid)
        return
    presence = get_presence()
    listeners = [sid for key in {chat.user_key, chat.to_key} if key
                 for sid in presence.sockets_of(chat.room, key) if sid not in skip]  # fmt: skip
    if listeners:
        socketio.emit(event, payload, namespace="/chat", to=listeners)
