"""A clock for rate-limit tests: a minute of someone's typing passes without waiting for it."""

import time

import limits.storage.memory

import app.protection.limits


class Clock:
    """Stands in for the `time` module where rate limits read the time."""

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    @classmethod
    def install(cls, monkeypatch) -> "Clock":
        """The clock of the in-memory rate-limit storage and of app.protection.limits, for one
        test."""
        clock = cls()
        monkeypatch.setattr(limits.storage.memory, "time", clock)
        monkeypatch.setattr(app.protection.limits, "time", clock)
        return clock
