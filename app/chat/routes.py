"""Posting messages and GIFs, reading history, and serving GIFs."""

from flask import Blueprint, request

from ..protection import limits
from ..protection.guards import large_body
from ..rooms import service as rooms
from ..visitor.identity import no_session, user_key
from ..web.errors import json_only
from ..web.payload import fields
from . import actions, downloads, editing, gifs, media, service
from .cursors import history_cursor
from .once import posted_once
from .search import search, search_text

bp = Blueprint("chat", __name__)


@bp.get("/room/<room_id>/chats")
@json_only
def chats(room_id):
    """A page of history (older than a cursor newest first, or newer oldest first); with `q`,
    a page of the messages containing it, newest first."""
    cursor, q = history_cursor(request.args), search_text(request.args)
    room = rooms.require_admitted(room_id)
    page = service.history(room, **cursor) if q is None else search(room, q, **cursor)
    return {"chats": [chat.to_json(user_key()) for chat in page]}


@bp.post("/room/<room_id>/chat")
@limits.chat_per_address
@limits.chat_posts
def post_chat(room_id):
    """Post a text message, JSON {"chat": ...} or the form field; with "to", a whisper."""
    payload = fields()
    to = payload.get("to")
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    reply_to = payload.get("replyTo")
    with posted_once(room_id) as (earlier, remember):
        if earlier is not None:  # sent again after its answer was lost: stored once
            return earlier.to_json(), 201
        chat = service.post_chat(
            room,
            payload.get("chat"),
            to=None if to == "" else to,
            reply_to=None if reply_to == "" else reply_to,
        )
        remember(chat)
    return chat.to_json(), 201


@bp.delete("/room/<room_id>/chat/<chat_id>")
@json_only
@limits.deletes_per_address
@limits.chat_deletes
def delete_chat(room_id, chat_id):
    """Its author or the room's owner deletes a message for everyone."""
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    actions.delete_chat(room, chat_id)
    return "", 204


@bp.patch("/room/<room_id>/chat/<chat_id>")
@json_only
@limits.chat_edits
def edit_chat(room_id, chat_id):
    """Its author changes a text message, JSON {"chat": ...}; the stored Chat after it."""
    text = fields().get("chat")
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    return editing.edit_chat(room, chat_id, text).to_json(user_key())


@bp.post("/room/<room_id>/chat/<chat_id>/reactions")
@json_only
@limits.reactions_per_address
@limits.reactions
def react(room_id, chat_id):
    """Toggle this visitor's reaction {"emoji": ...} to a message; the counts after it."""
    emoji = fields().get("emoji")
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    return actions.toggle_reaction(room, chat_id, emoji)


@bp.post("/room/<room_id>/gif")
@large_body
@media.decoder_first
@limits.gif_per_address
@limits.gif_uploads
@limits.gif_bytes
def post_gif(room_id):
    """Upload a GIF to the room, or send one again: JSON {"reuse": "<name>"}; "replyTo" quotes."""
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    reply_to = fields().get("replyTo")
    with posted_once(room_id) as (earlier, remember):
        if earlier is not None:  # uploaded again after its answer was lost: stored once
            return earlier.to_json(), 201
        if request.is_json:
            chat = gifs.send_again(room, fields().get("reuse"), reply_to)
        else:
            upload = request.files.get("gif")
            chat = service.post_gif(room, upload.read() if upload else b"", reply_to)
        remember(chat)
    return chat.to_json(), 201


@bp.get("/room/<room_id>/gifs")
@json_only
def recent_gifs(room_id):
    """The GIFs this visitor may send again: the room's recent ones and their own."""
    room = rooms.require_admitted(room_id)
    return {"gifs": gifs.recent(room)}


@bp.get("/gif/<name>")
@no_session
def gif(name):
    """A stored GIF, for those who may see it (app/chat/downloads.py)."""
    return downloads.serve(name)
