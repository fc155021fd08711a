"""Deadlines: run once, in an app context, after their delay; replaced, cancelled, logged.

Time stands still here: a test moves it, and a move returns once whatever fell due has run,
so the tests say in which order things happen without racing a scheduler.
"""

import math
import threading

import pytest
from flask import current_app

from app.deadlines import get_deadlines
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


@pytest.fixture
def backend():
    return "sqlite"  # deadlines touch no store


@pytest.fixture
def time(monkeypatch):
    stopped = StoppedTime()
    monkeypatch.setattr(socketio, "start_background_task", stopped.start_background_task)
    monkeypatch.setattr(socketio, "sleep", stopped.sleep)
    yield stopped
    stopped.move(math.inf)  # no task is left asleep after the test


@pytest.fixture
def deadlines(app, time):
    with app.app_context():
        return get_deadlines()


@pytest.fixture
def runs(deadlines):
    """Kinds "work" and "marker" that record (kind, room, arg) in the order they ran."""
    done = []
    lock = threading.Lock()

    def recorder(kind):
        def handler(room_id, arg):
            with lock:
                done.append((kind, room_id, arg, current_app._get_current_object()))

        return handler

    deadlines.register("work", recorder("work"))
    deadlines.register("marker", recorder("marker"))

    def seen():
        with lock:
            return [entry[:3] for entry in done]

    seen.apps = lambda: [entry[3] for entry in done]
    return seen


def test_a_deadline_runs_once_with_its_room_and_arg_in_an_app_context(app, deadlines, runs, time):
    deadlines.schedule("work", "r1", 10, arg="k")
    time.move(9.9)
    assert runs() == []  # not before its time
    time.move(0.1)
    assert runs() == [("work", "r1", "k")]
    time.move(1000)
    assert runs() == [("work", "r1", "k")]  # and never again
    assert runs.apps() == [app]


def test_scheduling_again_replaces_the_earlier_schedule(deadlines, runs, time):
    deadlines.schedule("work", "r1", 10)
    deadlines.schedule("marker", "r1", 20)
    deadlines.schedule("work", "r1", 30)  # moved later: the first schedule no longer counts
    time.move(20)
    assert runs() == [("marker", "r1", None)]
    time.move(10)
    assert runs() == [("marker", "r1", None), ("work", "r1", None)]


def test_a_cancelled_deadline_does_not_run(deadlines, runs, time):
    deadlines.schedule("work", "r1", 10)
    deadlines.cancel("work", "r1")
    deadlines.schedule("marker", "r1", 20)
    time.move(20)
    assert runs() == [("marker", "r1", None)]


def test_deadlines_of_other_rooms_and_args_are_apart(deadlines, runs, time):
    deadlines.schedule("work", "r1", 10, arg="a")
    deadlines.schedule("work", "r1", 10, arg="b")
    deadlines.schedule("work", "r2", 10, arg="a")
    deadlines.cancel("work", "r2", "a")
    time.move(10)
    assert sorted(runs()) == [("work", "r1", "a"), ("work", "r1", "b")]


def test_a_failing_deadline_is_logged_and_the_next_still_runs(deadlines, runs, time, caplog):
    def broken(room_id, arg):
        raise RuntimeError("boom")

    deadlines.register("broken", broken)

    def failures():
        return [r for r in caplog.records if "broken deadline failed for room r1" in r.message]

    deadlines.schedule("broken", "r1", 10)
    deadlines.schedule("marker", "r1", 20)
    time.move(10)
    assert len(failures()) == 1 and failures()[0].exc_info[0] is RuntimeError
    time.move(10)
    assert runs() == [("marker", "r1", None)]


def test_a_kind_without_a_handler_is_refused_when_scheduled(deadlines):
    with pytest.raises(ValueError, match="nobody"):
        deadlines.schedule("nobody", "r1", 10)
