"""The real server (gunicorn, eventlet worker) driven over loopback as browsers drive it."""

import secrets
import time

import pytest

pytest.importorskip("requests")
pytest.importorskip("websocket")  # websocket-client, for the websocket transport

import socketio  # noqa: E402

from .gifs import gif  # noqa: E402
from .live_server import WAIT, People, Socket, running  # noqa: E402

pytestmark = pytest.mark.server

GRACE = 1  # ROOM_EMPTY_GRACE_SECONDS of the server under test
TRANSPORTS = ["websocket", "polling"]
EVIL = "http://evil.invalid"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("live"), GRACE) as live:
        yield live


@pytest.fixture
def people(server):
    """A factory: each call is another person with their own browser."""
    log_start = server.stderr_size()
    made = People(server)
    yield made
    made.close()
    assert server.process.poll() is None, f"the server died:\n{server.stderr()}"
    # Background work (the grace timer) has nobody to answer: its failures only show here.
    log = server.stderr(since=log_start)
    assert "Traceback" not in log, f"the server logged an error:\n{log}"


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

    response = bob.post_chat(room_id, "hi alice")
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["chat"] == "hi alice" and sent["user"] == bob.color and sent["room"] == room_id
    assert a.wait_for("chat", lambda chat: chat["_id"] == sent["_id"]) == sent
    assert b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"]) == sent

    response = alice.post_chat(room_id, "hi bob")
    assert response.status_code == 201, response.text
    reply = response.json()
    assert b.wait_for("chat", lambda chat: chat["_id"] == reply["_id"]) == reply

    picture = gif(8, 8, frames=2)
    response = bob.post_gif(room_id, picture)
    assert response.status_code == 201, response.text
    shared = response.json()
    assert "chat" not in shared
    assert a.wait_for("chat", lambda chat: chat.get("gif") == shared["gif"]) == shared
    served = alice.get(f"/gif/{shared['gif']}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/gif"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.content == picture

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
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1})
    response = alice.post_gif(room_id, gif())
    assert response.status_code == 201, response.text
    name = response.json()["gif"]

    left = time.monotonic()
    a.close()
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 0})
    assert lobby.wait_for("removeRoom", lambda gone: gone == room_id, timeout=GRACE + WAIT)
    assert time.monotonic() - left >= GRACE, "removed before the grace period was over"

    assert room_id not in carol.get("/").text
    page = carol.get(f"/room/{room_id}", allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"].endswith("/")
    assert carol.get(f"/gif/{name}").status_code == 404


@pytest.mark.parametrize("namespace", ["/chat", "/room"])
def test_a_socket_from_another_origin_is_refused(people, server, transport, namespace):
    victim = people()  # a visitor with a color, whose cookie another site's page would send
    with pytest.raises(socketio.exceptions.ConnectionError):
        victim.socket(namespace, transport, origin=EVIL)
    # The same cookie from the page's own origin connects: the origin is what was refused.
    victim.socket(namespace, transport).close()


@pytest.mark.parametrize(
    "cookie", [None, f"session={secrets.token_urlsafe(32)}"], ids=["no-cookie", "unknown-session"]
)
@pytest.mark.parametrize("namespace", ["/chat", "/room"])
def test_a_socket_without_a_visited_page_is_refused(server, transport, namespace, cookie):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Socket(server.url, cookie, namespace, transport)


def test_a_page_reload_keeps_the_room(people, transport):
    watcher = people()
    lobby = watcher.socket("/room", transport)
    alice = people()
    room_id = alice.create_room("reload me")
    a = alice.join(room_id, transport)
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1})

    left = time.monotonic()
    a.close()  # the page unloads...
    # ...the server has seen the room empty, so its grace timer runs...
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 0})
    a = alice.join(room_id, transport)  # ...and the reloaded page joins again
    assert time.monotonic() - left < GRACE, "too slow to test a reload within the grace period"
    lobby.wait_for("occupancy", lambda seen: seen == {"_id": room_id, "count": 1})

    time.sleep(max(0.0, left + GRACE + 0.5 - time.monotonic()))  # outlive the first timer
    assert ("removeRoom", room_id) not in lobby.received()
    assert room_id in alice.get("/").text
    response = alice.post_chat(room_id, "still here")
    assert response.status_code == 201, response.text
    assert a.wait_for("chat", lambda chat: chat["_id"] == response.json()["_id"])


def test_a_room_password_never_reaches_the_logs_pages_or_events(people, server):
    secret = "hunter2-" + secrets.token_hex(4)
    alice, bob = people(), people()
    lobby = bob.socket("/room", "websocket")
    room_id = alice.create_room("secret room", password=secret)
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
