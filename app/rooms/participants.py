"""Who is in a room: joining, leaving, notices, the owner's hand-over and kicks."""

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import wire
from ..pages import NOTICES
from ..presence import Person, RoomFull, Upkeep, get_presence
from ..presence.deadlines import get_deadlines
from ..store import Room, get_store
from ..visitor.identity import current_color, current_handle, current_name, is_handle, user_key
from ..visitor.names import lookalikes
from ..web.errors import Refused
from .folding import back_after_restart, quiet_exit, quiet_join, started
from .service import (
    announce_occupancy,
    check_not_banned,
    delete_if_empty,
    find_room,
    is_admitted,
    is_owner,
    reschedule_rooms,
    watch_empty,
    watch_owner,
)


def me() -> Person:
    """This visitor as the others in a room know them."""
    return Person(user_key(), current_color(), current_handle(), current_name())


def join(room_id, sid: str) -> Room:
    """Put a socket in a room; a visitor who was not there (or stayed away) is announced."""
    room = find_room(room_id)
    check_not_banned(room)
    if room.secret and not is_admitted(room):
        raise Refused(_("Enter the password first."), code="not-admitted")
    if get_presence().room_of(sid) not in (None, room.id):
        leave(sid, at_once=True)
    try:
        first_tab = get_presence().join(
            room.id,
            sid,
            user_key(),
            current_color(),
            room.capacity,
            handle=current_handle(),
            name=current_name(),
        )
    except RoomFull:
        raise Refused(_("The room is full."), code="full") from None
    wire.enter(sid, room.id)
    get_deadlines().cancel("delete-if-empty", room.id)
    get_deadlines().cancel("exit", room.id, user_key())  # back within the debounce: a blip
    if first_tab:
        if quiet_join(room.id, user_key()) or back_after_restart(room.id, current_handle()):
            tell_members(room.id, skip_sid=sid)
        else:
            announce(room.id, "join", me(), skip_sid=sid)
        announce_occupancy(room.id)
    return room


def leave(sid: str, *, at_once: bool = False) -> None:
    """Take a socket out of its room; the visitor's last tab leaving starts their exit."""
    # The exit waits EXIT_DEBOUNCE_SECONDS for the visitor to come back (a reload, a language
    # switch, a reconnect), unless `at_once`: the socket moved to another room.
    departure = get_presence().leave(sid)
    if departure is None:
        return
    wire.leave(sid, departure.room)
    if not departure.last_tab:
        return
    debounce = current_app.config["EXIT_DEBOUNCE_SECONDS"]
    if at_once or debounce <= 0:
        finish_exit(departure.room, departure.user_key)
    else:
        get_deadlines().schedule("exit", departure.room, debounce, arg=departure.user_key)


def finish_exit(room_id: str, departed_key: str) -> None:
    """The "exit" deadline: a visitor who stayed away leaves for good, and is announced."""
    # The empty-room grace and the owner's hand-over count from here, not from the last socket.
    person = get_presence().person(room_id, departed_key)
    if person is None or get_presence().drop(room_id, departed_key) is None:
        return  # back meanwhile, kicked, or the room is gone
    if quiet_exit(room_id, departed_key):
        tell_members(room_id)
    else:
        announce(room_id, "exit", person)
    if get_presence().count(room_id) == 0:
        watch_empty(room_id)  # lobbies hear it empty, with when it closes
        return
    announce_occupancy(room_id)
    room = get_store().get_room(room_id)
    if room is not None and room.owner_key == departed_key:
        watch_owner(room_id, departed_key)


def members(room_id: str) -> list[dict]:
    """Who is present as the wire shows them: the owner first, then the longest present first.

    The one order every page shows, whoever rejoined first after a restart or a reconnect.
    """
    room = get_store().get_room(room_id)
    owner_key = room.owner_key if room else None
    people = sorted(get_presence().people(room_id), key=lambda p: p.user_key != owner_key)
    alike = lookalikes([p.name for p in people])
    return [
        {"handle": p.handle, "color": p.color, "name": p.name, "owner": p.user_key == owner_key}
        | ({"lookalike": True} if i in alike else {})
        for i, p in enumerate(people)
    ]


