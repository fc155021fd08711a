"""Rooms that survive a locked phone: an empty room waits ROOM_EMPTY_GRACE_SECONDS (300 by
default) for its people, lobbies are told when it will close, the owner's hand-over keeps its own
shorter OWNER_HANDOVER_SECONDS, and a restart announces nobody who was already there.

Time stands still (tests/stopped_time.py) unless a test moves it: nothing here is slept.
"""

from datetime import UTC, datetime, timedelta

import pytest

from harness.cluster import redis_server  # noqa: F401 (a fixture)

from .conftest import Visitor
from .stopped_time import stopped


@pytest.fixture
def time(monkeypatch):
    yield from stopped(monkeypatch)


@pytest.fixture
def defaults(config):
    """The shipped grace and hand-over, not the tests' hour."""
    del config["ROOM_EMPTY_GRACE_SECONDS"], config["OWNER_HANDOVER_SECONDS"]


def listed(person, room_id) -> dict:
    """The room as this person's lobby reads it again (GET /rooms)."""
    rooms = person.client.get("/rooms").json["rooms"]
    return next(room for room in rooms if room["_id"] == room_id)


def lobby_said(lobby, room_id) -> list[tuple]:
    """(event, count, closesAt) of what a lobby socket heard about the room since last asked."""
    return [
        (event["name"], event["args"][0].get("count"), event["args"][0].get("closesAt"))
        for event in lobby.get_received("/room")
        if isinstance(event["args"][0], dict) and event["args"][0]["_id"] == room_id
    ]


def moment(text: str) -> datetime:
    """An ISO 8601 UTC time as the wire spells it ("...Z", milliseconds)."""
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text)


def assert_closes_in(text, seconds, before: datetime, after: datetime) -> None:
    """closesAt is `seconds` after a moment between `before` and `after` (to the millisecond)."""
    grace = timedelta(seconds=seconds)
    assert before + grace - timedelta(milliseconds=1) <= moment(text) <= after + grace, text


def now() -> datetime:
    return datetime.now(UTC)


# 1. The shipped grace and hand-over


def test_an_emptied_room_and_its_history_wait_five_minutes_by_default(
    defaults, time, visitor, store
):
    alice = visitor()
    room_id = alice.create_room("locked phones")
    sock = alice.join(room_id)
    alice.post_chat(room_id, "back in a bit")
    sock.disconnect(namespace="/chat")  # her phone locks: the browser drops the socket
    time.move(299)
    assert store.get_room(room_id) is not None
    bob = visitor()
    bob.join(room_id)  # the invite link still works, with the history
    assert "back in a bit" in bob.client.get(f"/room/{room_id}").text
    time.move(3600)
    assert store.get_room(room_id) is not None  # someone is in it: no countdown runs


def test_an_emptied_room_goes_after_the_default_grace(defaults, time, visitor, store):
    alice = visitor()
    room_id = alice.create_room("gone in five")
    alice.join(room_id).disconnect(namespace="/chat")
    lobby = visitor().socket("/room")
    lobby.get_received("/room")
    time.move(299)
    assert store.get_room(room_id) is not None
    time.move(1)
    assert store.get_room(room_id) is None
    assert [e["args"][0] for e in lobby.get_received("/room")] == [room_id]  # removeRoom


def test_a_departed_owner_hands_over_after_its_own_shorter_wait(defaults, time, trio, store):
    room_id, (alice, bob, carol), (a, b, c) = trio
    a.disconnect(namespace="/chat")
    time.move(29)
    assert store.get_room(room_id).owner == alice.color
    time.move(1)
    assert store.get_room(room_id).owner == bob.color
    assert "owner" in c.names()


@pytest.fixture(params=[5, 120])
def handover(request, config):
    """OWNER_HANDOVER_SECONDS, shorter or longer than the grace, as a deployment sets it."""
    config["OWNER_HANDOVER_SECONDS"] = request.param
    config["ROOM_EMPTY_GRACE_SECONDS"] = 60
    return request.param


def test_the_hand_over_follows_its_setting_whatever_the_grace(handover, time, trio, store):
    room_id, (alice, bob, _), (a, _, _) = trio
    a.disconnect(namespace="/chat")
    time.move(handover - 1)
    assert store.get_room(room_id).owner == alice.color
    time.move(1)
    assert store.get_room(room_id).owner == bob.color


# 2. closesAt, in the lobby's list and its live events


def test_a_room_nobody_entered_yet_says_when_it_closes(config, visitor):
    alice = visitor()
    lobby = visitor().socket("/room")
    lobby.get_received("/room")
    before = now()
    room_id = alice.create_room("fresh")
    after = now()
    assert_closes_in(listed(alice, room_id)["closesAt"], 3600, before, after)
    [(event, count, closes_at)] = lobby_said(lobby, room_id)
    assert (event, count) == ("newRoom", 0)
    assert closes_at == listed(alice, room_id)["closesAt"]


