"""Lobby and room pages: listing, creating, entering and deleting rooms."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..protection import limits
from ..store import get_store
from ..store.models import iso, utcnow
from ..visitor.identity import user_key
from ..web.errors import back_to_lobby, json_only, own_rate_limit_page
from ..web.payload import fields
from . import participants, service
from .forms import PasswordForm, RoomForm

bp = Blueprint("rooms", __name__)


@bp.get("/")
def lobby():
    """Every room, with its occupancy."""
    return render_template("main.html", rooms=_lobby_for_viewer())


@bp.get("/rooms")
def room_list():
    """Every room with its occupancy, as JSON: the lobby catching up after a reconnect."""
    # `now` lets a page whose clock is off count down to each closesAt all the same.
    return {"rooms": _lobby_for_viewer(), "now": iso(utcnow())}


def _lobby_for_viewer() -> list[dict]:
    """The lobby as this visitor sees it: rooms they were removed from are marked closed."""
    return [service.lobby_json_for_viewer(room) for room in get_store().list_rooms()]


@bp.route("/room", methods=["GET", "POST"])
@limits.rooms_per_address
@limits.rooms_per_visitor
def create():
    """The create-room form; a valid one creates the room and enters it."""
    form = RoomForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("room.html", form=form), status
    room = service.create_room(form.title.data, form.max.data, form.password.data or None)
    return redirect(url_for("rooms.room", room_id=room.id))


@bp.get("/room/<room_id>")
@back_to_lobby
def room(room_id):
    """The chat page, or the password form for a secret room not yet entered."""
    room = service.enter_page(room_id)
    if not service.is_admitted(room):
        return render_template("password.html", room=room, form=PasswordForm())
    # Read from the store, not through the chat feature: chat depends on rooms, never back.
    latest = get_store().chats(
        room.id, limit=current_app.config["HISTORY_PAGE_SIZE"], viewer_key=user_key()
    )
    chats = [each.to_json(user_key()) for each in reversed(latest)]
    return render_template(
        "chat.html", room=room.to_json(), chats=chats, is_owner=service.is_owner(room)
    )


def _password_form_again(message: str, room_id: str):
    """A locked-out password page: the form again, with the wait as its error."""
    room = get_store().get_room(room_id)
    if room is None:
        return None  # answered like any other page
    form = PasswordForm()
    form.password.errors = [message]
    return render_template("password.html", room=room, form=form)


@bp.post("/room/<room_id>/password")
@back_to_lobby
@own_rate_limit_page(_password_form_again)
@limits.password_attempts
def password(room_id):
    """Check a secret room's password and let the visitor in."""
    form = PasswordForm()
    room = service.find_room(room_id)
    service.check_not_banned(room)
    if not form.validate_on_submit():
        return render_template("password.html", room=room, form=form), 400
    if not service.password_matches(room, form.password.data):
        form.password.errors.append(_("Wrong password."))
        return render_template("password.html", room=room, form=form), 403
    service.admit(room)
    return redirect(url_for("rooms.room", room_id=room.id))


@bp.delete("/room/<room_id>")
def delete(room_id):
    """The owner deletes the room and everything in it."""
    service.delete_owned_room(room_id)
    return "", 204


@bp.post("/room/<room_id>/kick")
@json_only
def kick(room_id):
    """The owner removes a participant from the room for good."""
    participants.kick(room_id, fields().get("user"))
    return "", 204
