"""The shared Redis itself: its key prefix, clients with bounded waits, and outages answered.

Below every module that keeps something in Redis (presence, deadlines, sessions, rate limits,
the cluster's wiring), so that none of them needs another to reach it.
"""

import functools

from ..store import StoreUnavailable

PREFIX = "gifchat:"  # every key this app keeps in Redis starts with it
CHANNEL = "gifchat-socketio"  # Flask-SocketIO's message queue between the processes


def bounded() -> dict:
    """redis-py options for a client that fails within seconds and heals by itself."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One retry, at once: a connection that died with a restarted Redis is replaced and the
    # command goes through. redis-py's default (10 retries, up to 1 s apart) spends about
    # 5 s on each command of an outage, so a socket event doing three was never answered.
    return {"socket_timeout": 2, "socket_connect_timeout": 1, "retry": Retry(NoBackoff(), 1)}


def connect(url: str, decode_responses: bool = True):
    """A client for the shared Redis (strings in and out), with bounded waits.

    `redis+sentinel://host:port,host:port/db/service` (python-socketio's form) asks those
    Sentinels for the service's master on every new connection: a replica promoted in its
    place is found by the next retry.
    """
    import redis

    if _is_sentinel(url):
        from redis.sentinel import Sentinel
        from socketio.redis_manager import parse_redis_sentinel_url

        sentinels, service, options = parse_redis_sentinel_url(url)
        asking = {"socket_timeout": 1, "socket_connect_timeout": 1}
        sentinel = Sentinel(sentinels, sentinel_kwargs=asking, **options, **bounded())
        # The message queue's default service, so that one URL means one server to both.
        return sentinel.master_for(service or CHANNEL, decode_responses=decode_responses)
    return redis.Redis.from_url(url, decode_responses=decode_responses, **bounded())


def _is_sentinel(url: str) -> bool:
    return url.startswith("redis+sentinel://")


def limits_storage(url: str) -> tuple[str, dict]:
    """The storage URI and options for `limits` that reach the same Redis as `url`."""
    if not _is_sentinel(url):
        return url, bounded()
    from socketio.redis_manager import parse_redis_sentinel_url

    # limits names the service where python-socketio names the database, then the service.
    sentinels, service, options = parse_redis_sentinel_url(url)
    hosts = ",".join(f"{host}:{port}" for host, port in sentinels)
    return f"redis+sentinel://{hosts}/{service or CHANNEL}", {**options, **bounded()}


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
