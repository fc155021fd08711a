"""GIF uploads: a bystander's round trips while heavy legal GIFs decode, in threads and processes.

Starts the real server (`gunicorn -c gunicorn.conf.py wsgi:app`, eventlet) with
GIF_DECODER = "thread" (the baseline: decoding in a thread of the server, as before) and with
"process" (a child process per upload), three times each, interleaved: the thread's stalls
come and go from run to run. In each, a bystander on its own websocket makes
round trips back to back (a `join` of an unknown room, answered at once with an error ack):
first idle, then while an uploader posts N heavy legal GIFs (4096 x 4096, 8 frames each),
three at a time. Then the cost of a child on its own: starting `python -I gif_probe.py` for
a 4 x 4 GIF against checking that GIF in this process.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import socketio

from app.chat import gif_probe, media
from harness.gifs import gif, heavy_gif
from harness.live_server import LiveServer, Person

from .report import percentile, ratio, table

UPLOADS, QUICK_UPLOADS = 8, 4  # N heavy GIFs per run
REPEATS = 3  # runs of each mode, interleaved (--quick: 1)
AT_ONCE = 3  # uploads in flight together; GIF_DECODERS (2) decode, the third waits
FRAMES = 8
IDLE_TRIPS, QUICK_IDLE_TRIPS = 200, 50
STARTS, QUICK_STARTS = 20, 5  # child start-ups timed
WAIT = 10  # seconds: the bound on one round trip (a stalled one counts as WAIT)
CAPS = {"max_bytes": 5 << 20, "max_pixels": 4096 * 4096, "max_frames": 1000}
CAPS.update(max_total_pixels=400_000_000, max_seconds=20)


class GifServer(LiveServer):
    """The test suite's live server, decoding GIFs as `decoder` says."""

    def __init__(self, folder: Path, decoder: str):
        super().__init__(folder, 3600)
        self.decoder = decoder

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_SECRET_KEY"] = '"bench"'
        env["GIFCHAT_GIF_DECODER"] = f'"{self.decoder}"'
        env["GIFCHAT_GIF_DECODER_WAIT_SECONDS"] = "300"  # every upload waits its turn
        return env


def _round_trip(client: socketio.Client) -> float:
    started = time.perf_counter()
    try:
        client.call("join", "0" * 24, namespace="/chat", timeout=WAIT)
    except socketio.exceptions.TimeoutError:
        return WAIT
    return time.perf_counter() - started


def _uploads(uploader: Person, room_id: str, count: int, answers: list) -> None:
    data = heavy_gif(4096, FRAMES)
    lock = threading.Lock()
    left = [count]

    def worker():
        while True:
            with lock:
                if not left[0]:
                    return
                left[0] -= 1
            response = uploader.post_gif(room_id, data, timeout=300)
            answers.append(response.status_code)

    workers = [threading.Thread(target=worker) for _ in range(AT_ONCE)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=600)


def _measure(decoder: str, uploads: int, idle_trips: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        server = GifServer(Path(tmp), decoder)
        server.start()
        uploader = bystander = None
        try:
            uploader, bystander = Person(server), Person(server)
            room_id = uploader.create_room("gifs")
            uploader.join(room_id, "websocket")
            sock = bystander.socket("/chat", "websocket").client
            for _ in range(10):
                _round_trip(sock)  # warm-up
            idle = [_round_trip(sock) for _ in range(idle_trips)]
            answers: list[int] = []
            during: list[float] = []
            started = time.perf_counter()
            load = threading.Thread(target=_uploads, args=(uploader, room_id, uploads, answers))
            load.start()
            while load.is_alive():
                during.append(_round_trip(sock))
            load.join()
            return {
                "idle": idle,
                "during": during,
                "seconds": time.perf_counter() - started,
                "accepted": answers.count(201),
                "answers": answers,
            }
        finally:
            for person in (uploader, bystander):
                if person is not None:
                    person.close()
            server.stop()


def _startup_costs(starts: int) -> tuple[list[float], list[float]]:
    """Seconds to check a 4 x 4 GIF in a child (start-up included), and in this process."""
    data = gif()
    settings = json.dumps({"caps": CAPS, "memory": 1 << 30})
    child, here = [], []
    for _ in range(starts):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-I", media.PROBE, settings], input=data, capture_output=True
        )
        child.append(time.perf_counter() - started)
        if done.stdout.strip() != b"ok":
            raise RuntimeError(f"the child answered {done.stdout!r} {done.stderr!r}")
        started = time.perf_counter()
        gif_probe.probe(data, **CAPS)
        here.append(time.perf_counter() - started)
    return child, here


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f}"


def run(quick: bool = False) -> None:
    uploads = QUICK_UPLOADS if quick else UPLOADS
    idle_trips = QUICK_IDLE_TRIPS if quick else IDLE_TRIPS
    modes = ("thread", "process")
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    for _ in range(1 if quick else REPEATS):  # interleaved: the machine's mood hits both
        for mode in modes:
            runs[mode].append(_measure(mode, uploads, idle_trips))
    base = max(max(r["during"]) for r in runs["thread"])
    rows = []
    for mode in modes:
        for phase in ("idle", "during"):
            trips = [trip for r in runs[mode] for trip in r[phase]]
            worst = " / ".join(f"{max(r[phase]) * 1e3:,.0f}" for r in runs[mode])
            accepted = sum(r["accepted"] for r in runs[mode])
            seconds = statistics.median(r["seconds"] for r in runs[mode])
            done = f"{accepted}/{uploads * len(runs[mode])}, {seconds:.1f} s"
            rows.append(
                [
                    f"{mode}: {'idle' if phase == 'idle' else f'{uploads} heavy GIFs'}",
                    len(trips),
                    _ms(statistics.median(trips)),
                    _ms(percentile(trips, 99)),
                    worst,
                    ratio(max(trips), base) if phase == "during" else "",
                    done if phase == "during" else "",
                ]
            )
    table(
        [
            "GIF_DECODER: phase",
            "trips",
            "p50 ms",
            "p99 ms",
            "max ms, each run",
            "max x thread",
            "accepted, s",
        ],  # fmt: skip
        rows,
        title=f"a bystander's round trips (socket join, error ack) while {uploads} GIFs of "
        f"4096x4096 x {FRAMES} frames upload, {AT_ONCE} at a time; {len(runs['thread'])} runs"
        " of each (baseline: thread)",
    )
    child, here = _startup_costs(QUICK_STARTS if quick else STARTS)
    table(
        ["check of a 4x4 GIF", "runs", "p50 ms", "max ms"],
        [
            ["in this process", len(here), _ms(statistics.median(here)), _ms(max(here))],
            [
                "child process (python + Pillow)",
                len(child),
                _ms(statistics.median(child)),
                _ms(max(child)),
            ],  # fmt: skip
        ],
        title="what a child costs: its start-up, per upload",
    )
