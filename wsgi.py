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


FLASK_COMMAND = _flask_command()

if FLASK_COMMAND is None:
    import warnings

    # Eventlet is chosen knowingly (see setup.cfg's pins); its notice would hide real start-up
    # errors.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

    import eventlet

    eventlet.monkey_patch()  # before the app's imports, so every socket and lock is green
    from eventlet import tpool

    from app import socket_tasks

    socket_tasks.install()  # no green thread parked per idle socket for its pings and writes

    ASYNC_MODE = "eventlet"
else:
    # The `flask` command imported Flask, Werkzeug and their locals before this module: patched
    # now, they would block under the patched server. Werkzeug's threaded server serves
    # Socket.IO instead, websockets included, through simple-websocket.
    ASYNC_MODE = "threading"

import os  # noqa: E402
import socket  # noqa: E402
from contextlib import suppress  # noqa: E402

from app import connections, create_app, start_background_tasks  # noqa: E402
from app.extensions import socketio  # noqa: E402
from app.ops.shutdown import close_on_sigterm  # noqa: E402
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


def _http_protocol():
    """eventlet's HTTP connection handler, but a websocket's frees its HTTP buffers."""
    from eventlet.wsgi import HttpProtocol

    class WebSocketHttpProtocol(HttpProtocol):
        # eventlet keeps each connection's buffered reader and writer (8 and 16 KB) for its
        # whole life; a websocket reads and writes its socket directly once its handshake is
        # sent, and the connection closes when it ends. eventlet's websocket calls set_idle
        # right then, before its handler runs.
        def get_environ(self):
            environ = super().get_environ()
            set_idle = environ["eventlet.set_idle"]

            def now_a_websocket():
                set_idle()
                # Unbuffered files in their place keep the socket open until the connection
                # ends, as the buffered ones did (a socket closes with its last file).
                for name, mode in (("rfile", "rb"), ("wfile", "wb")):
                    buffered = getattr(self, name)
                    setattr(self, name, self.connection.makefile(mode, 0))
                    buffered.close()  # frees its buffer; the handshake went out unbuffered
                environ["eventlet.input"].rfile = self.rfile

            environ["eventlet.set_idle"] = now_a_websocket
            return environ

    return WebSocketHttpProtocol


def _server_name() -> str:
    if FLASK_COMMAND is not None:
        return "Werkzeug's development server"
    if __name__ == "__main__":
        return "eventlet's WSGI server"
    return "gunicorn" if "gunicorn" in sys.modules else "an imported WSGI server"


try:
    app = create_app({"SOCKETIO_ASYNC_MODE": ASYNC_MODE})
except StoreUnavailable as error:
    # One clear line, no traceback: the usual cause is a database that is not up yet.
    print(f"gifchat: cannot reach the database: {error}", file=sys.stderr)
    sys.exit(1)
if FLASK_COMMAND is None:
    app.extensions["offload"] = tpool.execute  # GIF decoding, password hashing: OS threads
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


if __name__ == "__main__":
    serving = eventlet.getcurrent()
    close_on_sigterm(app, socketio, stop_serving=lambda: eventlet.kill(serving, SystemExit))
    # eventlet's pool caps concurrent connections; a chat server holds one per visitor, each a
    # file descriptor, and needs a few more for its database, files and logs.
    files = _open_files_limit()
    connections.install(app)  # per-address caps from accept, and the header phase timed
    socketio.run(
        app,
        host=os.environ.get("GIFCHAT_HOST", "127.0.0.1"),
        port=int(os.environ.get("GIFCHAT_PORT", "8005")),
        max_size=min(
            int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "10000")), max(files - 100, files // 2)
        ),
        # A client that goes silent (in its headers, or between requests) is cut off; websockets
        # lift it for themselves, and app.guards bounds each wait for a body the same way.
        socket_timeout=app.config["BODY_TIMEOUT"],
        protocol=_http_protocol(),
    )
