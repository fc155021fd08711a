"""The cyclic garbage collector, set for a server whose connections each hold many objects.

A parked connection (a green thread, its socket, buffers, timers, the request under way) is
about a hundred objects the collector tracks, and a chat server parks tens of thousands of
them. CPython's defaults (700, 10, 10) make a full collection as soon as a quarter as many
objects again have been promoted since the last one: under 10,500 slow connections, one every
2-4 s, each stopping the whole process for 0.3-1.3 s while it walks 1.2 million objects
(`python -m bench.slow_clients --attack bodies`).

Set once the app is built, before it serves:
- what start-up made (modules, the app, its extensions) lives as long as the process and is
  frozen out of every walk (gc.freeze());
- a full collection waits for OLD middle ones instead of 10: two million net new objects
  rather than 70,000, so that it comes when memory has grown, not every few seconds while
  connections come and go. Young and middle collections stay small and frequent (a few ms).
What ends a connection is freed by reference counting, not left to the collector: the cycles
eventlet's server and Werkzeug made per request are broken where they are made
(app.patches.eventlet_accept, app.patches.eventlet_wsgi, app.protection.bodies and guards).
"""

import gc

YOUNG = 2_000  # net new tracked objects between young collections (CPython: 700)
MIDDLE = 10  # young collections between middle ones (CPython: 10)
OLD = 100  # middle collections before a full one may run (CPython: 10)


def settle() -> tuple[int, int, int]:
    """Freeze what start-up made and space full collections out; returns the old thresholds."""
    before = gc.get_threshold()
    gc.collect()  # start-up's garbage is not frozen with it
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)
    return before


def unsettle(thresholds: tuple[int, int, int]) -> None:
    """Undo settle(): thresholds back, frozen objects walked again."""
    gc.set_threshold(*thresholds)
    gc.unfreeze()
