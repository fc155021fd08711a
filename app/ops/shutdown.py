"""A clean stop: on SIGTERM every Socket.IO connection is closed at once, not timed out."""

import _socket
import signal
import socket
import weakref

from werkzeug.wsgi import ClosingIterator

ENGINE_PATH = "/socket.io/"


def close_on_sigterm(app, socketio, stop_serving=None) -> None:
    """From now on, SIGTERM calls stop_serving() and closes every Socket.IO connection.

    Clients see a disconnect and reconnect elsewhere. A serving process calls this (wsgi.py,
    gunicorn.conf.py); the handler gunicorn had for SIGTERM still runs.
    """
    asked = []
    previous = signal.getsignal(signal.SIGTERM)
    busy = {}  # connection -> whether its request is a Socket.IO one
    known = weakref.WeakSet()  # every connection seen: the idle ones are among them
    serve = app.wsgi_app

    def tracked(environ, start_response):
        connection = _connection(environ)
        if connection is None:
            return serve(environ, start_response)
        known.add(connection)
        busy[connection] = environ.get("PATH_INFO", "").startswith(ENGINE_PATH)
        try:
            answer = serve(environ, start_response)
        except BaseException:
            busy.pop(connection, None)
            raise
        # Busy until the server has sent the whole body and closes the answer.
        return ClosingIterator(answer, lambda: busy.pop(connection, None))

    def end(connections):
        for connection in connections:
            _shut_down(connection)

    def on_sigterm(signum, frame):
        asked.append(signum)
        if callable(previous):
            previous(signum, frame)  # gunicorn's: the worker stops accepting, then exits

    def close_all():
        # A signal handler may not switch green threads, and the loop may sleep long: look often.
        while not asked:
            socketio.sleep(0.1)
        if stop_serving is not None:
            stop_serving()
        engine = socketio.server.eio
        for _ in range(50):  # then again for 10 s: a reconnect may land here until it stops
            for each in list(engine.sockets.values()):
                if not (each.upgraded or each.closing or each.closed):
                    # Long-polling: the pending poll carries the close. Not waiting for it to
                    # be fetched, as a client that no longer polls would hold this loop.
                    each.close(wait=False, reason=engine.reason.SERVER_DISCONNECT)
            socketio.sleep(0.2)
            # Websockets are ended from below, so that their reader wakes and cleans up:
            # closed by Engine.IO, the file would be closed under a reader that eventlet
            # never wakes, and the worker would wait for it until killed. A poll still open
            # on a closed session ends the same way, and so do idle keep-alive connections,
            # which would otherwise hold the worker for the keep-alive time.
            end([connection for connection, engine_io in list(busy.items()) if engine_io])
            end([connection for connection in list(known) if connection not in busy])

    app.wsgi_app = tracked
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: requests go on
    socketio.start_background_task(close_all)


def _connection(environ):
    """The client's socket, as gunicorn, eventlet's or gevent's server hands it over."""
    if "gunicorn.socket" in environ:
        return environ["gunicorn.socket"]
    if "gifchat.socket" in environ:  # app.ops.gevent_server's handler
        return environ["gifchat.socket"]
    if "eventlet.input" in environ:
        return environ["eventlet.input"].get_socket()
    return None


def _shut_down(connection) -> None:
    """End a client's connection from below, so that whoever reads it sees the stream end."""
    # Not through the connection's own shutdown(): gevent's wakes a reader waiting on it with
    # EBADF ("closed in another greenlet"), and gunicorn's keep-alive loop logs that as a
    # traceback. The kernel's shutdown wakes it as a client's close would.
    try:
        raw = _socket.socket(fileno=connection.fileno())
    except (OSError, ValueError):
        return  # already closed
    try:
        raw.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already gone
    finally:
        raw.detach()  # the connection's owner closes it
