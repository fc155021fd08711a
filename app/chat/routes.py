"""Posting messages and GIFs, reading history, and serving GIFs."""

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from .. import limits
from ..errors import Refused, json_error, json_only
from ..guards import large_body
from ..identity import no_session, user_key
from ..payload import fields
from ..rooms import service as rooms
from ..store import get_store, is_id
from . import actions, gifs, service

bp = Blueprint("chat", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/room/<room_id>/chats")
@json_only
def chats(room_id):
    """A page of history: older than `before` newest first, or newer than `after` oldest first."""
    before, after = request.args.get("before"), request.args.get("after")
    if before is not None and after is not None:
        raise Refused(_("Ask for messages before or after one message, not both."), 400)
    if any(cursor is not None and not is_id(cursor) for cursor in (before, after)):
        raise Refused(_("That is not a message id."), 400)
    room = rooms.require_admitted(room_id)
    page = service.history(room, before=before, after=after)
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
    chat = service.post_chat(room, payload.get("chat"), to=None if to == "" else to)
    return chat.to_json(), 201


@bp.delete("/room/<room_id>/chat/<chat_id>")
@json_only
@limits.chat_deletes
def delete_chat(room_id, chat_id):
    """Its author or the room's owner deletes a message for everyone."""
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    actions.delete_chat(room, chat_id)
    return "", 204


@bp.post("/room/<room_id>/chat/<chat_id>/reactions")
@json_only
@limits.reactions
def react(room_id, chat_id):
    """Toggle this visitor's reaction {"emoji": ...} to a message; the counts after it."""
    emoji = fields().get("emoji")
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    return actions.toggle_reaction(room, chat_id, emoji)


@bp.post("/room/<room_id>/gif")
@large_body
@limits.gif_per_address
@limits.gif_uploads
@limits.gif_bytes
def post_gif(room_id):
    """Upload a GIF to the room, or send one again: JSON {"reuse": "<name>"}."""
    room = rooms.require_admitted(room_id)
    rooms.require_present(room)
    if request.is_json:
        return gifs.send_again(room, fields().get("reuse")).to_json(), 201
    upload = request.files.get("gif")
    chat = service.post_gif(room, upload.read() if upload else b"")
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
    """A stored GIF: never sniffed as anything else, cached for good (names are never reused)."""
    media = get_store().open_media(name)
    if media is None:
        # No page: an <img> asked, and a page would start a session for nobody.
        return json_error(_("No such GIF."), 404)
    response = current_app.response_class(media.data, mimetype="image/gif")
    response.set_etag(media.etag)
    response.last_modified = media.created_at
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
