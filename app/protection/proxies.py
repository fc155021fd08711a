"""Proxies trusted only when they are the proxy: X-Forwarded-* read from TRUSTED_PROXIES alone.

Anyone who reaches a backend directly can send `X-Forwarded-For: 1.2.3.4`; Werkzeug's
ProxyFix believes the last PROXY_COUNT hops whoever sent them, so a client that bypasses
nginx would choose the address every per-address limit counts. Here the headers are read
only when the connection itself comes from a configured proxy.
"""

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix

# Headers that say a request was relayed: a request carrying any of them is not "local",
# whatever its peer (nginx on this machine relays the whole world).
RELAY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def networks(value) -> tuple:
    """TRUSTED_PROXIES as networks: a list, or one comma-separated string (the environment)."""
    if isinstance(value, str):
        value = value.split(",")
    try:
        return tuple(ipaddress.ip_network(str(each).strip(), strict=False) for each in value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"TRUSTED_PROXIES: {error}") from None


def _address(text: str | None):
    try:
        address = ipaddress.ip_address((text or "").split("%", 1)[0])
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted(peer: str | None, trusted: tuple) -> bool:
    """Whether the direct peer is one of the proxies."""
    address = _address(peer)
    return address is not None and any(address in network for network in trusted)


class TrustedProxyFix:
    """ProxyFix for connections from a trusted proxy; every other request passes untouched."""

    def __init__(self, wsgi_app, trusted: tuple, **hops):
        self.plain = wsgi_app
        self.fixed = ProxyFix(wsgi_app, **hops)
        self.trusted = trusted

    def __call__(self, environ, start_response):
        relayed = is_trusted(environ.get("REMOTE_ADDR"), self.trusted)
        return (self.fixed if relayed else self.plain)(environ, start_response)


def proxy_fix(wsgi_app, config, **hops):
    """wsgi_app, reading PROXY_COUNT hops of X-Forwarded-* from TRUSTED_PROXIES; as is at 0."""
    if not config["PROXY_COUNT"]:
        return wsgi_app
    return TrustedProxyFix(wsgi_app, networks(config["TRUSTED_PROXIES"]), **hops)


def relayed(headers) -> bool:
    """Whether a request says it was relayed by a proxy."""
    return any(headers.get(name) for name in RELAY_HEADERS)
