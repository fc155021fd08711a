"""Several processes as one server through Redis (REDIS_URL): wiring, health and the watch loop."""

import logging
import uuid

from flask import Flask

from ..store import StoreUnavailable
from .redis_client import CHANNEL, bounded, connect

log = logging.getLogger(__name__)


def enabled(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def socketio_options(app: Flask) -> dict:
    """Flask-SocketIO's init_app arguments: the message queue, or none at all."""
    if enabled(app):
        from socketio import RedisManager

        from ..patches import socketio_queue

        socketio_queue.install()  # back on the channel within a second of an outage
        url = app.config["REDIS_URL"]
        # No read timeout: the listener waits on its channel for as long as nobody speaks.
        options = {key: value for key, value in bounded().items() if key != "socket_timeout"}
        manager = RedisManager(url, channel=CHANNEL, redis_options=options)
        return {"message_queue": url, "client_manager": manager}
    # The SocketIO object outlives each app: say "no queue" so an earlier app's stays behind.
    return {"message_queue": None, "client_manager": None}


def init_app(app: Flask) -> None:
    """Keep presence and deadlines in Redis when REDIS_URL is set; starts nothing."""
    from .recovery import Recovery
    from .redis_deadlines import RedisDeadlines
    from .redis_presence import RedisPresence

    client = connect(app.config["REDIS_URL"])
    host = uuid.uuid4().hex  # this process, in the records of who holds which socket
    app.extensions["redis"] = client
    app.extensions["presence"] = RedisPresence(
        client, host, heartbeat_seconds=app.config["REDIS_HEARTBEAT_SECONDS"]
    )
    app.extensions["deadlines"] = RedisDeadlines(client)
    app.extensions["redis_recovery"] = Recovery(client)


def start(app: Flask) -> None:
    """Run the watch loop beside the server's requests: heartbeat, dead processes, deadlines."""
    from ..extensions import socketio

    socketio.start_background_task(watch, app)


def watch(app: Flask, rounds: int | None = None) -> None:
    """Rebuild a Redis found empty, beat, reap dead processes and run due deadlines,
    every REDIS_POLL_SECONDS.

    `rounds` bounds the loop for tests; a server runs it for its whole life.
    """
    from ..extensions import socketio

    presence = app.extensions["presence"]
    deadlines = app.extensions["deadlines"]
    recovery = app.extensions["redis_recovery"]
    beat_every = app.config["REDIS_HEARTBEAT_SECONDS"]
    poll = app.config["REDIS_POLL_SECONDS"]
    since_beat = beat_every
    done = 0
    down = False  # said once when Redis goes away, once when it is back
    while rounds is None or done < rounds:
        done += 1
        try:
            if recovery.recover_if_replaced(app):
                since_beat = 0  # rebuilding beat already
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
                    app.extensions["upkeep"].leave(sid)
                except Exception:
                    failed = True
                    log.exception("could not announce the exit of socket %s", sid)
        if not failed:  # else the claim expires and a later round finishes the job
            presence.drop_host(host)
        gone += len(sids)
    return gone
