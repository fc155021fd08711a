"""eventlet's WSGI server: connections counted per address at accept, their headers timed.

eventlet counts nothing per address, and its `socket_timeout` bounds each `recv`, not the
header phase: a byte every few seconds holds a connection, and one of the pool's places,
for ever. Wrapped here: the listening socket (an address at its cap is answered 429 and
closed in the accept loop, before a green thread or a buffer is spent on it) and the
connection's protocol (the wait for a request and its headers has one deadline, cancelled
once the headers are in; the count is given back when the connection ends).
"""

import functools

import eventlet
import eventlet.wsgi

from . import Patch

PATCH = Patch(__name__, "eventlet", "0.41")
YIELD_EVERY = 64  # refusals in a row before the accept loop lets other green threads run
# eventlet's hub takes up to 1,023 ready sockets from each poll and runs them all before it
# polls again, and the listening socket, once ready, waits behind every other ready one: ten
# thousand slow clients each sending a byte made a new visitor's connection wait ten rounds of
# the loop (2.5 s). Accept also looks at its queue this often, from the hub's timers, which run
# between two rounds.
ACCEPT_CHECK = 0.05


def install(counter, header_seconds: float, backlog: int) -> None:
    """Count connections with counter, give each header phase header_seconds, and let the
    kernel queue `backlog` connections for accept (Flask-SocketIO listens with eventlet's 50)."""
    uninstall()
    protocol = eventlet.wsgi.HttpProtocol
    PATCH.require(protocol, "setup", "handle_one_request", "get_environ", "finish")
    PATCH.wrap(
        eventlet.wsgi, "server", lambda server: _serving(server, counter, header_seconds, backlog)
    )


def uninstall() -> None:
    PATCH.uninstall()


def _serving(server, counter, header_seconds, backlog):
    @functools.wraps(server)
    def serve(sock, site, *args, protocol=eventlet.wsgi.HttpProtocol, **kwargs):
        timed = _timed(protocol, counter, header_seconds)
        listener = CountingListener(sock, counter, backlog)
        return server(listener, site, *args, protocol=timed, **kwargs)

    return serve


def _host(address) -> str:
    return address[0] if isinstance(address, tuple) else ""


class CountingListener:
    """The listening socket, whose accept() refuses an address over its cap on the spot."""

    def __init__(self, sock, counter, backlog: int):
        self.sock = sock
        self.counter = counter
        self.family = sock.family  # what eventlet reads, besides the methods below
        sock.listen(backlog)  # listen() again only sets the queue's length
        sock.settimeout(ACCEPT_CHECK)  # the listening socket's own: accepted ones wait as before

    def getsockname(self):
        return self.sock.getsockname()

    def close(self) -> None:
        self.sock.close()

    def accept(self):
        refused = 0
        while True:
            try:
                conn, address = self.sock.accept()
            except TimeoutError as nobody:
                # eventlet's accept() holds the exception it raises: its frames make a cycle.
                nobody.__traceback__ = None
                continue  # nobody in the queue, or its turn came round before the poll's
            if self.counter.admit(_host(address)):
                return conn, address
            self.counter.refuse(conn)
            refused += 1
            if refused % YIELD_EVERY == 0:
                eventlet.sleep(0)  # a flood of connections must not starve the ones admitted


def _timed(protocol, counter, header_seconds):
    class TimedProtocol(protocol):
        # The count taken at accept is given back however the connection ends.
        def setup(self):
            try:
                super().setup()
            except BaseException:
                counter.release(_host(self.client_address))
                raise

        def finish(self):
            try:
                super().finish()
            finally:
                counter.release(_host(self.client_address))
                # The last request's environ holds eventlet's set_idle, which holds this
                # protocol: a cycle that kept every ended connection's buffers, sockets and
                # request until a full collection.
                self.environ = None

        def handle_one_request(self):
            deadline = self._header_deadline = eventlet.Timeout(header_seconds)
            try:
                super().handle_one_request()
            except eventlet.Timeout as fired:
                if fired is not deadline:
                    raise
                fired.__traceback__ = None  # its frames hold it (`deadline`): no cycle
                self.close_connection = 1  # too slow with its headers: closed, nothing sent
            finally:
                deadline.cancel()

        def get_environ(self):
            self._header_deadline.cancel()  # the headers are in: the app's own time begins
            return super().get_environ()

    TimedProtocol.__name__ = TimedProtocol.__qualname__ = f"Timed{protocol.__name__}"
    return TimedProtocol
