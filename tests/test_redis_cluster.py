"""Two real server processes sharing one Redis, one database and one media folder: one chat."""

import signal
import threading
import time

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport

from harness.cluster import running_redis, start_cluster  # noqa: E402
from harness.gifs import gif  # noqa: E402
from harness.live_server import WAIT, People  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]

GRACE = 2  # ROOM_EMPTY_GRACE_SECONDS of the processes under test
HEARTBEAT_EXPIRY = 3  # three missed beats of REDIS_HEARTBEAT_SECONDS=1 (harness/cluster.py)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, redis_url):
    folder = tmp_path_factory.mktemp("cluster")
    servers = start_cluster(folder, redis_url, size=2, grace_seconds=GRACE)
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def on(cluster):
    """on(0)() and on(1)() make people whose browsers reach process 0 or process 1."""
    starts = [server.stderr_size() for server in cluster]
    factories = [People(server) for server in cluster]
    yield lambda number: factories[number]
    for factory in factories:
        factory.close()
    for server, start in zip(cluster, starts, strict=True):
        assert server.process.poll() is None, f"a process died:\n{server.stderr()}"
        log = server.stderr(since=start)
        assert "Traceback" not in log, f"a process logged an error:\n{log}"


def handles(members: list[dict]) -> list[str]:
    return [member["handle"] for member in members]


def test_a_lobby_hears_a_room_created_on_the_other_process(on):
    lobby = on(1)().socket("/room", "websocket")
    alice = on(0)()
    room_id = alice.create_room("made on 0")
    room = lobby.wait_for("newRoom", lambda room: room["_id"] == room_id)
    assert (room["title"], room["owner"]) == ("made on 0", alice.color)
    alice.join(room_id, "websocket")
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1, "closesAt": None})


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_chat_both_ways_across_processes(on, transport):
    alice, bob = on(0)(), on(1)()
    room_id = alice.create_room("across")
    a = alice.join(room_id, transport)
    b = bob.join(room_id, transport)
    notice = a.wait_for("join", lambda notice: notice["who"] == bob.color)
    assert handles(notice["members"]) == [alice.handle, bob.handle]

    sent = alice.post_chat(room_id, "hi from 0").json()
    assert b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"]) == sent
    reply = bob.post_chat(room_id, "hi from 1").json()
    assert a.wait_for("chat", lambda chat: chat["_id"] == reply["_id"]) == reply

    b.close()
    notice = a.wait_for("exit")
    assert (notice["who"], handles(notice["members"])) == (bob.color, [alice.handle])


def test_a_gif_posted_on_one_process_is_served_by_the_other(on):
    alice, bob = on(0)(), on(1)()
    room_id = alice.create_room("pictures")
    alice.join(room_id, "websocket")
    b = bob.join(room_id, "websocket")
    picture = gif(8, 8, frames=2)
    response = alice.post_gif(room_id, picture)
    assert response.status_code == 201, response.text
    name = response.json()["gif"]
    b.wait_for("chat", lambda chat: chat.get("gif") == name)
    served = bob.get(f"/gif/{name}")
    assert (served.status_code, served.content) == (200, picture)


def test_capacity_counts_the_people_of_both_processes(on):
    alice, bob, carol = on(0)(), on(1)(), on(0)()
    room_id = alice.create_room("two seats", max=2)
    alice.join(room_id, "websocket")
    carol.visit(f"/room/{room_id}")  # admitted while there is room: the page does not hold a seat
    bob.join(room_id, "websocket")
    page = carol.get(f"/room/{room_id}", allow_redirects=False)
    assert page.status_code == 302, "a full room's page let a newcomer in"
    refused = carol.socket("/chat", "websocket").call("join", room_id)
    assert "error" in refused


def _race(sock, room_id, barrier, acks, number):
    barrier.wait()
    acks[number] = sock.call("join", room_id)


def test_two_joins_racing_for_the_last_seat_on_two_processes(on):
    owner = on(0)()
    for attempt in range(3):
        room_id = owner.create_room(f"one seat left {attempt}", max=2)
        owner.join(room_id, "websocket")
        racers = [on(0)(), on(1)()]
        sockets = []
        for racer in racers:
            racer.visit(f"/room/{room_id}")
            sockets.append(racer.socket("/chat", "websocket"))
        barrier = threading.Barrier(2, timeout=WAIT)
        acks = [None, None]
        threads = [
            threading.Thread(target=_race, args=(sock, room_id, barrier, acks, number))
            for number, sock in enumerate(sockets)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=2 * WAIT)
        admitted = [ack for ack in acks if isinstance(ack, dict) and ack.get("ok")]
        assert len(admitted) == 1, acks


