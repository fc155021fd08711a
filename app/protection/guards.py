"""Bounded work before any check: body sizes, body read time, and connections per address.

What one client sends must not cost the server more than it is worth before it is refused:
a body is refused by its declared size and its CSRF token before anything parses it, its reads
are timed (app.protection.bodies: each wait, and the whole body), no answer waits longer than
SEND_TIMEOUT_SECONDS for the client to take more of it, and no address may hold more than
MAX_CONNECTIONS_PER_ADDRESS requests (websockets and long-polls included) at once.
"""

import json
import threading
from contextlib import suppress
from functools import partial

from flask import current_app, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import ClosingIterator

from ..extensions import csrf
from ..web.errors import error_response
from .bodies import Allowance, BodyCut, TimedInput, content_length, read_whole, timer
from .connections import key_of
from .limits import on_refusal
from .proxies import proxy_fix

# Each body's deadline is drawn between BODY_DEADLINE and twice it (app.protection.bodies).
DEADLINE_SPREAD = 1.0


def large_body(view):
    """Mark a view that takes a body of up to MAX_CONTENT_LENGTH (an upload), not BODY_MAX_BYTES."""
    view.large_body = True
    return view


def check_body() -> Response | None:
    """Refuse a body too large for its view, or one whose CSRF check must fail, unread."""
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "large_body", False):
        # Applies to bodies of unknown length too, as they are read.
        request.max_content_length = config["BODY_MAX_BYTES"]
        if (request.content_length or 0) > config["BODY_MAX_BYTES"]:
            return error_response(_("The request is too large."), 413)
    elif (request.content_length or 0) > config["MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge()
    _check_csrf_unread()
    return None


def _check_csrf_unread() -> None:
    """What Flask-WTF would refuse after reading the form, refused before: no body is read."""
    config = current_app.config
    if request.method not in config["WTF_CSRF_METHODS"]:
        return
    if not (config["WTF_CSRF_ENABLED"] and config["WTF_CSRF_CHECK_DEFAULT"]):
        return  # Flask-WTF does not check every request: neither does this
    if request.endpoint is None:
        return  # 404 and 405 answer without reading the body
    for header in config["WTF_CSRF_HEADERS"]:
        token = request.headers.get(header)
        if token:
            csrf.check_unread(token)  # a token checked once is not checked in full again
            return
    # The form's token is checked against one kept in the session: without it, none passes.
    if config["WTF_CSRF_FIELD_NAME"] not in session:
        raise CSRFError("The CSRF session token is missing.")


class Guard:
    """WSGI middleware: a cap on concurrent requests per address, and a body read time-out."""

    def __init__(self, wsgi_app, flask_app, per_address: int, body_timeout: float, send_timeout):
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self.per_address = per_address
        self.body_timeout = body_timeout
        self.send_timeout = send_timeout
        config = flask_app.config
        self.body_allowance = (config["BODY_DEADLINE"], config["BODY_MIN_RATE"])
        self.body_max = config["BODY_MAX_BYTES"]
        self.async_mode = config["ASYNC_MODE"]
        self.timer = None  # the loop's, found on the first request a real server brings
        self._said: dict[tuple[str, str], str] = {}  # (language, code) -> the answer's text
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}  # address -> requests in progress

    def __call__(self, environ, start_response):
        sock = raw_socket(environ)
        if sock is None:  # not served by a pool of connections (tests, the development server)
            return self.wsgi_app(environ, start_response)
        address = key_of(environ.get("REMOTE_ADDR"), self.flask_app.config)  # IPv6: its /64
        with self._lock:
            held = self._open.get(address, 0)
            if held >= self.per_address:
                on_refusal("connections", self.flask_app)
                return self._answer(environ, start_response, 429, _TOO_MANY)
            self._open[address] = held + 1
        websocket = environ.get("HTTP_UPGRADE", "").lower() == "websocket"
        before = sock.gettimeout()
        try:
            self._bound_reads(environ, sock, websocket)
        except BodyCut:
            self._release(address)
            return self._answer(environ, start_response, 400, _TOO_SLOW)
        try:
            result = self.wsgi_app(environ, start_response)
        except BaseException:
            self._release(address)
            raise
        if websocket:
            # The call returns when the websocket has ended; gunicorn then skips close().
            self._release(address)
            return result
        # An answer being sent (a GIF download, say) still holds its place until it ends, and
        # a client that stops taking it is cut off once no byte has gone for send_timeout.
        sock.settimeout(self.send_timeout)
        return ClosingIterator(result, partial(self._release, address, sock, before))

    def _release(self, address: str, sock=None, timeout=None) -> None:
        if sock is not None:
            with suppress(OSError):  # the next request on the connection waits as before
                sock.settimeout(timeout)
        with self._lock:
            held = self._open.pop(address) - 1
            if held:
                self._open[address] = held

    def _bound_reads(self, environ, sock, websocket: bool) -> None:
        if websocket:
            # A websocket waits for its next message as long as it lives, whatever the server's
            # socket_timeout says.
            sock.settimeout(None)
            return
        if self.timer is None:
            self.timer = timer(self.async_mode)
        timed = TimedInput(
            environ["wsgi.input"], sock, self.body_timeout,
            Allowance(*self.body_allowance, spread=DEADLINE_SPREAD), self.timer,
        )  # fmt: skip
        length = content_length(environ)
        if length is not None and 0 < length <= self.body_max:
            # Read whole before the app: waiting, a slow body holds its socket and no more.
            environ["wsgi.input"] = read_whole(timed, length)
        else:
            environ["wsgi.input"] = timed  # an upload, or a body the app refuses unread

    def _answer(self, environ, start_response, status: int, what: tuple):
        """A short answer, given before the app (no session, no page): text, or JSON."""
        # Not put in the environ, which would then hold it: a cycle that keeps the whole
        # connection (its protocol, buffers and sockets) until a full collection.
        incoming = Request(environ, populate_request=False)
        languages = self.flask_app.config["LANGUAGES"]
        language = incoming.accept_languages.best_match(languages) or languages[0]
        code, text = what
        message = self._said.get((language, code))
        if message is None:  # translated once per language: a flood is answered at no cost
            with self.flask_app.app_context(), force_locale(language):
                message = self._said[language, code] = str(text)
        best = incoming.accept_mimetypes.best_match(["text/html", "application/json"])
        if incoming.is_json or best == "application/json":
            response = Response(
                json.dumps({"error": message, "code": code}), mimetype="application/json"
            )
        else:
            response = Response(message, mimetype="text/plain")
        response.status_code = status
        if status == 429:
            response.headers["Retry-After"] = "5"
        else:
            response.headers["Connection"] = "close"  # the rest of the body is not read
        return response(environ, start_response)


