"""Engine.IO's per-socket work under eventlet, with no green thread parked per socket.

python-engineio keeps two green threads for every websocket for as long as it is open: one
asleep until the next ping is due, and one waiting on the socket's queue for something to
write. A parked green thread keeps its saved C stack and a frame stack of its own, some 9 KB
resident each; a chat server holds thousands of sockets that are idle almost all the time.
Here the ping waits as a hub timer and gets a green thread when it fires, and the writer is
started when a packet is queued and ends once the queue is empty. What is sent, when, and in
which order, and how a socket ends, stay as engine.io has them.
"""

import time

import engineio.exceptions
import engineio.socket
import eventlet
from engineio import packet
from eventlet.event import Event
from eventlet.hubs import get_hub
from eventlet.queue import Empty


def install() -> None:
    """Use these in place of engine.io's own for every socket from now on (eventlet only)."""
    engineio.socket.Socket.schedule_ping = schedule_ping
    engineio.socket.Socket._websocket_handler = websocket_handler


def schedule_ping(self) -> None:
    """engine.io's Socket.schedule_ping: the next ping, ping_interval from now."""
    # only schedule a new ping if the previous ping wait cycle completed
    if self.last_ping:
        self.last_ping = None
        get_hub().schedule_call_global(self.server.ping_interval, eventlet.spawn_n, _ping, self)


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
        self.ws = ws
        self.running = False  # a green thread is writing, or about to
        self.finished = False  # the websocket is closed: nothing more is written
        self._ended = None  # an Event while someone waits for the end

    def start(self) -> None:
        """Write from now on whatever is queued, now or later."""
        queue = self.queue
        put = queue.put

        def put_and_write(item, *args, **kwargs):
            put(item, *args, **kwargs)
            self.wake()

        queue.put = put_and_write
        self.wake()

    def wake(self) -> None:
        if not self.running and not self.finished:
            self.running = True
            eventlet.spawn_n(self._write)

    def join(self) -> None:
        """Wait until None was taken from the queue, or the websocket failed."""
        if not self.finished:
            self._ended = Event()
            self._ended.wait()
        self.queue.__dict__.pop("put", None)

    def _write(self) -> None:
        try:
            while not self.finished:
                try:
                    pkt = self.queue.get(block=False)
                except Empty:
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
            if self._ended is not None:
                self._ended.send()


def websocket_handler(self, ws):
    """engine.io's Socket._websocket_handler, with a QueueWriter for its writer thread."""

    def websocket_wait():
        data = ws.wait()
        if data and len(data) > self.server.max_http_buffer_size:
            raise ValueError("packet is too large")
        return data

    # try to set a socket timeout matching the configured ping interval
    # and timeout
    for attr in ["_sock", "socket"]:
        if hasattr(ws, attr) and hasattr(getattr(ws, attr), "settimeout"):
            getattr(ws, attr).settimeout(self.server.ping_interval + self.server.ping_timeout)

    if self.connected:
        # the socket was already connected, so this is an upgrade
        self.upgrading = True  # hold packet sends during the upgrade

        pkt = websocket_wait()
        decoded_pkt = packet.Packet(encoded_packet=pkt)
        if decoded_pkt.packet_type != packet.PING or decoded_pkt.data != "probe":
            self.server.logger.info("%s: Failed websocket upgrade, no PING packet", self.sid)
            self.upgrading = False
            return []
        ws.send(packet.Packet(packet.PONG, data="probe").encode())
        self.queue.put(packet.Packet(packet.NOOP))  # end poll

        pkt = websocket_wait()
        decoded_pkt = packet.Packet(encoded_packet=pkt)
        if decoded_pkt.packet_type != packet.UPGRADE:
            self.upgraded = False
            self.server.logger.info(
                "%s: Failed websocket upgrade, expected UPGRADE packet, received %s instead.",
                self.sid,
                pkt,
            )
            self.upgrading = False
            return []
        self.upgraded = True
        self.upgrading = False
    else:
        self.connected = True
        self.upgraded = True

    writer = QueueWriter(self, ws)
    writer.start()

    self.server.logger.info("%s: Upgrade to websocket successful", self.sid)

    while True:
        p = None
        try:
            p = websocket_wait()
        except Exception as e:
            # if the socket is already closed, we can assume this is a
            # downstream error of that
            if not self.closed:
                self.server.logger.info(
                    '%s: Unexpected error "%s", closing connection', self.sid, str(e)
                )
            break
        if p is None:
            # connection closed by client
            break
        pkt = packet.Packet(encoded_packet=p)
        try:
            self.receive(pkt)
        except engineio.exceptions.UnknownPacketError:
            pass
        except engineio.exceptions.SocketIsClosedError:
            self.server.logger.info("Receive error -- socket is closed")
            break
        except BaseException:
            # if we get an unexpected exception we log the error and exit
            # the connection properly
            self.server.logger.exception("Unknown receive error")
            break

    self.queue.put(None)  # unlock the writer task so that it can exit
    writer.join()
    self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

    return []