def test_the_countdown_goes_when_someone_enters_and_comes_back_when_they_leave(
    config, visitor, store
):
    alice = visitor()
    room_id = alice.create_room("come and go")
    lobby = visitor().socket("/room")
    lobby.get_received("/room")

    sock = alice.join(room_id)
    assert listed(alice, room_id)["closesAt"] is None
    assert lobby_said(lobby, room_id) == [("occupancy", 1, None)]

    before = now()
    sock.disconnect(namespace="/chat")
    after = now()
    [(event, count, closes_at)] = lobby_said(lobby, room_id)
    assert (event, count) == ("occupancy", 0)
    assert_closes_in(closes_at, 3600, before, after)
    assert listed(visitor(), room_id)["closesAt"] == closes_at  # one time, however it is read

    alice.join(room_id)
    assert lobby_said(lobby, room_id) == [("occupancy", 1, None)]
    assert listed(alice, room_id)["closesAt"] is None
    assert store.get_room(room_id) is not None


def test_the_lobby_list_carries_the_servers_time(visitor):
    before = now()
    answer = visitor().client.get("/rooms").json
    assert before - timedelta(milliseconds=1) <= moment(answer["now"]) <= now()


def test_a_room_emptied_by_a_kick_says_when_it_closes(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("kicked empty")
    a = alice.join(room_id)
    bob.join(room_id)
    a.disconnect(namespace="/chat")  # the owner stays owner while away (an hour here)
    lobby = visitor().socket("/room")
    lobby.get_received("/room")
    assert alice.kick(room_id, bob.handle).status_code == 204
    [(event, count, closes_at)] = lobby_said(lobby, room_id)
    assert (event, count) == ("occupancy", 0) and closes_at is not None


# 3. A restart announces nobody who was there


@pytest.fixture
def restart(make_app, config):
    """The server started again on the same database and sessions; people's browsers (their
    cookies) carried over."""

    def restart_with(*people):
        again = make_app(config)
        for person in people:
            cookie = person.client.get_cookie("session")
            person.app, person.client = again, again.test_client()
            person.client.set_cookie(cookie.key, cookie.value)
            person.sockets = []
        return again

    return restart_with


def join_notices(store, room_id) -> list[str]:
    return [chat.handle for chat in store.chats(room_id, limit=50) if chat.kind == "join"]


def test_people_present_before_a_restart_come_back_without_a_join_notice(visitor, store, restart):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("through a restart")
    alice.join(room_id)
    bob.join(room_id)
    assert sorted(join_notices(store, room_id)) == sorted([alice.handle, bob.handle])

    again = restart(alice, bob)  # the sockets drop; nobody was announced leaving
    carol = Visitor(again)
    a = alice.join(room_id)
    a.get_received("/chat")
    b = bob.join(room_id)
    assert a.names() == ["members"]  # Bob's page reconnected: no "Bob joined"
    carol.join(room_id)
    assert a.names() == b.names() == ["join"]  # a newcomer is announced as ever
    notices = join_notices(again.extensions["store"], room_id)
    assert sorted(notices) == sorted([alice.handle, bob.handle, carol.handle])
    for sock in carol.sockets:
        sock.disconnect(namespace="/chat")


def test_someone_who_had_left_before_the_restart_is_announced_coming_back(visitor, store, restart):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("left before")
    alice.join(room_id)
    bob.join(room_id).disconnect(namespace="/chat")  # Bob's exit was announced
    again = restart(alice, bob)
    a = alice.join(room_id)
    a.get_received("/chat")
    bob.join(room_id)
    assert a.names() == ["join"]
    assert join_notices(again.extensions["store"], room_id)[0] == bob.handle


def test_someone_back_long_after_a_restart_is_announced(config, visitor, store, restart):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("long after")
    alice.join(room_id)
    bob.join(room_id)
    config["ROOM_EMPTY_GRACE_SECONDS"] = 0  # the restart's grace is over at once
    restart(alice, bob)
    a = alice.join(room_id)
    a.get_received("/chat")
    bob.join(room_id)
    assert a.names() == ["join"]


def test_an_owner_who_does_not_come_back_after_a_restart_hands_over(time, config, visitor, restart):
    from app.rooms import service

    alice, bob = visitor(), visitor()
    room_id = alice.create_room("owner gone")
    alice.join(room_id)
    bob.join(room_id)
    config["OWNER_HANDOVER_SECONDS"] = 30
    again = restart(alice, bob)
    with again.app_context():
        service.watch_existing_rooms()  # what the serving process does as it starts
    b = bob.join(room_id)  # Bob's page reconnects; Alice's never does
    time.move(29)
    assert again.extensions["store"].get_room(room_id).owner == alice.color
    time.move(1)
    assert again.extensions["store"].get_room(room_id).owner == bob.color
    assert "owner" in b.names()


# 4. On a cluster, the deadline lives in Redis: every process says the same time


@pytest.mark.redis
def test_every_process_of_a_cluster_gives_the_same_closing_time(processes):
    from app.rooms import service

    one, two = processes(), processes()
    alice, bob = Visitor(one), Visitor(two)
    room_id = alice.create_room("shared")
    before = now()
    with one.app_context():
        service.watch_empty(room_id)  # what one's final exit of the last person does
    after = now()
    closes_at = listed(bob, room_id)["closesAt"]
    assert_closes_in(closes_at, 300, before, after)  # Redis's clock: this machine's here
    assert listed(alice, room_id)["closesAt"] == closes_at
    # Someone enters on the other process: until the deadline is cancelled, the count says it.
    two.extensions["presence"].join(room_id, "a socket", "bob's key", bob.color)
    assert listed(alice, room_id)["closesAt"] is None
    assert listed(bob, room_id)["closesAt"] is None
