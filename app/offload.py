"""Blocking work off the event loop: real OS threads when the server provides them, or a child."""

import os
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager

from flask import current_app

_slots_lock = threading.Lock()


class Busy(Exception):
    """Every slot for this kind of work stayed taken for the whole wait."""


def thread_pool(async_mode: str):
    """The event loop's pool of OS threads as run_blocking calls it, offload(fn, *args)."""
    if async_mode == "eventlet":
        from eventlet import tpool

        return tpool.execute
    if async_mode == "gevent":
        import gevent

        def execute(fn, *args):
            return gevent.get_hub().threadpool.apply(fn, args)

        return execute
    return None  # threads: the request's own thread may block


def run_blocking(fn, *args):
    """fn(*args) in a real OS thread when the entry point installed one, else right here.

    wsgi.py installs the event loop's thread pool (thread_pool()) as app.extensions["offload"];
    tests and the threading server call fn directly, as they have no event loop to keep free.
    """
    offload = current_app.extensions.get("offload")
    if offload is None:
        return fn(*args)
    return offload(fn, *args)


def run_child(args: list[str], data: bytes, timeout: float) -> subprocess.CompletedProcess:
    """Run args with data on stdin; its stdout and stderr, or TimeoutExpired once it is killed.

    Under eventlet or gevent, `subprocess` is the loop's green one (wsgi.py's patching): the
    pipes and the wait go through the event loop, so this green thread waits and nobody else
    does. It must not run in a pool thread, whose blocking calls would then wait on a hub of
    its own.
    Under threads it blocks this request's thread only.
    """
    # A GIF that took over its decoder finds no secrets (SECRET_KEY, MONGO_URI) to read.
    env = {key: os.environ[key] for key in ("PATH", "LD_LIBRARY_PATH") if key in os.environ}
    try:
        return subprocess.run(
            args, input=data, capture_output=True, timeout=timeout, env=env, check=False
        )
    except _timeouts() as error:
        if isinstance(error, subprocess.TimeoutExpired):
            raise
        # Eventlet's green run() raises the unpatched module's TimeoutExpired, another class:
        # uncaught by callers, a child killed for its time would answer 500.
        raise subprocess.TimeoutExpired(error.cmd, error.timeout) from error


def _timeouts() -> tuple:
    """TimeoutExpired, and under eventlet that of the unpatched subprocess module too."""
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is None:
        return (subprocess.TimeoutExpired,)
    return (subprocess.TimeoutExpired, patcher.original("subprocess").TimeoutExpired)


@contextmanager
def slot(kind: str, size: int, wait: float, owner: str | None = None):
    """Hold one of `size` slots for `kind` of work; Busy when none frees up within `wait` s.

    Threads run in parallel on the cores there are: more of them at once only share the
    same CPU and add memory, so a few at a time, and a quick "busy" beyond that. With an
    `owner` (a client address), that owner holds one slot at most while others wait: one
    client's many requests queue behind each other, not in front of everyone else's.
    """
    deadline = time.monotonic() + wait
    with ExitStack() as held:
        if owner is not None:
            turn = _turn(kind, owner)
            held.callback(_done_waiting, kind, owner)
            if not turn.acquire(timeout=wait):
                raise Busy(kind)
            held.callback(turn.release)
        semaphore = _semaphore(kind, size)
        if not semaphore.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise Busy(kind)
        held.callback(semaphore.release)
        yield


def _semaphore(kind: str, size: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        slots = current_app.extensions.setdefault("offload_slots", {})
        if kind not in slots:
            slots[kind] = threading.BoundedSemaphore(max(1, size))
        return slots[kind]


def _turn(kind: str, owner: str) -> threading.Lock:
    """The owner's lock for `kind`, kept while anyone of theirs holds or waits for it."""
    with _slots_lock:
        turns = current_app.extensions.setdefault("offload_turns", {})
        lock, users = turns.get((kind, owner), (None, 0))
        lock = lock or threading.Lock()
        turns[(kind, owner)] = (lock, users + 1)
        return lock


def _done_waiting(kind: str, owner: str) -> None:
    with _slots_lock:
        turns = current_app.extensions["offload_turns"]
        lock, users = turns[(kind, owner)]
        if users > 1:
            turns[(kind, owner)] = (lock, users - 1)
        else:
            del turns[(kind, owner)]  # nobody of theirs left: the table does not grow
