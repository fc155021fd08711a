"""Presence rules, the same for one process in memory and for many through a real Redis."""

import threading

import pytest

from app.presence import MemoryPresence, Person, RoomFull
from app.store import StoreUnavailable
from harness.cluster import RedisServer, redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.redis


def colors(presence, room: str) -> list[str]:
    """The colors in room, longest present first."""
    return [person.color for person in presence.people(room)]


def keyed(presence, room: str) -> list[tuple[str, str]]:
    """(user key, color) of everyone in room, longest present first."""
    return [(person.user_key, person.color) for person in presence.people(room)]


@pytest.fixture(params=["memory", "redis"])
def make_presence(request, tmp_path):
    """A factory of presences that share one state: processes of one server."""
    if request.param == "memory":
        shared = MemoryPresence()
        yield lambda host="one": shared
        return
    from app.presence.redis_presence import RedisPresence

    server = request.getfixturevalue("redis_server")
    clients = []

    def make(host="one"):
        clients.append(server.client())
        return RedisPresence(clients[-1], host)

    yield make
    for client in clients:
        client.close()


def test_two_tabs_count_once_and_leave_with_the_last(make_presence):
    presence = make_presence()
    assert presence.join("r", "tab1", "alice", "#a") is True
    assert presence.join("r", "tab2", "alice", "#a") is False
    assert presence.count("r") == 1
    assert presence.leave("tab1").last_tab is False
    last = presence.leave("tab2")
    assert (last.room, last.user_key, last.last_tab) == ("r", "alice", True)


def test_a_place_is_kept_until_dropped_from_any_process(make_presence):
    one, two = make_presence("one"), make_presence("two")
    one.join("r", "s1", "alice", "#a")
    two.join("r", "s2", "bob", "#b")
    two.leave("s1")
    assert one.count("r") == 2 and one.sockets_of("r", "alice") == []
    assert one.join("r", "s3", "alice", "#a") is False  # back before the drop: no new arrival
    assert two.drop("r", "alice") is None  # has a socket again: not dropped
    one.leave("s3")
    assert two.drop("r", "alice") == "#a"
    assert colors(one, "r") == ["#b"] and one.has("r", "alice") is False
    assert two.drop("r", "alice") is None
    one.leave("s2")
    one.drop("r", "bob")
    assert (two.count("r"), keyed(two, "r")) == (0, [])


def test_members_longest_present_first_across_processes(make_presence):
    one, two = make_presence("one"), make_presence("two")
    one.join("r", "s1", "carol", "#c")
    two.join("r", "s2", "bob", "#b")
    one.join("r", "s3", "alice", "#a")
    two.join("r", "s4", "carol", "#c")
    assert colors(two, "r") == ["#c", "#b", "#a"]
    assert keyed(one, "r") == [("carol", "#c"), ("bob", "#b"), ("alice", "#a")]
    assert one.sockets_of("r", "carol") == ["s1", "s4"]
    assert (one.room_of("s2"), one.room_of("nobody")) == ("r", None)
    assert one.has("r", "bob") and not one.has("other", "bob")


def test_a_socket_leaves_through_any_process(make_presence):
    one, two = make_presence("one"), make_presence("two")
    one.join("r", "s1", "alice", "#a")
    departure = two.leave("s1")
    assert (departure.room, departure.user_key, departure.last_tab) == ("r", "alice", True)
    assert one.leave("s1") is None
    assert one.room_of("s1") is None


def test_two_people_may_share_a_color(make_presence):
    presence = make_presence()
    presence.join("r", "s1", "alice", "#a", handle="h-alice", name="Alice")
    presence.join("r", "s2", "eve", "#a", handle="h-eve", name="Alice")
    assert presence.count("r") == 2
    assert presence.key_of("r", "h-eve") == "eve"  # told apart by handle, never by color
    assert presence.key_of("r", "h-nobody") is None
    assert presence.sockets_of("r", "eve") == ["s2"]


def test_people_carry_handle_and_name_and_follow_a_rename(make_presence):
    presence = make_presence()
    presence.join("r", "s1", "alice", "#a", handle="h-alice", name="Alice")
    presence.join("q", "s2", "alice", "#a", handle="h-alice", name="Alice")
    presence.join("r", "s3", "bob", "#b", handle="h-bob")
    assert presence.people("r") == [
        Person("alice", "#a", "h-alice", "Alice"),
        Person("bob", "#b", "h-bob", None),
    ]
    assert sorted(presence.rename("alice", "Ally")) == ["q", "r"]
    assert presence.person("q", "alice") == Person("alice", "#a", "h-alice", "Ally")
    presence.leave("s2")
    presence.drop("q", "alice")
    assert presence.person("q", "alice") is None
    assert presence.rename("alice", "Al") == ["r"]


