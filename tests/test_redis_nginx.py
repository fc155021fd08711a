"""The cluster as a newcomer runs it: two processes behind nginx, over both transports."""

from contextlib import ExitStack

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport

from harness.cluster import BrowserPerson, NginxFront, RedisServer, start_cluster  # noqa: E402
from harness.live_server import People  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]

PEOPLE = 16  # hashed by their cookies, all on one process would be a 1-in-30,000 chance


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx-cluster")
    with ExitStack() as stack:
        redis = RedisServer(folder / "redis")
        stack.callback(redis.stop)
        redis.start()
        servers = start_cluster(folder, redis.url, size=2)
        for server in servers:
            stack.callback(server.stop)
        nginx = NginxFront(folder / "nginx", servers)
        stack.callback(nginx.stop)
        nginx.start()
        yield nginx


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_everyone_in_one_room_through_nginx(front, transport):
    people = People(front)
    try:
        everyone = [BrowserPerson(front) for _ in range(PEOPLE)]
        people.made += everyone  # closed with the others
        room_id = everyone[0].create_room("behind nginx", max=PEOPLE)
        sockets = [person.join(room_id, transport) for person in everyone]
        for number, person in enumerate(everyone):
            sent = person.post_chat(room_id, f"from {number}").json()
            for sock in sockets:
                assert sock.wait_for("chat", lambda chat, sent=sent: chat["_id"] == sent["_id"])
        logs = [
            (server.folder / "stdout.log").read_text() + server.stderr() for server in front.servers
        ]
        assert all(f"/room/{room_id}" in log for log in logs), "nginx used one process only"
    finally:
        people.close()
