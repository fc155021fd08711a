"""A bystander on the real server: socket round trips, timed while other work goes on."""

import threading
import time

import socketio

from .live_server import WAIT

UNKNOWN_ROOM = "0" * 24


def round_trip(sock) -> float:
    """One emit-with-ack; a round trip that gets no answer within WAIT counts as WAIT."""
    started = time.perf_counter()
    try:
        ack = sock.client.call("join", UNKNOWN_ROOM, namespace="/chat", timeout=WAIT)
    except socketio.exceptions.TimeoutError:
        return WAIT
    assert "error" in ack
    return time.perf_counter() - started


class Bystander(threading.Thread):
    """Round trips back to back until stopped (at most two minutes); keeps every one."""

    def __init__(self, sock):
        super().__init__()
        self.sock = sock
        self.times: list[float] = []
        self.done = threading.Event()

    @property
    def worst(self) -> float:
        return max(self.times, default=0.0)

    def run(self):
        deadline = time.monotonic() + 120
        while not self.done.is_set() and time.monotonic() < deadline:
            self.times.append(round_trip(self.sock))

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=2 * WAIT)


def uploader_and_bystander(people):
    """Someone in a new room, to upload to it, and a bystander's /chat websocket."""
    uploader, bystander = people(), people()
    room_id = uploader.create_room("gifs")
    uploader.join(room_id, "websocket")  # only people in the room may post
    return uploader, room_id, bystander.socket("/chat", "websocket")


def side_by_side(jobs: list, timeout: float) -> None:
    """Run `jobs` (callables), each in a thread of its own, and wait for them all."""
    workers = [threading.Thread(target=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=timeout)


def watched(sock, jobs: list) -> list[float]:
    """The bystander's round trips while `jobs` run side by side."""
    watch = Bystander(sock)
    watch.start()
    try:
        side_by_side(jobs, timeout=150)
    finally:
        watch.stop()
    return watch.times
