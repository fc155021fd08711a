"""Presence that ignores blips: a reload, a language switch or a reconnect is no exit.

Each test waits for a later, real exit and checks the order of what others received,
never the clock; the debounce is long beside a test client's round trip.
"""

import pytest

from .waiting import wait_for

DEBOUNCE = 1.0
BOUND = 10.0  # seconds: how long a test waits for an announced exit before it fails


@pytest.fixture
def config(config):
    config["EXIT_DEBOUNCE_SECONDS"] = DEBOUNCE
    return config


@pytest.fixture
def backend():
    return "sqlite"  # about presence, not storage


def received(sock, into):
    """Add what sock has received since the last call to `into`; returns `into`."""
    into += [(e["name"], e["args"][0]) for e in sock.get_received("/chat")]
    return into


def exits(events):
    return [payload["who"] for name, payload in events if name == "exit"]


def kinds(store, room_id):
    return [(chat.kind, chat.who) for chat in reversed(store.chats(room_id, limit=50)) if chat.kind]


def colors(members):
    return [member["color"] for member in members]


def lobby_events(lobby):
    """(name, room id) of what a lobby socket received; other tests' rooms may show up too."""
    for event in lobby.get_received("/room"):
        about = event["args"][0]
        yield event["name"], about if isinstance(about, str) else about["_id"]


def test_a_reload_posts_no_notice_to_others_nor_to_history(trio, store):
    room_id, (alice, bob, carol), (a, b, c) = trio
    before = kinds(store, room_id)
    b.disconnect(namespace="/chat")  # the page unloads...
    bob.join(room_id)  # ...and the reloaded page joins again
    c.disconnect(namespace="/chat")  # Carol leaves for good, after Bob came back
    events = []
    assert wait_for(lambda: exits(received(a, events)), BOUND)
    assert [name for name, _ in events] == ["exit"]
    assert events[0][1]["who"] == carol.color
    assert colors(events[0][1]["members"]) == [alice.color, bob.color]
    assert kinds(store, room_id) == [*before, ("exit", carol.color)]


def test_a_real_leave_is_announced_after_the_debounce(trio, store, app, visitor):
    room_id, (alice, bob, carol), (a, b, c) = trio
    lobby = visitor().socket("/room")
    b.disconnect(namespace="/chat")
    # Within the debounce Bob still counts and is still listed.
    assert app.extensions["presence"].count(room_id) == 3
    late = visitor()
    late.enter(room_id)
    ack = late.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert colors(ack["members"]) == [alice.color, bob.color, carol.color, late.color]
    events = []
    assert wait_for(lambda: exits(received(a, events)), BOUND)
    assert [name for name, _ in events] == ["join", "exit"]  # Bob's exit came after
    assert events[1][1]["who"] == bob.color
    assert colors(events[1][1]["members"]) == [alice.color, carol.color, late.color]
    assert ("exit", bob.color) in kinds(store, room_id)
    counts = [
        e["args"][0]["count"]
        for e in lobby.get_received("/room")
        if e["name"] == "occupancy" and e["args"][0]["_id"] == room_id
    ]
    assert counts == [4, 3]


def test_a_seat_is_kept_through_a_reload_of_a_full_room(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room("Pair", max=2)
    a = alice.join(room_id)
    b = bob.join(room_id)
    a.get_received("/chat")
    b.disconnect(namespace="/chat")
    carol.enter(room_id)
    sock = carol.socket()
    assert sock.emit("join", room_id, namespace="/chat", callback=True) == {
        "error": "허용 인원을 초과했습니다.",
        "code": "full",
    }
    b = bob.join(room_id)  # Bob's reload finds his seat
    b.disconnect(namespace="/chat")  # then he leaves for good
    events = []
    assert wait_for(lambda: exits(received(a, events)), BOUND)
    assert sock.emit("join", room_id, namespace="/chat", callback=True)["ok"] is True


def test_a_switch_of_language_is_a_reload_too(trio, store):
    room_id, (alice, bob, carol), (a, b, c) = trio
    b.disconnect(namespace="/chat")
    bob.client.post(
        "/lang", data={"lang": "en", "next": f"/room/{room_id}", "csrf_token": bob.csrf}
    )
    bob.join(room_id)
    c.disconnect(namespace="/chat")
    events = []
    assert wait_for(lambda: exits(received(a, events)), BOUND)
    assert exits(events) == [carol.color]


def quicken_grace(app):
    """From now on (once the room is entered, so it cannot go before): a short grace, and as
    short a wait for a departed owner."""
    app.config["ROOM_EMPTY_GRACE_SECONDS"] = 0.2
    app.config["OWNER_HANDOVER_SECONDS"] = 0.2


def test_the_owner_hand_over_follows_a_final_exit(trio, store, app):
    room_id, (alice, bob, carol), (a, b, c) = trio
    quicken_grace(app)
    a.disconnect(namespace="/chat")
    events = []
    assert wait_for(lambda: "owner" in [name for name, _ in received(c, events)], BOUND)
    assert [name for name, _ in events] == ["exit", "owner"]
    assert store.get_room(room_id).owner == bob.color


def test_an_emptied_room_is_deleted_after_the_exit_and_the_grace(visitor, store, app):
    alice = visitor()
    room_id = alice.create_room()
    sock = alice.join(room_id)
    quicken_grace(app)
    sock.disconnect(namespace="/chat")
    lobby = visitor().socket("/room")
    removed = []

    def gone():
        removed.extend(name for name, about in lobby_events(lobby) if about == room_id)
        return "removeRoom" in removed

    assert wait_for(gone, BOUND)
    assert removed == ["occupancy", "removeRoom"]  # the exit counted first, then the grace ran
    assert store.get_room(room_id) is None
