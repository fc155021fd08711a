"""Room rules shared by HTTP routes and socket events."""

from datetime import UTC, datetime

from flask import current_app, session
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from .. import wire
from ..offload import run_blocking
from ..presence import get_presence
from ..presence.deadlines import get_deadlines
from ..store import Room, get_store
from ..store.models import iso
from ..visitor.identity import current_color, current_name, user_key
from ..web.errors import Refused


def create_room(title: str, capacity: int, password: str | None) -> Room:
    """Create a room owned by this visitor, let them in and show it in every lobby."""
    password_hash = run_blocking(generate_password_hash, password) if password else None
    room = get_store().create_room(
        title, capacity, current_color(), password_hash, user_key(), current_name()
    )
    admit(room)
    # A room nobody ever enters goes the way of an emptied one; lobbies see it closing too.
    _schedule_deletion(room.id)
    wire.to_lobbies(wire.NEW_ROOM, lobby_json(room))
    return room


def find_room(room_id: str) -> Room:
    room = get_store().get_room(room_id)
    if room is None:
        raise Refused(_("That room does not exist."), 404)
    return room


def lobby_json(room: Room) -> dict:
    """A room as every lobby sees it: the same for everyone, so it can be broadcast."""
    count = get_presence().count(room.id)
    return {**room.to_json(), "count": count, "closesAt": closes_at(room.id, count)}


def closes_at(room_id: str, count: int) -> str | None:
    """When the empty room will be deleted (ISO 8601 UTC), or None while anyone is in it."""
    # Read from the deadline itself (in Redis on a cluster), so every process says one time.
    # A room someone entered meanwhile outlives a deadline still pending: it is not closing.
    due = None if count else get_deadlines().due("delete-if-empty", room_id)
    return None if due is None else iso(datetime.fromtimestamp(due, UTC))


def lobby_json_for_viewer(room: Room) -> dict:
    """A room as this visitor's lobby lists it: closed to them once they were removed from it."""
    return {**lobby_json(room), "closed": is_banned(room)}


def is_banned(room: Room) -> bool:
    key = user_key()
    return key is not None and key in room.banned


def is_admitted(room: Room) -> bool:
    return room.id in session.get("rooms", [])


ADMISSIONS_KEPT = 100  # rooms come and go; a session need not remember every one


def admit(room: Room) -> None:
    if not is_admitted(room):
        kept = session.get("rooms", [])[-(ADMISSIONS_KEPT - 1) :]
        session["rooms"] = [*kept, room.id]


def check_capacity(room: Room) -> None:
    """A full room turns newcomers away, never someone already in it."""
    presence = get_presence()
    if presence.count(room.id) >= room.capacity and not presence.has(room.id, user_key()):
        raise Refused(_("The room is full."), code="full")


def password_matches(room: Room, password: str) -> bool:
    return room.secret and run_blocking(check_password_hash, room.password_hash, password)


def check_not_banned(room: Room) -> None:
    if is_banned(room):
        raise Refused(_("You were removed from this room."), code="banned")


def enter_page(room_id: str) -> Room:
    """Open a room's page: unknown, full and forbidden rooms refuse; a public room admits."""
    room = find_room(room_id)
    check_not_banned(room)
    check_capacity(room)
    if not room.secret:
        admit(room)
    return room


def require_admitted(room_id: str) -> Room:
    room = find_room(room_id)
    check_not_banned(room)
    if not is_admitted(room):
        raise Refused(_("Enter the room first."), code="not-admitted")
    return room


def require_present(room: Room) -> None:
    """Only someone in the room may post: capacity, kicks and bans then hold for every post.

    In the room means a socket joined to it, or one that left less than the exit debounce ago.
    """
    if not get_presence().has(room.id, user_key()):
        raise Refused(_("Join the room first: open its page to take part."), code="not-present")


def announce_occupancy(room_id: str) -> None:
    """Tell every lobby how many people the room holds now, and when it closes if empty."""
    count = get_presence().count(room_id)
    payload = {"_id": room_id, "count": count, "closesAt": closes_at(room_id, count)}
    wire.to_lobbies(wire.OCCUPANCY, payload)


def delete_room(room_id: str) -> bool:
    """Delete a room with all it holds, and tell lobbies and whoever is inside."""
    if not get_store().delete_room(room_id):
        return False
    sids = get_presence().forget(room_id)
    wire.to_lobbies(wire.REMOVE_ROOM, room_id)
    wire.to_room(room_id, wire.REMOVE_ROOM, room_id)
    for sid in sids:
        wire.leave(sid, room_id)
    return True


def is_owner(room: Room) -> bool:
    """Ownership goes by the private key: two people may share a color."""
    return room.owner_key is not None and room.owner_key == user_key()


def delete_owned_room(room_id: str) -> None:
    room = find_room(room_id)
    if not is_owner(room):
        raise Refused(_("Only the owner can delete the room."), code="not-owner")
    delete_room(room.id)


def watch_empty(room_id: str) -> None:
    """Delete the room if nobody is in it when the grace period is over; lobbies count down."""
    _schedule_deletion(room_id)
    announce_occupancy(room_id)


def _schedule_deletion(room_id: str) -> None:
    grace = current_app.config["ROOM_EMPTY_GRACE_SECONDS"]
    get_deadlines().schedule("delete-if-empty", room_id, grace)


def delete_if_empty(room_id: str, _arg=None) -> None:
    """The "delete-if-empty" deadline: someone who came meanwhile keeps the room."""
    if get_presence().count(room_id) == 0:
        delete_room(room_id)


def watch_existing_rooms() -> None:
    """At start-up nobody is in any room yet: give each the empty-room grace period, in which
    the people who were in it come back (app/rooms/folding.py keeps that quiet), and its owner
    the hand-over's wait: an owner who never comes back leaves no room without one."""
    for room in get_store().list_rooms():
        watch_empty(room.id)
        if room.owner_key is not None:
            watch_owner(room.id, room.owner_key)


def reschedule_rooms() -> None:
    """After Redis lost its deadlines: each empty room waits out its grace again, and each
    room whose owner is away its hand-over. Both look again when due, so a process that
    has not yet put its people back makes no room go too early."""
    presence = get_presence()
    for room in get_store().list_rooms():
        keys = {person.user_key for person in presence.people(room.id)}
        if not keys:
            watch_empty(room.id)
        elif room.owner_key is not None and room.owner_key not in keys:
            watch_owner(room.id, room.owner_key)


def watch_owner(room_id: str, owner_key: str) -> None:
    """Hand the room over if its owner, gone while others stay, is not back in time."""
    wait = current_app.config["OWNER_HANDOVER_SECONDS"]
    get_deadlines().schedule("hand-over", room_id, wait, arg=owner_key)
