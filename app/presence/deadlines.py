"""Deadlines: work due after a delay, such as deleting a room left empty.

A deadline is plain strings, (kind, room_id, arg or None), so that another process could
carry it out; the handler registered for its kind runs it in an app context.
"""

import itertools
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app

from ..extensions import socketio

Handler = Callable[[str, str | None], None]


class MemoryDeadlines:
    """Deadlines for one process, each waited out by a Socket.IO background task."""

    def __init__(self, app: Flask):
        self._app = app
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._pending: dict[tuple, int] = {}  # (kind, room_id, arg) -> its latest schedule
        self._due: dict[tuple, float] = {}  # (kind, room_id, arg) -> when, in Unix seconds
        self._schedules = itertools.count()

    def register(self, kind: str, handler: Handler) -> None:
        """Run handler(room_id, arg) when a deadline of this kind is due."""
        self._handlers[kind] = handler

    def schedule(self, kind: str, room_id: str, delay_seconds: float, arg: str | None = None):
        """Run the deadline after delay_seconds, instead of any earlier schedule of it."""
        if kind not in self._handlers:
            raise ValueError(f"no handler for deadlines of kind {kind!r}")
        deadline = (kind, room_id, arg)
        with self._lock:
            mark = self._pending[deadline] = next(self._schedules)
            self._due[deadline] = time.time() + delay_seconds
        socketio.start_background_task(self._wait, deadline, mark, delay_seconds)

    def cancel(self, kind: str, room_id: str, arg: str | None = None) -> None:
        with self._lock:
            self._pending.pop((kind, room_id, arg), None)
            self._due.pop((kind, room_id, arg), None)

    def due(self, kind: str, room_id: str, arg: str | None = None) -> float | None:
        """When a pending deadline is due, in Unix seconds; None if none is pending."""
        with self._lock:
            return self._due.get((kind, room_id, arg))

    def close(self) -> None:
        """Forget every pending deadline: the waits still running end without touching the app."""
        with self._lock:
            self._pending.clear()
            self._due.clear()

    def _wait(self, deadline: tuple, mark: int, delay_seconds: float) -> None:
        socketio.sleep(delay_seconds)
        with self._lock:
            if self._pending.get(deadline) != mark:
                return  # cancelled, or scheduled again for later
            del self._pending[deadline]
            del self._due[deadline]
        kind, room_id, arg = deadline
        with self._app.app_context():
            try:
                self._handlers[kind](room_id, arg)
            except Exception:  # a background task has nobody to answer
                self._app.logger.exception("%s deadline failed for room %s", kind, room_id)


def get_deadlines() -> MemoryDeadlines:
    return current_app.extensions["deadlines"]
