"""Fan-out on the real server: delivery latency and rate to K websocket clients.

Starts `gunicorn -c gunicorn.conf.py wsgi:app` (one eventlet worker) on a free loopback port
with a temporary SQLite database, connects K python-socketio clients over websocket, each
its own visitor (GET / for the session cookie, GET /room/<id> to be admitted, connect with
that Cookie, "join"), posts messages over HTTP and times each delivery from the moment the
post was sent to the moment a client's handler ran. A room holds at most 100 people, so
K=200 is two rooms of 100 and the messages alternate between them (100 recipients each).
"""

import math
import os
import queue
import resource
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import socketio

from harness.live_server import LiveServer, Person

from .report import percentile, ratio, table

ROOM_MAX = 100  # the most a room may hold (app/rooms/forms.py)
CLIENTS = (10, 100, 200)  # K; 10 is the baseline
QUICK_CLIENTS = (10, 40)
PACED = 40  # messages posted one at a time, each awaited by every recipient
BURST = 100  # messages posted back to back, then awaited
QUICK_PACED, QUICK_BURST = 10, 20
WAIT = 10  # seconds: the bound on any one wait (a delivery, a connection, a join)
CONNECTING_THREADS = 8
# gunicorn's graceful stop can wait its whole graceful_timeout on websockets the clients have
# already closed (see bench/README.md); the data is thrown away, so a short wait will do.
STOP_WAIT = 3


class BenchServer(LiveServer):
    """The test suite's live server, with room for hundreds of connections."""

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_SECRET_KEY"] = '"bench"'
        env["GIFCHAT_ROOM_EMPTY_GRACE_SECONDS"] = "3600"
        env["GIFCHAT_MAX_CONNECTIONS"] = "2000"
        env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = "2000"  # every client is 127.0.0.1
        return env

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_WAIT seconds; the suite's stop does the rest."""
        self.stop_seconds, self.killed = 0.0, False
        if self.process is not None and self.process.poll() is None:
            started = time.perf_counter()
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.killed = True
            self.stop_seconds = time.perf_counter() - started
        super().stop()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU time of this process, every client thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Deliveries:
    """Receipt times of every message, by its sequence number, from every client."""

    def __init__(self):
        self.sent: dict[int, float] = {}
        self.received: dict[int, list[float]] = {}
        self._count = 0  # deliveries so far
        self._target = math.inf  # wake the waiter when _count reaches it, not on each delivery
        self._lock = threading.Condition()

    def on_chat(self, data):
        now = time.perf_counter()
        text = data.get("chat", "") if isinstance(data, dict) else ""
        if text.startswith("bench "):
            with self._lock:
                self.received.setdefault(int(text.split()[1]), []).append(now)
                self._count += 1
                if self._count >= self._target:
                    self._lock.notify_all()

    def wait(self, seqs, recipients: int, timeout: float = WAIT) -> int:
        """Wait until each of seqs reached `recipients` clients; returns the deliveries missing."""
        seqs = list(seqs)
        deadline = time.monotonic() + timeout
        with self._lock:

            def missing():
                return sum(max(recipients - len(self.received.get(s, ())), 0) for s in seqs)

            self._target = self._count + missing()
            while self._count < self._target and (remaining := deadline - time.monotonic()) > 0:
                self._lock.wait(remaining)
            self._target = math.inf
            return missing()

    def latencies(self, seqs) -> list[float]:
        with self._lock:
            return [t - self.sent[s] for s in seqs for t in self.received.get(s, ())]

    def firsts(self, seqs) -> list[float]:
        """For each message, the latency of its first delivery."""
        with self._lock:
            return [min(self.received[s]) - self.sent[s] for s in seqs if s in self.received]


