"""Redis restart: how long open pages wait once Redis answers again, and acks in the outage.

Two real processes (gunicorn + eventlet, harness/cluster.py's settings: heartbeat 1 s, poll
0.2 s) on a redis-server of their own; two visitors in one room, one per process, each with
a websocket. Redis is killed with -9, stays down D seconds and restarts empty. Measured
during the outage: how long a socket `join` waits for its ack ("busy"); from the moment
Redis answers PING again: until both processes are ready (`/readyz` 200: Redis and the
message queue), until the first `join` of an open page is answered ok, and until a message
posted on one process reaches the socket on the other. D = 1 s is the baseline; a longer
outage should cost no more (python-socketio's own listener, retrying after 1, 2, 4, 8 s,
would hear the other process up to 8 s late after a 10 s outage).
"""

import math
import statistics
import tempfile
import time
from pathlib import Path

import requests

from harness.cluster import RedisServer, start_cluster
from harness.live_server import People

from .report import ratio, table

OUTAGES, QUICK_OUTAGES = (1, 10), (1, 4)  # D, seconds
ROUNDS, QUICK_ROUNDS = 3, 1
GIVE_UP = 30  # seconds after Redis is back: a step not done by then counts as never


def _ready(server) -> bool:
    try:
        return requests.get(server.url + "/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _until(done) -> float:
    """The perf_counter() at which done() first holds, polled every 50 ms; inf past GIVE_UP."""
    deadline = time.perf_counter() + GIVE_UP
    while time.perf_counter() < deadline:
        if done():
            return time.perf_counter()
        time.sleep(0.05)
    return math.inf


def _crosses(poster, listener, room_id) -> bool:
    response = poster.post_chat(room_id, "across")
    if response.status_code != 201:
        return False
    sent = response.json()["_id"]
    try:
        listener.wait_for("chat", lambda chat: chat["_id"] == sent, timeout=0.5)
        return True
    except AssertionError:
        return False


def _joined(sock, room_id) -> bool:
    try:
        return sock.call("join", room_id).get("ok") is True
    except Exception:  # a timed-out call: not yet
        return False


def _once(folder: Path, outage: float) -> dict:
    redis = RedisServer(folder / "redis")
    redis.start()
    servers = start_cluster(folder, redis.url, size=2)
    people = [People(server) for server in servers]
    try:
        alice, bob = people[0](), people[1]()
        room_id = alice.create_room("restart")
        a = alice.join(room_id, "websocket")
        b = bob.join(room_id, "websocket")
        redis.kill()
        asked = time.perf_counter()
        a.call("join", room_id)  # answered busy
        ack = time.perf_counter() - asked
        time.sleep(max(0.0, outage - ack))
        redis.start()
        back = time.perf_counter()
        return {
            "ack": ack,
            "ready": _until(lambda: all(_ready(server) for server in servers)) - back,
            "join": _until(lambda: _joined(a, room_id)) - back,
            "chat": _until(lambda: _crosses(alice, b, room_id)) - back,
        }
    finally:
        for factory in people:
            factory.close()
        for server in servers:
            server.stop()
        redis.stop()


def run(quick: bool = False) -> None:
    outages = QUICK_OUTAGES if quick else OUTAGES
    rounds = QUICK_ROUNDS if quick else ROUNDS
    samples = {outage: [] for outage in outages}
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-restart-") as folder:
        for number in range(rounds):
            for outage in outages:  # interleaved, so a busy moment hits both alike
                samples[outage].append(_once(Path(folder, f"{number}-{outage}"), outage))
    medians = {
        outage: {key: statistics.median(each[key] for each in runs) for key in runs[0]}
        for outage, runs in samples.items()
    }
    base = medians[outages[0]]
    rows = [
        [
            f"D = {outage} s",
            f"{m['ack'] * 1000:.0f}",
            f"{m['ready']:.2f}",
            f"{m['join']:.2f}",
            f"{m['chat']:.2f}",
            ratio(m["chat"], base["chat"]),
        ]
        for outage, m in medians.items()
    ]
    headers = ["outage", "busy ack ms", "ready s", "join ok s", "chat across s"]
    headers.append(f"x D={outages[0]}")
    table(headers, rows, title=f"medians of {rounds} rounds; seconds after Redis answers again")
