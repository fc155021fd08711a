"""Redis replaced by its replica (Sentinel promotes it) under two processes: pages carry on.

With `REDIS_URL=redis+sentinel://...` every client (presence, deadlines, limits, the message
queue) asks the Sentinel for the master. The master killed with -9, the replica promoted,
each process finds the new master, notices another server (its run id) and rebuilds what it
holds; open pages rejoin and chat across processes without a reload.
"""

import pytest

pytest.importorskip("requests")
pytest.importorskip("websocket")  # websocket-client, for the websocket transport

import requests  # noqa: E402

from harness.cluster import RedisServer, start_cluster  # noqa: E402
from harness.live_server import WAIT, People  # noqa: E402

from .waiting import wait_for  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]

SERVICE = "gifchat"
DOWN_AFTER_MS = 1000  # the Sentinel takes the master for dead after this
FAILOVER = 15  # seconds, at most, from the kill to both processes ready again


def ready(server) -> bool:
    try:
        return requests.get(server.url + "/readyz", timeout=WAIT).status_code == 200
    except requests.RequestException:
        return False


def replicating(replica: RedisServer) -> bool:
    with replica.client() as client:
        return client.info("replication").get("master_link_status") == "up"


@pytest.fixture
def sentinel_url(tmp_path):
    """A master, its replica and a Sentinel watching them; the URL the processes get."""
    master = RedisServer(tmp_path / "master")
    master.start()
    replica = RedisServer(tmp_path / "replica", ["--replicaof", "127.0.0.1", str(master.port)])
    sentinel = RedisServer(
        tmp_path / "sentinel",
        sentinel=(
            f"sentinel monitor {SERVICE} 127.0.0.1 {master.port} 1\n"
            f"sentinel down-after-milliseconds {SERVICE} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {SERVICE} 5000\n"
        ),
    )
    try:
        replica.start()
        sentinel.start()
        assert wait_for(lambda: replicating(replica), seconds=10)
        yield f"redis+sentinel://127.0.0.1:{sentinel.port}/0/{SERVICE}", master, replica
    finally:
        for server in (sentinel, replica, master):
            server.stop()


def test_a_replica_promoted_in_place_of_a_killed_master_strands_no_page(tmp_path, sentinel_url):
    url, master, replica = sentinel_url
    servers = start_cluster(tmp_path, url, size=2)
    starts = [server.stderr_size() for server in servers]
    people = [People(server) for server in servers]
    try:
        alice, bob = people[0](), people[1]()
        room_id = alice.create_room("failing over")
        a = alice.join(room_id, "websocket")
        b = bob.join(room_id, "websocket")
        a.wait_for("join", lambda notice: notice["who"] == bob.color)
        sent = alice.post_chat(room_id, "before").json()
        b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"])

        master.kill()
        assert wait_for(lambda: all(ready(server) for server in servers), seconds=FAILOVER)
        with replica.client() as client:
            assert client.info("replication")["role"] == "master"
        for sock in (a, b):
            ack = sock.call("join", room_id)
            assert ack.get("ok") is True, ack
            assert {m["handle"] for m in ack["members"]} == {alice.handle, bob.handle}
        sent = alice.post_chat(room_id, "after").json()
        assert b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"])["chat"] == "after"
        reply = bob.post_chat(room_id, "heard").json()
        assert a.wait_for("chat", lambda chat: chat["_id"] == reply["_id"])["chat"] == "heard"
        rooms = {room["_id"]: room for room in alice.get("/rooms").json()["rooms"]}
        assert rooms[room_id]["count"] == 2
        for server, start in zip(servers, starts, strict=True):
            server.assert_healthy(since=start)
    finally:
        for factory in people:
            factory.close()
        for server in servers:
            server.stop()