# (code, message) of the guard's own answers, each translated when it is given.
_TOO_MANY = (
    "too-many-connections",
    _l("Too many connections from your address. Close some tabs and try again."),
)
_TOO_SLOW = ("too-slow", _l("The request came too slowly. Try again."))


def raw_socket(environ):
    """The client's socket under gunicorn, eventlet's or gevent's server; None elsewhere."""
    if "gunicorn.socket" in environ:
        return environ["gunicorn.socket"]
    if "gifchat.socket" in environ:  # app.ops.gevent_server's handler puts it there
        return environ["gifchat.socket"]
    source = environ.get("eventlet.input")
    return source.get_socket() if source is not None else None


def init_app(app) -> None:
    """Check bodies before anything else reads them, and guard the server's connections."""
    # First of all before_request functions: Flask-WTF's reads the whole form.
    app.before_request_funcs.setdefault(None, []).insert(0, check_body)
    config = app.config
    guard = Guard(
        app.wsgi_app,
        app,
        config["MAX_CONNECTIONS_PER_ADDRESS"],
        config["BODY_TIMEOUT"],
        config["SEND_TIMEOUT_SECONDS"],
    )
    # Outside Socket.IO's middleware, so that its requests count too; behind proxies the
    # address counted is the client's, as ProxyFix gives it (applied twice, it gives the same).
    app.wsgi_app = proxy_fix(guard, config, x_for=config["PROXY_COUNT"])
