"""Engine.IO's per-socket work with no green thread parked per idle socket (eventlet or gevent).

python-engineio keeps two green threads for every websocket for as long as it is open: one
asleep until the next ping is due, and one waiting on the socket's queue for something to
write. A parked green thread keeps its saved C stack and a frame stack of its own, some 9 KB
resident each; a chat server holds thousands of sockets that are idle almost all the time.
Here the ping waits as a hub timer and gets a green thread when it fires, and the writer is
started when a packet is queued and ends once the queue is empty. What is sent, when, and in
which order, and how a socket ends, stay as engine.io has them.
"""

import logging
import time

import engineio.exceptions
import engineio.socket
from engineio import packet

from . import Patch
from ._green import LOOPS

log = logging.getLogger(__name__)

# Stands in for Socket's private schedule_ping/_send_ping and _websocket_handler as this
# release has them; tests/test_patch_releases.py fails when another is installed.
PATCH = Patch(__name__, "python-engineio", "4.15")
Socket = engineio.socket.Socket
_loop = None  # the running loop's spawn, timer and event, set by install()


def install(loop: str = "eventlet") -> bool:
    """Use these in place of engine.io's own for every socket from now on; False if not."""
    global _loop
    if not PATCH.release_matches():
        # A release read against nothing: engine.io's own methods are right for it, if dearer.
        log.warning(
            "python-engineio %s: idle sockets keep their green threads (%s was read against %s)",
            PATCH.release,
            __name__,
            PATCH.read_against,
        )
        return False
    # engine.io reaches the handler through _upgrade_websocket, and pings through _send_ping.
    PATCH.require(Socket, "_upgrade_websocket", "_send_ping")
    _loop = LOOPS[loop]()
    PATCH.replace(Socket, "schedule_ping", schedule_ping)
    PATCH.replace(Socket, "_websocket_handler", websocket_handler)
    # Every put of a websocket's queue but the handler's own comes through these two.
    PATCH.wrap(Socket, "send", _waking_send)
    PATCH.wrap(Socket, "close", _waking_close)
    return True


def uninstall() -> None:
    PATCH.uninstall()


def _wake(self) -> None:
    writer = self.__dict__.get("_writer")
    if writer is not None:
        writer.wake()


def _waking_send(original):
    def send(self, pkt):
        original(self, pkt)
        _wake(self)

    send.__wrapped__ = original
    return send


def _waking_close(original):
    def close(self, wait=True, abort=False, reason=None):
        first = not self.closed and not self.closing
        original(self, wait=False, abort=abort, reason=reason)
        _wake(self)
        if wait and first:  # as engine.io's: until the writer has taken everything queued
            self.queue.join()

    close.__wrapped__ = original
    return close


def schedule_ping(self) -> None:
    """engine.io's Socket.schedule_ping: the next ping, ping_interval from now."""
    if self.last_ping:  # None: the next ping is scheduled already
        self.last_ping = None
        _loop.call_later(self.server.ping_interval, _ping, self)


def _ping(self) -> None:
    """engine.io's Socket._send_ping, once its wait is over."""
    if not self.closing and not self.closed:
        self.last_ping = time.time()
        self.send(packet.Packet(packet.PING))


class QueueWriter:
    """Writes what a socket's queue holds to its websocket, from a green thread of its own
    that runs only while there is something to write; None in the queue ends it."""

    def __init__(self, socket, ws):
        self.queue = socket.queue
        self.empty = socket.server.get_queue_empty_exception()
        self.ws = ws
        self.running = False  # a green thread is writing, or about to
        self.finished = False  # the websocket is closed: nothing more is written
        self._fire = None  # set while someone waits for the end

    def wake(self) -> None:
        if not self.running and not self.finished:
            self.running = True
            _loop.spawn(self._write)

    def join(self) -> None:
        """Wait until None was taken from the queue, or the websocket failed."""
        if not self.finished:
            wait, self._fire = _loop.event()
            wait()

    def _write(self) -> None:
        try:
            while not self.finished:
                try:
                    pkt = self.queue.get(block=False)
                except self.empty:
                    return  # no switch since: a packet queued now starts a new writer
                self.queue.task_done()
                if pkt is None:
                    self._finish()
                    return
                try:
                    self.ws.send(pkt.encode())
                except BaseException:  # as engine.io's writer: whatever it is, the end
                    self._finish()
                    return
        finally:
            self.running = False

    def _finish(self) -> None:
        self.finished = True
        try:
            self.ws.close()
        finally:
            if self._fire is not None:
                self._fire()


def websocket_handler(self, ws):
    """Serve one engine.io socket over its websocket, writing through a QueueWriter."""
    # Stands in for Socket._websocket_handler: the same packets in the same order, ends and
    # log lines; only the writer differs.
    server = self.server
    limit = server.max_http_buffer_size
    raw = getattr(ws, "_sock", None) or getattr(ws, "socket", None)
    if hasattr(raw, "settimeout"):  # a client silent past a missed ping is gone
        raw.settimeout(server.ping_interval + server.ping_timeout)
    if not self.connected:
        self.connected = self.upgraded = True
    elif not _take_upgrade(self, ws, limit):
        return []
    writer = self._writer = QueueWriter(self, ws)
    writer.wake()  # what was queued before the websocket goes out first
    server.logger.info("%s: Upgrade to websocket successful", self.sid)
    try:
        _receive_until_closed(self, ws, limit)
        self.queue.put(None)  # the writer's signal to close the websocket and stop
        writer.wake()
        writer.join()
    finally:
        del self._writer
    self.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
    return []


def _read(ws, limit: int):
    """The next message from the client, or None once it hung up."""
    data = ws.wait()
    if data and len(data) > limit:
        raise ValueError("packet is too large")
    return data


def _take_upgrade(self, ws, limit: int) -> bool:
    """A polling socket moving to this websocket: the probe, then the upgrade; False if not."""
    self.upgrading = True  # sends wait in the queue meanwhile
    try:
        probe = _read(ws, limit)
        first = packet.Packet(encoded_packet=probe)
        if first.packet_type != packet.PING or first.data != "probe":
            self.server.logger.info("%s: Failed websocket upgrade, no PING packet", self.sid)
            return False
        ws.send(packet.Packet(packet.PONG, data="probe").encode())
        self.queue.put(packet.Packet(packet.NOOP))  # answers the pending long-poll
        message = _read(ws, limit)
        if packet.Packet(encoded_packet=message).packet_type != packet.UPGRADE:
            self.upgraded = False
            self.server.logger.info(
                "%s: Failed websocket upgrade, expected UPGRADE packet, received %s instead.",
                self.sid,
                message,
            )
            return False
        self.upgraded = True
        return True
    finally:
        self.upgrading = False


def _receive_until_closed(self, ws, limit: int) -> None:
    """Hand each message to the socket until the client hangs up or a read or receive fails."""
    logger = self.server.logger
    while True:
        try:
            message = _read(ws, limit)
        except Exception as error:
            if not self.closed:  # else the failure is only the close showing
                logger.info('%s: Unexpected error "%s", closing connection', self.sid, error)
            return
        if message is None:
            return
        try:
            self.receive(packet.Packet(encoded_packet=message))
        except engineio.exceptions.UnknownPacketError:
            continue
        except engineio.exceptions.SocketIsClosedError:
            logger.info("Receive error -- socket is closed")
            return
        except BaseException:  # whatever it was, the socket still ends in order
            logger.exception("Unknown receive error")
            return
