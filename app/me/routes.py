"""Display names: what a visitor chooses to be called, beside the color that stays theirs."""

from flask import Blueprint, redirect, request, session, url_for
from flask_babel import gettext as _

from .. import wire
from ..presence import get_presence
from ..protection import limits
from ..rooms.participants import announce_owner, members
from ..store import get_store
from ..visitor import names
from ..visitor.identity import (
    THEMES,
    current_color,
    current_handle,
    current_name,
    current_theme,
    user_key,
)
from ..web.errors import Refused
from ..web.i18n import is_local_path
from ..web.payload import fields

bp = Blueprint("me", __name__)


def clean_name(value) -> str:
    """The name as it will be shown; refused when it could pass for someone else's here."""
    return names.clean_name(value, others=names_around())


def names_around() -> list[str]:
    """The names of the others in every room this visitor is in."""
    presence, mine = get_presence(), user_key()
    return [
        person.name
        for room in presence.rooms_of(mine)
        for person in presence.people(room)
        if person.user_key != mine
    ]


def whoami() -> dict:
    return {"handle": current_handle(), "color": current_color(), "name": current_name()}


@bp.get("/me")
def show():
    """This visitor as others see them: handle, color and name (null when none chosen)."""
    return whoami()


@bp.post("/me")
@limits.renames
def rename():
    """Choose a display name (JSON or form field `name`); rooms and lobbies hear of it live."""
    payload = fields()
    name = clean_name(payload.get("name"))
    if name != current_name():  # the same name again is news to nobody
        session["name"] = name
        announce_name(name)
    if request.is_json:
        return whoami()
    return redirect(back_to(payload))


@bp.post("/theme")
def theme():
    """Choose light, dark or the system's colors (JSON or form `theme`), kept in the session."""
    payload = fields()
    chosen = payload.get("theme")
    if not isinstance(chosen, str) or chosen not in THEMES:
        raise Refused(_("Choose light, dark or system."), 400)
    session["theme"] = chosen
    if request.is_json:
        return {"theme": current_theme()}
    return redirect(back_to(payload))


def back_to(payload) -> str:
    """The page a form came from (`next`, a path on this site), or the lobby."""
    target = payload.get("next", "")
    return target if isinstance(target, str) and is_local_path(target) else url_for("rooms.lobby")


def announce_name(name: str) -> None:
    """Tell the rooms the visitor is in, and the lobbies of the rooms they own, the new name."""
    for room_id in get_presence().rename(user_key(), name):
        payload = {**whoami(), "members": members(room_id)}
        wire.to_room(room_id, wire.NAME, payload)
    store = get_store()
    for room in store.owned_rooms(user_key()):
        if room.owner_name != name:  # the same name again tells the lobbies nothing new
            store.set_owner(room.id, room.owner, room.owner_key, name)
            announce_owner(room.id, room.owner, name)