class Listener:
    """One visitor's websocket on /chat, recording each chat's arrival in `deliveries`."""

    def __init__(self, server: BenchServer, room_id: str, deliveries: Deliveries):
        self.person = Person(server)  # GET /: the session cookie
        self.room_id = room_id
        self._http = requests.Session()
        self.client = socketio.Client(reconnection=False, http_session=self._http)
        self.client.on("chat", deliveries.on_chat, namespace="/chat")
        try:
            self.person.visit(f"/room/{room_id}")  # admitted to the room
            self.client.connect(
                server.url,
                headers={"Cookie": self.person.cookie},
                namespaces=["/chat"],
                transports=["websocket"],
                wait_timeout=WAIT,
            )
            ack = self.client.call("join", room_id, namespace="/chat", timeout=WAIT)
            if not (isinstance(ack, dict) and ack.get("ok")):
                raise RuntimeError(f"join refused: {ack}")
        except BaseException:
            self.close()
            raise
        self.person.http.close()  # the cookie is all the socket needs; free the connection

    def close(self):
        self.client.shutdown()
        self._http.close()
        self.person.close()


def _connect(server, rooms, deliveries, k) -> list[Listener]:
    """K listeners, filling the rooms in turn, connected a few at a time."""
    listeners: list[Listener] = []
    errors: queue.Queue = queue.Queue()

    def one(i):
        try:
            listener = Listener(server, rooms[i % len(rooms)], deliveries)
            listeners.append(listener)
        except Exception as error:
            errors.put(error)

    with ThreadPoolExecutor(CONNECTING_THREADS) as pool:
        list(pool.map(one, range(k)))
    if not errors.empty():
        _close_all(listeners)
        raise RuntimeError(f"{errors.qsize()} of {k} clients could not join: {errors.get()}")
    return listeners


def _close_all(listeners) -> None:
    with ThreadPoolExecutor(CONNECTING_THREADS) as pool:
        list(pool.map(Listener.close, listeners))


def _post(posters: dict[str, Person], rooms, deliveries: Deliveries, seq: int) -> None:
    room_id = rooms[seq % len(rooms)]
    deliveries.sent[seq] = time.perf_counter()
    response = posters[room_id].post_chat(room_id, f"bench {seq}")
    if response.status_code != 201:
        raise RuntimeError(f"post answered {response.status_code}: {response.text[:200]}")


