"""Deadlines: run once, in an app context, after their delay; replaced, cancelled, logged."""

import threading

import pytest
from flask import current_app

from app.deadlines import get_deadlines

from .waiting import wait_for

BOUND = 3.0  # seconds: how long a test waits for a deadline before it fails


@pytest.fixture
def backend():
    return "sqlite"  # deadlines touch no store


@pytest.fixture
def deadlines(app):
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


def test_a_deadline_runs_once_with_its_room_and_arg_in_an_app_context(app, deadlines, runs):
    deadlines.schedule("work", "r1", 0.01, arg="k")
    assert wait_for(lambda: runs() == [("work", "r1", "k")], BOUND)
    deadlines.schedule("marker", "r1", 0.05)  # a later deadline: by then a repeat would show
    assert wait_for(lambda: len(runs()) == 2, BOUND)
    assert runs() == [("work", "r1", "k"), ("marker", "r1", None)]
    assert runs.apps() == [app, app]


def test_scheduling_again_replaces_the_earlier_schedule(deadlines, runs):
    deadlines.schedule("work", "r1", 0.01)
    deadlines.schedule("marker", "r1", 0.1)
    deadlines.schedule("work", "r1", 0.3)  # moved later: the first schedule no longer counts
    assert wait_for(lambda: len(runs()) == 2, BOUND)
    assert runs() == [("marker", "r1", None), ("work", "r1", None)]


def test_a_cancelled_deadline_does_not_run(deadlines, runs):
    deadlines.schedule("work", "r1", 0.01)
    deadlines.cancel("work", "r1")
    deadlines.schedule("marker", "r1", 0.2)
    assert wait_for(lambda: runs() == [("marker", "r1", None)], BOUND)


def test_deadlines_of_other_rooms_and_args_are_apart(deadlines, runs):
    deadlines.schedule("work", "r1", 0.01, arg="a")
    deadlines.schedule("work", "r1", 0.01, arg="b")
    deadlines.schedule("work", "r2", 0.01, arg="a")
    deadlines.cancel("work", "r2", "a")
    deadlines.schedule("marker", "r1", 0.2)
    assert wait_for(lambda: len(runs()) == 3, BOUND)
    assert sorted(runs()) == [("marker", "r1", None), ("work", "r1", "a"), ("work", "r1", "b")]


def test_a_failing_deadline_is_logged_and_the_next_still_runs(deadlines, runs, caplog):
    def broken(room_id, arg):
        raise RuntimeError("boom")

    deadlines.register("broken", broken)

    def failures():
        return [r for r in caplog.records if "broken deadline failed for room r1" in r.message]

    deadlines.schedule("broken", "r1", 0.01)
    deadlines.schedule("marker", "r1", 0.1)
    assert wait_for(lambda: failures() and runs(), BOUND)
    assert runs() == [("marker", "r1", None)]
    assert len(failures()) == 1 and failures()[0].exc_info[0] is RuntimeError


def test_a_kind_without_a_handler_is_refused_when_scheduled(deadlines):
    with pytest.raises(ValueError, match="nobody"):
        deadlines.schedule("nobody", "r1", 0.01)
