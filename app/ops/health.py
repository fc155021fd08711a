"""Liveness and readiness, for load balancers and orchestrators."""

import logging

from flask import Blueprint, current_app

from ..visitor.identity import no_session

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
@no_session
def healthz():
    """The process answers."""
    return {"status": "ok"}, 200, NO_STORE


@bp.get("/readyz")
@no_session
def readyz():
    """The process can serve: its database takes a write, its Redis (if configured) answers."""
    down = []
    for name, check in _checks():
        try:
            check()
        except Exception as error:  # any failure means "not ready", never a 500
            log.warning("not ready: %s: %s", name, error)
            down.append(name)
    if down:
        return {"status": "unavailable", "down": down}, 503, NO_STORE
    return {"status": "ready"}, 200, NO_STORE


def _checks():
    # A real write, not a read: a read-only file or a full disk still answers reads.
    yield "store", current_app.extensions["store"].probe_write
    if "redis" in current_app.extensions:  # set up by app.presence.cluster when REDIS_URL is set
        yield "redis", current_app.extensions["redis"].ping
        yield "queue", _queue_listening


def _queue_listening() -> None:
    """Raise unless this process hears the others: on the message queue's channel."""
    from ..extensions import socketio
    from ..patches.socketio_queue import listening

    if listening(socketio.server.manager) is False:
        raise ConnectionError("not subscribed to the message queue")
