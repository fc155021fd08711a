"""What ends a connection is freed by reference counting, never left for a full collection,
and the collector is set for a server that parks many connections (app.ops.collector).

A cycle per connection made a slow-client attack's every ended connection (140 objects) wait
for the full collection, which then walked over a million objects every few seconds:
`python -m bench.slow_clients --attack bodies` measures what it cost a new visitor."""

import gc
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from werkzeug.test import EnvironBuilder

from app.ops import collector
from app.protection import guards

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def collections_paused():
    """No collection runs by itself in the block: what it leaves for one, gc.collect() finds."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Deadline(BaseException):
    """The loop's timer, as app.protection.bodies.timer gives one: raised into the read."""

    def cancel(self):
        pass


class Socket:
    """The client's socket, as the guard uses it around a body's reads."""

    def gettimeout(self):
        return None

    def settimeout(self, seconds):
        pass

    def shutdown(self, how):
        pass


class Stalled:
    """A body whose read ends as the server's do when no byte comes: it raises `ending()`."""

    def __init__(self, ending):
        self.ending = ending

    def read(self, *args):
        # Kept in the frame, as eventlet's trampoline keeps the exception it raises.
        ended = self.ending()
        raise ended

    readline = read


def a_cut_body(ending):
    environ = EnvironBuilder(path="/room", method="POST", headers={"Accept-Language": "ko"})
    environ = environ.get_environ()
    environ["CONTENT_LENGTH"] = "10"  # of which none comes
    environ["wsgi.input"] = Stalled(ending)
    environ["gunicorn.socket"] = Socket()  # served by a server: the guard times the body
    return environ


def a_guard(app, per_address=50):
    """The guard in front of an app that answers nothing itself: what it answers is its own."""
    return guards.Guard(lambda environ, start_response: [], app, per_address, 30, 10)


def answer(guard, environ) -> str:
    said = []
    body = guard(environ, lambda status, headers, exc_info=None: said.append(status))
    b"".join(body)
    return said[0]


def test_a_body_cut_at_its_deadline_leaves_nothing_for_the_collector(app):
    guard = a_guard(app)
    deadlines = []
    guard.timer = lambda seconds: deadlines[-1]  # the deadline is due at once
    with collections_paused():
        for _ in range(3):
            deadlines.append(Deadline())
            assert answer(guard, a_cut_body(lambda: deadlines[-1])) == "400 BAD REQUEST"
        deadlines.clear()
        assert gc.collect() == 0


def test_a_body_whose_wait_timed_out_leaves_nothing_for_the_collector(app):
    guard = a_guard(app)
    guard.timer = lambda seconds: Deadline()  # never raised: the socket's own wait ends first
    with collections_paused():
        for _ in range(3):
            environ = a_cut_body(lambda: TimeoutError("timed out"))
            assert answer(guard, environ) == "400 BAD REQUEST"
        del environ
        assert gc.collect() == 0


def test_a_refusal_at_the_cap_leaves_nothing_for_the_collector(app):
    guard = a_guard(app, per_address=0)  # none admitted
    with collections_paused():
        for _ in range(3):
            environ = EnvironBuilder(path="/", headers={"Accept": "application/json"})
            environ = environ.get_environ()
            environ["gunicorn.socket"] = Socket()
            assert answer(guard, environ) == "429 TOO MANY REQUESTS"
        del environ
        assert gc.collect() == 0


def test_eventlets_server_ends_connections_without_cycles():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "eventlet_connections.py"), "20"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found == {"unreachable": 0, "protocols": 0}


def test_settle_freezes_start_up_and_spaces_full_collections_out():
    before = gc.get_threshold()
    try:
        assert collector.settle() == before
        assert gc.get_threshold() == (collector.YOUNG, collector.MIDDLE, collector.OLD)
        assert gc.get_freeze_count() > 0
    finally:
        collector.unsettle(before)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
