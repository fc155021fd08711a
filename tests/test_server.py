"""The real server (gunicorn, on each event loop) driven over loopback as browsers drive it."""

import secrets
import time

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport

import socketio  # noqa: E402

from harness.gifs import gif  # noqa: E402
from harness.live_server import (  # noqa: E402
    WAIT,
    People,
    Refused,
    Socket,
    WsgiServer,
    chat_both_ways_and_share_a_gif,
    running,
)

pytestmark = pytest.mark.server

# ROOM_EMPTY_GRACE_SECONDS of the server under test: long beside a page reload on a busy
# machine, short enough that waiting it out twice per transport stays quick.
GRACE = 2
DEBOUNCE = 3  # EXIT_DEBOUNCE_SECONDS: the default
TRANSPORTS = ["websocket", "polling"]
EVIL = "http://evil.invalid"
# How python-engineio's client reports a handshake the server answered with a 400.
HANDSHAKE_REFUSED = {
    "websocket": "Connection error",
    "polling": "Unexpected status code 400 in server response",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, async_mode):
    with running(tmp_path_factory.mktemp("live"), GRACE, mode=async_mode) as live:
        yield live


@pytest.fixture(params=TRANSPORTS)
def transport(request):
    return request.param


def test_two_visitors_chat_both_ways_and_share_a_gif(people, transport):
    alice, bob = people(), people()
    assert alice.color != bob.color
    room_id = alice.create_room("hello live")
    a = alice.join(room_id, transport)
    b = bob.join(room_id, transport)

    notice = a.wait_for("join")
    assert notice["user"] == "system"
    assert notice["kind"] == "join"
    assert notice["who"] == bob.color
    assert bob.color in notice["chat"]

    chat_both_ways_and_share_a_gif(room_id, alice, a, bob, b)

    b.close()
    notice = a.wait_for("exit")
    assert (notice["user"], notice["kind"], notice["who"]) == ("system", "exit", bob.color)


def test_lobby_sees_a_room_come_and_go(people, transport):
    carol = people()
    lobby = carol.socket("/room", transport)
    alice = people()
    room_id = alice.create_room("short-lived")

    room = lobby.wait_for("newRoom", lambda room: room["_id"] == room_id)
    assert (room["title"], room["owner"], room["password"]) == ("short-lived", alice.color, False)
    a = alice.join(room_id, transport)
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1, "closesAt": None})
    response = alice.post_gif(room_id, gif())
    assert response.status_code == 201, response.text
    name = response.json()["gif"]

    a.close()
    lobby.wait_for(
        "occupancy", lambda seen: (seen["_id"], seen["count"]) == (room_id, 0) and seen["closesAt"]
    )
    assert room_id in carol.get("/").text, "removed at once, with no grace period"
    assert lobby.wait_for("removeRoom", lambda gone: gone == room_id, timeout=GRACE + WAIT)

    assert room_id not in carol.get("/").text
    page = carol.get(f"/room/{room_id}", allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"].endswith("/")
    assert carol.get(f"/gif/{name}").status_code == 404


@pytest.mark.parametrize("namespace", ["/chat", "/room"])
def test_a_socket_from_another_origin_is_refused(people, server, transport, namespace):
    victim = people()  # a visitor with a color, whose cookie another site's page would send
    with pytest.raises(socketio.exceptions.ConnectionError) as refused:
        victim.socket(namespace, transport, origin=EVIL)
    assert str(refused.value) == HANDSHAKE_REFUSED[transport]  # the handshake, not a time-out
    handshake = victim.get(f"/socket.io/?EIO=4&transport={transport}", headers={"Origin": EVIL})
    assert (handshake.status_code, handshake.json()) == (400, "Not an accepted origin.")
    # The same cookie from the page's own origin connects: the origin is what was refused.
    victim.socket(namespace, transport).close()


@pytest.mark.parametrize(
    "cookie", [None, f"session={secrets.token_urlsafe(32)}"], ids=["no-cookie", "unknown-session"]
)
@pytest.mark.parametrize("namespace", ["/chat", "/room"])
def test_a_socket_without_a_visited_page_is_refused(server, transport, namespace, cookie):
    with pytest.raises(Refused) as refused:
        Socket(server.url, cookie, namespace, transport)
    assert refused.value.reason == {"message": "no session"}


def test_a_page_reload_keeps_the_room(people, transport):
    watcher = people()
    lobby = watcher.socket("/room", transport)
    alice, bob = people(), people()
    room_id = alice.create_room("reload me")
    a = alice.join(room_id, transport)
    b = bob.join(room_id, transport)
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 2, "closesAt": None})

    heard = len(lobby.received())
    left = time.monotonic()
    a.close()  # the page unloads...
    a = alice.join(room_id, transport)  # ...and the reloaded page joins again
    assert time.monotonic() - left < DEBOUNCE, "too slow to test a reload within the debounce"

    time.sleep(max(0.0, left + DEBOUNCE + GRACE + 0.5 - time.monotonic()))  # outlive all timers
    about_room = [(name, seen) for name, seen in lobby.received()[heard:] if room_id in str(seen)]
    assert about_room == []  # no occupancy change, no removeRoom: she never left
    assert [name for name, _ in b.received() if name in ("join", "exit")] == []
    assert room_id in alice.get("/").text
    response = alice.post_chat(room_id, "still here")
    assert response.status_code == 201, response.text
    assert a.wait_for("chat", lambda chat: chat["_id"] == response.json()["_id"])


def test_a_room_password_never_reaches_the_logs_pages_or_events(people, server):
    secret = "hunter2-" + secrets.token_hex(4)
    alice, bob = people(), people()
    lobby = bob.socket("/room", "websocket")
    room_id = alice.create_room("secret room", password=secret)
    alice.join(room_id, "websocket")  # an occupied room outlives the grace, however slow the rest
    seen = [lobby.wait_for("newRoom")]
    for password in ("wrong guess", secret):
        bob.http.post(
            f"{server.url}/room/{room_id}/password",
            data={"password": password, "csrf_token": bob.csrf},
            timeout=WAIT,
        )
    sock = bob.join(room_id, "websocket")
    pages = [bob.get("/").text, bob.get(f"/room/{room_id}").text, alice.get("/").text]
    seen += [event for _, event in sock.received()]
    logs = (server.folder / "stdout.log").read_text() + server.stderr()
    assert f"/room/{room_id}/password" in logs  # the access log did record the requests
    assert secret not in logs
    assert all(secret not in page for page in pages)
    assert secret not in str(seen)


def test_python_wsgi_py_serves_on_gifchat_port(tmp_path, async_mode):
    """`make run` (python wsgi.py): the event loop's own server, websockets included."""
    with running(tmp_path, GRACE, WsgiServer, mode=async_mode) as live:
        people = People(live)
        try:
            alice, bob = people(), people()
            room_id = alice.create_room("served by wsgi.py")
            a = alice.join(room_id, "websocket")
            bob.join(room_id, "polling")
            assert a.wait_for("join")["who"] == bob.color
        finally:
            people.close()
        live.assert_healthy()


def test_websockets_are_not_compressed_even_when_offered(server):
    """A browser offers permessage-deflate; the server declines it and the socket still works."""
    import websocket

    ws = websocket.create_connection(
        server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        header=["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"],
        timeout=WAIT,
    )
    try:
        assert ws.getstatus() == 101
        assert "sec-websocket-extensions" not in ws.getheaders()
        assert ws.recv().startswith("0{")  # engine.io's open packet, uncompressed
    finally:
        ws.close()
