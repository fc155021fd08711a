"""Lobby and room pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..errors import error_response, json_error
from ..payload import fields
from ..store import get_store
from . import participants, service
from .forms import PasswordForm, RoomForm

bp = Blueprint("rooms", __name__)


@bp.get("/")
def lobby():
    """Every room, with its occupancy."""
    rooms = [service.lobby_json(room) for room in get_store().list_rooms()]
    return render_template("main.html", rooms=rooms)


@bp.get("/rooms")
def room_list():
    """Every room with its occupancy, as JSON: the lobby catching up after a reconnect."""
    return {"rooms": [service.lobby_json(room) for room in get_store().list_rooms()]}


@bp.route("/room", methods=["GET", "POST"])
def create():
    """The create-room form; a valid one creates the room and enters it."""
    form = RoomForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("room.html", form=form), status
    room = service.create_room(form.title.data, form.max.data or 10, form.password.data or None)
    return redirect(url_for("chat.room", room_id=room.id))


@bp.post("/room/<room_id>/password")
def password(room_id):
    """Check a secret room's password and let the visitor in."""
    form = PasswordForm()
    try:
        room = service.find_room(room_id)
        service.check_not_banned(room)
    except service.Refused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("rooms.lobby"))
    if not form.validate_on_submit():
        return render_template("password.html", room=room, form=form), 400
    try:
        service.check_password(room, form.password.data)
    except service.Refused as refusal:
        form.password.errors.append(refusal.message)
        return render_template("password.html", room=room, form=form), refusal.status
    service.admit(room)
    return redirect(url_for("chat.room", room_id=room.id))


@bp.delete("/room/<room_id>")
def delete(room_id):
    """The owner deletes the room and everything in it."""
    try:
        service.delete_owned_room(room_id)
    except service.Refused as refusal:
        return error_response(refusal.message, refusal.status)
    return "", 204


@bp.post("/room/<room_id>/kick")
def kick(room_id):
    """The owner removes a participant from the room for good."""
    try:
        participants.kick(room_id, fields().get("user"))
    except service.Refused as refusal:
        return json_error(refusal.message, refusal.status)
    return "", 204
