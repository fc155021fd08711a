"""Cluster: deliveries/s and server CPU per delivery, 1 process, 1 + Redis, 2 + Redis.

Each setup runs real gunicorn + eventlet processes on free loopback ports with a temporary
SQLite database; with Redis, a redis-server of its own and GIFCHAT_REDIS_URL. K websocket
listeners, each its own visitor, join one room, spread over the processes; two posters (one
per process where there are two) post M messages back to back over HTTP. deliveries/s =
deliveries / (first post -> last receipt); CPU per delivery = the CPU time of every server
process (gunicorn masters and workers, and redis-server) over that span / deliveries.
Skipped when redis-server is not installed. The setups run interleaved, ROUNDS times, and
the table shows medians. Where the machine has two cores or more, every server process is
pinned to the first and the benchmark's clients to the second, so the clients never take
the servers' core.
"""

import os
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.cluster import ClusterServer, RedisServer

from .fanout import WAIT, BenchServer, Deliveries, _close_all, _connect, cpu_seconds
from .report import ratio, table

ROOM_MAX = 100
LISTENERS, QUICK_LISTENERS = 60, 20  # K, in one room
MESSAGES, QUICK_MESSAGES = 200, 40  # M, posted back to back
WARM_UP = 5
ROUNDS, QUICK_ROUNDS = 3, 1
SERVER_CPU, CLIENT_CPU = 0, 1


class BenchClusterServer(ClusterServer):
    """A cluster process with room for the listeners, measured like fanout's server."""

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_SECRET_KEY"] = '"bench"'
        env["GIFCHAT_MAX_CONNECTIONS"] = "2000"
        env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = "2000"  # every client is 127.0.0.1
        env["GIFCHAT_REDIS_HEARTBEAT_SECONDS"] = "5"  # as in production: beats cost CPU
        env["GIFCHAT_REDIS_POLL_SECONDS"] = "0.5"
        return env


def _pids(servers, redis) -> list[int]:
    pids = [pid for server in servers for pid in (server.process.pid, server.worker_pid())]
    return pids + ([redis.process.pid] if redis else [])


def _pin(pids, cpu: int) -> None:
    if len(os.sched_getaffinity(0)) > 1:
        for pid in pids:
            os.sched_setaffinity(pid, {cpu})


def _post_all(posters, room_id, deliveries, seqs) -> None:
    """Post seqs back to back, each poster taking every other one, in parallel."""

    def post(index):
        poster = posters[index]
        for seq in seqs[index :: len(posters)]:
            deliveries.sent[seq] = time.perf_counter()
            response = poster.post_chat(room_id, f"bench {seq}")
            if response.status_code != 201:
                raise RuntimeError(f"post answered {response.status_code}")

    with ThreadPoolExecutor(len(posters)) as pool:
        list(pool.map(post, range(len(posters))))


def _measure(folder: Path, processes: int, with_redis: bool, k: int, m: int) -> dict:
    from harness.live_server import Person

    redis = RedisServer(folder / "redis") if with_redis else None
    servers, listeners = [], []
    try:
        if redis:
            redis.start()
            for number in range(processes):
                servers.append(
                    BenchClusterServer(folder / f"p{number}", 3600, folder / "shared", redis.url)
                )
        else:
            servers.append(BenchServer(folder, grace_seconds=3600))
        for server in servers:
            server.start()
        room_id = Person(servers[0]).create_room("bench", max=ROOM_MAX)
        deliveries = Deliveries()
        posters = []
        for number, server in enumerate(servers):
            share = k // len(servers) + (number < k % len(servers))
            joined = _connect(server, [room_id], deliveries, share)
            listeners += joined
            posters.append(joined[0].person)  # only someone in the room may post to it
        posters = (posters * 2)[:2]  # two posters: one per process where there are two
        time.sleep(0.5)  # let the join notices settle
        _post_all(posters, room_id, deliveries, list(range(-WARM_UP, 0)))
        deliveries.wait(range(-WARM_UP, 0), k)
        pids = _pids(servers, redis)
        _pin(pids, SERVER_CPU)
        cpu, start = sum(map(cpu_seconds, pids)), time.perf_counter()
        _post_all(posters, room_id, deliveries, list(range(m)))
        missing = deliveries.wait(range(m), k, timeout=WAIT + m * 0.1)
        last = max(t for s in range(m) for t in deliveries.received.get(s, ()))
        spent = sum(map(cpu_seconds, pids)) - cpu
        delivered = k * m - missing
        return {
            "setup": f"{processes} process{'es' if processes > 1 else ''}"
            + (" + Redis" if redis else ", no Redis"),
            "rate": delivered / (last - start),
            "cpu_share": spent / (last - start),
            "cpu_per_delivery": spent / max(delivered, 1),
            "missing": missing,
        }
    finally:
        try:
            _close_all(listeners)
        finally:
            for server in servers:
                server.stop()
            if redis:
                redis.stop()


def run(quick: bool = False) -> None:
    if shutil.which("redis-server") is None:
        print("skipped: redis-server is not installed (Debian: apt-get install redis-server)")
        return
    k, m = (QUICK_LISTENERS, QUICK_MESSAGES) if quick else (LISTENERS, MESSAGES)
    rounds = QUICK_ROUNDS if quick else ROUNDS
    _pin([0], CLIENT_CPU)  # this thread, and so every client thread started from it
    setups = (("one", 1, False), ("one-redis", 1, True), ("two", 2, True))
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in setups}
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-cluster-") as tmp:
        for number in range(rounds):
            for name, processes, with_redis in setups:
                folder = Path(tmp, f"{name}-{number}")
                folder.mkdir()
                runs[name].append(_measure(folder, processes, with_redis, k, m))
                print(f"round {number + 1}: {runs[name][-1]['setup']}: measured", flush=True)
    results = [_median(runs[name]) for name, _, _ in setups]
    base = results[0]
    table(
        ["setup", "deliveries/s", "x base", "server CPU", "µs CPU/delivery", "x base", "missing"],
        [
            [
                r["setup"],
                f"{r['rate']:,.0f}",
                ratio(r["rate"], base["rate"]),
                f"{r['cpu_share']:.0%}",
                f"{r['cpu_per_delivery'] * 1e6:.0f}",
                ratio(r["cpu_per_delivery"], base["cpu_per_delivery"]),
                r["missing"],
            ]
            for r in results
        ],
        title=f"{k} websocket listeners in one room, {m} messages posted back to back by two"
        " posters; server CPU = gunicorn masters + workers + redis-server, over first post ->"
        f" last receipt; medians of {rounds} interleaved round(s) (target: cluster CPU/delivery"
        " at most 1.3x one process without Redis)",
    )


def _median(runs: list[dict]) -> dict:
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key != "setup"}
    median["missing"] = sum(r["missing"] for r in runs)
    return {"setup": runs[0]["setup"], **median}
