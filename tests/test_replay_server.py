"""Nothing lost on a reconnect: the real server, a socket that drops, and ?after= paging."""

import signal

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport

from harness.live_server import People, running  # noqa: E402

pytestmark = pytest.mark.server

GRACE = 30  # no room may vanish while its people are away for the length of a test
SENT = 230  # more than four pages of HISTORY_PAGE_SIZE (50)


def catch_up(person, room_id: str, newest: str) -> list[dict]:
    """Page with ?after= from the newest message held until a page is empty, as the page does."""
    caught = []
    for _ in range(SENT):  # one page can hold as little as one message
        response = person.get(f"/room/{room_id}/chats?after={newest}")
        assert response.status_code == 200, response.text
        page = response.json()["chats"]
        if not page:
            return caught
        caught += page
        newest = page[-1]["_id"]
    raise AssertionError(f"still catching up after {SENT} pages")


def said(chats: list[dict]) -> list[str]:
    """The ids of what people said, leaving out join and exit notices."""
    return [chat["_id"] for chat in chats if chat["user"] != "system"]


def post_many(person, room_id: str) -> list[str]:
    ids = []
    for n in range(SENT):
        response = person.post_chat(room_id, f"meanwhile {n}")
        assert response.status_code == 201, response.text
        ids.append(response.json()["_id"])
    return ids


@pytest.fixture
def server(tmp_path):
    with running(tmp_path, GRACE) as live:
        yield live


def test_a_dropped_socket_gets_every_message_back_in_order_once(server):
    people = People(server)
    try:
        alice, bob = people(), people()
        room_id = alice.create_room("keep up")
        alice.join(room_id, "websocket")
        b = bob.join(room_id, "websocket")
        last_seen = alice.post_chat(room_id, "before").json()["_id"]
        b.wait_for("chat", lambda chat: chat["_id"] == last_seen)

        b.close()  # bob's connection drops...
        sent = post_many(alice, room_id)
        bob.join(room_id, "websocket")  # ...and his page comes back
        assert said(catch_up(bob, room_id, last_seen)) == sent
    finally:
        people.close()


def test_after_a_crash_and_restart_nothing_said_is_lost(server):
    people = People(server)
    try:
        alice, bob = people(), people()
        room_id = alice.create_room("survives a crash")
        alice.join(room_id, "websocket")
        b = bob.join(room_id, "websocket")
        last_seen = alice.post_chat(room_id, "before the crash").json()["_id"]
        b.wait_for("chat", lambda chat: chat["_id"] == last_seen)

        server._signal(signal.SIGKILL)  # no goodbye to any socket
        server.stop()
        server.start()  # the same port, database and sessions
        alice.join(room_id, "websocket")  # her page reconnects first and talks on
        sent = post_many(alice, room_id)
        bob.join(room_id, "websocket")
        assert said(catch_up(bob, room_id, last_seen)) == sent
    finally:
        people.close()
