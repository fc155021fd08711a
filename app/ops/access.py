"""One log line for every HTTP request, under a request id that the response carries back."""

import logging
import re
import secrets
import time

from .logs import REQUEST_ID

log = logging.getLogger("app.request")

HEADER = "X-Request-ID"
# A dict the app fills in when Flask answers: "endpoint", the Flask endpoint, and
# "remote_addr", the client's address as ProxyFix tells it.
# Shared, not a plain value, as Flask-SocketIO hands Flask a copy of the environ.
ANSWER = "gifchat.answer"
# An id a proxy or client gave, if it is plain enough to put into a log line as it is.
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(text: str) -> str:
    # A decoded %0a in a path must not start a forged log line.
    return _CONTROL.sub("?", text)


def request_id(environ) -> str:
    """The incoming X-Request-ID if sane, else a new one."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE.fullmatch(given) else secrets.token_hex(16)


class RequestLog:
    """WSGI middleware around everything the process serves, Socket.IO included."""

    def __init__(self, wsgi_app, observe=None):
        self.wsgi_app = wsgi_app
        self.observe = observe  # observe(endpoint, seconds), for the duration histogram

    def __call__(self, environ, start_response):
        environ[REQUEST_ID] = rid = request_id(environ)
        environ[ANSWER] = answer = {}
        started = time.perf_counter()
        status = []

        def start(code, headers, exc_info=None):
            status[:] = [code.split(" ", 1)[0]]
            headers.append((HEADER, rid))
            return start_response(code, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        finally:
            seconds = time.perf_counter() - started
            endpoint = answer.get("endpoint")
            if endpoint is not None and self.observe is not None:
                self.observe(endpoint, seconds)
            client = answer.get("remote_addr") or environ.get("REMOTE_ADDR", "-")
            self._log(environ, status[0] if status else "-", seconds, rid, endpoint, client)

    @staticmethod
    def _log(environ, status, seconds, rid, endpoint, client) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        # The path only: a query string may carry something private.
        method = _printable(environ.get("REQUEST_METHOD", "-"))
        path = _printable(environ.get("PATH_INFO", "-"))
        fields = {
            "method": method,
            "path": path,
            "status": int(status) if status.isdigit() else None,
            "duration_ms": round(seconds * 1000, 1),
            "remote_addr": client,
            "endpoint": endpoint,
        }
        # As log.info() would, but without looking up its caller's frame: it is always this one.
        record = log.makeRecord(
            log.name,
            logging.INFO,
            __file__,
            _LINE,
            '%s "%s %s" %s %.1fms',
            (client, method, path, status, seconds * 1000),
            None,
            "_log",
            {"fields": fields, "request_id": rid},
        )
        log.handle(record)


_LINE = RequestLog._log.__code__.co_firstlineno
