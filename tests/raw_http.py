"""Raw HTTP from a chosen loopback address: connections a test holds, trickles or leaves idle.

Each source address (127.0.0.0/8) counts on its own against MAX_CONNECTIONS_PER_ADDRESS.
"""

import socket
from contextlib import closing

from harness.live_server import WAIT


def connect(server, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.settimeout(WAIT)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def status_of(sock) -> int:
    """The status of the answer on sock; AssertionError if none comes within WAIT."""
    try:
        head = sock.recv(4096)
    except TimeoutError:
        raise AssertionError(f"no answer within {WAIT}s") from None
    assert head.startswith(b"HTTP/1."), head
    return int(head.split(b" ", 2)[1])


def get_status(server, source: str = "127.0.0.1", path: str = "/healthz") -> int:
    """The status a new visitor from source gets for one request."""
    with closing(connect(server, source)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return status_of(sock)