def label(person: Person) -> str:
    """How a notice names someone: their name beside their color, or the color alone."""
    return f"{person.name} ({person.color})" if person.name else person.color


def announce(room_id: str, kind: str, person: Person, skip_sid: str | None = None) -> None:
    """Store a system notice in the room's history and send it with who is present."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = _notice_text(kind, label(person))
    chat = get_store().add_chat(
        room_id,
        "system",
        chat=text,
        kind=kind,
        who=person.color,
        name=person.name,
        handle=person.handle,
    )
    payload = {**chat.to_json(), "members": members(room_id)}
    wire.to_room(room_id, kind, payload, skip=[skip_sid] if skip_sid else ())


def tell_members(room_id: str, skip_sid: str | None = None) -> None:
    """Who is present now, without a notice: a join or exit folded into an earlier one."""
    payload = {"room": room_id, "members": members(room_id)}
    wire.to_room(room_id, wire.MEMBERS, payload, skip=[skip_sid] if skip_sid else ())


def _notice_text(kind: str, color: str) -> str:
    # The one table of notice texts, which pages also hand their scripts.
    return str(NOTICES[kind]) % {"color": color}


def hand_over(room_id: str, owner_key: str) -> None:
    """The "hand-over" deadline: the room passes to the longest present, unless reclaimed."""
    # Its owner may have come back, or the room changed hands meanwhile.
    room = get_store().get_room(room_id)
    present = get_presence().people(room_id)
    if room is None or room.owner_key != owner_key or not present:
        return
    if any(person.user_key == owner_key for person in present):
        return
    successor = present[0]
    get_store().set_owner(room_id, successor.color, successor.user_key, successor.name)
    announce(room_id, "owner", successor)
    announce_owner(room_id, successor.color, successor.name)


def announce_owner(room_id: str, color: str, name: str | None) -> None:
    """Tell every lobby who owns the room now, or the owner's new name."""
    payload = {"_id": room_id, "owner": color, "ownerName": name}
    wire.to_lobbies(wire.OWNER, payload)


def find_person(room: Room, handle) -> Person:
    """The person in room with this handle; a 400 for a malformed handle or someone not there."""
    if not is_handle(handle):
        raise Refused(_("Choose someone in the room."), 400)
    key = get_presence().key_of(room.id, handle)
    person = key and get_presence().person(room.id, key)
    if not person:
        raise Refused(_("That person is not in the room."), 400, "not-in-room")
    return person


def kick(room_id: str, handle) -> None:
    """The owner removes a participant, who may not come back while the room lives."""
    # Aimed by handle, never by color: someone who took the color of another cannot get
    # them removed, and removing them never bans the other.
    room = find_room(room_id)
    if not is_owner(room):
        raise Refused(_("Only the owner can remove people."), code="not-owner")
    person = find_person(room, handle)
    if person.user_key == room.owner_key:
        raise Refused(_("The owner cannot be removed."), 400, "owner-stays")
    presence = get_presence()
    get_store().ban(room.id, person.user_key)
    for sid in presence.sockets_of(room.id, person.user_key):
        presence.leave(sid)
        wire.leave(sid, room.id)
        wire.to_sockets([sid], wire.KICKED, {"room": room.id})
    presence.drop(room.id, person.user_key)
    announce(room.id, "kick", person)
    if presence.count(room.id) == 0:
        watch_empty(room.id)
    else:
        announce_occupancy(room.id)


def init_app(app: Flask) -> None:
    """Say what each kind of room deadline does, and what repairing presence asks of rooms."""
    app.extensions["upkeep"] = Upkeep(leave=leave, reschedule=reschedule_rooms)
    started(app)
    deadlines = app.extensions["deadlines"]
    deadlines.register("delete-if-empty", delete_if_empty)
    deadlines.register("exit", finish_exit)
    deadlines.register("hand-over", hand_over)
