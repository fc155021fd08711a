"""Deadlines: run once, in an app context, after their delay; replaced, cancelled, logged.

Time stands still here: a test moves it, and a move returns once whatever fell due has run,
so the tests say in which order things happen without racing a scheduler.
"""

import threading

import pytest
from flask import current_app

from app.presence.deadlines import get_deadlines

from .stopped_time import stopped


@pytest.fixture
def backend():
    return "sqlite"  # deadlines touch no store


@pytest.fixture
def time(monkeypatch):
    yield from stopped(monkeypatch)


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
