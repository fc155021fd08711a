"""The entry point for gunicorn, `python wsgi.py` and the `flask` command: it picks the server."""

import sys


def _flask_command():
    """The click context of the `flask` command importing this module, or None."""
    # gunicorn and `python wsgi.py` get here before anything imported Flask's CLI; importing it
    # now would make objects (locks, locals) that eventlet's patching comes too late for.
    if "flask.cli" not in sys.modules:
        return None
    import click
    from flask.cli import ScriptInfo

    context = click.get_current_context(silent=True)
    if context is None or context.find_object(ScriptInfo) is None:
        return None
    return context


def _chosen_mode() -> str:
    """ASYNC_MODE as app/config.py and the environment set it, read before anything is patched."""
    import importlib.util
    import os

    # Loaded by its path: importing the app package would import Flask before the patching.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "app", "config.py")
    spec = importlib.util.spec_from_file_location("_gifchat_defaults", path)
    defaults = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(defaults)
    try:
        mode = defaults.async_mode(os.environ)
    except ValueError as error:
        print(f"gifchat: {error}", file=sys.stderr)
        sys.exit(2)
    # gunicorn.conf.py picks the worker from the same setting; `-k` on the command line can
    # still pair them wrongly, and each loop's patching then breaks the other's worker.
    worker = {"gunicorn.workers.geventlet": "eventlet", "gunicorn.workers.ggevent": "gevent"}
    for module, its_mode in worker.items():
        if module in sys.modules and its_mode != mode:
            print(
                f"gifchat: gunicorn runs its {its_mode} worker but GIFCHAT_ASYNC_MODE is {mode}:"
                " drop -k/--worker-class, gunicorn.conf.py picks the worker",
                file=sys.stderr,
            )
            sys.exit(3)  # gunicorn's "worker failed to boot": the master stops, not retries
    return mode


FLASK_COMMAND = _flask_command()
# The `flask` command imported Flask, Werkzeug and their locals before this module: patched
# now, they would block under the patched server. Werkzeug's threaded server serves Socket.IO
# instead, websockets included, through simple-websocket.
ASYNC_MODE = "threading" if FLASK_COMMAND is not None else _chosen_mode()

if ASYNC_MODE == "eventlet":
    import warnings

    # Eventlet is chosen knowingly (docs/deploy.md); its notice would hide real start-up errors.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

    import eventlet

    eventlet.monkey_patch()  # before the app's imports, so every socket and lock is green

    from app.patches import engineio_tasks, eventlet_wsgi

    engineio_tasks.install("eventlet")  # no green thread parked per idle socket
    if __name__ == "__main__":
        eventlet_wsgi.install()  # a websocket's connection frees its HTTP buffers
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()  # the same, for gevent; gunicorn's gevent worker has done it already

    from app.patches import engineio_tasks

    engineio_tasks.install("gevent")

import os  # noqa: E402
import socket  # noqa: E402
from contextlib import suppress  # noqa: E402

from app import create_app, start_background_tasks  # noqa: E402
from app.extensions import socketio  # noqa: E402
from app.offload import thread_pool  # noqa: E402
from app.ops import collector  # noqa: E402
from app.ops.shutdown import close_on_sigterm  # noqa: E402
from app.protection import connections  # noqa: E402
from app.store import StoreUnavailable  # noqa: E402


def _flask_serves(context) -> bool:
    """Whether this process is the one `flask run` serves from; never for another command."""
    from flask.cli import run_command
    from flask.helpers import get_debug_flag
    from werkzeug.serving import is_running_from_reloader

    if context.command is not run_command:
        return False  # shell, routes, and the rest: building the app must start nothing
    if is_running_from_reloader():
        return True  # the reloader's child
    # run_command's own rule: --reload/--no-reload, else the reloader comes with --debug. With
    # it, this process only watches files while a child serves.
    reload = context.params.get("reload")
    return not (get_debug_flag() if reload is None else reload)


class _QuietWebSocketEnd:
    """Ends a finished websocket as Werkzeug's server expects, even under its debugger."""

    # engineio ends a websocket under Werkzeug by raising ConnectionError, which Werkzeug takes
    # for a dropped connection; but `flask run --debug` puts the debugger in between, and it
    # logs that as a crash (a 500 and a traceback) every time a page closes.

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        try:
            return self.wsgi_app(environ, start_response)
        except ConnectionError:
            raw = environ.get("werkzeug.socket")
            if raw is None or environ.get("HTTP_UPGRADE", "").lower() != "websocket":
                raise
            # Werkzeug's answer then fails to send, which it takes for the dropped connection.
            with suppress(OSError):
                raw.shutdown(socket.SHUT_WR)
            start_response("101 Switching Protocols", [])
            return []


