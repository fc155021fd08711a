"""Time that stands still until a test moves it, for Socket.IO's background tasks.

Deadlines (an empty room's grace, an exit's debounce) wait with `socketio.sleep` in tasks
started by `socketio.start_background_task`. Under StoppedTime a move returns once whatever
fell due has run, so a test states what happened in which order without racing threads.
"""

import math
import threading

from app.extensions import socketio

BOUND = 3.0  # seconds: how long a move waits for the tasks before the test fails


class StoppedTime:
    """Socket.IO's background tasks and sleep, with a clock only the test moves."""

    def __init__(self):
        self.now = 0.0
        self._changed = threading.Condition()
        self._running = 0  # tasks neither asleep nor finished
        self._asleep: list[dict] = []

    def start_background_task(self, target, *args, **kwargs):
        def run():
            try:
                target(*args, **kwargs)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

        with self._changed:
            self._running += 1
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def sleep(self, seconds: float) -> None:
        with self._changed:
            sleeper = {"until": self.now + seconds, "woken": False}
            self._asleep.append(sleeper)
            self._running -= 1
            self._changed.notify_all()
            self._changed.wait_for(lambda: sleeper["woken"])

    def move(self, seconds: float) -> None:
        """Move the clock on; return once every task due by then has run its course."""
        with self._changed:
            assert self._changed.wait_for(lambda: self._running == 0, BOUND), "a task is stuck"
            self.now += seconds
            for sleeper in [each for each in self._asleep if each["until"] <= self.now]:
                self._asleep.remove(sleeper)
                sleeper["woken"] = True
                self._running += 1  # on its behalf, so that the wait below includes it
            self._changed.notify_all()
            assert self._changed.wait_for(lambda: self._running == 0, BOUND), "a task is stuck"


def stopped(monkeypatch):
    """Socket.IO's time, stopped for one test (a fixture's body: `yield from stopped(...)`)."""
    stopped = StoppedTime()
    monkeypatch.setattr(socketio, "start_background_task", stopped.start_background_task)
    monkeypatch.setattr(socketio, "sleep", stopped.sleep)
    yield stopped
    stopped.move(math.inf)  # no task is left asleep after the test
