"""Cluster under the Node load generator: server CPU per delivery, 1 process, 1 + Redis, 2 + Redis.

`cluster` drives the servers with python-socketio clients, which saturate their core long
before the servers do (server CPU 16-25%): a half-idle server wakes for every message alone,
so its CPU per delivery says more about the clients than about Redis. Here the load
generator of `shared/bench` (Node, run from a temporary copy, as `original` does) drives
them instead: one room of K websocket visitors, S senders posting M chats over HTTP, back to
back (closed loop), then again paced at a rate every setup keeps up with, to compare them at
the same load as well. The two processes sit behind the project's nginx configuration (deploy/), the
visitors spread over both by their session cookie, so every message crosses Redis to reach
half of the room. Server CPU = every process of the setup (gunicorn masters and workers,
redis-server, and nginx where there is one) per delivery, shown with and without nginx. The
visitors' own set-up (pages, sessions, joins) is taken out: each server gets a short run and
then a long one, and the figure is the difference of the two over the difference of their
deliveries. Setups interleaved, ROUNDS times, medians; servers pinned to the first core, the
load generator to the second; the context switches of the app's processes and redis-server
per chat show how often they took the core from each other. Skipped without node,
redis-server, nginx or shared/bench.
"""

import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from harness.cluster import NginxFront, RedisServer
from harness.live_server import children

from .cluster import SERVER_CPU, BenchClusterServer, _pin
from .fanout import BenchServer, cpu_seconds
from .original import find_shared_bench
from .report import ratio, table

CLIENTS, SENDERS, MESSAGES = 60, 2, 2000
QUICK_MESSAGES = 400
SHORT_MESSAGES = 100
ROUNDS, QUICK_ROUNDS = 3, 1
PACE = 150  # chats/s over both senders, 9,000 deliveries/s: the slowest setup keeps up
LOADGEN_CPU = 1
TIMEOUT = 300


def _nginx_pids(front: NginxFront) -> list[int]:
    master = int((front.folder / "nginx.pid").read_text())
    return [master, *children(master)]


