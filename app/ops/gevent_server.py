"""`python wsgi.py` under gevent: gevent's WSGI server, websockets through simple-websocket.

Connections are counted per address as they are accepted (one over the cap is closed there
with a short 429, before a greenlet is spawned for it), and the wait for a request and its
headers has one deadline, as on eventlet (app.protection.connections). gunicorn's gevent
worker accepts through CountingStreamServer too (app.ops.gunicorn_workers).
"""

import socket
from contextlib import suppress

import gevent
from gevent import pywsgi
from gevent.pool import Pool
from gevent.server import StreamServer

from ..protection.connections import BACKLOG, host

# Where the client's socket waits in the environ (app.protection.guards reads it).
SOCKET = "gifchat.socket"
YIELD_EVERY = 64  # refusals in a row before the accept loop lets other greenlets run


class Counting:
    """A gevent server's accept, refusing on the spot an address over its cap."""

    # Connections taken from the kernel's queue per turn of the loop (gevent's 100): each
    # accepted one's greenlet runs only later, so accepting is cheap, and 10,500 slow clients
    # opening at once overflowed the queue at 100 (4,368 dropped in one run of
    # bench.slow_clients), leaving a new visitor to its 1 s SYN retry.
    max_accept = 1024

    def __init__(self, *args, counter, **kwargs):
        self.counter = counter
        super().__init__(*args, **kwargs)

    def do_read(self):
        # gevent's subclass hook for accepting one connection; None means "none now".
        for _ in range(YIELD_EVERY):
            accepted = super().do_read()
            if not accepted:
                return accepted
            conn, address = accepted
            if self.counter.admit(host(address)):
                return accepted
            self.counter.refuse(conn)
        return None  # the loop comes back to the listener once others have run


class CountingStreamServer(Counting, StreamServer):
    """gevent's StreamServer, counting connections per address from accept."""


class Handler(pywsgi.WSGIHandler):
    """pywsgi's connection handler: a socket that sends at once and ends with its websocket,
    headers with one deadline, and the connection's count given back when it ends."""

    timeout = None  # seconds a read of headers or body may wait; set per server
    header_seconds = None  # the whole wait for a request and its headers; set per server

    def handle(self):
        # pywsgi sends a response's head and its body in two send()s: with Nagle's algorithm
        # the body waits for the client's delayed ACK of the head, ~40 ms for every POST.
        with suppress(OSError):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.socket.settimeout(self.timeout)  # a client silent between requests is cut off
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the client went while being answered: gevent would log it as a failure
        finally:
            self.server.counter.release(host(self.client_address))

    def handle_one_request(self):
        deadline = self._header_deadline = gevent.Timeout(self.header_seconds)
        deadline.start()
        try:
            return super().handle_one_request()
        except gevent.Timeout as fired:
            if fired is not deadline:
                raise
            self.close_connection = True
            return None  # too slow with its headers: closed, nothing sent
        finally:
            deadline.cancel()

    def get_environ(self):
        self._header_deadline.cancel()  # the headers are in: the app's own time begins
        environ = super().get_environ()
        environ[SOCKET] = self.socket
        return environ

    def run_application(self):
        super().run_application()
        if self.status is None and self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            # simple-websocket answered the upgrade itself, on a copy of this socket that it
            # has closed now that the websocket ended. pywsgi, having sent nothing, would wait
            # on this one for a next request, and the client for the connection to end.
            self.close_connection = True


class CountingWSGIServer(Counting, pywsgi.WSGIServer):
    """pywsgi's server, counting connections per address from accept."""

    backlog = BACKLOG  # gevent's default of 256 fills under a burst of connections


def server(app, host_name: str, port: int, max_connections: int, timeout: float, counter):
    """A pywsgi server of `app` on host:port; serve_forever() serves until stop()."""
    settings = {"timeout": timeout, "header_seconds": app.config["HEADER_TIMEOUT"]}
    handler = type("Handler", (Handler,), settings)
    # The app logs one line per request itself (app.ops.access): no second access log.
    return CountingWSGIServer(
        (host_name, port),
        app,
        spawn=Pool(max_connections),
        handler_class=handler,
        log=None,
        counter=counter,
    )
