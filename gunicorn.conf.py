"""Production settings for `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os
import resource

from gunicorn.glogging import Logger


# wsgi.py has the same function for `python wsgi.py`. It is not imported from there: importing
# wsgi (or app) here would load Flask in gunicorn's master before its workers patch for eventlet.
def _open_files_limit() -> int:
    """Raise the soft open-file limit to the hard one, as Node does at start; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # a kernel cap below the hard limit: keep what we have
            pass
    return soft


def _load(relative: str):
    """A module of the app loaded by its path: importing the app package would load Flask in
    gunicorn's master, before its workers patch the standard library for their event loop."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), relative)
    name = "_gifchat_" + relative.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _async_mode() -> str:
    try:
        return _load("app/config.py").async_mode(os.environ)
    except ValueError as error:
        raise SystemExit(f"gifchat: {error}") from None


# One worker per process, of the event loop ASYNC_MODE names (wsgi.py patches for the same):
# Socket.IO needs sticky sessions across processes, so scale out with more processes behind a
# sticky balancer and a message queue. gunicorn's own worker for that loop, counting each
# address's connections from accept and giving the header phase one deadline, as
# `python wsgi.py` does (app/ops/gunicorn_workers.py).
worker_class = _load("app/ops/gunicorn_workers.py").worker_class(_async_mode())
workers = 1
# Each worker holds one green thread per open connection; the default of 1000 is far
# too few for a chat server where every visitor keeps a socket open. 20,000: room for 10,000
# visitors' sockets and as many slow connections as many addresses can hold under their caps
# (250 addresses x 42 slow bodies, bench/slow_clients.py) until their deadlines cut them. A
# place costs memory only while a connection holds it. Each is also a file descriptor: the
# worker inherits the raised limit, less some for its database, files and logs.
_files = _open_files_limit()
# As many connections queued for accept as the kernel allows (net.core.somaxconn), as
# app/protection/connections.py's BACKLOG for `python wsgi.py`: gunicorn's 2,048 overflowed
# under 10,500 slow clients opening at once, and a new visitor's SYN then waited 1 s.
backlog = 65535
worker_connections = min(
    int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "20000")), max(_files - 100, _files // 2)
)
bind = os.environ.get("GIFCHAT_BIND", "127.0.0.1:8005")
timeout = 60
# Keep-alive on; the wait for each next request and its headers is HEADER_TIMEOUT as a whole
# (the worker's timeout_ctx), its body's by BODY_TIMEOUT and BODY_DEADLINE (app.protection.guards).
keepalive = 2
# On SIGTERM the worker closes every socket at once (post_worker_init), so in-flight
# requests are all that is left to finish: past this, they are cut, and the process exits.
graceful_timeout = 4
# gunicorn 25's control socket is one path per user: two servers would fight over it.
control_socket_disable = True
# The app logs one line per request itself (with its request id, as text or JSON, see
# LOG_FORMAT); gunicorn's access log would say it twice. Turned on with --access-logfile,
# it names the same request id. Query strings could carry tokens: the path only.
accesslog = None
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss %({x-request-id}o)s'


def _log_formatter():
    """The app's formatter for LOG_FORMAT (app/ops/log_format.py), for gunicorn's lines too."""
    defaults = _load("app/config.py")
    kind = os.environ.get("GIFCHAT_LOG_FORMAT", defaults.LOG_FORMAT).strip().strip('"')
    formats = _load("app/ops/log_format.py")
    if kind not in formats.FORMATS:  # the app says it in full when it starts
        raise SystemExit(f"gifchat: LOG_FORMAT must be one of {', '.join(formats.FORMATS)}")
    return formats.JsonFormatter() if kind == "json" else formats.TextFormatter()


class _Logger(Logger):
    """gunicorn's error and access logs, with the app's lines' format (text or JSON)."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = _log_formatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)


logger_class = _Logger


def post_worker_init(worker):
    """The app is loaded: on SIGTERM, close every Socket.IO connection at once."""
    from app.extensions import socketio
    from app.ops.shutdown import close_on_sigterm

    close_on_sigterm(worker.wsgi, socketio)