def _switches(pid: int) -> int:
    """Context switches of a process so far, voluntary (it waited) and not (it was preempted)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return sum(int(line.split()[1]) for line in status.splitlines() if "ctxt_switches:" in line)


def _loadgen(loadgen: Path, url: str, messages: int, pace: int) -> dict:
    command = [
        "taskset", "-c", str(LOADGEN_CPU), "node", str(loadgen / "fanout.js"), "--base", url,
        "--clients", str(CLIENTS), "--senders", str(SENDERS), "--messages", str(messages),
        "--no-deflate", "--json", "--timeout", str(TIMEOUT - 30), "--rate", str(pace),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"the load generator printed nothing: {done.stderr[-500:]}")
    return json.loads(lines[-1])


def _measure(
    folder: Path,
    loadgen: Path,
    processes: int,
    with_redis: bool,
    nginx: bool,
    messages: int,
    pace: int,
) -> dict:
    redis = RedisServer(folder / "redis") if with_redis else None
    servers, front = [], None
    try:
        if redis:
            redis.start()
            for number in range(processes):
                shared = folder / "shared"
                servers.append(BenchClusterServer(folder / f"p{number}", 3600, shared, redis.url))
        else:
            servers.append(BenchServer(folder, grace_seconds=3600))
        for server in servers:
            server.start()
        url = servers[0].url
        if nginx:
            front = NginxFront(folder / "nginx", servers)
            front.start()
            url = front.url
        pids = [pid for s in servers for pid in (s.process.pid, s.worker_pid())]
        pids += [redis.process.pid] if redis else []
        edge = _nginx_pids(front) if front else []
        _pin(pids + edge, SERVER_CPU)
        # The marginal cost: a short run, then a long one, each with its own room and visitors,
        # so the visitors' set-up (pages, sessions, joins) cancels out.
        spent, switches, delivered, result = {}, 0, 0, None
        for count, sign in ((SHORT_MESSAGES, -1), (messages, 1)):
            before = {pid: cpu_seconds(pid) for pid in pids + edge}
            switched = sum(_switches(pid) for pid in pids)
            result = _loadgen(loadgen, url, count, pace)
            for pid in before:
                spent[pid] = spent.get(pid, 0.0) + sign * (cpu_seconds(pid) - before[pid])
            switches += sign * (sum(_switches(pid) for pid in pids) - switched)
            delivered += sign * result["deliveries"]["received"]
        app = sum(spent[pid] for pid in pids)
        return {
            "setup": f"{processes} process{'es' if processes > 1 else ''}"
            + (" + Redis" if redis else ", no Redis")
            + (" + nginx" if front else "")
            + (f", {pace} chats/s" if pace else ""),
            "rate": result["throughput"]["deliveriesPerSec"],
            "p99": result["latencyMs"]["p99"],
            "app": app / max(delivered, 1),
            "all": (app + sum(spent[pid] for pid in edge)) / max(delivered, 1),
            "switches": switches * CLIENTS / max(delivered, 1),
            "lost": result["deliveries"]["lost"],
            "paced": bool(pace),
        }
    finally:
        if front:
            front.stop()
        for server in servers:
            server.stop()
        if redis:
            redis.stop()


def run(quick: bool = False) -> None:
    source = find_shared_bench()
    needed = ("node", "redis-server", "nginx", "taskset")
    missing = [tool for tool in needed if not shutil.which(tool, path="/usr/sbin:/usr/bin:/bin")]
    if missing or source is None:
        print(f"skipped: {', '.join(missing) or 'no shared/bench beside the project'} missing")
        return
    messages, rounds = (QUICK_MESSAGES, QUICK_ROUNDS) if quick else (MESSAGES, ROUNDS)
    setups = (
        ("one", 1, False, False),
        ("one-redis", 1, True, False),
        ("one-redis-nginx", 1, True, True),
        ("two", 2, True, True),
    )
    # Back to back, and paced at a rate every setup keeps up with: a server that is less busy
    # batches less (fewer events a wake-up) and spends more per delivery, so setups that differ
    # in speed are compared at the same load too.
    setups = [(*setup[:4], 0) for setup in setups] + [
        (f"{setup[0]}-paced", *setup[1:4], PACE) for setup in setups
    ]
    runs: dict[str, list[dict]] = {setup[0]: [] for setup in setups}
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-cluster-node-") as tmp:
        loadgen = Path(tmp, "loadgen")
        shutil.copytree(source / "loadgen", loadgen, ignore=shutil.ignore_patterns("node_modules"))
        subprocess.run(
            ["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=loadgen, check=True
        )
        for number in range(rounds):
            for name, processes, with_redis, nginx, pace in setups:
                folder = Path(tmp, f"{name}-{number}")
                folder.mkdir()
                runs[name].append(
                    _measure(folder, loadgen, processes, with_redis, nginx, messages, pace)
                )
                print(f"round {number + 1}: {runs[name][-1]['setup']}: measured", flush=True)
    results = [_median(runs[setup[0]]) for setup in setups]
    base = results[0]
    paced_base = results[len(results) // 2]
    table(
        ["setup", "deliveries/s", "p99 ms", "µs CPU/delivery", "x base", "+ nginx µs", "x base",
         "switches/chat", "lost"],
        [
            [
                r["setup"],
                f"{r['rate']:,.0f}",
                f"{r['p99']:.0f}",
                f"{r['app'] * 1e6:.1f}",
                ratio(r["app"], (paced_base if r["paced"] else base)["app"]),
                f"{r['all'] * 1e6:.1f}",
                ratio(r["all"], (paced_base if r["paced"] else base)["app"]),
                f"{r['switches']:.1f}",
                r["lost"],
            ]
            for r in results
        ],
        title=f"Node load generator: {CLIENTS} websocket visitors in one room, {SENDERS} senders,"
        f" {messages} chats, back to back, then paced at {PACE} a second; medians of {rounds}"
        " interleaved round(s); x base: against 1 process without Redis at the same pace (target:"
        " the cluster's CPU/delivery at most 1.3x that)",
    )  # fmt: skip


WORDS = ("setup", "paced")  # a run's labels, the same in every round


def _median(runs: list[dict]) -> dict:
    first = runs[0]
    median = {key: statistics.median(r[key] for r in runs) for key in first if key not in WORDS}
    median["lost"] = sum(r["lost"] for r in runs)
    return {key: first[key] for key in WORDS} | median
