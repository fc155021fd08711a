"""Deadlines in a real Redis: carried out once, by one of several processes, after restarts."""

import threading

import pytest
from flask import current_app

from harness.cluster import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.redis


def recording(app, ran: list, kind="ping"):
    """Register a handler of kind on app that notes which app ran it, for which room and arg."""

    def handler(room_id, arg):
        ran.append((current_app._get_current_object() is app and app.name, room_id, arg))

    app.extensions["deadlines"].register(kind, handler)
    return app.extensions["deadlines"]


def test_a_due_deadline_runs_once_across_two_processes(processes):
    one, two = processes(), processes()
    ran = []
    first, second = recording(one, ran), recording(two, ran)
    rooms = [f"room{number}" for number in range(40)]
    for room in rooms:
        first.schedule("ping", room, 0, arg=room.upper())
    barrier = threading.Barrier(2, timeout=5)

    def run(deadlines, app):
        barrier.wait()
        deadlines.run_due(app)

    workers = [
        threading.Thread(target=run, args=(first, one)),
        threading.Thread(target=run, args=(second, two)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert sorted(room for _, room, _ in ran) == sorted(rooms)
    assert all(arg == room.upper() for _, room, arg in ran)
    assert all(in_its_own_app for in_its_own_app, _, _ in ran)


def test_scheduling_again_replaces_and_cancel_removes(processes):
    app = processes()
    ran = []
    deadlines = recording(app, ran)
    recording(app, ran, kind="other")
    deadlines.schedule("ping", "r1", 60, arg="a")
    deadlines.schedule("ping", "r1", 0, arg="a")  # the same deadline, sooner: replaced
    deadlines.schedule("ping", "r1", 0, arg="b")  # another arg is another deadline
    deadlines.schedule("ping", "r2", 0)
    deadlines.cancel("ping", "r2")
    deadlines.schedule("other", "r1", 0, arg="a")  # another kind is another deadline
    deadlines.schedule("ping", "r3", 0, arg="x")
    deadlines.cancel("ping", "r3", "x")
    assert deadlines.run_due(app) == 3
    assert sorted((room, arg) for _, room, arg in ran) == [("r1", "a"), ("r1", "a"), ("r1", "b")]
    assert deadlines.run_due(app) == 0


def test_a_kind_without_a_handler_is_refused(processes):
    with pytest.raises(ValueError):
        processes().extensions["deadlines"].schedule("unknown", "r1", 0)


def test_a_deadline_waits_for_its_time(processes):
    app = processes()
    ran = []
    deadlines = recording(app, ran)
    deadlines.schedule("ping", "later", 60)
    deadlines.schedule("ping", "now", 0)
    deadlines.run_due(app)
    assert [room for _, room, _ in ran] == ["now"]
    # An earlier schedule of the same deadline is replaced, not kept beside.
    deadlines.schedule("ping", "later", 0)
    deadlines.run_due(app)
    assert [(room, arg) for _, room, arg in ran] == [("now", None), ("later", None)]


def test_a_deadline_outlives_the_process_that_set_it(processes):
    first = processes()
    recording(first, []).schedule("ping", "r1", 0, arg="kept")
    first.extensions["redis"].close()  # that process is gone
    restarted = processes()
    ran = []
    deadlines = recording(restarted, ran)
    deadlines.run_due(restarted)
    assert [(room, arg) for _, room, arg in ran] == [("r1", "kept")]


def test_a_failing_handler_is_logged_and_the_others_still_run(processes, caplog):
    app = processes()
    ran = []
    deadlines = recording(app, ran)

    def broken(room_id, arg):
        raise RuntimeError("boom")

    deadlines.register("broken", broken)
    deadlines.schedule("broken", "r1", 0)
    deadlines.schedule("ping", "r2", 0)
    assert deadlines.run_due(app) == 2
    assert [room for _, room, _ in ran] == ["r2"]
    assert "deadline broken of room r1 failed" in caplog.text
    assert deadlines.run_due(app) == 0  # once: a failure is not retried forever