def _measure(folder: Path, k: int, paced: int, burst: int) -> dict:
    server = BenchServer(folder, grace_seconds=3600)
    listeners: list[Listener] = []
    result = {"k": k}
    try:
        server.start()
        poster = Person(server)
        rooms = [poster.create_room(f"bench {i}", max=ROOM_MAX) for i in range(-(-k // ROOM_MAX))]
        recipients = min(k, ROOM_MAX)  # per message: everyone in its room
        worker = server.worker_pid()
        rss_before = rss_kib(worker)
        deliveries = Deliveries()
        started = time.perf_counter()
        listeners = _connect(server, rooms, deliveries, k)
        connect_seconds = time.perf_counter() - started
        # Only someone in a room may post to it: in each room, one listener posts.
        posters = {}
        for listener in listeners:
            posters.setdefault(listener.room_id, listener.person)
        time.sleep(0.5)  # let the join notices settle
        rss_after = rss_kib(worker)

        missing = 0
        for seq in range(-5, 0):  # warm-up, not counted
            _post(posters, rooms, deliveries, seq)
            deliveries.wait([seq], recipients)
        cpu, own, start = cpu_seconds(worker), own_cpu_seconds(), time.perf_counter()
        for seq in range(paced):  # one at a time: latency without a queue
            _post(posters, rooms, deliveries, seq)
            missing += deliveries.wait([seq], recipients)
        paced_latency = deliveries.latencies(range(paced))
        paced_first = deliveries.firsts(range(paced))
        span = time.perf_counter() - start
        paced_cpu = (cpu_seconds(worker) - cpu) / span
        paced_own = (own_cpu_seconds() - own) / span

        seqs = range(paced, paced + burst)  # back to back: the rate the server sustains
        cpu, own, start = cpu_seconds(worker), own_cpu_seconds(), time.perf_counter()
        for seq in seqs:
            _post(posters, rooms, deliveries, seq)
        post_seconds = time.perf_counter() - start
        missing += deliveries.wait(seqs, recipients, timeout=WAIT + burst * 0.1)
        last = max((t for s in seqs for t in deliveries.received.get(s, ())), default=start)
        # The wait ended at the last delivery (or timed out): CPU times are over about that span.
        burst_cpu, burst_own = cpu_seconds(worker) - cpu, own_cpu_seconds() - own
        burst_latency = deliveries.latencies(seqs)
        if server.process.poll() is not None:
            raise RuntimeError(f"the server died:\n{server.stderr()[-2000:]}")
        result.update(
            {
                "rooms": len(rooms),
                "recipients": recipients,
                "connect_s": connect_seconds,
                "rss_before": rss_before,
                "rss_after": rss_after,
                "paced": paced_latency,
                "paced_first": paced_first,
                "paced_cpu": paced_cpu,
                "paced_own": paced_own,
                "burst": burst_latency,
                "burst_rate": len(burst_latency) / (last - start),
                "burst_cpu": burst_cpu / (last - start),
                "burst_own": burst_own / (last - start),
                "cpu_per_delivery": burst_cpu / max(len(burst_latency), 1),
                "posts_per_s": burst / post_seconds,
                "missing": missing,
            }
        )
    finally:
        try:
            _close_all(listeners)
        finally:
            server.stop()
    result.update(stop_s=server.stop_seconds, killed=server.killed)
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"


def run(quick: bool = False) -> None:
    sizes = QUICK_CLIENTS if quick else CLIENTS
    paced, burst = (QUICK_PACED, QUICK_BURST) if quick else (PACED, BURST)
    results = []
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        for k in sizes:
            folder = Path(tmp, f"k{k}")
            folder.mkdir()
            results.append(_measure(folder, k, paced, burst))
    base = results[0]
    table(
        [
            "K clients",
            "rooms",
            "recv/msg",
            "1st p50 ms",
            "p50 ms",
            "p95 ms",
            "max ms",
            "p50 x K=10",
            "missing",
            "worker CPU",
            "clients CPU",
        ],
        [
            [
                r["k"],
                r["rooms"],
                r["recipients"],
                _ms(percentile(r["paced_first"], 50)),
                _ms(percentile(r["paced"], 50)),
                _ms(percentile(r["paced"], 95)),
                _ms(max(r["paced"])),
                ratio(percentile(r["paced"], 50), percentile(base["paced"], 50)),
                r["missing"],
                f"{r['paced_cpu']:.0%}",
                f"{r['paced_own']:.0%}",
            ]
            for r in results
        ],
        title=f"Paced: {paced} messages posted one at a time, each awaited by all its recipients"
        " (latency = post sent -> client handler; baseline K=10)",
    )
    table(
        [
            "K clients",
            "posts/s",
            "deliveries/s",
            "x K=10",
            "p50 ms",
            "p95 ms",
            "max ms",
            "worker CPU",
            "clients CPU",
            "worker µs/delivery",
        ],
        [
            [
                r["k"],
                f"{r['posts_per_s']:,.0f}",
                f"{r['burst_rate']:,.0f}",
                ratio(r["burst_rate"], base["burst_rate"]),
                _ms(percentile(r["burst"], 50)),
                _ms(percentile(r["burst"], 95)),
                _ms(max(r["burst"])),
                f"{r['burst_cpu']:.0%}",
                f"{r['burst_own']:.0%}",
                f"{r['cpu_per_delivery'] * 1e6:.0f}",
            ]
            for r in results
        ],
        title=f"Burst: {burst} messages posted back to back, each by a listener in its room"
        " (deliveries/s = deliveries / (first post -> last receipt);"
        " worker CPU = its CPU time / that span)",
    )
    table(
        ["K clients", "connect s", "RSS before MiB", "RSS after MiB", "per socket KiB", "stop s"],
        [
            [
                r["k"],
                f"{r['connect_s']:.1f}",
                f"{r['rss_before'] / 1024:.1f}",
                f"{r['rss_after'] / 1024:.1f}",
                f"{(r['rss_after'] - r['rss_before']) / r['k']:.0f}",
                f"{r['stop_s']:.1f}{' killed' if r['killed'] else ''}",
            ]
            for r in results
        ],
        title="Worker memory (VmRSS of the gunicorn eventlet worker, a fresh server per K);"
        f" stop s: SIGTERM to exit, SIGKILL after {STOP_WAIT} s",
    )
