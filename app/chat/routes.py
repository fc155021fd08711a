"""The chat page, posting messages and GIFs, and serving GIFs."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import error_response, json_error
from ..payload import fields
from ..rooms import service as rooms
from ..rooms.forms import PasswordForm
from ..store import get_store, is_id
from . import service

bp = Blueprint("chat", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/room/<room_id>")
def room(room_id):
    """The chat page, or the password form for a secret room not yet entered."""
    try:
        room = rooms.enter_page(room_id)
    except rooms.Refused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("rooms.lobby"))
    if not rooms.is_admitted(room):
        return render_template("password.html", room=room, form=PasswordForm())
    chats = [chat.to_json() for chat in reversed(service.history(room))]
    return render_template(
        "chat.html", room=room.to_json(), chats=chats, is_owner=rooms.is_owner(room)
    )


@bp.get("/room/<room_id>/chats")
def chats(room_id):
    """A page of history: older than `before` newest first, or newer than `after` oldest first."""
    before, after = request.args.get("before"), request.args.get("after")
    if before is not None and after is not None:
        return json_error(_("Ask for messages before or after one message, not both."), 400)
    if any(cursor is not None and not is_id(cursor) for cursor in (before, after)):
        return json_error(_("That is not a message id."), 400)
    try:
        room = rooms.require_admitted(room_id)
    except rooms.Refused as refusal:
        return json_error(refusal.message, refusal.status)
    page = service.history(room, before=before, after=after)
    return {"chats": [chat.to_json() for chat in page]}


@bp.post("/room/<room_id>/chat")
def post_chat(room_id):
    """Post a text message, JSON {"chat": ...} or the form field; with "to", a whisper."""
    payload = fields()
    to = payload.get("to")
    try:
        room = rooms.require_admitted(room_id)
        chat = service.post_chat(room, payload.get("chat"), to=None if to == "" else to)
    except rooms.Refused as refusal:
        return error_response(refusal.message, refusal.status)
    return chat.to_json(), 201


@bp.post("/room/<room_id>/gif")
def post_gif(room_id):
    """Upload a GIF to the room."""
    upload = request.files.get("gif")
    try:
        room = rooms.require_admitted(room_id)
        chat = service.post_gif(room, upload.read() if upload else b"")
    except rooms.Refused as refusal:
        return error_response(refusal.message, refusal.status)
    return chat.to_json(), 201


@bp.get("/gif/<name>")
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
