"""Serving a GIF: only to whoever may see it, a piece at a time, never held whole.

A GIF belongs to one room (sent again elsewhere, it is copied into that room), so who may see
it is who may see that room: a session admitted to it and not removed from it, or the session
that sent it. Everyone else gets the 404 an unknown name gets: nothing confirms that it exists.
"""

import select
import socket
from contextlib import suppress

from flask import current_app, request, session
from flask_babel import gettext as _
from werkzeug.wsgi import wrap_file

from ..protection.guards import raw_socket
from ..store import Media, get_store
from ..visitor.identity import user_key
from ..web.errors import json_error

ONE_YEAR = 365 * 24 * 3600


def may_see(media: Media) -> bool:
    """Whether this session is admitted to the GIF's room (and not removed from it), or sent it."""
    store = get_store()
    key = user_key()
    if media.room is not None and media.room in session.get("rooms", []):
        room = store.get_room(media.room)
        if room is not None and (key is None or key not in room.banned):
            return True
    return store.sent_media(media.name, key)


def serve(name: str):
    """The GIF for those who may see it; 404 for a name unknown or not theirs."""
    media = get_store().open_media(name)
    if media is None or not may_see(media):
        # No page: an <img> asked, and a page would start a session for nobody.
        return json_error(_("No such GIF."), 404)
    accel = current_app.config["MEDIA_ACCEL_REDIRECT"]
    if accel and media.path:
        response = _handed_to_proxy(media, accel)
    else:
        response = _streamed(media)
    # Kept by this browser only: a shared cache must not hand a member's GIF to someone else.
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.max_age = ONE_YEAR  # names are never reused
    response.cache_control.immutable = True
    response.vary.add("Cookie")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _streamed(media: Media):
    """The GIF read a block at a time as the client takes it, from its file or document."""
    response = _conditional(current_app.response_class(mimetype="image/gif"), media)
    if response.status_code == 304:
        return response  # nothing opened, so nothing left to close
    source = media.open()  # the server closes it when the answer ends
    sock = raw_socket(request.environ)
    if sock is None:  # tests, the development server: nothing to pace
        response.response = wrap_file(request.environ, source)
    else:
        response.response = Paced(source, sock, current_app.config["SEND_TIMEOUT_SECONDS"])
    response.direct_passthrough = True
    response.content_length = media.size
    return response


def _handed_to_proxy(media: Media, prefix: str):
    """An empty answer naming the file: nginx sends it from its `internal` location."""
    response = current_app.response_class(mimetype="image/gif")
    response.headers["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{media.name}"
    return _conditional(response, media)


def _conditional(response, media: Media):
    """304 for a client that has this GIF already: names are never reused."""
    response.set_etag(media.etag)
    response.last_modified = media.created_at
    return response.make_conditional(request)


class Paced:
    """A file's blocks, each handed to the server only once the client can take it.

    A client that takes nothing for `timeout` seconds is let go here, quietly: the server's own
    write would wait as long and then fail with a traceback (gunicorn logs a timed-out send).
    """

    BLOCK = 64 * 1024

    def __init__(self, source, sock, timeout: float):
        self.source = source
        self.sock = sock
        self.timeout = timeout

    def __iter__(self):
        while True:
            if not self._writable():
                with suppress(OSError):  # the server's next write ends the connection
                    self.sock.shutdown(socket.SHUT_RDWR)
                return
            block = self.source.read(self.BLOCK)
            if not block:
                return
            yield block

    def _writable(self) -> bool:
        try:
            # Green under eventlet and gevent: this request waits, nobody else does.
            return bool(select.select([], [self.sock], [], self.timeout)[1])
        except (ValueError, OSError):  # beyond select's descriptors: the server's timeout
            return True

    def close(self) -> None:
        self.source.close()
