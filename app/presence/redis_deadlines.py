"""Deadlines kept in Redis: carried out once, by whichever process claims them first.

A deadline is (kind, room_id, arg), as in MemoryDeadlines: a member of the sorted set
`deadlines` scored by its due time (Redis's clock, so the hosts' clocks need not agree).
Nothing lives in a process, so a deadline outlives the restart of any of them.
"""

import json
import logging

from .redis_client import PREFIX, unavailable_on_error

log = logging.getLogger(__name__)

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000"

_SCHEDULE = f"""
{_NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
"""

# Taking a due deadline out of the set is the claim: only one caller can take it.
_CLAIM = f"""
{_NOW}
local first = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)[1]
if not first then return false end
redis.call('ZREM', KEYS[1], first)
return first
"""

MAX_PER_ROUND = 100  # deadlines run by one run_due call; the next round takes the rest


class RedisDeadlines:
    """The deadlines of every process; handlers are registered by kind in each process."""

    def __init__(self, client, prefix: str = PREFIX):
        self.redis = client
        self.due_key = f"{prefix}deadlines"
        self.handlers = {}
        self._schedule = client.register_script(_SCHEDULE)
        self._claim = client.register_script(_CLAIM)

    def register(self, kind: str, handler) -> None:
        """Run handler(room_id, arg) when a deadline of this kind is due."""
        self.handlers[kind] = handler

    @staticmethod
    def _member(kind: str, room_id: str, arg: str | None) -> str:
        return json.dumps([kind, room_id, arg])

    @unavailable_on_error
    def schedule(self, kind: str, room_id: str, delay_seconds: float, arg: str | None = None):
        """Run the deadline after delay_seconds, instead of any earlier schedule of it."""
        if kind not in self.handlers:
            raise ValueError(f"no handler for deadlines of kind {kind!r}")
        member = self._member(kind, room_id, arg)
        self._schedule(keys=[self.due_key], args=[member, float(delay_seconds)])

    @unavailable_on_error
    def cancel(self, kind: str, room_id: str, arg: str | None = None) -> None:
        self.redis.zrem(self.due_key, self._member(kind, room_id, arg))

    @unavailable_on_error
    def due(self, kind: str, room_id: str, arg: str | None = None) -> float | None:
        """When a pending deadline is due, in Unix seconds (Redis's clock); None if none is."""
        return self.redis.zscore(self.due_key, self._member(kind, room_id, arg))

    @unavailable_on_error
    def claim(self) -> tuple[str, str, str | None] | None:
        """Take one due deadline for this process alone: (kind, room_id, arg), or None."""
        claimed = self._claim(keys=[self.due_key])
        return tuple(json.loads(claimed)) if claimed else None

    def run_due(self, app) -> int:
        """Claim and run every due deadline, each in an app context; how many ran."""
        ran = 0
        while ran < MAX_PER_ROUND and (claimed := self.claim()) is not None:
            kind, room_id, arg = claimed
            ran += 1
            handler = self.handlers.get(kind)
            if handler is None:
                log.error("no handler for deadline %s of room %s", kind, room_id)
                continue
            with app.app_context():
                try:
                    handler(room_id, arg)
                except Exception:  # a deadline has nobody to answer
                    log.exception("deadline %s of room %s failed", kind, room_id)
        return ran
