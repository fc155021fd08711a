"""Recovery from a Redis that came back empty, or was replaced by another server.

Redis holds only what the live processes can rebuild: presence, deadlines, rate-limit counts
and the message queue. Each process notes which Redis it works with: a generation key it
sets when missing, and the server's run id. When either differs in its watch loop, Redis
restarted (empty, or from an old snapshot) or another server took over, and the process
puts back what it holds: its sockets' places (counted against capacity again), and the
deadlines of rooms that nobody is in or whose owner is away. Every step is idempotent, so
rebuilding a Redis that lost nothing (a replica promoted) changes nothing. The message queue
subscribes again by itself (app/patches/socketio_queue.py).
"""

import logging
import uuid

from flask import Flask

from .redis_client import PREFIX, unavailable_on_error

log = logging.getLogger(__name__)

GENERATION = f"{PREFIX}generation"
CHAT = "/chat"


class Recovery:
    """Notices a Redis other than the one this process last worked with, and rebuilds it."""

    def __init__(self, client):
        self.redis = client
        self.known = None  # (generation, run id) of the Redis this process works with

    @unavailable_on_error
    def identity(self) -> tuple[str, str]:
        """(generation, run id) of the Redis answering now; sets the generation if missing."""
        self.redis.set(GENERATION, uuid.uuid4().hex, nx=True)
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(GENERATION)
            pipe.info("server")
            generation, server = pipe.execute()
        return generation, str(server.get("run_id"))

    def recover_if_replaced(self, app: Flask) -> bool:
        """Rebuild what this process holds if Redis is not the one it knew; whether it did."""
        seen = self.identity()
        if self.known is None:  # the first look: the start-up scheduled the rooms already
            self.known = seen
            return False
        if seen == self.known:
            return False
        log.warning("redis restarted or was replaced: putting back what this process holds")
        self.rebuild(app)
        self.known = seen  # only once rebuilt: a failure leaves it for the next round
        return True

    def rebuild(self, app: Flask) -> None:
        """Re-register this process's live sockets, then give rooms their deadlines again."""
        from ..extensions import socketio

        presence = app.extensions["presence"]
        manager = socketio.server.manager
        live = {
            sid: seat
            for sid, seat in presence.seats.items()
            if manager.is_connected(sid, CHAT) and seat[0] in manager.get_rooms(sid, CHAT)
        }
        presence.seats = dict(live)  # kicked or gone meanwhile: forgotten
        presence.restore(live)
        presence.beat()
        log.warning("redis rebuilt: %d sockets back in their rooms", len(live))
        with app.app_context():
            app.extensions["upkeep"].reschedule()
