"""Connections counted per address from the moment they are accepted, and their headers timed.

Counting in the app counts only requests that got there: 10,500 connections from one address
each sending a header byte every 2 s never reach it, yet each holds one of the server's
places, so new visitors wait for as long as the attack lasts. Here (for `python wsgi.py`,
eventlet's server) a connection is counted when it is accepted, one past the address's cap is
closed there with a short 429, and the whole header phase (the wait for a request, its line
and its headers) has HEADER_TIMEOUT seconds, however the bytes trickle in. The change to
eventlet's server lives in app/patches/eventlet_accept.py.

IPv6 addresses are grouped by IPV6_PREFIX_LENGTH (64): one subscriber gets a whole /64,
that is 2^64 addresses to rotate through.
"""

import ipaddress
import threading

# What an address over its cap is told before the connection closes: a browser shows it.
_TOO_MANY = b"Too many connections from your address. Close some tabs and try again.\n"
REFUSAL = (
    b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_TOO_MANY), _TOO_MANY)
)


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

    def __init__(self, per_address: int, ipv6_prefix: int = 64, on_refusal=None):
        self.per_address = per_address
        self.ipv6_prefix = ipv6_prefix
        self.on_refusal = on_refusal  # told of each connection refused, to be counted
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}

    def key(self, address: str | None) -> str:
        return address_key(address, self.ipv6_prefix)

    def admit(self, address: str | None) -> bool:
        """Count one more connection from address, unless it already has its cap."""
        key = self.key(address)
        with self._lock:
            held = self._open.get(key, 0)
            refused = held >= self.per_address
            if not refused:
                self._open[key] = held + 1
        if refused and self.on_refusal is not None:
            self.on_refusal()
        return not refused

    def release(self, address: str | None) -> None:
        key = self.key(address)
        with self._lock:
            held = self._open.pop(key, 0) - 1
            if held > 0:
                self._open[key] = held

    def open(self, address: str | None) -> int:
        with self._lock:
            return self._open.get(self.key(address), 0)


def install(app) -> ConnectionCounter:
    """Count and time the connections of `python wsgi.py` (eventlet's server) for this app."""
    from ..patches import eventlet_accept
    from .limits import on_refusal

    config = app.config
    counter = ConnectionCounter(
        config["MAX_CONNECTIONS_PER_ADDRESS"],
        config["IPV6_PREFIX_LENGTH"],
        on_refusal=lambda: on_refusal("connections", app),  # counted as the app's own refusals
    )
    eventlet_accept.install(counter, config["HEADER_TIMEOUT"])
    return counter


def key_of(address: str | None, config) -> str:
    """The per-address key of a request's address under this app's settings."""
    return address_key(address, config["IPV6_PREFIX_LENGTH"])
