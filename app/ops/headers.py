"""Security headers on every response the app makes."""

import re

from flask import request

# This site's own scripts, styles and images only; no inline script or style, no plugins,
# never framed. data: and blob: are the image previews a page makes of a chosen file.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; connect-src 'self'"
)
ONE_YEAR = 365 * 24 * 3600
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def _policy() -> str:
    # Socket.IO's websocket is same-origin too, but older browsers do not count ws: as
    # 'self': name this host's websocket origin, and no other.
    host = request.host
    if not _HOST.fullmatch(host):
        return POLICY
    return f"{POLICY} {'wss' if request.is_secure else 'ws'}://{host}"


def secure(response):
    """after_request: the policy, no sniffing, no referrer off-site, HSTS over HTTPS."""
    headers = response.headers
    headers["Content-Security-Policy"] = _policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"  # frame-ancestors, for browsers before CSP 2
    headers["Referrer-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = f"max-age={ONE_YEAR}"
    return response
