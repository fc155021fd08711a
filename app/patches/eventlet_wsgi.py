"""eventlet's WSGI server (`python wsgi.py`): a websocket's connection frees its HTTP buffers."""

from . import Patch

# Reads eventlet.set_idle and eventlet.input in the environ, and the handler's rfile, wfile and
# connection, as this release has them.
PATCH = Patch(__name__, "eventlet", "0.41")


def install() -> None:
    """From now on, each connection of eventlet.wsgi gives up its buffers once a websocket."""
    from eventlet.wsgi import HttpProtocol

    PATCH.require(HttpProtocol, "get_environ", "setup", "finish")
    PATCH.wrap(HttpProtocol, "get_environ", _freeing_buffers)


def uninstall() -> None:
    PATCH.uninstall()


def _freeing_buffers(get_environ):
    # eventlet keeps each connection's buffered reader and writer (8 and 16 KB) for its whole
    # life; a websocket reads and writes its socket directly once its handshake is sent, and
    # the connection closes when it ends. eventlet's websocket calls set_idle right then,
    # before its handler runs.
    def wrapper(self):
        environ = get_environ(self)
        set_idle = environ.get("eventlet.set_idle")
        body = environ.get("eventlet.input")
        if set_idle is None or body is None:
            raise PATCH.outdated("its environ has no eventlet.set_idle or eventlet.input")

        def now_a_websocket():
            set_idle()
            # Unbuffered files in their place keep the socket open until the connection ends,
            # as the buffered ones did (a socket closes with its last file).
            for name, mode in (("rfile", "rb"), ("wfile", "wb")):
                buffered = getattr(self, name)
                setattr(self, name, self.connection.makefile(mode, 0))
                buffered.close()  # frees its buffer; the handshake went out unbuffered
            body.rfile = self.rfile

        # Not the environ itself: kept in it, that would be a cycle (the protocol's own is
        # broken when its connection ends, in app.patches.eventlet_accept).
        environ["eventlet.set_idle"] = now_a_websocket
        return environ

    wrapper.__wrapped__ = get_environ
    return wrapper
