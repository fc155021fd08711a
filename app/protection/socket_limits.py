"""Rate limits no route decorator can give: socket events, handshakes and new sessions.

Flask-Limiter guards routes only; these use its engine (limits, moving windows) on its storage.
"""

import logging
from urllib.parse import parse_qs

from flask import Flask, current_app, jsonify
from flask_babel import gettext as _
from limits import parse_many
from limits.strategies import MovingWindowRateLimiter

from ..visitor.identity import is_new_visitor, user_key
from ..web.errors import Refused
from .connections import key_of
from .limits import client_address, limiter, on_refusal, seconds_until, wait_text
from .proxies import proxy_fix

log = logging.getLogger(__name__)


def _wait(setting: str, *keys: str, app: Flask | None = None) -> int:
    """Count one more event under `setting`; 0 when allowed, else the seconds to wait."""
    app = app or current_app
    counter = app.extensions.get("socket_limits")
    if counter is None:  # rate limits are off
        return 0
    try:
        for item in sorted(parse_many(app.config[setting])):
            if not counter.hit(item, setting, *keys):
                return seconds_until(counter.get_window_stats(item, setting, *keys).reset_time)
    except counter.storage.base_exceptions:
        # An unreachable Redis must not stop the chat: the event goes through, uncounted.
        log.warning("rate limit storage unreachable; %s not counted", setting)
    return 0


def check_join(sid: str) -> None:
    """Refuse a socket switching rooms faster than a person would, with the wait."""
    wait = (
        _wait("RATELIMIT_JOIN_PER_SOCKET", sid)
        or _wait("RATELIMIT_JOIN_PER_VISITOR", user_key() or sid)
        or _wait("RATELIMIT_JOIN_PER_ADDRESS", client_address())
    )
    if wait:
        on_refusal("join")
        reason = _("You are switching rooms too fast.")
        raise Refused(f"{reason} {wait_text(wait)}", 429, retry_after=wait)


def typing_allowed(sid: str) -> bool:
    """Whether one more typing indicator may be relayed, over all of a visitor's tabs and all
    of an address's visitors; past that they are dropped, like those past a socket's budget."""
    if _wait("RATELIMIT_TYPING_PER_VISITOR", user_key() or sid):
        return False
    return not _wait("RATELIMIT_TYPING_PER_ADDRESS", client_address())


class TooManyVisitors(Refused):
    """A new session refused: it is answered 429 with Retry-After, and not stored."""

    def __init__(self, wait: int):
        reason = _("Too many new visitors from your address.")
        super().__init__(f"{reason} {wait_text(wait)}", 429, retry_after=wait)


def check_new_session() -> None:
    """Count a visitor's first request against its address (RATELIMIT_SESSION_PER_ADDRESS).

    Each new session is kept for a month: a script that drops its cookie must not make 300
    a second. Runs before identity.ensure_color, which would name the new session.
    """
    if is_new_visitor():
        wait = _wait("RATELIMIT_SESSION_PER_ADDRESS", client_address())
        if wait:
            on_refusal("session-address")
            raise TooManyVisitors(wait)


def _echo_address(environ, _start_response) -> str | None:
    return environ.get("REMOTE_ADDR")


class HandshakeLimit:
    """WSGI middleware: new Engine.IO connections past the address's limit get a 429, unmade."""

    # Outside Flask-SocketIO's middleware, in front of anything Engine.IO keeps for a connection.

    def __init__(self, app: Flask, wsgi_app, path: str):
        self.app = app
        self.wsgi_app = wsgi_app
        self.path = path
        # Engine.IO requests never reach the app's own ProxyFix: read the address the same way.
        self.address = proxy_fix(_echo_address, app.config, x_for=app.config["PROXY_COUNT"])

    def __call__(self, environ, start_response):
        if self._is_handshake(environ):
            address = key_of(self.address(dict(environ), None), self.app.config) or "unknown"
            wait = _wait("RATELIMIT_HANDSHAKE", address, app=self.app)
            if wait:
                return self._refuse(environ, wait)(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _is_handshake(self, environ) -> bool:
        """A request for Engine.IO that names no session opens a new one."""
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return False
        return "sid" not in parse_qs(environ.get("QUERY_STRING", ""))

    def _refuse(self, environ, wait: int):
        on_refusal("handshake", self.app)
        with self.app.request_context(environ):  # the message in the visitor's language
            reason = _("Too many connections from your address.")
            response = jsonify(error=f"{reason} {wait_text(wait)}", code="rate-limited")
        response.status_code = 429
        response.headers["Retry-After"] = str(wait)
        return response


def init_app(app: Flask) -> None:
    """Count on Flask-Limiter's storage, and guard handshakes in front of Socket.IO."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    app.extensions["socket_limits"] = MovingWindowRateLimiter(limiter.storage)
    # Flask-SocketIO's middleware is the app's outermost so far; this goes in front of it.
    path = getattr(app.wsgi_app, "engineio_path", "/socket.io/")
    app.wsgi_app = HandshakeLimit(app, app.wsgi_app, path)
