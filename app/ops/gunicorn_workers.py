"""gunicorn's eventlet and gevent workers, with connections counted and timed as `python wsgi.py`.

gunicorn counts nothing per address: a few hundred addresses, or one, holding slow connections
fill worker_connections, and new visitors wait in the kernel's queue until one ends. These
workers count each connection per address when it is accepted and close one over
MAX_CONNECTIONS_PER_ADDRESS there, with the short 429 of app.protection.connections, before a
green thread or a parser's buffer is spent on it. The wait for a request and its headers has
HEADER_TIMEOUT seconds as a whole (gunicorn's `timeout_ctx`, which already covers the whole
header phase, gives keepalive's instead); the body's deadline is app.protection.guards'.

gunicorn.conf.py loads this file by its path, in gunicorn's master: importing the app package
there would load Flask before the workers patch the standard library for their event loop.
So the app's modules are imported only in a worker, once it has loaded the app.
"""

from functools import partial


def worker_class(mode: str):
    """gunicorn's worker for the event loop `mode` names, counting and timing connections."""
    return _gevent_worker() if mode == "gevent" else _eventlet_worker()


class _Counted:
    """What both workers add: the count, given back however a connection ends, and the
    header deadline."""

    counter = None
    header_seconds = None

    def count_connections(self):
        """The app is loaded: count under its settings. Returns the counter."""
        from app.protection import connections

        self.counter = connections.counter(self.wsgi)
        self.header_seconds = self.wsgi.config["HEADER_TIMEOUT"]
        return self.counter

    def handle(self, listener, client, addr):
        from app.protection.connections import host

        try:
            super().handle(listener, client, addr)
        finally:
            self.counter.release(host(addr))


def _eventlet_worker():
    import warnings

    # Eventlet is chosen knowingly (docs/deploy.md), as wsgi.py says; gunicorn says it again.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet
    from eventlet.greenio import GreenSocket
    from gunicorn.workers.geventlet import EventletWorker

    class CountingEventletWorker(_Counted, EventletWorker):
        def timeout_ctx(self):
            return eventlet.Timeout(self.header_seconds, False)

        def run(self):
            # gunicorn's own run(), with the listening sockets counting what they accept.
            from app.patches.eventlet_accept import CountingListener

            counter = self.count_connections()
            acceptors = []
            for sock in self.sockets:
                listener = GreenSocket(sock)
                listener.setblocking(1)
                counting = CountingListener(listener, counter, backlog=self.cfg.backlog)
                serve = partial(self.handle, listener)
                acceptors.append(eventlet.spawn(self._serve, counting, serve))
                eventlet.sleep(0.0)
            while self.alive:
                self.notify()
                eventlet.sleep(1.0)
            self.notify()
            for acceptor in acceptors:
                acceptor.kill(eventlet.StopServe())
            if not _joined(acceptors, self.cfg.graceful_timeout):
                for acceptor in acceptors:
                    acceptor.kill()

        def _serve(self, listener, handle):
            """Accept until StopServe, then wait for the connections being served."""
            pool = eventlet.GreenPool(self.worker_connections)
            while True:
                try:
                    conn, addr = listener.accept()
                except eventlet.StopServe:
                    listener.close()
                    pool.waitall()
                    return
                pool.spawn_n(_closing, handle, conn, addr)

    return CountingEventletWorker


def _closing(handle, conn, addr):
    try:
        handle(conn, addr)
    finally:
        conn.close()


def _joined(acceptors, seconds) -> bool:
    import eventlet

    with eventlet.Timeout(seconds, False):
        for acceptor in acceptors:
            acceptor.wait()
        return True
    return False


def _gevent_worker():
    import gevent
    from gevent.pool import Pool
    from gunicorn.sock import ssl_context
    from gunicorn.workers.ggevent import GeventWorker

    class CountingGeventWorker(_Counted, GeventWorker):
        def timeout_ctx(self):
            return gevent.Timeout(self.header_seconds, False)

        def run(self):
            # gunicorn's own run(), with servers that count what they accept.
            from app.ops.gevent_server import CountingStreamServer

            counter = self.count_connections()
            ssl = {"ssl_context": ssl_context(self.cfg)} if self.cfg.is_ssl else {}
            servers = []
            for sock in self.sockets:
                sock.setblocking(1)
                server = CountingStreamServer(
                    sock,
                    handle=partial(self.handle, sock),
                    spawn=Pool(self.worker_connections),
                    counter=counter,
                    **ssl,
                )
                server.start()
                servers.append(server)
            while self.alive:
                self.notify()
                gevent.sleep(1.0)
            for server in servers:
                server.close()  # no more accepts; those being served may finish
            for server in servers:
                if not server.pool.join(timeout=self.cfg.graceful_timeout):
                    self.log.warning("Worker graceful timeout (pid:%s)", self.pid)
                server.stop(timeout=1)

    return CountingGeventWorker
