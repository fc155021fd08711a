"""Connections counted per address from the moment they are accepted, and their headers timed.

Counting in the app counts only requests that got there: 10,500 connections from one address
each sending a header byte every 2 s never reach it, yet each holds one of the server's
places, so new visitors wait for as long as the attack lasts. Here a connection is counted
when it is accepted, one past the address's cap is closed there with a short 429, and the
whole header phase (the wait for a request, its line and its headers) has HEADER_TIMEOUT
seconds, however the bytes trickle in. Every server does it: `python wsgi.py` on eventlet
(app/patches/eventlet_accept.py) or gevent (app/ops/gevent_server.py), and gunicorn's
eventlet and gevent workers (app/ops/gunicorn_workers.py).

Behind a proxy (PROXY_COUNT), connections from TRUSTED_PROXIES are not counted: they carry
everybody's requests, and the proxy counts each client's connections itself (nginx's
limit_conn, deploy/nginx.conf.template); the app still caps each client's requests.

IPv6 addresses are grouped by IPV6_PREFIX_LENGTH (64): one subscriber gets a whole /64,
that is 2^64 addresses to rotate through.
"""

import functools
import ipaddress
import socket
import threading
from contextlib import suppress

from .proxies import is_trusted, networks

# Connections the kernel queues for accept(), as many as it allows: listen() truncates this to
# net.core.somaxconn (4096 since Linux 5.4). 10,500 slow clients opening at once overflowed
# gunicorn's 2,048 (3,367 connections dropped in one run of bench.slow_clients), and a new
# visitor whose SYN fell in the overflow waited for its 1 s retry.
BACKLOG = 65535

# What an address over its cap is told before the connection closes: a browser shows it.
_TOO_MANY = b"Too many connections from your address. Close some tabs and try again.\n"
REFUSAL = (
    b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_TOO_MANY), _TOO_MANY)
)


# Asked three times per request (accept, the app's cap, the end), each a parse by ipaddress:
# the addresses seen lately are kept, as many as the connections a server holds.
@functools.lru_cache(maxsize=20_000)
def address_key(address: str | None, ipv6_prefix: int = 64) -> str:
    """What a per-address limit counts: an IPv4 address, or the IPv6 network it belongs to."""
    text = (address or "").split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return address or ""
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{ipv6_prefix}", strict=False))


class ConnectionCounter:
    """Open connections per address key, capped."""

    refusal = REFUSAL  # what the server says to a connection over the cap, as it closes it

    def __init__(self, per_address: int, ipv6_prefix: int = 64, on_refusal=None, exempt=()):
        self.per_address = per_address
        self.ipv6_prefix = ipv6_prefix
        self.on_refusal = on_refusal  # told of each connection refused, to be counted
        self.exempt = tuple(exempt)  # networks whose connections are not counted (proxies)
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}

    def key(self, address: str | None) -> str:
        return address_key(address, self.ipv6_prefix)

    def admit(self, address: str | None) -> bool:
        """Count one more connection from address, unless it already has its cap."""
        if self.exempt and is_trusted(address, self.exempt):
            return True
        key = self.key(address)
        with self._lock:
            held = self._open.get(key, 0)
            refused = held >= self.per_address
            if not refused:
                self._open[key] = held + 1
        if refused and self.on_refusal is not None:
            self.on_refusal()
        return not refused

    def refuse(self, conn) -> None:
        """Say `refusal` on a just-accepted connection, if its send buffer takes it; close it."""
        with suppress(OSError):
            conn.setblocking(False)  # the answer fits the send buffer, or it is not sent
            conn.send(self.refusal)
            conn.shutdown(socket.SHUT_WR)
        conn.close()

    def release(self, address: str | None) -> None:
        if self.exempt and is_trusted(address, self.exempt):
            return
        key = self.key(address)
        with self._lock:
            held = self._open.pop(key, 0) - 1
            if held > 0:
                self._open[key] = held

    def open(self, address: str | None) -> int:
        with self._lock:
            return self._open.get(self.key(address), 0)


def counter(app) -> ConnectionCounter:
    """The connection counter of a server of this app, under its settings."""
    from .limits import on_refusal

    config = app.config
    proxies = networks(config["TRUSTED_PROXIES"]) if config["PROXY_COUNT"] else ()
    return ConnectionCounter(
        config["MAX_CONNECTIONS_PER_ADDRESS"],
        config["IPV6_PREFIX_LENGTH"],
        on_refusal=lambda: on_refusal("connections", app),  # counted as the app's own refusals
        exempt=proxies,
    )


def install(app) -> ConnectionCounter:
    """Count and time the connections of `python wsgi.py` (eventlet's server) for this app."""
    from ..patches import eventlet_accept

    counted = counter(app)
    eventlet_accept.install(counted, app.config["HEADER_TIMEOUT"], backlog=BACKLOG)
    return counted


def host(address) -> str:
    """The client's address of an accepted connection's peer (a Unix socket's has none)."""
    return address[0] if isinstance(address, tuple) else ""


def key_of(address: str | None, config) -> str:
    """The per-address key of a request's address under this app's settings."""
    return address_key(address, config["IPV6_PREFIX_LENGTH"])
