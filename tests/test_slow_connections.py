"""Slow connections bounded before they cost anything, on `python wsgi.py`: counted per address
from accept, the header phase timed as a whole, IPv6 counted by its /64."""

import time
import warnings
from contextlib import ExitStack, closing, suppress

import pytest

from app.protection import bodies
from app.protection.connections import ConnectionCounter, address_key
from app.protection.proxies import networks
from harness.live_server import WAIT, WsgiServer, running

from .raw_http import connect, get_status

HEADER_TIMEOUT = 2  # GIFCHAT_HEADER_TIMEOUT of the server under test
PER_ADDRESS = 20  # GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS
POOL = 100  # GIFCHAT_MAX_CONNECTIONS (harness/live_server.py): the server's places
ATTACKERS = 300  # slow connections from one address: three times the places


class SlowServer(WsgiServer):
    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_HEADER_TIMEOUT"] = str(HEADER_TIMEOUT)
        env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = str(PER_ADDRESS)
        env["GIFCHAT_BODY_TIMEOUT"] = "30"  # eventlet's per-recv timeout: longer than a drip
        return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("slow"), 3600, SlowServer) as live:
        yield live


def drip(sock) -> bool:
    """One more header byte, as the attack sends them; False once the server has closed it."""
    try:
        sock.send(b"X")
        return True
    except OSError:
        return False


@pytest.mark.server
def test_slow_headers_from_one_address_leave_new_visitors_served(server):
    with ExitStack() as stack:
        attack = []
        for _ in range(ATTACKERS):
            sock = stack.enter_context(closing(connect(server, "127.0.0.2")))
            with suppress(OSError):
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            attack.append(sock)
        for sock in attack:
            drip(sock)
        # Served while every one of them is still open and dripping.
        assert get_status(server) == 200
        assert get_status(server, path="/rooms") == 200
        for sock in attack:
            drip(sock)
        assert get_status(server, "127.0.0.3") == 200
        # The address itself has no more than its share: one more is told so.
        assert get_status(server, "127.0.0.2") == 429
    server.assert_healthy()


@pytest.mark.server
def test_the_header_phase_has_one_deadline_however_the_bytes_dribble(server):
    with closing(connect(server, "127.0.0.4")) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        # A byte well within eventlet's per-recv timeout, again and again: the deadline still
        # falls HEADER_TIMEOUT after the first byte (bounded: WAIT rounds at most).
        closed = False
        for _ in range(int(WAIT / 0.25) * 2):
            if not drip(sock) or _closed(sock):
                closed = True
                break
            time.sleep(0.25)
        assert closed, "the server kept a connection whose headers never ended"
    assert get_status(server, "127.0.0.4") == 200


@pytest.mark.server
def test_an_idle_connection_is_closed_after_the_header_deadline(server):
    with closing(connect(server, "127.0.0.5")) as sock:
        sock.settimeout(HEADER_TIMEOUT + WAIT)
        assert sock.recv(1) == b""  # closed by the server, with nothing said


def _closed(sock) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)
        sock.settimeout(WAIT)


@pytest.mark.parametrize(
    "address, key",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "not an address"),
        (None, ""),
    ],
)
def test_ipv6_addresses_count_by_their_network(address, key):
    assert address_key(address) == key


def test_a_whole_slash_64_shares_one_cap():
    counter = ConnectionCounter(per_address=2, ipv6_prefix=64)
    assert counter.admit("2001:db8::1") and counter.admit("2001:db8::ffff:2")
    assert not counter.admit("2001:db8::3")  # the same /64
    assert counter.admit("2001:db8:0:1::1")  # the next /64
    counter.release("2001:db8::1")
    assert counter.admit("2001:db8::3")
    wider = ConnectionCounter(per_address=1, ipv6_prefix=48)
    assert wider.admit("2001:db8::1") and not wider.admit("2001:db8:0:1::1")


def test_the_change_to_eventlets_server_is_one_layer_and_can_be_undone():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # as wsgi.py
        import eventlet.wsgi

        from app.patches import eventlet_accept

    original = eventlet.wsgi.server
    try:
        eventlet_accept.install(ConnectionCounter(5), 10, backlog=128)
        # Again: replaces, never stacks.
        eventlet_accept.install(ConnectionCounter(5), 10, backlog=128)
        assert eventlet.wsgi.server.__wrapped__ is original
    finally:
        eventlet_accept.uninstall()
    assert eventlet.wsgi.server is original


def test_connections_from_a_trusted_proxy_are_not_counted():
    # Behind nginx every connection comes from it; nginx counts each client's (limit_conn).
    counter = ConnectionCounter(per_address=1, exempt=networks("127.0.0.0/8,::1"))
    assert all(counter.admit("127.0.0.1") for _ in range(5))
    assert counter.open("127.0.0.1") == 0
    counter.release("127.0.0.1")  # nothing was counted, nothing goes negative
    assert counter.admit("203.0.113.9") and not counter.admit("203.0.113.9")


def test_a_bodys_time_grows_with_what_it_brought(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(bodies.time, "monotonic", lambda: now[0])
    allowance = bodies.Allowance(seconds=20, rate=500)
    now[0] += 19
    assert allowance.remaining() == pytest.approx(1)
    allowance.received(1000)  # two more seconds for a thousand bytes
    now[0] += 2.5
    assert allowance.remaining() == pytest.approx(0.5)
    allowance.received(1)  # a byte at a time buys nearly nothing
    now[0] += 1
    assert allowance.remaining() < 0


def test_bodies_begun_together_are_not_all_cut_together(monkeypatch):
    # Ten thousand cut in one turn of the loop would make a new visitor wait for all their
    # answers: each draws its seconds between BODY_DEADLINE and twice it.
    monkeypatch.setattr(bodies.time, "monotonic", lambda: 100.0)
    draws = iter([0.0, 0.5, 0.999])
    monkeypatch.setattr(bodies.random, "random", lambda: next(draws))
    shares = [bodies.Allowance(seconds=20, rate=500, spread=1.0).remaining() for _ in range(3)]
    assert shares == pytest.approx([20, 30, 39.98])