def test_a_whisper_reaches_the_other_process_and_nobody_else(on):
    alice, bob, carol = on(0)(), on(1)(), on(1)()
    room_id = alice.create_room("secrets")
    a = alice.join(room_id, "websocket")
    b = bob.join(room_id, "websocket")
    c = carol.join(room_id, "polling")
    response = alice.http.post(
        f"{alice.server.url}/room/{room_id}/chat",
        json={"chat": "psst", "to": bob.handle},
        headers={"X-CSRFToken": alice.csrf},
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    whisper = response.json()
    assert b.wait_for("chat", lambda chat: chat["_id"] == whisper["_id"])["chat"] == "psst"
    assert a.wait_for("chat", lambda chat: chat["_id"] == whisper["_id"])
    # A message to everyone after it: once carol has it, she would have had the whisper.
    after = alice.post_chat(room_id, "hello all").json()
    c.wait_for("chat", lambda chat: chat["_id"] == after["_id"])
    assert all(chat.get("_id") != whisper["_id"] for _, chat in c.received())


def test_a_kick_reaches_a_socket_on_the_other_process(on):
    alice, bob, carol = on(0)(), on(1)(), on(1)()
    room_id = alice.create_room("kicks")
    alice.join(room_id, "websocket")
    b = bob.join(room_id, "websocket")
    c = carol.join(room_id, "websocket")
    response = alice.http.post(
        f"{alice.server.url}/room/{room_id}/kick",
        json={"user": bob.handle},
        headers={"X-CSRFToken": alice.csrf},
        timeout=WAIT,
    )
    assert response.status_code == 204, response.text
    assert b.wait_for("kicked") == {"room": room_id}
    # Out of the Socket.IO room on its own process: later messages never reach it.
    after = alice.post_chat(room_id, "without bob").json()
    c.wait_for("chat", lambda chat: chat["_id"] == after["_id"])
    assert all(
        not (isinstance(data, dict) and data.get("_id") == after["_id"]) for _, data in b.received()
    )
    assert "error" in b.call("join", room_id)  # and may not come back


def test_an_emptied_room_is_removed_once(on):
    watchers = [on(0)().socket("/room", "websocket"), on(1)().socket("/room", "websocket")]
    alice, bob = on(0)(), on(1)()
    room_id = alice.create_room("soon empty")
    a = alice.join(room_id, "websocket")
    b = bob.join(room_id, "websocket")
    a.close()
    b.close()
    for lobby in watchers:
        lobby.wait_for("removeRoom", lambda gone: gone == room_id, timeout=GRACE + WAIT)
    time.sleep(1)  # any second removal would come within the poll of the other process
    for lobby in watchers:
        assert ("removeRoom", room_id) not in lobby.received()


def test_the_people_of_a_killed_process_leave_within_the_heartbeat_expiry(
    tmp_path, redis_url, cluster, on
):
    (doomed,) = start_cluster(
        tmp_path, redis_url, size=1, grace_seconds=GRACE, shared=cluster[0].shared
    )
    try:
        people = People(doomed)  # browsers that reach the process about to die
        try:
            alice = on(0)()
            room_id = alice.create_room("survivors")
            a = alice.join(room_id, "websocket")
            bob = people()
            bob.join(room_id, "websocket")
            a.wait_for("join", lambda notice: notice["who"] == bob.color)
            killed = time.monotonic()
            doomed._signal(signal.SIGKILL)  # master and worker: nothing says goodbye
            notice = a.wait_for("exit", timeout=HEARTBEAT_EXPIRY + 2 * WAIT)
            assert (notice["who"], handles(notice["members"])) == (bob.color, [alice.handle])
            print(f"exit announced {time.monotonic() - killed:.1f} s after the kill")
        finally:
            people.close()
    finally:
        doomed.stop()


def test_an_owner_who_left_hands_over_to_someone_on_the_other_process_once(on):
    lobby = on(1)().socket("/room", "websocket")
    alice, bob = on(0)(), on(1)()
    room_id = alice.create_room("hand me over")
    a = alice.join(room_id, "websocket")
    b = bob.join(room_id, "websocket")
    a.close()
    notice = b.wait_for("owner", timeout=GRACE + WAIT)
    assert (notice["kind"], notice["who"]) == ("owner", bob.color)
    lobby.wait_for("owner", lambda seen: (seen["_id"], seen["owner"]) == (room_id, bob.color))
    time.sleep(1)  # a second hand-over would come from the other process's timer or poll
    assert all(event != "owner" for event, _ in b.received())
    assert all(event != "owner" for event, _ in lobby.received())


def test_a_room_held_through_one_process_survives_the_restart_of_the_other(cluster, on):
    alice = on(0)()
    room_id = alice.create_room("kept")
    a = alice.join(room_id, "websocket")
    restarted = cluster[1]
    restarted.stop()
    restarted.start()  # its start-up gives every room it thinks empty the grace period
    time.sleep(GRACE + 1)
    assert room_id in on(1)().get("/").text
    sent = alice.post_chat(room_id, "still here").json()
    assert a.wait_for("chat", lambda chat: chat["_id"] == sent["_id"])
