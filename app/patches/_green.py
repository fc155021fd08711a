"""What the patches need of an event loop, eventlet's or gevent's, in one shape."""


class _Eventlet:
    """spawn(fn, *args), call_later(seconds, fn, *args) and event() on eventlet's hub."""

    def __init__(self):
        import eventlet
        from eventlet.event import Event
        from eventlet.hubs import get_hub

        self.spawn = eventlet.spawn_n  # a bare green thread: no GreenThread object to keep
        self._hub, self._event = get_hub, Event

    def call_later(self, seconds, fn, *args):
        self._hub().schedule_call_global(seconds, self.spawn, fn, *args)

    def event(self):
        """(wait, fire) of a one-shot event."""
        event = self._event()
        return event.wait, event.send


class _Gevent:
    """The same on gevent's hub."""

    def __init__(self):
        import gevent
        from gevent.event import Event

        self.spawn = gevent.spawn_raw  # a bare greenlet: no Greenlet object to keep
        self._hub, self._event = gevent.get_hub, Event

    def call_later(self, seconds, fn, *args):
        # A watcher of the hub's loop (no greenlet until it fires); the loop holds it while
        # it is active, and a one-shot timer stops itself.
        self._hub().loop.timer(seconds).start(self.spawn, fn, *args)

    def event(self):
        event = self._event()
        return event.wait, event.set


LOOPS = {"eventlet": _Eventlet, "gevent": _Gevent}
