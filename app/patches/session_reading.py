"""Flask-Session's Redis sessions (asked for by SESSION_TYPE) during a Redis outage: the
failure to read one waits in the session, raised as busy when the session is used.

Flask opens the session before any handler can answer a failure, and a socket event opens
it before its handler's try; so a session that cannot be read becomes a null session that
raises StoreUnavailable (a 503, or a busy ack) when read, and is never saved.
"""

from . import Patch

PATCH = Patch(__name__, "flask-session", "0.8")


def install(interface, unreadable) -> None:
    """Make interface (a Redis one) open unreadable(error) instead of raising redis's error."""
    import redis

    def wrapper(opened):
        def open_session(app, request):
            try:
                return opened(app, request)
            except redis.RedisError as error:
                request.session_unreadable = True  # its answer cannot read it (language, page)
                return unreadable(error)

        return open_session

    PATCH.wrap(interface, "open_session", wrapper)


def uninstall() -> None:
    PATCH.uninstall()
