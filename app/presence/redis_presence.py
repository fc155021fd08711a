"""Presence shared by every process through Redis: MemoryPresence's methods, one Redis for all.

Keys, under the prefix: `room:<id>:since` (sorted set: user key by order of arrival),
`room:<id>:colors`, `room:<id>:handles`, `room:<id>:names` (hashes: user key -> color, public
handle, display name), `user:<key>:rooms` (set: the rooms a visitor has a place in),
`room:<id>:sids:<key>` (set: that person's
sockets there), `sid:<sid>` (hash: room, key, host), `host:<host>:sids` (set), `host:<host>:alive`
(the heartbeat, with a TTL), `hosts` (set of processes that have held sockets), `joins` (counter).
As in MemoryPresence, a visitor whose last socket left keeps their place until `drop`.
Each process also keeps `seats`, its own sockets' places, to put them back in a Redis that
restarted empty (app/presence/recovery.py): presence is rebuilt from the live processes.
The scripts build keys from the prefix, so one Redis (or a Sentinel pair) serves, not a Cluster.
"""

from . import Departure, Person, RoomFull
from .redis_client import PREFIX, unavailable_on_error
from .redis_scripts import DROP, FORGET, JOIN, LEAVE


class RedisPresence:
    """Presence for any number of processes; `host` names this one in the records."""

    def __init__(self, client, host: str, heartbeat_seconds: float = 5, prefix: str = PREFIX):
        self.redis = client
        self.host = host
        self.prefix = prefix
        # Three missed beats and the process is taken for dead.
        self.alive_seconds = max(1, round(3 * heartbeat_seconds))
        self._join = client.register_script(JOIN)
        self._leave = client.register_script(LEAVE)
        self._forget = client.register_script(FORGET)
        self._drop = client.register_script(DROP)
        # sid -> (room, user key, color, handle, name): this process's sockets, as joined.
        self.seats: dict[str, tuple] = {}

    def _room(self, room: str, part: str) -> str:
        return f"{self.prefix}room:{room}:{part}"

    @unavailable_on_error
    def join(
        self,
        room: str,
        sid: str,
        user_key: str,
        color: str,
        limit: int | None = None,
        *,
        handle: str | None = None,
        name: str | None = None,
    ) -> bool:
        """Put socket sid of user_key in room; True if the visitor had no place there yet.

        Raises RoomFull, checked in the same script, if a newcomer would pass limit.
        """
        limit = "" if limit is None else str(limit)
        args = [self.prefix, room, sid, user_key, color, limit, self.host, self.alive_seconds]
        args += [handle or "", name or ""]
        result = self._join(args=args)
        if result == -1:
            raise RoomFull(room)
        self.seats[sid] = (room, user_key, color, handle, name)
        return result == 1

    @unavailable_on_error
    def restore(self, seats: dict[str, tuple]) -> None:
        """Put these sockets back in their rooms, as they were, capacity counted again."""
        for sid, (room, user_key, color, handle, name) in seats.items():
            args = [self.prefix, room, sid, user_key, color, "", self.host, self.alive_seconds]
            self._join(args=[*args, handle or "", name or ""])

    @unavailable_on_error
    def leave(self, sid: str) -> Departure | None:
        """Take socket sid out of its room on any process, keeping the place; None if in none."""
        self.seats.pop(sid, None)
        result = self._leave(args=[self.prefix, sid])
        if not result:
            return None
        room, user_key, _color, last_tab = result
        return Departure(room, user_key, bool(last_tab))

    @unavailable_on_error
    def drop(self, room: str, user_key: str) -> str | None:
        """Give up the place of a visitor who has no socket in room; their color, or None."""
        return self._drop(args=[self.prefix, room, user_key])

    @unavailable_on_error
    def room_of(self, sid: str) -> str | None:
        return self.redis.hget(f"{self.prefix}sid:{sid}", "room")

    @unavailable_on_error
    def has(self, room: str, user_key: str) -> bool:
        return self.redis.zscore(self._room(room, "since"), user_key) is not None

    @unavailable_on_error
    def count(self, room: str) -> int:
        return self.redis.zcard(self._room(room, "since"))

    @unavailable_on_error
    def people(self, room: str) -> list[Person]:
        """Everyone in room, longest present first."""
        with self.redis.pipeline() as pipe:  # MULTI: all read at one moment
            pipe.zrange(self._room(room, "since"), 0, -1)
            for part in ("colors", "handles", "names"):
                pipe.hgetall(self._room(room, part))
            keys, colors, handles, names = pipe.execute()
        return [
            Person(key, colors[key], handles.get(key) or None, names.get(key) or None)
            for key in keys
            if key in colors
        ]

    def person(self, room: str, user_key: str) -> Person | None:
        return next((each for each in self.people(room) if each.user_key == user_key), None)

    def key_of(self, room: str, handle: str) -> str | None:
        """The user key of the person in room with this handle, or None."""
        return next((each.user_key for each in self.people(room) if each.handle == handle), None)

    @unavailable_on_error
    def rename(self, user_key: str, name: str | None) -> list[str]:
        """Give the visitor a new display name wherever they are; the rooms they are in."""
        rooms = sorted(self.redis.smembers(f"{self.prefix}user:{user_key}:rooms"))
        for sid, (room, key, color, handle, _name) in list(self.seats.items()):
            if key == user_key:
                self.seats[sid] = (room, key, color, handle, name)
        with self.redis.pipeline() as pipe:
            for room in rooms:
                pipe.hset(self._room(room, "names"), user_key, name or "")
            pipe.execute()
        return rooms

    @unavailable_on_error
    def rooms_of(self, user_key: str) -> list[str]:
        """The rooms the visitor is present in, on every process."""
        return sorted(self.redis.smembers(f"{self.prefix}user:{user_key}:rooms"))

    @unavailable_on_error
    def sockets_of(self, room: str, user_key: str) -> list[str]:
        return sorted(self.redis.smembers(self._room(room, f"sids:{user_key}")))

    @unavailable_on_error
    def forget(self, room: str) -> list[str]:
        """Drop a deleted room; returns the sockets that were in it, on every process."""
        sids = list(self._forget(args=[self.prefix, room]))
        for sid in sids:
            self.seats.pop(sid, None)
        return sids

    # Heartbeats: a process that stops beating takes its people with it.

    @unavailable_on_error
    def beat(self) -> None:
        """Say this process is alive for the next alive_seconds."""
        self.redis.set(f"{self.prefix}host:{self.host}:alive", 1, ex=self.alive_seconds)

    @unavailable_on_error
    def lapsed_hosts(self) -> list[str]:
        """Processes that held sockets and stopped beating."""
        hosts = sorted(self.redis.smembers(f"{self.prefix}hosts"))
        with self.redis.pipeline(transaction=False) as pipe:
            for host in hosts:
                pipe.exists(f"{self.prefix}host:{host}:alive")
            alive = pipe.execute()
        return [host for host, beating in zip(hosts, alive, strict=True) if not beating]

    @unavailable_on_error
    def claim_host(self, host: str) -> list[str] | None:
        """The sockets of a lapsed process, for one caller only; None if another has it.

        The claim expires: if its claimant dies too, a third process finishes the job.
        """
        claim = f"{self.prefix}host:{host}:reaper"
        if not self.redis.set(claim, self.host, nx=True, ex=60):
            return None
        return sorted(self.redis.smembers(f"{self.prefix}host:{host}:sids"))

    @unavailable_on_error
    def drop_host(self, host: str) -> None:
        """Forget a lapsed process once its sockets have left."""
        with self.redis.pipeline() as pipe:
            pipe.srem(f"{self.prefix}hosts", host)
            pipe.delete(f"{self.prefix}host:{host}:sids", f"{self.prefix}host:{host}:reaper")
            pipe.execute()