class _NoWebSocketDeflate:
    """Declines permessage-deflate, as socket.io's own server does unless told otherwise."""

    # Both eventlet and simple-websocket accept it whenever a client offers it (browsers always
    # do), with no size threshold: every frame is then compressed once per socket, and each
    # socket keeps a zlib state of over 100 KB. Chat frames are a few hundred bytes.

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)


def _server_name() -> str:
    if FLASK_COMMAND is not None:
        return "Werkzeug's development server"
    if __name__ == "__main__":
        return f"{ASYNC_MODE}'s WSGI server"
    return "gunicorn" if "gunicorn" in sys.modules else "an imported WSGI server"


try:
    app = create_app({"SOCKETIO_ASYNC_MODE": ASYNC_MODE, "ASYNC_MODE": ASYNC_MODE})
except StoreUnavailable as error:
    # One clear line, no traceback: the usual cause is a database that is not up yet.
    print(f"gifchat: cannot reach the database: {error}", file=sys.stderr)
    sys.exit(1)
if FLASK_COMMAND is None:
    app.extensions["offload"] = thread_pool(ASYNC_MODE)  # GIF decoding, password hashing
else:
    app.wsgi_app = _QuietWebSocketEnd(app.wsgi_app)
if not app.config["WEBSOCKET_DEFLATE"]:
    app.wsgi_app = _NoWebSocketDeflate(app.wsgi_app)

if FLASK_COMMAND is None or _flask_serves(FLASK_COMMAND):
    start_background_tasks(app)
    engine = socketio.server.eio
    print(
        f"gifchat: serving with {_server_name()}, async mode {engine.async_mode}"
        f" ({', '.join(engine.transports)})",
        file=sys.stderr,
        flush=True,
    )
if FLASK_COMMAND is None:
    collector.settle()  # tens of thousands of parked connections, walked only when it pays


def _open_files_limit() -> int:
    """Raise the soft open-file limit to the hard one, as Node does at start; return it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < wanted:
        with suppress(ValueError, OSError):  # a kernel cap below the hard limit: keep the soft
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    return soft


def _serve_with_eventlet(host: str, port: int, most: int) -> None:
    serving = eventlet.getcurrent()
    close_on_sigterm(app, socketio, stop_serving=lambda: eventlet.kill(serving, SystemExit))
    connections.install(app)  # per-address caps from accept, and the header phase timed
    socketio.run(
        app,
        host=host,
        port=port,
        max_size=most,  # eventlet's pool caps concurrent connections
        # A client that goes silent (in its headers, or between requests) is cut off; websockets
        # lift it for themselves, and app.protection.guards bounds each wait for a body the same
        # way.
        socket_timeout=app.config["BODY_TIMEOUT"],
    )


def _serve_with_gevent(host: str, port: int, most: int) -> None:
    from app.ops.gevent_server import server

    # Per-address caps from accept, and the header phase timed, as on eventlet.
    counter = connections.counter(app)
    serving = server(app, host, port, most, timeout=app.config["BODY_TIMEOUT"], counter=counter)
    close_on_sigterm(app, socketio, stop_serving=serving.close)
    with suppress(KeyboardInterrupt):
        serving.serve_forever(stop_timeout=STOP_SECONDS)


# On SIGTERM every socket is closed at once (app.ops.shutdown): past this, requests still in
# progress are cut, as gunicorn's graceful_timeout does.
STOP_SECONDS = 4

if __name__ == "__main__":
    # A chat server holds one connection per visitor, each a file descriptor, and needs a few
    # more for its database, files and logs.
    files = _open_files_limit()
    serve = _serve_with_gevent if ASYNC_MODE == "gevent" else _serve_with_eventlet
    serve(
        os.environ.get("GIFCHAT_HOST", "127.0.0.1"),
        int(os.environ.get("GIFCHAT_PORT", "8005")),
        # As many as gunicorn.conf.py's worker_connections, for the same reasons.
        min(int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "20000")), max(files - 100, files // 2)),
    )
