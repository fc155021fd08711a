"""python-socketio: count each event a server hands its sockets, and tell of what it emits.

Deliveries are counted where the client manager gives packets to sockets: the manager is set
(`Manager.set_server`) to see its server through a `_CountingView` that counts each packet on
its way, so an emit that reaches this process through a message queue counts too, and the
server's own connect, ack and disconnect packets do not. Emits are told of on the class.
"""

import threading
import weakref

from socketio import Server, packet

from . import Patch

PATCH = Patch(__name__, "python-socketio", "5.18")

EVENTS = (packet.EVENT, packet.BINARY_EVENT)
# What a client manager reads of its server (socketio/manager.py, pubsub_manager.py,
# redis_manager.py): the view passes each on, counting the two sends.
SERVER_NAMES = (
    "packet_class", "eio", "logger", "async_mode", "start_background_task", "disconnect",
    "_send_eio_packet", "_send_packet",
)  # fmt: skip
_watched = weakref.WeakKeyDictionary()  # server -> (its view, on_emit)


class _CountingView:
    """One server as its client manager sees it: the same server, each event sent counted."""

    def __init__(self, server, deliveries):
        self._server = server
        self._deliveries = deliveries  # has a plain int `value`, read when scraped
        # Green threads switch only where they wait, never inside `+= 1`: no lock is needed
        # under eventlet or gevent. The threading server's threads take one.
        self._lock = None if server.async_mode in ("eventlet", "gevent") else threading.Lock()

    packet_class = property(lambda self: self._server.packet_class)
    eio = property(lambda self: self._server.eio)
    logger = property(lambda self: self._server.logger)
    async_mode = property(lambda self: self._server.async_mode)

    def start_background_task(self, target, *args, **kwargs):
        return self._server.start_background_task(target, *args, **kwargs)

    def disconnect(self, *args, **kwargs):
        return self._server.disconnect(*args, **kwargs)

    def _count(self) -> None:
        if self._lock is None:
            self._deliveries.value += 1
        else:
            with self._lock:
                self._deliveries.value += 1

    def _send_eio_packet(self, eio_sid, eio_pkt):
        if isinstance(eio_pkt.data, str):  # not a binary attachment of the same event
            self._count()
        return self._server._send_eio_packet(eio_sid, eio_pkt)

    def _send_packet(self, eio_sid, pkt):
        self._count()  # an event with an ack id: the manager sends nothing else here
        return self._server._send_packet(eio_sid, pkt)


def watch(server, deliveries, on_emit) -> None:
    """Count what `server` delivers into `deliveries.value`; call on_emit(event, ns, data)."""
    install()
    PATCH.require(server, *SERVER_NAMES)
    PATCH.require(server.manager, "set_server", "server")
    view = _CountingView(server, deliveries)
    _watched[server] = (view, on_emit)
    server.manager.set_server(view)


def install() -> None:
    """Tell watched servers' emits; once per process."""
    if PATCH.installed:
        return
    PATCH.wrap(Server, "emit", _telling_emits)


def uninstall() -> None:
    """Every watched server's manager sees the server itself again; emits are left alone."""
    for server in list(_watched):
        if server.manager.server is _watched[server][0]:
            server.manager.set_server(server)
    _watched.clear()
    PATCH.uninstall()


def _telling_emits(emit):
    def told(self, event, *args, **kwargs):
        watched = _watched.get(self)
        if watched is not None:
            watched[1](event, kwargs.get("namespace"), args[0] if args else kwargs.get("data"))
        return emit(self, event, *args, **kwargs)

    return told