def test_a_full_room_refuses_newcomers_not_those_inside(make_presence):
    presence = make_presence()
    presence.join("r", "s1", "alice", "#a", limit=2)
    presence.join("r", "s2", "bob", "#b", limit=2)
    with pytest.raises(RoomFull):
        presence.join("r", "s3", "carol", "#c", limit=2)
    assert presence.join("r", "s4", "alice", "#a", limit=2) is False
    presence.leave("s1")
    presence.leave("s4")  # alice has no socket left, but keeps her seat until dropped
    with pytest.raises(RoomFull):
        presence.join("r", "s5", "carol", "#c", limit=2)
    assert colors(presence, "r") == ["#a", "#b"]
    assert presence.room_of("s3") is None


def _race(presence, room, who, barrier, admitted):
    barrier.wait()
    try:
        presence.join(room, f"{room}-{who}", who, "#" + who, limit=2)
        admitted.append(who)
    except RoomFull:
        pass


def test_two_joins_racing_for_the_last_seat_never_both_get_in(make_presence):
    one, two = make_presence("one"), make_presence("two")
    for round_ in range(30):
        room = f"r{round_}"
        one.join(room, f"{room}-owner", "owner", "#o", limit=2)
        barrier = threading.Barrier(2, timeout=5)
        admitted = []
        racers = [
            threading.Thread(target=_race, args=(presence, room, who, barrier, admitted))
            for presence, who in ((one, "aa"), (two, "bb"))
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=10)
        assert len(admitted) == 1, (round_, admitted)
        assert one.count(room) == 2


def test_leaving_an_unknown_socket_is_nothing(make_presence):
    assert make_presence().leave("nobody") is None


def test_forget_returns_the_sockets_of_every_process(make_presence):
    one, two = make_presence("one"), make_presence("two")
    one.join("r", "s1", "alice", "#a")
    two.join("r", "s2", "bob", "#b")
    one.join("elsewhere", "s3", "carol", "#c")
    assert sorted(two.forget("r")) == ["s1", "s2"]
    assert one.room_of("s1") is None
    assert one.count("r") == 0
    assert colors(one, "elsewhere") == ["#c"]


def test_a_process_that_stops_beating_is_claimed_once(redis_server):  # noqa: F811
    from app.presence.redis_presence import RedisPresence

    with redis_server.client() as client:
        dying = RedisPresence(client, "dying", heartbeat_seconds=1 / 3)
        living = RedisPresence(client, "living", heartbeat_seconds=1 / 3)
        dying.join("r", "s1", "alice", "#a")
        dying.join("r", "s2", "bob", "#b")
        living.join("r", "s3", "carol", "#c")
        living.beat()
        dying.beat()
        assert living.lapsed_hosts() == []
        client.delete("gifchat:host:dying:alive")  # what its TTL does when no beat renews it
        assert living.lapsed_hosts() == ["dying"]
        assert living.claim_host("dying") == ["s1", "s2"]
        assert dying.claim_host("dying") is None  # a second process does not take it again
        for sid in ("s1", "s2"):
            living.leave(sid)
        living.drop_host("dying")
        for key in ("alice", "bob"):  # what their exits do once announced
            living.drop("r", key)
        assert living.lapsed_hosts() == []
        assert colors(living, "r") == ["#c"]


def test_a_heartbeat_expires_by_itself(redis_server):  # noqa: F811
    from app.presence.redis_presence import RedisPresence

    from .waiting import wait_for

    with redis_server.client() as client:
        presence = RedisPresence(client, "brief", heartbeat_seconds=1 / 3)  # alive for 1 s
        presence.join("r", "s1", "alice", "#a")
        presence.beat()
        assert presence.lapsed_hosts() == []
        assert wait_for(lambda: presence.lapsed_hosts() == ["brief"], seconds=5)


def test_redis_down_is_store_unavailable(tmp_path):
    from app.presence.redis_presence import RedisPresence
    from harness.cluster import redis_server_or_skip

    redis_server_or_skip()
    server = RedisServer(tmp_path / "redis")  # never started: nobody listens on its port
    with server.client() as client:
        presence = RedisPresence(client, "one")
        with pytest.raises(StoreUnavailable):
            presence.count("r")
        with pytest.raises(StoreUnavailable):
            presence.join("r", "s1", "alice", "#a")
