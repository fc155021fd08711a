"""Deadlines kept in Redis: carried out once, by whichever process claims them first.

A deadline is (kind, room_id, arg): a member of the sorted set `deadlines` scored by its due
time (Redis's clock, so the hosts' clocks need not agree), its arg in the hash `deadline-args`.
Nothing lives in a process, so a deadline outlives the restart of any of them.
"""

import json
import logging

from .redis_cluster import PREFIX, unavailable_on_error

log = logging.getLogger(__name__)

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000"

_SCHEDULE = f"""
{_NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if #ARGV >= 3 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
else redis.call('HDEL', KEYS[2], ARGV[1]) end
"""

# Taking a due deadline out of the set is the claim: only one caller can take it.
_CLAIM = f"""
{_NOW}
local first = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)[1]
if not first then return false end
redis.call('ZREM', KEYS[1], first)
local arg = redis.call('HGET', KEYS[2], first)
redis.call('HDEL', KEYS[2], first)
if arg then return {{first, arg}} end
return {{first}}
"""

MAX_PER_ROUND = 100  # deadlines run by one run_due call; the next round takes the rest


class RedisDeadlines:
    """The deadlines of every process; handlers are registered by kind in each process."""

    def __init__(self, client, prefix: str = PREFIX):
        self.redis = client
        self.due_key = f"{prefix}deadlines"
        self.args_key = f"{prefix}deadline-args"
        self.handlers = {}
        self._schedule = client.register_script(_SCHEDULE)
        self._claim = client.register_script(_CLAIM)

    def register(self, kind: str, handler) -> None:
        """Run handler(room_id, arg) when a deadline of this kind is due."""
        self.handlers[kind] = handler

    @staticmethod
    def _member(kind: str, room_id: str) -> str:
        return json.dumps([kind, room_id])

    @unavailable_on_error
    def schedule(self, kind: str, room_id: str, delay_seconds: float, arg: str | None = None):
        """Due in delay_seconds; replaces an earlier deadline of this kind for this room."""
        args = [self._member(kind, room_id), float(delay_seconds)]
        if arg is not None:
            args.append(arg)
        self._schedule(keys=[self.due_key, self.args_key], args=args)

    @unavailable_on_error
    def cancel(self, kind: str, room_id: str) -> None:
        member = self._member(kind, room_id)
        with self.redis.pipeline() as pipe:
            pipe.zrem(self.due_key, member)
            pipe.hdel(self.args_key, member)
            pipe.execute()

    @unavailable_on_error
    def claim(self) -> tuple[str, str, str | None] | None:
        """Take one due deadline for this process alone: (kind, room_id, arg), or None."""
        claimed = self._claim(keys=[self.due_key, self.args_key])
        if not claimed:
            return None
        kind, room_id = json.loads(claimed[0])
        return kind, room_id, claimed[1] if len(claimed) > 1 else None

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
