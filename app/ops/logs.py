"""Log lines an operator can use: a request id on each, as text or as JSON lines."""

import logging
import sys

from flask import has_request_context, request
from flask.logging import default_handler

from .log_format import FORMATS, JsonFormatter, TextFormatter

REQUEST_ID = "gifchat.request_id"  # where the request id waits in the WSGI environ


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request (or socket) it was logged for."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            found = has_request_context() and request.environ.get(REQUEST_ID)
            record.request_id = found or "-"
        return True


class _Handler(logging.StreamHandler):
    """The one handler this app puts on the root logger."""


class _OneLinePerRequest(logging.Filter):
    """Drops the line Werkzeug's development server logs per request: app.request logs it."""

    # Werkzeug's request line (serving.py, log_request); its errors and banner stay.
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).endswith('] "%s" %s %s')


def init_app(app) -> None:
    """Send every log record through one handler on the root logger, in LOG_FORMAT."""
    kind = app.config.get("LOG_FORMAT", "text")
    if kind not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {kind!r}")
    handler = _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter() if kind == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    # Logging is the process's: the latest app's settings win, and no record is written twice.
    for old in [each for each in root.handlers if isinstance(each, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    # Flask's handler, and the ones python-socketio and python-engineio give their loggers,
    # would each write again what the root one writes.
    logging.getLogger(app.name).removeHandler(default_handler)
    for name in ("socketio.server", "engineio.server"):
        library = logging.getLogger(name)
        for each in list(library.handlers):
            library.removeHandler(each)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(each, _OneLinePerRequest) for each in werkzeug.filters):
        werkzeug.addFilter(_OneLinePerRequest())
    app.extensions["log_handler"] = handler
