"""Messages across processes: none lost to a process killed mid-stream, one order for all.

A post answered 201 is stored: a visitor catching up through another process finds it,
however the process that took it ended. Two processes storing in the same second give the
room one order, the store's (`seq`), which paging follows: every message exactly once.
"""

import signal
import threading

import pytest

pytest.importorskip("requests")
pytest.importorskip("websocket")  # websocket-client, for the websocket transport

import requests  # noqa: E402

from harness.cluster import running_redis, start_cluster  # noqa: E402
from harness.live_server import WAIT, People, Person  # noqa: E402

from .waiting import wait_for  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]

STREAM_BEFORE_KILL = 20  # posts answered 201 before the process is killed
POSTS_PER_PROCESS = 500  # two processes, 1,000 posts in all


@pytest.fixture
def redis_url(tmp_path):
    with running_redis(tmp_path / "redis") as server:
        yield server.url


def catch_up(person: Person, room_id: str, cursor: str, limit: int) -> list[dict]:
    """Every message after `cursor` ("after=<id>" or "after_seq=<n>"), paging on as a page
    that reconnects does; at most `limit` pages."""
    seen = []
    for _ in range(limit):
        response = person.get(f"/room/{room_id}/chats?{cursor}")
        assert response.status_code == 200, response.text
        page = response.json()["chats"]
        if not page:
            return seen
        seen += page
        cursor = f"after={page[-1]['_id']}"
    raise AssertionError(f"still paging after {limit} pages")


def stream(person: Person, room_id: str, acked: list, prefix: str, count: int | None = None):
    """Post until `count` posts are answered, or until the server is gone; note each 201."""
    number = 0
    while count is None or number < count:
        try:
            response = person.post_chat(room_id, f"{prefix} {number}")
        except requests.RequestException:
            return  # the process is gone
        if response.status_code == 201:
            acked.append(response.json())
        number += 1


def test_a_process_killed_mid_stream_loses_no_acknowledged_post(tmp_path, redis_url):
    survivor, doomed = start_cluster(tmp_path, redis_url, size=2)
    people = [People(survivor), People(doomed)]
    try:
        alice = people[1]()  # posts through the process about to die
        room_id = alice.create_room("mid-stream")
        alice.join(room_id, "websocket")
        first = alice.post_chat(room_id, "first").json()
        bob = people[0]()  # listens live through the other process
        b = bob.join(room_id, "websocket")
        acked = []
        poster = threading.Thread(target=stream, args=(alice, room_id, acked, "post"))
        poster.start()
        assert wait_for(lambda: len(acked) >= STREAM_BEFORE_KILL, seconds=10 * WAIT)
        doomed._signal(signal.SIGKILL)  # master and worker, in the middle of the stream
        poster.join(timeout=2 * WAIT)
        assert not poster.is_alive()

        carol = people[0]()
        carol.visit(f"/room/{room_id}")  # a public room admits
        found = catch_up(carol, room_id, f"after={first['_id']}", limit=len(acked) + 10)
        ids = [chat["_id"] for chat in found]
        assert len(ids) == len(set(ids))
        missing = [chat["chat"] for chat in acked if chat["_id"] not in set(ids)]
        assert missing == [], f"{len(missing)} of {len(acked)} acknowledged posts missing"
        # Live, the survivor's visitor heard what was sent before the kill.
        b.wait_for("chat", lambda chat: chat["_id"] == acked[STREAM_BEFORE_KILL - 1]["_id"])
        survivor.assert_healthy()
    finally:
        for factory in people:
            factory.close()
        for server in (survivor, doomed):
            server.stop()


def test_posts_from_two_processes_in_the_same_seconds_page_in_one_order(tmp_path, redis_url):
    servers = start_cluster(tmp_path, redis_url, size=2)
    people = [People(server) for server in servers]
    try:
        alice, bob = people[0](), people[1]()
        room_id = alice.create_room("one order")
        alice.join(room_id, "websocket")
        bob.join(room_id, "websocket")
        first = alice.post_chat(room_id, "first").json()
        if "seq" not in first:
            pytest.skip("no seq on Chat: the store does not number a room's messages yet")
        acked = [[], []]
        posters = [
            threading.Thread(
                target=stream, args=(person, room_id, acked[n], f"p{n}", POSTS_PER_PROCESS)
            )
            for n, person in enumerate((alice, bob))
        ]
        for poster in posters:
            poster.start()
        for poster in posters:
            poster.join(timeout=60 * WAIT)
        sent = acked[0] + acked[1]
        assert len(sent) == 2 * POSTS_PER_PROCESS
        assert len({chat["seq"] for chat in sent}) == len(sent), "two posts got one seq"

        carol = people[0]()
        carol.visit(f"/room/{room_id}")
        pages = len(sent) + 10  # one message a page at worst
        for cursor in ("after_seq=0", f"after={first['_id']}"):
            found = catch_up(carol, room_id, cursor, limit=pages)
            # The stream's posts: not the join notices, nor "first" (after_seq=0 includes it).
            posts = [c for c in found if c.get("kind") is None and c["_id"] != first["_id"]]
            seqs = [chat["seq"] for chat in found]
            assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), cursor
            assert sorted(chat["_id"] for chat in posts) == sorted(chat["_id"] for chat in sent)
            # Each process's posts in the order it sent them, wherever the other's fell.
            for mine in acked:
                ids = {chat["_id"] for chat in mine}
                order = [chat["_id"] for chat in posts if chat["_id"] in ids]
                assert order == [chat["_id"] for chat in mine], cursor
    finally:
        for factory in people:
            factory.close()
        for server in servers:
            server.stop()
