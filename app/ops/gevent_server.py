"""`python wsgi.py` under gevent: gevent's WSGI server, websockets through simple-websocket."""

import socket
from contextlib import suppress

from gevent import pywsgi
from gevent.pool import Pool

# Where the client's socket waits in the environ (app.protection.guards reads it).
SOCKET = "gifchat.socket"


class Handler(pywsgi.WSGIHandler):
    """pywsgi's connection handler, with a socket that sends at once and ends with its websocket."""

    timeout = None  # seconds a read of headers or body may wait; set per server

    def handle(self):
        # pywsgi sends a response's head and its body in two send()s: with Nagle's algorithm
        # the body waits for the client's delayed ACK of the head, ~40 ms for every POST.
        with suppress(OSError):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.socket.settimeout(self.timeout)  # a client silent between requests is cut off
        super().handle()

    def get_environ(self):
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


def server(app, host: str, port: int, max_connections: int, timeout: float):
    """A pywsgi server of `app` on host:port; serve_forever() serves until stop()."""
    handler = type("Handler", (Handler,), {"timeout": timeout})
    # The app logs one line per request itself (app.ops.access): no second access log.
    return pywsgi.WSGIServer(
        (host, port), app, spawn=Pool(max_connections), handler_class=handler, log=None
    )
