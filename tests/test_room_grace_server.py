"""The real server: a room left empty waits for its people with its history, says when it will
close, and goes once nobody came back; a restart announces nobody who was there."""

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")

from harness.live_server import WAIT, running  # noqa: E402

pytestmark = pytest.mark.server

# ROOM_EMPTY_GRACE_SECONDS of the servers under test: room for a join on a busy machine, and
# short enough to wait out.
GRACE = 4
DEBOUNCE = 3  # EXIT_DEBOUNCE_SECONDS, the default: a last exit is final this long after


@pytest.fixture(scope="module")
def server(tmp_path_factory, async_mode):
    with running(tmp_path_factory.mktemp("grace-live"), GRACE, mode=async_mode) as live:
        yield live


def emptied(lobby, room_id) -> dict:
    """The lobby's word that the room is empty, with when it closes."""
    return lobby.wait_for(
        "occupancy",
        lambda seen: seen["_id"] == room_id and seen["count"] == 0,
        timeout=DEBOUNCE + WAIT,
    )


def test_a_room_left_empty_keeps_its_history_for_whoever_returns_in_time_then_goes(people):
    watcher, alice, bob = people(), people(), people()
    lobby = watcher.socket("/room", "websocket")
    room_id = alice.create_room("back soon")
    a = alice.join(room_id, "websocket")
    assert alice.post_chat(room_id, "remember me").status_code == 201

    a.close()  # her phone locks
    closing = emptied(lobby, room_id)
    assert closing["closesAt"].endswith("Z")
    listed = {room["_id"]: room for room in watcher.get("/rooms").json()["rooms"]}
    assert listed[room_id]["closesAt"] == closing["closesAt"]

    b = bob.join(room_id, "websocket")  # within the grace: the room and its history are there
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1, "closesAt": None})
    history = bob.get(f"/room/{room_id}/chats").json()["chats"]
    assert "remember me" in [chat.get("chat") for chat in history]

    b.close()
    emptied(lobby, room_id)
    assert lobby.wait_for("removeRoom", lambda gone: gone == room_id, timeout=GRACE + WAIT)
    page = alice.get(f"/room/{room_id}")
    assert page.url.rstrip("/") == alice.server.url  # back in the lobby, told why
    assert "remember me" not in page.text


def test_a_restart_posts_no_join_notice_for_people_already_there(tmp_path, async_mode):
    from harness.live_server import People

    with running(tmp_path, 60, mode=async_mode) as live:
        people = People(live)
        try:
            alice, bob = people(), people()
            room_id = alice.create_room("restarted under us")
            a = alice.join(room_id, "websocket")
            bob.join(room_id, "websocket")
            a.wait_for("join", lambda notice: notice["who"] == bob.color)

            # SIGTERM: the server closes every socket and stops before anyone's exit is final.
            live.stop()
            live.start()

            a = alice.join(room_id, "websocket")  # the pages reconnect
            b = bob.join(room_id, "websocket")
            a.wait_for("members", lambda seen: len(seen["members"]) == 2)
            assert [name for name, _ in a.received() if name in ("join", "exit")] == []
            carol = people()
            carol.join(room_id, "websocket")  # a newcomer is announced as ever
            a.wait_for("join", lambda notice: notice["who"] == carol.color)
            b.wait_for("join", lambda notice: notice["who"] == carol.color)
            joins = [
                chat["who"]
                for chat in alice.get(f"/room/{room_id}/chats").json()["chats"]
                if chat.get("kind") == "join"
            ]
            assert sorted(joins) == sorted([alice.color, bob.color, carol.color])
        finally:
            people.close()
