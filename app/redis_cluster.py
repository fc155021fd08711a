"""Several processes as one server through Redis (REDIS_URL): wiring, health and the watch loop."""

import functools
import logging
import uuid

from flask import Flask, Response
from werkzeug.exceptions import InternalServerError

from .store import StoreUnavailable

log = logging.getLogger(__name__)

PREFIX = "gifchat:"  # every key this app keeps in Redis starts with it
CHANNEL = "gifchat-socketio"  # Flask-SocketIO's message queue between the processes


def enabled(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def connect(url: str):
    """A client for the shared Redis: strings in and out, bounded waits."""
    import redis

    # Bounded waits: an outage answers 503 in seconds; redis-py reconnects by itself after.
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=5, socket_connect_timeout=2
    )


def unavailable_on_error(method):
    """Turn a Redis failure into StoreUnavailable, which every door answers with 503."""
    import redis

    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except redis.RedisError as error:
            raise StoreUnavailable(f"redis: {error}") from error

    return guarded


def socketio_options(app: Flask) -> dict:
    """Flask-SocketIO's init_app arguments: the message queue, or none at all."""
    if enabled(app):
        return {"message_queue": app.config["REDIS_URL"], "channel": CHANNEL}
    # The SocketIO object outlives each app: say "no queue" so an earlier app's stays behind.
    return {"message_queue": None, "client_manager": None}


def init_app(app: Flask) -> None:
    """Keep presence and deadlines in Redis when REDIS_URL is set; starts nothing."""
    from .redis_deadlines import RedisDeadlines
    from .redis_presence import RedisPresence

    client = connect(app.config["REDIS_URL"])
    host = uuid.uuid4().hex  # this process, in the records of who holds which socket
    app.extensions["redis"] = client
    app.extensions["presence"] = RedisPresence(
        client, host, heartbeat_seconds=app.config["REDIS_HEARTBEAT_SECONDS"]
    )
    app.extensions["deadlines"] = RedisDeadlines(client)
    app.register_error_handler(InternalServerError, _outage_before_request)


def _outage_before_request(error: InternalServerError):
    """Sessions in Redis fail before any view runs: answer that 503 too, without a session."""
    import redis
    from flask import current_app, jsonify, request
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from .errors import error_response, wants_json

    if not isinstance(error.original_exception, redis.RedisError | StoreUnavailable):
        return error_response(error.description, 500)
    # The language is kept in the session, which could not be read: take the browser's.
    languages = current_app.config["LANGUAGES"]
    with force_locale(request.accept_languages.best_match(languages) or languages[0]):
        message = _("The service is busy. Please try again in a moment.")
    # Not the error page: with no session, the layout cannot be drawn.
    response = (
        jsonify(error=message, code="busy")
        if wants_json()
        else Response(message, mimetype="text/plain")
    )
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


def start(app: Flask) -> None:
    """Run the watch loop beside the server's requests: heartbeat, dead processes, deadlines."""
    from .extensions import socketio

    socketio.start_background_task(watch, app)


def watch(app: Flask, rounds: int | None = None) -> None:
    """Beat, reap dead processes and run due deadlines, every REDIS_POLL_SECONDS.

    `rounds` bounds the loop for tests; a server runs it for its whole life.
    """
    from .extensions import socketio

    presence = app.extensions["presence"]
    deadlines = app.extensions["deadlines"]
    beat_every = app.config["REDIS_HEARTBEAT_SECONDS"]
    poll = app.config["REDIS_POLL_SECONDS"]
    since_beat = beat_every
    done = 0
    down = False  # said once when Redis goes away, once when it is back
    while rounds is None or done < rounds:
        done += 1
        try:
            if since_beat >= beat_every:
                since_beat = 0
                presence.beat()
                reap(app)
            deadlines.run_due(app)
            if down:
                log.warning("redis is back")
            down = False
        except StoreUnavailable as error:
            if not down:
                log.warning("redis unreachable, retrying: %s", error)
            down = True
        except Exception:
            log.exception("redis watch round failed; retrying")
        socketio.sleep(poll)
        since_beat += poll


def reap(app: Flask) -> int:
    """Take the people of processes whose heartbeat lapsed out of their rooms, announced."""
    from .rooms import participants

    presence = app.extensions["presence"]
    gone = 0
    for host in presence.lapsed_hosts():
        sids = presence.claim_host(host)
        if sids is None:  # another process took it first
            continue
        log.warning("process %s stopped beating: %d sockets leave", host, len(sids))
        failed = False
        with app.app_context():
            for sid in sids:
                try:
                    participants.leave(sid)
                except Exception:
                    failed = True
                    log.exception("could not announce the exit of socket %s", sid)
        if not failed:  # else the claim expires and a later round finishes the job
            presence.drop_host(host)
        gone += len(sids)
    return gone
