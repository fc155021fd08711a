"""A request body's time bounded: each wait for data, and the whole body however it trickles.

No read of a body waits longer than BODY_TIMEOUT for data, and a whole body has BODY_DEADLINE
seconds, and one more for every BODY_MIN_RATE bytes it brought (Apache's mod_reqtimeout,
"body=20,MinRate=500"): a byte every few seconds cannot hold a connection for ever. A body of
up to BODY_MAX_BYTES is read whole here, before the app, so that a slow one costs a green
thread waiting on its socket and no more: no session read, no form built, and when it is cut,
a short 400 with no page rendered (app.protection.guards answers it).
"""

import random
import socket
import time
from contextlib import suppress
from io import BytesIO

from werkzeug.exceptions import ClientDisconnected


class BodyCut(ClientDisconnected):
    """The body stopped coming, or came too slowly: the request is answered 400, never run on a
    part of its body as if it were the whole."""


def timer(mode: str):
    """The event loop's timer: timer(seconds) raises itself in this green thread when due."""
    if mode == "gevent":
        import gevent

        return gevent.Timeout.start_new
    import eventlet

    return eventlet.Timeout


class Allowance:
    """The time a whole body has: `seconds`, and one more for every `rate` bytes received.

    With `spread`, the seconds are drawn between `seconds` and `seconds * (1 + spread)`: ten
    thousand slow bodies begun together would otherwise be cut, answered and re-opened in the
    same few seconds, and a new visitor would wait behind all of it (3.3 s on `python wsgi.py`;
    with a quarter's spread, 2.4 s; with the whole, 1 s and less).
    """

    def __init__(self, seconds: float, rate: float, spread: float = 0.0):
        self.ends = time.monotonic() + seconds * (1 + spread * random.random())
        self.rate = rate

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def received(self, size: int) -> None:
        self.ends += size / self.rate


class TimedInput:
    """wsgi.input whose reads give up, as at a dropped connection (BodyCut), after a wait too
    long or once the whole body has had its time."""

    def __init__(self, stream, sock, timeout: float, allowance: Allowance, timer):
        self._stream = stream
        self._sock = sock
        self._timeout = timeout
        self._allowance = allowance
        self._timer = timer
        self._given_up = False

    def _bounded(self, read, *args):
        if self._given_up:
            raise BodyCut()
        remaining = self._allowance.remaining()
        if remaining <= 0:
            self._give_up()
        before = self._sock.gettimeout()
        self._sock.settimeout(self._timeout)  # for reading the body only, not for answering
        # One read may wait on many recv()s, each within the socket's timeout: a byte a second
        # would hold it for ever. The loop's timer bounds the read as a whole.
        deadline = self._timer(remaining)
        try:
            data = read(*args)
        except OSError as failed:
            # The wait for data timed out, or the client went: gevent's server says so with an
            # OSError ("unexpected end of file"), eventlet's with an empty read. Either way the
            # body is not all coming, and it is no server error to log.
            _forget_frames(failed)
            self._give_up()
        except BaseException as fired:
            if fired is not deadline:
                raise
            _forget_frames(fired)
            self._give_up()
        finally:
            deadline.cancel()
            with suppress(OSError):
                self._sock.settimeout(before)
        self._allowance.received(len(data))
        return data

    def _give_up(self):
        # The server sees the connection's end: it reads nothing more of it.
        self._given_up = True
        with suppress(OSError):
            self._sock.shutdown(socket.SHUT_RD)
        raise BodyCut()

    def read(self, *args):
        return self._bounded(self._stream.read, *args)

    def readline(self, *args):
        return self._bounded(self._stream.readline, *args)

    def __iter__(self):
        return iter(self.readline, b"")


def _forget_frames(error: BaseException) -> None:
    """Drop the frames a failed read's exception carries. Frames on its way hold it (eventlet's
    trampoline keeps the exception it will raise; here `deadline` is the timer that fired), so
    with them it is a cycle, and every cut connection's whole stack (140 objects) would wait
    for a full collection instead of going when its last reference does."""
    error.__traceback__ = None


def read_whole(timed: TimedInput, length: int) -> BytesIO:
    """The whole body of `length` bytes, read from timed; BodyCut if it does not all come."""
    parts, got = [], 0
    while got < length:
        part = timed.read(length - got)
        if not part:
            raise BodyCut()  # the client closed before the end
        parts.append(part)
        got += len(part)
    return BytesIO(b"".join(parts))


def content_length(environ) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None
