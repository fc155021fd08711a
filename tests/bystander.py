"""A bystander on the real server: is it answered while other work goes on, all along?

The tests count answers in the order things happened, never time them: how long a round
trip takes while GIFs decode is a figure, measured by bench/gifs.py.
"""

import threading
import time

import socketio

from harness.live_server import WAIT

UNKNOWN_ROOM = "0" * 24
BYSTANDING = 300  # seconds: the most a bystander goes on, should its jobs never end


def answered(sock) -> bool:
    """One emit-with-ack; whether it was answered (a server stalled past WAIT is not)."""
    try:
        ack = sock.client.call("join", UNKNOWN_ROOM, namespace="/chat", timeout=WAIT)
    except socketio.exceptions.TimeoutError:
        return False
    assert "error" in ack
    return True


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


class Alongside:
    """What a bystander making round trips back to back saw while `jobs` ran side by side."""

    def __init__(self, sock, jobs: list, timeout: float = 150):
        self._events: list[str] = []  # "start", "end", "answered", "unanswered", in order
        self._lock = threading.Lock()
        stop = threading.Event()
        watcher = threading.Thread(target=self._bystand, args=(sock, stop))
        watcher.start()
        try:
            side_by_side([self._noted(job) for job in jobs], timeout)
        finally:
            stop.set()
            watcher.join(timeout=2 * WAIT)

    def _note(self, event: str) -> None:
        with self._lock:
            self._events.append(event)

    def _noted(self, job):
        def run():
            self._note("start")
            try:
                job()
            finally:
                self._note("end")

        return run

    def _bystand(self, sock, stop: threading.Event) -> None:
        given_up = time.monotonic() + BYSTANDING
        while not stop.is_set() and time.monotonic() < given_up:
            self._note("answered" if answered(sock) else "unanswered")

    @property
    def while_all_ran(self) -> int:
        """Round trips answered once every job had started and before the last one ended."""
        events = self._events
        last_start = max(i for i, event in enumerate(events) if event == "start")
        last_end = max(i for i, event in enumerate(events) if event == "end")
        return events[last_start:last_end].count("answered")

    @property
    def unanswered(self) -> int:
        return self._events.count("unanswered")
