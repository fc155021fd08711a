"""Bounded work before checks, on the real servers: bodies refused unread, cut off, and capped."""

import json
import time
from contextlib import closing

import pytest
import socketio

from harness.live_server import WAIT, LiveServer, WsgiServer, running

from .raw_http import connect, get_status, status_of
from .required import require
from .waiting import wait_for

requests = require("requests", "requests")

pytestmark = pytest.mark.server

BODY_TIMEOUT = 1  # GIFCHAT_BODY_TIMEOUT of the servers under test
PER_ADDRESS = 3  # GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS
PAUSE = BODY_TIMEOUT * 0.4  # between pieces of a slow body: well within one wait
# The raw requests come from another address than their visitor's: every server counts every
# open connection of an address (her idle keep-alive ones too), not only requests.
RAW = "127.0.0.3"


def guarded(server_class):
    class Guarded(server_class):
        def environment(self) -> dict:
            env = super().environment()
            env["GIFCHAT_BODY_TIMEOUT"] = str(BODY_TIMEOUT)
            env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = str(PER_ADDRESS)
            return env

    return Guarded


@pytest.fixture(scope="module", params=[LiveServer, WsgiServer], ids=["gunicorn", "wsgi.py"])
def server(request, tmp_path_factory, async_mode):
    server_class = guarded(request.param)
    with running(tmp_path_factory.mktemp("guards"), 3600, server_class, mode=async_mode) as live:
        yield live


def start_post(server, path, length, headers=(), sent=b"", source="127.0.0.1"):
    """Send a POST's headers announcing `length` bytes of body, and only `sent` of them."""
    sock = connect(server, source)
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", *headers]
    lines.append(f"Content-Length: {length}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + sent)
    return sock


def room_for(server, connections: int, source="127.0.0.1") -> bool:
    """Whether source may open `connections` at once: the server has let go of earlier ones."""
    held = [connect(server, source) for _ in range(connections - 1)]  # idle: counted at accept
    try:
        return get_status(server, source=source) == 200
    finally:
        for sock in held:
            sock.close()


@pytest.fixture(autouse=True)
def address_free(server):
    """Each test starts with its address's whole share: the connections of the test before
    are closed, but a busy server lets go of them in its own time, and one it never saw close
    (the server's start-up checks) holds its place until HEADER_TIMEOUT (10 s by default)."""
    assert wait_for(lambda: room_for(server, PER_ADDRESS), 10 + WAIT)


def visitor_headers(person, content_type="application/json"):
    return [
        f"Cookie: {person.cookie}",
        f"X-CSRFToken: {person.csrf}",
        f"Content-Type: {content_type}",
        "Accept: application/json",
    ]


def test_an_oversized_form_is_answered_413_before_it_is_sent(server):
    form = ["Content-Type: application/x-www-form-urlencoded"]
    with closing(start_post(server, "/room", 5_000_000, form, b"title=" + b"A" * 60_000)) as sock:
        assert status_of(sock) == 413  # with 4.9 MB still unsent


def test_an_oversized_chat_is_answered_413_before_it_is_sent(server, people):
    alice = people()
    room_id = alice.create_room()
    alice.join(room_id, "websocket")
    headers = visitor_headers(alice)
    path = f"/room/{room_id}/chat"
    with closing(start_post(server, path, 1_000_000, headers, b"{", source=RAW)) as sock:
        assert status_of(sock) == 413
    assert alice.post_chat(room_id, "still here").status_code == 201


def test_a_body_that_never_arrives_is_cut_off(server, people):
    alice = people()
    room_id = alice.create_room()
    alice.join(room_id, "websocket")
    body = json.dumps({"chat": "never finished"}).encode()
    path = f"/room/{room_id}/chat"
    headers = visitor_headers(alice)
    with closing(start_post(server, path, len(body), headers, body[:5], source=RAW)) as sock:
        assert status_of(sock) == 400  # after BODY_TIMEOUT, well within WAIT
    history = alice.get(f"/room/{room_id}/chats").json()["chats"]
    assert "never finished" not in json.dumps(history)
    assert alice.post_chat(room_id, "after").status_code == 201


def test_one_address_cannot_hold_more_than_its_share(server, people):
    alice = people()
    # Each websocket is a request in progress for as long as it lives.
    sockets = []
    for _ in range(PER_ADDRESS):
        try:
            sockets.append(alice.socket("/chat", "websocket"))
        except socketio.exceptions.ConnectionError:
            break  # `python wsgi.py` counts her idle keep-alive connections as well

    assert get_status(server) == 429
    assert get_status(server, source="127.0.0.2") == 200  # another address is served
    for sock in sockets:
        sock.close()
    # Bounded: the server notices the closed websockets in its own time.
    assert wait_for(lambda: get_status(server) == 200, WAIT)
    scraped = requests.get(f"{server.url}/metrics", timeout=WAIT).text  # from this machine
    (counted,) = [line for line in scraped.splitlines() if 'limit="connections"' in line]
    assert float(counted.split()[-1]) >= 1  # each refusal counted, as every limit's are


def test_a_slow_but_steady_body_goes_through(server, people):
    alice = people()
    room_id = alice.create_room()
    alice.join(room_id, "websocket")
    body = json.dumps({"chat": "slow and steady"}).encode()
    pieces = [body[i : i + 8] for i in range(0, len(body), 8)]
    assert len(pieces) * PAUSE > BODY_TIMEOUT  # the whole body takes longer than any one wait
    path = f"/room/{room_id}/chat"
    with closing(start_post(server, path, len(body), visitor_headers(alice), source=RAW)) as sock:
        for piece in pieces:
            time.sleep(PAUSE)
            sock.sendall(piece)
        assert status_of(sock) == 201
