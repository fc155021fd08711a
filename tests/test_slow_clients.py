"""Slow connections bounded on every server: gunicorn and `python wsgi.py`, on eventlet and
gevent. Connections counted per address from accept, the header phase and the whole body each
with one deadline, however slowly their bytes come."""

import json
import re
import socket
import time
from contextlib import ExitStack, closing, suppress

import pytest

from harness.live_server import WAIT, LiveServer, WsgiServer, running

from .raw_http import connect, get_status

pytestmark = pytest.mark.server

HEADER_TIMEOUT = 2  # GIFCHAT_HEADER_TIMEOUT of the servers under test
BODY_DEADLINE = 2  # GIFCHAT_BODY_DEADLINE
PER_ADDRESS = 10  # GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS
DRIP = 0.25  # seconds between the bytes of a trickle: far within any one read's wait
# The raw connections come from addresses of their own: a server counts every open connection
# of an address, the visitors' idle keep-alive ones too.
TRICKLE, FLOOD, OTHER = "127.0.0.3", "127.0.0.4", "127.0.0.5"


def bounded(server_class):
    class Bounded(server_class):
        def environment(self) -> dict:
            env = super().environment()
            env["GIFCHAT_HEADER_TIMEOUT"] = str(HEADER_TIMEOUT)
            env["GIFCHAT_BODY_DEADLINE"] = str(BODY_DEADLINE)
            env["GIFCHAT_BODY_TIMEOUT"] = "30"  # each read's own wait: longer than any drip
            env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = str(PER_ADDRESS)
            return env

    return Bounded


@pytest.fixture(scope="module", params=[LiveServer, WsgiServer], ids=["gunicorn", "wsgi.py"])
def server(request, tmp_path_factory, async_mode):
    server_class = bounded(request.param)
    with running(tmp_path_factory.mktemp("slow"), 3600, server_class, mode=async_mode) as live:
        yield live


def trickle_until_answered(sock) -> bytes:
    """A byte every DRIP seconds until the server answers or closes; what it said.

    Bounded: a server that never ends it fails the test after twice WAIT."""
    for _ in range(int(2 * WAIT / DRIP)):
        with suppress(OSError):
            sock.send(b"x")
        said = _said(sock)
        if said is not None:
            return _rest_of(sock, said)
        time.sleep(DRIP)
    raise AssertionError("the server kept a connection whose bytes only trickled")


def _rest_of(sock, said: bytes) -> bytes:
    """The whole answer that began with `said`: its head and the body it announced (a head and
    its body may come in two packets), or what came before the server closed."""
    while said:
        head, _, body = said.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if _ and len(body) >= (int(length.group(1)) if length else 0):
            return said
        try:
            more = sock.recv(4096)
        except OSError:  # a time-out included: the test's assertions say what is missing
            return said
        if not more:
            return said
        said += more
    return said


def _said(sock) -> bytes | None:
    """What the server sent (b"" once it closed), or None while it is still waiting."""
    sock.setblocking(False)
    try:
        return sock.recv(4096)
    except BlockingIOError:
        return None
    except OSError:
        return b""
    finally:
        sock.setblocking(True)
        sock.settimeout(WAIT)


def test_a_header_trickle_is_cut_at_the_header_deadline(server):
    with closing(connect(server, TRICKLE)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert trickle_until_answered(sock) == b""  # closed, with nothing said
    assert get_status(server, TRICKLE) == 200  # its place is given back


def test_a_body_trickle_is_cut_at_the_body_deadline(server, people):
    alice = people()
    room_id = alice.create_room()
    alice.join(room_id, "websocket")
    body = json.dumps({"chat": "dribbled " + "x" * 200}).encode()
    head = [
        f"POST /room/{room_id}/chat HTTP/1.1",
        "Host: 127.0.0.1",
        f"Cookie: {alice.cookie}",
        f"X-CSRFToken: {alice.csrf}",
        "Content-Type: application/json",
        "Accept: application/json",
        f"Content-Length: {len(body)}",
    ]
    with closing(connect(server, TRICKLE)) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:10])
        answer = trickle_until_answered(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert b'"code": "too-slow"' in answer
    history = alice.get(f"/room/{room_id}/chats").json()["chats"]
    assert "dribbled" not in json.dumps(history)
    assert alice.post_chat(room_id, "after").status_code == 201


def a_room_form(visitor, begun: bytes) -> bytes:
    """A create-room post announcing 1,000 bytes of form, of which only `begun` is sent."""
    head = [
        "POST /room HTTP/1.1",
        "Host: 127.0.0.1",
        f"Cookie: {visitor.cookie}",
        f"X-CSRFToken: {visitor.csrf}",
        "Content-Type: application/x-www-form-urlencoded",
        "Content-Length: 1000",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + begun


def test_a_form_cut_at_its_deadline_is_not_taken_for_a_shorter_one(server, people):
    alice = people()
    with closing(connect(server, TRICKLE)) as sock:
        # Never all sent: what came would be a valid form by itself.
        sock.sendall(a_room_form(alice, b"max=5&title=Cut"))
        answer = trickle_until_answered(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert b"The request came too slowly" in answer or "요청이".encode() in answer
    titles = [room["title"] for room in alice.get("/rooms").json()["rooms"]]
    assert not [title for title in titles if title.startswith("Cut")]


def test_a_client_gone_in_the_middle_of_its_body_is_let_go_quietly(server, people):
    # gevent's server says "unexpected end of file" with an OSError where eventlet's reads an
    # empty string: ten thousand attackers closing at once were ten thousand tracebacks
    # (0.6 ms each, and 40 lines of log) before a new visitor was answered.
    alice = people()
    start = server.stderr_size()
    for _ in range(3):
        with closing(connect(server, TRICKLE)) as sock:
            sock.sendall(a_room_form(alice, b"title=Gone"))
            time.sleep(DRIP)  # in the middle of its body when it goes
    time.sleep(2 * DRIP)  # the server's side sees each end
    assert get_status(server, TRICKLE) == 200
    server.assert_healthy(since=start)


def test_an_address_over_its_cap_is_refused_at_accept_while_another_is_served(server):
    with ExitStack() as stack:
        for _ in range(PER_ADDRESS):  # idle: not one byte sent, so no request reached the app
            stack.enter_context(closing(connect(server, FLOOD)))
        with closing(connect(server, FLOOD)) as refused:
            # Refused before it sent anything: only the accept loop can have said it.
            answer = refused.recv(4096)
            assert answer.startswith(b"HTTP/1.1 429"), answer
            assert b"Too many connections from your address" in answer
        assert get_status(server, OTHER) == 200
    # The idle ones closed, the address is served again (bounded: the server notices in time).
    for _ in range(int(WAIT / DRIP)):
        if get_status(server, FLOOD) == 200:
            break
        time.sleep(DRIP)
    else:
        raise AssertionError("the address's places were not given back")


def test_slow_headers_beyond_the_pool_from_one_address_leave_new_visitors_served(server):
    # Three times the server's places (GIFCHAT_MAX_CONNECTIONS, 100) from one address.
    with ExitStack() as stack:
        for _ in range(300):
            sock = socket.socket()
            stack.enter_context(closing(sock))
            sock.bind((FLOOD, 0))
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", server.port))
        assert get_status(server, OTHER) == 200
        assert get_status(server, OTHER, path="/rooms") == 200
