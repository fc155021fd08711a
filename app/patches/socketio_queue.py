"""python-socketio's Redis message queue: back on its channel within a second of Redis.

Its listener, having lost Redis, tries again after 1, 2, 4 ... up to 60 seconds: after an
outage of ten seconds a process could go on for eight more hearing nothing that the other
processes emit, while its own requests already succeed. This listener tries every
RETRY_SECONDS instead, says so once per outage (not once per try, as an error), and notes
whether it is on the channel, which readiness reports.
"""

import logging
import time
from contextlib import suppress

from socketio import RedisManager

from . import Patch

PATCH = Patch(__name__, "python-socketio", "5.18")
RETRY_SECONDS = 0.5

log = logging.getLogger(__name__)


def install() -> None:
    """Listen with short, steady retries from now on (every RedisManager)."""
    if PATCH.installed:
        return
    PATCH.require(RedisManager, "_redis_connect", "_listen")
    PATCH.replace(RedisManager, "_redis_listen_with_retries", listen_with_retries)


def uninstall() -> None:
    PATCH.uninstall()


def listening(manager) -> bool | None:
    """Whether manager is subscribed to its channel; None before its listener ever tried."""
    return getattr(manager, "gifchat_listening", None)


def listen_with_retries(self):
    """RedisManager._redis_listen_with_retries, with a steady retry and one line an outage."""
    while True:
        try:
            if self.pubsub is not None:  # the lost connection, else each retry leaks one
                with suppress(Exception):
                    self.pubsub.close()
            self._redis_connect()
            self.pubsub.subscribe(self.channel)
            if listening(self) is False:
                log.warning("message queue: subscribed to %s again", self.channel)
            self.gifchat_listening = True
            yield from self.pubsub.listen()
        except Exception as error:  # as the original: whatever it was, subscribe again
            if listening(self) is not False:
                log.warning(
                    "message queue: lost %s (%s); retrying every %s s",
                    self.channel,
                    error,
                    RETRY_SECONDS,
                )
            self.gifchat_listening = False
            time.sleep(RETRY_SECONDS)
